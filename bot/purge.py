"""Retention of conversations in the tracker store (RGPD).

    python -m bot purge                 delete conversations whose last event is
                                        older than RETENTION_DAYS (default 30)
    python -m bot purge --days 7        same, with another period
    python -m bot purge --sender ID     erase one conversation now (a resident's
                                        request), whatever its age
    python -m bot purge --dry-run       count only

It works on Rasa's `events` table (the SQL tracker store's only table), in
SQLite or PostgreSQL, chosen by the same variables as the servers
(TRACKER_SQLITE_PATH, DATABASE_URL / DB_*). A conversation is deleted whole:
a partial tracker would be replayed as a broken conversation.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from bot.settings import Settings

DAY_S = 24 * 3600


@dataclass(frozen=True)
class Result:
    conversations: int
    events: int
    kept: int


def engine_for(settings: Settings) -> Optional[sa.engine.Engine]:
    """An engine on the tracker store, or None when the SQLite file does not exist
    (nothing stored yet; don't create it)."""
    db = settings.database
    if db:
        url = sa.engine.URL.create(
            "postgresql", username=db.user or None, password=db.password or None,
            host=db.host, port=db.port, database=db.name, query=dict(db.query))
        # Fail fast on an unreachable host instead of libpq's endless wait.
        return sa.create_engine(url, poolclass=NullPool, hide_parameters=True,
                                connect_args={"connect_timeout": 5})
    if not settings.sqlite_path.exists():
        return None
    url = sa.engine.URL.create("sqlite", database=str(settings.sqlite_path))
    return sa.create_engine(url, poolclass=NullPool, hide_parameters=True)


# The subquery picks whole conversations: every event of a sender whose most
# recent event is older than the cutoff.
_OLD = ("SELECT sender_id FROM events GROUP BY sender_id "
        "HAVING MAX(timestamp) < :cutoff")


def purge(settings: Settings, days: Optional[int] = None, sender: Optional[str] = None,
          now: Optional[float] = None, dry_run: bool = False) -> Result:
    """Delete old conversations (or the one of `sender`); return what was deleted."""
    engine = engine_for(settings)
    if engine is None:
        return Result(0, 0, 0)
    try:
        with engine.begin() as conn:
            if not sa.inspect(conn).has_table("events"):
                return Result(0, 0, 0)
            if sender is not None:
                where, params = "sender_id = :sender", {"sender": sender}
            else:
                period = settings.retention_days if days is None else days
                cutoff = (time.time() if now is None else now) - period * DAY_S
                where, params = f"sender_id IN ({_OLD})", {"cutoff": cutoff}
            conversations, events = conn.execute(
                sa.text(f"SELECT COUNT(DISTINCT sender_id), COUNT(*) FROM events WHERE {where}"),
                params).one()
            if events and not dry_run:
                conn.execute(sa.text(f"DELETE FROM events WHERE {where}"), params)
            kept = conn.execute(sa.text("SELECT COUNT(DISTINCT sender_id) FROM events")).scalar()
            if dry_run:
                kept -= conversations
            return Result(conversations, events, kept)
    finally:
        engine.dispose()


def scheduled(settings: Settings) -> None:
    """The launcher's automatic purge: never fatal, one line of output."""
    try:
        result = purge(settings)
    except Exception as error:  # noqa: BLE001 - the servers must start anyway
        print(f"[purge] skipped: tracker store not reachable ({describe(settings)}): "
              f"{type(error).__name__}", flush=True)
        return
    print(f"[purge] retention {settings.retention_days} day(s): deleted "
          f"{result.conversations} conversation(s), {result.kept} kept.", flush=True)


def describe(settings: Settings) -> str:
    if settings.database:
        return f"PostgreSQL {settings.database.host}:{settings.database.port}/{settings.database.name}"
    return f"SQLite {settings.sqlite_path}"


def main(settings: Settings, days: Optional[int] = None, sender: Optional[str] = None,
         dry_run: bool = False) -> int:
    """`python -m bot purge`: print what was deleted; exit 1 if the store is unreachable."""
    if days is not None and days < 0:
        print("[purge] --days must be 0 or more", flush=True)
        return 2
    if sender is not None and days is not None:
        print("[purge] --sender and --days are exclusive", flush=True)
        return 2
    try:
        result = purge(settings, days=days, sender=sender, dry_run=dry_run)
    except sa.exc.SQLAlchemyError as error:
        print(f"[purge] cannot reach the tracker store ({describe(settings)}): "
              f"{type(error).__name__}", flush=True)
        return 1
    verb = "would delete" if dry_run else "deleted"
    if sender is not None:
        what = "the conversation" if result.events else "no conversation"
        print(f"[purge] {verb} {what} of sender {sender!r} "
              f"({result.events} events) in {describe(settings)}.", flush=True)
    else:
        period = settings.retention_days if days is None else days
        print(f"[purge] {verb} {result.conversations} conversation(s) ({result.events} events) "
              f"inactive for more than {period} day(s) in {describe(settings)}; "
              f"{result.kept} kept.", flush=True)
    return 0
