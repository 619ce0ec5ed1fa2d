"""Slack: Events API and interactivity payloads as Slack posts them, signed with
the signing secret (v0, 5-minute window); replies at the fake Web API
(chat.postMessage), plain text, buttons as Block Kit buttons."""
import hashlib
import hmac
import json
import time
import urllib.parse

import pytest

from bot import responses
from tests.channels.conftest import ASK_COMMUNE, CREDENTIALS, ISSY_STREET, stored_id

pytestmark = pytest.mark.servers

SECRET = CREDENTIALS["SLACK_SIGNING_SECRET"]
TEAM = "T0EXEMPLE"


def message_event(user: str, channel: str, text: str) -> bytes:
    return json.dumps({
        "token": "EXEMPLE", "team_id": TEAM, "api_app_id": "A0EXEMPLE", "type": "event_callback",
        "event_id": f"Ev{abs(hash((user, text)))}", "event_time": int(time.time()),
        "event": {"type": "message", "channel": channel, "user": user, "text": text, "ts": f"{time.time():.6f}",
                  "channel_type": "im", "event_ts": f"{time.time():.6f}"},
    }).encode()


def signed(body: bytes, stamp: int = None, secret: str = SECRET, content_type: str = "application/json") -> dict:
    stamp = int(time.time()) if stamp is None else stamp
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": signature}


def replies(channels, channel: str, wait: int = 0):
    match = lambda c: c.path == "/chat.postMessage" and c.json["channel"] == channel  # noqa: E731
    return channels.platform.wait_for(match, wait) if wait else channels.platform.calls_matching(match)


def say(channels, user: str, channel: str, text: str) -> list:
    """Slack gets its 200 at once; the replies follow (a reply of several
    messages is complete when no new one arrives)."""
    before = len(replies(channels, channel))
    body = message_event(user, channel, text)
    assert channels.post("slack", body, signed(body))[0] == 200
    replies(channels, channel, wait=before + 1)
    match = lambda c: c.path == "/chat.postMessage" and c.json["channel"] == channel  # noqa: E731
    return [c.json for c in channels.platform.settle(match)[before:]]


def test_url_verification_returns_the_challenge(channels):
    body = json.dumps({"token": "EXEMPLE", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"}).encode()
    status, answer = channels.post("slack", body, signed(body))
    assert status == 200 and json.loads(answer)["challenge"].startswith("3eZbrw1aBm")


def test_a_conversation_commune_then_hours(channels):
    user, channel = "U0EXEMPLE01", "D0EXEMPLE01"
    where = say(channels, user, channel, "quel pôle pour Issy-les-Moulineaux ?")
    assert ISSY_STREET in "\n".join(m["text"] for m in where)
    assert all(m["mrkdwn"] is False for m in where)  # plain text: nothing shown raw
    hours = say(channels, user, channel, "et les horaires ?")
    assert "8 h 30" in "\n".join(m["text"] for m in hours)
    call = replies(channels, channel)[-1]
    assert call.headers["Authorization"] == f"Bearer {CREDENTIALS['SLACK_BOT_TOKEN']}"
    assert stored_id("slack", f"{TEAM}:{user}") in channels.stored_senders()
    assert user not in channels.stored_text()


def test_buttons_are_block_kit_buttons_and_a_click_is_understood(channels):
    user, channel = "U0EXEMPLE02", "D0EXEMPLE02"
    messages = say(channels, user, channel, "qu'est-ce que vous pouvez faire ?")
    actions = next(b for m in messages for b in m.get("blocks") or [] if b["type"] == "actions")
    assert [e["value"] for e in actions["elements"]] == ["/find_hub", "/ask_hours", "/list_services"]
    click = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "channel": {"id": channel},
             "actions": [{"action_id": "option_1", "value": "/find_hub", "type": "button"}]}
    body = urllib.parse.urlencode({"payload": json.dumps(click)}).encode()
    before = len(replies(channels, channel))
    assert channels.post("slack", body, signed(body, content_type="application/x-www-form-urlencoded"))[0] == 200
    assert ASK_COMMUNE in replies(channels, channel, wait=before + 1)[-1].json["text"]


def test_a_danger_message_gets_its_helpline_first(channels):
    first = say(channels, "U0EXEMPLE03", "D0EXEMPLE03",
                "mon beau-père frappe ma petite soeur de 8 ans, je sais pas quoi faire")[0]
    assert first["text"] == responses.text("utter_danger_child")  # 119


def test_bad_old_or_missing_signatures_are_refused_and_nothing_is_stored(channels):
    user, channel = "U0EXEMPLE04", "D0EXEMPLE04"
    body = message_event(user, channel, "bonjour")
    assert channels.post("slack", body, {"Content-Type": "application/json"})[0] == 401
    assert channels.post("slack", body, signed(body, secret="pas-le-bon-secret"))[0] == 403
    assert channels.post("slack", body, signed(body, stamp=int(time.time()) - 600))[0] == 401  # a replay
    # refused before any background handling is scheduled: nothing can come later
    assert replies(channels, channel) == []
    assert stored_id("slack", f"{TEAM}:{user}") not in channels.stored_senders()
