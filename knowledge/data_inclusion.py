"""Import data·inclusion structures and services into a complete knowledge directory.

    python -m knowledge import data-inclusion STRUCTURES_FILE SERVICES_FILE --out DIR [--source a,b] [--replace]

The files follow the national data·inclusion schema v1 (1.0.x,
gip-inclusion/data-inclusion-schema, `structure` and `service`), as JSON: a
list of records, or one page of the data·inclusion API ({"items": [...],
"total", "page", "size", "pages"}).

This module only converts: one structure and its services (by `structure_id`)
become one hub of structures.yml, every fact with a provenance of kind
"dataset". Merging with the current hubs, conflicts, and the all-or-nothing
swap are knowledge/importing.py's, shared with the annuaire import.

Mapping (see knowledge/README.md, "Import: data·inclusion"):
  * communes served = the commune codes of the 92 (communes.yml) in the
    `zone_eligibilite` of the structure's in-person services; a département,
    EPCI or country code links no commune (never guessed);
  * hours = the structure's `horaires_accueil`, else its in-person services'
    when they all give the same; `; PH off` appended when no PH rule is given
    (project rule, recorded as such);
  * services = the project services whose `thematiques` (services.yml) are the
    only ones to list one of the service's thematiques.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

import opening_hours

from . import importing, text
from .importing import Imported, ImportRefused, Summary
from .schema_v1 import MODES_ACCUEIL, PUBLIC_LABELS, PUBLICS, RESEAUX_PORTEURS, THEMATIQUES

DATASET = "data·inclusion"
# data·inclusion publishes its référentiel on data.gouv.fr under the Licence
# Ouverte; a few producers restrict reuse through the API: check before importing.
LICENCE = "Licence Ouverte 2.0"

STRUCTURE_REQUIRED = ("source", "id", "nom", "date_maj")
SERVICE_REQUIRED = ("source", "structure_id", "id", "nom", "description", "date_maj")
PH_RULE = {"regle": "issue #3",
           "note": "Closed on French public holidays (PH off): département rule stated in project issue #3; "
                   "the data·inclusion record gives no rule for public holidays."}

_COMMUNE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_DEPARTEMENT = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")
_EPCI = re.compile(r"^\d{9}$")
_PAYS = re.compile(r"^99[0-5]\d{2}$")
_PH = re.compile(r"\bPH\b")


class DataInclusionImportError(ImportRefused):
    """The import is refused; `errors` lists every problem (nothing was written)."""


DATA_INCLUSION = importing.Dataset(name=DATASET, licence=LICENCE, label="data·inclusion", title="data·inclusion",
                                   command="import data-inclusion", error=DataInclusionImportError)


# --- reading the files --------------------------------------------------------------

def read_records(path: Path, summary: Summary) -> list[dict]:
    """The records of a JSON list or of one API page ({"items": [...]})."""
    if not path.is_file():
        raise DataInclusionImportError([f"{path}: file not found"])
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataInclusionImportError([f"{path.name}: cannot read JSON: {exc}"]) from None
    if isinstance(doc, dict) and isinstance(doc.get("items"), list):
        records = doc["items"]
        page, pages = doc.get("page"), doc.get("pages")
        if isinstance(page, int) and isinstance(pages, int) and page < pages:
            summary.notes.append(f"{path.name}: page {page} of {pages} of the API: "
                                 f"the records of the other pages are not imported")
    elif isinstance(doc, list):
        records = doc
    else:
        raise DataInclusionImportError([f"{path.name}: expected a list of records or an API page "
                                        f"{{\"items\": [...]}}"])
    bad = [f"{path.name}: record [{i}]: expected an object" for i, rec in enumerate(records)
           if not isinstance(rec, dict)]
    if bad:
        raise DataInclusionImportError(bad)
    return records


# --- field helpers ---------------------------------------------------------------------

def _s(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _date(value: Any) -> Optional[date]:
    """'2026-02-14' or an ISO date-time -> date; None if missing or invalid."""
    value = _s(value)
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _codes(value: Any) -> Any:
    """A list field (thematiques, publics…); a lone string is a list of one."""
    return [value] if isinstance(value, str) else value


def zone_kind(code: Any) -> Optional[str]:
    """'commune', 'departement', 'epci', 'pays' (or 'france'), None if invalid."""
    if not isinstance(code, str):
        return None
    if code == "france" or _PAYS.match(code):
        return "pays"
    if _COMMUNE.match(code):
        return "commune"
    if _DEPARTEMENT.match(code):
        return "departement"
    if _EPCI.match(code):
        return "epci"
    return None


def outside_92(structure: dict) -> bool:
    """Its address is in another département (INSEE, else postal code)."""
    insee, postal = _s(structure.get("code_insee")), _s(structure.get("code_postal"))
    return not insee.startswith("92") if insee else bool(postal) and not postal.startswith("92")


def in_person(service: dict) -> bool:
    """Offered at the structure's address: `en-presentiel`, or no mode given."""
    modes = service.get("modes_accueil")
    return not modes or not isinstance(modes, list) or "en-presentiel" in modes


def thematique_map(services_doc: dict) -> dict[str, str]:
    """data·inclusion thematique -> project service id, for the thematiques that
    exactly one service of services.yml lists (an ambiguous one maps to none)."""
    owners: dict[str, set[str]] = {}
    for service in services_doc.get("services") or []:
        for thematique in service.get("thematiques") or []:
            owners.setdefault(thematique, set()).add(service["id"])
    return {t: next(iter(ids)) for t, ids in owners.items() if len(ids) == 1}


class _Problems:
    """Refusals as '<file>: record <id>: <field>: <message>'."""

    def __init__(self, errors: list[str]):
        self.errors = errors

    def add(self, file: str, record_id: str, path: str, message: str) -> None:
        self.errors.append(f"{file}: record {record_id}: {path}: {message}")


# --- checks of one record ----------------------------------------------------------

def check_record(rec: dict, required: tuple[str, ...], file: str, problems: _Problems) -> None:
    rid = _s(rec.get("id"))
    for key in required:
        if not _s(rec.get(key)):
            problems.add(file, rid, key, "missing or empty (required by the data·inclusion schema)")
    if _s(rec.get("date_maj")) and _date(rec.get("date_maj")) is None:
        problems.add(file, rid, "date_maj", f"not a date {rec.get('date_maj')!r} (expected YYYY-MM-DD)")
    hours = rec.get("horaires_accueil")
    if _s(hours) and not opening_hours.validate(_s(hours)):
        problems.add(file, rid, "horaires_accueil", f"invalid opening_hours {hours!r}")


def check_service(rec: dict, file: str, problems: _Problems) -> None:
    check_record(rec, SERVICE_REQUIRED, file, problems)
    rid = _s(rec.get("id"))
    for key, known, what in (("thematiques", THEMATIQUES, "thematique"), ("publics", PUBLICS, "public"),
                             ("modes_accueil", MODES_ACCUEIL, "mode d'accueil")):
        values = _codes(rec.get(key))
        if values is None:
            continue
        if not isinstance(values, list):
            problems.add(file, rid, key, f"expected a list, got {values!r}")
            continue
        for k, value in enumerate(values):
            if value not in known:
                problems.add(file, rid, f"{key}[{k}]", f"unknown {what} {value!r} (not in data·inclusion v1)")


def check_structure(rec: dict, file: str, problems: _Problems) -> None:
    check_record(rec, STRUCTURE_REQUIRED, file, problems)
    rid = _s(rec.get("id"))
    reseaux = _codes(rec.get("reseaux_porteurs"))
    if reseaux is not None and not isinstance(reseaux, list):
        problems.add(file, rid, "reseaux_porteurs", f"expected a list, got {reseaux!r}")
    for k, value in enumerate(reseaux if isinstance(reseaux, list) else []):
        if value not in RESEAUX_PORTEURS:
            problems.add(file, rid, f"reseaux_porteurs[{k}]", f"unknown reseau porteur {value!r} "
                                                               f"(not in data·inclusion v1)")


def zone_of(service: dict, communes: dict[str, dict], file: str,
            problems: _Problems) -> tuple[list[str], list[str], bool]:
    """(communes of the 92 served, wider codes, touches the 92) of one service's
    zone_eligibilite; bad codes are added to `problems`."""
    rid = _s(service.get("id"))
    zone = service.get("zone_eligibilite")
    if zone is None:
        return [], [], False
    if not isinstance(zone, list):
        problems.add(file, rid, "zone_eligibilite", f"expected a list of codes, got {zone!r}")
        return [], [], False
    served, wide, touches = [], [], False
    for k, code in enumerate(zone):
        kind = zone_kind(code)
        if kind is None:
            problems.add(file, rid, f"zone_eligibilite[{k}]", f"invalid code {code!r} (expected a commune, "
                                                               f"département, EPCI or country code)")
        elif kind == "commune" and code.startswith("92"):
            touches = True
            if code not in communes:
                problems.add(file, rid, f"zone_eligibilite[{k}]", f"unknown commune code {code!r} "
                                                                   f"(not in communes.yml)")
            elif code not in served:
                served.append(code)
        elif kind != "commune":
            touches = touches or code == "92"
            wide.append(code)
    return served, wide, touches


# --- one structure -> one hub ----------------------------------------------------------

class _Hub:
    """Builds the structures.yml entry of one structure and its services."""

    def __init__(self, structure: dict, services: list[dict], served: dict[str, list[dict]],
                 communes: dict[str, dict], thematiques: dict[str, str], files: tuple[str, str],
                 dates: tuple[str, str], imported_at: str, problems: _Problems):
        self.rec, self.services, self.served = structure, services, served
        self.communes, self.thematiques, self.problems = communes, thematiques, problems
        self.files, self.dates, self.imported_at = files, dates, imported_at
        self.id = _s(structure.get("id"))

    def provenance(self, rec: dict, note: Optional[str] = None) -> dict:
        is_service = rec is not self.rec
        return importing.dataset_provenance(DATA_INCLUSION, _s(rec.get("id")), _s(rec.get("date_maj")),
                                            self.files[is_service], self.dates[is_service], self.imported_at,
                                            note)

    def error(self, path: str, message: str) -> None:
        self.problems.add(self.files[0], self.id, path, message)

    def location(self) -> Optional[dict]:
        """The address facts (code_insee, code_postal, commune, derived: the
        ones communes.yml gave), or None after adding the problems."""
        rec, facts = self.rec, {}
        insee, city, postal = _s(rec.get("code_insee")), _s(rec.get("commune")), _s(rec.get("code_postal"))
        if not _s(rec.get("adresse")):
            self.error("adresse", "missing or empty (a hub needs an address)")
        derived = []
        if insee:
            commune = self.communes.get(insee)
            if commune is None:
                self.error("code_insee", f"unknown commune code {insee!r} (not in communes.yml)")
                return None
            if city and text.key(city) != text.key(commune["nom"]):
                self.error("commune", f"{city!r} is not the commune of INSEE {insee} ({commune['nom']})")
                return None
        else:
            matches = [c for c in self.communes.values() if city and text.key(c["nom"]) == text.key(city)]
            if not matches:
                self.error("code_insee", f"missing, and {city!r} is not a commune of the 92" if city
                           else "missing, and no commune")
                return None
            commune = matches[0]
            derived.append("code_insee")
        if postal and postal not in commune["codes_postaux"]:
            self.error("code_postal", f"{postal!r} is not a postal code of {commune['nom']} "
                                      f"{commune['codes_postaux']}")
            return None
        if not postal:
            if len(commune["codes_postaux"]) > 1:
                self.error("code_postal", f"missing ({commune['nom']} has several: {commune['codes_postaux']})")
                return None
            postal = commune["codes_postaux"][0]
            derived.append("code_postal")
        if not city:
            derived.append("commune")
        facts.update(code_insee=commune["code_insee"], code_postal=postal, commune=commune["nom"], derived=derived)
        return facts

    def hours(self) -> tuple[Optional[str], list[dict]]:
        """(opening_hours with a PH rule, its provenance), or (None, []) after
        adding the problem."""
        own = _s(self.rec.get("horaires_accueil"))
        if own:
            hours, provenance = own, [self.provenance(self.rec)]
        else:
            given = {}
            for service in self.services:
                value = _s(service.get("horaires_accueil"))
                if value:
                    given.setdefault(value, []).append(service)
            if not given:
                self.error("horaires_accueil", "missing, on the structure and on its in-person services "
                                               "(the assistant needs opening hours)")
                return None, []
            if len(given) > 1:
                self.error("horaires_accueil", "missing, and its in-person services give different hours ("
                           + "; ".join(f"{', '.join(_s(s['id']) for s in services)}: {value!r}"
                                       for value, services in given.items()) + ")")
                return None, []
            (hours, services), = given.items()
            provenance = [self.provenance(s, "the service's horaires_accueil") for s in services]
        if not opening_hours.validate(hours):
            return None, []  # already refused by check_record
        if not _PH.search(hours):
            hours = hours.rstrip("; ") + "; PH off"
            provenance.append(dict(PH_RULE))
        return hours, provenance

    def shared(self, key: str) -> tuple[Optional[str], list[dict]]:
        """The structure's value, else the one value all its services that give
        one agree on (never a choice between two)."""
        own = _s(self.rec.get(key))
        if own:
            return own, [self.provenance(self.rec)]
        values = {_s(s.get(key)) for s in self.services if _s(s.get(key))}
        if len(values) != 1:
            return None, []
        value = values.pop()
        return value, [self.provenance(s, f"the service's {key}") for s in self.services if _s(s.get(key)) == value]

    def offered(self) -> list[dict]:
        """extensions.services: the project services an unambiguous thematique
        of an in-person service points to, each with the services behind it."""
        out: dict[str, list[dict]] = {}
        for service in self.services:
            for thematique in _codes(service.get("thematiques")) or []:
                service_id = self.thematiques.get(thematique)
                if service_id is not None:
                    out.setdefault(service_id, []).append(
                        self.provenance(service, f"the service's thematique {thematique}"))
        return [{"id": service_id, "provenance": prov} for service_id, prov in out.items()]

    def publics(self) -> list[dict]:
        """extensions.publics: `tous-publics` if one service is open to all, else
        the union of the services' publics."""
        by_code: dict[str, list[dict]] = {}
        for service in self.services:
            for code in _codes(service.get("publics")) or []:
                by_code.setdefault(code, []).append(self.provenance(service))
        if "tous-publics" in by_code:
            by_code = {"tous-publics": by_code["tous-publics"]}
        return [{"code": code, "libelle": PUBLIC_LABELS[code], "provenance": prov} for code, prov in by_code.items()]

    def entry(self, location: dict) -> Optional[dict]:
        rec = self.rec
        before = len(self.problems.errors)
        hours, hours_provenance = self.hours()
        if len(self.problems.errors) > before or hours is None:
            return None
        prov = [self.provenance(rec)]
        nom = _s(rec.get("nom"))
        names = ", ".join(self.communes[c]["nom"] for c in self.served)
        description = _s(rec.get("description")) or (
            f"{nom} : structure référencée par data·inclusion (source « {_s(rec.get('source'))} »), "
            f"pour les habitants de : {names}.")
        telephone, telephone_prov = self.shared("telephone")
        courriel, courriel_prov = self.shared("courriel")
        access = _s(rec.get("accessibilite_lieu")) or _s(rec.get("accessibilite"))  # v1, v0 name
        if access:
            access = f"voir la fiche Acceslibre {access}" if "acceslibre" in access.lower() else f"voir {access}"
        entry: dict = {
            "id": importing.hub_id(nom, self.id),
            "source": _s(rec.get("source")),
            "nom": nom,
            "description": description,
            "date_maj": _date(rec.get("date_maj")).isoformat(),
            "adresse": _s(rec.get("adresse")),
            "complement_adresse": _s(rec.get("complement_adresse")) or None,
            "code_postal": location["code_postal"],
            "commune": location["commune"],
            "code_insee": location["code_insee"],
            "telephone": telephone,
            "courriel": courriel,
            "site_web": _s(rec.get("site_web")) or None,
            "accessibilite": access or None,
            "horaires_accueil": hours,
            "reseaux_porteurs": list(rec.get("reseaux_porteurs") or []),
        }
        for key in ("latitude", "longitude"):
            if isinstance(rec.get(key), (int, float)) and not isinstance(rec.get(key), bool):
                entry[key] = str(rec[key])
        facts = {k: prov for k in ("nom", "adresse", "complement_adresse", "code_postal", "commune", "code_insee",
                                   "site_web", "accessibilite", "latitude", "longitude", "reseaux_porteurs")
                 if entry.get(k)}
        facts["description"] = prov
        facts["horaires_accueil"] = hours_provenance
        if telephone:
            facts["telephone"] = telephone_prov
        if courriel:
            facts["courriel"] = courriel_prov
        notes = {"code_insee": "INSEE code of the commune named in the record (COG).",
                 "code_postal": f"The record gives no postal code; {location['commune']} has a single one.",
                 "commune": "Name of the commune of the record's INSEE code (COG)."}
        for key in location["derived"]:
            facts[key] = [{"derive_de": "communes.yml", "note": notes[key]}] + (prov if key != "code_postal" else [])
        entry["provenance"] = facts
        entry["extensions"] = {
            "communes_desservies": [{"code_insee": code, "provenance": [self.provenance(s, "the service's zone_eligibilite")
                                                                        for s in self.served[code]]}
                                    for code in self.served],
            "publics": self.publics(),
            "services": self.offered(),
            # data·inclusion lists neither professions, transport, facilities nor
            # partners: unknown, left empty (never guessed)
            "transports": [], "metiers": [], "equipements": [], "partenaires": [],
        }
        return entry


# --- the whole import --------------------------------------------------------------

def build(structures: list[dict], services: list[dict], current_dir: Path, files: tuple[str, str],
          dates: tuple[str, str], imported_at: str, sources: Optional[list[str]] = None, replace: bool = False,
          summary: Optional[Summary] = None) -> tuple[dict, list[Imported], Summary, bool]:
    """(new structures.yml doc, imported hubs, summary, existing hubs changed).
    Raises DataInclusionImportError listing every refused record / conflict."""
    communes = {c["code_insee"]: c for c in importing.load_yaml(current_dir / "communes.yml")["communes"]}
    current = importing.load_yaml(current_dir / "structures.yml")
    thematiques = thematique_map(importing.load_yaml(current_dir / "services.yml"))
    summary = summary or Summary()
    errors: list[str] = []
    problems = _Problems(errors)
    wanted = {s.strip() for s in sources or [] if s.strip()}
    structures_file, services_file = files

    by_id: dict[str, dict] = {}
    for i, rec in enumerate(structures):
        sid = _s(rec.get("id"))
        if not sid:
            errors.append(f"{structures_file}: record [{i}]: id: missing or empty")
        elif sid in by_id:
            errors.append(f"{structures_file}: record {sid}: id: duplicate (also record [{i}])")
        else:
            by_id[sid] = rec
    services_of: dict[str, list[dict]] = {sid: [] for sid in by_id}
    seen, orphans = set(), 0
    for i, rec in enumerate(services):
        vid, sid = _s(rec.get("id")), _s(rec.get("structure_id"))
        if not vid:
            errors.append(f"{services_file}: record [{i}]: id: missing or empty")
            continue
        if vid in seen:
            errors.append(f"{services_file}: record {vid}: id: duplicate (also record [{i}])")
            continue
        seen.add(vid)
        if sid in services_of:
            services_of[sid].append(rec)
            continue
        # A service of the 92 must be placed; one elsewhere may come from a
        # partial export (its structure filtered out): only counted.
        _served, _wide, touches = zone_of(rec, communes, services_file, _Problems([]))
        if touches or _s(rec.get("code_insee")).startswith("92"):
            problems.add(services_file, vid, "structure_id", f"unknown structure {sid!r} (not in {structures_file})"
                         if sid else "missing or empty")
        else:
            orphans += 1
    if orphans:
        summary.notes.append(f"{services_file}: {orphans} service(s) outside the 92 whose structure is not in "
                             f"{structures_file}: ignored")

    imported = []
    for sid, rec in by_id.items():
        kind = _s(rec.get("source")) or "(no source)"
        if wanted and kind not in wanted:
            summary.skip(kind, "source not in --source")
            continue
        attached = services_of[sid]
        zone_problems = _Problems([])
        served: dict[str, list[dict]] = {}
        remote, wide, touches = [], [], _s(rec.get("code_insee")).startswith("92")
        for service in attached:
            codes, wider, touching = zone_of(service, communes, services_file, zone_problems)
            touches = touches or touching
            wide += wider
            if not in_person(service):
                remote += codes
                continue
            for code in codes:
                served.setdefault(code, []).append(service)
        if zone_problems.errors and touches:
            errors.extend(zone_problems.errors)
            continue
        if not attached:
            summary.skip(kind, "no service")
            continue
        if not served:
            # A département or EPCI says who may use it, not which hub serves
            # which commune: no commune is linked (never guessed).
            summary.skip(kind, "services only at a distance (modes_accueil)" if remote
                         else "zone_eligibilite is the département or an EPCI: no commune linked"
                         if "92" in wide or any(_EPCI.match(code) for code in wide)
                         else "no commune of the 92 in its services' zone_eligibilite")
            continue
        if outside_92(rec):
            summary.skip(kind, "address outside the 92")
            continue
        # The structure is kept: all its records are checked.
        before = len(errors)
        check_structure(rec, structures_file, problems)
        for service in attached:
            check_service(service, services_file, problems)
        hub = _Hub(rec, [s for s in attached if in_person(s)], served, communes, thematiques, files, dates,
                   imported_at, problems)
        location = hub.location()
        if len(errors) > before or location is None:
            continue
        entry = hub.entry(location)
        if entry is not None:
            imported.append(Imported(sid, kind, entry, list(served)))
            summary.keep(kind)
    doc, changed = importing.merge(imported, current, communes, DATA_INCLUSION, summary, errors, replace=replace)
    return doc, imported, summary, changed


def run_import(structures_file: Path | str, services_file: Path | str, out: Path | str, *,
               data_dir: Path | str, sources_dir: Path | str, sources: Optional[list[str]] = None,
               replace: bool = False, now: Optional[datetime] = None) -> Summary:
    """Import the two files into OUT (a complete knowledge directory), all or nothing."""
    structures_file, services_file, data_dir = Path(structures_file), Path(services_file), Path(data_dir)
    summary = Summary()
    structures = read_records(structures_file, summary)
    services = read_records(services_file, summary)
    doc, _imported, summary, changed = build(
        structures, services, data_dir, (structures_file.name, services_file.name),
        (importing.file_date(structures_file), importing.file_date(services_file)), importing.import_time(now),
        sources=sources, replace=replace, summary=summary)
    return importing.run(doc, summary, changed, out, data_dir, sources_dir, DATA_INCLUSION)
