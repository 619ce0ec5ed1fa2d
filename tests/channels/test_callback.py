"""The generic callback channel, for a département's own tools: a shared secret
header both ways; replies POSTed to CALLBACK_URL."""
import json

import pytest

from bot import responses
from tests.channels.conftest import CREDENTIALS, ISSY_STREET, stored_id

pytestmark = pytest.mark.servers

SECRET = CREDENTIALS["CALLBACK_SECRET"]


def post(channels, sender: str, text: str, secret: str = SECRET):
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Callback-Secret"] = secret
    return channels.post("callback", json.dumps({"sender": sender, "message": text}).encode(), headers)


def replies(channels, sender: str, wait: int = 0):
    match = lambda c: c.path == "/callback" and c.json["recipient_id"] == sender  # noqa: E731
    return channels.platform.wait_for(match, wait) if wait else channels.platform.calls_matching(match)


def say(channels, sender: str, text: str) -> list:
    before = len(replies(channels, sender))
    assert post(channels, sender, text) == (200, "success")
    return replies(channels, sender, wait=before + 1)[before:]


def test_a_conversation_commune_then_hours(channels):
    sender = "dossier-exemple-0042"
    where = say(channels, sender, "Où est le pôle social pour Clamart ?")
    assert ISSY_STREET in "\n".join(c.json["text"] for c in where)
    assert where[0].headers["X-Callback-Secret"] == SECRET  # the receiving tool can check it is us
    hours = say(channels, sender, "et les horaires ?")
    assert "8 h 30" in "\n".join(c.json["text"] for c in hours)
    assert stored_id("callback", sender) in channels.stored_senders()
    assert sender not in channels.stored_text()


def test_a_danger_message_gets_its_helpline_first(channels):
    first = say(channels, "dossier-exemple-0043", "je dors dehors ce soir avec mes deux enfants")[0]
    assert first.json["text"] == responses.text("utter_danger_no_shelter")  # 115


def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(channels):
    sender = "dossier-exemple-0044"
    assert post(channels, sender, "bonjour", secret="")[0] == 401
    assert post(channels, sender, "bonjour", secret="pas-le-bon")[0] == 403
    assert replies(channels, sender) == []
    assert stored_id("callback", sender) not in channels.stored_senders()


def test_a_malformed_request_gets_a_400(channels):
    status, body = channels.post("callback", b"{pas du json", {"Content-Type": "application/json",
                                                                "X-Callback-Secret": SECRET})
    assert status == 400 and "JSON" in body
