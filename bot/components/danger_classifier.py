"""A statistical second opinion for the danger layer, trained with the model.

The cue lists (knowledge/lexicons/danger.fr.yml) are precise but cannot list
every way people tell a danger. This component learns the six danger
situations from the training data's `danger_*` examples (short, direct) and
from the learning part of the real-message corpus (long stories). It only
annotates the message (`danger_guess`: the most likely situation and its
probability); bot.components.danger_layer decides. See text_classifier.py.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.text_classifier import TextClassifier

NONE = "none"
# The corpus labels helplines; the situations are the danger layer's names.
SITUATION_OF_HELPLINE = {"119": "child", "3114": "suicide", "3919": "violence", "17": "violence",
                         "115": "no_shelter", "15": "medical", "114": "cannot_speak"}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class DangerClassifier(TextClassifier):
    """Over the six danger situations and `none`."""

    GUESS_KEY = "danger_guess"
    FILE_NAME = "danger_classifier.skops"

    def examples(self, training_data: TrainingData) -> tuple[List[Text], List[Text]]:
        texts, labels = [], []
        for example in training_data.intent_examples:
            text, intent = example.get(TEXT), example.get(INTENT)
            if text and intent:
                texts.append(text)
                labels.append(intent.removeprefix("danger_") if intent.startswith("danger_")
                              else NONE)
        for item in self.real_messages():
            texts.append(item.text)
            labels.append(SITUATION_OF_HELPLINE.get(item.helpline or "", NONE))
        return texts, labels

    def guess(self, text: Text) -> Optional[Dict[Text, Any]]:
        ranked = self.ranking(text)
        best = next(((name, p) for name, p in ranked if name != NONE), None)
        if best is None:
            return None
        return {"situation": best[0], "probability": best[1], "none": dict(ranked).get(NONE, 0.0)}
