"""Shared helpers for the actions: reading the tracker, locating the place a
message talks about (through the knowledge layer, never only NLU entities),
and the slot events that record the resident's commune.

No Action subclass lives here: one action per module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from rasa_sdk.executor import CollectingDispatcher

from actions import values
from knowledge import CommuneMatch, Hub, KnowledgeBase, get_knowledge
from knowledge.text import fold

FORM = "commune_form"

# Intent -> the topic action_answer_hub answers. `affirm` is the yes to
# utter_offer_hub ("voulez-vous que je vous indique où vous adresser ?").
TOPICS: Dict[Text, Text] = {
    "find_hub": "where",
    "inform": "where",
    "affirm": "where",
    "ask_address": "address",
    "ask_hours": "hours",
    "ask_open": "open",
    "ask_transport": "transport",
    "ask_opening_date": "opening_date",
    "ask_communes_served": "communes",
    "ask_professionals": "professionals",
    "ask_facilities": "facilities",
    "ask_digital": "digital",
}
# Topics that have a useful answer without a commune: every known hub.
GENERAL_TOPICS = {"communes", "opening_date", "professionals", "facilities", "digital"}
# Intents whose own topic beats a plain commune given later in the same form
# ("ouvert samedi ?" ... "Clamart" answers the opening question).
QUESTION_INTENTS = {i for i, t in TOPICS.items() if i not in ("inform", "affirm")}

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

# A hub is "named" by a word for the place followed by its city: "le pôle
# d'Asnières", "celui d'Issy", "le pôle social départemental d'Issy". "Quel pôle
# pour Asnières ?" or "horaires à Issy" are about the resident's commune (so is
# "l'antenne de …": antennas are not hubs and their addresses are not known).
HUB_WORDS = {"pole", "poles", "celui", "celle", "centre", "site", "locaux",
             "batiment", "structure", "psd"}
FILLERS = {"social", "sociale", "sociaux", "departemental", "departementale"}
PREPOSITIONS = {"de", "d", "du"}


# "mon pôle", "ma commune", "chez moi", "pour moi": back to the resident's own hub.
OWN = re.compile(r"\b(?:(?:mon|ma|mes|notre|nos) (?:pole|poles|commune|ville|secteur|quartier)"
                 r"|chez moi|pour moi|a moi|le mien|la mienne|j habite)\b")


def about_own_hub(text: Text) -> bool:
    return bool(OWN.search(fold(text)))


def kb() -> KnowledgeBase:
    return get_knowledge()


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> Text:
    return (tracker.latest_message or {}).get("text") or ""


def danger_situations(message: Dict[Text, Any]) -> List[Text]:
    """Danger situations found by the NLU's danger layer, most important first."""
    return [str(e.get("value")) for e in message.get("entities") or []
            if e.get("entity") == "danger" and e.get("value")]


def asked_helpline(message: Dict[Text, Any]) -> Optional[Text]:
    """The helpline number a question is about (the NLU's danger layer finds it)."""
    return next((str(e.get("value")) for e in message.get("entities") or []
                 if e.get("entity") == "helpline" and e.get("value")), None)


def chosen_service(message: Dict[Text, Any]) -> Optional[Text]:
    """A service id chosen with a button (`/ask_service{"service": "pmi"}`)."""
    return next((str(e.get("value")) for e in message.get("entities") or []
                 if e.get("entity") == "service" and e.get("value")), None)


def entity_values(message: Dict[Text, Any]) -> List[Text]:
    return [
        str(e.get("value"))
        for e in message.get("entities") or []
        if e.get("entity") in ("commune", "postal_code") and e.get("value")
    ]


@dataclass(frozen=True)
class Place:
    """What a message says about a place.

    kind: hub (a hub named by itself), served / uncovered (a commune of the 92),
    outside (not in the 92), ambiguous, unknown (a place was given but not
    recognised), none (no place at all).
    """

    kind: Text
    hub: Optional[Hub] = None
    match: Optional[CommuneMatch] = None


def named_hub(base: KnowledgeBase, text: Text) -> Optional[Hub]:
    """The hub a message names as a place ("le pôle d'Asnières"), or None."""
    words = fold(text).split()
    for i, word in enumerate(words):
        if word not in HUB_WORDS:
            continue
        j = i + 1
        while j < len(words) and words[j] in FILLERS:
            j += 1
        if j < len(words) and words[j] in PREPOSITIONS:
            hub = base.find_hub_in_text(" ".join(words[j + 1:j + 5]))
            if hub is not None:
                return hub
    return None


def locate(base: KnowledgeBase, text: Text, entities: List[Text] = ()) -> Place:
    """The place a message is about. The raw text is resolved by the knowledge
    layer; NLU entity values are only a second chance (a spelling the lookup
    tables know). A hub named as a place wins over the commune it sits in."""
    hub = named_hub(base, text)
    if hub is not None:
        return Place("hub", hub=hub)
    match = base.resolve_commune(text)
    if match.status == "unknown":
        for value in entities:
            other = base.resolve_commune(value)
            if other.status != "unknown":
                match = other
                break
    if match.status == "unknown":
        given = bool(entities) or bool(match.postal_code)
        return Place("unknown" if given else "none", match=match)
    return Place(match.status, hub=match.hub, match=match)


def commune_events(match: CommuneMatch) -> List[Dict[Text, Any]]:
    """Slots for a commune of the 92 given by the resident (replaces the old one)."""
    return [
        SlotSet("commune", match.commune.name),
        SlotSet("commune_insee", match.commune.insee),
        SlotSet("hub_id", match.hub.id if match.hub else None),
        SlotSet("outside_place", None),
    ]


def forget_commune() -> List[Dict[Text, Any]]:
    """The resident now says they live outside the 92: forget the old commune."""
    return [SlotSet("commune", None), SlotSet("commune_insee", None), SlotSet("hub_id", None)]


def outside_events(place_name: Text) -> List[Dict[Text, Any]]:
    """For the form: forget the commune and let action_answer_hub say "not covered"."""
    return forget_commune() + [SlotSet("outside_place", place_name)]


def outside_name(match: CommuneMatch) -> Text:
    """A printable name for a place outside the 92: the knowledge base's canonical
    name, or the 5 digits of a postal code (never the user's raw text)."""
    place = match.place or ""
    if place.isdigit():
        return place
    return place or "ce lieu"


def episode_messages(tracker: Tracker) -> List[Dict[Text, Any]]:
    """User messages of the current commune_form episode: the message that
    started the form (the last user message before its activation) and all
    user messages since."""
    events = tracker.events or []
    start = None
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if event.get("event") == "active_loop" and event.get("name") == FORM:
            start = i
            break
    if start is None:
        return [tracker.latest_message] if tracker.latest_message else []
    first_user = start
    for j in range(start - 1, -1, -1):
        if events[j].get("event") == "user":
            first_user = j
            break
    return [
        {
            "text": e.get("text") or "",
            "intent": (e.get("parse_data") or {}).get("intent", {}).get("name"),
            "entities": (e.get("parse_data") or {}).get("entities") or [],
        }
        for e in events[first_user:]
        if e.get("event") == "user"
    ]


def episode_question(messages: List[Dict[Text, Any]]) -> tuple[Text, Text]:
    """(topic, text of the message that asked it) for a form episode: the last
    real question, else the last message (a plain commune means "where")."""
    for message in reversed(messages):
        if message.get("intent") in QUESTION_INTENTS:
            return TOPICS[message["intent"]], message.get("text") or ""
    if messages:
        last = messages[-1]
        return TOPICS.get(last.get("intent"), "where"), last.get("text") or ""
    return "where", ""


def utter_where(dispatcher: CollectingDispatcher, base: KnowledgeBase, hub: Hub,
                commune: Optional[Text], today) -> None:
    """Where to go: the hub, its address, its usual week and the map."""
    dispatcher.utter_message(
        response="utter_hub_where_commune" if commune else "utter_hub_where_hub",
        commune=commune, **values.hub_values(base, hub, today))


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
