"""A need in plain words -> the service and the professionals, and where to go
when the commune is known (from this message or from earlier)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import values
from bot import clock
from knowledge import ServiceMatch
from knowledge.services import choose_service
from knowledge.text import word_count
from actions.common import (
    ASKED_HUB, COMMUNE, LONG_MESSAGE_WORDS, chosen_service, commune_events, kb, known_commune,
    latest_text, message_place, need_ranking, outside_name, points_at_own_place, utter_digital,
)




class ActionFindService(Action):
    def name(self) -> Text:
        return "action_find_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        base = kb()
        text = latest_text(tracker)
        chosen = base.service(chosen_service(tracker.latest_message or {}) or "")
        adjacent = None if chosen else base.adjacent_question(text)
        matches = [] if chosen else base.services_for_need(text)
        if word_count(text) > LONG_MESSAGE_WORDS:
            # in a long message a profession named in passing is not the need
            matches = base.services_for_need(text, professions=False) or matches
        if chosen is None:
            # the keywords' service, unless the need learnt from real messages disagrees
            keyword = adjacent.service if adjacent else (matches[0].service.id if matches else None)
            guess = need_ranking(tracker.latest_message or {})
            picked = choose_service(keyword, guess, [s.id for s in base.services],
                                    short=word_count(text) <= LONG_MESSAGE_WORDS)
            if picked != keyword:
                adjacent = None
                matches = [m for m in matches if m.service.id == picked] or [
                    whole_service(base, picked)]
        if adjacent is not None:
            matches = [m for m in matches if m.service.id == adjacent.service] or [
                whole_service(base, adjacent.service)]
        elif chosen is not None:
            matches = [whole_service(base, chosen.id)]
        if not matches:
            dispatcher.utter_message(response="utter_no_service_found",
                                     services=values.join_fr([s.name for s in base.services]),
                                     buttons=values.service_buttons(base))
            return []
        best = matches[0]
        if adjacent is not None:
            dispatcher.utter_message(response="utter_adjacent_answer", answer=adjacent.answer,
                                     answer_falc=adjacent.easy_answer or adjacent.answer)
        utter_service(dispatcher, base, best, matches)

        events: List[Dict[Text, Any]] = []
        message = tracker.latest_message or {}
        place = message_place(base, message)
        if place.kind == "hub":  # "le pôle d'Issy fait de la PMI ?": that hub, commune kept
            offer(dispatcher, base, place.hub, best.service, None)
            return []
        if place.kind in ("served", "uncovered"):
            events = commune_events(place.match)
        elif place.kind == "outside":
            dispatcher.utter_message(response="utter_outside",
                                     place=outside_name(place.match))
            return [SlotSet(COMMUNE, None)]
        elif base.hub(tracker.get_slot(ASKED_HUB) or "") and not points_at_own_place(message):
            # still talking about the hub asked about just before ("et la PMI, ils font ?")
            offer(dispatcher, base, base.hub(tracker.get_slot(ASKED_HUB)), best.service, None)
            return []
        else:
            place = known_commune(base, tracker)

        if place.kind == "served":
            offer(dispatcher, base, place.hub, best.service, place.match.commune.name)
        elif place.kind == "uncovered":
            dispatcher.utter_message(response="utter_not_covered_short",
                                     commune=place.match.commune.name)
        else:
            dispatcher.utter_message(response="utter_ask_commune_for_service")
        return events


def utter_service(dispatcher: CollectingDispatcher, base, best: ServiceMatch,
                  matches: List[ServiceMatch]) -> None:
    """The service for the need: by its name, for a need, or where a profession works."""
    professions = {p.label: p.label_plural for p in base.professions}
    by_profession = professions.get(best.need)
    if by_profession:
        services = [best] + [m for m in matches[1:] if m.need == best.need]
        dispatcher.utter_message(
            response="utter_service_by_profession", professions=by_profession,
            services=values.join_fr([m.service.name for m in services]),
            services_falc=values.join_fr([m.service.easy_name or m.service.name for m in services]))
        return
    facts = values.service_values(best.service, best.need)
    dispatcher.utter_message(
        response="utter_service_itself" if best.need == best.service.name else "utter_service_for_need",
        **facts)
    people = values.join_fr([p.label_plural for p in best.professions])
    if people:
        dispatcher.utter_message(response="utter_service_people", professions=people)


def whole_service(base, service_id: Text) -> ServiceMatch:
    """The service itself, asked for by name or reached through a nearby question."""
    service = base.service(service_id)
    return ServiceMatch(service, service.name, "",
                        tuple(p for p in base.professions if p.id in service.professions))


def offer(dispatcher: CollectingDispatcher, base, hub, service, commune) -> None:
    """Where this service is, at a given hub (only if the sources say it is there)."""
    facts = values.hub_values(base, hub, clock.now().date())
    if service.id not in hub.services:
        dispatcher.utter_message(response="utter_service_not_documented", **facts)
        return
    dispatcher.utter_message(
        response="utter_service_at_hub_commune" if commune else "utter_service_at_hub",
        commune=commune, **facts)
    if service.id == "numerique":
        utter_digital(dispatcher, base, hub, clock.now())
