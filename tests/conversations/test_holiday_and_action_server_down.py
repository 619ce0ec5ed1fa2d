"""On Christmas Day the hub is closed (with the holiday's name); and the safety
replies still come when the action server is down."""
import pytest

from tests.conversations.conftest import Conversation, start_servers


@pytest.fixture(scope="module")
def christmas(tmp_path_factory):
    with start_servers(tmp_path_factory, now="2026-12-25T10:00") as servers:
        yield servers


def test_open_now_on_christmas_day(christmas):
    resident = Conversation(christmas)
    resident.say("j'habite à Clamart")
    reply = resident.say("c'est ouvert aujourd'hui ?")
    assert "fermé" in reply and "jour férié (Noël)" in reply
    assert "Prochaine ouverture : lundi 28 décembre à 8 h 30" in reply


def test_safety_without_the_action_server(christmas):
    christmas.processes["actions"].stop()
    resident = Conversation(christmas)
    assert "3919" in resident.messages("mon conjoint me frappe")[0]["text"]
    assert "119" in resident.messages("un enfant est maltraité par ses parents")[0]["text"]
