"""Moments, read once, in the NLU pipeline: knowledge.french_time's reading of
"demain à 18h", "samedi matin", "le lundi de Pentecôte" as a canonical `moment`
entity, relative to the assistant's clock (bot.clock, BOT_NOW in tests):

    {"start": ISO 8601 date-time (Europe/Paris), "end": ISO or None,
     "grain": "instant" | "day" | "period", "label": "samedi 5 décembre"}

(Duckling's shape, without Duckling.) The `moment` slot holds it; the
actions never parse the text again.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_CONFIDENCE, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot import clock
from knowledge.french_time import moment_value, parse_moment

NAME = "MomentExtractor"
ENTITY = "moment"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class MomentExtractor(GraphComponent):
    """Adds the `moment` entity of a message (see module doc)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "MomentExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            entity = moment_entity(text)
            if entity is not None:
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages


def moment_entity(text: Text) -> Optional[Dict[Text, Any]]:
    moment = parse_moment(text, clock.now())
    if moment is None:
        return None
    start = text.lower().find(moment.text.lower()) if moment.text else -1
    span = (start, start + len(moment.text)) if start >= 0 else (0, 0)
    return {ENTITY_ATTRIBUTE_TYPE: ENTITY, ENTITY_ATTRIBUTE_VALUE: moment_value(moment),
            ENTITY_ATTRIBUTE_START: span[0], ENTITY_ATTRIBUTE_END: span[1],
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0, EXTRACTOR: NAME}
