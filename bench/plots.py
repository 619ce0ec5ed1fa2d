"""PNG plots (matplotlib, Agg). Each function returns the file name or None."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402,F401

COLORS = {"project": "#1f77b4", "stock": "#ff7f0e", "tfidf": "#7f7f7f"}
ORDER = ("project", "stock", "tfidf")


def latency(live: dict, out: Path, target_ms: float = 150) -> str | None:
    lat = (live or {}).get("latency")
    if not lat:
        return None
    runs = sorted(lat["runs"], key=lambda r: r["concurrency"])
    xs = [r["concurrency"] for r in runs]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, style in (("p50_ms", "o-"), ("p95_ms", "s-"), ("p99_ms", "^--")):
        ys = [r[key] for r in runs]
        ax.plot(xs, ys, style, label=key.replace("_ms", ""))
        for x, y in zip(xs, ys):
            if key in ("p50_ms", "p95_ms") and y is not None:
                ax.annotate(f"{y:.0f}", (x, y), textcoords="offset points", fontsize=8,
                            xytext=(6, 4) if key == "p95_ms" else (6, -11))
    ax.axhline(target_ms, color="red", ls=":", label=f"target p95 ≤ {target_ms:.0f} ms @10")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(matplotlib.ticker.FixedLocator(
        [10, 20, 50, 100, 150, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000]))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xticks(xs)
    ax.set_xticklabels([str(x) for x in xs])
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("REST round trip (ms, log)")
    ax.set_title(f"Latency (think time {lat['think_s'][0]}–{lat['think_s'][1]} s)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    labels = [str(x) for x in xs] + ["10\nno think"]
    tput = [r["msg_per_s"] for r in runs] + [lat["saturation"]["msg_per_s"]]
    errs = [r["errors"] for r in runs] + [lat["saturation"]["errors"]]
    bars = ax2.bar(labels, tput, color=["#1f77b4"] * len(runs) + ["#9467bd"])
    for bar, t, e in zip(bars, tput, errs):
        ax2.annotate(f"{t:.1f} msg/s\n{e} errors", (bar.get_x() + bar.get_width() / 2, t),
                     ha="center", va="bottom", fontsize=8, color="red" if e else "black")
    ax2.set_ylim(0, max(tput) * 1.3 if tput else 1)
    ax2.set_xlabel("concurrent conversations")
    ax2.set_ylabel("messages / s")
    ax2.set_title("Throughput and errors")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    plt.close(fig)
    return "latency.png"


def nlu_comparison(nlu: dict, out: Path) -> str | None:
    systems = [(n, (nlu or {}).get("systems", {}).get(n)) for n in ORDER]
    systems = [(n, s) for n, s in systems if s and s.get("intent")]
    if not systems:
        return None
    metrics = [("accuracy", lambda s: s["intent"]["accuracy"]),
               ("intent macro-F1", lambda s: s["intent"]["macro_f1"]),
               ("commune F1\n(exact span)",
                lambda s: (s.get("entities_span") or {}).get("commune", {}).get("f1"))]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2),
                                  gridspec_kw={"width_ratios": [3, 1.3]})
    width = 0.8 / len(systems)
    values = []
    for i, (name, s) in enumerate(systems):
        ys = [fn(s) for _, fn in metrics]
        xs = [j + (i - (len(systems) - 1) / 2) * width for j in range(len(metrics))]
        ax.bar([x for x, y in zip(xs, ys) if y is not None], [y for y in ys if y is not None],
               width, label=s.get("label", name), color=COLORS[name])
        for x, y in zip(xs, ys):
            if y is not None:
                values.append(y)
                ax.annotate(f"{y:.3f}", (x, y), ha="center", va="bottom", fontsize=7)
            else:
                ax.annotate("n/a", (x, 0), xycoords=("data", "axes fraction"), ha="center",
                            va="bottom", fontsize=7, color="grey")
    lo = max(0.0, min(values) - 0.05) if values else 0
    ax.set_ylim(lo, 1.02)
    ax.axhline(0.95, color="red", ls=":", lw=1)
    ax.set_xticks(range(len(metrics)))
    ax.set_xticklabels([m for m, _ in metrics])
    ax.set_title("NLU on the held-out set (red: 0.95)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
    times = [s.get("train_time_s") or 0 for _, s in systems]
    ax2.bar([s.get("label", n).replace(" ", "\n", 1) for n, s in systems], times,
            color=[COLORS[n] for n, _ in systems])
    for i, t in enumerate(times):
        ax2.annotate(f"{t:.0f} s", (i, t), ha="center", va="bottom", fontsize=8)
    ax2.set_title("Training time")
    ax2.set_ylabel("seconds")
    ax2.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    fig.savefig(out / "nlu_comparison.png", dpi=110)
    plt.close(fig)
    return "nlu_comparison.png"


def per_intent(nlu: dict, out: Path) -> str | None:
    systems = [(n, (nlu or {}).get("systems", {}).get(n)) for n in ORDER]
    systems = [(n, s) for n, s in systems if s and s.get("intent")]
    if not systems:
        return None
    intents = sorted({k for _, s in systems for k in s["intent"]["per_intent"]}, reverse=True)
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(intents) * len(systems) / 2 + 1.5))
    height = 0.8 / len(systems)
    for i, (name, s) in enumerate(systems):
        ys = [j + (i - (len(systems) - 1) / 2) * height for j in range(len(intents))]
        f1 = [s["intent"]["per_intent"].get(k, {}).get("f1", 0) for k in intents]
        ax.barh(ys, f1, height, label=s.get("label", name), color=COLORS[name])
    ax.set_yticks(range(len(intents)))
    ax.set_yticklabels(intents, fontsize=8)
    lowest = min((s["intent"]["per_intent"].get(k, {}).get("f1", 0) for _, s in systems
                  for k in intents), default=0)
    ax.set_xlim(max(0.0, round(lowest - 0.05, 1)), 1.0)
    ax.axvline(0.9, color="red", ls=":", lw=1)
    ax.set_xlabel("F1 on the held-out set (axis does not start at 0)")
    ax.set_title("Per-intent F1 (red: 0.90)")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(True, axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "nlu_per_intent.png", dpi=110)
    plt.close(fig)
    return "nlu_per_intent.png"


def confusion(nlu: dict, out: Path, system: str = "project") -> str | None:
    s = (nlu or {}).get("systems", {}).get(system) or {}
    cm = s.get("confusion_matrix")
    if not cm:
        return None
    labels, matrix = cm["labels"], cm["matrix"]
    norm = [[v / max(1, sum(row)) for v in row] for row in matrix]
    n = len(labels)
    size = max(6, 0.33 * n + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    for i in range(n):
        for j in range(n):
            v = matrix[i][j]
            if v:
                color = "white" if norm[i][j] > 0.6 else ("red" if i != j else "black")
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color=color)
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels(labels, rotation=90, fontsize=7)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"Intent confusion matrix — {s.get('label', system)} "
                 "(counts; colour = row share; red = errors)")
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(out / "confusion_project.png", dpi=110)
    plt.close(fig)
    return "confusion_project.png"


def all_plots(results: dict, out: Path) -> list[str]:
    files = []
    for fn, arg in ((latency, results.get("live")), (nlu_comparison, results.get("nlu")),
                    (per_intent, results.get("nlu")), (confusion, results.get("nlu"))):
        try:
            name = fn(arg, out)
        except Exception as err:  # noqa: BLE001 - a plot must not lose the results
            print(f"[plots] {fn.__name__} failed: {err}")
            name = None
        if name:
            files.append(name)
    return files
