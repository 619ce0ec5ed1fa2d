"""The report on real conversations through the real servers: each figure is
exactly what was sent, and no danger text or phone number appears in it."""
import json

import pytest

from bot.__main__ import main as bot_cli
from tests.conversations.conftest import start_servers

pytestmark = pytest.mark.servers

CONVERSATIONS = {
    "served": "quel pôle social pour Clamart ?",
    "uncovered": "quel pôle social pour Nanterre ?",
    "outside": "j'habite à Lyon, où est mon pôle social ?",
    "danger": "mon mari me frappe tous les soirs, j'ai peur de lui",
    "gibberish": "blorp zzzt qwertyuiop",
    "phone": "rappelez moi au 06 12 34 56 78 merci",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory, monkeypatch_module):
    with start_servers(tmp_path_factory) as servers:
        for sender, text in CONVERSATIONS.items():
            servers.send(f"report-{sender}", text)
        out = tmp_path_factory.mktemp("report")
        monkeypatch_module.setenv("TRACKER_SQLITE_PATH", str(servers.workdir / "tracker.db"))
        assert bot_cli(["report", "--days", "1", "--out", str(out)]) == 0
    return json.loads((out / "report.json").read_text()), (out / "report.html").read_text()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_the_figures_are_what_was_sent(report):
    figures, _ = report
    assert (figures["conversations"], figures["messages"]) == (6, 6)
    assert sum(figures["intents"].values()) == 6
    assert figures["communes"] == {"Clamart": {"count": 1, "covered": True},
                                   "Nanterre": {"count": 1, "covered": False}}
    assert figures["outside_places"] == {"Lyon": 1}
    assert figures["helplines"] == {"112": 1, "17": 1, "3919": 1}  # the violence answer, once
    assert figures["danger_messages"] == 1
    unanswered = {u["text"]: u["count"] for u in figures["unanswered"]}
    assert unanswered.get("blorp zzzt qwertyuiop") == 1
    assert figures["fallback_rate"] == round(figures["fallbacks"] / 6, 4) and figures["fallbacks"] >= 1
    assert figures["feedback"] == {"up": 0, "down": 0, "by_intent": {}}


def test_no_danger_text_and_no_phone_number_anywhere(report):
    figures, page = report
    for where in (json.dumps(figures, ensure_ascii=False), page):
        assert "frappe" not in where and "peur de lui" not in where
        assert "06 12 34 56 78" not in where and "0612345678" not in where and "12 34 56" not in where
