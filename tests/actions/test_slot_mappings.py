"""The action tests fill `topic` and `moment` from a message the way the domain's
mappings say (conftest.mapped_slots). This checks that reading against Rasa's
own action_extract_slots, so the unit tests cannot drift from the real bot."""
import asyncio

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.actions.conftest import ROOT, mapped_slots, parsed

DOMAIN = Domain.load(str(ROOT / "domain"))


def rasa_fills(text, intent, active_loop=None, before=None):
    data = parsed(text, intent)
    events = [SlotSet(k, v) for k, v in (before or {}).items()]
    if active_loop:
        events.append(ActiveLoop(active_loop))
    events.append(UserUttered(text, data["intent"], data["entities"]))
    tracker = DialogueStateTracker.from_events("t", events, slots=DOMAIN.slots)
    filled = asyncio.run(ActionExtractSlots(None).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses),
        tracker, DOMAIN))
    return {e.key: e.value for e in filled if isinstance(e, SlotSet)}


@pytest.mark.parametrize("text, intent, active_loop", [
    ("c'est ouvert samedi ?", "ask_open", None),
    ("les horaires ?", "ask_hours", None),
    ("Clamart", "inform", None),
    ("Clamart", "inform", "commune_form"),
    ("et samedi ?", "inform", None),
    ("et samedi ?", "inform", "commune_form"),
    ("oui", "affirm", None),
    ("quelles communes ?", "ask_communes_served", None),
    ("demain à 18h c'est ouvert ?", "ask_open", "commune_form"),
    ("je dors dehors ce soir", "danger_no_shelter", None),
])
def test_the_tests_fill_slots_as_rasa_does(monkeypatch, text, intent, active_loop):
    monkeypatch.setenv("BOT_NOW", "2026-11-18T10:15")
    before = {"topic": "hours", "moment": {"start": "x", "grain": "day"}}
    expected = rasa_fills(text, intent, active_loop, before)
    ours = {k: v for k, v in mapped_slots(parsed(text, intent), active_loop).items()
            if before.get(k) != v}
    changed = {k: v for k, v in expected.items() if k in ("topic", "moment") and before.get(k) != v}
    assert changed == ours


def test_a_question_with_a_moment_keeps_it_and_one_without_forgets_the_old_one(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "2026-11-18T10:15")
    assert rasa_fills("c'est ouvert samedi ?", "ask_open")["moment"]["start"].startswith("2026-11-21")
    assert rasa_fills("c'est ouvert ?", "ask_open", before={"moment": {"grain": "day"}})["moment"] == ""
