"""Small things, rasa-demo style (tracker / dispatcher / domain fixtures)."""


def test_the_form_question_accepts_a_postal_code(domain):
    # commune_form asks with the domain response utter_ask_<slot>
    for variant in domain["responses"]["utter_ask_commune"]:
        assert "code postal" in variant["text"]


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
