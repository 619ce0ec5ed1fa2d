"""After a danger answer (the helpline first, a domain response): the other
helplines the message called for, then the hub when the commune is known, or
the offer to find it (violence, a child in danger, nowhere to sleep). The offer
is `utter_offer_hub` run as the next action, so that the rules answering its
"oui" / "non" (data/rules/hubs.yml) apply."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    commune_events, danger_situations, kb, known_commune, latest_intent, message_place,
    utter_not_covered, utter_where,
)
from bot import clock

# Situations after which the pôle social can help too (its social workers).
HUB_HELPS = {"violence", "child", "no_shelter"}


class ActionAfterDanger(Action):
    def name(self) -> Text:
        return "action_after_danger"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        primary = (latest_intent(tracker) or "").removeprefix("danger_")
        situations = danger_situations(message) or [primary]
        for situation in situations:
            if situation != primary:
                dispatcher.utter_message(response=f"utter_danger_{situation}")
        if not HUB_HELPS & set(situations):
            return []
        base = kb()
        place = message_place(base, message)
        if place.kind == "served":
            utter_where(dispatcher, base, place.hub, place.match.commune.name, clock.now().date())
            return commune_events(place.match)
        if place.kind == "uncovered":
            utter_not_covered(dispatcher, base, place.match.commune.name)
            return commune_events(place.match)
        known = known_commune(base, tracker)
        if known.kind == "served":
            utter_where(dispatcher, base, known.hub, known.match.commune.name, clock.now().date())
            return []
        return [FollowupAction("utter_offer_hub")]
