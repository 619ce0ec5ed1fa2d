"""Retention (RETENTION_DAYS, `make purge`, `python -m bot purge`) on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import purge, settings
from bot.settings import ROOT
from bot.stores import ResilientSQLTrackerStore
from tests.production.helpers import POSTGRES_URL, RUN_ID

DAY = 24 * 3600
NOW = time.time()


def conversation(sender: str, *days_ago: float) -> DialogueStateTracker:
    """A conversation with one user turn at each of `days_ago` (oldest first)."""
    events = []
    for i, age in enumerate(days_ago):
        t = NOW - age * DAY
        if i == 0:
            events += [ActionExecuted("action_session_start", timestamp=t),
                       SessionStarted(timestamp=t), ActionExecuted("action_listen", timestamp=t)]
        events += [UserUttered("je suis enceinte", timestamp=t + 1),
                   BotUttered("Voici le pôle.", timestamp=t + 2),
                   ActionExecuted("action_listen", timestamp=t + 3)]
    return DialogueStateTracker.from_events(sender, events)


STORED = {  # sender -> ages in days of its turns
    "old": (45, 40),
    "old31": (31,),
    "recent": (2,),
    "long-running": (60, 50, 10),  # started long ago, active 10 days ago: kept whole
}


def fill(store: ResilientSQLTrackerStore) -> None:
    for sender, ages in STORED.items():
        asyncio.run(store.save(conversation(sender, *ages)))


def senders(store: ResilientSQLTrackerStore) -> set[str]:
    return set(asyncio.run(store.keys()))


def event_count(store: ResilientSQLTrackerStore, sender: str) -> int:
    with store.session_scope() as session:
        return session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender).count()


@pytest.fixture
def sqlite_backend(tmp_path):
    path = tmp_path / "tracker.db"
    store = ResilientSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    env = {"TRACKER_SQLITE_PATH": str(path)}
    yield store, env


@pytest.fixture
def postgres_backend():
    import psycopg2
    name = f"pole_test_{RUN_ID}_purge"
    admin = psycopg2.connect(POSTGRES_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    conf = settings.load({"DATABASE_URL": url})
    db = conf.database
    store = ResilientSQLTrackerStore(Domain.empty(), dialect="postgresql", host=db.host,
                                     port=db.port, db=db.name, username=db.user or None)
    yield store, {"DATABASE_URL": url}
    store.engine.dispose()
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


BACKENDS = [pytest.param("sqlite_backend", id="sqlite"),
            pytest.param("postgres_backend", id="postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_purge_deletes_whole_conversations_inactive_for_more_than_the_period(request, backend):
    store, env = request.getfixturevalue(backend)
    fill(store)
    conf = settings.load(env)
    assert conf.retention_days == 30
    before = event_count(store, "long-running")

    dry = purge.purge(conf, now=NOW, dry_run=True)
    assert (dry.conversations, dry.kept) == (2, 2) and senders(store) == set(STORED)

    result = purge.purge(conf, now=NOW)
    assert (result.conversations, result.kept) == (2, 2)
    assert result.events == event_count_of(("old", "old31"))
    assert senders(store) == {"recent", "long-running"}
    # A conversation is kept or deleted whole, never cut.
    assert event_count(store, "long-running") == before

    assert purge.purge(conf, days=5, now=NOW).conversations == 1
    assert senders(store) == {"recent"}


def event_count_of(names) -> int:
    return sum(len(conversation(n, *STORED[n]).events) for n in names)


@pytest.mark.parametrize("backend", BACKENDS)
def test_purge_erases_one_conversation_on_request(request, backend):
    store, env = request.getfixturevalue(backend)
    fill(store)
    result = purge.purge(settings.load(env), sender="recent")
    assert result.conversations == 1 and result.events == event_count_of(["recent"])
    assert senders(store) == set(STORED) - {"recent"}
    assert purge.purge(settings.load(env), sender="nobody").events == 0


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items()
            if k not in ("RETENTION_DAYS", "DATABASE_URL", "DB_HOST")}
    full.update(env)
    return subprocess.run(args, cwd=ROOT, env=full, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_purge_and_erase(request, backend):
    store, env = request.getfixturevalue(backend)
    fill(store)
    out = run_cli([sys.executable, "-m", "bot", "purge", "--dry-run"], env)
    assert out.returncode == 0 and "would delete 2 conversation(s)" in out.stdout, out
    assert senders(store) == set(STORED)
    out = run_cli([sys.executable, "-m", "bot", "purge"], env)
    assert out.returncode == 0 and "deleted 2 conversation(s)" in out.stdout, out
    out = run_cli([sys.executable, "-m", "bot", "purge", "--sender", "recent"], env)
    assert out.returncode == 0 and "deleted the conversation of sender 'recent'" in out.stdout
    assert senders(store) == {"long-running"}


def test_make_purge_uses_retention_days(sqlite_backend):
    store, env = sqlite_backend
    fill(store)
    out = run_cli(["make", "-s", "purge"], dict(env, RETENTION_DAYS="3"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "deleted 3 conversation(s)" in out.stdout and "3 day(s)" in out.stdout
    assert senders(store) == {"recent"}


def test_unreachable_store_is_reported_not_fatal_for_the_launcher(capsys):
    conf = settings.load({"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nothing"})
    started = time.monotonic()
    purge.scheduled(conf)  # what `python -m bot run` does at start-up and daily
    assert time.monotonic() - started < 10
    assert "[purge] skipped: tracker store not reachable" in capsys.readouterr().out
    assert purge.main(conf) == 1


def test_no_store_yet_is_nothing_to_purge(tmp_path):
    conf = settings.load({"TRACKER_SQLITE_PATH": str(tmp_path / "none.db")})
    assert purge.purge(conf) == purge.Result(0, 0, 0)
    assert not (tmp_path / "none.db").exists(), "the purge must not create the store"


def test_retention_days_must_be_positive():
    with pytest.raises(SystemExit, match="RETENTION_DAYS"):
        settings.load({"RETENTION_DAYS": "0"})


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_staff_report_reads_the_same_store_and_only_what_retention_keeps(request, backend, tmp_path):
    from bot.report import write
    from knowledge import get_knowledge

    store, env = request.getfixturevalue(backend)
    fill(store)
    conf = settings.load(env)
    # 60 days back: every turn of every stored conversation
    assert write(conf, 60, tmp_path / "all", get_knowledge(), now=NOW)["messages"] == 7
    purge.purge(conf, now=NOW)
    report = write(conf, 60, tmp_path / "kept", get_knowledge(), now=NOW)
    assert (report["conversations"], report["messages"]) == (2, 4)  # "recent" and "long-running", whole
    assert (tmp_path / "kept" / "report.html").exists()
