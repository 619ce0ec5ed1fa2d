"""French replies built from knowledge objects. Pure functions, no Rasa.

Only canonical names and facts from the knowledge base are printed, never the
user's raw text.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable, List, Optional, Sequence

from knowledge import CommuneMatch, Hub, KnowledgeBase, OpeningStatus
from knowledge.french_time import Moment

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
NOT_COVERED = "je n'ai pas encore l'information pour votre commune"
ASK_COMMUNE = ("Dans quelle commune des Hauts-de-Seine habitez-vous ? Vous pouvez aussi "
               "m'indiquer votre code postal.")
CLARIFY = ("Je n'ai pas bien compris votre demande. Pouvez-vous la reformuler, ou choisir "
           "un sujet ? En cas de danger immédiat, appelez le 112.")
# A long message we could not place: never "je n'ai pas compris" alone.
CLARIFY_LONG = ("Je ne suis pas sûr d'avoir bien compris votre demande. Le pôle social "
                "départemental peut vous aider dans ces domaines : choisissez celui qui vous "
                "concerne, ou dites-le-moi en quelques mots, avec votre commune. En cas de "
                "danger immédiat, appelez le 112.")
DISTRESS = ("Ce que vous vivez a l'air difficile. Un travailleur social du pôle social "
            "départemental peut vous écouter et chercher avec vous des solutions.")
# The main topics; payloads are intents that are safe at any point (they start
# the commune form or list the services; nothing irreversible).
TOPIC_BUTTONS = [
    {"title": "Trouver mon pôle social", "payload": "/find_hub"},
    {"title": "Horaires d'ouverture", "payload": "/ask_hours"},
    {"title": "Les services proposés", "payload": "/list_services"},
]


# --------------------------------------------------------------------- small words

def join_fr(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def de(name: str) -> str:
    """French "de" before a place name: d’Issy, du Plessis-Robinson, de Clamart."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].lower() in "aeiouyhàâéèêîïôûüœ":
        return "d’" + name
    return "de " + name


def habitants(names: Sequence[str]) -> str:
    return "les habitants " + de(join_fr(list(names)))


def fmt_time(t: time) -> str:
    if t.minute == 0:
        return f"{t.hour} h"
    return f"{t.hour} h {t.minute:02d}"


def fmt_date(d: date, today: date) -> str:
    text = f"{WEEKDAYS[d.weekday()]} {'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]}"
    return text if d.year == today.year else f"{text} {d.year}"


def fmt_day(d: date, today: date) -> str:
    if d == today:
        return "aujourd'hui"
    if d == today + timedelta(days=1):
        return f"demain ({fmt_date(d, today)})"
    return fmt_date(d, today)


def fmt_when(moment: datetime, now: datetime) -> str:
    return f"{fmt_day(moment.date(), now.date())} à {fmt_time(moment.time())}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def hub_short(hub: Hub) -> str:
    """« le pôle d’Issy » style short name, from the knowledge base's usual names."""
    return f"le {hub.usual_names[0]}" if hub.usual_names else f"le {hub.name}"


def hub_name(hub: Hub) -> str:
    return hub.name[:1].lower() + hub.name[1:]  # "le pôle social départemental d’…"


# --------------------------------------------------------------------- hours

def weekly_hours(base: KnowledgeBase, hub: Hub, today: date) -> str:
    """"du lundi au vendredi de 8 h 30 à 17 h 30, sauf les jours fériés"."""
    by_weekday: dict[int, tuple] = {}
    for offset in range(0, 42):
        day = today + timedelta(days=offset)
        if day.weekday() in by_weekday:
            continue
        schedule = base.day_schedule(hub, day)
        if schedule.reason == "public_holiday" or schedule.holiday_name:
            continue  # a holiday says nothing about the usual week
        by_weekday[day.weekday()] = tuple(schedule.intervals)
        if len(by_weekday) == 7:
            break
    groups: list[tuple[int, int, tuple]] = []
    for wd in range(7):
        intervals = by_weekday.get(wd, ())
        if not intervals:
            continue
        if groups and groups[-1][1] == wd - 1 and groups[-1][2] == intervals:
            groups[-1] = (groups[-1][0], wd, intervals)
        else:
            groups.append((wd, wd, intervals))
    if not groups:
        return "sans horaires connus"
    parts = []
    for first, last, intervals in groups:
        days = f"le {WEEKDAYS[first]}" if first == last else f"du {WEEKDAYS[first]} au {WEEKDAYS[last]}"
        parts.append(f"{days} {intervals_text(intervals)}")
    text = join_fr(parts)
    if "PH off" in hub.opening_hours:
        text += ", sauf les jours fériés"
    return text


def intervals_text(intervals: Iterable[tuple[time, time]]) -> str:
    return join_fr([f"de {fmt_time(a)} à {fmt_time(b)}" for a, b in intervals])


def closed_reason(reason: str, holiday: Optional[str]) -> str:
    if reason == "public_holiday":
        return f"c'est un jour férié ({holiday})" if holiday else "c'est un jour férié"
    if reason == "weekend":
        extra = f" (et c'est un jour férié : {holiday})" if holiday else ""
        return f"il est fermé le week-end{extra}"
    return "c'est en dehors des horaires d'ouverture"


# --------------------------------------------------------------------- hub facts

def hub_card(base: KnowledgeBase, hub: Hub, today: date) -> str:
    """Address, hours and map link."""
    return (
        f"Adresse : {hub.full_address}.\n"
        f"Ouvert {weekly_hours(base, hub, today)}.\n"
        f"Plan : {hub.osm_url}"
    )


def where(base: KnowledgeBase, hub: Hub, commune: Optional[str], today: date) -> str:
    if commune:
        head = f"Pour {commune}, adressez-vous au {hub_name(hub)}."
    else:
        served = [c.name for c in base.communes_served(hub)]
        head = f"Le {hub_name(hub)} accueille {habitants(served)}."
    return f"{head}\n{hub_card(base, hub, today)}"


def address(hub: Hub, commune: Optional[str]) -> str:
    head = f"Pour {commune}, c'est le {hub_name(hub)}" if commune else f"Le {hub_name(hub)}"
    return f"{head} : {hub.full_address}.\nPlan : {hub.osm_url}"


def hours(base: KnowledgeBase, hub: Hub, commune: Optional[str], now: datetime) -> str:
    head = f"Pour {commune}, le {hub_name(hub)}" if commune else f"Le {hub_name(hub)}"
    text = f"{head} est ouvert {weekly_hours(base, hub, now.date())}."
    status = base.opening_status(hub, now)
    if status.is_open and status.closes_at:
        text += f" Il est ouvert en ce moment et ferme à {fmt_time(status.closes_at.time())}"
        if status.closes_at.date() != now.date():
            text += f" {fmt_day(status.closes_at.date(), now.date())}"
        text += "."
    elif not status.is_open:
        text += " Il est fermé en ce moment"
        if status.next_open:
            text += f" ; il rouvre {fmt_when(status.next_open, now)}"
        text += "."
    return text


def open_at(base: KnowledgeBase, hub: Hub, moment: Optional[Moment], now: datetime) -> str:
    """Open or closed at a moment (an instant, a whole day or a part of a day)."""
    name = capitalise(hub_short(hub))
    usual = weekly_hours(base, hub, now.date())
    if moment is None or moment.kind == "instant":
        at = now if moment is None else moment.start
        label = "en ce moment" if moment is None or moment.label == "maintenant" else moment.label
        status = base.opening_status(hub, at)
        if status.is_open:
            text = f"Oui, {hub_short(hub)} est ouvert {label}"
            if status.closes_at:
                text += f" : il ferme à {fmt_time(status.closes_at.time())}"
            return text + "."
        text = f"Non, {hub_short(hub)} est fermé {label} : {closed_reason(status.reason, status.holiday_name)}."
        return text + _next_opening(status, now, usual)
    day = moment.start.date()
    schedule = base.day_schedule(hub, day)
    if moment.kind == "day":
        if schedule.intervals:
            return f"Oui, {moment.label}, {hub_short(hub)} est ouvert {intervals_text(schedule.intervals)}."
        status = base.opening_status(hub, moment.start)
        text = f"Non, {hub_short(hub)} est fermé {moment.label} : {closed_reason(schedule.reason, schedule.holiday_name)}."
        return text + _next_opening(status, now, usual)
    # a period ("demain matin"): open if an opening interval overlaps it
    start, end = moment.start.time(), (moment.end or moment.start).time()
    overlap = [(max(a, start), min(b, end)) for a, b in schedule.intervals if a < end and b > start]
    if overlap:
        return f"Oui, {moment.label}, {hub_short(hub)} est ouvert {intervals_text(overlap)}."
    if schedule.intervals:
        reason = f"il est ouvert ce jour-là {intervals_text(schedule.intervals)}"
        return f"Non, {hub_short(hub)} est fermé {moment.label} : {reason}."
    status = base.opening_status(hub, moment.start)
    text = f"Non, {hub_short(hub)} est fermé {moment.label} : {closed_reason(schedule.reason, schedule.holiday_name)}."
    return text + _next_opening(status, now, usual)


def _next_opening(status: OpeningStatus, now: datetime, usual: str) -> str:
    text = f" Il est ouvert {usual}."
    if status.next_open:
        text += f" Prochaine ouverture : {fmt_when(status.next_open, now)}."
    return text


def transport(hub: Hub) -> str:
    if hub.transport:
        access = join_fr([f"en {t.mode} {t.line} (arrêt « {t.stop} »)" for t in hub.transport])
        return (f"{capitalise(hub_short(hub))} est accessible {access}.\n"
                f"Adresse : {hub.full_address}.\nPlan : {hub.osm_url}")
    return (f"Les documents dont je dispose n'indiquent pas de ligne ni d'arrêt de transport "
            f"en commun pour {hub_short(hub)}. Son adresse : {hub.full_address}.\n"
            f"Plan : {hub.osm_url}")


def opening_date(hub: Hub) -> str:
    if hub.opening_date is None:
        return f"Les documents dont je dispose ne donnent pas la date d'ouverture de {hub_short(hub)}."
    d = hub.opening_date
    return (f"{capitalise(hub_short(hub))} est ouvert au public depuis le "
            f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}.")


def communes_served(base: KnowledgeBase, hub: Hub) -> str:
    served = [c.name for c in base.communes_served(hub)]
    return f"{capitalise(hub_short(hub))} accueille {habitants(served)}."


def all_hubs_communes(base: KnowledgeBase) -> str:
    lines = [f"- {capitalise(hub_short(h))} : {join_fr([c.name for c in base.communes_served(h)])}"
             for h in base.hubs]
    return ("Je connais les pôles sociaux départementaux qui accueillent les habitants de ces communes :\n"
            + "\n".join(lines)
            + "\nPour les autres communes des Hauts-de-Seine, je n'ai pas encore l'information.")


def professionals(base: KnowledgeBase, hubs: Sequence[Hub]) -> str:
    """Professions of one hub, or of several hubs when they are the same."""
    labels = [p.label_plural for p in (base.profession(i) for i in hubs[0].professions) if p]
    where = join_fr([f"au {hub_short(h)[3:]}" for h in hubs])  # "au pôle d’Issy et au pôle d’Asnières"
    return f"{capitalise(where)}, vous pouvez rencontrer : {join_fr(labels)}."


def lower_first(label: str) -> str:
    """A knowledge-base label inside a sentence ("Accompagnement …" -> "accompagnement …")."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def facilities(hub: Hub) -> str:
    items = [lower_first(f.label) for f in hub.facilities]
    return f"{capitalise(hub_short(hub))} en quelques chiffres : {join_fr(items)}."


def digital_service(base: KnowledgeBase) -> str:
    """Names the service before the hubs' digital facilities."""
    service = base.service("numerique")
    return (f"C'est le service {service.name} : on vous y aide à faire vos démarches en ligne."
            if service else "")


def digital(hub: Hub) -> str:
    items = [lower_first(f.label) for f in hub.digital_facilities]
    if not items:
        return (f"Les documents dont je dispose ne décrivent pas d'espace numérique pour "
                f"{hub_short(hub)}.")
    return f"Pour vos démarches en ligne, {hub_short(hub)} propose : {join_fr(items)}."


# --------------------------------------------------------------------- coverage

def not_covered(base: KnowledgeBase, commune: str) -> str:
    covered = [c.name for h in base.hubs for c in base.communes_served(h)]
    return (
        f"Pour {commune}, {NOT_COVERED} : je ne connais pour l'instant que les pôles "
        f"sociaux qui accueillent {habitants(covered)}. Je préfère ne pas vous "
        f"donner une adresse qui ne serait pas la vôtre. Je peux en revanche vous dire "
        f"quel service correspond à votre besoin, ou vous donner les numéros d'urgence."
    )


def outside(place: str) -> str:
    return (
        f"Le service concerne les habitants des Hauts-de-Seine (92), et {place} n'en fait "
        f"pas partie. Je ne peux donc pas vous indiquer de pôle social départemental. "
        f"En cas de danger immédiat, appelez le 112."
    )


def ambiguous(match: CommuneMatch) -> str:
    names = join_fr([c.name for c in match.candidates])
    if match.place:
        return f"{match.place} s'étend sur plusieurs communes : {names}."
    return f"Plusieurs communes sont possibles : {names}."


def unknown_place(match: Optional[CommuneMatch]) -> str:
    code = match.postal_code if match else None
    if code and code.isdigit():
        return f"Je ne trouve pas le code postal {code} parmi ceux des Hauts-de-Seine."
    return "Je ne reconnais pas cette commune parmi celles des Hauts-de-Seine."


# --------------------------------------------------------------------- services

def service_line(service) -> str:
    """The first sentence of the description, up to its detail list (" : ")."""
    first = service.description.split(". ")[0].split(" : ")[0].rstrip(".")
    return f"- {service.name} : {first}."


def list_services(base: KnowledgeBase) -> str:
    families = [s for s in base.services if s.is_family]
    others = [s for s in base.services if not s.is_family]
    text = ("Les pôles sociaux départementaux regroupent ces services :\n"
            + "\n".join(service_line(s) for s in families))
    if others:
        text += "\nIls proposent aussi : " + join_fr([s.name.lower() for s in others]) + " (selon le pôle)."
    return text + "\nDécrivez-moi votre besoin et je vous dirai quel service peut vous aider."


def no_service_found(base: KnowledgeBase) -> str:
    names = join_fr([s.name for s in base.services])
    return (f"Je n'ai pas reconnu votre besoin. Les pôles sociaux proposent : {names}. "
            f"Décrivez-le en quelques mots, par exemple « je suis enceinte » ou "
            f"« j'ai des dettes ».")


def service_buttons(base: KnowledgeBase) -> list[dict]:
    """One button per service; the payload names it, so no retyping is needed."""
    return [{"title": s.name, "payload": f'/ask_service{{"service": "{s.id}"}}'}
            for s in base.services]


def service_named(match) -> str:
    """The service for a need, when no hub can be given."""
    return f"Pour « {match.need} », le service qui peut vous aider est : {match.service.name}."


def service_hint(match, hub: Hub) -> Optional[str]:
    """One line when a "where" question also names a need ("enceinte, j'habite à …")."""
    if match.service.id not in hub.services:
        return None
    return f"Pour « {match.need} », le service concerné est : {match.service.name}."


def service_for_need(match, profession_label: Optional[str], others: List) -> str:
    service = match.service
    if profession_label:
        names = join_fr([m.service.name for m in [match, *others]])
        return (f"Des {profession_label} travaillent au pôle social départemental, dans ces "
                f"services : {names}.")
    people = join_fr([p.label_plural for p in match.professions])
    if match.need == service.name:
        text = f"C'est le service {service.name}. {service.description}"
    else:
        text = f"Pour « {match.need} », c'est le service {service.name}. {service.description}"
    if people:
        text += f"\nVous pouvez y rencontrer : {people}."
    return text
