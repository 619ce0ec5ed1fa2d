"""Read knowledge/data/*.yml, validate everything, build frozen models.

Any problem is reported as "<file>: <field path>: <message>" and the whole load
is refused (KnowledgeDataError), so a bad edit never reaches users.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

import opening_hours
import yaml

from . import text
from .models import (
    AdjacentQuestion,
    Budget,
    Commune,
    DatedSite,
    Department,
    Helpline,
    Hub,
    MultiCommunePlace,
    Need,
    OutsidePlace,
    Profession,
    Provenance,
    Service,
    SourcedItem,
    TransportAccess,
)
from .schema_v1 import PUBLICS, RESEAUX_PORTEURS, THEMATIQUES

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_SOURCES_DIR = PACKAGE_DIR / "sources"

DATA_FILES = (
    "communes.yml",
    "hors_departement.yml",
    "structures.yml",
    "services.yml",
    "helplines.yml",
    "departement.yml",
)
SITUATIONS = ("violence", "child", "suicide", "no_shelter", "medical", "cannot_speak")
# Scalar hub fields that are facts and so need a provenance when set.
HUB_FACT_FIELDS = (
    "nom", "description", "adresse", "complement_adresse", "code_postal", "commune",
    "code_insee", "telephone", "courriel", "site_web", "horaires_accueil",
    "reseaux_porteurs", "date_ouverture",
)

# libyaml when available: 10x faster, matters for hot reload and tests.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INSEE_92 = re.compile(r"^92\d{3}$")
_POSTAL = re.compile(r"^\d{5}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class KnowledgeDataError(Exception):
    """The data is malformed or inconsistent; `errors` lists each problem."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class KnowledgeData:
    data_dir: Path
    sources_dir: Path
    communes: tuple[Commune, ...]
    outside_places: tuple[OutsidePlace, ...]
    multi_commune_places: tuple[MultiCommunePlace, ...]
    hubs: tuple[Hub, ...]
    services: tuple[Service, ...]
    professions: tuple[Profession, ...]
    adjacent_questions: tuple[AdjacentQuestion, ...]
    helplines: tuple[Helpline, ...]
    situations: tuple[tuple[str, tuple[str, ...]], ...]
    department: Department
    commune_reference: tuple[tuple[str, str], ...]


def display_path(path: Path) -> str:
    """Path as people type it from the repo (relative to cwd when inside it)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


class _Checker:
    """Collects errors for one file; `path` strings are field paths like
    'structures[1].horaires_accueil'."""

    def __init__(self, file_path: Path, errors: list[str]):
        self.file = display_path(file_path)
        self.errors = errors

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{self.file}: {path}: {message}" if path else f"{self.file}: {message}")

    def mapping(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping, got {type(value).__name__}")
            return {}
        return value

    def seq(self, obj: dict, key: str, path: str, required: bool = True) -> list:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(_join(path, key), "missing (expected a list)")
            return []
        if not isinstance(value, list):
            self.error(_join(path, key), f"expected a list, got {type(value).__name__}")
            return []
        return value

    def string(self, obj: dict, key: str, path: str, required: bool = True,
               pattern: Optional[re.Pattern] = None) -> Optional[str]:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(_join(path, key), "missing or empty")
            return None
        if not isinstance(value, str):
            self.error(_join(path, key), f"expected a string, got {type(value).__name__} {value!r}")
            return None
        if pattern is not None and not pattern.match(value):
            self.error(_join(path, key), f"invalid value {value!r} (expected {pattern.pattern})")
            return None
        return value.strip()

    def strings(self, obj: dict, key: str, path: str, required: bool = True) -> tuple[str, ...]:
        out = []
        for i, item in enumerate(self.seq(obj, key, path, required)):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{_join(path, key)}[{i}]", f"expected a non-empty string, got {item!r}")
            else:
                out.append(item.strip())
        return tuple(out)

    def integer(self, obj: dict, key: str, path: str, required: bool = True) -> Optional[int]:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(_join(path, key), "missing (expected an integer)")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(_join(path, key), f"expected an integer, got {value!r}")
            return None
        return value

    def a_date(self, obj: dict, key: str, path: str, required: bool = True) -> Optional[date]:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(_join(path, key), "missing (expected a date YYYY-MM-DD)")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.error(_join(path, key), f"invalid date {value!r} (expected YYYY-MM-DD)")
            return None

    def unique(self, values: list[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for path, value in values:
            if value in seen:
                self.error(path, f"duplicate {what} {value!r} (already at {seen[value]})")
            else:
                seen[value] = path


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Sources:
    """Normalised source texts, to check that quotes really are in them."""

    def __init__(self, sources_dir: Path):
        self.dir = sources_dir
        self._texts: dict[str, Optional[str]] = {}

    def text(self, name: str) -> Optional[str]:
        if name not in self._texts:
            path = self.dir / name
            if "/" in name or "\\" in name or not path.is_file():
                self._texts[name] = None
            else:
                self._texts[name] = text.normalise_quote(path.read_text(encoding="utf-8"))
        return self._texts[name]


def _provenance(c: _Checker, sources: _Sources, value: Any, path: str) -> tuple[Provenance, ...]:
    """Parse a provenance list; each entry is a quote, a derivation or a rule."""
    if not isinstance(value, list) or not value:
        c.error(path, "missing provenance (expected a non-empty list of {fichier, citation} / {derive_de, note} / {regle, note})")
        return ()
    out = []
    for i, entry in enumerate(value):
        p = f"{path}[{i}]"
        if not isinstance(entry, dict):
            c.error(p, f"expected a mapping, got {entry!r}")
            continue
        if "fichier" in entry or "citation" in entry:
            name = c.string(entry, "fichier", p)
            quote = c.string(entry, "citation", p)
            if name and quote:
                source_text = sources.text(name)
                if source_text is None:
                    c.error(_join(p, "fichier"), f"unknown source file {name!r} (not in {display_path(sources.dir)})")
                elif text.normalise_quote(quote) not in source_text:
                    c.error(_join(p, "citation"), f"quote not found in {name}: {quote[:80]!r}")
                else:
                    out.append(Provenance(file=name, quote=quote))
        elif "derive_de" in entry:
            ref = c.string(entry, "derive_de", p)
            note = c.string(entry, "note", p)
            if ref and note:
                out.append(Provenance(derived_from=ref, note=note))
        elif "regle" in entry:
            rule = c.string(entry, "regle", p)
            note = c.string(entry, "note", p)
            if rule and note:
                out.append(Provenance(rule=rule, note=note))
        else:
            c.error(p, "provenance entry needs `fichier`+`citation`, `derive_de`+`note` or `regle`+`note`")
    return tuple(out)


def _read_yaml(path: Path, errors: list[str]) -> Optional[dict]:
    shown = display_path(path)
    if not path.is_file():
        errors.append(f"{shown}: file missing")
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{shown}: invalid YAML{where}: {problem}")
        return None
    except UnicodeDecodeError as exc:
        errors.append(f"{shown}: not UTF-8 text: {exc}")
        return None
    if not isinstance(data, dict):
        errors.append(f"{shown}: expected a mapping at top level, got {type(data).__name__}")
        return None
    return data


def _parse_communes(c: _Checker, doc: dict):
    communes: list[Commune] = []
    insee_paths, name_paths = [], []
    for i, raw in enumerate(c.seq(doc, "communes", "")):
        p = f"communes[{i}]"
        raw = c.mapping(raw, p)
        insee = c.string(raw, "code_insee", p, pattern=_INSEE_92)
        name = c.string(raw, "nom", p)
        codes = c.strings(raw, "codes_postaux", p)
        if not codes and "codes_postaux" in raw:
            c.error(_join(p, "codes_postaux"), "at least one postal code is needed")
        for j, code in enumerate(codes):
            if not _POSTAL.match(code) or not code.startswith("92"):
                c.error(f"{p}.codes_postaux[{j}]", f"invalid postal code {code!r} (expected 92xxx)")
        aliases = c.strings(raw, "alias", p, required=False)
        if insee and name:
            communes.append(Commune(name=name, insee=insee, postal_codes=codes, aliases=aliases))
            insee_paths.append((f"{p}.code_insee", insee))
            name_paths.append((f"{p}.nom", name))
    c.unique(insee_paths, "INSEE code")
    c.unique(name_paths, "commune name")
    ref = c.mapping(doc.get("reference"), "reference")
    reference = tuple((k, str(v)) for k, v in ref.items())
    if not ref.get("communes") or not ref.get("codes_postaux"):
        c.error("reference", "the public reference used (`communes`, `codes_postaux`) must be recorded")
    known = {x.insee for x in communes}
    multi: list[MultiCommunePlace] = []
    for i, raw in enumerate(c.seq(doc, "lieux_multi_communes", "", required=False)):
        p = f"lieux_multi_communes[{i}]"
        raw = c.mapping(raw, p)
        name = c.string(raw, "nom", p)
        codes = c.strings(raw, "communes", p)
        for j, code in enumerate(codes):
            if code not in known:
                c.error(f"{p}.communes[{j}]", f"unknown commune INSEE code {code!r}")
        if name and codes:
            multi.append(MultiCommunePlace(name=name, insee_codes=codes,
                                           aliases=c.strings(raw, "alias", p, required=False)))
    return tuple(communes), tuple(multi), reference


def _parse_outside(c: _Checker, doc: dict) -> tuple[OutsidePlace, ...]:
    places = []
    for i, raw in enumerate(c.seq(doc, "lieux", "")):
        p = f"lieux[{i}]"
        raw = c.mapping(raw, p)
        name = c.string(raw, "nom", p)
        dep = c.string(raw, "departement", p)
        if dep == "92":
            c.error(f"{p}.departement", "a place of the 92 belongs in communes.yml")
        if name and dep:
            places.append(OutsidePlace(name=name, departement=dep,
                                       aliases=c.strings(raw, "alias", p, required=False)))
    return tuple(places)


def _check_alias_clashes(c_communes: _Checker, c_outside: _Checker, communes, multi, outside) -> None:
    """Two places must not share a spelling, or resolution would be arbitrary."""
    owners: dict[str, str] = {}

    def claim(checker: _Checker, spelling: str, owner: str, path: str) -> None:
        k = text.key(spelling)
        if not k:
            checker.error(path, f"alias {spelling!r} has no letters")
        elif owners.get(k, owner) != owner:
            checker.error(path, f"spelling {spelling!r} already names {owners[k]!r}")
        else:
            owners[k] = owner

    for i, com in enumerate(communes):
        for spelling in (com.name, *com.aliases):
            claim(c_communes, spelling, com.name, f"communes[{i}]")
    for i, place in enumerate(multi):
        for spelling in (place.name, *place.aliases):
            claim(c_communes, spelling, place.name, f"lieux_multi_communes[{i}]")
    for i, place in enumerate(outside):
        for spelling in (place.name, *place.aliases):
            claim(c_outside, spelling, place.name, f"lieux[{i}]")


def _parse_services(c: _Checker, doc: dict):
    professions = []
    prof_paths = []
    for i, raw in enumerate(c.seq(doc, "metiers", "")):
        p = f"metiers[{i}]"
        raw = c.mapping(raw, p)
        pid = c.string(raw, "id", p, pattern=_SLUG)
        label = c.string(raw, "libelle", p)
        plural = c.string(raw, "libelle_pluriel", p)
        if pid and label and plural:
            professions.append(Profession(pid, label, plural, c.strings(raw, "mots_cles", p, required=False)))
            prof_paths.append((f"{p}.id", pid))
    c.unique(prof_paths, "profession id")
    prof_ids = {x.id for x in professions}

    services, service_paths = [], []
    for i, raw in enumerate(c.seq(doc, "services", "")):
        p = f"services[{i}]"
        raw = c.mapping(raw, p)
        sid = c.string(raw, "id", p, pattern=_SLUG)
        name = c.string(raw, "nom", p)
        desc = c.string(raw, "description", p)
        easy_name = c.string(raw, "nom_facile", p)
        easy_desc = c.string(raw, "description_facile", p)
        category = c.string(raw, "categorie", p)
        if category and category not in ("famille-de-services", "accueil-numerique"):
            c.error(f"{p}.categorie", f"unknown category {category!r}")
        c.string(raw, "source", p)
        c.a_date(raw, "date_maj", p)
        thematiques = c.strings(raw, "thematiques", p)
        for j, t in enumerate(thematiques):
            if t not in THEMATIQUES:
                c.error(f"{p}.thematiques[{j}]", f"{t!r} is not a data·inclusion v1 thematique")
        publics = c.strings(raw, "publics", p, required=False)
        for j, t in enumerate(publics):
            if t not in PUBLICS:
                c.error(f"{p}.publics[{j}]", f"{t!r} is not a data·inclusion v1 public")
        profs = c.strings(raw, "metiers", p)
        for j, pid in enumerate(profs):
            if pid not in prof_ids:
                c.error(f"{p}.metiers[{j}]", f"unknown profession id {pid!r}")
        needs = []
        for j, need in enumerate(c.seq(raw, "besoins", p)):
            q = f"{p}.besoins[{j}]"
            need = c.mapping(need, q)
            label = c.string(need, "libelle", q)
            words = c.strings(need, "mots_cles", q)
            if label and words:
                needs.append(Need(label, words))
        if sid and name and desc and category:
            services.append(Service(sid, name, desc, category, thematiques, publics, profs,
                                    tuple(needs), easy_name or "", easy_desc or ""))
            service_paths.append((f"{p}.id", sid))
    c.unique(service_paths, "service id")
    service_ids = {x.id for x in services}
    adjacent, adjacent_paths = [], []
    for i, raw in enumerate(c.seq(doc, "questions_voisines", "", required=False)):
        p = f"questions_voisines[{i}]"
        raw = c.mapping(raw, p)
        qid = c.string(raw, "id", p, pattern=_SLUG)
        words = c.strings(raw, "mots_cles", p)
        unless = c.strings(raw, "sauf", p, required=False)
        answer = c.string(raw, "reponse", p)
        easy_answer = c.string(raw, "reponse_facile", p)
        target = c.string(raw, "service", p)
        if target and target not in service_ids:
            c.error(f"{p}.service", f"unknown service id {target!r}")
        elif qid and words and answer and target:
            adjacent.append(AdjacentQuestion(qid, words, unless, " ".join(answer.split()), target,
                                             easy_answer or ""))
            adjacent_paths.append((f"{p}.id", qid))
    c.unique(adjacent_paths, "questions_voisines id")
    return tuple(services), tuple(professions), tuple(adjacent)


def _sourced_items(c: _Checker, sources: _Sources, items: list, path: str,
                   label_key: str, with_category: bool = False) -> tuple[SourcedItem, ...]:
    out = []
    for i, raw in enumerate(items):
        p = f"{path}[{i}]"
        raw = c.mapping(raw, p)
        label = c.string(raw, label_key, p)
        prov = _provenance(c, sources, raw.get("provenance"), f"{p}.provenance")
        category = c.string(raw, "categorie", p) if with_category else None
        quantity = c.integer(raw, "quantite", p, required=False) if with_category else None
        if label and prov:
            out.append(SourcedItem(label=label, provenance=prov, category=category, quantity=quantity))
    return tuple(out)


def _parse_structures(c: _Checker, sources: _Sources, doc: dict, communes: dict[str, Commune],
                      service_ids: set[str], profession_ids: set[str]) -> tuple[Hub, ...]:
    hubs = []
    id_paths = []
    served_by: dict[str, str] = {}
    for i, raw in enumerate(c.seq(doc, "structures", "")):
        p = f"structures[{i}]"
        raw = c.mapping(raw, p)
        ext = c.mapping(raw.get("extensions", {}), f"{p}.extensions")
        hub_id = c.string(raw, "id", p, pattern=_SLUG)
        if hub_id:
            id_paths.append((f"{p}.id", hub_id))
        name = c.string(raw, "nom", p)
        c.string(raw, "source", p)
        c.a_date(raw, "date_maj", p)
        description = c.string(raw, "description", p)
        street = c.string(raw, "adresse", p)
        postal = c.string(raw, "code_postal", p, pattern=_POSTAL)
        city = c.string(raw, "commune", p)
        insee = c.string(raw, "code_insee", p)
        hours = c.string(raw, "horaires_accueil", p)
        for optional in ("complement_adresse", "telephone", "courriel", "site_web"):
            c.string(raw, optional, p, required=False)
        if hours is not None:
            if not opening_hours.validate(hours):
                c.error(f"{p}.horaires_accueil", f"invalid opening_hours syntax {hours!r}")
                hours = None
        commune = communes.get(insee) if insee else None
        if insee and commune is None:
            c.error(f"{p}.code_insee", f"unknown commune INSEE code {insee!r}")
        if commune is not None:
            if city and text.key(city) != text.key(commune.name):
                c.error(f"{p}.commune", f"{city!r} does not match INSEE {insee} ({commune.name})")
            if postal and postal not in commune.postal_codes:
                c.error(f"{p}.code_postal", f"{postal} is not a postal code of {commune.name} {list(commune.postal_codes)}")
        reseaux = c.strings(raw, "reseaux_porteurs", p, required=False)
        for j, r in enumerate(reseaux):
            if r not in RESEAUX_PORTEURS:
                c.error(f"{p}.reseaux_porteurs[{j}]", f"{r!r} is not a data·inclusion v1 reseau porteur")
        opening_date = c.a_date(ext, "date_ouverture", f"{p}.extensions", required=False)

        # Provenance of scalar facts: every fact that is set must have one.
        prov_raw = c.mapping(raw.get("provenance", {}), f"{p}.provenance")
        values = {**{k: raw.get(k) for k in HUB_FACT_FIELDS}, "date_ouverture": opening_date}
        provenance = []
        for fact in HUB_FACT_FIELDS:
            if values.get(fact) in (None, "", []):
                continue
            if fact not in prov_raw:
                c.error(f"{p}.provenance.{fact}", f"missing provenance for fact `{fact}`")
                continue
            prov = _provenance(c, sources, prov_raw[fact], f"{p}.provenance.{fact}")
            if prov:
                provenance.append((fact, prov))
        for extra in prov_raw:
            if extra not in HUB_FACT_FIELDS:
                c.error(f"{p}.provenance.{extra}", "provenance for an unknown field")

        served = []
        for j, item in enumerate(c.seq(ext, "communes_desservies", f"{p}.extensions")):
            q = f"{p}.extensions.communes_desservies[{j}]"
            item = c.mapping(item, q)
            code = c.string(item, "code_insee", q)
            _provenance(c, sources, item.get("provenance"), f"{q}.provenance")
            if code is None:
                continue
            if code not in communes:
                c.error(f"{q}.code_insee", f"unknown commune INSEE code {code!r}")
            elif code in served_by and served_by[code] != hub_id:
                c.error(f"{q}.code_insee", f"commune {code} ({communes[code].name}) is already served by {served_by[code]!r}")
            elif code in served:
                c.error(f"{q}.code_insee", f"commune {code} listed twice")
            else:
                served.append(code)
                served_by[code] = hub_id or p

        if not served and "communes_desservies" in ext:
            c.error(f"{p}.extensions.communes_desservies", "a hub must serve at least one commune")

        transport = []
        for j, item in enumerate(c.seq(ext, "transports", f"{p}.extensions")):
            q = f"{p}.extensions.transports[{j}]"
            item = c.mapping(item, q)
            mode, line, stop = (c.string(item, k, q) for k in ("mode", "ligne", "arret"))
            prov = _provenance(c, sources, item.get("provenance"), f"{q}.provenance")
            if mode and line and stop and prov:
                transport.append(TransportAccess(mode, line, stop, prov))

        def id_list(key: str, known: set[str], what: str) -> tuple[str, ...]:
            ids = []
            for j, item in enumerate(c.seq(ext, key, f"{p}.extensions")):
                q = f"{p}.extensions.{key}[{j}]"
                item = c.mapping(item, q)
                item_id = c.string(item, "id", q)
                _provenance(c, sources, item.get("provenance"), f"{q}.provenance")
                if item_id is not None and item_id not in known:
                    c.error(f"{q}.id", f"unknown {what} id {item_id!r}")
                elif item_id is not None:
                    ids.append(item_id)
            return tuple(ids)

        services = id_list("services", service_ids, "service")
        professions = id_list("metiers", profession_ids, "profession")
        facilities = _sourced_items(c, sources, c.seq(ext, "equipements", f"{p}.extensions"),
                                    f"{p}.extensions.equipements", "libelle", with_category=True)
        partners = _sourced_items(c, sources, c.seq(ext, "partenaires", f"{p}.extensions"),
                                  f"{p}.extensions.partenaires", "nom")
        notes = _sourced_items(c, sources, c.seq(ext, "reseau_local", f"{p}.extensions", required=False),
                               f"{p}.extensions.reseau_local", "libelle")
        notes += _sourced_items(c, sources, c.seq(ext, "inauguration", f"{p}.extensions", required=False),
                                f"{p}.extensions.inauguration", "libelle")
        _sourced_items(c, sources, c.seq(ext, "publics", f"{p}.extensions", required=False),
                       f"{p}.extensions.publics", "libelle")
        usual = _sourced_items(c, sources, c.seq(ext, "noms_usuels", f"{p}.extensions", required=False),
                               f"{p}.extensions.noms_usuels", "nom")

        if all(v is not None for v in (hub_id, name, street, postal, city, insee, hours, description)) and commune:
            hubs.append(Hub(
                id=hub_id, name=name, address=street, postal_code=postal, city=commune.name,
                insee=insee, opening_hours=hours, description=description,
                opening_date=opening_date, communes_served=tuple(served),
                transport=tuple(transport), services=services, professions=professions,
                facilities=facilities, partners=partners, notes=notes,
                usual_names=tuple(u.label for u in usual),
                address_complement=raw.get("complement_adresse"), telephone=raw.get("telephone"),
                email=raw.get("courriel"), website=raw.get("site_web"),
                provenance=tuple(provenance),
            ))
    c.unique(id_paths, "structure id")
    return tuple(hubs)


def _parse_helplines(c: _Checker, doc: dict):
    lines, paths = [], []
    for i, raw in enumerate(c.seq(doc, "numeros", "")):
        p = f"numeros[{i}]"
        raw = c.mapping(raw, p)
        number = c.string(raw, "numero", p, pattern=re.compile(r"^\d{2,6}$"))
        name, purpose, hours, ref = (c.string(raw, k, p) for k in ("nom", "objet", "horaires", "reference"))
        free = raw.get("gratuit")
        if not isinstance(free, bool):
            c.error(f"{p}.gratuit", f"expected true/false, got {free!r}")
        channels = c.strings(raw, "canaux", p)
        details = raw.get("precisions", "")
        if not isinstance(details, str):
            c.error(f"{p}.precisions", f"expected a sentence, got {details!r}")
            details = ""
        if number and name and purpose and hours and ref and isinstance(free, bool):
            lines.append(Helpline(number, name, purpose, hours, free, channels, ref,
                                  " ".join(details.split())))
            paths.append((f"{p}.numero", number))
    c.unique(paths, "helpline number")
    if not doc.get("reference"):
        c.error("reference", "the public references used must be recorded")
    known = {h.number for h in lines}
    sit = c.mapping(doc.get("situations"), "situations")
    situations = []
    for name in SITUATIONS:
        numbers = c.strings(sit, name, "situations")
        for j, n in enumerate(numbers):
            if n not in known:
                c.error(f"situations.{name}[{j}]", f"unknown helpline number {n!r}")
        situations.append((name, numbers))
    for name in sit:
        if name not in SITUATIONS:
            c.error(f"situations.{name}", f"unknown situation (expected one of {', '.join(SITUATIONS)})")
    return tuple(lines), tuple(situations)


def _parse_department(c: _Checker, sources: _Sources, doc: dict) -> Optional[Department]:
    dep = c.mapping(doc.get("departement"), "departement")
    code, name = c.string(dep, "code", "departement"), c.string(dep, "nom", "departement")

    def item(obj: dict, path: str, label_key: str = "libelle") -> Optional[SourcedItem]:
        label = c.string(obj, label_key, path)
        prov = _provenance(c, sources, obj.get("provenance"), f"{path}.provenance")
        return SourcedItem(label=label, provenance=prov) if label and prov else None

    def sites(obj: dict, key: str, path: str) -> tuple[DatedSite, ...]:
        out = []
        for i, raw in enumerate(c.seq(obj, key, path)):
            q = f"{path}.{key}[{i}]"
            raw = c.mapping(raw, q)
            commune = c.string(raw, "commune", q)
            year = c.integer(raw, "annee", q, required=False)
            month = c.integer(raw, "mois", q, required=False)
            prov = _provenance(c, sources, raw.get("provenance"), f"{q}.provenance")
            if commune and prov:
                out.append(DatedSite(commune, year, month, prov))
        return tuple(out)

    modern = c.mapping(doc.get("modernisation"), "modernisation")
    modernisation = item(modern, "modernisation")
    modernised = sites(modern, "sites_modernises", "modernisation")
    under_works = sites(modern, "poles_en_travaux", "modernisation")
    budgets = []
    for i, raw in enumerate(c.seq(doc, "budgets", "")):
        p = f"budgets[{i}]"
        raw = c.mapping(raw, p)
        bid, label = c.string(raw, "id", p), c.string(raw, "libelle", p)
        amount = c.integer(raw, "montant_eur", p)
        year = c.integer(raw, "annee", p, required=False)
        prov = _provenance(c, sources, raw.get("provenance"), f"{p}.provenance")
        if bid and label and amount is not None and prov:
            budgets.append(Budget(bid, label, amount, year, prov))
    projects = tuple(filter(None, (item(c.mapping(raw, f"projets_finances[{i}]"), f"projets_finances[{i}]")
                                   for i, raw in enumerate(c.seq(doc, "projets_finances", "")))))
    goal_raw = c.mapping(doc.get("objectif_proximite"), "objectif_proximite")
    goal = item(goal_raw, "objectif_proximite")
    hub_minutes = c.integer(goal_raw, "pole_social_minutes", "objectif_proximite")
    antenna_minutes = c.integer(goal_raw, "antenne_minutes", "objectif_proximite")
    publics = item(c.mapping(doc.get("publics_prioritaires"), "publics_prioritaires"), "publics_prioritaires")
    if None in (code, name, modernisation, goal, hub_minutes, antenna_minutes, publics):
        return None
    return Department(code, name, modernisation, modernised, under_works, tuple(budgets), projects,
                      goal, hub_minutes, antenna_minutes, publics)


def load(data_dir: Path | str | None = None, sources_dir: Path | str | None = None) -> KnowledgeData:
    """Load and validate all data files; raise KnowledgeDataError listing every problem."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    sources_dir = Path(sources_dir) if sources_dir else DEFAULT_SOURCES_DIR
    errors: list[str] = []
    docs = {name: _read_yaml(data_dir / name, errors) for name in DATA_FILES}
    if any(doc is None for doc in docs.values()):
        raise KnowledgeDataError(errors)
    sources = _Sources(sources_dir)
    checkers: dict[str, _Checker] = {name: _Checker(data_dir / name, errors) for name in DATA_FILES}

    communes, multi, reference = _parse_communes(checkers["communes.yml"], docs["communes.yml"])
    outside = _parse_outside(checkers["hors_departement.yml"], docs["hors_departement.yml"])
    _check_alias_clashes(checkers["communes.yml"], checkers["hors_departement.yml"], communes, multi, outside)
    services, professions, adjacent = _parse_services(checkers["services.yml"], docs["services.yml"])
    by_insee = {x.insee: x for x in communes}
    hubs = _parse_structures(checkers["structures.yml"], sources, docs["structures.yml"], by_insee,
                             {s.id for s in services}, {x.id for x in professions})
    helplines, situations = _parse_helplines(checkers["helplines.yml"], docs["helplines.yml"])
    department = _parse_department(checkers["departement.yml"], sources, docs["departement.yml"])
    if errors:
        raise KnowledgeDataError(errors)
    return KnowledgeData(
        data_dir=data_dir, sources_dir=sources_dir, communes=communes, outside_places=outside,
        multi_commune_places=multi, hubs=hubs, services=services, professions=professions,
        adjacent_questions=adjacent,
        helplines=helplines, situations=situations, department=department,
        commune_reference=reference,
    )


def data_files(data_dir: Path, sources_dir: Path) -> list[Path]:
    """Files whose change triggers a reload."""
    return [data_dir / name for name in DATA_FILES] + sorted(sources_dir.glob("*.txt"))

