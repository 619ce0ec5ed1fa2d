"""Load generator (own process): concurrent REST conversations, JSON results.

    python -m bench.load --url http://127.0.0.1:5005/webhooks/rest/webhook \
        --concurrency 10 --duration 30 --think 0.5-1.5 --out run.json

Each virtual user plays whole conversations (a fresh sender id each), one
message at a time, optionally pausing `--think` seconds between messages like a
person typing. Latency is the full REST round trip: channel, NLU, policies,
action server, knowledge base, tracker store.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from collections import Counter

import aiohttp

from bench import conversations as convs
from bench.stats import summarize_latencies

# The channel's reply guarantee (bot.channels.APOLOGY) means something failed.
APOLOGY_MARK = "problème technique"


def classify(status: int, body) -> str | None:
    """None for a good reply, else an error kind."""
    if status != 200:
        return f"http_{status}"
    if not isinstance(body, list):
        return "bad_body"
    if not body:
        return "empty_reply"
    if any(APOLOGY_MARK in (m.get("text") or "") for m in body if isinstance(m, dict)):
        return "apology"
    return None


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str,
               timeout: float) -> tuple[float, str | None]:
    start = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
            status = resp.status
            try:
                body = await resp.json(content_type=None)
            except (ValueError, aiohttp.ContentTypeError):
                body = None
        return time.perf_counter() - start, classify(status, body)
    except asyncio.TimeoutError:
        return time.perf_counter() - start, "timeout"
    except aiohttp.ClientError as err:
        return time.perf_counter() - start, type(err).__name__


async def run(url: str, concurrency: int, duration: float, think: tuple[float, float],
              conversations: list[list[str]], timeout: float = 30.0, seed: int = 0,
              max_conversations: int | None = None) -> dict:
    latencies: list[float] = []
    errors: Counter = Counter()
    error_samples: list[dict] = []
    done = Counter()
    next_conv = iter(range(10**9))
    deadline = time.perf_counter() + duration
    connector = aiohttp.TCPConnector(limit=concurrency + 5)

    async def user(uid: int) -> None:
        rng = random.Random(seed * 1000 + uid)
        while time.perf_counter() < deadline:
            k = next(next_conv)
            if max_conversations is not None and k >= max_conversations:
                return
            sender = f"bench-{uid}-{k}-{uuid.uuid4().hex[:8]}"
            for text in conversations[k % len(conversations)]:
                if time.perf_counter() >= deadline:
                    return
                latency, error = await send(session, url, sender, text, timeout)
                latencies.append(latency)
                if error:
                    errors[error] += 1
                    if len(error_samples) < 10:
                        error_samples.append({"kind": error, "message": text})
                if think[1] > 0:
                    await asyncio.sleep(rng.uniform(*think))
            done["conversations"] += 1

    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        # stagger the users over the first second, as real arrivals would be
        async def delayed(uid: int) -> None:
            await asyncio.sleep(uid / max(1, concurrency))
            await user(uid)
        await asyncio.gather(*(delayed(u) for u in range(concurrency)))
        elapsed = time.perf_counter() - start
    summary = summarize_latencies(latencies)
    return {
        "concurrency": concurrency, "duration_s": round(elapsed, 2),
        "think_s": list(think), "messages": len(latencies),
        "conversations": done["conversations"],
        "msg_per_s": round(len(latencies) / elapsed, 2) if elapsed else None,
        "errors": sum(errors.values()), "error_kinds": dict(errors),
        "error_samples": error_samples, **summary,
    }


def parse_think(raw: str) -> tuple[float, float]:
    if "-" in raw:
        lo, hi = raw.split("-", 1)
        return float(lo), float(hi)
    return float(raw), float(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--think", default="0", help="seconds between messages, e.g. 0.5-1.5")
    parser.add_argument("--conversations", type=int, default=300, help="pool size")
    parser.add_argument("--max-conversations", type=int, default=None,
                        help="stop after this many (warm-up)")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--seed", type=int, default=92)
    parser.add_argument("--out", help="JSON output file (default: stdout)")
    args = parser.parse_args()
    pool = convs.build(args.conversations, seed=args.seed)
    result = asyncio.run(run(args.url, args.concurrency, args.duration, parse_think(args.think),
                             pool, args.timeout, args.seed, args.max_conversations))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
