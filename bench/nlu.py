"""Section 1: NLU quality of three systems on the held-out set."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from bench import baseline, metrics, nludata, proc
from bot.settings import ROOT

STOCK_CONFIG = ROOT / "bench" / "configs" / "stock.yml"
SYSTEMS = {
    "project": ("project config.yml", ROOT / "config.yml"),
    "stock": ("Rasa stock pipeline", STOCK_CONFIG),
}


def fallback_threshold(config: Path) -> float | None:
    import yaml
    doc = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
    for comp in doc.get("pipeline") or []:
        if comp.get("name") == "FallbackClassifier":
            return float(comp.get("threshold", 0.3))
    return None


def score(records: list[dict], threshold: float | None = None) -> dict:
    gold = [r["gold_intent"] for r in records]
    pred = [r["pred_intent"] or "" for r in records]
    texts = [r["text"] for r in records]
    result = {
        "intent": metrics.intent_metrics(gold, pred),
        "confusions": metrics.confusion_pairs(gold, pred, texts),
        "confusion_matrix": metrics.confusion_matrix(gold, pred),
        "safety_errors": sum(metrics.is_safety_error(g, p) for g, p in zip(gold, pred)),
    }
    if threshold is not None:
        confs = [r.get("confidence") or 0.0 for r in records]
        result["fallback_threshold"] = threshold
        result["fallback_rate"] = round(sum(c < threshold for c in confs) / max(1, len(confs)), 4)
    if any(r.get("gold_entities") for r in records):
        result["entities_span"] = metrics.entity_span_metrics(
            [r["gold_entities"] for r in records], [r["pred_entities"] for r in records])
    return result


NLU_COMPONENTS_EXCLUDE = ("Policy",)


def nlu_component_seconds(components: list[dict]) -> float:
    return sum(c["seconds"] for c in components
               if not c["component"].endswith(NLU_COMPONENTS_EXCLUDE))


def rasa_system(name: str, config: Path, train_dir: Path, heldout: Path, work: Path,
                epochs: int | None, log, prebuilt: dict | None = None) -> dict:
    """Train (or reuse the full model the training section built) and score."""
    work.mkdir(parents=True, exist_ok=True)
    logfile = work / f"{name}.log"
    if epochs:
        config = proc.with_epochs(config, epochs, work / f"{name}-config.yml")
    else:  # a copy: `rasa train` writes a missing assistant_id into its config file
        config = Path(shutil.copy(config, work / f"{name}-config.yml"))
    if prebuilt:
        model = Path(prebuilt["model"])
        components = prebuilt["components"]
        train_s = None
        log(f"[nlu] {name}: NLU of the full model from the training section")
    else:
        log(f"[nlu] {name}: rasa train nlu ({config.name})...")
        model = work / f"{name}.tar.gz"
        train_s = proc.run([proc.PY, "-m", "rasa", "train", "nlu", "--config", str(config),
                            "--nlu", str(train_dir), "--domain", str(ROOT / "domain"),
                            "--out", str(work), "--fixed-model-name", name], logfile,
                           extra_env={"RASA_CACHE_DIRECTORY": str(work / f"{name}-cache")})
        components = proc.component_times(logfile.read_text(errors="replace"))
        log(f"[nlu] {name}: trained in {train_s:.0f} s; predicting held-out set...")
    pred_file = work / f"{name}-predictions.json"
    test_s = proc.run([proc.PY, "-m", "bench.nlu_predict", "--model", str(model),
                       "--data", str(heldout), "--domain", str(ROOT / "domain"),
                       "--out", str(pred_file)], logfile)
    raw = json.loads(pred_file.read_text(encoding="utf-8"))
    result = score(raw["records"], fallback_threshold(config))
    result["entities_rasa"] = {ext: metrics.rasa_entity_report(rep)
                               for ext, rep in raw["rasa_entity_reports"].items()}
    # wall time of `rasa train nlu` (process start, imports, data loading included);
    # components: the NLU components' own training time, comparable across systems
    result["train_wall_s"] = None if train_s is None else round(train_s, 1)
    result["train_components_s"] = nlu_component_seconds(components)
    result["train_time_s"] = result["train_components_s"]
    result["components"] = components
    result["test_time_s"] = round(test_s, 1)
    result["timing"] = {k: round(v, 3) for k, v in raw["timing"].items()}
    result["config"] = str(Path(config).relative_to(ROOT)) if Path(config).is_relative_to(ROOT) \
        else str(config)
    return result


def tfidf_system(train: list, test: list) -> dict:
    out = baseline.train_and_predict([e.text for e in train], [e.intent for e in train],
                                     [e.text for e in test])
    records = [{"text": e.text, "gold_intent": e.intent, "pred_intent": p, "confidence": c}
               for e, p, c in zip(test, out["predictions"], out["confidences"])]
    result = score(records)
    result["train_time_s"] = round(out["train_time_s"], 2)
    result["test_time_s"] = round(out["predict_time_s"], 3)
    result["config"] = "bench/baseline.py (TF-IDF word 1-2 + char_wb 2-5, LogisticRegression)"
    return result


def run(heldout: Path, work: Path, quick: bool, log, systems=("project", "stock", "tfidf"),
        train_dir: Path = ROOT / "data" / "nlu", prebuilt: dict | None = None) -> dict:
    """prebuilt: {system: {"model", "components"}} models already trained elsewhere."""
    if not heldout.exists():
        return {"skipped": f"{heldout.relative_to(ROOT)} not found"}
    train = nludata.load(train_dir)
    test = nludata.load(heldout)
    overlap = len({e.text.lower() for e in train} & {e.text.lower() for e in test})
    result: dict = {
        "heldout": str(heldout.relative_to(ROOT)) if heldout.is_relative_to(ROOT) else str(heldout),
        "n_train": len(train), "n_test": len(test), "train_test_overlap": overlap,
        "n_intents_train": len({e.intent for e in train}),
        "epochs_override": 5 if quick else None, "systems": {},
    }
    labels = {"project": "project config.yml", "stock": "Rasa stock pipeline",
              "tfidf": "TF-IDF + LogReg"}
    for name in systems:
        start = time.perf_counter()
        try:
            if name == "tfidf":
                sys_result = tfidf_system(train, test)
            else:
                sys_result = rasa_system(name, SYSTEMS[name][1], train_dir, heldout, work,
                                         5 if quick else None, log,
                                         (prebuilt or {}).get(name))
        except proc.StepFailed as err:
            log(f"[nlu] {name} FAILED: {err}")
            sys_result = {"error": str(err)[-2000:]}
        sys_result["label"] = labels[name]
        sys_result["wall_s"] = round(time.perf_counter() - start, 1)
        result["systems"][name] = sys_result
        intent = sys_result.get("intent") or {}
        log(f"[nlu] {name}: accuracy {intent.get('accuracy')} macro-F1 {intent.get('macro_f1')}")
    return result
