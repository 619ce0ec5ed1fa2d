"""Staff CLI.

    python -m knowledge validate
    python -m knowledge where "<text>"
    python -m knowledge open "<hub or commune>" [--at 2027-03-29T10:00] [--json]
    python -m knowledge import annuaire FILE --pivot edas,mds,cdas,sdsei,pmi --out DIR [--replace]
    python -m knowledge closure add TARGET --from DATE --to DATE --reason "travaux" [--hours 08:30-12:00] [--by NAME]
    python -m knowledge closure list [--json]
    python -m knowledge closure remove ID
    python -m knowledge import data-inclusion STRUCTURES_FILE SERVICES_FILE --out DIR [--source a,b] [--replace]

`import annuaire` writes into DIR the current data (KNOWLEDGE_DIR or
knowledge/data) merged with DILA's directory (see knowledge/annuaire.py), all
or nothing; `import data-inclusion` does the same with data·inclusion's
structures and services (see knowledge/data_inclusion.py). `where` prints the JSON object of issue #3 and exits 0 only for a commune of
the 92. `open` answers open/closed with the reason and the next change; --at
without an offset is Europe/Paris time; default is bot.clock.now() (BOT_NOW).
`closure` manages the temporary closures and exceptional hours of
fermetures.yml in KNOWLEDGE_DIR (see knowledge/closures.py); TARGET is a hub
id, a hub name or a commune, as for `open`.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Optional

import getpass
import os

from . import hours
from .base import configured_dirs, get_knowledge
from .french import intervals_fr, period_fr
from .loader import KnowledgeDataError, load

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre")


def _now() -> datetime:
    try:
        from bot.clock import now  # plain Python, honours BOT_NOW
    except ImportError:  # knowledge/ used on its own
        return datetime.now(hours.PARIS)
    return now()


def _french_moment(moment: datetime) -> str:
    minutes = f"{moment.minute:02d}" if moment.minute else ""
    return (f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} "
            f"{moment.year} à {moment.hour}h{minutes}")


def cmd_validate(_args) -> int:
    try:
        data = load(*configured_dirs())
    except KnowledgeDataError as exc:
        print(f"{len(exc.errors)} error(s) in the knowledge data:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(f"OK: {len(data.communes)} communes, {len(data.hubs)} hubs, {len(data.services)} services, "
          f"{len(data.helplines)} helplines ({data.data_dir})")
    for hub, age in stale_hubs(data.hubs, date.today(), _args.max_age_months):
        print(f"warning: {hub.id}: information from {hub.updated.isoformat()}, {age} months old "
              f"(more than {_args.max_age_months}): check it with the hub", file=sys.stderr)
    return 0


def stale_hubs(hubs, today: date, max_months: int) -> list:
    """(hub, age in whole months) for hubs whose date_maj is older than max_months."""
    stale = []
    for hub in hubs:
        if hub.updated is None:
            continue
        months = (today.year - hub.updated.year) * 12 + today.month - hub.updated.month
        months -= today.day < hub.updated.day
        if months > max_months:
            stale.append((hub, months))
    return stale


def where_payload(query: str) -> dict:
    match = get_knowledge().resolve_commune(query)
    in_department = match.in_department or (
        match.status == "ambiguous" and bool(match.candidates))
    return {
        "query": query,
        "commune": match.commune.as_dict() if match.commune else None,
        "in_department": in_department,
        "hub": match.hub.as_dict() if match.hub else None,
    }


def cmd_where(args) -> int:
    payload = where_payload(args.text)
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0 if payload["commune"] is not None else 1


def _parse_at(value: Optional[str]) -> datetime:
    if not value:
        return _now()
    return hours.to_paris(datetime.fromisoformat(value.strip()))


def find_hub(kb, target: str):
    """(hub, None) for a hub id, a hub name or a served commune; else (None, why)."""
    hub = kb.hub(target) or kb.find_hub_in_text(target)
    if hub is not None:
        return hub, None
    match = kb.resolve_commune(target)
    if match.hub is not None:
        return match.hub, None
    reasons = {
        "uncovered": f"{match.commune.name if match.commune else ''} : le pôle social de cette commune n'est pas dans nos sources.",
        "outside": f"{match.place} n'est pas dans les Hauts-de-Seine.",
        "ambiguous": "Plusieurs communes possibles : " + ", ".join(c.name for c in match.candidates) + ".",
    }
    return None, reasons.get(match.status, f"Aucun pôle ni commune reconnu dans {target!r}.")


def closure_text(closure) -> str:
    """"exceptionnellement fermé du lundi 4 au vendredi 8 janvier 2027 (travaux)"."""
    period = period_fr(closure.start, closure.end)
    if closure.closed_all_day:
        return f"exceptionnellement fermé {period} ({closure.reason})"
    ranges = [tuple(datetime.strptime(t, "%H:%M").time() for t in r.split("-")) for r in closure.hours.split(",")]
    return f"horaires exceptionnels {period} : {intervals_fr(ranges)} ({closure.reason})"


def cmd_open(args) -> int:
    kb = get_knowledge()
    try:
        at = _parse_at(args.at)
    except ValueError:
        print(f"--at {args.at!r} n'est pas une date ISO 8601 (ex. 2027-03-29T10:00)", file=sys.stderr)
        return 1
    hub, why = find_hub(kb, args.target)
    if hub is None:
        print(why, file=sys.stderr)
        return 1
    status = kb.opening_status(hub, at)
    if args.json:
        print(json.dumps({
            "hub_id": hub.id, "at": status.at.isoformat(), "is_open": status.is_open,
            "reason": status.reason, "holiday_name": status.holiday_name,
            "closes_at": status.closes_at.isoformat() if status.closes_at else None,
            "next_open": status.next_open.isoformat() if status.next_open else None,
            "next_change": status.next_change.isoformat() if status.next_change else None,
            "closure": status.closure.as_dict() if status.closure else None,
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"{hub.name} — {_french_moment(status.at)}")
    if status.is_open:
        print(f"Ouvert. Fermeture : {_french_moment(status.closes_at)}." if status.closes_at else "Ouvert.")
    else:
        why = {
            "weekend": "fermé le week-end",
            "public_holiday": f"jour férié ({status.holiday_name})",
            "outside_hours": "en dehors des horaires d'ouverture",
            "temporary_closure": closure_text(status.closure) if status.closure else "",
        }[status.reason]
        print(f"Fermé : {why}.")
        if status.next_open:
            print(f"Prochaine ouverture : {_french_moment(status.next_open)}.")
    if status.closure is not None and not status.closure.closed_all_day:
        print(f"Ce jour-là : {closure_text(status.closure)}.")
    print(f"Horaires : {hub.opening_hours}")
    return 0


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def cmd_closure(args) -> int:
    from .closures import ClosureError, add, remove

    data_dir, sources_dir = configured_dirs()
    kb = get_knowledge()
    if args.action == "list":
        today = _now().date()
        closures = kb.closures
        if args.json:
            print(json.dumps([c.as_dict() for c in closures], ensure_ascii=False, indent=2))
            return 0
        if not closures:
            print(f"No closure in {data_dir / 'fermetures.yml'}.")
        for c in closures:
            state = "past" if c.end < today else "current" if c.start <= today else "upcoming"
            print(f"{c.id}  [{state}]  {c.hub_id}  {c.start.isoformat()} → {c.end.isoformat()}  "
                  f"{'closed' if c.closed_all_day else 'hours ' + c.hours}  reason: {c.reason}  "
                  f"(added by {c.added_by}, {c.added_at})")
        return 0
    try:
        if args.action == "add":
            hub, why = find_hub(kb, args.target)
            if hub is None:
                raise ClosureError([f"TARGET {args.target!r}: {why}"])
            closure = add(data_dir, sources_dir, hub.id, args.start, args.end, args.reason, args.hours,
                          args.by, today=_now().date())
            kb.reload()  # this process answers from the new data at once
            print(f"{closure.id} added: {hub.name} — {closure_text(closure)}.")
        else:
            entry = remove(data_dir, sources_dir, args.id)
            kb.reload()
            print(f"{args.id} removed ({entry.get('structure_id')}, {entry.get('du')} → {entry.get('au')}, "
                  f"{entry.get('motif')}).")
    except ClosureError as exc:
        print(f"closure refused, fermetures.yml left unchanged ({len(exc.errors)} problem(s)):", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    return 0


def cmd_import(args) -> int:
    """Both national formats: the same refusal, summary and merge report."""
    from .importing import ImportRefused

    data_dir, sources_dir = configured_dirs()
    try:
        if args.dataset == "data-inclusion":
            from .data_inclusion import run_import
            summary = run_import(args.structures, args.services, args.out, data_dir=data_dir,
                                 sources_dir=sources_dir, replace=args.replace,
                                 sources=args.source.split(",") if args.source else None)
        else:
            from .annuaire import run_import
            summary = run_import(args.file, args.pivot.split(","), args.out, data_dir=data_dir,
                                 sources_dir=sources_dir, replace=args.replace)
    except ImportRefused as exc:
        print(f"import refused, {args.out} left unchanged ({len(exc.errors)} problem(s)):", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    for line in getattr(summary, "notes", ()):
        print(f"note: {line}")
    for line in summary.lines():
        print(line)
    for line in summary.merged:
        print(f"merged: {line}")
    for line in summary.conflicts:
        print(f"replaced: {line}")
    print(f"OK: {len(summary.hubs)} hub(s) added, data written to {args.out} (from {data_dir})")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the data files (exit 1 listing the errors)")
    validate.add_argument("--max-age-months", type=int, default=12,
                          help="warn about hubs whose information (date_maj) is older (default 12)")
    where = sub.add_parser("where", help="which hub serves the commune in TEXT (JSON)")
    where.add_argument("text")
    opened = sub.add_parser("open", help="is a hub open (now or --at)?")
    opened.add_argument("target", help="hub id, hub name or a commune")
    opened.add_argument("--at", help="ISO 8601 date-time; without offset = Europe/Paris")
    opened.add_argument("--json", action="store_true", help="machine-readable output")
    importer = sub.add_parser("import", help="import an open data set into a new knowledge directory")
    kinds = importer.add_subparsers(dest="dataset", required=True)
    annuaire = kinds.add_parser("annuaire", help="DILA's Annuaire de l'administration (JSON, bulk or API export)")
    annuaire.add_argument("file", help="the annuaire JSON file")
    annuaire.add_argument("--pivot", required=True, help="comma-separated pivot types to keep, e.g. edas,mds,pmi")
    annuaire.add_argument("--out", required=True, help="knowledge directory to write (replaced as a whole)")
    annuaire.add_argument("--replace", action="store_true",
                          help="on a conflict with an existing hub, take the annuaire's value (reported)")
    closure = sub.add_parser("closure", help="temporary closures and exceptional hours (fermetures.yml)")
    actions = closure.add_subparsers(dest="action", required=True)
    added = actions.add_parser("add", help="close a hub for a period, or give it exceptional hours (--hours)")
    added.add_argument("target", help="hub id, hub name or a commune")
    added.add_argument("--from", dest="start", required=True, type=_date_arg, help="first day, YYYY-MM-DD")
    added.add_argument("--to", dest="end", required=True, type=_date_arg, help="last day (included), YYYY-MM-DD")
    added.add_argument("--reason", required=True, help="told to residents, e.g. \"travaux\"")
    added.add_argument("--hours", help="exceptional hours instead of a closure, e.g. 08:30-12:00 or 09:00-12:00,14:00-16:00")
    added.add_argument("--by", default=os.environ.get("KNOWLEDGE_USER") or getpass.getuser(),
                       help="who adds it (default: $KNOWLEDGE_USER or the login name)")
    listed = actions.add_parser("list", help="every closure, past ones included")
    listed.add_argument("--json", action="store_true", help="machine-readable output")
    removed = actions.add_parser("remove", help="remove a closure by its id (see list)")
    removed.add_argument("id")
    inclusion = kinds.add_parser("data-inclusion", help="data·inclusion structures and services (schema v1, JSON)")
    inclusion.add_argument("structures", help="the structures JSON file (a list, or an API page {\"items\": [...]})")
    inclusion.add_argument("services", help="the services JSON file (same shapes)")
    inclusion.add_argument("--out", required=True, help="knowledge directory to write (replaced as a whole)")
    inclusion.add_argument("--source", help="comma-separated producers (`source`) to keep; default: all")
    inclusion.add_argument("--replace", action="store_true",
                           help="on a conflict with an existing hub, take data·inclusion's value (reported)")
    args = parser.parse_args(argv)
    if args.command not in ("validate", "import"):
        try:
            get_knowledge()
        except KnowledgeDataError as exc:
            print(f"knowledge data invalid:\n{exc}", file=sys.stderr)
            return 1
    return {"validate": cmd_validate, "where": cmd_where, "open": cmd_open,
            "import": cmd_import, "closure": cmd_closure}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
