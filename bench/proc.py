"""Subprocess helpers shared by the bench sections."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bot import launcher
from bot.settings import ROOT
from bot.settings import load as load_settings

PY = sys.executable


class StepFailed(RuntimeError):
    pass


def env(extra: dict | None = None) -> dict:
    """The environment every rasa process of the project gets (bot.launcher)."""
    base = dict(os.environ)
    base.update(extra or {})
    result = launcher.rasa_env_from(load_settings(base), base)
    result["PYTHONPATH"] = str(ROOT)
    return result


def run(cmd: list[str], log: Path, extra_env: dict | None = None, timeout: float = 1800,
        cwd: Path = ROOT) -> float:
    """Run to completion, output to `log`; return wall seconds, raise StepFailed on error."""
    start = time.perf_counter()
    with open(log, "ab") as handle:
        handle.write(("$ " + " ".join(map(str, cmd)) + "\n").encode())
        handle.flush()
        proc = subprocess.run(cmd, cwd=cwd, env=env(extra_env), stdout=handle,
                              stderr=subprocess.STDOUT, timeout=timeout)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise StepFailed(f"{' '.join(map(str, cmd[:4]))}... exited {proc.returncode}; "
                         f"log {log}:\n{tail(log)}")
    return seconds


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def with_epochs(config: Path, epochs: int, out: Path) -> Path:
    """Copy of a Rasa config with every `epochs:` value replaced (quick runs)."""
    text = Path(config).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*epochs:\s*)\d+", rf"\g<1>{epochs}", text)
    out.write_text(text, encoding="utf-8")
    return out


_HOOK = re.compile(r"^(?:\x1b\[[0-9;]*m)*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d).*rasa\.engine\.training\.hooks"
                   r"\s+-\s+(Starting to train|Finished training) component '([^']+)'")


def component_times(log_text: str) -> list[dict]:
    """Per-component training seconds from a `rasa train` log (1 s resolution)."""
    from datetime import datetime
    started: dict = {}
    rows = []
    for line in log_text.splitlines():
        m = _HOOK.search(line)
        if not m:
            continue
        stamp = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        name = m.group(3)
        if m.group(2).startswith("Starting"):
            started[name] = stamp
        elif name in started:
            rows.append({"component": name,
                         "seconds": (stamp - started.pop(name)).total_seconds()})
    return rows
