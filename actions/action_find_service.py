"""A need in plain words -> the service and the professionals, and where to go
when the commune is known (from this message or from earlier)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from knowledge import ServiceMatch
from knowledge.services import choose_service
from knowledge.text import word_count
from actions.common import (
    about_own_hub,
    chosen_service,
    commune_events,
    entity_values,
    kb,
    latest_text,
    locate,
    forget_commune,
    outside_name,
)


LONG_MESSAGE_WORDS = 8


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
            guess = ((tracker.latest_message or {}).get("need_guess") or {}).get("ranking") or []
            picked = choose_service(keyword, guess, [s.id for s in base.services])
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
            dispatcher.utter_message(text=replies.no_service_found(base),
                                     buttons=replies.service_buttons(base))
            return []
        best = matches[0]
        professions = {p.label: p.label_plural for p in base.professions}
        by_profession = professions.get(best.need)
        others = [m for m in matches[1:] if m.need == best.need] if by_profession else []
        parts = [replies.service_for_need(best, by_profession, others)]
        if adjacent is not None:
            parts.insert(0, adjacent.answer)

        events: List[Dict[Text, Any]] = []
        place = locate(base, text, entity_values(tracker.latest_message or {}))
        if place.kind == "hub":  # "le pôle d'Issy fait de la PMI ?": that hub, commune kept
            parts.append(offer(place.hub, best.service, None))
            dispatcher.utter_message(text="\n".join(parts))
            return []
        if place.kind in ("served", "uncovered"):
            events = commune_events(place.match)
            match = place.match
        elif place.kind == "outside":
            dispatcher.utter_message(text=parts[0])
            dispatcher.utter_message(text=replies.outside(outside_name(place.match)))
            return forget_commune()
        elif base.hub(tracker.get_slot("asked_hub") or "") and not about_own_hub(text):
            # still talking about the hub asked about just before ("et la PMI, ils font ?")
            parts.append(offer(base.hub(tracker.get_slot("asked_hub")), best.service, None))
            dispatcher.utter_message(text="\n".join(parts))
            return []
        elif tracker.get_slot("commune"):
            match = base.resolve_commune(tracker.get_slot("commune"))
        else:
            match = None

        if match is not None and match.status == "served":
            parts.append(offer(match.hub, best.service, match.commune.name))
        elif match is not None and match.status == "uncovered":
            parts.append(f"Pour {match.commune.name}, {replies.NOT_COVERED}.")
        else:
            parts.append("Indiquez-moi votre commune et je vous dirai où vous adresser.")
        dispatcher.utter_message(text="\n".join(parts))
        return events


def whole_service(base, service_id: Text) -> ServiceMatch:
    """The service itself, asked for by name or reached through a nearby question."""
    service = base.service(service_id)
    return ServiceMatch(service, service.name, "",
                        tuple(p for p in base.professions if p.id in service.professions))


def offer(hub, service, commune) -> Text:
    """Where this service is, at a given hub (only if the sources say it is there)."""
    if service.id not in hub.services:
        return (f"Les documents dont je dispose ne disent pas si ce service est proposé au "
                f"{replies.hub_name(hub)}.")
    who = f"Pour {commune}, adressez-vous" if commune else "Ce service est proposé"
    text = f"{who} au {replies.hub_name(hub)} : {hub.full_address}.\nPlan : {hub.osm_url}"
    if service.id == "numerique":
        text += "\n" + replies.digital(hub)
    return text
