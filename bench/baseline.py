"""TF-IDF + logistic-regression intent baseline (scikit-learn only)."""
from __future__ import annotations

import time
from typing import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


def make_model(seed: int = 0) -> Pipeline:
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True,
                                  strip_accents="unicode", sublinear_tf=True,
                                  token_pattern=r"(?u)\b\w+\b")),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True,
                                  strip_accents="unicode", sublinear_tf=True)),
    ])
    clf = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


def train_and_predict(train_texts: Sequence[str], train_labels: Sequence[str],
                      test_texts: Sequence[str]) -> dict:
    """Fit on train, predict test. Returns predictions, confidences and timings."""
    model = make_model()
    start = time.perf_counter()
    model.fit(list(train_texts), list(train_labels))
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    proba = model.predict_proba(list(test_texts)) if test_texts else []
    predict_s = time.perf_counter() - start
    classes = list(model.classes_)
    preds, confs = [], []
    for row in proba:
        best = max(range(len(classes)), key=lambda i: row[i])
        preds.append(classes[best])
        confs.append(float(row[best]))
    return {"predictions": preds, "confidences": confs, "train_time_s": train_s,
            "predict_time_s": predict_s}
