"""Validation of commune_form: where a message becomes the resident's commune.

The form is the path of every hub question. The place comes from the NLU's
canonical entities (bot/components/place_extractor.py), never from the text:
- a commune of the 92 (or its postal code) -> `commune` (its INSEE code), done;
- a hub the question names -> done, answered for that hub (`asked_hub`); the
  resident's commune is kept; follow-ups stay on that hub until the resident
  gives a commune, asks where to go, or says "mon pôle";
- a place outside the 92 -> done (`outside_place`), answered "not covered";
- nothing new, but the commune is already known, or the question has an
  answer without one (communes served...) -> done;
- otherwise -> the form asks for the commune (utter_ask_commune).
While the form waits for the commune, a message that is not an answer (danger,
a need, stop, deny, greeting... without a place) is not extracted, so Rasa
rejects the form and a rule answers it. Danger is never an answer, even when it
names a commune.
"""
from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.common import (
    ASKED_HUB, COMMUNE, DANGER_INTENTS, GENERAL_TOPICS, NOT_AN_ANSWER, OUTSIDE_PLACE,
    QUESTION_INTENTS, REQUESTED_SLOT, SERVICE_INTENTS, TOPIC, TOPIC_OF_GENERAL_INTENTS, kb,
    latest_intent, message_place, outside_name, points_at_own_place, utter_ambiguous,
    utter_unknown_place,
)

DONE = {REQUESTED_SLOT: None}
ASK = {REQUESTED_SLOT: COMMUNE}


class ValidateCommuneForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_commune_form"

    async def extract_commune(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        """The commune this message gives (its INSEE code), or the one already
        known when the message answers without one; {} when it is no answer."""
        intent = latest_intent(tracker)
        activating = tracker.get_slot(REQUESTED_SLOT) is None
        if intent in DANGER_INTENTS:
            return {}  # safety rules win, even if the message names a commune
        if not activating and intent in SERVICE_INTENTS:
            return {}  # the service is answered by its rule (which keeps a commune named)
        place = message_place(kb(), tracker.latest_message or {})
        if not activating and place.kind == "none" and intent in NOT_AN_ANSWER:
            return {}  # a rule answers, then the form asks again or stops
        if place.kind in ("served", "uncovered"):
            return {COMMUNE: place.match.commune.insee}
        return {COMMUNE: tracker.get_slot(COMMUNE)}

    def validate_commune(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> Dict[Text, Any]:
        intent = latest_intent(tracker)
        message = tracker.latest_message or {}
        activating = tracker.get_slot(REQUESTED_SLOT) is None
        topic = tracker.get_slot(TOPIC)
        place = message_place(kb(), message)

        if place.kind == "hub":
            return {ASKED_HUB: place.hub.id, **DONE}
        if place.kind in ("served", "uncovered"):
            return {COMMUNE: value, ASKED_HUB: None, OUTSIDE_PLACE: None, **DONE}
        if place.kind == "outside":
            return {COMMUNE: None, OUTSIDE_PLACE: outside_name(place.match), ASKED_HUB: None, **DONE}
        if place.kind == "ambiguous":
            utter_ambiguous(dispatcher, place.match)
            return {COMMUNE: None, **ASK}
        if place.kind == "unknown":
            # A place was given but is not one we know: never answer for the old commune.
            utter_unknown_place(dispatcher, place.match)
            return {COMMUNE: None, **ASK}

        # No place in this message.
        if activating:
            # A follow-up ("et les horaires ?", "on y va comment ?") stays on the hub
            # just asked about, unless the resident asks where *they* should go.
            if tracker.get_slot(ASKED_HUB) and topic != "where" and not points_at_own_place(message):
                return DONE
            if value or topic in GENERAL_TOPICS:
                return {ASKED_HUB: None, **DONE}
            return {ASKED_HUB: None, **ASK}
        if intent in TOPIC_OF_GENERAL_INTENTS:
            return {ASKED_HUB: None, **DONE}
        if intent not in QUESTION_INTENTS:
            # e.g. nlu_fallback: most likely a commune we could not read
            utter_unknown_place(dispatcher, None)
        return {COMMUNE: None}  # keeps the form going: it asks again
