"""Grouped cross-validation of the danger classifier on the LEARNING part of the
real-message corpus (never the held-out part), to choose its regularisation C
and the danger layer's threshold honestly.

    .venv/bin/python -m bench.danger_cv [--C 10 30 100] [--threshold 0.45 0.5 0.55]

Five folds grouped by source page: the Rasa training data's examples are always
in the training side, each page's messages are in one test fold. For each
(C, threshold): danger recall (the right situation, probability >= threshold) and
false alarms (an ordinary message with some danger probability >= threshold).
The classifier alone: the danger layer's cues come on top of it.
"""
from __future__ import annotations

import argparse

from bot.components.danger_classifier import NONE, SITUATION_OF_HELPLINE
from bot.real_corpus import SETS, load
from bot.settings import ROOT
from knowledge.text import fold


def cross_validate(cs: list[float], thresholds: list[float]) -> list[tuple[float, float, float, float]]:
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline, make_union

    base_texts, base_labels = [], []
    for example in load_data(str(ROOT / "data" / "nlu")).intent_examples:
        text, intent = example.get("text"), example.get("intent")
        if text and intent:
            base_texts.append(fold(text))
            base_labels.append(intent.removeprefix("danger_") if intent.startswith("danger_") else NONE)
    items = load(SETS["learn"])
    texts = [fold(i.text) for i in items]
    labels = [SITUATION_OF_HELPLINE.get(i.helpline or "", NONE) for i in items]
    pages = [i.url for i in items]
    rows = []
    for c in cs:
        probabilities: list[dict] = [{} for _ in items]
        for train, test in GroupKFold(5).split(texts, labels, pages):
            # the same model as bot/components/text_classifier.py
            model = make_pipeline(
                make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
                           TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
                LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=42))
            model.fit(base_texts + [texts[k] for k in train], base_labels + [labels[k] for k in train])
            for k, row in zip(test, model.predict_proba([texts[k] for k in test])):
                probabilities[k] = dict(zip(model.classes_, row))
        for threshold in thresholds:
            hits = dangers = alarms = ordinary = 0
            for p, label in zip(probabilities, labels):
                situation, probability = max(((s, v) for s, v in p.items() if s != NONE), key=lambda kv: kv[1])
                if label != NONE:
                    dangers += 1
                    hits += situation == label and probability >= threshold
                else:
                    ordinary += 1
                    alarms += probability >= threshold
            rows.append((c, threshold, hits / dangers, alarms / ordinary))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--C", type=float, nargs="+", default=[10.0, 30.0, 100.0])
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.45, 0.5, 0.55])
    args = parser.parse_args()
    for c, threshold, recall, alarms in cross_validate(args.C, args.threshold):
        print(f"C={c:g} threshold={threshold:g}: danger recall {recall:.1%}, false alarms {alarms:.1%}")


if __name__ == "__main__":
    main()
