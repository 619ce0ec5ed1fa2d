"""RSS of process trees, sampled in a background thread (psutil)."""
from __future__ import annotations

import threading
import time

import psutil

MB = 1024 * 1024


def _tree_sum(pid: int, measure) -> float:
    """Sum `measure(process)` over a process and its live descendants (0 if gone)."""
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += measure(p)
        except psutil.NoSuchProcess:
            pass
    return total


def tree_rss(pid: int) -> int:
    """RSS in bytes of a process and all its descendants (0 if gone)."""
    return int(_tree_sum(pid, lambda p: p.memory_info().rss))


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its live descendants."""
    def cpu(p: psutil.Process) -> float:
        times = p.cpu_times()
        return times.user + times.system
    return float(_tree_sum(pid, cpu))


class Sampler:
    """Samples {name: pid} every `interval` s; `mark()` starts a new peak window."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25):
        self.pids = pids
        self.interval = interval
        self.peak = {name: 0 for name in pids}
        self.window_peak = dict(self.peak)
        self.last = dict(self.peak)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> dict[str, int]:
        values = {name: tree_rss(pid) for name, pid in self.pids.items()}
        with self._lock:
            for name, value in values.items():
                self.last[name] = value
                self.peak[name] = max(self.peak[name], value)
                self.window_peak[name] = max(self.window_peak[name], value)
        return values

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def cpu(self) -> dict[str, float]:
        return {name: tree_cpu_seconds(pid) for name, pid in self.pids.items()}

    def mark(self) -> dict[str, float]:
        """Peak (MB) since the previous mark, and start a new window."""
        with self._lock:
            window = {k: round(v / MB, 1) for k, v in self.window_peak.items()}
            self.window_peak = {k: 0 for k in self.window_peak}
        return window

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
