"""The safety responses give the helplines of knowledge/data/helplines.yml, in
its order (first = the number to call first), and work without the action
server (they are domain responses, predicted by rules)."""
import re
from pathlib import Path

import pytest
import yaml

from knowledge import SITUATIONS, get_knowledge
from tests.actions.conftest import ROOT, load_domain

NUMBER = re.compile(r"\b(?:le|au)\s(\d{2,4})\b")  # "appelez le 3919", "par SMS au 114"


EASY_READ = [{"type": "slot", "name": "easy_read", "value": True}]


def response_text(name: str, easy_read: bool) -> str:
    """The one variant for a reading mode: the numbers must never depend on chance."""
    variants = [v for v in load_domain()["responses"][name]
                if v.get("condition") == (EASY_READ if easy_read else None)]
    assert len(variants) == 1 and len(load_domain()["responses"][name]) == 2
    return variants[0]["text"]


@pytest.mark.parametrize("easy_read", [False, True], ids=["standard", "easy-read"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_numbers_and_order_match_the_knowledge_base(situation, easy_read):
    expected = [h.number for h in get_knowledge().helplines_for(situation)]
    found = NUMBER.findall(response_text(f"utter_danger_{situation}", easy_read))
    assert list(dict.fromkeys(found)) == expected


@pytest.mark.parametrize("easy_read", [False, True], ids=["standard", "easy-read"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_every_number_said_is_a_known_free_helpline(situation, easy_read):
    kb = get_knowledge()
    for number in NUMBER.findall(response_text(f"utter_danger_{situation}", easy_read)):
        helpline = kb.helpline(number)
        assert helpline is not None and helpline.free


def test_each_danger_intent_has_a_rule_answering_with_its_response_first():
    rules = [r for r in yaml.safe_load((ROOT / "data/rules/safety.yml").read_text())["rules"]
             if r["steps"][0]["intent"].startswith("danger_")]
    first_action = {r["steps"][0]["intent"]: r["steps"][1]["action"] for r in rules}
    assert first_action == {f"danger_{s}": f"utter_danger_{s}" for s in SITUATIONS}
    for rule in rules:  # each rule leaves any running form, then the follow-up
        assert {"action": "action_deactivate_loop"} in rule["steps"]
        assert rule["steps"][-1] == {"action": "action_after_danger"}


def test_danger_intents_are_in_the_domain():
    intents = load_domain()["intents"]
    assert {f"danger_{s}" for s in SITUATIONS} <= set(intents)
