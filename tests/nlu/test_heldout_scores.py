"""Held-out NLU scores, and the held-out set kept apart from the training data.

The scores come from `rasa test nlu --nlu tests/nlu/heldout.yml --out results/nlu`,
which `make test` runs before pytest. NLU_RESULTS_DIR points elsewhere if needed.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
TRAINING_DIR = ROOT / "data" / "nlu"
# 34 intents since the contact questions (phone, e-mail, appointment, accessibility,
# languages) were added: measured 0.937 to 0.950 over four trainings while their
# data grew (0.966 with the 29 intents before, floor 0.95 then). The floor sits a
# little below the last measure (0.948), as the others do.
INTENT_MACRO_F1_MIN = 0.935
COMMUNE_F1_MIN = 0.95


def _results_dir() -> Path:
    path = Path(os.environ.get("NLU_RESULTS_DIR", "results/nlu"))
    return path if path.is_absolute() else ROOT / path


def _report(name: str) -> dict:
    path = _results_dir() / name
    if not path.exists():
        pytest.fail(
            f"{path} is missing: run the held-out NLU test first, e.g.\n"
            "  .venv/bin/python -m rasa test nlu --model models/current.tar.gz "
            "--nlu tests/nlu/heldout.yml --out results/nlu\n"
            "(or set NLU_RESULTS_DIR to the --out folder of that run)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _show(capsys, line: str) -> None:
    # shown even when pytest captures output, so the figures appear in `make test`
    with capsys.disabled():
        print(f"\n[held-out NLU] {line}")


def test_intent_macro_f1(capsys):
    report = _report("intent_report.json")
    macro = report["macro avg"]["f1-score"]
    per_intent = {
        name: scores["f1-score"]
        for name, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and not name.endswith(" avg")
    }
    weakest = sorted(per_intent.items(), key=lambda item: item[1])[:3]
    _show(
        capsys,
        f"intent macro-F1 = {macro:.3f} (min {INTENT_MACRO_F1_MIN}); "
        f"accuracy = {report.get('accuracy', float('nan')):.3f}; weakest: "
        + ", ".join(f"{name} {f1:.2f}" for name, f1 in weakest),
    )
    assert macro >= INTENT_MACRO_F1_MIN, f"intent macro-F1 {macro:.3f} < {INTENT_MACRO_F1_MIN}"


def test_commune_entity_f1(capsys):
    # places are read by the knowledge layer (bot/components/place_extractor.py)
    report = _report("PlaceExtractor_report.json")
    assert "commune" in report, "no `commune` entity in the held-out entity report"
    f1 = report["commune"]["f1-score"]
    postal = report.get("postal_code", {}).get("f1-score")
    _show(
        capsys,
        f"commune entity F1 = {f1:.3f} (min {COMMUNE_F1_MIN})"
        + (f"; postal_code F1 = {postal:.3f}" if postal is not None else ""),
    )
    assert f1 >= COMMUNE_F1_MIN, f"commune entity F1 {f1:.3f} < {COMMUNE_F1_MIN}"


# --- the held-out set must never leak into training --------------------------------

_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def normalize(text: str) -> str:
    """Plain text of an example, lower case, no accents, no punctuation."""
    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def _examples(path: Path) -> dict[str, str]:
    """normalized text -> intent, for every intent example of a Rasa NLU yaml file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = {}
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                found[normalize(line[2:])] = block["intent"]
    return found


def test_heldout_set_is_large_enough():
    examples = _examples(HELDOUT)
    per_intent: dict[str, int] = {}
    for intent in examples.values():
        per_intent[intent] = per_intent.get(intent, 0) + 1
    assert len(per_intent) == 34, sorted(per_intent)
    small = {intent: n for intent, n in per_intent.items() if n < 12}
    assert not small, f"intents with fewer than 12 held-out examples: {small}"


def test_no_heldout_example_in_training_data():
    heldout = _examples(HELDOUT)
    training: dict[str, str] = {}
    for path in sorted(TRAINING_DIR.glob("*.yml")):
        training.update(_examples(path))
    leaked = sorted(text for text in heldout if text in training)
    assert not leaked, f"held-out examples found verbatim in data/nlu/: {leaked}"


def test_normalize_ignores_case_accents_and_annotations():
    assert normalize("J'habite à [Châtillon](commune) !") == normalize("j habite a chatillon")
