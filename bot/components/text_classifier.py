"""A small trainable text classifier for the NLU pipeline, shared by the danger
and need classifiers: TF-IDF of word and character n-grams of the folded text,
then a logistic regression with balanced classes. Fast to train, small, and its
probabilities can be thresholded.

Subclasses say what they learn from (`examples`) and under which key the
message gets the guess (`GUESS_KEY`). Besides Rasa's training data, they can
read the learning part of the real-message corpus (tests/nlu/real/learn.yml;
the held-out part is never read here): its content is part of Rasa's cache key
(`fingerprint_addon`), so an edited corpus retrains. Persisted with skops,
loading only the scikit-learn, NumPy and SciPy types it saved.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import ROOT
from knowledge.text import fold

logger = logging.getLogger(__name__)

TRUSTED_MODULES = ("sklearn.", "numpy", "scipy.", "builtins.")


class TextClassifier(GraphComponent):
    GUESS_KEY = "guess"
    FILE_NAME = "classifier.skops"
    # put the guess in the NLU output (the actions can read it) or keep it internal
    TO_OUTPUT = False

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
               resource: Resource, execution_context: ExecutionContext) -> "TextClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        corpus = ROOT / (config.get("real_messages") or cls.get_default_config()["real_messages"])
        return hashlib.sha256(corpus.read_bytes()).hexdigest() if corpus.is_file() else None

    def real_messages(self) -> list:
        corpus = self.config.get("real_messages")
        if not corpus:
            return []
        from bot.real_corpus import load
        return load(ROOT / corpus)

    def examples(self, training_data: TrainingData) -> tuple[List[Text], List[Text]]:
        raise NotImplementedError

    # ------------------------------------------------------------ training
    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        texts, labels = self.examples(training_data)
        if len(set(labels)) < 2:
            logger.debug("%s: nothing to learn from; left untrained.", type(self).__name__)
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
            sio.dump(self.pipeline, directory / self.FILE_NAME)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TextClassifier":
        import skops.io as sio
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / cls.FILE_NAME
                types = sio.get_untrusted_types(file=path)
                unexpected = [t for t in types if not t.startswith(TRUSTED_MODULES)]
                if unexpected:
                    raise ValueError(f"unexpected types in {path.name}: {unexpected}")
                pipeline = sio.load(path, trusted=types)
        except ValueError as error:
            logger.warning("%s not loaded (%s): its guesses are not given.", cls.__name__, error)
            pipeline = None
        return cls(config, model_storage, resource, pipeline)

    # ------------------------------------------------------------ use
    def ranking(self, text: Text) -> List[tuple[str, float]]:
        """(label, probability), most likely first; [] when untrained."""
        if self.pipeline is None or not text:
            return []
        probabilities = self.pipeline.predict_proba([fold(text)])[0]
        return sorted(((str(c), round(float(p), 4)) for c, p in
                       zip(self.pipeline.classes_, probabilities)), key=lambda cp: -cp[1])

    def guess(self, text: Text) -> Optional[Dict[Text, Any]]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith("/"):
                guess = self.guess(text)
                if guess:
                    message.set(self.GUESS_KEY, guess, add_to_output=self.TO_OUTPUT)
        return messages
