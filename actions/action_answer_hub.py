"""Answers the hub question of commune_form, once the form is done.

Which question: the `topic` slot (from the question's intent; "Clamart" alone
means "where") and the `moment` slot ("ouvert samedi ?"). For which hub: a hub
the question named (`asked_hub`), else the hub of the resident's commune, as
the knowledge data gives it now (edited data is served at once). Uncovered
communes and places outside the 92 get no hub, ever.

The wording is in domain/replies.yml; this action chooses the responses and
computes their values (actions/values.py).
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import values
from actions.common import (
    ASKED_HUB, GENERAL_TOPICS, MOMENT, OUTSIDE_PLACE, TOPIC, guessed_service, kb, known_commune,
    latest_text, utter_closures, utter_digital, utter_freshness, utter_not_covered, utter_where,
)
from bot import clock
from knowledge import Hub, KnowledgeBase
from knowledge.french_time import Moment, moment_from_value


class ActionAnswerHub(Action):
    def name(self) -> Text:
        return "action_answer_hub"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        base = kb()
        now = clock.now()
        topic = tracker.get_slot(TOPIC) or "where"
        moment = moment_from_value(tracker.get_slot(MOMENT))
        question = latest_text(tracker)
        # The moment belongs to this question; `asked_hub` stays for follow-ups
        # (validate_commune_form decides when it ends).
        events: List[Dict[Text, Any]] = [SlotSet(OUTSIDE_PLACE, None), SlotSet(MOMENT, None)]

        outside = tracker.get_slot(OUTSIDE_PLACE)
        if outside:
            dispatcher.utter_message(response="utter_outside", place=outside)
            return events + [SlotSet(ASKED_HUB, None)]

        hub: Optional[Hub] = base.hub(tracker.get_slot(ASKED_HUB) or "")
        commune = None
        if hub is None:
            place = known_commune(base, tracker)
            if place.kind == "uncovered":
                utter_not_covered(dispatcher, base, place.match.commune.name)
                # the need told with the question still gets its service
                needs = base.services_for_need(question, professions=False)
                if topic == "digital" and base.service("numerique"):
                    needs = needs or [base.services_for_need("démarches en ligne")[0]]
                if needs:
                    dispatcher.utter_message(response="utter_service_named",
                                             **values.service_values(needs[0].service, needs[0].need))
                else:
                    utter_guessed_service(dispatcher, base, tracker.latest_message or {}, None)
                return events
            if place.kind == "served":
                hub, commune = place.hub, place.match.commune.name

        if hub is None:
            if topic in GENERAL_TOPICS:
                answer_without_hub(dispatcher, base, topic, now)
            else:  # not reachable through the form; stay honest anyway
                dispatcher.utter_message(response="utter_ask_commune")
            return events

        if topic == "where" and moment is not None:
            topic = "open"  # "et samedi ?" read as a plain inform: it asks about a moment
        answer(dispatcher, base, hub, commune, topic, moment, question, now,
               tracker.latest_message or {})
        return events


def answer(dispatcher: CollectingDispatcher, base: KnowledgeBase, hub: Hub, commune: Optional[Text],
           topic: Text, moment: Optional[Moment], question: Text, now,
           message: Optional[Dict[Text, Any]] = None) -> None:
    hub_facts = values.hub_values(base, hub, now.date())
    if topic == "address":
        dispatcher.utter_message(
            response="utter_hub_address_commune" if commune else "utter_hub_address_hub",
            commune=commune, **hub_facts)
    elif topic in ("hours", "open"):
        if topic == "hours" and moment is None:
            hours(dispatcher, base, hub, commune, hub_facts, now)
        else:
            if commune:
                dispatcher.utter_message(response="utter_for_commune", commune=commune, **hub_facts)
            open_at(dispatcher, base, hub, hub_facts, moment, now)
    elif topic == "transport":
        if hub.transport:
            dispatcher.utter_message(response="utter_hub_transport",
                                     **hub_facts, **values.transport_values(hub))
        else:
            dispatcher.utter_message(response="utter_hub_transport_unknown", **hub_facts)
    elif topic in CONTACT_TOPICS:
        if commune:
            dispatcher.utter_message(response="utter_for_commune", commune=commune, **hub_facts)
        contact(dispatcher, hub, topic, hub_facts)
    elif topic in GENERAL_TOPICS:
        hub_fact(dispatcher, base, topic, hub, now)
    else:
        utter_where(dispatcher, base, hub, commune, now.date())
        needs = [m for m in base.services_for_need(question)
                 if m.need not in {p.label for p in base.professions}]
        if needs and needs[0].service.id in hub.services:
            dispatcher.utter_message(response="utter_service_hint",
                                     **values.service_values(needs[0].service, needs[0].need))
        elif not needs:
            utter_guessed_service(dispatcher, base, message or {}, hub)


def utter_guessed_service(dispatcher, base: KnowledgeBase, message: Dict[Text, Any],
                          hub: Optional[Hub]) -> None:
    """A long message that names no need in so many words ("ma fille hurle toutes
    les nuits... on est à Montrouge"): the service the learnt need points to."""
    service = guessed_service(base, message)
    if service is not None and (hub is None or service.id in hub.services):
        dispatcher.utter_message(response="utter_service_guessed", **values.service_values(service))


# topic -> (Hub attribute, data field for its source, response); None: no data field
CONTACT_TOPICS = {
    "phone": ("telephone", "telephone", "utter_hub_phone"),
    "email": ("email", "courriel", "utter_hub_email"),
    "accessibility": ("accessibility", "accessibilite", "utter_hub_accessibility"),
    "appointment": (None, None, "utter_hub_appointment"),
    "languages": (None, None, "utter_hub_languages"),
}


def contact(dispatcher, hub: Hub, topic: Text, hub_facts) -> None:
    """The fact with its source, or that the data does not have it, first; then
    how to reach the hub. Never another fact in its place."""
    attribute, field, response = CONTACT_TOPICS[topic]
    value = getattr(hub, attribute) if attribute else None
    if value:
        dispatcher.utter_message(response=response, source=values.fact_source(hub, field),
                                 **{attribute: value}, **hub_facts)
        return
    dispatcher.utter_message(response=f"{response}_unknown", **hub_facts)
    if topic == "appointment" and hub.telephone:
        dispatcher.utter_message(response="utter_hub_phone", telephone=hub.telephone,
                                 source=values.fact_source(hub, "telephone"), **hub_facts)


def hours(dispatcher, base: KnowledgeBase, hub: Hub, commune: Optional[Text], hub_facts, now) -> None:
    dispatcher.utter_message(
        response="utter_hub_hours_commune" if commune else "utter_hub_hours_hub",
        commune=commune, **hub_facts)
    status = base.opening_status(hub, now)
    if status.is_open and status.closes_at:
        dispatcher.utter_message(response="utter_hub_open_now",
                                 closes_at=values.closes_at(status, now))
    elif not status.is_open and status.next_open:
        dispatcher.utter_message(response="utter_hub_closed_now",
                                 next_open=values.next_open(status, now))
    elif not status.is_open:
        dispatcher.utter_message(response="utter_hub_closed_now_no_reopening")
    utter_closures(dispatcher, base, hub, now.date())
    utter_freshness(dispatcher, hub)


CLOSED_BECAUSE = {
    # (reason, a holiday that day) -> response
    ("public_holiday", True): "utter_open_at_closed_holiday",
    ("public_holiday", False): "utter_open_at_closed_public_holiday",
    ("weekend", True): "utter_open_at_closed_weekend_holiday",
    ("weekend", False): "utter_open_at_closed_weekend",
}


def open_at(dispatcher, base: KnowledgeBase, hub: Hub, hub_facts, moment: Optional[Moment], now) -> None:
    """Open or closed at a moment (an instant, a whole day or a part of a day);
    a day of exceptional hours says so after the answer."""
    facts = dict(hub_facts)
    if moment is None or moment.kind == "instant":
        at = now if moment is None else moment.start
        facts["label"] = "en ce moment" if moment is None or moment.label == "maintenant" else moment.label
        status = base.opening_status(hub, at)
        if status.is_open:
            dispatcher.utter_message(
                response="utter_open_at_open" if status.closes_at else "utter_open_at_open_until_later",
                closes_at=values.closes_at(status, at), **facts)
        else:
            closed(dispatcher, status.reason, status.holiday_name, status.closure, facts)
            next_opening(dispatcher, status, now, facts)
        exceptional_hours(dispatcher, status.closure, facts)
        return
    facts["label"] = moment.label
    schedule = base.day_schedule(hub, moment.start.date())
    if moment.kind == "day":
        if schedule.intervals:
            dispatcher.utter_message(response="utter_open_at_open_hours",
                                     intervals=values.intervals(schedule.intervals), **facts)
            exceptional_hours(dispatcher, schedule.closure, facts)
            return
    else:  # a period ("demain matin"): open if an opening interval overlaps it
        start, end = moment.start.time(), (moment.end or moment.start).time()
        overlap = [(max(a, start), min(b, end)) for a, b in schedule.intervals if a < end and b > start]
        if overlap or schedule.intervals:
            dispatcher.utter_message(
                response="utter_open_at_open_hours" if overlap else "utter_open_at_closed_that_part_of_day",
                intervals=values.intervals(overlap or schedule.intervals), **facts)
            exceptional_hours(dispatcher, schedule.closure, facts)
            return
    closed(dispatcher, schedule.reason, schedule.holiday_name, schedule.closure, facts)
    next_opening(dispatcher, base.opening_status(hub, moment.start), now, facts)
    exceptional_hours(dispatcher, schedule.closure, facts)


def closed(dispatcher, reason: Text, holiday: Optional[Text], closure, facts) -> None:
    if reason == "temporary_closure":
        dispatcher.utter_message(response="utter_open_at_closed_temporarily",
                                 **values.closure_values(closure), **facts)
        return
    response = CLOSED_BECAUSE.get((reason, bool(holiday)), "utter_open_at_closed_hours")
    dispatcher.utter_message(response=response, holiday=holiday, **facts)


def exceptional_hours(dispatcher, closure, facts) -> None:
    """The day asked about has exceptional hours: say which, and why."""
    if closure is not None and not closure.closed_all_day:
        dispatcher.utter_message(response="utter_hub_exceptional_hours",
                                 **values.closure_values(closure), **facts)


def next_opening(dispatcher, status, now, facts) -> None:
    if status.next_open:
        dispatcher.utter_message(response="utter_open_at_next_opening",
                                 next_open=values.next_open(status, now), **facts)
    else:
        dispatcher.utter_message(response="utter_open_at_usual_hours", **facts)


def hub_fact(dispatcher, base: KnowledgeBase, topic: Text, hub: Hub, now) -> None:
    """A fact that does not depend on the resident's commune."""
    facts = values.hub_values(base, hub, now.date())
    if topic == "opening_date":
        if hub.opening_date:
            dispatcher.utter_message(response="utter_hub_opening_date",
                                     opening_date=values.opening_date(hub), **facts)
        else:
            dispatcher.utter_message(response="utter_hub_opening_date_unknown", **facts)
    elif topic == "communes":
        dispatcher.utter_message(response="utter_hub_communes_served", **facts)
    elif topic == "professionals":
        dispatcher.utter_message(response="utter_hub_professionals",
                                 **values.professions_values(base, [hub]))
    elif topic == "facilities":
        dispatcher.utter_message(response="utter_hub_facilities", **facts,
                                 **values.facilities_values(hub))
    elif topic == "digital":
        digital_service = base.service("numerique")
        if digital_service:
            dispatcher.utter_message(response="utter_digital_service",
                                     **values.service_values(digital_service))
        utter_digital(dispatcher, base, hub, now)


def answer_without_hub(dispatcher, base: KnowledgeBase, topic: Text, now) -> None:
    """A hub fact asked without a commune: give it for each known hub."""
    if topic == "communes":
        dispatcher.utter_message(response="utter_all_hubs_communes", hub_lines=values.hub_lines(base))
        return
    if topic == "professionals":
        groups: Dict[tuple, List[Hub]] = {}
        for hub in base.hubs:
            groups.setdefault(hub.professions, []).append(hub)
        for hubs in groups.values():
            dispatcher.utter_message(response="utter_hub_professionals",
                                     **values.professions_values(base, hubs))
    elif topic == "digital":
        digital_service = base.service("numerique")
        if digital_service:
            dispatcher.utter_message(response="utter_digital_service",
                                     **values.service_values(digital_service))
        for hub in base.hubs:
            utter_digital(dispatcher, base, hub, now)
    else:
        for hub in base.hubs:
            hub_fact(dispatcher, base, topic, hub, now)
    dispatcher.utter_message(response="utter_give_commune")
