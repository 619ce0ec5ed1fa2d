"""Validation of commune_form: the one place where a message becomes a place.

The form is the path of every hub question. This action decides, from the raw
text resolved by the knowledge layer (NLU entities only as a second chance):
- a commune of the 92 (or its postal code) -> fill `commune`, done;
- a hub named by the question -> done, answered for that hub (`asked_hub`),
  the resident's commune is kept; follow-ups stay on that hub until the
  resident gives a commune, asks where to go, or says "mon pôle";
- a place outside the 92 -> done (`outside_place`), answered "not covered";
- nothing new, but the commune is already known, or the question has an
  answer without one (communes served...) -> done;
- otherwise -> the form asks for the commune.
While the form waits for the commune, a message that is not an answer (danger,
a need, stop, deny, greeting... without a place) is rejected (no events), so
that a rule answers it. Danger is rejected even when it names a commune.

A plain Action rather than FormValidationAction: the decision depends on the
question as a whole, not on one slot value.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    about_own_hub,
    DANGER_INTENTS,
    GENERAL_TOPICS,
    NOT_AN_ANSWER,
    SERVICE_INTENTS,
    TOPICS,
    commune_events,
    entity_values,
    episode_question,
    episode_messages,
    kb,
    latest_intent,
    latest_text,
    locate,
    outside_events,
    outside_name,
    utter_ambiguous,
    utter_unknown_place,
)

DONE = SlotSet("requested_slot", None)
ASK = SlotSet("requested_slot", "commune")


class ValidateCommuneForm(Action):
    def name(self) -> Text:
        return "validate_commune_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = latest_intent(tracker)
        activating = tracker.get_slot("requested_slot") is None
        if intent in DANGER_INTENTS:
            return []  # safety rules win, even if the message names a commune
        if not activating and intent in SERVICE_INTENTS:
            return []  # the service is answered by its rule (which keeps a commune named)
        base = kb()
        topic, _ = episode_question(episode_messages(tracker))
        place = locate(base, latest_text(tracker), entity_values(tracker.latest_message or {}))

        if place.kind == "hub":
            return [SlotSet("asked_hub", place.hub.id), DONE]
        if place.kind in ("served", "uncovered"):
            return commune_events(place.match) + [SlotSet("asked_hub", None), DONE]
        if place.kind == "outside":
            return outside_events(outside_name(place.match)) + [SlotSet("asked_hub", None), DONE]
        if place.kind == "ambiguous":
            utter_ambiguous(dispatcher, place.match)
            return [SlotSet("commune", None), ASK]
        if place.kind == "unknown" and (intent in ("inform", "find_hub") or not activating
                                        or place.match.postal_code):
            # A place was given but is not one we know: never answer for the old commune.
            utter_unknown_place(dispatcher, place.match)
            return [SlotSet("commune", None), SlotSet("commune_insee", None),
                    SlotSet("hub_id", None), ASK]

        # No place in this message (or only a doubtful NLU entity in a question).
        if activating:
            # A follow-up ("et les horaires ?", "on y va comment ?") stays on the hub
            # just asked about, unless the resident asks where *they* should go.
            if (tracker.get_slot("asked_hub") and topic != "where"
                    and not about_own_hub(latest_text(tracker))):
                return [DONE]
            if tracker.get_slot("commune") or topic in GENERAL_TOPICS:
                return [SlotSet("asked_hub", None), DONE]
            return [SlotSet("asked_hub", None), ASK]
        if intent in NOT_AN_ANSWER:
            return []  # reject: a rule answers, then the form asks again or stops
        if TOPICS.get(intent) in GENERAL_TOPICS:
            return [SlotSet("asked_hub", None), DONE]
        if intent not in TOPICS:
            # e.g. nlu_fallback: most likely a commune we could not read
            utter_unknown_place(dispatcher, None)
        return [SlotSet("commune", None)]  # keeps the form going: it asks again
