"""nlu_fallback: if the text still names a place (a misspelt commune, a postal
code the model never saw), answer where to go; if it is plainly in another
language, say so; otherwise ask to rephrase with the main topics as buttons.
Commune names never depend on retraining."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import values
from actions.common import (
    COMMUNE, LONG_MESSAGE_WORDS, commune_events, kb, latest_text, message_place, outside_name,
    utter_ambiguous, utter_not_covered, utter_where,
)
from bot import clock
from knowledge import danger
from knowledge.text import fold, word_count

# Common English / Spanish words that are not French words: a fallback message
# made mostly of them is another language, not a French message we missed.
FOREIGN_WORDS = set("""
the where is are can could i you my me what how please hello hi help find need
office centre center open today do does speak english who when which with
donde esta estan necesito ayuda hola quiero oficina hablas ingles espanol gracias
""".split())



# Below the NLU threshold, a danger intent still wins when it is the best guess:
# a helpline given needlessly costs little, a missed one can cost a lot.
DANGER_GUESS_MIN_CONFIDENCE = 0.3


def likely_danger(tracker: Tracker) -> Text | None:
    """The danger intent the NLU guessed with low confidence, if it is its best guess,
    for a short message. In a longer one the NLU's danger layer has read every
    sentence: a guess it did not confirm is not enough (bot/components/danger_layer.py)."""
    if word_count(latest_text(tracker)) > LONG_MESSAGE_WORDS:
        return None
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    guesses = [r for r in ranking if r.get("name") != "nlu_fallback"]
    if not guesses:
        return None
    best = guesses[0]
    name = best.get("name") or ""
    if name.startswith("danger_") and (best.get("confidence") or 0) >= DANGER_GUESS_MIN_CONFIDENCE:
        return name
    return None


def looks_foreign(text: Text) -> bool:
    words = fold(text).split()
    foreign = sum(word in FOREIGN_WORDS for word in words)
    return foreign >= 2 and foreign * 2 >= len(words)


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        guess = likely_danger(tracker)
        if guess:
            dispatcher.utter_message(response=f"utter_{guess}")
            return []
        base = kb()
        place = message_place(base, tracker.latest_message or {})
        if place.kind == "hub":
            utter_where(dispatcher, base, place.hub, None, clock.now().date())
            return []
        if place.kind == "served":
            utter_where(dispatcher, base, place.hub, place.match.commune.name, clock.now().date())
            return commune_events(place.match)
        if place.kind == "uncovered":
            utter_not_covered(dispatcher, base, place.match.commune.name)
            return commune_events(place.match)
        if place.kind == "outside":
            dispatcher.utter_message(response="utter_outside", place=outside_name(place.match))
            return [SlotSet(COMMUNE, None)]
        if looks_foreign(latest_text(tracker)):
            dispatcher.utter_message(response="utter_other_language")
            return []
        if place.kind == "ambiguous":
            utter_ambiguous(dispatcher, place.match)
            dispatcher.utter_message(response="utter_ask_commune")
            return []
        text = latest_text(tracker)
        if word_count(text) > LONG_MESSAGE_WORDS:
            # What it did understand: distress words; then the services, as buttons.
            if danger.distressed(text):
                dispatcher.utter_message(response="utter_distress")
            dispatcher.utter_message(response="utter_clarify_long",
                                     buttons=values.service_buttons(base))
            return []
        dispatcher.utter_message(response="utter_clarify")
        return []
