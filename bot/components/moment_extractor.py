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

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot import clock
from bot.components.knowledge_extractor import KnowledgeEntityExtractor, entity
from knowledge.french_time import moment_value, parse_moment

NAME = "MomentExtractor"
ENTITY = "moment"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class MomentExtractor(KnowledgeEntityExtractor):
    """Adds the `moment` entity of a message (see module doc)."""
    NAME = NAME
    OWNED = (ENTITY,)

    def entities(self, text: Text) -> List[Dict[Text, Any]]:
        found = moment_entity(text)
        return [found] if found else []


def moment_entity(text: Text) -> Optional[Dict[Text, Any]]:
    moment = parse_moment(text, clock.now())
    if moment is None:
        return None
    start = text.lower().find(moment.text.lower()) if moment.text else -1
    span = (start, start + len(moment.text)) if start >= 0 else (0, 0)
    return entity(ENTITY, moment_value(moment), *span, NAME)
