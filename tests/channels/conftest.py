"""Messaging channels end to end: the real servers, every channel switched on
by its variables (fictitious tokens), each platform API replaced by a local fake
(an aiohttp server that records what the bot sends). Inbound webhooks are posted
exactly as the platforms send them, signed as they sign them.

One pair of servers serves the whole folder; any single file also runs alone.
"""
from __future__ import annotations

import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from bot.messaging.senders import pseudonym
from tests.channels.fake_platform import FakePlatform
from tests.conversations.conftest import WEDNESDAY_MORNING, model_path
from tests.support.servers import BotServers, free_port

SENDER_HASH_KEY = "cle-de-test-exemple-0123456789"
ISSY_STREET = "13-15 rue Jean-Pierre Timbaud"
ASK_COMMUNE = "Dans quelle commune des Hauts-de-Seine habitez-vous ?"

# Fictitious credentials: nothing here is a real account.
CREDENTIALS = {
    "TELEGRAM_ACCESS_TOKEN": "123456:EXEMPLE-token",
    "TELEGRAM_SECRET_TOKEN": "secret-telegram-exemple",
    "MESSENGER_PAGE_ACCESS_TOKEN": "EXEMPLEpagetoken",
    "MESSENGER_APP_SECRET": "secret-messenger-exemple",
    "MESSENGER_VERIFY_TOKEN": "verify-exemple",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "secret-twilio-exemple",
    "TWILIO_NUMBER": "+33100000000",
    "TWILIO_WHATSAPP_NUMBER": "+33100000001",
    "SLACK_BOT_TOKEN": "xoxb-exemple",
    "SLACK_SIGNING_SECRET": "secret-slack-exemple",
    "CALLBACK_SECRET": "secret-callback-exemple",
    "SENDER_HASH_KEY": SENDER_HASH_KEY,
}


@dataclass
class Channels:
    servers: BotServers
    platform: FakePlatform

    def webhook(self, channel: str) -> str:
        return f"{self.servers.base_url}/webhooks/{channel}/webhook"

    def post(self, channel: str, body: bytes, headers: dict, query: str = "") -> tuple[int, str]:
        request = urllib.request.Request(self.webhook(channel) + query, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def get(self, channel: str, query: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.webhook(channel) + query, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def stored_senders(self) -> set[str]:
        path = self.servers.workdir / "tracker.db"
        if not path.exists():
            return set()
        with sqlite3.connect(path) as db:
            return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}

    def stored_text(self) -> str:
        """Everything the tracker store holds, as text (to look for a raw id)."""
        with sqlite3.connect(self.servers.workdir / "tracker.db") as db:
            return "\n".join(" ".join(str(v) for v in row) for row in db.execute("SELECT * FROM events"))

    def log(self) -> str:
        return self.servers.processes["rasa"].log()


@pytest.fixture(scope="package")
def channels(tmp_path_factory) -> Channels:
    platform = FakePlatform().start()
    rasa_port = free_port()
    workdir = tmp_path_factory.mktemp("channels")
    env = dict(CREDENTIALS, BOT_NOW=WEDNESDAY_MORNING, RASA_PORT=str(rasa_port),
               TELEGRAM_API_URL=platform.url, MESSENGER_API_URL=platform.url,
               TWILIO_API_URL=platform.url, SLACK_API_URL=platform.url,
               CALLBACK_URL=f"{platform.url}/callback",
               TWILIO_WEBHOOK_URL=f"http://127.0.0.1:{rasa_port}/webhooks/twilio/webhook")
    try:
        with BotServers(workdir, extra_env=env, model=model_path()) as servers:
            yield Channels(servers, platform)
    finally:
        platform.stop()


def stored_id(channel: str, raw_sender: str) -> str:
    """The conversation id the channel stores for a raw platform sender."""
    return pseudonym(SENDER_HASH_KEY, channel, raw_sender)
