"""Issue 6 and issue 11 targets, checked against a results dict. Pure."""
from __future__ import annotations

RSS_LIMIT_MB = 1536  # 1.5 GiB


def _get(d: dict, *path):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _run_at(results: dict, concurrency: int) -> dict | None:
    for run in _get(results, "live", "latency", "runs") or []:
        if run.get("concurrency") == concurrency:
            return run
    return None


def evaluate(results: dict) -> list[dict]:
    """Rows: {target, measured (str), value, status PASS/MISS/n/a}."""
    rows = []

    def row(name, value, ok, fmt, note=""):
        status = "n/a" if value is None else ("PASS" if ok(value) else "MISS")
        rows.append({"target": name, "value": value, "status": status, "note": note,
                     "measured": "—" if value is None else fmt(value)})

    project = _get(results, "nlu", "systems", "project") or {}
    stock = _get(results, "nlu", "systems", "stock") or {}
    p_f1 = _get(project, "intent", "macro_f1")
    s_f1 = _get(stock, "intent", "macro_f1")
    row("intent macro-F1 ≥ 0.95 (project)", p_f1, lambda v: v >= 0.95, lambda v: f"{v:.3f}")
    gap = None if p_f1 is None or s_f1 is None else round(p_f1 - s_f1, 4)
    row("macro-F1 ≥ stock + 2 points", gap, lambda v: v >= 0.02,
        lambda v: f"{100 * v:+.1f} points ({p_f1:.3f} vs {s_f1:.3f})")
    commune = _get(project, "entities_span", "commune", "f1")
    row("commune F1 ≥ 0.97 (project, exact spans)", commune, lambda v: v >= 0.97,
        lambda v: f"{v:.3f}")
    c10 = _run_at(results, 10)
    row("p95 ≤ 150 ms at 10 concurrent conversations", c10 and c10.get("p95_ms"),
        lambda v: v <= 150, lambda v: f"{v:.0f} ms", "think time 0.5–1.5 s")
    c50 = _run_at(results, 50)
    row("0 errors at 50 concurrent conversations", c50 and c50.get("errors"),
        lambda v: v == 0, lambda v: f"{v} errors / {c50['messages']} messages")
    cold = _get(results, "live", "cold_start") or {}
    cold_s = cold.get("first_correct_s")
    if cold and not cold.get("correct"):
        rows.append({"target": "cold start ≤ 30 s", "value": None, "status": "MISS",
                     "note": "", "measured": "no correct answer"})
    else:
        row("cold start ≤ 30 s", cold_s, lambda v: v <= 30, lambda v: f"{v:.1f} s",
            "launch → first right address")
    train = _get(results, "training", "seconds")
    quick = _get(results, "training", "quick_epochs")
    row("full training ≤ 5 min", None if quick else train, lambda v: v <= 300,
        lambda v: f"{v:.0f} s", "quick run: epochs reduced, not comparable" if quick else "")
    real = _get(results, "real", "heldout") or {}
    for key, name, ok in (
            ("danger_ok", "real held-out: danger recall (right helpline first) ≥ 0.95",
             lambda v: v >= 0.95),
            ("false_alarm", "real held-out: specific helpline to an ordinary message ≤ 2 %",
             lambda v: v <= 0.02),
            ("routed", "real held-out: need routing ≥ 85 %", lambda v: v >= 0.85),
            ("dead_end", "real held-out: dead ends (> 8 words) ≤ 5 %", lambda v: v <= 0.05)):
        part = real.get(key) or {}
        row(name, part.get("rate"), ok,
            lambda v, part=part: f"{100 * v:.1f} % ({part.get('hits')}/{part.get('n')})")
    rss = _get(results, "live", "memory", "peak_overall_mb", "rasa")
    row("Rasa server RSS ≤ 1.5 GB", rss, lambda v: v <= RSS_LIMIT_MB, lambda v: f"{v:.0f} MiB",
        "peak, idle + all load runs")
    return rows
