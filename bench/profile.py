"""Profiling run by the bench: per-turn time breakdown, start-up split, and two
what-if experiments (SQLite WAL for the tracker store, eager one-step model build)."""
from __future__ import annotations

import json
from pathlib import Path

from bench import proc


def turn_breakdown(servers, work: Path, n: int, log, load_experiment: bool = True) -> dict:
    """bench.profile_turn against the live action server, own SQLite file."""
    out = work / "profile-turn.json"
    extra = {"ACTION_SERVER_URL": f"http://127.0.0.1:{servers.action_port}/webhook",
             "TRACKER_SQLITE_PATH": str(work / "profile-tracker.db"),
             "KNOWLEDGE_DIR": servers.env.get("KNOWLEDGE_DIR", ""),
             "BOT_NOW": servers.env.get("BOT_NOW", "")}
    cmd = servers.processes["rasa"].cmd
    endpoints = cmd[cmd.index("--endpoints") + 1] if "--endpoints" in cmd else "endpoints.yml"
    log(f"[profile] per-turn breakdown over {n} turns (in-process agent)...")
    try:
        proc.run([proc.PY, "-m", "bench.profile_turn", "--model", str(servers.model),
                  "--endpoints", endpoints, "--n", str(n), "--out", str(out)],
                 work / "profile.log", extra_env=extra, timeout=600)
    except proc.StepFailed as err:
        return {"error": str(err)[-2000:]}
    result = json.loads(out.read_text(encoding="utf-8"))
    log(f"[profile] {result['mean_turn_ms']}")
    if load_experiment:  # only needed when the cold start target is missed
        result["load_experiment"] = run_load_experiment(servers.model, work, log)
    return result


def run_load_experiment(model: Path, work: Path, log) -> dict:
    """Model load in fresh processes: Rasa's way vs one eager build step."""
    result = {}
    for label, flags in (("rasa", []), ("eager_build", ["--eager-build"])):
        out = work / f"load-{label}.json"
        try:
            proc.run([proc.PY, "-m", "bench.profile_turn", "--model", str(model), "--load-only",
                      *flags, "--out", str(out)], work / "profile.log", timeout=600)
        except proc.StepFailed as err:
            return {"error": str(err)[-1500:]}
        result[label] = json.loads(out.read_text(encoding="utf-8"))
    a, b = result["rasa"], result["eager_build"]
    result["same_predictions"] = [(p["intent"], p["confidence"]) for p in a["parses"]] == \
        [(p["intent"], p["confidence"]) for p in b["parses"]]
    log(f"[profile] model load: {a['startup']['load_model_s']} s (Rasa) vs "
        f"{b['startup']['load_model_s']} s (eager build), same predictions: "
        f"{result['same_predictions']}")
    return result
