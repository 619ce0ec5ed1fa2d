"""Rasa's SQL tracker store and Redis lock store, made safe for replicas.

ResilientSQLTrackerStore
------------------------

Rasa 3.6's `SQLTrackerStore` creates its engine without `pool_pre_ping`, so
after PostgreSQL restarts, every pooled connection is dead and the next
queries fail. Rasa's agent wraps the store in a `FailSafeTrackerStore`, which
turns a failed read into "no tracker": the turn then runs on an empty
conversation (the commune is forgotten) and its events may never be stored.

Worse, its `session_scope` treats *any* ValueError raised while a session is
open as "the PostgreSQL schema is missing" and calls sys.exit(1): one request
whose sender id the database cannot encode (a lone surrogate "\ud800" for
SQLite, a NUL character for PostgreSQL - both valid JSON) stops the whole
Rasa server. Found by bench/fuzz_rest.py.

This subclass keeps Rasa's schema, queries and configuration keys and adds:
- a `session_scope` that exits only when the schema is really missing; other
  errors are raised to the caller like any other failure (the turn gets an
  answer, the server keeps serving);
- `pool_pre_ping`: a dead pooled connection is replaced before use;
- retries with back-off on connection errors, awaited with `asyncio.sleep`
  (the server keeps serving other conversations meanwhile), for up to
  DB_RETRY_SECONDS (default 15 s: a PostgreSQL restart takes a few seconds);
- `hide_parameters`: SQL errors in the logs never carry message text;
- with an event broker, the new events are published after they are stored
  (Rasa publishes before, and re-reads the whole conversation to find them),
  and with ConfirmedPikaEventBroker the turn waits for RabbitMQ to confirm them.

ConfirmedPikaEventBroker
------------------------
Rasa's `PikaEventBroker.publish` only schedules the publication in the
background: the reply returns before RabbitMQ has the events. When the next
message of the same conversation goes to another replica, that replica can
publish its events first (seen in tests/production/test_replicas.py under
load). This subclass publishes a turn's events one after the other and the
tracker store waits for RabbitMQ's publisher confirms before the turn ends,
so the queue holds the events of a conversation in the order of its turns,
whichever replica served them. If RabbitMQ does not confirm within
EVENT_PUBLISH_TIMEOUT seconds (default 5: it is down or overloaded) the reply
is sent anyway; the publication goes on in the background, and Rasa keeps
what fails for its reconnection, so nothing is lost, but order is then only
guaranteed by the events' `timestamp` (docs/deployment.md).

AtomicRedisLockStore
--------------------
Rasa's `RedisLockStore` takes a conversation's ticket with a GET then a SET.
Two replicas receiving messages of the same conversation at the same moment
can both get the same ticket and run the two turns at once: one turn's events
are then lost (seen in tests/production/test_replicas.py). This subclass does
each read-modify-write of the ticket lock in a Redis transaction (WATCH/MULTI,
retried on conflict). Same keys, same configuration, same lock format.

All three are referenced by module path in the endpoints file (bot/endpoints.py):
    tracker_store:
      type: bot.stores.ResilientSQLTrackerStore
      dialect: postgresql   # or sqlite
    lock_store:
      type: bot.stores.AtomicRedisLockStore
      url: redis-host
    event_broker:
      type: bot.stores.ConfirmedPikaEventBroker
      url: rabbitmq-host
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import (
    Any, Awaitable, Callable, Dict, Generator, Iterable, List, Optional, Text, TypeVar,
)

import sqlalchemy as sa
import sqlalchemy.exc
import sqlalchemy.orm
from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.core.tracker_store import (
    POSTGRESQL_SCHEMA, SQLTrackerStore, create_engine_kwargs, ensure_schema_exists,
)
from rasa.shared.utils.cli import print_error_and_exit
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import EndpointConfig
from bot import settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Errors that mean "the database is (temporarily) unreachable", worth a retry.
# Anything else (a bad value, a schema problem) is raised at once.
RETRYABLE = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


def retry_seconds() -> float:
    return settings.load().db_retry_seconds


def publish_timeout() -> float:
    return settings.load().event_publish_timeout


class ResilientSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore + pool_pre_ping + retries + hidden SQL parameters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa gives no hook for engine options: rebuild the engine it made,
        # same URL and pool settings, plus ours.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url)
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Generator["sqlalchemy.orm.Session", None, None]:
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as missing:  # Rasa's behaviour, for this case only
                print_error_and_exit(
                    f"Requested PostgreSQL schema '{missing}' was not found in the database. "
                    f"Create it or unset {POSTGRESQL_SCHEMA}.")
            yield session
        finally:
            session.close()

    async def _retrying(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        deadline = time.monotonic() + retry_seconds()
        delay = 0.2
        while True:
            try:
                return await operation()
            except RETRYABLE as error:
                if time.monotonic() + delay > deadline:
                    raise
                # The driver's own message (connection-level: no data), not
                # SQLAlchemy's, which quotes the statement.
                reason = str(getattr(error, "orig", None) or type(error).__name__)
                logger.warning("Tracker store %s failed (%s); retrying in %.1f s.",
                               what, reason.strip().splitlines()[0][:200], delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def keys(self) -> Iterable[Text]:
        return await self._retrying("keys", super().keys)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._retrying("read", lambda: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(
        self, conversation_id: Text
    ) -> Optional[DialogueStateTracker]:
        return await self._retrying(
            "read", lambda: SQLTrackerStore.retrieve_full_tracker(self, conversation_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Rasa streams to the event broker first, after reading the whole
        # conversation again to diff it. Here the events are published once,
        # after the (retried) write: only stored events, and one read less
        # per turn. The new events are the same: those beyond what is stored.
        written = await self._retrying("write", lambda: self._write_new_events(tracker))
        if self.event_broker and written:
            await self._stream_new_events(self.event_broker, written, tracker.sender_id)

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: List[Any], sender_id: Text
    ) -> None:
        bodies = [{"sender_id": sender_id, **event.as_dict()} for event in new_events]
        if isinstance(event_broker, ConfirmedPikaEventBroker):
            await event_broker.publish_confirmed(bodies, publish_timeout())
            return
        for body in bodies:
            event_broker.publish(body)

    async def _write_new_events(self, tracker: DialogueStateTracker) -> list:
        """The database half of `SQLTrackerStore.save`, in one transaction,
        so a failed attempt leaves nothing behind and can be repeated."""
        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
            for event in events:
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(
                            INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        return events


class ConfirmedPikaEventBroker(PikaEventBroker):
    """PikaEventBroker whose publications can be awaited until RabbitMQ confirms them."""

    async def publish_confirmed(self, events: List[Dict[Text, Any]], timeout: float) -> bool:
        """Publish `events` in this order and wait (at most `timeout` seconds) for
        RabbitMQ's confirms. False on time-out: the publication continues in the
        background (Rasa's own path keeps failed events for the reconnection)."""
        if not events:
            return True
        task = asyncio.get_running_loop().create_task(self._publish_in_order(events))
        self._background_tasks.add(task)  # Rasa's set: a reference until it ends
        task.add_done_callback(self._background_tasks.discard)
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            logger.warning("RabbitMQ did not confirm %d event(s) within %.1f s; the reply is "
                           "sent and the events are still being published.", len(events), timeout)
            return False
        return True

    async def _publish_in_order(self, events: List[Dict[Text, Any]]) -> None:
        for event in events:
            # The channel has publisher confirms on (aio_pika's default): this
            # returns once RabbitMQ has the message, or keeps it for later.
            await self._publish(event)


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket updates are Redis transactions."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds custom lock stores with `endpoint_config=` only.
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, "host": endpoint_config.url or "localhost",
                      **kwargs}
        super().__init__(**kwargs)

    def _transact(self, conversation_id: Text,
                  change: Callable[[Optional[TicketLock]], tuple[Optional[TicketLock], T]]) -> T:
        """Apply `change` to the stored lock atomically; a returned None lock
        deletes the key."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed the lock meanwhile: redo

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._transact(conversation_id, change)
        except Exception as error:  # Rasa's contract: LockError
            raise LockError(f"Error while acquiring lock: {type(error).__name__}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._transact(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._transact(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # Remove the ticket and, if nobody waits, the lock: one transaction, so
        # a ticket issued in between is never deleted with it.
        def change(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
                if lock.is_someone_waiting():
                    return lock, None
            return None, None

        self._transact(conversation_id, change)
