"""Small actions, rasa-demo style (tracker / dispatcher / domain fixtures)."""
import asyncio

from actions.action_ask_commune import ActionAskCommune
from actions.action_greet import GREETING, ActionGreet
from actions.replies import ASK_COMMUNE


def test_greet(tracker, dispatcher, domain):
    events = asyncio.run(ActionGreet().run(dispatcher, tracker, domain))
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [GREETING]


def test_the_form_question_accepts_a_postal_code(tracker, dispatcher, domain):
    asyncio.run(ActionAskCommune().run(dispatcher, tracker, domain))
    assert [m["text"] for m in dispatcher.messages] == [ASK_COMMUNE]
    assert "code postal" in ASK_COMMUNE


def test_every_custom_action_of_the_domain_exists(domain):
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(domain["actions"]) <= set(executor.actions)


def test_session_config_forgets_the_commune_between_sessions():
    import yaml
    from tests.actions.conftest import ROOT

    config = yaml.safe_load((ROOT / "domain/core.yml").read_text())["session_config"]
    assert config["carry_over_slots_to_new_session"] is False
    assert 0 < config["session_expiration_time"] <= 60
