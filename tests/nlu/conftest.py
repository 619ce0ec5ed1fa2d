"""Servers for the real-message test (its own pair: it sends 260 first messages)."""
from __future__ import annotations

import pytest

from tests.conversations.conftest import start_servers


@pytest.fixture(scope="module")
def bot_servers(tmp_path_factory):
    with start_servers(tmp_path_factory) as servers:
        yield servers
