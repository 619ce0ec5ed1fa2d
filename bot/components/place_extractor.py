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

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.components.knowledge_extractor import KnowledgeEntityExtractor, entity
from knowledge import get_knowledge
from knowledge.places import about_own_place, locate, to_entities

NAME = "PlaceExtractor"
PLACE_ENTITIES = ("commune", "postal_code", "hub", "outside_place", "ambiguous_place",
                  "unknown_place", "own_place")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class PlaceExtractor(KnowledgeEntityExtractor):
    """Adds the place entities of a message (see module doc)."""
    NAME = NAME
    OWNED = PLACE_ENTITIES

    def entities(self, text: Text) -> List[Dict[Text, Any]]:
        return place_entities(text)


def place_entities(text: Text) -> List[Dict[Text, Any]]:
    place = locate(get_knowledge(), text)
    found = [entity(kind, value, *span, NAME) for kind, value, span in to_entities(place, text)]
    if about_own_place(text):
        found.append(entity("own_place", "true", 0, 0, NAME))
    return found
