"""Replicated servers, conversation scripts and store queries for the production tests."""
from __future__ import annotations

import asyncio
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from bot.training import MODEL_PATH
from tests.support.servers import BotServers, wait_healthy

# --- services: PostgreSQL, Redis, RabbitMQ -----------------------------------

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

RUN_ID = secrets.token_hex(4)

HOW_TO_START = {
    "postgres": "pg_ctlcluster $(ls /etc/postgresql) main start   "
                "(or: service postgresql start)",
    "redis": f"redis-server --daemonize yes --port {urlsplit(REDIS_URL).port or 6379}   "
             "(or: service redis-server start)",
    "rabbitmq": "rabbitmq-server -detached   (or: service rabbitmq-server start)",
}


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


def _check_postgres() -> None:
    import psycopg2
    conn = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    conn.close()


def _check_redis() -> None:
    import redis
    redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()


def _check_rabbitmq() -> None:
    import aio_pika

    async def connect() -> None:
        connection = await asyncio.wait_for(aio_pika.connect(RABBITMQ_URL), 5)
        await connection.close()

    asyncio.run(connect())


CHECKS = {
    "postgres": ("PostgreSQL", POSTGRES_URL, _check_postgres),
    "redis": ("Redis", REDIS_URL, _check_redis),
    "rabbitmq": ("RabbitMQ", RABBITMQ_URL, _check_rabbitmq),
}
_status: dict[str, str | None] = {}


def service_problem(name: str) -> str | None:
    """None if the service answers, else a message saying what to do (cached)."""
    if name not in _status:
        label, url, check = CHECKS[name]
        try:
            check()
            _status[name] = None
        except Exception as error:  # noqa: BLE001 - any failure means "not usable"
            _status[name] = (
                f"{label} is not reachable at {_where(url)} ({type(error).__name__}: "
                f"{str(error).strip()[:200]}).\n  Start it with: {HOW_TO_START[name]}"
            )
    return _status[name]


def forget_status(name: str) -> None:
    _status.pop(name, None)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


# --- conversations ------------------------------------------------------------

WEDNESDAY_MORNING = "2026-11-18T10:15"
ISSY_STREET = "Jean-Pierre Timbaud"
ASNIERES_STREET = "Teddy Riner"
ASK_COMMUNE = "Dans quelle commune"
SENSITIVE = "je suis enceinte et mon mari me frappe"
# Communes served by each hub (knowledge/data/structures.yml).
ISSY_FAMILY = ["Clamart", "Meudon", "Vanves", "Issy-les-Moulineaux"]
ASNIERES_FAMILY = ["Gennevilliers", "Asnières-sur-Seine"]

# Ten turns; True = the reply must give the hub's address. Every reply must
# stay on the conversation's own hub and never ask for the commune again.
SCRIPT = [
    ("j'habite à {commune}", True),
    ("et les horaires ?", False),
    ("et l'adresse ?", True),
    ("merci", False),
    ("quelle est l'adresse ?", True),
    ("et les horaires ?", False),
    ("c'est où exactement ?", True),
    ("l'adresse svp", True),
    ("et les horaires ?", False),
    ("et l'adresse ?", True),
]


def model_path() -> Path:
    """TEST_MODEL=/path/model.tar.gz runs against another model (as tests/conversations)."""
    return Path(os.environ["TEST_MODEL"]) if os.environ.get("TEST_MODEL") else MODEL_PATH


def expected_street(commune: str) -> tuple[str, str]:
    """(street that must appear, street that must never appear) for a commune."""
    if commune in ISSY_FAMILY:
        return ISSY_STREET, ASNIERES_STREET
    return ASNIERES_STREET, ISSY_STREET


def check_reply(commune: str, reply: str, wants_address: bool) -> str | None:
    """None if the reply fits the conversation's commune, else what is wrong."""
    own, other = expected_street(commune)
    if other in reply:
        return f"crossed: {other!r} in a {commune} conversation"
    if ASK_COMMUNE in reply:
        return f"context lost: asks for the commune again in a {commune} conversation"
    if wants_address and own not in reply:
        return f"missing {own!r} for {commune}"
    return None


@dataclass
class Cluster:
    """N replicas, each a Rasa server with its own action server, sharing the
    stores given in `env` (the topology of deploy/docker-compose.yml without
    the load balancer: the test client spreads the traffic itself)."""

    workdir: Path
    env: dict[str, str]
    replicas: int = 2
    nodes: list[BotServers] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i in range(self.replicas):
            node_dir = self.workdir / f"replica{i}"
            node_dir.mkdir(parents=True, exist_ok=True)
            self.nodes.append(BotServers(node_dir, extra_env=self.env, model=model_path()))

    def start(self) -> "Cluster":
        try:
            for node in self.nodes:  # all at once: start-ups overlap
                for proc in node.processes.values():
                    proc.start(wait=False)
            for node in self.nodes:
                for proc in node.processes.values():
                    wait_healthy(proc.health_url, proc.popen, timeout_s=300)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def logs(self) -> dict[str, str]:
        return {f"replica{i}/{name}": proc.log()
                for i, node in enumerate(self.nodes) for name, proc in node.processes.items()}


def restart(proc, env_update: dict[str, str] | None = None) -> float:
    """Stop a server process (SIGTERM) and start it again; seconds until healthy."""
    proc.stop()
    if env_update:
        proc.env = dict(proc.env, **env_update)
    started = time.monotonic()
    proc.start(wait=False)
    wait_healthy(proc.health_url, proc.popen, timeout_s=300)
    return time.monotonic() - started


# --- async REST client --------------------------------------------------------

@dataclass
class Turn:
    status: int
    text: str
    seconds: float
    error: str = ""


async def send(session: aiohttp.ClientSession, url: str, sender: str, message: str,
               timeout: float = 60) -> Turn:
    started = time.monotonic()
    try:
        async with session.post(url, json={"sender": sender, "message": message},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
            body = await resp.json(content_type=None) if resp.status == 200 else await resp.text()
            text = ""
            if isinstance(body, list):
                text = "\n".join(m.get("text") or "" for m in body if isinstance(m, dict))
            return Turn(resp.status, text, time.monotonic() - started)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return Turn(0, "", time.monotonic() - started, type(error).__name__)


# --- tracker store queries ----------------------------------------------------

def user_event_counts(db_url: str, sender_prefix: str) -> dict[str, int]:
    """User events per conversation in the PostgreSQL tracker store."""
    import psycopg2
    conn = psycopg2.connect(db_url, connect_timeout=10)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' "
                        "AND sender_id LIKE %s GROUP BY sender_id", (sender_prefix + "%",))
            return dict(cur.fetchall())
    finally:
        conn.close()


def sqlite_user_events(path: Path, sender: str) -> int:
    import sqlite3
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM events WHERE type_name = 'user' "
                            "AND sender_id = ?", (sender,)).fetchone()[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0
