"""All the services of the pôles sociaux, from the knowledge base."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import values
from actions.common import kb


class ActionListServices(Action):
    def name(self) -> Text:
        return "action_list_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        base = kb()
        facts = values.service_list_values(base)
        dispatcher.utter_message(response="utter_service_list", **facts)
        if facts["other_services"]:
            dispatcher.utter_message(response="utter_service_list_others", **facts)
        dispatcher.utter_message(response="utter_describe_need")
        return []
