"""A question about one helpline ("qui peut appeler le 119 ?", "le 3919 c'est
anonyme ?"): that helpline's own facts, never another number in its place."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import asked_helpline, kb


class ActionHelplineInfo(Action):
    def name(self) -> Text:
        return "action_helpline_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helpline = kb().helpline(asked_helpline(tracker.latest_message or {}) or "")
        if helpline is None:
            dispatcher.utter_message(response="utter_helpline_unknown")
            return []
        dispatcher.utter_message(
            response="utter_helpline_info" if helpline.free else "utter_helpline_info_not_free",
            number=helpline.number, name=helpline.name, purpose=helpline.purpose,
            hours=helpline.hours, details=helpline.details)
        return []
