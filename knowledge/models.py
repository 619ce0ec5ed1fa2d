"""Frozen data models returned by the knowledge layer (no Rasa import)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal, Optional
from urllib.parse import quote_plus


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from: a verbatim quote of a source file, a derivation
    from a public reference, a project rule, or a record of an imported data
    set (kind "dataset")."""

    file: Optional[str] = None  # source file name in knowledge/sources/
    quote: Optional[str] = None
    derived_from: Optional[str] = None
    rule: Optional[str] = None
    note: Optional[str] = None
    dataset: Optional[str] = None  # e.g. "DILA — Annuaire de l'administration…"
    licence: Optional[str] = None
    record_id: Optional[str] = None
    record_modified: Optional[str] = None  # the record's date_modification
    import_file: Optional[str] = None  # name of the imported file
    import_file_date: Optional[str] = None
    imported_at: Optional[str] = None

    @property
    def kind(self) -> str:
        if self.file:
            return "source"
        if self.derived_from:
            return "derived"
        if self.dataset:
            return "dataset"
        return "rule"


@dataclass(frozen=True)
class Commune:
    name: str
    insee: str
    postal_codes: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "insee": self.insee, "postal_codes": list(self.postal_codes)}


@dataclass(frozen=True)
class OutsidePlace:
    name: str
    departement: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MultiCommunePlace:
    """A place of the 92 spanning several communes (e.g. La Défense)."""

    name: str
    insee_codes: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourcedItem:
    """A list element of a hub (facility, partner, note...) with its provenance."""

    label: str
    provenance: tuple[Provenance, ...]
    category: Optional[str] = None
    quantity: Optional[int] = None


@dataclass(frozen=True)
class TransportAccess:
    mode: str  # e.g. "tramway"
    line: str  # e.g. "T1"
    stop: str  # e.g. "Les Courtilles"
    provenance: tuple[Provenance, ...]

    @property
    def label(self) -> str:
        return f"{self.mode} {self.line}, arrêt « {self.stop} »"


@dataclass(frozen=True)
class Closure:
    """A temporary closure of a hub (`hours` None) or exceptional hours on each
    of its usual opening days (`hours` "08:30-12:00"), from `start` to `end`
    included. Entered by staff with `python -m knowledge closure add`."""

    id: str
    hub_id: str
    start: date
    end: date
    reason: str  # as staff wrote it, e.g. "travaux"
    hours: Optional[str]  # "HH:MM-HH:MM[,HH:MM-HH:MM]"; None = closed all day
    added_by: str
    added_at: str  # ISO 8601

    @property
    def closed_all_day(self) -> bool:
        return self.hours is None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_dict(self) -> dict:
        return {"id": self.id, "hub_id": self.hub_id, "from": self.start.isoformat(),
                "to": self.end.isoformat(), "reason": self.reason, "hours": self.hours,
                "added_by": self.added_by, "added_at": self.added_at}


@dataclass(frozen=True)
class Hub:
    id: str
    name: str
    address: str  # street part, e.g. "13-15 rue Jean-Pierre Timbaud"
    postal_code: str
    city: str
    insee: str
    opening_hours: str  # OSM opening_hours
    description: str
    opening_date: Optional[date]
    communes_served: tuple[str, ...]  # INSEE codes
    transport: tuple[TransportAccess, ...]  # empty = unknown, never "none"
    services: tuple[str, ...]  # service ids
    professions: tuple[str, ...]  # profession ids
    facilities: tuple[SourcedItem, ...]
    partners: tuple[SourcedItem, ...]
    notes: tuple[SourcedItem, ...]
    usual_names: tuple[str, ...]
    address_complement: Optional[str] = None
    telephone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    accessibility: Optional[str] = None  # access for reduced mobility, as the source says
    updated: Optional[date] = None  # when this hub's information was last checked (date_maj)
    # temporary closures and exceptional hours (fermetures.yml), by start date
    closures: tuple["Closure", ...] = ()
    # (field name, provenances) pairs for scalar facts; list items carry their own.
    provenance: tuple[tuple[str, tuple[Provenance, ...]], ...] = ()

    @property
    def full_address(self) -> str:
        street = self.address if not self.address_complement else f"{self.address}, {self.address_complement}"
        return f"{street}, {self.postal_code} {self.city}"

    @property
    def osm_url(self) -> str:
        return "https://www.openstreetmap.org/search?query=" + quote_plus(self.full_address)

    @property
    def transport_known(self) -> bool:
        return bool(self.transport)

    @property
    def digital_facilities(self) -> tuple[SourcedItem, ...]:
        return tuple(f for f in self.facilities if f.category == "numerique")

    def provenance_for(self, field_name: str) -> tuple[Provenance, ...]:
        for name, items in self.provenance:
            if name == field_name:
                return items
        return ()

    def as_dict(self) -> dict:
        """The `hub` object of `python -m knowledge where` (issue #3)."""
        return {
            "id": self.id,
            "name": self.name,
            "address": self.address,
            "postal_code": self.postal_code,
            "city": self.city,
            "opening_hours": self.opening_hours,
            "transport": [
                {"mode": t.mode, "line": t.line, "stop": t.stop} for t in self.transport
            ],
        }


MatchStatus = Literal["served", "uncovered", "outside", "ambiguous", "unknown"]


@dataclass(frozen=True)
class CommuneMatch:
    """Outcome of resolving free text to a commune of the 92.

    served:    a 92 commune whose hub is known (`commune`, `hub`)
    uncovered: a 92 commune whose hub is not in the sources (`commune`, hub None)
    outside:   a place or postal code outside the 92 (`place`)
    ambiguous: several communes possible (`candidates`)
    unknown:   nothing recognised
    """

    status: MatchStatus
    query: str
    commune: Optional[Commune] = None
    hub: Optional[Hub] = None
    candidates: tuple[Commune, ...] = ()
    place: Optional[str] = None  # recognised place outside the 92 (a name, or a postal code)
    departement: Optional[str] = None  # département code of an outside place ("75", "78"...)
    postal_code: Optional[str] = None  # postal code found in the text, if any
    matched_text: Optional[str] = None  # the words of the query that matched
    fuzzy: bool = False  # matched through a typo tolerance
    span: Optional[tuple[int, int]] = None  # characters of the query naming the place

    @property
    def in_department(self) -> bool:
        return self.status in ("served", "uncovered")


@dataclass(frozen=True)
class OpeningStatus:
    hub_id: str
    at: datetime  # aware, Europe/Paris
    is_open: bool
    reason: Literal["open", "outside_hours", "weekend", "public_holiday", "temporary_closure"]
    holiday_name: Optional[str]  # French name when `at` falls on a public holiday
    closes_at: Optional[datetime]  # when open
    next_open: Optional[datetime]  # when closed
    next_change: Optional[datetime]
    closure: Optional[Closure] = None  # the closure or exceptional hours of that day


@dataclass(frozen=True)
class DaySchedule:
    """Opening intervals of one day; behaves like a list of (start, end)."""

    hub_id: str
    day: date
    intervals: tuple[tuple[time, time], ...]
    reason: Literal["open", "weekend", "public_holiday", "closed", "temporary_closure"]
    holiday_name: Optional[str] = None
    closure: Optional[Closure] = None  # the closure or exceptional hours of that day

    @property
    def is_open_that_day(self) -> bool:
        return bool(self.intervals)

    def __iter__(self):
        return iter(self.intervals)

    def __len__(self) -> int:
        return len(self.intervals)

    def __getitem__(self, index):
        return self.intervals[index]


@dataclass(frozen=True)
class Need:
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Profession:
    id: str
    label: str
    label_plural: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str
    category: str  # "famille-de-services" (the four families) or "accueil-numerique"
    thematiques: tuple[str, ...]
    publics: tuple[str, ...]
    professions: tuple[str, ...]  # profession ids
    needs: tuple[Need, ...]
    # easy-to-read (FALC) name and description: short sentences, no unexplained abbreviation
    easy_name: str = ""
    easy_description: str = ""

    @property
    def is_family(self) -> bool:
        return self.category == "famille-de-services"


@dataclass(frozen=True)
class AdjacentQuestion:
    """A question next to the pôles' remit: what the assistant cannot do, and
    which service of the pôle helps instead."""
    id: str
    keywords: tuple[str, ...]
    unless: tuple[str, ...]
    answer: str
    service: str  # service id
    easy_answer: str = ""  # the same answer in easy-to-read French (FALC)


@dataclass(frozen=True)
class ServiceMatch:
    service: Service
    need: str  # label of the need that matched (or the profession)
    matched: str  # words of the text that matched
    professions: tuple[Profession, ...]
    score: float = 0.0


@dataclass(frozen=True)
class Helpline:
    number: str
    name: str
    purpose: str
    hours: str
    free: bool
    channels: tuple[str, ...]
    reference: str
    # What people ask about calling it ("is it anonymous?"), when the reference says so.
    details: str = ""


@dataclass(frozen=True)
class WeeklySchedule:
    """A hub's usual week: groups of consecutive weekdays (0 = Monday) with the
    same opening intervals, and whether it closes on public holidays (None when
    the data cannot tell)."""
    hub_id: str
    groups: tuple[tuple[int, int, tuple[tuple[time, time], ...]], ...]
    closed_on_public_holidays: Optional[bool]


@dataclass(frozen=True)
class DatedSite:
    commune: str
    year: Optional[int]
    month: Optional[int]
    provenance: tuple[Provenance, ...]


@dataclass(frozen=True)
class Budget:
    id: str
    label: str
    amount_eur: int
    year: Optional[int]
    provenance: tuple[Provenance, ...]


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    modernisation: SourcedItem
    modernised_sites: tuple[DatedSite, ...]
    hubs_under_works: tuple[DatedSite, ...]
    budgets: tuple[Budget, ...]
    funded_projects: tuple[SourcedItem, ...]
    proximity_goal: SourcedItem
    hub_minutes: int
    antenna_minutes: int
    priority_publics: SourcedItem
