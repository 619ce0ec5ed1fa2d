"""NLU metrics from (gold, predicted) lists. Pure: no Rasa import."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from bench.stats import prf

SAFETY_PREFIX = "danger_"


def intent_metrics(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """Accuracy, macro/weighted F1 over the gold labels, per-intent P/R/F1."""
    labels = sorted(set(gold))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_intent = {
        label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4), "support": int(s[i])}
        for i, label in enumerate(labels)
    }
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4) if gold else None,
        "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro",
                                         zero_division=0)), 4) if gold else None,
        "weighted_f1": round(float(f1_score(gold, pred, labels=labels, average="weighted",
                                            zero_division=0)), 4) if gold else None,
        "per_intent": per_intent,
    }


def is_safety_error(gold: str, pred: str) -> bool:
    """A danger message missed, or mistaken for another danger (wrong helpline)."""
    return gold.startswith(SAFETY_PREFIX) and gold != pred


def is_false_alarm(gold: str, pred: str) -> bool:
    """An ordinary message answered with a helpline."""
    return pred.startswith(SAFETY_PREFIX) and not gold.startswith(SAFETY_PREFIX)


def confusion_pairs(gold: Sequence[str], pred: Sequence[str], texts: Sequence[str] = (),
                    top: int = 12, examples: int = 3) -> list[dict]:
    """Most important (gold -> predicted) errors: missed dangers, false alarms, then by count."""
    counts: Counter = Counter()
    samples: dict = {}
    for i, (g, p) in enumerate(zip(gold, pred)):
        if g == p:
            continue
        counts[(g, p)] += 1
        if texts:
            samples.setdefault((g, p), [])
            if len(samples[(g, p)]) < examples:
                samples[(g, p)].append(texts[i])
    ranked = sorted(counts.items(), key=lambda kv: (not is_safety_error(*kv[0]),
                                                    not is_false_alarm(*kv[0]), -kv[1], kv[0]))
    return [{"gold": g, "pred": p, "count": n, "safety": is_safety_error(g, p),
             "examples": samples.get((g, p), [])} for (g, p), n in ranked[:top]]


def confusion_matrix(gold: Sequence[str], pred: Sequence[str]) -> dict:
    labels = sorted(set(gold) | set(pred))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred):
        matrix[index[g]][index[p]] += 1
    return {"labels": labels, "matrix": matrix}


def entity_span_metrics(gold: Sequence[list[dict]], pred: Sequence[list[dict]]) -> dict:
    """Strict span metrics per entity type: a hit needs the same start, end and type.

    Each item is the entity list of one message ({start, end, entity, ...}).
    """
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g_list, p_list in zip(gold, pred):
        g_set = {(e["start"], e["end"], e["entity"]) for e in g_list}
        p_set = {(e["start"], e["end"], e["entity"]) for e in p_list}
        for span in g_set & p_set:
            tp[span[2]] += 1
        for span in p_set - g_set:
            fp[span[2]] += 1
        for span in g_set - p_set:
            fn[span[2]] += 1
    types = sorted(set(tp) | set(fp) | set(fn))
    result = {t: prf(tp[t], fp[t], fn[t]) for t in types}
    if types:
        result["micro avg"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return result


def rasa_entity_report(report: dict) -> dict:
    """Keep the per-entity rows of a Rasa <extractor>_report.json (token-level)."""
    rows = {}
    for label, row in report.items():
        if not isinstance(row, dict) or "f1-score" not in row or label == "accuracy":
            continue
        rows[label] = {"precision": round(row["precision"], 4), "recall": round(row["recall"], 4),
                       "f1": round(row["f1-score"], 4), "support": int(row["support"])}
    return rows
