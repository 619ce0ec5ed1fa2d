"""Which service a message is about, learnt from real messages.

Keywords (knowledge/data/services.yml) find a need when its words are there; on
the real messages they pick the right service for about two messages in three,
and people rarely name the service. This component learns the service from
the labelled learning part of the real-message corpus (tests/nlu/real/learn.yml:
PMI, santé sexuelle, action sociale et insertion, aide sociale à l'enfance,
numérique, or out of scope). Its guess (`need_guess`: services with their
probabilities) is in the NLU output: bot.components.need_router and
action_find_service combine it with the keywords (knowledge.services). See
text_classifier.py.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.text_classifier import TextClassifier

SERVICES = ("pmi", "sante-sexuelle", "action-sociale-insertion", "aide-sociale-enfance",
            "numerique")
OUT_OF_SCOPE = "out-of-scope"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class NeedClassifier(TextClassifier):
    """Over the five services and out-of-scope."""

    GUESS_KEY = "need_guess"
    FILE_NAME = "need_classifier.skops"
    TO_OUTPUT = True

    def examples(self, training_data: TrainingData) -> tuple[List[Text], List[Text]]:
        texts, labels = [], []
        for item in self.real_messages():
            if item.need in SERVICES or item.need == OUT_OF_SCOPE:
                texts.append(item.text)
                labels.append(item.need)
        return texts, labels

    def guess(self, text: Text) -> Optional[Dict[Text, Any]]:
        ranked = self.ranking(text)
        return {"ranking": [{"name": n, "probability": p} for n, p in ranked]} if ranked else None
