"""The base of the extractors that read a message through the knowledge layer
(places, moments): nothing to train, nothing to persist; each message's own
entities of the types the extractor owns are replaced by what it finds.
Button payloads ("/inform{...}") keep the entities they carry."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_CONFIDENCE, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR, TEXT,
)
from rasa.shared.nlu.training_data.message import Message


class KnowledgeEntityExtractor(GraphComponent):
    NAME = ""
    OWNED: tuple[str, ...] = ()  # entity types this extractor alone sets

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "KnowledgeEntityExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            kept = [e for e in message.get(ENTITIES) or []
                    if e.get(ENTITY_ATTRIBUTE_TYPE) not in self.OWNED]
            message.set(ENTITIES, kept + self.entities(text), add_to_output=True)
        return messages

    def entities(self, text: Text) -> List[Dict[Text, Any]]:
        raise NotImplementedError


def entity(kind: Text, value: Any, start: int, end: int, extractor: Text) -> Dict[Text, Any]:
    return {ENTITY_ATTRIBUTE_TYPE: kind, ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0, EXTRACTOR: extractor}
