"""Section 4a: full `rasa train` (core + NLU) time, into a temp dir."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from bench import proc
from bot.settings import ROOT


def run(work: Path, quick: bool, log) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    config = ROOT / "config.yml"
    if quick:
        config = proc.with_epochs(config, 5, work / "config-quick.yml")
    else:  # a copy: `rasa train` may write into its config file
        config = Path(shutil.copy(config, work / "config.yml"))
    log(f"[train] full rasa train (core + NLU){' with 5 epochs (quick)' if quick else ''}...")
    start = time.perf_counter()
    try:
        # an empty training cache: Rasa would otherwise reuse what `make train` computed
        seconds = proc.run([proc.PY, "-m", "rasa", "train", "--config", str(config),
                            "--domain", str(ROOT / "domain"), "--data", str(ROOT / "data"),
                            "--out", str(work), "--fixed-model-name", "full"],
                           work / "train.log",
                           extra_env={"RASA_CACHE_DIRECTORY": str(work / "rasa-cache")})
    except proc.StepFailed as err:
        return {"error": str(err)[-2000:], "seconds": round(time.perf_counter() - start, 1)}
    model = work / "full.tar.gz"
    components = proc.component_times((work / "train.log").read_text(errors="replace"))
    log(f"[train] full training: {seconds:.0f} s")
    return {"seconds": round(seconds, 1), "quick_epochs": 5 if quick else None,
            "components": components, "model": str(model),
            "model_mb": round(model.stat().st_size / 1e6, 1) if model.exists() else None,
            "cpu_count": os.cpu_count()}
