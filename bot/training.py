"""Train the Rasa model only when its inputs changed.

The fingerprint covers everything that shapes the model: config.yml, the domain,
the training data and the custom NLU components. It is checked in plain Python,
so `make run` on an up-to-date model costs milliseconds, not a TensorFlow import.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import MODELS_DIR, ROOT

MODEL_NAME = "current"
MODEL_PATH = MODELS_DIR / f"{MODEL_NAME}.tar.gz"
FINGERPRINT_PATH = MODELS_DIR / f"{MODEL_NAME}.fingerprint"
INPUTS = ["config.yml", "domain", "data", "bot/components"]


def _files() -> list[Path]:
    files: list[Path] = []
    for name in INPUTS:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def is_up_to_date() -> bool:
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text().strip() == fingerprint()
    )


def train(force: bool = False) -> bool:
    """Train if needed. Returns True if a training ran."""
    if not force and is_up_to_date():
        print(f"[train] model is up to date ({MODEL_PATH.relative_to(ROOT)})", flush=True)
        return False
    print("[train] training data, config or domain changed: training...", flush=True)
    MODELS_DIR.mkdir(exist_ok=True)
    wanted = fingerprint()
    start = time.monotonic()
    cmd = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain", "--data", "data",
        "--out", str(MODELS_DIR), "--fixed-model-name", MODEL_NAME,
    ]
    subprocess.run(cmd, cwd=ROOT, check=True)
    FINGERPRINT_PATH.write_text(wanted + "\n")
    print(f"[train] done in {time.monotonic() - start:.0f} s", flush=True)
    return True
