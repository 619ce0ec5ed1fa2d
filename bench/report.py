"""Markdown report from a results dict. Pure: tolerant of skipped/failed sections."""
from __future__ import annotations

from bench import metrics
from bench import targets as targets_mod

SYSTEM_ORDER = ("project", "stock", "tfidf")


def fmt(value, spec: str = ".3f", dash: str = "—") -> str:
    if value is None:
        return dash
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, spec)
    return str(value)


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _false_alarms(system: dict) -> int | None:
    cm = system.get("confusion_matrix")
    if not cm:
        return None
    labels = cm["labels"]
    return sum(cm["matrix"][i][j] for i, g in enumerate(labels) for j, p in enumerate(labels)
               if metrics.is_false_alarm(g, p))


def _systems(nlu: dict) -> list[tuple[str, dict]]:
    systems = nlu.get("systems") or {}
    return [(name, systems[name]) for name in SYSTEM_ORDER if name in systems]


def section_targets(results: dict) -> str:
    rows = targets_mod.evaluate(results)
    icon = {"PASS": "✅ PASS", "MISS": "❌ MISS", "n/a": "n/a"}
    return "## Targets (issue 6)\n\n" + table(
        ["target", "measured", "status", "note"],
        [[r["target"], r["measured"], icon[r["status"]], r["note"]] for r in rows])


def section_nlu(nlu: dict | None) -> str:
    out = ["## 1. NLU quality (held-out set)"]
    if not nlu:
        return out[0] + "\n\nnot run."
    if nlu.get("skipped"):
        return out[0] + f"\n\nskipped: {nlu['skipped']}."
    out.append(
        f"Trained on `data/nlu` ({nlu['n_train']} examples, {nlu['n_intents_train']} intents), "
        f"scored on `{nlu['heldout']}` ({nlu['n_test']} examples; "
        f"{nlu['train_test_overlap']} held-out texts also appear in training)."
        + (f" **Quick run: epochs forced to {nlu['epochs_override']}.**"
           if nlu.get("epochs_override") else "")
        + " Rasa systems are scored with Rasa's own evaluation loop (FallbackClassifier "
          "predictions undone, as `rasa test nlu` does); the fallback rate says how often the "
          "project's threshold would have answered with a fallback instead.")
    rows = []
    for name, s in _systems(nlu):
        if s.get("error"):
            rows.append([s.get("label", name), "error", "", "", "", "", "", "", "", ""])
            continue
        i = s.get("intent") or {}
        rows.append([s.get("label", name), fmt(i.get("accuracy")), fmt(i.get("macro_f1")),
                     fmt(i.get("weighted_f1")),
                     fmt((s.get("entities_span") or {}).get("commune", {}).get("f1")),
                     fmt(s.get("safety_errors"), "d"), fmt(_false_alarms(s), "d"),
                     fmt(s.get("fallback_rate"), ".1%"), fmt(s.get("train_time_s"), ".1f"),
                     fmt(s.get("train_wall_s"), ".0f")])
    out.append(table(["system", "accuracy", "macro-F1", "weighted F1", "commune F1",
                      "missed dangers", "false alarms", "fallback rate", "training (s)",
                      "wall (s)"], rows))
    sysd = dict(_systems(nlu))
    p_f1 = ((sysd.get("project") or {}).get("intent") or {}).get("macro_f1")
    t_f1 = ((sysd.get("tfidf") or {}).get("intent") or {}).get("macro_f1")
    if p_f1 is not None and t_f1 is not None and t_f1 >= p_f1 - 0.005:
        verdict = ("on intents alone the held-out set does not separate them"
                   if abs(t_f1 - p_f1) <= 0.005 else "the baseline is better on intents")
        out.append(f"Observation: the TF-IDF baseline scores {t_f1:.3f} macro-F1 against "
                   f"{p_f1:.3f} for the project pipeline, with "
                   f"{sysd['tfidf'].get('safety_errors')} missed dangers against "
                   f"{sysd['project'].get('safety_errors')}: {verdict}. DIET also extracts the "
                   "entities (commune, postal code), which the baseline does not.")
    out.append("Missed dangers: held-out `danger_*` messages predicted as anything else "
               "(another intent or the wrong helpline). False alarms: other messages predicted "
               "as a `danger_*` intent. Training: the NLU components' own "
               "training time from Rasa's log (1 s resolution), or the scikit-learn fit; wall: "
               "the whole `rasa train nlu` process (start-up, imports, data loading). The "
               "project's NLU is scored from the full model of section 4 (same config), so it "
               "has no separate wall time.")

    # entities
    ent_rows = []
    for name, s in _systems(nlu):
        for entity, m in (s.get("entities_span") or {}).items():
            ent_rows.append([s.get("label", name), entity, "final output, exact span",
                             fmt(m["precision"]), fmt(m["recall"]), fmt(m["f1"]), m["support"]])
        for extractor, report in (s.get("entities_rasa") or {}).items():
            for entity, m in report.items():
                if entity in ("macro avg", "weighted avg"):
                    continue
                ent_rows.append([s.get("label", name), entity, f"{extractor}, Rasa token-level",
                                 fmt(m["precision"]), fmt(m["recall"]), fmt(m["f1"]),
                                 m["support"]])
    if ent_rows:
        out.append("### Entities\n\nExact span = same start, end and type after the whole "
                   "pipeline (what the actions receive). Token-level = `rasa test nlu`'s "
                   "per-extractor report.\n\n" + table(
                       ["system", "entity", "scoring", "precision", "recall", "F1", "support"],
                       ent_rows))

    # per intent
    systems = [(n, s) for n, s in _systems(nlu) if s.get("intent")]
    intents = sorted({k for _, s in systems for k in s["intent"]["per_intent"]})
    if intents:
        rows = []
        for intent in intents:
            f1s = [s["intent"]["per_intent"].get(intent, {}).get("f1") for _, s in systems]
            support = next((s["intent"]["per_intent"][intent]["support"] for _, s in systems
                            if intent in s["intent"]["per_intent"]), "")
            best = max((f for f in f1s if f is not None), default=None)
            cells = [(f"**{fmt(f)}**" if f is not None and f < 0.9 else fmt(f)) for f in f1s]
            rows.append([intent, support, *cells, "" if best is None else
                         ("⚠" if best < 0.9 else "")])
        out.append("### Per-intent F1 (bold: below 0.90)\n\n" + table(
            ["intent", "support", *[s.get("label", n) for n, s in systems], ""], rows))

    # confusions
    for name, s in systems:
        pairs = s.get("confusions") or []
        if not pairs:
            continue
        pairs = sorted(pairs, key=lambda p: (not p["safety"],
                                             not metrics.is_false_alarm(p["gold"], p["pred"])))
        rows = [[("🚨 " if p["safety"] else "") + p["gold"],
                 ("⚠ " if metrics.is_false_alarm(p["gold"], p["pred"]) else "") + p["pred"],
                 p["count"], "; ".join(f"« {e} »" for e in p["examples"])] for p in pairs[:10]]
        out.append(f"### Confusions that matter most — {s.get('label', name)}\n\n"
                   "Missed dangers first (🚨: a danger message not given its helpline), then "
                   "false alarms (⚠: an ordinary message answered with a helpline), then by "
                   "count.\n\n"
                   + table(["gold", "predicted", "n", "examples"], rows))
    return "\n\n".join(out)


def section_live(live: dict | None) -> str:
    out = []
    if not live:
        return "## 2–5. Live server measurements\n\nnot run."
    if live.get("error"):
        out.append("## Live server measurements: FAILED\n\n```\n" + live["error"][-1500:]
                   + "\n```\n\nRasa log tail:\n\n```\n" + live.get("rasa_log_tail", "") + "\n```")
    lat = live.get("latency")
    if lat:
        rows = []
        for r in lat["runs"] + [lat["saturation"]]:
            think = r.get("think_s") or [0, 0]
            rows.append([r["concurrency"], "none (saturation)" if not think[1] else
                         f"{think[0]}–{think[1]} s", r["messages"], fmt(r["msg_per_s"], ".1f"),
                         fmt(r["p50_ms"], ".0f"), fmt(r["p95_ms"], ".0f"), fmt(r["p99_ms"], ".0f"),
                         fmt(r["max_ms"], ".0f"), r["errors"],
                         ", ".join(f"{k}: {v}" for k, v in r.get("error_kinds", {}).items()),
                         fmt((r.get("cpu_ms_per_msg") or {}).get("rasa"), ".0f"),
                         fmt((r.get("cpu_ms_per_msg") or {}).get("actions"), ".0f")])
        out.append(
            "## 2. Latency and throughput (REST round trip)\n\n"
            "Each virtual user plays whole French conversations (greeting → commune → hours → "
            "open on Saturday → transport → thanks, and variants; served, uncovered and "
            "out-of-département communes, typos) against `/webhooks/rest/webhook`, pausing "
            "between messages like a person typing. The load comes from a separate process "
            f"(`python -m bench.load`, aiohttp). Each run lasts {lat['duration_s']} s after a "
            f"warm-up ({lat['warmup']['messages']} messages). Clock frozen on a Wednesday "
            "morning (`BOT_NOW`). Errors = non-200, timeout, empty reply or the channel's "
            "apology.\n\n" + table(
                ["concurrent", "think time", "messages", "msg/s", "p50 ms", "p95 ms", "p99 ms",
                 "max ms", "errors", "kinds", "Rasa CPU ms/msg", "actions CPU ms/msg"], rows)
            + "\n\nCPU ms/msg: CPU time the server process tree used during the run, per "
              "message; unlike latency it does not depend on how busy the machine is. "
              "2 cores give at most 2000 CPU ms per second." + _capacity(lat))
    cold = live.get("cold_start")
    if cold:
        out.append("## 3. Cold start\n\n" + table(
            ["step", "seconds after launch"],
            [["action server healthy", fmt(cold.get("actions_healthy_s"), ".1f")],
             ["Rasa server healthy (REST up)", fmt(cold.get("rasa_healthy_s"), ".1f")],
             ["first reply", fmt(cold.get("first_reply_s"), ".1f")],
             [f"first correct answer (« {cold.get('probe')} » → {cold.get('expected')})",
              fmt(cold.get("first_correct_s"), ".1f") if cold.get("correct")
              else "never (" + cold.get("last_reply", "")[:120] + ")"]]))
    return "\n\n".join(out)


def _capacity(lat: dict) -> str:
    sat = lat.get("saturation") or {}
    cpu = (sat.get("cpu_ms_per_msg") or {}).get("rasa")
    if not cpu or not sat.get("msg_per_s"):
        return ""
    cores = cpu * sat["msg_per_s"] / 1000
    return (f" At saturation the Rasa server used {cores:.2f} cores ({cpu:.0f} CPU ms × "
            f"{sat['msg_per_s']:.1f} msg/s): one Python event loop serves every conversation, "
            f"so one Rasa process tops out near {1000 / cpu:.0f} msg/s whatever the core count; "
            "more throughput needs more Rasa processes (replicas), not more threads.")


def section_memory(live: dict | None) -> str:
    mem = (live or {}).get("memory")
    if not mem:
        return ""
    names = list(mem["idle_mb"])
    return "## 5. Memory (RSS, process + children, MiB)\n\n" + table(
        ["process", "after start", "idle (warm)", "peak under load", "peak overall"],
        [[n, fmt(mem["after_start_mb"].get(n), ".0f"), fmt(mem["idle_mb"].get(n), ".0f"),
          fmt(mem["peak_under_load_mb"].get(n), ".0f"),
          fmt(mem["peak_overall_mb"].get(n), ".0f")] for n in names])


def section_training(results: dict) -> str:
    tr = results.get("training") or {}
    kb = (results.get("live") or {}).get("kb_reload") or {}
    rows = []
    if tr:
        rows.append(["full `rasa train` (core + NLU), temp dir",
                     "error" if tr.get("error") else fmt(tr.get("seconds"), ".0f") + " s"
                     + (f" (quick: {tr['quick_epochs']} epochs)" if tr.get("quick_epochs") else "")])
    if kb:
        rows.append(["knowledge-base edit live over REST (no retraining, no restart)",
                     fmt(kb.get("seconds"), ".1f") + " s" if kb.get("ok")
                     else f"not seen within {kb.get('timeout_s')} s {kb.get('error', '')}"])
    if any(c["seconds"] >= 1 for c in tr.get("components") or []):
        slow = [c for c in sorted(tr["components"], key=lambda c: -c["seconds"])
                if c["seconds"] >= 1][:4]
        rows.append(["of which, slowest components",
                     ", ".join(f"{c['component']} {c['seconds']:.0f} s" for c in slow)])
    if not rows:
        return "## 4. Training and knowledge updates\n\nnot run."
    note = f"\n\nKB edit: `{kb['edit']}` in the served copy (`KNOWLEDGE_DIR`)." if kb.get("edit") \
        else ""
    return "## 4. Training and knowledge updates\n\n" + table(["what", "time"], rows) + note


def section_fuzz(live: dict | None) -> str:
    f = (live or {}).get("fuzz")
    if not f:
        return ""
    if f.get("error"):
        return "## Robustness (bench/fuzz_rest.py)\n\nfailed:\n\n```\n" + f["error"] + "\n```"
    return ("## Robustness (bench/fuzz_rest.py, same servers)\n\n" + table(
        ["hostile messages", "seconds", "HTTP statuses", "5xx", "transport errors", "crashes",
         "silent 200s"],
        [[f.get("n"), f.get("seconds"), ", ".join(f"{k}: {v}" for k, v in
                                                  sorted((f.get("statuses") or {}).items())),
          f.get("server_errors"), f.get("transport_errors"), len(f.get("crashes") or []),
          f.get("silent")]]))


def section_profile(live: dict | None) -> str:
    prof = (live or {}).get("profile_turn")
    if not prof or prof.get("error"):
        return ""
    m = prof["mean_turn_ms"]
    first = prof.get("first_turn_ms") or {}
    rows = [[k, fmt(m.get(k), ".1f"), fmt(first.get(k), ".1f"),
             fmt(prof["calls_per_turn"].get(k), ".2f") if k in prof["calls_per_turn"] else ""]
            for k in ("nlu", "policies", "action_server", "tracker_store", "other", "total")]
    s = prof["startup"]
    extra = []
    wal = prof.get("sqlite_wal_experiment")
    if wal:
        w = wal["mean_turn_ms"]
        extra.append(
            f"**What-if, tracker store:** the same turns with the SQLite connections kept open "
            f"(QueuePool instead of SQLAlchemy's NullPool), WAL mode and "
            f"`synchronous=NORMAL` (`sqlite_wal` in `bench/profile_turn.py`) cost {w['total']:.1f} ms per turn instead of "
            f"{m['total']:.1f} ms (tracker store {w['tracker_store']:.1f} ms instead of "
            f"{m['tracker_store']:.1f} ms). In the default rollback-journal mode every commit "
            "opens a new connection and waits for several fsyncs, and Rasa's SQL tracker store "
            "does this synchronously on the event loop, so every other conversation waits "
            "too.")
    le = prof.get("load_experiment") or {}
    if le.get("rasa") and le.get("eager_build"):
        a, b = le["rasa"]["startup"], le["eager_build"]["startup"]
        extra.append(
            f"**What-if, model load:** in a fresh process, loading the model takes "
            f"{a['load_model_s']} s the Rasa way and {b['load_model_s']} s when the single "
            "training step Rasa runs to create the TF variables is run eagerly instead of "
            "being traced into a graph (`eager_build_patch` in `bench/profile_turn.py`); "
            f"identical predictions on the probe messages: "
            f"{'yes' if le.get('same_predictions') else 'NO'}.")
    return (
        "## Profile: where the time goes\n\n"
        f"One turn, in-process agent (same model, endpoints, SQLite tracker store), "
        f"{prof['turns']} turns, no concurrency, no HTTP in front (wall-clock ms; the Rasa "
        f"process used {fmt(prof.get('rasa_cpu_ms_per_turn'), '.0f')} CPU ms per turn; "
        f"tracker store `{prof.get('tracker_store', '?')}`):\n\n"
        + table(["step", "mean ms / turn", "first turn ms", "calls / turn"], rows)
        + "\n\nStart-up of a Rasa process: "
        f"import TensorFlow {s.get('import_tensorflow_s')} s, import Rasa + server stack "
        f"{s.get('import_rasa_s')} s, load the model (graph, TF weights) {s.get('load_model_s')} s."
        + "".join("\n\n" + e for e in extra))


def findings(results: dict) -> str:
    """Data-driven notes on missed targets (the profile section has the details)."""
    notes = []
    live = results.get("live") or {}
    profile = live.get("profile_turn") or {}
    prof = profile.get("mean_turn_ms")
    load_avg = (results.get("meta") or {}).get("loadavg_start")
    for row in targets_mod.evaluate(results):
        if row["status"] != "MISS":
            continue
        t = row["target"]
        if t.startswith("p95") and prof:
            c1 = next((r for r in live["latency"]["runs"] if r["concurrency"] == 1), None)
            c10 = next((r for r in live["latency"]["runs"] if r["concurrency"] == 10), None)
            cpu = (c10 or {}).get("cpu_ms_per_msg") or {}
            text = (f"- **{t}**: measured {row['measured']}. In-process, one turn takes "
                    f"{prof['total']:.0f} ms wall (NLU {prof['nlu']:.0f}, policies "
                    f"{prof['policies']:.0f}, action server round trip "
                    f"{prof['action_server']:.0f}, tracker store {prof['tracker_store']:.0f}, "
                    f"other {prof['other']:.0f})")
            if profile.get("rasa_cpu_ms_per_turn") is not None:
                text += f" for {profile['rasa_cpu_ms_per_turn']:.0f} ms of Rasa CPU"
            if c1:
                text += f"; alone over REST, p50 is {c1['p50_ms']:.0f} ms"
            if cpu.get("rasa") is not None:
                text += (f". Under load the Rasa server burns {cpu['rasa']:.0f} CPU ms per message "
                         f"(action server {cpu.get('actions', 0):.0f})")
            text += (". Rasa serves all conversations on one event loop: NLU, policies and the "
                     "SQLite tracker store block it, so concurrent turns queue.")
            wal = profile.get("sqlite_wal_experiment")
            if wal:
                text += (f" Keeping SQLite connections open in WAL mode cuts the tracker store "
                         f"from {prof['tracker_store']:.0f} to "
                         f"{wal['mean_turn_ms']['tracker_store']:.0f} ms per turn (what-if in "
                         "the profile section).")
            if load_avg and load_avg[0] > (results["meta"].get("cpu_count") or 2):
                text += (f" The machine was shared (load average {load_avg[0]} on "
                         f"{results['meta'].get('cpu_count')} cores): wall times are inflated.")
            notes.append(text)
        elif t.startswith("cold start") and profile.get("startup"):
            s = profile["startup"]
            text = (f"- **{t}**: measured {row['measured']}; a fresh Rasa process spends "
                    f"≈ {s['import_tensorflow_s']} s importing TensorFlow, "
                    f"≈ {s['import_rasa_s']} s importing Rasa and the server stack and "
                    f"≈ {s['load_model_s']} s loading the model. Almost all of the load is "
                    "Rasa tracing a full training step (gradients, CRF) into a TF graph just to "
                    "create the DIET/TED variables.")
            le = profile.get("load_experiment") or {}
            if le.get("eager_build"):
                text += (f" Running that one step eagerly loads the same model in "
                         f"{le['eager_build']['startup']['load_model_s']} s instead of "
                         f"{le['rasa']['startup']['load_model_s']} s with identical predictions "
                         f"({'checked' if le.get('same_predictions') else 'NOT identical'}).")
            notes.append(text)
        else:
            notes.append(f"- **{t}**: measured {row['measured']}.")
    return "## Findings on missed targets\n\n" + ("\n".join(notes) if notes else
                                                  "No target missed.")


def _pct(summary: dict | None, key: str) -> str:
    part = (summary or {}).get(key) or {}
    if part.get("rate") is None:
        return "—"
    return f"{100 * part['rate']:.1f} % ({part['hits']}/{part['n']})"


def section_real(real: dict | None) -> str:
    if not real:
        return ""
    if real.get("error"):
        return "## Real messages\n\nFAILED: " + real["error"][-500:]
    rows = []
    for name in ("heldout", "learn"):
        s = real.get(name)
        if s:
            rows.append([name + (" (never trained on)" if name == "heldout" else " (trained on)"),
                         s["messages"], _pct(s, "danger_ok"), _pct(s, "false_alarm"),
                         _pct(s, "routed"), _pct(s, "dead_end")])
    out = ["## Real messages (tests/nlu/real/)",
           "Each message is the first of a new conversation, through the real servers "
           "(bench/real_messages.py); tests/nlu/real/README.md defines the measures.",
           table(["part", "messages", "danger: right helpline first", "false alarms",
                  "need routing", "dead ends (> 8 words)"], rows)]
    held = real.get("heldout") or {}
    if held.get("per_helpline"):
        out.append("Held-out, per helpline: " + ", ".join(
            f"{h} {100 * r['rate']:.0f} % ({r['hits']}/{r['n']})"
            for h, r in held["per_helpline"].items() if r.get("rate") is not None))
        out.append("Held-out, per need (no helpline): " + ", ".join(
            f"{n} {100 * r['rate']:.0f} % ({r['hits']}/{r['n']})"
            for n, r in held["per_need"].items() if r.get("rate") is not None))
    return "\n\n".join(out)


def section_pipelines(pipes: dict | None) -> str:
    if not pipes:
        return ""
    rows = []
    for name, s in (pipes.get("systems") or {}).items():
        if s.get("error"):
            rows.append([name, "FAILED", "", "", "", "", "", "", ""])
            continue
        nlu = s.get("heldout_nlu") or {}
        cold = (s.get("cold_start") or {}).get("first_correct_s")
        rows.append([name + (" ✓" if name == pipes.get("chosen") else ""),
                     _pct(s.get("heldout"), "danger_ok"), _pct(s.get("heldout"), "false_alarm"),
                     _pct(s.get("heldout"), "routed"), _pct(s.get("heldout"), "dead_end"),
                     fmt(nlu.get("intent_macro_f1")), fmt(nlu.get("commune_f1")),
                     fmt(s.get("train_s"), ".0f"), fmt(cold, ".1f"),
                     fmt(s.get("rasa_rss_mb"), ".0f")])
    return "\n\n".join([
        "## NLU pipelines compared on the real messages",
        "Each pipeline is trained from scratch (bench/configs/, config.yml) and measured the "
        "same way. Kept: the best on the held-out real messages (danger first, then routing); "
        "between equals, the lighter. ✓ marks the best of this run.",
        table(["pipeline", "danger", "false alarms", "routing", "dead ends",
               "heldout.yml macro-F1", "commune F1", "training s", "cold start s",
               "Rasa RSS MiB"], rows)])


def render(results: dict, plots: list[str] | None = None) -> str:
    meta = results.get("meta", {})
    head = [
        "# Benchmark report",
        f"- date: {meta.get('date')}, commit `{meta.get('commit', '')[:10]}`"
        + (" (uncommitted changes)" if meta.get("dirty") else ""),
        f"- machine: {meta.get('cpu_count')} CPU cores (`os.cpu_count()`), "
        f"load average at start {meta.get('loadavg_start')}, at end {meta.get('loadavg_end')}",
        f"- Python {meta.get('python')}, Rasa {meta.get('rasa')}, rasa-sdk "
        f"{meta.get('rasa_sdk')}, TensorFlow {meta.get('tensorflow')}",
        f"- command: `{meta.get('command')}`, mode: **{meta.get('mode')}**, "
        f"total {fmt(meta.get('duration_s'), '.0f')} s",
    ]
    if meta.get("mode") == "quick":
        head.append("- ⚠ quick smoke run: few epochs, short load runs; figures are not "
                    "comparable to the targets.")
    parts = ["\n".join(head), section_targets(results), findings(results)]
    if plots:
        parts.append("## Plots\n\n" + "\n\n".join(f"![{p}]({p})" for p in plots))
    parts += [section_real(results.get("real")), section_pipelines(results.get("pipelines")),
              section_nlu(results.get("nlu")), section_live(results.get("live")),
              section_training(results), section_memory(results.get("live")),
              section_profile(results.get("live")),
              section_fuzz(results.get("live"))]
    skipped = results.get("skipped") or {}
    if skipped:
        parts.append("## Not run\n\n" + "\n".join(f"- {k}: {v}" for k, v in skipped.items()))
    return "\n\n".join(p for p in parts if p) + "\n"
