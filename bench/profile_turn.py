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


def eager_build_patch() -> None:
    """Experiment: build TF models with one *eager* training step at load time.

    Rasa's RasaModel.load traces a whole training step (gradients, CRF) with
    tf.function just to create the variables, then loads the weights. Running
    that single step eagerly creates the same variables without tracing; the
    predictions keep using tf.function. Same weights, same outputs.
    """
    import tensorflow as tf
    from rasa.utils.tensorflow import models

    def load(cls, model_file_name, model_data_example, predict_data_example=None,
             finetune_mode=False, *args, **kwargs):
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)),
                      run_eagerly=True)
        model.fit(models.RasaBatchDataGenerator(model_data_example, batch_size=1),
                  verbose=False)
        model.load_weights(model_file_name)
        model.run_eagerly = bool(config.get("run_eagerly"))
        if not finetune_mode and predict_data_example:
            model.run_inference(predict_data_example)
        return model

    models.RasaModel.load = classmethod(load)


PROBES = ["Quel pôle pour Clamart ?", "et les horaires ?", "mon mari me frappe",
          "j'habite a issy les moulineaux", "c'est ouvert samedi ?", "merci"]


async def load_only(model: str, eager: bool) -> dict:
    """Fresh-process start-up split: imports, model load, first parse."""
    startup = {}
    t = time.perf_counter()
    import tensorflow  # noqa: F401
    startup["import_tensorflow_s"] = time.perf_counter() - t
    t = time.perf_counter()
    from rasa.core.agent import Agent
    import rasa.core.run  # noqa: F401
    startup["import_rasa_s"] = time.perf_counter() - t
    if eager:
        eager_build_patch()
    t = time.perf_counter()
    agent = Agent.load(model)
    startup["load_model_s"] = time.perf_counter() - t
    parses = []
    for text in PROBES:
        t = time.perf_counter()
        r = await agent.parse_message(text)
        parses.append({"text": text, "intent": r["intent"]["name"],
                       "confidence": round(float(r["intent"]["confidence"]), 5),
                       "ms": round(1000 * (time.perf_counter() - t), 1)})
    return {"startup": {k: round(v, 2) for k, v in startup.items()}, "parses": parses,
            "eager_build": eager}


async def play(agent, turns, prefix):
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    rows, conv_id = [], 0
    for text in turns:
        if text.lower() in ("bonjour", "salut"):
            conv_id += 1
        before = dict(TIMES)
        start, cpu_start = time.perf_counter(), time.process_time()
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(),
                                               sender_id=f"{prefix}-{conv_id}"))
        row = {k: TIMES[k] - before.get(k, 0.0) for k in TIMES}
        row["total"] = time.perf_counter() - start
        row["rasa_cpu"] = time.process_time() - cpu_start
        rows.append(row)
    keys = ["nlu", "policies", "action_server", "tracker_store"]
    mean = {k: 1000 * sum(r.get(k, 0.0) for r in rows) / len(rows) for k in keys}
    mean["total"] = 1000 * sum(r["total"] for r in rows) / len(rows)
    mean["other"] = mean["total"] - sum(mean[k] for k in keys)
    cpu = 1000 * sum(r["rasa_cpu"] for r in rows) / len(rows)
    return rows, {k: round(v, 1) for k, v in mean.items()}, round(cpu, 1)


def sqlite_wal(store) -> bool:
    """Experiment: keep SQLite connections open (QueuePool instead of SQLAlchemy's
    NullPool) in WAL mode with synchronous=NORMAL: a commit no longer waits for fsyncs."""
    import sqlalchemy as sa
    import sqlalchemy.orm
    engine = getattr(store, "engine", None)
    if engine is None or engine.dialect.name != "sqlite":
        return False
    url = engine.url
    engine.dispose()
    store.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_pre_ping=True)

    def on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
    sa.event.listen(store.engine, "connect", on_connect)
    store.sessionmaker = sa.orm.session.sessionmaker(bind=store.engine)
    return True


async def main_async(model: str, endpoints_file: str, n: int) -> dict:
    startup = {}
    t = time.perf_counter()
    import tensorflow  # noqa: F401
    startup["import_tensorflow_s"] = time.perf_counter() - t
    t = time.perf_counter()
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
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

    from bench import conversations
    turns = [text for conv in conversations.build(40, seed=7) for text in conv][: n + 1]
    rows, mean, cpu = await play(agent, turns, "profile")
    first, calls = rows[0], dict(CALLS)  # first turn: TF warm-up, reported apart
    _, mean, cpu = await play(agent, turns[1:], "profile-b")  # steady state
    result = {
        "startup": {k: round(v, 2) for k, v in startup.items()},
        "first_turn_ms": {k: round(1000 * v, 1) for k, v in first.items()},
        "mean_turn_ms": mean,
        # CPU of this (Rasa) process per turn; wall >> CPU means a busy machine
        "rasa_cpu_ms_per_turn": cpu,
        "calls_per_turn": {k: round(v / len(turns), 2) for k, v in calls.items()},
        "turns": len(turns) - 1,
        "tracker_store": f"{type(store).__module__}.{type(store).__name__}",
    }
    if sqlite_wal(store):
        _, wal_mean, wal_cpu = await play(agent, turns[1:], "profile-wal")
        result["sqlite_wal_experiment"] = {"mean_turn_ms": wal_mean,
                                           "rasa_cpu_ms_per_turn": wal_cpu}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--out", required=True)
    parser.add_argument("--load-only", action="store_true",
                        help="only time imports + model load + a few parses")
    parser.add_argument("--eager-build", action="store_true",
                        help="with --load-only: the eager one-step build experiment")
    args = parser.parse_args()
    if args.load_only:
        result = asyncio.run(load_only(args.model, args.eager_build))
    else:
        result = asyncio.run(main_async(args.model, args.endpoints, args.n))
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()
