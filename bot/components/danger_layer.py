"""Safety first, on every message: the danger layer of the NLU pipeline.

Runs after the intent classifier and the FallbackClassifier, whatever they
predicted, and whatever the dialogue state (a form may be active: the danger
rules win over it). It reads the message with knowledge.danger, sentence by
sentence, and:

- a danger found -> intent `danger_<situation>` for the most important one,
  confidence 1.0; every situation found is also given as a `danger` entity, in
  order, so that the follow-up action gives the other helplines too;
  `danger_urgent` says it is happening now;
- no danger, but a question about one helpline ("qui peut appeler le 119 ?")
  -> intent `ask_helpline`, with the number as a `helpline` entity;
- no cue and no question, in a message of more than SHORT_MESSAGE_WORDS words,
  but bot.components.danger_classifier (trained on the danger examples and on
  the real messages' learning part) gives a situation a probability of at
  least `classifier_threshold` -> that danger, as above;
- otherwise, a danger intent guessed by the intent classifier (DIET) is kept
  for a short message (up to SHORT_MESSAGE_WORDS words: the training data
  teaches short, direct phrasings), and replaced by its next guess for a longer
  one. DIET's danger guesses on long stories were the main source of wrong
  helplines (tests/nlu/real/README.md).

The original prediction stays in `intent_ranking`. No message text is logged.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE, EXTRACTOR, INTENT,
    INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from knowledge import danger
from knowledge.text import word_count

DANGER_PREFIX = "danger_"
ASK_HELPLINE = "ask_helpline"
FALLBACK = "nlu_fallback"
SHORT_MESSAGE_WORDS = 8
# Chosen on the learning part (cross-validated by source page): recall against
# wrong helplines (bench/README.md, "Danger layer").
CLASSIFIER_THRESHOLD = 0.5
NAME = "DangerLayer"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DangerLayer(GraphComponent):
    """Overrides the intent when a message describes a danger (see module doc)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"short_message_words": SHORT_MESSAGE_WORDS, "language": "fr",
                "classifier_threshold": CLASSIFIER_THRESHOLD}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.short_words = int(config.get("short_message_words", SHORT_MESSAGE_WORDS))
        self.language = config.get("language", "fr")
        self.threshold = float(config.get("classifier_threshold", CLASSIFIER_THRESHOLD))
        danger.rules(self.language)  # a bad lexicon fails at load, not on a message

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "DangerLayer":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.process_one(message)
        return messages

    def process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if not text or text.startswith("/"):
            return  # a button payload names its intent itself
        found = danger.detect(text, self.language)
        if found:
            self._danger(message, found.situations, found.urgent)
            return
        asked = danger.helpline_asked_about(text)
        if asked:
            _set_intent(message, ASK_HELPLINE)
            _add_entities(message, [_entity("helpline", asked)])
            return
        guess = message.get("danger_guess") or {}
        long_message = word_count(text) > self.short_words
        if long_message and guess.get("probability", 0.0) >= self.threshold:
            self._danger(message, (guess["situation"],), danger.happening_now(text))
            return
        guessed = _intent_name(message)
        if guessed.startswith(DANGER_PREFIX) and long_message:
            _set_intent(message, _next_guess(message), keep_confidence=True)


    @staticmethod
    def _danger(message: Message, situations, urgent: bool) -> None:
        _set_intent(message, DANGER_PREFIX + situations[0])
        entities = [_entity("danger", s) for s in situations]
        if urgent:
            entities.append(_entity("danger_urgent", "true"))
        _add_entities(message, entities)


def _intent_name(message: Message) -> Text:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""


def _next_guess(message: Message) -> Text:
    """The best non-danger intent of the ranking (nlu_fallback if none)."""
    for guess in message.get(INTENT_RANKING_KEY) or []:
        name = guess.get(INTENT_NAME_KEY) or ""
        if not name.startswith(DANGER_PREFIX) and name != FALLBACK:
            return name
    return FALLBACK


def _set_intent(message: Message, name: Text, keep_confidence: bool = False) -> None:
    ranking = list(message.get(INTENT_RANKING_KEY) or [])
    confidence = 1.0
    if keep_confidence:
        confidence = next((g.get(PREDICTED_CONFIDENCE_KEY, 0.0) for g in ranking
                           if g.get(INTENT_NAME_KEY) == name), 0.0)
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    message.set(INTENT, intent, add_to_output=True)
    rest = [g for g in ranking if g.get(INTENT_NAME_KEY) != name]
    message.set(INTENT_RANKING_KEY, [intent, *rest], add_to_output=True)


def _entity(kind: Text, value: Text) -> Dict[Text, Any]:
    # About the whole message, not a span of it: an empty span at 0, which Rasa's
    # evaluation and featurizers read as covering no token.
    return {ENTITY_ATTRIBUTE_TYPE: kind, ENTITY_ATTRIBUTE_VALUE: value, EXTRACTOR: NAME,
            ENTITY_ATTRIBUTE_START: 0, ENTITY_ATTRIBUTE_END: 0}


def _add_entities(message: Message, entities: List[Dict[Text, Any]]) -> None:
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), *entities], add_to_output=True)

