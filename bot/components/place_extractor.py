"""Places, read once, in the NLU pipeline: the knowledge layer's reading of a
message (knowledge/places.py) as canonical entities.

- `commune`: the INSEE code of a commune of the 92 named in the message, or
  `postal_code`: the same when it was given by its postal code;
- `hub`: the id of a hub named by itself ("le pôle d'Asnières");
- `outside_place`: a place outside the 92 (its canonical name, or the 5 digits
  of a postal code), never the resident's own spelling;
- `ambiguous_place`: {"place": name or None, "candidates": [INSEE codes]};
- `unknown_place`: a postal code no commune has;
- `own_place`: "mon pôle", "chez moi": the resident points at their own commune.

The knowledge base is read at each message, so a hub or commune edited or
imported in the data is understood at once, without retraining. Button
payloads ("/inform{...}") are left as they are. No message text is logged.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_CONFIDENCE, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from knowledge import get_knowledge
from knowledge.places import about_own_place, locate, to_entities

NAME = "PlaceExtractor"
# The entity types this component owns: any other extractor's are dropped.
PLACE_ENTITIES = ("commune", "postal_code", "hub", "outside_place", "ambiguous_place",
                  "unknown_place", "own_place")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class PlaceExtractor(GraphComponent):
    """Adds the place entities of a message (see module doc)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "PlaceExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            found = place_entities(text)
            kept = [e for e in message.get(ENTITIES) or []
                    if e.get(ENTITY_ATTRIBUTE_TYPE) not in PLACE_ENTITIES]
            message.set(ENTITIES, kept + found, add_to_output=True)
        return messages


def place_entities(text: Text) -> List[Dict[Text, Any]]:
    place = locate(get_knowledge(), text)
    entities = [_entity(kind, value, *span) for kind, value, span in to_entities(place, text)]
    if about_own_place(text):
        entities.append(_entity("own_place", "true", 0, 0))
    return entities


def _entity(kind: Text, value: Any, start: int, end: int) -> Dict[Text, Any]:
    return {ENTITY_ATTRIBUTE_TYPE: kind, ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0, EXTRACTOR: NAME}
