"""Values for the {placeholders} of the domain responses, computed from knowledge
objects. No sentence lives here: the wording of every reply is in domain/*.yml
(standard and easy-to-read variants); values are written in French by
knowledge/french.py.

Only canonical names and facts from the knowledge base are printed, never the
resident's raw text.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Dict, Iterable, List, Optional, Sequence

from knowledge import Closure, Hub, KnowledgeBase, OpeningStatus
from knowledge.french import (
    capitalise, date_fr, day_fr, de, full_date_fr, intervals_fr, join_fr, lower_first, period_fr, time_fr,
    weekly_falc, weekly_fr, when_fr,
)

Values = Dict[str, Any]


def hub_short(hub: Hub) -> str:
    """"pôle d’Issy": the hub's usual name (templates write "le {hub}")."""
    return hub.usual_names[0] if hub.usual_names else lower_first(hub.name)


def hub_values(base: KnowledgeBase, hub: Hub, today: date) -> Values:
    """Name, address, map link, usual week and communes of a hub."""
    week = base.weekly_schedule(hub, today)
    served = [c.name for c in base.communes_served(hub)]
    return {
        "hub": hub_short(hub),
        "hub_full": lower_first(hub.name),
        "address": hub.full_address,
        "map_url": hub.osm_url,
        "weekly_hours": weekly_fr(week.groups, week.closed_on_public_holidays),
        "weekly_hours_falc": weekly_falc(week.groups, week.closed_on_public_holidays),
        "of_communes": de(join_fr(served)),
        "communes": join_fr(served),
    }


def closes_at(status: OpeningStatus, now: datetime) -> str:
    """"17 h 30", with the day when it closes on another day."""
    if status.closes_at is None:
        return ""
    text = time_fr(status.closes_at.time())
    if status.closes_at.date() != now.date():
        text += " " + day_fr(status.closes_at.date(), now.date())
    return text


def next_open(status: OpeningStatus, now: datetime) -> str:
    return when_fr(status.next_open, now) if status.next_open else ""


def intervals(pairs: Iterable) -> str:
    return intervals_fr(pairs)


def closure_values(closure: Closure) -> Values:
    """A closure or exceptional hours: its period, its reason (as staff wrote
    it) and, for exceptional hours, the hours of each day."""
    ranges = [tuple(datetime.strptime(t, "%H:%M").time() for t in r.split("-"))
              for r in (closure.hours or "").split(",") if r]
    return {"period": period_fr(closure.start, closure.end), "closure_reason": closure.reason,
            "exceptional_hours": intervals_fr(ranges)}


def opening_date(hub: Hub) -> str:
    return full_date_fr(hub.opening_date) if hub.opening_date else ""


def transport_values(hub: Hub) -> Values:
    return {
        "access": join_fr([f"en {t.mode} {t.line} (arrêt « {t.stop} »)" for t in hub.transport]),
        "access_falc": join_fr([f"le {t.mode} {t.line}, arrêt « {t.stop} »" for t in hub.transport]),
    }


def hub_lines(base: KnowledgeBase) -> str:
    """One line per known hub and the communes it serves."""
    return "\n".join(
        f"- {capitalise(hub_short(h))} : {join_fr([c.name for c in base.communes_served(h)])}"
        for h in base.hubs)


def covered_values(base: KnowledgeBase) -> Values:
    """The communes whose hub is known, for "I don't know yours yet"."""
    covered = [c.name for h in base.hubs for c in base.communes_served(h)]
    return {"of_covered_communes": de(join_fr(covered)), "covered_communes": join_fr(covered)}


def professions_values(base: KnowledgeBase, hubs: Sequence[Hub]) -> Values:
    labels = [p.label_plural for p in (base.profession(i) for i in hubs[0].professions) if p]
    return {
        "at_hubs": capitalise(join_fr([f"au {hub_short(h)}" for h in hubs])),
        "professions": join_fr(labels),
        "professions_lines": "\n".join(f"- {capitalise(label)}" for label in labels),
    }


def facilities_values(hub: Hub, digital: bool = False) -> Values:
    items = [lower_first(f.label) for f in (hub.digital_facilities if digital else hub.facilities)]
    return {"facilities": join_fr(items),
            "facilities_lines": "\n".join(f"- {capitalise(i)}" for i in items)}


def service_line(service) -> str:
    """"- Name : first sentence of the description, up to its detail list"."""
    first = service.description.split(". ")[0].split(" : ")[0].rstrip(".")
    return f"- {service.name} : {first}."


def service_list_values(base: KnowledgeBase) -> Values:
    families = [s for s in base.services if s.is_family]
    others = [s for s in base.services if not s.is_family]
    return {
        "service_lines": "\n".join(service_line(s) for s in families),
        "service_lines_falc": "\n".join(f"- {s.easy_name or s.name}" for s in families),
        "other_services": join_fr([s.name.lower() for s in others]),
        "other_services_falc": join_fr([(s.easy_name or s.name).lower() for s in others]),
    }


def service_values(service, need: Optional[str] = None) -> Values:
    return {
        "service": service.name,
        "service_falc": service.easy_name or service.name,
        "description": service.description,
        "description_falc": service.easy_description or service.description,
        "need": need or service.name,
    }


def service_buttons(base: KnowledgeBase) -> List[dict]:
    """One button per service; the payload names it, so no retyping is needed."""
    return [{"title": s.name, "payload": f'/ask_service{{"service": "{s.id}"}}'}
            for s in base.services]


def place_name(place: Optional[str]) -> str:
    """A printable place outside the 92: the canonical name or the 5 digits of a
    postal code (never the resident's raw text)."""
    return place or "ce lieu"


def date_label(day: date, today: date) -> str:
    return date_fr(day, today)


def fact_source(hub: Hub, field: str) -> str:
    """Where a hub's fact comes from, in a few words a resident can check."""
    for provenance in dict(hub.provenance).get(field, ()):
        if provenance.file:
            return "communiqué de presse du Département des Hauts-de-Seine"
        if provenance.dataset:
            try:
                updated = date.fromisoformat((provenance.record_modified or "")[:10])
            except ValueError:
                return provenance.dataset
            return f"{provenance.dataset}, fiche du {full_date_fr(updated)}"
        if provenance.note or provenance.derived_from:
            return provenance.note or provenance.derived_from
    return "données du Département des Hauts-de-Seine"
