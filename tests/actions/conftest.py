"""Fixtures and helpers for action unit tests (no servers, no model).

rasa-demo style fixtures (`tracker`, `dispatcher`, `domain`) and covidflow style
helpers (`create_tracker`, `assert_events`, `assert_templates`).
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
FROZEN_NOW = "2026-11-18T10:15"  # a Wednesday, open hours


def load_domain() -> Dict[str, Any]:
    """The domain folder merged the simple way (enough for actions)."""
    merged: Dict[str, Any] = {"slots": {}, "responses": {}, "forms": {}, "intents": [], "actions": []}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for key in ("slots", "responses", "forms"):
            merged[key].update(data.get(key) or {})
        for key in ("intents", "actions"):
            merged[key].extend(data.get(key) or [])
    return merged


SLOTS = list(load_domain()["slots"]) + ["requested_slot"]


def insee(name: str) -> str:
    """The INSEE code of a commune of the 92 (what the `commune` slot holds)."""
    from knowledge import get_knowledge
    return next(c.insee for c in get_knowledge().communes if c.name == name)


def parsed(text: str, intent: str, entities: Optional[List[Dict]] = None) -> Dict[str, Any]:
    """What the NLU gives for `text`: the intent the test chooses, the entities
    the pipeline's knowledge-based extractors find in the text (places, moment),
    and the `entities` given (the danger layer's, a button's payload)."""
    found: List[Dict] = []
    if not text.startswith("/"):
        from bot.components.moment_extractor import moment_entity
        from bot.components.place_extractor import place_entities
        found = place_entities(text)
        moment = moment_entity(text)
        if moment:
            found.append(moment)
    return {"intent": {"name": intent, "confidence": 1.0}, "entities": found + list(entities or []),
            "text": text}


def user_event(text: str, intent: str, entities: Optional[List[Dict]] = None) -> Dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": parsed(text, intent, entities)}


def mapped_slots(parse_data: Dict[str, Any], active_loop: Optional[str]) -> Dict[str, Any]:
    """The slots the domain's mappings fill from a message (what Rasa's
    action_extract_slots does before any action runs): from_intent and
    from_entity, with their active_loop conditions."""
    intent = parse_data["intent"]["name"]
    entities = {e["entity"]: e["value"] for e in parse_data["entities"]}
    filled: Dict[str, Any] = {}
    for name, slot in load_domain()["slots"].items():
        for mapping in slot.get("mappings") or []:
            conditions = mapping.get("conditions")
            if conditions and not any(c.get("active_loop") == active_loop for c in conditions):
                continue
            intents = mapping.get("intent")
            intents = [intents] if isinstance(intents, str) else intents or []
            # the first mapping that applies fills the slot (as in Rasa)
            if mapping["type"] == "from_intent" and intent in intents:
                filled[name] = mapping.get("value")
                break
            if mapping["type"] == "from_entity" and mapping["entity"] in entities:
                filled[name] = entities[mapping["entity"]]
                break
    return filled


def create_tracker(
    text: str = "",
    intent: str = "inform",
    entities: Optional[List[Dict]] = None,
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender_id: str = "test",
    latest_action: str = "action_listen",
) -> Tracker:
    """A tracker whose latest message is (text, intent, entities): `slots` are
    the state before it, then the domain's mappings fill theirs from it.
    `events` are the earlier events; the latest user event is appended to them."""
    latest = user_event(text, intent, entities)
    all_slots = {name: None for name in SLOTS}
    all_slots.update(slots or {})
    all_slots.update(mapped_slots(latest["parse_data"], active_loop))
    trailing = [{"event": "action", "name": latest_action}] if latest_action != "action_listen" else []
    return Tracker(
        sender_id,
        all_slots,
        latest["parse_data"],
        list(events or []) + [latest] + trailing,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        latest_action,
    )


def activation(question: str, intent: str, slots=None, entities=None) -> Tracker:
    """The tracker the form validation sees when the form starts on `question`
    (the mappings ran before the form was active)."""
    latest = user_event(question, intent, entities)
    all_slots = {**{n: None for n in SLOTS}, **(slots or {})}
    all_slots.update(mapped_slots(latest["parse_data"], None))
    return Tracker(
        "test", all_slots, latest["parse_data"],
        [latest, {"event": "action", "name": "commune_form"}, ActiveLoop("commune_form")],
        False, None, {"name": "commune_form"}, "commune_form",
    )


def in_form(answer: str, answer_intent: str = "inform", slots=None, entities=None) -> Tracker:
    """The tracker the validation sees when the resident answers the form's
    question (`slots` hold what the question set, e.g. its topic)."""
    return create_tracker(answer, answer_intent, entities,
                          slots={"requested_slot": "commune", **(slots or {})},
                          active_loop="commune_form")


def run(action, tracker: Tracker, domain=None) -> tuple[CollectingDispatcher, List[Dict]]:
    """Run an action; every message it sends must read well in both modes (its
    response exists and all its placeholders are filled)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or load_domain()))
    for message in dispatcher.messages:
        render(message, {"easy_read": False})
        render(message, {"easy_read": True})
    return dispatcher, events


# What a custom action's message carries besides the values of its response.
MESSAGE_KEYS = {"response", "text", "buttons", "image", "elements", "attachment",
                "json_message", "template", "custom", "quick_replies"}
_NLG = None


def render(message: Dict[str, Any], slots: Optional[Dict[str, Any]] = None) -> str:
    """The text a resident reads for one dispatched message: the domain response
    filled by Rasa's own response generator (variation chosen on the slots, e.g.
    `easy_read`). Fails on a missing response or an unfilled {placeholder}."""
    global _NLG
    name = message.get("response")
    if not name:
        return message.get("text") or ""
    if _NLG is None:
        from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
        _NLG = TemplatedNaturalLanguageGenerator(load_domain()["responses"])
    values = {k: v for k, v in message.items() if k not in MESSAGE_KEYS}
    filled = {"easy_read": False, **(slots or {})}
    generated = _NLG.generate_from_slots(name, filled, "collector", **values)
    assert generated, f"no domain response {name!r}"
    text = generated.get("text") or ""
    assert "{" not in text, f"{name}: a placeholder was not filled: {text!r}"
    return text


def texts(dispatcher: CollectingDispatcher, slots: Optional[Dict[str, Any]] = None) -> str:
    return "\n".join(render(m, slots) for m in dispatcher.messages)


def assert_events(actual: List[Dict], expected: List[Dict]) -> None:
    assert actual == expected, f"events differ:\n  actual:   {actual}\n  expected: {expected}"


def assert_templates(dispatcher: CollectingDispatcher, templates: List[str]) -> None:
    assert [m.get("response") for m in dispatcher.messages] == templates


def slot_values(events: List[Dict]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setenv("BOT_NOW", FROZEN_NOW)


@pytest.fixture
def domain() -> Dict[str, Any]:
    return load_domain()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def tracker() -> Tracker:
    return create_tracker("bonjour", "greet")
