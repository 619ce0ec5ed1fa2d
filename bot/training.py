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
# The danger classifier also learns from the real messages' learning part.
INPUTS = ["config.yml", "domain", "data", "bot/components", "tests/nlu/real/learn.yml"]


def _files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def fingerprint_path(model: Path) -> Path:
    return model.with_name(model.name.removesuffix(".tar.gz") + ".fingerprint")


def is_up_to_date(root: Path = ROOT, model: Path = MODEL_PATH) -> bool:
    stamp = fingerprint_path(model)
    return model.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint(root)


def train(force: bool = False, root: Path = ROOT, model: Path = MODEL_PATH) -> bool:
    """Train if needed. Returns True if a training ran."""
    from bot.lookup_tables import write_if_changed

    if root == ROOT and write_if_changed():
        print("[train] communes changed: data/nlu/lookup_communes.yml regenerated", flush=True)
    if not force and is_up_to_date(root, model):
        print(f"[train] model is up to date ({model})", flush=True)
        return False
    print("[train] training data, config or domain changed: training...", flush=True)
    model.parent.mkdir(parents=True, exist_ok=True)
    wanted = fingerprint(root)
    start = time.monotonic()
    cmd = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain", "--data", "data",
        "--out", str(model.parent), "--fixed-model-name", model.name.removesuffix(".tar.gz"),
    ]
    subprocess.run(cmd, cwd=root, check=True)
    fingerprint_path(model).write_text(wanted + "\n")
    print(f"[train] done in {time.monotonic() - start:.0f} s", flush=True)
    return True
