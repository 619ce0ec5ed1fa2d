"""Store selection by environment, the generated endpoints files, the deployment
files, the privacy log filter and the resilient tracker store (no servers)."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy.exc
import yaml

from bot import endpoints, launcher, settings
from bot.logging_privacy import MASK, redact
from bot.settings import ROOT

PROD = {"DATABASE_URL": "postgresql://pole:s%40cret@db.internal:5433/pole?sslmode=require",
        "REDIS_URL": "redis://:r3dis@cache:6380/2", "REDIS_KEY_PREFIX": "pole92",
        "RABBITMQ_URL": "amqp://rasa:rabb1t@mq:5673/", "RABBITMQ_QUEUE": "rasa_events"}


# --- settings -----------------------------------------------------------------

def test_defaults_are_the_single_machine_setup():
    conf = settings.load({})
    assert (conf.database, conf.redis, conf.rabbitmq) == (None, None, None)
    assert endpoints.path_for(conf) == ROOT / "endpoints.yml"
    assert (conf.retention_days, conf.auto_purge) == (30, True)


def test_urls_are_parsed_and_secrets_kept_out_of_repr():
    conf = settings.load(PROD)
    db = conf.database
    assert (db.host, db.port, db.name, db.user, db.password) == (
        "db.internal", 5433, "pole", "pole", "s@cret")
    assert db.query == (("sslmode", "require"),)
    assert (conf.redis.host, conf.redis.port, conf.redis.db, conf.redis.password) == (
        "cache", 6380, 2, "r3dis")
    assert (conf.rabbitmq.host, conf.rabbitmq.port, conf.rabbitmq.user) == ("mq", 5673, "rasa")
    text = repr(conf)
    assert not any(secret in text for secret in ("s@cret", "r3dis", "rabb1t"))


def test_host_variables_and_url_precedence():
    conf = settings.load({"DB_HOST": "pg", "DB_NAME": "pole", "DB_USER": "u", "DB_PASSWORD": "p",
                          "REDIS_HOST": "r", "REDIS_DB": "4"})
    assert (conf.database.host, conf.database.port, conf.database.name) == ("pg", 5432, "pole")
    assert (conf.redis.host, conf.redis.db) == ("r", 4)
    both = settings.load({"DB_HOST": "ignored", "DATABASE_URL": "postgresql://a@url-host/x"})
    assert both.database.host == "url-host"


@pytest.mark.parametrize("env,name", [
    ({"DATABASE_URL": "mysql://x@h/db"}, "DATABASE_URL"),
    ({"DATABASE_URL": "postgresql://x@h:port/db"}, "DATABASE_URL"),
    ({"REDIS_URL": "redis://h/zero"}, "REDIS_URL"),
    ({"REDIS_HOST": "h", "REDIS_KEY_PREFIX": "pole-92"}, "REDIS_KEY_PREFIX"),
    ({"RABBITMQ_URL": "amqp://g:g@h/vhost"}, "RABBITMQ_URL"),
    ({"AUTO_PURGE": "maybe"}, "AUTO_PURGE"),
])
def test_bad_values_are_refused_with_their_name(env, name):
    with pytest.raises(SystemExit, match=name):
        settings.load(env)


# --- endpoints files ----------------------------------------------------------

def read_endpoints(path: Path, env: dict[str, str], monkeypatch):
    """The endpoints file as the Rasa server reads it, with these variables."""
    from rasa.core.utils import AvailableEndpoints
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return AvailableEndpoints.read_endpoints(str(path))


def test_production_file_is_generated_and_read_by_rasa(monkeypatch):
    conf = settings.load(PROD)
    path = endpoints.path_for(conf)
    assert path.parent == ROOT / "var" and path.name.startswith("endpoints.postgres+redis+rabbitmq.")
    text = path.read_text()
    assert not any(secret in text for secret in ("s@cret", "r3dis", "rabb1t")), \
        "secrets stay in the environment"
    env = launcher.rasa_env_from(conf, {})
    read = read_endpoints(path, env, monkeypatch)
    store = read.tracker_store
    assert store.type == "bot.stores.ResilientSQLTrackerStore"
    assert store.url == "db.internal"
    assert {k: store.kwargs[k] for k in ("dialect", "port", "db", "username", "password")} == {
        "dialect": "postgresql", "port": "5433", "db": "pole", "username": "pole",
        "password": "s@cret"}
    assert store.kwargs["query"] == {"sslmode": "require"}
    lock = read.lock_store
    assert (lock.type, lock.url, lock.kwargs["port"], lock.kwargs["db"],
            lock.kwargs["password"], lock.kwargs["key_prefix"]) == (
        "bot.stores.AtomicRedisLockStore", "cache", "6380", "2", "r3dis", "pole92")
    broker = read.event_broker
    assert (broker.type, broker.url, broker.kwargs["queues"], broker.kwargs["password"]) == (
        "bot.stores.ConfirmedPikaEventBroker", "mq", ["rasa_events"], "rabb1t")
    assert read.action.url == conf.action_endpoint


def test_rasa_builds_the_redis_lock_store_from_it(monkeypatch):
    from rasa.core.lock_store import LockStore
    from bot.stores import AtomicRedisLockStore
    conf = settings.load({"REDIS_URL": "redis://127.0.0.1:6379/5", "REDIS_KEY_PREFIX": "abc"})
    read = read_endpoints(endpoints.path_for(conf), launcher.rasa_env_from(conf, {}), monkeypatch)
    assert read.tracker_store.kwargs["dialect"] == "sqlite"  # the store stays SQLite
    lock_store = LockStore.create(read.lock_store)  # redis-py connects lazily
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.key_prefix.startswith("abc:")
    assert lock_store.red.connection_pool.connection_kwargs["db"] == 5


def test_each_variant_has_its_own_file_and_an_operator_file_wins(monkeypatch, tmp_path):
    only_pg = settings.load({"DB_HOST": "pg"})
    assert endpoints.path_for(only_pg).name.startswith("endpoints.postgres.")
    assert "lock_store" not in endpoints.render(only_pg)
    # Other options, other file: a running server's file is never rewritten.
    with_ssl = settings.load({"DATABASE_URL": "postgresql://u:p@pg/db?sslmode=require"})
    assert endpoints.path_for(with_ssl) != endpoints.path_for(only_pg)
    assert endpoints.path_for(only_pg).read_text() == endpoints.render(only_pg)
    assert "password" not in endpoints.render(only_pg), "no password line without a password"
    mine = tmp_path / "mine.yml"
    mine.write_text("tracker_store:\n  type: SQL\n")
    conf = settings.load({"DB_HOST": "pg", "RASA_ENDPOINTS": str(mine)})
    assert endpoints.path_for(conf) == mine
    assert launcher.rasa_server_cmd(conf)[launcher.rasa_server_cmd(conf).index("--endpoints") + 1] \
        == str(mine)


def test_default_file_builds_the_resilient_sqlite_store(monkeypatch, tmp_path):
    from rasa.core.tracker_store import TrackerStore
    from bot.stores import ResilientSQLTrackerStore
    conf = settings.load({"TRACKER_SQLITE_PATH": str(tmp_path / "t.db")})
    read = read_endpoints(ROOT / "endpoints.yml", launcher.rasa_env_from(conf, {}), monkeypatch)
    store = TrackerStore.create(read.tracker_store)
    assert isinstance(store, ResilientSQLTrackerStore), "import failed: Rasa fell back to memory"
    assert (tmp_path / "t.db").exists()


def test_deploy_endpoints_file_is_read_by_rasa(monkeypatch):
    env = launcher.rasa_env_from(settings.load(PROD), {"ACTION_SERVER_URL": "http://actions:5055/webhook"})
    read = read_endpoints(ROOT / "deploy" / "endpoints.yml", env, monkeypatch)
    assert read.tracker_store.type == "bot.stores.ResilientSQLTrackerStore"
    assert read.tracker_store.kwargs["dialect"] == "postgresql"
    assert read.lock_store.type == "bot.stores.AtomicRedisLockStore"
    assert read.event_broker.type == "bot.stores.ConfirmedPikaEventBroker"


@pytest.mark.parametrize("path, env", [
    ("endpoints.yml", {}),
    ("deploy/endpoints.yml", {"DATABASE_URL": "postgresql://u:p@db:5432/rasa",
                              "REDIS_URL": "redis://:secret@redis:6379/1", "REDIS_KEY_PREFIX": "pole92",
                              "RABBITMQ_URL": "amqp://guest:guest@rabbitmq:5672/"}),
])
def test_committed_endpoints_files_are_what_the_settings_declaration_renders(path, env):
    # one declaration (bot/settings.py + bot/endpoints.py) behind every endpoints
    # file: the single-machine default, and the one compose and Helm mount
    rendered = yaml.safe_load(endpoints.render(settings.load(env)))
    assert yaml.safe_load((ROOT / path).read_text(encoding="utf-8")) == rendered


def test_servers_get_the_privacy_logging_config_and_shell_the_same_endpoints(monkeypatch):
    conf = settings.load(PROD)
    rasa_cmd = launcher.rasa_server_cmd(conf)
    assert rasa_cmd[rasa_cmd.index("--logging-config-file") + 1] == str(launcher.LOGGING_CONFIG)
    assert str(launcher.LOGGING_CONFIG) in launcher.action_server_cmd(conf)
    captured = {}

    def fake_execve(path, cmd, env):
        captured.update(cmd=cmd, env=env)
        raise SystemExit(0)

    for key, value in PROD.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(os, "execve", fake_execve)
    monkeypatch.chdir(ROOT)
    from bot.__main__ import main
    with pytest.raises(SystemExit):
        main(["shell"])
    cmd = captured["cmd"]
    assert cmd[cmd.index("--endpoints") + 1] == str(endpoints.path_for(conf))
    assert captured["env"]["DB_HOST"] == "db.internal"


# --- deployment files -----------------------------------------------------------

def test_compose_file_has_the_replicated_topology():
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"rasa", "actions", "nginx", "postgres", "redis", "rabbitmq"} <= set(services)
    assert services["rasa"]["deploy"]["replicas"] >= 2
    assert services["actions"]["deploy"]["replicas"] >= 2
    rasa_env = services["rasa"]["environment"]
    for key in ("DB_HOST", "REDIS_HOST", "RASA_API_TOKEN"):
        assert key in rasa_env
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "ip_hash" in nginx, "socket.io needs sticky sessions"
    assert "Upgrade" in nginx and "client_max_body_size" in nginx


def test_helm_values_describe_the_same_setup():
    values = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text())
    assert values["replicaCount"] >= 2
    stores = values["applicationSettings"]["endpoints"]
    assert stores["trackerStore"]["type"] == "bot.stores.ResilientSQLTrackerStore"
    assert stores["lockStore"]["enabled"]
    assert stores["lockStore"]["type"] == "bot.stores.AtomicRedisLockStore"
    assert "--logging-config-file" in values["args"]
    assert "upstream-hash-by" in " ".join(values["ingress"]["annotations"])
    channels = values["applicationSettings"]["credentials"]["additionalChannelCredentials"]
    assert set(channels) == set(yaml.safe_load((ROOT / "credentials.yml").read_text()))
    cron = yaml.safe_load((ROOT / "deploy" / "helm" / "purge-cronjob.yaml").read_text())
    container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][-1] == "purge"


# --- privacy filter ---------------------------------------------------------------

@pytest.mark.parametrize("line", [
    '{"event": "pika.events.publish.failed", "rasa_event": {"event": "user", "text": "SECRET"}}',
    "rest.message.received.failure text='SECRET' other=1",
    "[SQL: INSERT INTO events]\n[parameters: {'data': '{\"text\": \"SECRET\"}'}]\n(Background on",
    "Error: {'event': 'user', 'text': \"l'enfant SECRET\", 'timestamp': 1.0}",
    "Failed to parse arguments in line '/inform{SECRET'. Continuing with given line as user text.",
    "Failed to parse arguments in line '/x{'. Failed to interpret some parts. Make sure your "
    "regex string is in the following format:/<intent_name>@<confidence-value><dictionary of "
    "entities> Continuing without {SECRET. ",
    "Failed to parse arguments in line '/a'. Expected the intent to be one of [['greet']] "
    "but found SECRET.Continuing with given line as user text.",
    "ClientResponseError: 500, Internal Server Error, body='SECRET'",
])
def test_redact_masks_message_text(line):
    masked = redact(line)
    assert "SECRET" not in masked and MASK in masked


def test_redact_keeps_ordinary_lines():
    line = "Rasa server is up and running on http://127.0.0.1:5005 (sender abc123)"
    assert redact(line) == line


PIKA_FAILURE = """
import logging, structlog
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog
from rasa.shared.utils.io import raise_warning
configure_logging_and_warnings(None, logging_config_file="bot/logging.yml")
configure_structlog()
structlog.get_logger().error("pika.events.publish.failed", host="mq",
    rasa_event={"event": "user", "text": "je suis enceinte"})
logging.getLogger("rasa.core.tracker_store").error(
    "Error ... [parameters: {'data': 'je suis enceinte'}]\\n(Background on this error")
logging.getLogger("rasa.core.processor").debug("Received user message 'je suis enceinte'")
raise_warning("Failed to parse arguments in line '/x{je suis enceinte'. Continuing with given line as user text.")
logging.getLogger("x").info("still logging: %s", "ok")
"""


@pytest.mark.parametrize("level,leaks", [("INFO", False), ("DEBUG", True)])
def test_rasa_logging_with_the_config_file_masks_text_at_info(level, leaks):
    """Rasa's own logging set-up (structlog included), the way `rasa run` does it."""
    out = subprocess.run([sys.executable, "-c", PIKA_FAILURE], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env=dict(os.environ, LOG_LEVEL=level,
                                                          PYTHONPATH=str(ROOT)))
    logs = out.stdout + out.stderr
    assert out.returncode == 0, logs
    assert "still logging: ok" in logs and "pika.events.publish.failed" in logs
    # At DEBUG, only the DEBUG line shows the text; the others stay masked.
    assert logs.count("je suis enceinte") == (1 if leaks else 0), logs


# --- resilient tracker store ------------------------------------------------------

def test_store_engine_has_pre_ping_and_hidden_parameters(tmp_path):
    from bot.stores import ResilientSQLTrackerStore
    store = ResilientSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db"))
    assert store.engine.pool._pre_ping and store.engine.hide_parameters


def test_an_unstorable_sender_is_an_error_not_a_server_exit(tmp_path):
    """Rasa's own SQLTrackerStore calls sys.exit(1) here (see bot/stores.py)."""
    from rasa.shared.core.domain import Domain
    from bot.stores import ResilientSQLTrackerStore
    store = ResilientSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    with pytest.raises(UnicodeEncodeError):
        asyncio.run(store.retrieve("x\ud800"))
    assert asyncio.run(store.retrieve("ordinary")) is None


@pytest.mark.postgres
def test_a_nul_sender_on_postgres_is_an_error_not_a_server_exit(pg_database):
    from rasa.shared.core.domain import Domain
    from bot.stores import ResilientSQLTrackerStore
    db = settings.load({"DATABASE_URL": pg_database}).database
    store = ResilientSQLTrackerStore(Domain.empty(), dialect="postgresql", host=db.host,
                                     port=db.port, db=db.name, username=db.user or None)
    with pytest.raises(ValueError):
        asyncio.run(store.retrieve("x\x00y"))
    store.engine.dispose()


def test_connection_errors_are_retried_then_raised(monkeypatch, tmp_path):
    from bot.stores import ResilientSQLTrackerStore
    store = ResilientSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db"))
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("server closed"))
        return "ok"

    assert asyncio.run(store._retrying("read", flaky)) == "ok" and len(calls) == 3
    monkeypatch.setenv("DB_RETRY_SECONDS", "0.5")

    async def down():
        raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("refused"))

    with pytest.raises(sqlalchemy.exc.OperationalError):
        asyncio.run(store._retrying("read", down))


# --- atomic Redis lock store ------------------------------------------------------

@pytest.mark.redis
def test_concurrent_tickets_from_several_replicas_are_all_distinct(redis_env):
    """Eight "replicas" (own connections) take tickets for one conversation at
    once. Rasa's RedisLockStore (GET then SET) hands out duplicates here."""
    import threading

    from bot.stores import AtomicRedisLockStore
    conf = settings.load(redis_env)
    stores = [AtomicRedisLockStore(host=conf.redis.host, port=conf.redis.port,
                                   db=conf.redis.db, key_prefix=conf.redis.key_prefix)
              for _ in range(8)]
    tickets: list[int] = []
    start = threading.Barrier(len(stores))

    def replica(store):
        start.wait()
        for _ in range(25):
            tickets.append(store.issue_ticket("same-conversation", 60))

    threads = [threading.Thread(target=replica, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tickets) == 200 and len(set(tickets)) == 200
    for number in tickets:
        stores[0].cleanup("same-conversation", number)
    assert stores[0].get_lock("same-conversation") is None, "the last cleanup deletes the lock"


def test_broker_gets_each_new_event_once_after_it_is_stored(tmp_path):
    from rasa.core.brokers.broker import EventBroker
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from bot.stores import ResilientSQLTrackerStore

    class Collect(EventBroker):
        def __init__(self):
            self.published = []

        def publish(self, event):
            self.published.append(event)

    broker = Collect()
    store = ResilientSQLTrackerStore(Domain.empty(), dialect="sqlite",
                                     db=str(tmp_path / "t.db"), event_broker=broker)
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"),
                                                     UserUttered("bonjour")])
    asyncio.run(store.save(tracker))
    tracker.update(ActionExecuted("action_greet"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing published
    assert [e["event"] for e in broker.published] == ["action", "user", "action"]
    assert all(e["sender_id"] == "s" for e in broker.published)
