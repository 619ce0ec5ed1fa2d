"""Shared helpers for the actions: the dialogue state (slot names, intents),
the place a message gives (read from the NLU's canonical entities, never from
the text), and the responses several actions send.

No Action subclass lives here: one action per module.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import values
from knowledge import CommuneMatch, Hub, KnowledgeBase, Service, get_knowledge
from knowledge.places import Place, commune_place, from_entities
from knowledge.services import choose_service
from knowledge.text import word_count

# Slots (domain/hubs.yml, domain/replies.yml)
COMMUNE = "commune"            # INSEE code of the resident's commune (92)
ASKED_HUB = "asked_hub"        # id of a hub a question named
OUTSIDE_PLACE = "outside_place"  # a place outside the 92, one turn
TOPIC = "topic"                # what the hub question asks (from its intent)
MOMENT = "moment"              # the moment asked about (canonical, see french_time)
EASY_READ = "easy_read"        # the easy-to-read (FALC) variants of every response
REQUESTED_SLOT = "requested_slot"

FORM = "commune_form"
# Topics that have a useful answer without a commune: every known hub.
GENERAL_TOPICS = {"communes", "opening_date", "professionals", "facilities", "digital"}
# Intents that ask a hub question (their topic is the `topic` slot's mapping).
QUESTION_INTENTS = {
    "find_hub", "ask_address", "ask_hours", "ask_open", "ask_transport", "ask_opening_date",
    "ask_phone", "ask_email", "ask_appointment", "ask_accessibility", "ask_languages",
    "ask_communes_served", "ask_professionals", "ask_facilities", "ask_digital",
}
TOPIC_OF_GENERAL_INTENTS = {"ask_communes_served": "communes", "ask_opening_date": "opening_date",
                            "ask_professionals": "professionals", "ask_facilities": "facilities",
                            "ask_digital": "digital"}

DANGER_INTENTS = {
    "danger_violence", "danger_child", "danger_suicide",
    "danger_no_shelter", "danger_medical", "danger_cannot_speak",
}
SERVICE_INTENTS = {"ask_service", "list_services"}
# While the form asks for the commune, these are not an answer: the form rejects
# them and a rule replies (and leaves the form for stop/deny/goodbye/danger).
NOT_AN_ANSWER = DANGER_INTENTS | {
    "stop", "deny", "goodbye", "greet", "thank", "bot_challenge", "help",
    "out_of_scope", "other_language", "ask_service", "list_services", "ask_helpline",
    "ask_easy_read", "ask_standard_read",
}
# The place entities of bot/components/place_extractor.py
PLACE_ENTITIES = ("commune", "postal_code", "hub", "outside_place", "ambiguous_place",
                  "unknown_place")


def kb() -> KnowledgeBase:
    return get_knowledge()


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> Text:
    return (tracker.latest_message or {}).get("text") or ""


def entity_value(message: Dict[Text, Any], entity: Text) -> Any:
    return next((e.get("value") for e in message.get("entities") or []
                 if e.get("entity") == entity and e.get("value") not in (None, "")), None)


def danger_situations(message: Dict[Text, Any]) -> List[Text]:
    """Danger situations found by the NLU's danger layer, most important first."""
    return [str(e.get("value")) for e in message.get("entities") or []
            if e.get("entity") == "danger" and e.get("value")]


def asked_helpline(message: Dict[Text, Any]) -> Optional[Text]:
    """The helpline number a question is about (the NLU's danger layer finds it)."""
    value = entity_value(message, "helpline")
    return str(value) if value else None


def chosen_service(message: Dict[Text, Any]) -> Optional[Text]:
    """A service id chosen with a button (`/ask_service{"service": "pmi"}`)."""
    value = entity_value(message, "service")
    return str(value) if value else None


# A message longer than this is a long one: the need learnt from real messages applies,
# a profession named in passing is not the need, and a fallback offers the services.
LONG_MESSAGE_WORDS = 8


def need_ranking(message: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """The NLU need classifier's services with their probabilities, most likely first."""
    return (message.get("need_guess") or {}).get("ranking") or []


def guessed_service(base: KnowledgeBase, message: Dict[Text, Any]) -> Optional[Service]:
    """The service the NLU's need classifier (learnt from real messages) is
    confident about, for a long message whose words name no need."""
    if word_count(message.get("text") or "") <= LONG_MESSAGE_WORDS:
        return None
    picked = choose_service(None, need_ranking(message), [s.id for s in base.services])
    return base.service(picked) if picked else None


def message_place(base: KnowledgeBase, message: Dict[Text, Any]) -> Place:
    """The place the latest message gives, from the PlaceExtractor's entities."""
    return from_entities(base, {kind: entity_value(message, kind) for kind in PLACE_ENTITIES})


def points_at_own_place(message: Dict[Text, Any]) -> bool:
    """"mon pôle", "chez moi", "où dois-je aller": back to the resident's commune."""
    return bool(entity_value(message, "own_place"))


def known_commune(base: KnowledgeBase, tracker: Tracker) -> Place:
    """The resident's commune from the slot, with its hub as the data says now."""
    insee = tracker.get_slot(COMMUNE)
    return commune_place(base, str(insee)) if insee else Place("none")


def commune_events(match: CommuneMatch) -> List[Dict[Text, Any]]:
    """The resident's commune (a commune of the 92), replacing the old one."""
    return [SlotSet(COMMUNE, match.commune.insee), SlotSet(OUTSIDE_PLACE, None)]


def outside_name(match: CommuneMatch) -> Text:
    """A printable name for a place outside the 92: the knowledge base's canonical
    name, or the 5 digits of a postal code (never the user's raw text)."""
    return match.place or "ce lieu"


# ------------------------------------------------------------------ shared replies

def utter_where(dispatcher: CollectingDispatcher, base: KnowledgeBase, hub: Hub,
                commune: Optional[Text], today) -> None:
    """Where to go: the hub, its address, its usual week and the map."""
    dispatcher.utter_message(
        response="utter_hub_where_commune" if commune else "utter_hub_where_hub",
        commune=commune, **values.hub_values(base, hub, today))
    utter_closures(dispatcher, base, hub, today)
    utter_freshness(dispatcher, hub)


def utter_closures(dispatcher: CollectingDispatcher, base: KnowledgeBase, hub: Hub, today) -> None:
    """Closures and exceptional hours under way or starting within 14 days, so
    that nobody is sent to a closed door."""
    for closure in base.closures_to_announce(hub, today):
        if not closure.closed_all_day:
            response = "utter_hub_exceptional_hours"
        else:
            response = "utter_hub_closed_temporarily" if closure.start <= today else "utter_hub_closure_ahead"
        dispatcher.utter_message(response=response, hub=values.hub_short(hub), **values.closure_values(closure))


def utter_freshness(dispatcher: CollectingDispatcher, hub: Hub) -> None:
    """When the hub's information was last checked (its date_maj), if known."""
    if hub.updated:
        dispatcher.utter_message(response="utter_hub_freshness",
                                 updated=hub.updated.strftime("%d/%m/%Y"))


def utter_not_covered(dispatcher: CollectingDispatcher, base: KnowledgeBase, commune: Text) -> None:
    """A commune of the 92 whose hub the sources do not give: no address, ever."""
    dispatcher.utter_message(response="utter_not_covered", commune=commune,
                             **values.covered_values(base))


def utter_digital(dispatcher: CollectingDispatcher, base: KnowledgeBase, hub: Hub, now) -> None:
    """What a hub offers for online procedures, or that the sources do not say."""
    facts = values.hub_values(base, hub, now.date())
    if hub.digital_facilities:
        dispatcher.utter_message(response="utter_hub_digital", **facts,
                                 **values.facilities_values(hub, digital=True))
    else:
        dispatcher.utter_message(response="utter_hub_digital_unknown", **facts)


def utter_ambiguous(dispatcher: CollectingDispatcher, match: CommuneMatch) -> None:
    """A place that spans several communes, or a postal code shared by several."""
    communes = values.join_fr([c.name for c in match.candidates])
    if match.place:
        dispatcher.utter_message(response="utter_ambiguous_place", place=match.place,
                                 communes=communes)
    else:
        dispatcher.utter_message(response="utter_ambiguous", communes=communes)


def utter_unknown_place(dispatcher: CollectingDispatcher, match: Optional[CommuneMatch]) -> None:
    """A place was given but is not one the knowledge base knows."""
    code = match.postal_code if match else None
    if code and code.isdigit():
        dispatcher.utter_message(response="utter_unknown_postal_code", code=code)
    else:
        dispatcher.utter_message(response="utter_unknown_place")
