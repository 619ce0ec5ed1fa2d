"""End-to-end conversations through the real servers (REST), as a resident
would have them. `TEST_MODEL=/path/model.tar.gz` runs them against another
model than models/current.tar.gz (e.g. one trained in /tmp)."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from bot.training import MODEL_PATH
from tests.support.servers import BotServers

WEDNESDAY_MORNING = "2026-11-18T10:15"


def model_path() -> Path:
    return Path(os.environ["TEST_MODEL"]) if os.environ.get("TEST_MODEL") else MODEL_PATH


def start_servers(tmp_path_factory, now: str = WEDNESDAY_MORNING) -> BotServers:
    workdir = tmp_path_factory.mktemp("servers")
    return BotServers(workdir, extra_env={"BOT_NOW": now}, model=model_path())


@pytest.fixture(scope="package")
def bot_servers(tmp_path_factory):
    """One pair of servers for the whole folder (each test is its own sender)."""
    with start_servers(tmp_path_factory) as servers:
        yield servers


class Conversation:
    """One resident (a fresh sender id) talking to the bot."""

    def __init__(self, servers: BotServers):
        self.servers = servers
        self.sender = "test-" + uuid.uuid4().hex[:12]

    def say(self, text: str) -> str:
        return self.servers.texts(self.sender, text)

    def messages(self, text: str) -> list[dict]:
        return self.servers.send(self.sender, text)


@pytest.fixture
def resident(bot_servers) -> Conversation:
    return Conversation(bot_servers)
