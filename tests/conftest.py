"""Shared fixtures. Server fixtures start the real processes on free ports."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.servers import BotServers  # noqa: E402


@pytest.fixture(scope="module")
def bot_servers(tmp_path_factory):
    """Action server + Rasa server for a test module, on free ports, own SQLite file.

    The clock is frozen on a Wednesday morning (open hours) unless a module
    overrides `bot_env`.
    """
    workdir = tmp_path_factory.mktemp("servers")
    with BotServers(workdir, extra_env={"BOT_NOW": "2026-11-18T10:15"}) as servers:
        yield servers
