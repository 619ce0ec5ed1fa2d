from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

GREETING = (
    "Bonjour, je suis l'assistant des pôles sociaux départementaux des Hauts-de-Seine. "
    "Indiquez-moi votre commune et je vous dirai où vous adresser."
)


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=GREETING)
        return []
