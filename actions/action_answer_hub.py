"""Answers the hub question that started commune_form, once the form is done.

Which question: the last hub question of the form episode ("ouvert samedi ?"
then "Clamart" answers the opening question; "Clamart" alone means "where").
For which hub: a hub the question (or the one before) named (`asked_hub`),
else the hub of the resident's commune, re-resolved now so that edited knowledge data is served
at once. Uncovered communes and places outside the 92 get no hub, ever.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.common import GENERAL_TOPICS, episode_messages, episode_question, kb
from bot import clock
from knowledge import Hub, KnowledgeBase
from knowledge.french_time import parse_moment


class ActionAnswerHub(Action):
    def name(self) -> Text:
        return "action_answer_hub"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        base = kb()
        now = clock.now()
        messages = episode_messages(tracker)
        topic, question = episode_question(messages)
        # `asked_hub` stays for follow-ups; validate_commune_form decides when it ends.
        events: List[Dict[Text, Any]] = [SlotSet("outside_place", None)]

        outside = tracker.get_slot("outside_place")
        if outside:
            dispatcher.utter_message(text=replies.outside(outside))
            return events + [SlotSet("asked_hub", None)]

        hub: Optional[Hub] = base.hub(tracker.get_slot("asked_hub") or "")
        commune = None
        if hub is None and tracker.get_slot("commune"):
            match = base.resolve_commune(tracker.get_slot("commune"))
            if match.status == "uncovered":
                dispatcher.utter_message(text=replies.not_covered(base, match.commune.name))
                # the need told with the question still gets its service
                needs = base.services_for_need(question, professions=False)
                if topic == "digital" and base.service("numerique"):
                    needs = needs or [base.services_for_need("démarches en ligne")[0]]
                if needs:
                    dispatcher.utter_message(text=replies.service_named(needs[0]))
                return events + [SlotSet("hub_id", None)]
            if match.status == "served":
                hub, commune = match.hub, match.commune.name
                events.append(SlotSet("hub_id", hub.id))

        if hub is None:
            if topic in GENERAL_TOPICS or topic == "communes":
                dispatcher.utter_message(text=general_answer(base, topic))
            else:  # not reachable through the form; stay honest anyway
                dispatcher.utter_message(text=replies.ASK_COMMUNE)
            return events

        texts = [question] + [m.get("text") or "" for m in reversed(messages)]
        if topic == "where" and parse_moment(question, now):
            topic = "open"  # "et samedi ?" read as a plain inform: it asks about a moment
        dispatcher.utter_message(text=answer(base, hub, commune, topic, texts, now))
        return events


def answer(base: KnowledgeBase, hub: Hub, commune: Optional[Text], topic: Text,
           texts: List[Text], now) -> Text:
    if topic == "address":
        return replies.address(hub, commune)
    if topic in ("hours", "open"):
        moment = next((m for m in (parse_moment(t, now) for t in texts) if m), None)
        if topic == "hours" and moment is None:
            return replies.hours(base, hub, commune, now)
        text = replies.open_at(base, hub, moment, now)
        return f"Pour {commune}, {text[0].lower()}{text[1:]}" if commune else text
    if topic == "transport":
        return replies.transport(hub)
    if topic == "opening_date":
        return replies.opening_date(hub)
    if topic == "communes":
        return replies.communes_served(base, hub)
    if topic == "professionals":
        return replies.professionals(base, [hub])
    if topic == "facilities":
        return replies.facilities(hub)
    if topic == "digital":
        return "\n".join(t for t in (replies.digital_service(base), replies.digital(hub)) if t)
    text = replies.where(base, hub, commune, now.date())
    needs = [m for m in base.services_for_need(texts[0]) if m.need not in
             {p.label for p in base.professions}]
    hint = replies.service_hint(needs[0], hub) if needs else None
    return f"{text}\n{hint}" if hint else text


def general_answer(base: KnowledgeBase, topic: Text) -> Text:
    """A hub fact asked without a commune: give it for each known hub."""
    if topic == "communes":
        return replies.all_hubs_communes(base)
    if topic == "professionals":
        groups: Dict[tuple, List[Hub]] = {}
        for hub in base.hubs:
            groups.setdefault(hub.professions, []).append(hub)
        lines = "\n".join(replies.professionals(base, hubs) for hubs in groups.values())
    else:
        pick = {"opening_date": replies.opening_date, "facilities": replies.facilities,
                "digital": replies.digital}[topic]
        lines = "\n".join(pick(hub) for hub in base.hubs)
        if topic == "digital":
            lines = "\n".join(t for t in (replies.digital_service(base), lines) if t)
    return (lines + "\nDonnez-moi votre commune et je vous dirai quel pôle vous accueille.")
