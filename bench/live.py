"""Sections 2, 3, 4b, 5 on one live deployment: cold start, latency/throughput
under load, knowledge-base hot reload, memory. Servers come from
tests/support/servers.py (the same commands `make run` uses), on free ports."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

from bench import proc
from bench.rss import MB, Sampler
from bot import launcher
from bot.settings import ROOT
from tests.support.servers import BotServers, post_json

PROBE = "Quel pôle pour Clamart ?"
PROBE_COMMUNE = "Clamart"
FALLBACK_ADDRESS = "13-15 rue Jean-Pierre Timbaud"
NEW_ADDRESS = "99 rue du Banc d'Essai"
FROZEN_NOW = "2026-11-18T10:15"  # a Wednesday morning: hubs open, replies deterministic


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").lower()
    return re.sub(r"\s+", " ", text)


def expected_address(commune: str = PROBE_COMMUNE) -> str:
    try:
        from knowledge import get_knowledge
        match = get_knowledge().resolve_commune(commune)
        if match.hub:
            return match.hub.address
    except Exception:  # noqa: BLE001
        pass
    return FALLBACK_ADDRESS


def reply_text(body) -> str:
    if not isinstance(body, list):
        return str(body)
    return "\n".join(m.get("text") or "" for m in body if isinstance(m, dict))


def ask(url: str, sender: str, text: str, timeout: float = 30) -> str | None:
    try:
        status, body = post_json(url, {"sender": sender, "message": text}, timeout=timeout)
    except OSError:
        return None
    return reply_text(body) if status == 200 else None


def cold_start(servers: BotServers, address: str, timeout: float, log) -> dict:
    """Launch both servers; time until the probe is answered with the right address."""
    marks: dict = {}
    start = time.perf_counter()
    for p in servers.processes.values():
        p.start(wait=False)
    health = {name: p.health_url for name, p in servers.processes.items()}
    last_reply, attempt = None, 0
    while time.perf_counter() - start < timeout:
        if "first_reply_s" in marks and time.perf_counter() - start > marks["first_reply_s"] + 60:
            break  # answering, but not with the right address
        for name, p in servers.processes.items():
            if p.popen.poll() is not None:
                raise proc.StepFailed(f"{name} server exited {p.popen.returncode}:\n"
                                      f"{proc.tail(p.log_path)}")
            if f"{name}_healthy_s" not in marks and launcher.is_healthy(health[name]):
                marks[f"{name}_healthy_s"] = round(time.perf_counter() - start, 2)
        if "rasa_healthy_s" in marks:
            attempt += 1
            t_ask = time.perf_counter()
            last_reply = ask(servers.rest_url, f"cold-{attempt}", PROBE)
            if last_reply is not None and "first_reply_s" not in marks:
                marks["first_reply_s"] = round(time.perf_counter() - start, 2)
                marks["first_reply_latency_ms"] = round(1000 * (time.perf_counter() - t_ask))
            if last_reply and norm(address) in norm(last_reply):
                marks["first_correct_s"] = round(time.perf_counter() - start, 2)
                break
        time.sleep(0.2)
    marks["probe"] = PROBE
    marks["expected"] = address
    marks["correct"] = "first_correct_s" in marks
    if not marks["correct"]:
        marks["last_reply"] = (last_reply or "")[:500]
    log(f"[live] cold start: {marks}")
    return marks


def load_run(url: str, concurrency: int, duration: float, think: str, work: Path,
             sampler: Sampler, label: str, max_conversations: int | None = None) -> dict:
    out = work / f"load-{label}.json"
    cmd = [proc.PY, "-m", "bench.load", "--url", url, "--concurrency", str(concurrency),
           "--duration", str(duration), "--think", think, "--out", str(out)]
    if max_conversations:
        cmd += ["--max-conversations", str(max_conversations)]
    sampler.mark()
    cpu_before = sampler.cpu()
    proc.run(cmd, work / "load.log", timeout=duration + 300)
    cpu_after = sampler.cpu()
    result = json.loads(out.read_text(encoding="utf-8"))
    result["rss_peak_mb"] = sampler.mark()
    # server CPU per message: independent of how busy the (shared) machine is
    result["cpu_ms_per_msg"] = {
        name: round(1000 * (cpu_after[name] - cpu_before[name]) / max(1, result["messages"]), 1)
        for name in cpu_after}
    result["label"] = label
    return result


def kb_reload(servers: BotServers, kb_dir: Path, old: str, timeout: float, log) -> dict:
    """Edit the hub address in the served copy of knowledge/data; time until REST shows it."""
    path = kb_dir / "structures.yml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace(f"adresse: {old}", f"adresse: {NEW_ADDRESS}", 1)
    if edited == text:
        return {"error": f"'adresse: {old}' not found in {path.name}"}
    before = ask(servers.rest_url, "kb-before", PROBE) or ""
    start = time.perf_counter()
    path.write_text(edited, encoding="utf-8")
    attempt = 0
    while time.perf_counter() - start < timeout:
        attempt += 1
        reply = ask(servers.rest_url, f"kb-{attempt}", PROBE) or ""
        if norm(NEW_ADDRESS) in norm(reply):
            seconds = round(time.perf_counter() - start, 2)
            log(f"[live] knowledge edit live after {seconds} s")
            return {"seconds": seconds, "polls": attempt, "ok": True,
                    "edit": f"structures.yml adresse: {old} -> {NEW_ADDRESS}"}
        time.sleep(0.25)
    return {"ok": False, "seconds": None, "timeout_s": timeout, "before": before[:300],
            "last_reply": reply[:300]}


def fuzz(servers: BotServers, work: Path, n: int, log) -> dict:
    """Optional: bench/fuzz_rest.py (hostile messages) against the same servers."""
    out = work / "fuzz.json"
    log(f"[live] fuzz: {n} hostile messages (bench/fuzz_rest.py)...")
    try:
        proc.run([proc.PY, "-m", "bench.fuzz_rest", "--n", str(n), "--url", servers.rest_url,
                  "--json", str(out)], work / "fuzz.log", timeout=900)
    except proc.StepFailed as err:
        if not out.exists():
            return {"error": str(err)[-1500:]}
    result = json.loads(out.read_text(encoding="utf-8"))
    return {k: result.get(k) for k in ("n", "statuses", "server_errors", "transport_errors",
                                       "crashes", "silent", "seconds", "examples")}


def run(work: Path, quick: bool, log, sections: set[str], model: Path | None = None) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    kb_dir = work / "knowledge-data"
    shutil.copytree(ROOT / "knowledge" / "data", kb_dir, dirs_exist_ok=True)
    address = expected_address()
    env = {"KNOWLEDGE_DIR": str(kb_dir), "BOT_NOW": FROZEN_NOW}
    servers = BotServers(work, extra_env=env, **({"model": model} if model else {}))
    results: dict = {}
    try:
        results["cold_start"] = cold_start(servers, address, 300, log)
        pids = {name: p.popen.pid for name, p in servers.processes.items()}
        with Sampler(pids) as sampler:
            time.sleep(1)
            after_start = {k: round(v / MB, 1) for k, v in sampler.sample().items()}
            if sections & {"latency", "memory"}:
                log("[live] warm-up...")
                warm = load_run(servers.rest_url, 2, 60, "0", work, sampler, "warmup",
                                max_conversations=4 if quick else 12)
                time.sleep(2)
                idle = {k: round(v / MB, 1) for k, v in sampler.sample().items()}
                runs = []
                duration = 5 if quick else 30
                for concurrency in (1, 10, 50):
                    log(f"[live] load: {concurrency} concurrent conversations, {duration} s...")
                    runs.append(load_run(servers.rest_url, concurrency, duration, "0.5-1.5",
                                         work, sampler, f"c{concurrency}"))
                    log(f"[live]   p50 {runs[-1]['p50_ms']} p95 {runs[-1]['p95_ms']} ms, "
                        f"{runs[-1]['msg_per_s']} msg/s, errors {runs[-1]['errors']}")
                log("[live] saturation: 10 concurrent, no think time...")
                saturation = load_run(servers.rest_url, 10, 5 if quick else 20, "0", work,
                                      sampler, "saturation-c10")
                log(f"[live]   p50 {saturation['p50_ms']} p95 {saturation['p95_ms']} ms, "
                    f"{saturation['msg_per_s']} msg/s")
                results["latency"] = {
                    "think_s": [0.5, 1.5], "duration_s": duration,
                    "warmup": {k: warm[k] for k in ("messages", "errors", "p50_ms", "p95_ms")},
                    "runs": runs, "saturation": saturation,
                }
                results["memory"] = {
                    "after_start_mb": after_start, "idle_mb": idle,
                    "peak_under_load_mb": {
                        name: max(r["rss_peak_mb"].get(name, 0) for r in runs + [saturation])
                        for name in pids},
                    "peak_overall_mb": {k: round(v / MB, 1) for k, v in sampler.peak.items()},
                }
            if "profile" in sections:
                from bench import profile
                cold = results["cold_start"].get("first_correct_s")
                results["profile_turn"] = profile.turn_breakdown(
                    servers, work, 20 if quick else 60, log,
                    load_experiment=quick or cold is None or cold > 30)
            if "kbreload" in sections:
                results["kb_reload"] = kb_reload(servers, kb_dir, address, 60, log)
            if "fuzz" in sections and (ROOT / "bench" / "fuzz_rest.py").exists():
                results["fuzz"] = fuzz(servers, work, 100 if quick else 200, log)
    except (proc.StepFailed, subprocess.TimeoutExpired, OSError, RuntimeError) as err:
        log(f"[live] FAILED: {err}")
        results["error"] = str(err)[-3000:]
        results["rasa_log_tail"] = proc.tail(servers.processes["rasa"].log_path, 30)
    finally:
        servers.stop()
    return results
