"""The question commune_form asks (Rasa looks up `action_ask_<slot>`)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies


class ActionAskCommune(Action):
    def name(self) -> Text:
        return "action_ask_commune"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=replies.ASK_COMMUNE)
        return []
