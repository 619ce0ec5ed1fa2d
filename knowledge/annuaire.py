"""Import DILA's national directory into a complete knowledge directory.

    python -m knowledge import annuaire FILE --pivot edas,mds,cdas,sdsei,pmi --out DIR [--replace]

FILE is DILA's "Annuaire de l'administration et des services publics"
(Licence Ouverte 2.0), in either national shape:
  * the bulk file: {"service": [record, ...]}, nested fields as arrays;
  * the API export: [record, ...], nested fields possibly JSON-encoded strings.

Only records whose pivot `type_service_local` is in --pivot are kept, and only
the communes of the 92 known in communes.yml. Each kept record becomes a hub of
structures.yml (data·inclusion field names); every imported fact carries a
provenance of kind "dataset" (data set, licence, record id, its
date_modification, the file's name and date, the import time).

Merge with the current hubs, conflicts, all-or-nothing swap: knowledge/importing.py
(shared with the data·inclusion import). On any error DIR is untouched.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

import opening_hours

from . import importing, text
from .importing import Imported, ImportRefused, Summary, address_key, slug  # noqa: F401 (this module's API)

DATASET = "DILA — Annuaire de l'administration et des services publics"
LICENCE = "Licence Ouverte 2.0"
SOURCE_SLUG = "annuaire-service-public-dila"

DAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
NESTED = ("pivot", "adresse", "plage_ouverture", "telephone", "adresse_courriel", "site_internet")
# Human labels of the usual pivot types (only used in the hub description).
PIVOT_LABELS = {
    "edas": "espace départemental d'actions sociales (EDAS)",
    "mds": "maison départementale des solidarités (MDS)",
    "cdas": "centre départemental d'action sociale (CDAS)",
    "sdsei": "service départemental de solidarité et d'insertion (SDSEI)",
    "pmi": "centre de protection maternelle et infantile (PMI)",
}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_INSEE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")


class AnnuaireImportError(ImportRefused):
    """The import is refused; `errors` lists every problem (nothing was written)."""


ANNUAIRE = importing.Dataset(name=DATASET, licence=LICENCE, label="annuaire", title="DILA annuaire",
                             command="import annuaire", error=AnnuaireImportError)


# --- reading the file ------------------------------------------------------------

def read_records(path: Path) -> list[dict]:
    """The records of either national shape, nested fields decoded to lists."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnuaireImportError([f"{path.name}: cannot read JSON: {exc}"]) from None
    if isinstance(doc, dict) and isinstance(doc.get("service"), list):
        records = doc["service"]
    elif isinstance(doc, list):
        records = doc
    else:
        raise AnnuaireImportError([f"{path.name}: expected {{\"service\": [...]}} (bulk file) or a list of records (API export)"])
    errors = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            errors.append(f"{path.name}: record [{i}]: expected an object")
            continue
        for key in NESTED:
            value = rec.get(key)
            if isinstance(value, str):
                try:
                    value = json.loads(value) if value.strip() else []
                except json.JSONDecodeError:
                    errors.append(f"record {rec.get('id', f'[{i}]')}: {key}: not valid JSON")
                    continue
            if value is None:
                value = []
            if not isinstance(value, list):
                value = [value]
            rec[key] = value
    if errors:
        raise AnnuaireImportError(errors)
    return records


# --- one record -> one structure ---------------------------------------------------

def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _time(value: Any) -> Optional[tuple[int, int]]:
    """'08:30:00' -> (8, 30); '' -> None; raises ValueError if invalid."""
    value = _s(value)
    if not value:
        return None
    m = _TIME.match(value)
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (m.group(3) and int(m.group(3)) > 59) \
            or (int(m.group(1)) == 24 and int(m.group(2)) != 0):
        raise ValueError(f"invalid hour {value!r} (expected HH:MM:SS)")
    return int(m.group(1)), int(m.group(2))


def _day(value: Any) -> Optional[int]:
    value = text.fold(_s(value))
    if not value:
        return None
    if value not in DAYS:
        raise ValueError(f"unknown day {value!r} (expected Lundi…Dimanche)")
    return DAYS[value]


def opening_hours_of(ranges: list, err) -> tuple[Optional[str], list[str]]:
    """plage_ouverture[] -> ('Mo-Fr 08:30-12:00,13:30-17:30; PH off', comments).
    `err(path, message)` records a refusal."""
    per_day: dict[int, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    comments = []
    for i, plage in enumerate(ranges):
        p = f"plage_ouverture[{i}]"
        if not isinstance(plage, dict):
            err(p, "expected an object")
            continue
        try:
            first = _day(plage.get("nom_jour_debut"))
            if first is None:
                raise ValueError("missing day")
        except ValueError as exc:
            err(f"{p}.nom_jour_debut", str(exc))
            continue
        try:
            last = _day(plage.get("nom_jour_fin"))
        except ValueError as exc:
            err(f"{p}.nom_jour_fin", str(exc))
            continue
        last = first if last is None else last
        if last < first:
            err(f"{p}.nom_jour_fin", f"{plage.get('nom_jour_fin')!r} is before {plage.get('nom_jour_debut')!r}")
            continue
        slots, ok = [], True
        for n in (1, 2):
            try:
                start = _time(plage.get(f"valeur_heure_debut_{n}"))
            except ValueError as exc:
                err(f"{p}.valeur_heure_debut_{n}", str(exc))
                ok = False
                continue
            try:
                end = _time(plage.get(f"valeur_heure_fin_{n}"))
            except ValueError as exc:
                err(f"{p}.valeur_heure_fin_{n}", str(exc))
                ok = False
                continue
            if start is None and end is None:
                continue
            if start is None or end is None:
                err(f"{p}.valeur_heure_{'debut' if start is None else 'fin'}_{n}", "missing (the other end is set)")
                ok = False
            elif end <= start:
                err(f"{p}.valeur_heure_fin_{n}", f"ends before it starts ({plage.get(f'valeur_heure_debut_{n}')} - "
                                               f"{plage.get(f'valeur_heure_fin_{n}')})")
                ok = False
            else:
                slots.append((start, end))
        if len(slots) == 2 and slots[1][0] < slots[0][1]:
            err(f"{p}.valeur_heure_debut_2", "overlaps the first range")
            ok = False
        if not ok:
            continue
        if _s(plage.get("commentaire")):
            comments.append(" ".join(_s(plage["commentaire"]).split()))
        for d in range(first, last + 1):
            per_day.setdefault(d, []).extend(slots)
    if not per_day or not any(per_day.values()):
        return None, comments

    def fmt(slots) -> str:
        return ",".join(f"{a[0]:02d}:{a[1]:02d}-{b[0]:02d}:{b[1]:02d}" for a, b in sorted(set(slots)))

    rules, d = [], 0
    while d < 7:
        if not per_day.get(d):
            d += 1
            continue
        spec, end = fmt(per_day[d]), d
        while end + 1 < 7 and per_day.get(end + 1) and fmt(per_day[end + 1]) == spec:
            end += 1
        days = OSM_DAYS[d] if end == d else f"{OSM_DAYS[d]}{',' if end == d + 1 else '-'}{OSM_DAYS[end]}"
        rules.append(f"{days} {spec}")
        d = end + 1
    return "; ".join(rules) + "; PH off", comments


def _values(items: list) -> list[str]:
    """site_internet / adresse_courriel / telephone items: {valeur: ...} objects
    or plain strings; blanks dropped."""
    out = []
    for item in items:
        value = _s(item.get("valeur")) if isinstance(item, dict) else _s(item)
        if value:
            out.append(value)
    return out


def convert(rec: dict, kind: str, served: list[str], communes: dict[str, dict], provenance: dict,
            errors: list[str]) -> Optional[dict]:
    """The structures.yml entry of one record, or None after adding its errors."""
    rid = _s(rec.get("id"))
    before = len(errors)

    def err(path: str, message: str) -> None:
        errors.append(f"record {rid}: {path}: {message}")

    nom = " ".join(_s(rec.get("nom")).split())
    if not nom:
        err("nom", "missing or empty")
    modified = _s(rec.get("date_modification"))
    maj = None
    try:
        maj = datetime.fromisoformat(modified.replace("Z", "+00:00").replace("/", "-")[:19]).date() if modified else None
    except ValueError:
        try:
            maj = date.fromisoformat(modified[:10])
        except ValueError:
            pass
    if maj is None:
        err("date_modification", f"missing or not a date ({modified!r})")

    addresses = [(i, a) for i, a in enumerate(rec["adresse"])
                 if isinstance(a, dict) and _s(a.get("type_adresse")) == "Adresse"]
    street = complement = postal = insee = None
    address_extra = {}
    if not addresses:
        err("adresse", "missing (no entry with type_adresse \"Adresse\")")
    else:
        i, a = addresses[0]
        street = " ".join(_s(a.get("numero_voie")).split())
        complement = " ".join(_s(a.get("complement1")).split()) or None
        postal, city = _s(a.get("code_postal")), _s(a.get("nom_commune"))
        if not street:
            err(f"adresse[{i}].numero_voie", "missing or empty")
        matches = [c for c in communes.values() if text.key(c["nom"]) == text.key(city)]
        if not city:
            err(f"adresse[{i}].nom_commune", "missing or empty")
        elif not matches:
            err(f"adresse[{i}].nom_commune", f"{city!r} is not a commune of the 92")
        elif postal not in matches[0]["codes_postaux"]:
            err(f"adresse[{i}].code_postal", f"{postal!r} is not a postal code of {matches[0]['nom']} "
                                             f"{matches[0]['codes_postaux']}")
        else:
            insee = matches[0]["code_insee"]
        for k in ("latitude", "longitude"):
            if _s(a.get(k)):
                address_extra[k] = _s(a.get(k))
        access_code, access_note = _s(a.get("accessibilite")), " ".join(_s(a.get("note_accessibilite")).split())
        access = None
        if access_code or access_note:
            access = (f"{access_note} (annuaire : {access_code})" if access_note and access_code
                      else access_note or f"annuaire : {access_code}")
    before_hours = len(errors)
    hours, comments = opening_hours_of(rec["plage_ouverture"], err)
    if hours is None and len(errors) == before_hours:
        err("plage_ouverture", "no opening hours (the schema requires them)")
    elif hours is not None and not opening_hours.validate(hours):
        err("plage_ouverture", f"gives invalid opening_hours {hours!r}")
    if len(errors) > before:
        return None

    phones = _values(rec["telephone"])
    emails = _values(rec["adresse_courriel"])
    sites = _values(rec["site_internet"])
    prov = [provenance]
    names = ", ".join(communes[c]["nom"] for c in served)
    label = PIVOT_LABELS.get(kind, f"service local de type « {kind} »")
    description = (f"{nom} : {label} listé dans l'Annuaire de l'administration et des services publics (DILA), "
                   f"pour les habitants de : {names}.")
    if comments:
        description += " Horaires : " + " ".join(comments)
    entry: dict = {
        "id": importing.hub_id(nom, rid),
        "source": SOURCE_SLUG,
        "nom": nom,
        "description": description,
        "date_maj": maj.isoformat(),
        "adresse": street,
        "complement_adresse": complement,
        "code_postal": postal,
        "commune": communes[insee]["nom"],
        "code_insee": insee,
        "telephone": phones[0] if phones else None,
        "courriel": emails[0] if emails else None,
        "site_web": sites[0] if sites else None,
        "accessibilite": access,
        "horaires_accueil": hours,
        "reseaux_porteurs": [],
    }
    if rec.get("url_service_public"):
        entry["url_service_public"] = _s(rec["url_service_public"])
    entry.update(address_extra)
    facts = {k: prov for k in ("nom", "description", "adresse", "code_postal", "commune", "telephone",
                               "courriel", "site_web", "accessibilite", "horaires_accueil",
                               "url_service_public", "latitude", "longitude")
             if entry.get(k)}
    if complement:
        facts["complement_adresse"] = prov
    facts["code_insee"] = [{"derive_de": "communes.yml",
                            "note": "INSEE code of the commune named in the annuaire address (COG)."}, provenance]
    entry["provenance"] = facts
    entry["extensions"] = {
        "communes_desservies": [{"code_insee": c, "provenance": prov} for c in served],
        # the annuaire lists neither services, professions, transport, facilities
        # nor partners: unknown, left empty (never guessed)
        "transports": [], "services": [], "metiers": [], "equipements": [], "partenaires": [],
    }
    return entry


# --- the whole import --------------------------------------------------------------

def build(records: list[dict], pivots: list[str], current_dir: Path, file_name: str, file_date: str,
          imported_at: str, replace: bool = False) -> tuple[dict, list[Imported], Summary, bool]:
    """(new structures.yml doc, imported hubs, summary, existing hubs changed).
    Raises AnnuaireImportError listing every refused record / conflict."""
    communes = {c["code_insee"]: c for c in importing.load_yaml(current_dir / "communes.yml")["communes"]}
    structures = importing.load_yaml(current_dir / "structures.yml")
    summary, errors, imported = Summary(), [], []
    wanted = {p.strip().lower() for p in pivots if p.strip()}
    for i, rec in enumerate(records):
        rid = _s(rec.get("id"))
        pivot_items = [p for p in rec["pivot"] if isinstance(p, dict)]
        kinds = [_s(p.get("type_service_local")).lower() for p in pivot_items]
        match = [(k, p) for k, p in zip(kinds, pivot_items) if k in wanted]
        if not match:
            summary.skip(kinds[0] if kinds else "(no pivot)", "pivot type not in --pivot")
            continue
        kind = match[0][0]
        if not rid:
            errors.append(f"record [{i}] ({kind}): id: missing or empty")
            continue
        served, bad = [], False
        for k, p in match:
            codes = p.get("code_insee_commune") or []
            if isinstance(codes, str):
                codes = [codes]
            for j, code in enumerate(codes):
                code = _s(code)
                if not _INSEE.match(code):
                    errors.append(f"record {rid}: pivot.code_insee_commune[{j}]: invalid INSEE code {code!r}")
                    bad = True
                elif code.startswith("92") and code not in communes:
                    errors.append(f"record {rid}: pivot.code_insee_commune[{j}]: unknown commune code {code!r} "
                                  f"(not in communes.yml)")
                    bad = True
                elif code in communes and code not in served:
                    served.append(code)
        if bad:
            continue
        if not served:
            summary.skip(kind, "no commune of the 92")
            continue
        provenance = importing.dataset_provenance(ANNUAIRE, rid, _s(rec.get("date_modification")), file_name,
                                                  file_date, imported_at)
        entry = convert(rec, kind, served, communes, provenance, errors)
        if entry is not None:
            imported.append(Imported(rid, kind, entry, served))
            summary.keep(kind)
    doc, changed = importing.merge(imported, structures, communes, ANNUAIRE, summary, errors, replace=replace)
    return doc, imported, summary, changed


def run_import(file: Path | str, pivots: list[str], out: Path | str, *, data_dir: Path | str,
               sources_dir: Path | str, replace: bool = False,
               now: Optional[datetime] = None) -> Summary:
    """Import FILE into OUT (a complete knowledge directory), all or nothing."""
    file, data_dir = Path(file), Path(data_dir)
    if not file.is_file():
        raise AnnuaireImportError([f"{file}: file not found"])
    records = read_records(file)
    doc, _imported, summary, changed = build(records, pivots, data_dir, file.name, importing.file_date(file),
                                             importing.import_time(now), replace=replace)
    return importing.run(doc, summary, changed, out, data_dir, sources_dir, ANNUAIRE)
