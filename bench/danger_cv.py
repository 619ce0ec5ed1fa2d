"""Grouped cross-validation of the danger and need classifiers on the LEARNING
part of the real-message corpus (never the held-out part), to choose the danger
classifier's regularisation C, the danger layer's threshold and the need
router's threshold honestly.

    .venv/bin/python -m bench.danger_cv [--C 10 30 100] [--threshold 0.45 0.5 0.55]
    .venv/bin/python -m bench.danger_cv --need [--threshold 0.45 0.5 0.55]

Five folds grouped by source page: the Rasa training data's examples are always
in the training side, each page's messages are in one test fold. For each
(C, threshold): danger recall (the right situation, probability >= threshold) and
false alarms (an ordinary message with some danger probability >= threshold).
The classifier alone: the danger layer's cues come on top of it. With --need:
for long messages labelled with a service, how many the need classifier alone
would route (top service at or above the threshold) and how many of those to
the right service (bot/components/need_router.py routes from 0.5).
"""
from __future__ import annotations

import argparse

from bot.components.danger_classifier import NONE, SITUATION_OF_HELPLINE
from bot.real_corpus import SETS, load
from bot.settings import ROOT
from knowledge.text import fold


def cross_validate(cs: list[float], thresholds: list[float]) -> list[tuple[float, float, float, float]]:
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.model_selection import GroupKFold

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
            model = _model(c)
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


def need_cross_validate(thresholds: list[float]) -> list[tuple[float, int, int, int]]:
    """(threshold, messages, routed, routed right) for the need classifier alone."""
    from sklearn.model_selection import GroupKFold

    from bot.components.need_classifier import OUT_OF_SCOPE, SERVICES
    from knowledge.text import word_count

    items = [i for i in load(SETS["learn"]) if i.need in SERVICES or i.need == OUT_OF_SCOPE]
    texts, labels = [fold(i.text) for i in items], [i.need for i in items]
    ranked: list[list] = [[] for _ in items]
    for train, test in GroupKFold(5).split(texts, labels, [i.url for i in items]):
        model = _model(10.0)  # the need classifier's default C
        model.fit([texts[k] for k in train], [labels[k] for k in train])
        for k, row in zip(test, model.predict_proba([texts[k] for k in test])):
            ranked[k] = sorted(zip(model.classes_, row), key=lambda kv: -kv[1])
    rows = []
    for threshold in thresholds:
        routed = right = 0
        for best, label, item in zip(ranked, labels, items):
            name, probability = best[0]
            if word_count(item.text) > 8 and name in SERVICES and probability >= threshold:
                routed += 1
                right += name == label
        rows.append((threshold, len(items), routed, right))
    return rows


def _model(c: float):
    """The model of bot/components/text_classifier.py."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
                   TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=42))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--C", type=float, nargs="+", default=[10.0, 30.0, 100.0])
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.45, 0.5, 0.55])
    parser.add_argument("--need", action="store_true", help="the need router's threshold instead")
    args = parser.parse_args()
    if args.need:
        for threshold, total, routed, right in need_cross_validate(args.threshold):
            print(f"need threshold={threshold:g}: {routed} of {total} routed by the guess alone, "
                  f"{right} to the right service ({right / max(routed, 1):.1%})")
        return
    for c, threshold, recall, alarms in cross_validate(args.C, args.threshold):
        print(f"C={c:g} threshold={threshold:g}: danger recall {recall:.1%}, false alarms {alarms:.1%}")


if __name__ == "__main__":
    main()
