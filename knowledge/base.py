"""KnowledgeBase: the query API, hot-reloaded from knowledge/data/.

Data files are stat'ed at most once per second; when one changed, everything is
reloaded and validated. If the new data is invalid, the old data keeps being
served and the error (file + field) is logged and kept in `last_error`.
"""
from __future__ import annotations

import logging
import os
import threading
import time as _time
from datetime import date, datetime
from pathlib import Path
from typing import Optional

from . import hours, loader, text
from .communes import CommuneResolver
from .loader import KnowledgeData, KnowledgeDataError
from .models import (
    AdjacentQuestion,
    Closure,
    WeeklySchedule,
    Commune,
    CommuneMatch,
    DaySchedule,
    Department,
    Helpline,
    Hub,
    OpeningStatus,
    Profession,
    Service,
    ServiceMatch,
)
from .services import AdjacentMatcher, NeedMatcher

log = logging.getLogger("knowledge")

DATA_DIR_ENV = "KNOWLEDGE_DIR"
SOURCES_DIR_ENV = "KNOWLEDGE_SOURCES_DIR"
CHECK_INTERVAL_S = 1.0


class _Snapshot:
    """One consistent load of the data with its derived indexes."""

    def __init__(self, data: KnowledgeData):
        self.data = data
        self.hubs_by_id = {h.id: h for h in data.hubs}
        self.hub_by_insee = {insee: h for h in data.hubs for insee in h.communes_served}
        self.resolver = CommuneResolver(data.communes, data.multi_commune_places,
                                        data.outside_places, self.hub_by_insee.get)
        self.services_by_id = {s.id: s for s in data.services}
        self.needs = NeedMatcher(data.services, data.professions)
        self.adjacent = AdjacentMatcher(data.adjacent_questions)
        self.helplines_by_number = {h.number: h for h in data.helplines}
        self.situations = dict(data.situations)
        # Hubs named by a commune: their own city, and communes in their usual names.
        self.hub_names: list[tuple[str, Hub]] = []
        for hub in data.hubs:
            self.hub_names.append((hub.insee, hub))
            for usual in hub.usual_names:
                for commune in self.resolver.communes_in_text(usual):
                    self.hub_names.append((commune.insee, hub))


class KnowledgeBase:
    def __init__(self, data_dir: Path | str | None = None, sources_dir: Path | str | None = None,
                 check_interval: float = CHECK_INTERVAL_S):
        self.data_dir = Path(data_dir) if data_dir else loader.DEFAULT_DATA_DIR
        self.sources_dir = Path(sources_dir) if sources_dir else loader.DEFAULT_SOURCES_DIR
        self.check_interval = check_interval
        self.last_error: Optional[KnowledgeDataError] = None
        self._lock = threading.Lock()
        self._signature = self._files_signature()
        self._snapshot = _Snapshot(loader.load(self.data_dir, self.sources_dir))  # raises if invalid
        self._last_check = _time.monotonic()

    # -- hot reload -------------------------------------------------------------
    def _files_signature(self) -> tuple:
        sig = []
        for path in loader.data_files(self.data_dir, self.sources_dir):
            try:
                st = path.stat()
                sig.append((str(path), st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                sig.append((str(path), None, None))
        return tuple(sig)

    def _current(self) -> _Snapshot:
        now = _time.monotonic()
        if now - self._last_check < self.check_interval:
            return self._snapshot
        with self._lock:
            if now - self._last_check < self.check_interval:
                return self._snapshot
            self._last_check = now
            signature = self._files_signature()
            if signature != self._signature:
                self._signature = signature
                self.reload()
        return self._snapshot

    def reload(self) -> bool:
        """Reload now; on invalid data keep the old data and return False."""
        try:
            snapshot = _Snapshot(loader.load(self.data_dir, self.sources_dir))
        except KnowledgeDataError as exc:
            self.last_error = exc
            log.error("knowledge data not reloaded, still serving the previous version:\n%s", exc)
            return False
        except Exception as exc:  # a bug must not take the running bot down
            self.last_error = KnowledgeDataError([f"unexpected error while loading: {exc!r}"])
            log.exception("knowledge data not reloaded, still serving the previous version")
            return False
        self._snapshot = snapshot
        self.last_error = None
        log.info("knowledge data reloaded from %s", self.data_dir)
        return True

    # -- communes ---------------------------------------------------------------
    @property
    def communes(self) -> tuple[Commune, ...]:
        return self._current().data.communes

    def commune(self, insee: str) -> Optional[Commune]:
        return self._current().resolver.commune(insee)

    def resolve_commune(self, query: str) -> CommuneMatch:
        return self._current().resolver.resolve(query)

    def communes_for_postal_code(self, code: str) -> tuple[Commune, ...]:
        return self._current().resolver.postal_code_communes(code.replace(" ", ""))

    @property
    def commune_reference(self) -> dict[str, str]:
        return dict(self._current().data.commune_reference)

    # -- hubs -------------------------------------------------------------------
    @property
    def hubs(self) -> tuple[Hub, ...]:
        return self._current().data.hubs

    def hub(self, hub_id: str) -> Optional[Hub]:
        return self._current().hubs_by_id.get(hub_id)

    def hub_for_insee(self, insee: str) -> Optional[Hub]:
        return self._current().hub_by_insee.get(insee)

    def communes_served(self, hub: Hub | str) -> tuple[Commune, ...]:
        snap = self._current()
        hub = snap.hubs_by_id.get(hub) if isinstance(hub, str) else hub
        if hub is None:
            return ()
        return tuple(snap.resolver.commune(i) for i in hub.communes_served)

    def find_hub_in_text(self, query: str) -> Optional[Hub]:
        """The hub the text names: by id, by its city ("le pôle d'Asnières",
        "celui d'Issy") or by a commune in its usual name. None if none."""
        snap = self._current()
        folded = text.fold(query)
        for hub in snap.data.hubs:
            if hub.id in query or text.fold(hub.id) in folded:
                return hub
        names = dict(snap.hub_names[::-1])  # first declared wins
        for commune in snap.resolver.communes_in_text(query):
            if commune.insee in names:
                return names[commune.insee]
        return None

    # -- hours ------------------------------------------------------------------
    def opening_status(self, hub: Hub | str, at: datetime) -> OpeningStatus:
        return hours.opening_status(self._hub(hub), at)

    def weekly_schedule(self, hub: Hub | str, today: date) -> WeeklySchedule:
        """The hub's usual week (grouped weekdays and hours) and its public-holiday rule."""
        return hours.weekly_schedule(self._hub(hub), today)

    def day_schedule(self, hub: Hub | str, day: date) -> DaySchedule:
        return hours.day_schedule(self._hub(hub), day)

    def closures_to_announce(self, hub: Hub | str, today: date) -> tuple[Closure, ...]:
        """The hub's closures and exceptional hours under way or starting within
        hours.CLOSURE_NOTICE_DAYS days, by start date."""
        return hours.closures_to_announce(self._hub(hub), today)

    @property
    def closures(self) -> tuple[Closure, ...]:
        """Every hub's closures and exceptional hours, by hub then start date."""
        return tuple(c for h in self._current().data.hubs for c in h.closures)

    def _hub(self, hub: Hub | str) -> Hub:
        if isinstance(hub, Hub):
            return hub
        found = self.hub(hub)
        if found is None:
            raise KeyError(f"unknown hub id {hub!r}")
        return found

    # -- services ---------------------------------------------------------------
    @property
    def services(self) -> tuple[Service, ...]:
        return self._current().data.services

    def service(self, service_id: str) -> Optional[Service]:
        return self._current().services_by_id.get(service_id)

    @property
    def professions(self) -> tuple[Profession, ...]:
        return self._current().data.professions

    def profession(self, profession_id: str) -> Optional[Profession]:
        return next((p for p in self.professions if p.id == profession_id), None)

    def services_for_need(self, query: str, professions: bool = True) -> list[ServiceMatch]:
        """Services for a need in plain words, best first; `professions=False`
        ignores the mere mention of a profession ("le médecin m'a dit...")."""
        return self._current().needs.match(query, professions)

    def adjacent_question(self, query: str) -> Optional[AdjacentQuestion]:
        """A question next to the remit (CAF, RSA rules, préfecture...), or None."""
        return self._current().adjacent.match(query)

    def hubs_offering(self, service_id: str) -> tuple[Hub, ...]:
        return tuple(h for h in self._current().data.hubs if service_id in h.services)

    # -- helplines, département -------------------------------------------------
    @property
    def helplines(self) -> tuple[Helpline, ...]:
        return self._current().data.helplines

    def helpline(self, number: str) -> Optional[Helpline]:
        return self._current().helplines_by_number.get(number)

    def helplines_for(self, situation: str) -> list[Helpline]:
        """Numbers to give, in order, for one of loader.SITUATIONS."""
        snap = self._current()
        if situation not in snap.situations:
            raise KeyError(f"unknown situation {situation!r} (expected one of {', '.join(loader.SITUATIONS)})")
        return [snap.helplines_by_number[n] for n in snap.situations[situation]]

    @property
    def department(self) -> Department:
        return self._current().data.department


_instances: dict[tuple[str, str], KnowledgeBase] = {}
_instances_lock = threading.Lock()


def configured_dirs() -> tuple[Path, Path]:
    """(data dir, sources dir) from $KNOWLEDGE_DIR / $KNOWLEDGE_SOURCES_DIR or the defaults."""
    data_dir = os.environ.get(DATA_DIR_ENV) or str(loader.DEFAULT_DATA_DIR)
    sources_dir = os.environ.get(SOURCES_DIR_ENV) or str(loader.DEFAULT_SOURCES_DIR)
    return Path(data_dir).resolve(), Path(sources_dir).resolve()


def get_knowledge() -> KnowledgeBase:
    """The shared KnowledgeBase for $KNOWLEDGE_DIR (default knowledge/data/).
    Raises KnowledgeDataError at first use if the data is invalid."""
    key = tuple(str(d) for d in configured_dirs())
    with _instances_lock:
        kb = _instances.get(key)
        if kb is None:
            kb = KnowledgeBase(key[0], key[1])
            _instances[key] = kb
        return kb
