"""A small but complete results dict, shaped like bench/results/latest.json."""
from __future__ import annotations

import pytest


def _system(label, macro_f1, commune_f1=None, with_entities=True):
    s = {
        "label": label, "train_time_s": 42.0,
        "intent": {"n": 4, "accuracy": 0.75, "macro_f1": macro_f1, "weighted_f1": 0.7,
                   "per_intent": {
                       "find_hub": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2},
                       "danger_child": {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                        "support": 1},
                       "inform": {"precision": 0.5, "recall": 1.0, "f1": 0.667, "support": 1}}},
        "confusions": [{"gold": "danger_child", "pred": "inform", "count": 1, "safety": True,
                        "examples": ["mon fils est en danger"]}],
        "confusion_matrix": {"labels": ["danger_child", "find_hub", "inform"],
                             "matrix": [[0, 0, 1], [0, 2, 0], [0, 0, 1]]},
        "safety_errors": 1,
    }
    if with_entities:
        s["entities_span"] = {"commune": {"precision": 1.0, "recall": commune_f1, "f1": commune_f1,
                                          "support": 3}}
        s["entities_rasa"] = {"DIETClassifier": {"commune": {"precision": 1.0, "recall": 1.0,
                                                             "f1": 1.0, "support": 5}}}
        s["fallback_rate"] = 0.25
    return s


def _run(c, p95, errors=0, think=(0.5, 1.5)):
    return {"concurrency": c, "think_s": list(think), "messages": 100, "msg_per_s": 3.3 * c,
            "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 1.2, "max_ms": p95 * 1.5,
            "errors": errors, "error_kinds": {"timeout": errors} if errors else {},
            "rss_peak_mb": {"rasa": 900.0, "actions": 80.0}}


@pytest.fixture
def sample_results():
    return {
        "meta": {"commit": "abc123def456", "date": "2026-01-01T00:00:00+00:00", "cpu_count": 2,
                 "python": "3.11.7", "rasa": "3.6.21", "rasa_sdk": "3.6.2",
                 "tensorflow": "2.12.0", "mode": "full", "command": "python -m bench",
                 "duration_s": 900, "loadavg_start": [1, 1, 1], "loadavg_end": [2, 2, 2]},
        "nlu": {"heldout": "tests/nlu/heldout.yml", "n_train": 100, "n_test": 4,
                "train_test_overlap": 0, "n_intents_train": 3, "epochs_override": None,
                "systems": {"project": _system("project config.yml", 0.96, 0.98),
                            "stock": _system("Rasa stock pipeline", 0.95, 0.9),
                            "tfidf": _system("TF-IDF + LogReg", 0.9, with_entities=False)}},
        "training": {"seconds": 250.0, "quick_epochs": None},
        "live": {
            "cold_start": {"actions_healthy_s": 1.0, "rasa_healthy_s": 20.0,
                           "first_reply_s": 20.5, "first_correct_s": 21.0, "correct": True,
                           "probe": "Quel pôle pour Clamart ?", "expected": "13-15 rue X"},
            "latency": {"think_s": [0.5, 1.5], "duration_s": 30,
                        "warmup": {"messages": 20, "errors": 0, "p50_ms": 50, "p95_ms": 80},
                        "runs": [_run(1, 60), _run(10, 200), _run(50, 3000, errors=2)],
                        "saturation": _run(10, 900, think=(0, 0))},
            "memory": {"after_start_mb": {"rasa": 800.0, "actions": 70.0},
                       "idle_mb": {"rasa": 810.0, "actions": 72.0},
                       "peak_under_load_mb": {"rasa": 900.0, "actions": 80.0},
                       "peak_overall_mb": {"rasa": 900.0, "actions": 80.0}},
            "kb_reload": {"ok": True, "seconds": 2.5, "edit": "structures.yml adresse"},
            "profile_turn": {"startup": {"import_tensorflow_s": 2.0, "import_rasa_s": 3.0,
                                         "load_model_s": 12.0},
                             "first_turn_ms": {"nlu": 40.0, "total": 90.0},
                             "mean_turn_ms": {"nlu": 20.0, "policies": 5.0,
                                              "action_server": 4.0, "tracker_store": 30.0,
                                              "other": 1.0, "total": 60.0},
                             "calls_per_turn": {"nlu": 1.0, "policies": 2.0}, "turns": 20},
        },
        "skipped": {},
    }
