"""Worker (own process): where the time of one REST turn and of start-up goes.

    python -m bench.profile_turn --model models/current.tar.gz --n 40 --out P.json
    (ACTION_SERVER_URL must point to a running action server)

Loads the Rasa agent in-process exactly as `rasa run` would (endpoints.yml:
action server, SQLite tracker store), wraps the main steps of a turn with
timers and replays bench conversations through `agent.handle_message`.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import json
import time
from collections import defaultdict

TIMES: dict = defaultdict(float)
CALLS: dict = defaultdict(int)


def timed_async(owner, name, key):
    original = getattr(owner, name)

    @functools.wraps(original)
    async def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            TIMES[key] += time.perf_counter() - start
            CALLS[key] += 1
    setattr(owner, name, wrapper)


def timed_sync(owner, name, key):
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[key] += time.perf_counter() - start
            CALLS[key] += 1
    setattr(owner, name, wrapper)


async def main_async(model: str, endpoints_file: str, n: int) -> dict:
    startup = {}
    t = time.perf_counter()
    import tensorflow  # noqa: F401
    startup["import_tensorflow_s"] = time.perf_counter() - t
    t = time.perf_counter()
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints
    import rasa.core.run  # noqa: F401  (what `rasa run` imports: sanic, channels)
    import bot.channels  # noqa: F401
    startup["import_rasa_s"] = time.perf_counter() - t

    timed_async(MessageProcessor, "parse_message", "nlu")
    timed_sync(MessageProcessor, "_predict_next_with_tracker", "policies")
    timed_async(RemoteAction, "run", "action_server")

    t = time.perf_counter()
    endpoints = AvailableEndpoints.read_endpoints(endpoints_file)
    agent = await load_agent(model_path=model, endpoints=endpoints)
    startup["load_model_s"] = time.perf_counter() - t

    # the configured store sits inside Rasa's FailSafe/Awaitable wrappers
    store = agent.tracker_store
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    for name in ("retrieve", "retrieve_full_tracker", "save"):
        timed_async(store, name, "tracker_store")  # instance attribute wins
    tracker_store_class = f"{type(store).__module__}.{type(store).__name__}"

    from bench import conversations
    turns = [text for conv in conversations.build(40, seed=7) for text in conv]
    per_turn = []
    first = None
    conv_id = 0
    for i, text in enumerate(turns[: n + 1]):
        if text.lower() in ("bonjour", "salut"):
            conv_id += 1
        before = dict(TIMES)
        start, cpu_start = time.perf_counter(), time.process_time()
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(),
                                               sender_id=f"profile-{conv_id}"))
        total = time.perf_counter() - start
        row = {k: TIMES[k] - before.get(k, 0.0) for k in TIMES}
        row["total"] = total
        row["rasa_cpu"] = time.process_time() - cpu_start
        if i == 0:
            first = row  # includes TF graph warm-up; reported apart
        else:
            per_turn.append(row)
    keys = ["nlu", "policies", "action_server", "tracker_store"]
    mean = {k: 1000 * sum(r.get(k, 0.0) for r in per_turn) / len(per_turn) for k in keys}
    mean["total"] = 1000 * sum(r["total"] for r in per_turn) / len(per_turn)
    cpu = 1000 * sum(r["rasa_cpu"] for r in per_turn) / len(per_turn)
    mean["other"] = mean["total"] - sum(mean[k] for k in keys)
    return {
        "startup": {k: round(v, 2) for k, v in startup.items()},
        "first_turn_ms": {k: round(1000 * v, 1) for k, v in (first or {}).items()},
        "mean_turn_ms": {k: round(v, 1) for k, v in mean.items()},
        # CPU of this (Rasa) process per turn; wall >> CPU means a busy machine
        "rasa_cpu_ms_per_turn": round(cpu, 1),
        "calls_per_turn": {k: round(CALLS[k] / (len(per_turn) + 1), 2) for k in CALLS},
        "turns": len(per_turn),
        "tracker_store": tracker_store_class,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = asyncio.run(main_async(args.model, args.endpoints, args.n))
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()
