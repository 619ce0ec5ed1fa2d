"""A statistical second opinion for the danger layer, trained with the model.

The cue lists (knowledge/lexicons/danger.fr.yml) are precise but cannot list
every way people tell a danger. This component learns the six danger
situations from the training data's `danger_*` examples (short, direct) and
from the learning part of the real-message corpus (long stories,
tests/nlu/real/learn.yml; the held-out part is never read here). Features are
word and character n-grams of the folded text (TF-IDF), the model a logistic
regression with balanced classes: fast to train, small, and its
probabilities can be thresholded.

It only annotates the message (`danger_guess`: situation and probability);
bot.components.danger_layer decides. Persisted with skops, loading only the
scikit-learn, NumPy and SciPy types it saved.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import ROOT
from knowledge.text import fold

logger = logging.getLogger(__name__)

NONE = "none"
GUESS = "danger_guess"
# The corpus labels helplines; the situations are the danger layer's names.
SITUATION_OF_HELPLINE = {"119": "child", "3114": "suicide", "3919": "violence", "17": "violence",
                         "115": "no_shelter", "15": "medical", "114": "cannot_speak"}
TRUSTED_MODULES = ("sklearn.", "numpy", "scipy.", "builtins.")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class DangerClassifier(GraphComponent):
    """TF-IDF + logistic regression over the six danger situations and `none`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # the learning part of the real-message corpus, relative to the project root
            "real_messages": "tests/nlu/real/learn.yml",
            "C": 10.0,
            "random_state": 42,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, pipeline: Any = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "DangerClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The corpus is read here, not through Rasa's training data: its content
        must be part of the cache key, or an edited corpus would not retrain."""
        import hashlib
        corpus = ROOT / (config.get("real_messages") or cls.get_default_config()["real_messages"])
        return hashlib.sha256(corpus.read_bytes()).hexdigest() if corpus.is_file() else None

    # ------------------------------------------------------------ training
    def examples(self, training_data: TrainingData) -> tuple[List[Text], List[Text]]:
        texts, labels = [], []
        for example in training_data.intent_examples:
            text, intent = example.get(TEXT), example.get(INTENT)
            if text and intent:
                texts.append(text)
                labels.append(intent.removeprefix("danger_") if intent.startswith("danger_")
                              else NONE)
        corpus = self.config.get("real_messages")
        if corpus:
            from bot.real_corpus import load
            for item in load(ROOT / corpus):
                texts.append(item.text)
                labels.append(SITUATION_OF_HELPLINE.get(item.helpline or "", NONE))
        return texts, labels

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        texts, labels = self.examples(training_data)
        if len(set(labels)) < 2:
            logger.debug("DangerClassifier: nothing to learn from; left untrained.")
            return self._resource
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        model = LogisticRegression(C=float(self.config["C"]), max_iter=3000,
                                   class_weight="balanced",
                                   random_state=self.config["random_state"])
        self.pipeline = make_pipeline(features, model)
        self.pipeline.fit([fold(t) for t in texts], labels)
        self.persist()
        return self._resource

    def persist(self) -> None:
        import skops.io as sio
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.pipeline, directory / "danger_classifier.skops")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "DangerClassifier":
        import skops.io as sio
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / "danger_classifier.skops"
                types = sio.get_untrusted_types(file=path)
                unexpected = [t for t in types if not t.startswith(TRUSTED_MODULES)]
                if unexpected:
                    raise ValueError(f"unexpected types in {path.name}: {unexpected}")
                pipeline = sio.load(path, trusted=types)
        except ValueError as error:
            logger.warning("DangerClassifier not loaded (%s): the danger layer uses its cues "
                           "only.", error)
            pipeline = None
        return cls(config, model_storage, resource, pipeline)

    # ------------------------------------------------------------ use
    def guess(self, text: Text) -> Optional[Dict[Text, Any]]:
        if self.pipeline is None or not text:
            return None
        probabilities = self.pipeline.predict_proba([fold(text)])[0]
        ranked = sorted(zip(self.pipeline.classes_, probabilities), key=lambda p: -p[1])
        best = next(((name, p) for name, p in ranked if name != NONE), None)
        if best is None:
            return None
        return {"situation": str(best[0]), "probability": round(float(best[1]), 4),
                "none": round(float(dict(ranked).get(NONE, 0.0)), 4)}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith("/"):
                guess = self.guess(text)
                if guess:
                    message.set(GUESS, guess)
        return messages
