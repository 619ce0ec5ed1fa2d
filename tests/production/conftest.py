"""Fixtures for the production tests: real PostgreSQL, Redis and RabbitMQ.

A test marked `postgres`, `redis` or `rabbitmq` FAILS (never skips) when that
service is unreachable, with what is missing and the command that starts it.
Each session works in its own database (pole_test_<random>, dropped at the end),
its own Redis key prefix and its own RabbitMQ queue, so runs don't collide.
Addresses can be changed with TEST_POSTGRES_URL, TEST_REDIS_URL, TEST_RABBITMQ_URL.
"""
from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest

from tests.production.helpers import (
    CHECKS, POSTGRES_URL, RABBITMQ_URL, REDIS_URL, RUN_ID, service_problem,
)


@pytest.fixture(autouse=True)
def _required_services(request):
    missing = [p for p in (service_problem(m) for m in CHECKS if request.node.get_closest_marker(m))
               if p]
    if missing:
        pytest.fail("Missing service(s) for this test:\n" + "\n".join(missing), pytrace=False)


@pytest.fixture(scope="session")
def pg_database():
    """A fresh PostgreSQL database for this session: its URL. Dropped at the end."""
    problem = service_problem("postgres")
    if problem:
        pytest.fail(problem, pytrace=False)
    import psycopg2
    name = f"pole_test_{RUN_ID}"
    admin = psycopg2.connect(POSTGRES_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()
    parts = urlsplit(POSTGRES_URL)
    yield parts._replace(path=f"/{name}").geturl()
    admin = psycopg2.connect(POSTGRES_URL, connect_timeout=10)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(scope="session")
def redis_env():
    """Lock-store settings with a key prefix unique to this run; its keys are
    deleted at the end."""
    problem = service_problem("redis")
    if problem:
        pytest.fail(problem, pytrace=False)
    prefix = f"poletest{RUN_ID}"
    yield {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}
    import redis
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="session")
def rabbitmq_env():
    """Event-broker settings with a queue unique to this run, deleted at the end."""
    problem = service_problem("rabbitmq")
    if problem:
        pytest.fail(problem, pytrace=False)
    queue = f"pole_test_{RUN_ID}"
    yield {"RABBITMQ_URL": RABBITMQ_URL, "RABBITMQ_QUEUE": queue}
    import aio_pika

    async def delete() -> None:
        connection = await aio_pika.connect(RABBITMQ_URL)
        channel = await connection.channel()
        await channel.queue_delete(queue)
        await connection.close()

    try:
        asyncio.run(delete())
    except Exception:  # noqa: BLE001 - cleanup only
        pass
