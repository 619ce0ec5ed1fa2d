"""python -m bench [--quick] [--only nlu,training,live,...] — see bench/README.md."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import plots, report  # noqa: E402

SECTIONS = ("training", "nlu", "real", "pipelines", "coldstart", "latency", "memory", "profile",
            "kbreload", "fuzz")
LIVE = {"coldstart", "latency", "memory", "profile", "kbreload", "fuzz"}


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def version(dist: str) -> str | None:
    for name in (dist, f"{dist}-cpu"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def meta(args, sections: list[str]) -> dict:
    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "rasa": version("rasa"), "rasa_sdk": version("rasa-sdk"),
        "tensorflow": version("tensorflow"), "scikit_learn": version("scikit-learn"),
        "mode": "quick" if args.quick else "full",
        "sections": sections,
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def write_outputs(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    files = plots.all_plots(results, out)
    (out / "latest.md").write_text(report.render(results, files), encoding="utf-8")
    log(f"wrote {out / 'latest.json'}, {out / 'latest.md'}, {', '.join(files) or 'no plots'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 5 epochs, 5 s load runs; writes bench/results/quick/")
    parser.add_argument("--only", default="",
                        help=f"comma-separated subset of: {', '.join(SECTIONS)} (live = all "
                             "server sections)")
    parser.add_argument("--systems", default="project,stock,tfidf",
                        help="NLU systems to compare")
    parser.add_argument("--heldout", default=str(ROOT / "tests" / "nlu" / "heldout.yml"))
    parser.add_argument("--out", default=None, help="results folder (default bench/results)")
    parser.add_argument("--model", default=None,
                        help="model for the live sections (default models/current.tar.gz)")
    parser.add_argument("--keep", action="store_true", help="keep the temp work folder")
    parser.add_argument("--render", metavar="JSON",
                        help="only re-render report and plots from an existing results JSON")
    args = parser.parse_args(argv)

    out = Path(args.out) if args.out else ROOT / "bench" / "results" / (
        "quick" if args.quick else "")
    if args.render:
        write_outputs(json.loads(Path(args.render).read_text(encoding="utf-8")), out)
        return 0

    wanted = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else list(SECTIONS)
    if "live" in wanted:
        wanted = [s for s in wanted if s != "live"] + sorted(LIVE)
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    log(f"bench ({'quick' if args.quick else 'full'}): {', '.join(wanted)}; work dir {work}")
    results: dict = {"meta": meta(args, wanted), "skipped": {}}
    for name in SECTIONS:
        if name not in wanted:
            results["skipped"][name] = "not selected (--only)"
    try:
        prebuilt = {}
        if "training" in wanted:
            from bench import training
            results["training"] = training.run(work / "train", args.quick, log)
            if not results["training"].get("error"):
                # same config.yml: the project's NLU is scored from this model, not retrained
                prebuilt["project"] = results["training"]
        if "nlu" in wanted:
            from bench import nlu
            results["nlu"] = nlu.run(Path(args.heldout), work / "nlu", args.quick, log,
                                     systems=tuple(args.systems.split(",")), prebuilt=prebuilt)
            if results["nlu"].get("skipped"):
                results["skipped"]["nlu"] = results["nlu"]["skipped"]
        if "real" in wanted or "pipelines" in wanted:
            from bench import pipelines
            from bot import training as bot_training
            trained = results.get("training") or {}
            model = Path(args.model) if args.model else (
                Path(trained["model"]) if trained.get("model") and not trained.get("error")
                else bot_training.MODEL_PATH)
            if "real" in wanted:
                log(f"[real] the real messages on {model}")
                results["real"] = pipelines.run_real(model, work / "real", log)
            if "pipelines" in wanted:
                results["pipelines"] = pipelines.run_pipelines(
                    work / "pipelines", args.quick, log,
                    prebuilt=None if args.model else prebuilt.get("project"))
        live_sections = set(wanted) & LIVE
        if live_sections:
            from bench import live
            from bot import training as bot_training
            trained = work / "train" / "full.tar.gz"
            # the model the training section just built from this checkout, else make train's
            model = Path(args.model) if args.model else (
                trained if trained.exists() else bot_training.MODEL_PATH)
            results["meta"]["model"] = str(model)
            if model == bot_training.MODEL_PATH:
                results["meta"]["model_up_to_date"] = bot_training.is_up_to_date()
                if not results["meta"]["model_up_to_date"]:
                    log("WARNING: models/current.tar.gz is older than the data (make train)")
            if not model.exists():
                results["skipped"]["live"] = f"no trained model at {model} (make train)"
            else:
                results["live"] = live.run(work / "live", args.quick, log, live_sections,
                                           model=model)
    except KeyboardInterrupt:
        log("interrupted: writing what was measured so far")
        results["meta"]["interrupted"] = True
    finally:
        results["meta"]["duration_s"] = round(time.perf_counter() - started, 1)
        results["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        write_outputs(results, out)
        if args.keep:
            log(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for row in report.targets_mod.evaluate(results):
        log(f"  {row['status']:4}  {row['target']}: {row['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
