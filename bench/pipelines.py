"""Sections `real` and `pipelines`: understanding measured on the real messages.

`real`      the model under test (the training section's, else make train's) on
            tests/nlu/real/: the held-out part (scores and targets) and the
            learning part (for reference: it is trained on).
`pipelines` three NLU pipelines, each trained from scratch, then measured the
            same way: the held-out real messages through the real servers,
            tests/nlu/heldout.yml (macro-F1, commune F1), full training time, cold
            start and the Rasa server's RSS.
              project  config.yml (DIET, then the danger layer and need router)
              spacy    the same with fr_core_news_md word vectors
              light    LogisticRegressionClassifier + RegexEntityExtractor, rules
                       and memoization only: no TensorFlow in the Rasa process
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from bench import proc
from bot.settings import ROOT

CONFIGS = {
    "project": ROOT / "config.yml",
    "spacy": ROOT / "bench" / "configs" / "spacy.yml",
    "light": ROOT / "bench" / "configs" / "light.yml",
}
HELDOUT_NLU = ROOT / "tests" / "nlu" / "heldout.yml"
FROZEN_NOW = "2026-11-18T10:15"


def real_scores(model: Path, work: Path, log, sets=("heldout", "learn")) -> dict:
    """Start the servers on `model`, send the real messages, stop. Also cold start
    and the Rasa server's RSS after the run."""
    from bench import live, rss
    from bench.real_messages import evaluate, format_summary
    from bot.real_corpus import SETS, load
    from tests.support.servers import BotServers

    work.mkdir(parents=True, exist_ok=True)
    servers = BotServers(work, extra_env={"BOT_NOW": FROZEN_NOW}, model=model)
    out: dict = {}
    try:
        out["cold_start"] = live.cold_start(servers, live.expected_address(), 300, log)
        for name in sets:
            result = evaluate(servers.rest_url, load(SETS[name]))
            out[name] = result["summary"]
            log(format_summary(name, result["summary"]))
        out["rasa_rss_mb"] = round(rss.tree_rss(servers.processes["rasa"].popen.pid) / 2**20, 1)
    except (proc.StepFailed, RuntimeError, OSError) as err:
        out["error"] = str(err)[-2000:]
        out["rasa_log_tail"] = proc.tail(servers.processes["rasa"].log_path, 30)
    finally:
        servers.stop()
    return out


def heldout_nlu(model: Path, work: Path) -> dict:
    """macro-F1 and commune F1 on tests/nlu/heldout.yml, as `make test` reads them."""
    out_dir = work / "nlu-results"
    # the project pipeline reuses the training section's model: its folder is new here
    work.mkdir(parents=True, exist_ok=True)
    proc.run([proc.PY, "-m", "rasa", "test", "nlu", "--model", str(model), "--nlu",
              str(HELDOUT_NLU), "--out", str(out_dir), "--no-plot"], work / "test-nlu.log")
    intents = json.loads((out_dir / "intent_report.json").read_text())
    result = {"intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
              "intent_accuracy": round(intents.get("accuracy", 0.0), 4)}
    # the extractor that finds communes (the danger layer's message-level entities
    # have a report of their own, with no commune in it)
    for report in sorted(out_dir.glob("*_report.json")):
        data = json.loads(report.read_text())
        extractor = report.name.removesuffix("_report.json")
        if extractor in ("intent", "DangerLayer") or "commune" not in data:
            continue
        f1 = round(data["commune"]["f1-score"], 4)
        if f1 >= result.get("commune_f1", -1.0):
            result.update(commune_f1=f1, entity_extractor=extractor)
    return result


def train(name: str, config: Path, work: Path, quick: bool, log) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    if quick:
        config = proc.with_epochs(config, 5, work / f"{name}-config.yml")
    else:  # a copy: `rasa train` may write into its config file
        config = Path(shutil.copy(config, work / f"{name}-config.yml"))
    log(f"[pipelines] {name}: full rasa train ({config.name})...")
    seconds = proc.run([proc.PY, "-m", "rasa", "train", "--config", str(config), "--domain",
                        str(ROOT / "domain"), "--data", str(ROOT / "data"), "--out", str(work),
                        "--fixed-model-name", name], work / "train.log",
                       extra_env={"RASA_CACHE_DIRECTORY": str(work / "rasa-cache")})
    log(f"[pipelines] {name}: trained in {seconds:.0f} s")
    return {"model": str(work / f"{name}.tar.gz"), "train_s": round(seconds, 1)}


def run_real(model: Path, work: Path, log) -> dict:
    return real_scores(model, work, log)


def run_pipelines(work: Path, quick: bool, log, prebuilt: dict | None = None) -> dict:
    results: dict = {"systems": {}}
    for name, config in CONFIGS.items():
        started = time.perf_counter()
        system: dict = {"config": str(config.relative_to(ROOT))}
        try:
            if name == "project" and prebuilt and not prebuilt.get("error"):
                system.update(model=prebuilt["model"], train_s=prebuilt.get("seconds"))
            else:
                system.update(train(name, config, work / name, quick, log))
            model = Path(system["model"])
            system["heldout_nlu"] = heldout_nlu(model, work / name)
            system.update(real_scores(model, work / name / "live", log, sets=("heldout",)))
        except proc.StepFailed as err:
            system["error"] = str(err)[-2000:]
            log(f"[pipelines] {name}: FAILED {str(err)[-300:]}")
        system["bench_s"] = round(time.perf_counter() - started, 1)
        results["systems"][name] = system
    results["chosen"] = choose(results["systems"])
    return results


def _key(system: dict) -> tuple:
    real = system.get("heldout") or {}
    rate = lambda k: (real.get(k) or {}).get("rate") or 0.0  # noqa: E731
    # safety first, then routing; then the lighter one (RSS, training time)
    return (round(rate("danger_ok"), 2), -round(rate("false_alarm"), 2), round(rate("routed"), 2),
            -(system.get("rasa_rss_mb") or 1e9), -(system.get("train_s") or 1e9))


def choose(systems: dict) -> str | None:
    """Best on the held-out real messages; where two are equal (to the percent),
    the lighter one."""
    ok = {n: s for n, s in systems.items() if not s.get("error") and s.get("heldout")}
    return max(ok, key=lambda n: _key(ok[n])) if ok else None
