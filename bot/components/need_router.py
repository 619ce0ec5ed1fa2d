"""Long messages that describe a need reach the service, not a dead end.

Runs after the danger layer. The intent classifier is trained on short
questions; on a long story it often answers `out_of_scope`, `nlu_fallback`, or
a greeting found in its first words. When a message of more than
`short_message_words` words names a need the knowledge layer recognises
(knowledge `services_for_need`, or a question next to the remit such as a CAF
payment or the RSA rules) or that bot.components.need_classifier places in a
service with confidence, and the intent classifier's intent is one of those
that would not answer it, the intent becomes `ask_service`:
action_find_service then reads the whole text, and the commune in it.

Danger intents, `ask_helpline` and the hub questions (where to go, hours,
address, open...) are never changed here: their answer already names the
service a need calls for (action_answer_hub).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from knowledge import get_knowledge
from knowledge.text import word_count

ASK_SERVICE = "ask_service"
# Intents that leave a described need unanswered when the message is long.
ROUTABLE = frozenset({
    "out_of_scope", "nlu_fallback", "other_language", "greet", "help", "inform", "list_services",
})
# A learnt guess alone (no keyword) routes only these: the classifier did not
# know what the message was. Conversation acts (thanks, yes, no, bye, "are you a
# robot?") stay what they are, however long.
GUESS_ROUTABLE = frozenset({"out_of_scope", "nlu_fallback", "other_language", "greet", "help"})
SHORT_MESSAGE_WORDS = 8
# A learnt guess alone (bot.components.need_classifier) routes from this probability
# (checked by cross-validation on the learning part: python -m bench.danger_cv --need).
GUESS_CONFIDENCE = 0.5


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class NeedRouter(GraphComponent):
    """Turns a long message with a recognised need into `ask_service`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"short_message_words": SHORT_MESSAGE_WORDS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.short_words = int(config.get("short_message_words", SHORT_MESSAGE_WORDS))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "NeedRouter":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.process_one(message)
        return messages

    def process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if not text or text.startswith("/") or word_count(text) <= self.short_words:
            return
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
        if intent not in ROUTABLE:
            return
        base = get_knowledge()
        # A profession named in passing ("le médecin m'a dit") is not a need.
        keywords = base.services_for_need(text, professions=False)
        adjacent = base.adjacent_question(text)
        guess = (message.get("need_guess") or {}).get("ranking") or []
        confident = bool(guess) and guess[0]["name"] in {s.id for s in base.services} \
            and guess[0]["probability"] >= GUESS_CONFIDENCE
        if not (keywords or adjacent or (confident and intent in GUESS_ROUTABLE)):
            return
        routed = {INTENT_NAME_KEY: ASK_SERVICE, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [g for g in message.get(INTENT_RANKING_KEY) or []
                   if g.get(INTENT_NAME_KEY) != ASK_SERVICE]
        message.set(INTENT, routed, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [routed, *ranking], add_to_output=True)
