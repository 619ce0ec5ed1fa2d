"""Read knowledge/data/*.yml, validate everything, build frozen models.

Each file is first checked against its shape in knowledge/schema.py (fields,
types, patterns, closed vocabularies); then this module checks what a shape
cannot say: provenance (quotes really in knowledge/sources/), references between
files, uniqueness, opening_hours syntax; and builds the models.

Any problem is reported as "<file>: <field path>: <message>" and the whole load
is refused (KnowledgeDataError), so a bad edit never reaches users.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import opening_hours
import yaml

from . import schema, text
from .models import (
    AdjacentQuestion,
    Budget,
    Closure,
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
    "fermetures.yml",
)
# May be absent (a directory written before closures existed): read as empty.
OPTIONAL_FILES = {"fermetures.yml": {"fermetures": []}}
SITUATIONS = tuple(schema.Situations.__fields__)
# Scalar hub fields that are facts and so need a provenance when set.
HUB_FACT_FIELDS = schema.HUB_FACT_FIELDS
# A provenance of kind "dataset" (an imported open-data record) needs all of these.
DATASET_KEYS = ("jeu_de_donnees", "licence", "enregistrement", "date_modification",
                "fichier_import", "date_fichier", "importe_le")

# libyaml when available: 10x faster, matters for hot reload and tests.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    """Collects the errors of one file; `path` strings are field paths like
    'structures[1].horaires_accueil'."""

    def __init__(self, file_path: Path, errors: list[str]):
        self.file = display_path(file_path)
        self.errors = errors

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{self.file}: {path}: {message}" if path else f"{self.file}: {message}")

    def unique(self, values: list[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for path, value in values:
            if value in seen:
                self.error(path, f"duplicate {what} {value!r} (already at {seen[value]})")
            else:
                seen[value] = path


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


def _provenance(c: _Checker, sources: _Sources, entries: Optional[list[schema.ProvenanceEntry]],
                path: str) -> tuple[Provenance, ...]:
    """Check a provenance list (its shape is already valid): each entry is a
    quote found in its source file, a derivation or a rule."""
    if not entries:
        c.error(path, "missing provenance (expected a non-empty list of {fichier, citation} / {derive_de, note} / {regle, note} / {jeu_de_donnees, …})")
        return ()
    out = []
    for i, entry in enumerate(entries):
        p = f"{path}[{i}]"

        def needs(*keys: str) -> bool:
            missing = [k for k in keys if getattr(entry, k) is None]
            for k in missing:
                c.error(f"{p}.{k}", "missing or empty")
            return not missing

        if entry.fichier is not None or entry.citation is not None:
            if needs("fichier", "citation"):
                name, quote = entry.fichier, entry.citation
                source_text = sources.text(name)
                if source_text is None:
                    c.error(f"{p}.fichier", f"unknown source file {name!r} (not in {display_path(sources.dir)})")
                elif text.normalise_quote(quote) not in source_text:
                    c.error(f"{p}.citation", f"quote not found in {name}: {quote[:80]!r}")
                else:
                    out.append(Provenance(file=name, quote=quote))
        elif entry.derive_de is not None:
            if needs("derive_de", "note"):
                out.append(Provenance(derived_from=entry.derive_de, note=entry.note))
        elif entry.regle is not None:
            if needs("regle", "note"):
                out.append(Provenance(rule=entry.regle, note=entry.note))
        elif entry.jeu_de_donnees is not None:
            if needs(*DATASET_KEYS):
                out.append(Provenance(
                    dataset=entry.jeu_de_donnees, licence=entry.licence, record_id=entry.enregistrement,
                    record_modified=entry.date_modification, import_file=entry.fichier_import,
                    import_file_date=entry.date_fichier, imported_at=entry.importe_le, note=entry.note))
        else:
            c.error(p, "provenance entry needs `fichier`+`citation`, `derive_de`+`note`, `regle`+`note` "
                       "or `jeu_de_donnees`+" + "+".join(f"`{k}`" for k in DATASET_KEYS[1:]))
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


def _parse_communes(c: _Checker, doc: schema.CommunesFile):
    communes: list[Commune] = []
    insee_paths, name_paths = [], []
    for i, raw in enumerate(doc.communes):
        p = f"communes[{i}]"
        communes.append(Commune(name=raw.nom, insee=raw.code_insee, postal_codes=tuple(raw.codes_postaux),
                                aliases=tuple(raw.alias)))
        insee_paths.append((f"{p}.code_insee", raw.code_insee))
        name_paths.append((f"{p}.nom", raw.nom))
    c.unique(insee_paths, "INSEE code")
    c.unique(name_paths, "commune name")
    reference = tuple((k, str(v)) for k, v in doc.reference.dict(exclude_none=True).items())
    known = {x.insee for x in communes}
    multi: list[MultiCommunePlace] = []
    for i, raw in enumerate(doc.lieux_multi_communes):
        p = f"lieux_multi_communes[{i}]"
        for j, code in enumerate(raw.communes):
            if code not in known:
                c.error(f"{p}.communes[{j}]", f"unknown commune INSEE code {code!r}")
        if raw.communes:
            multi.append(MultiCommunePlace(name=raw.nom, insee_codes=tuple(raw.communes),
                                           aliases=tuple(raw.alias)))
    return tuple(communes), tuple(multi), reference


def _parse_outside(doc: schema.OutsideFile) -> tuple[OutsidePlace, ...]:
    return tuple(OutsidePlace(name=raw.nom, departement=raw.departement, aliases=tuple(raw.alias))
                 for raw in doc.lieux)


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


def _parse_services(c: _Checker, doc: schema.ServicesFile):
    professions = [Profession(raw.id, raw.libelle, raw.libelle_pluriel, tuple(raw.mots_cles))
                   for raw in doc.metiers]
    c.unique([(f"metiers[{i}].id", x.id) for i, x in enumerate(professions)], "profession id")
    prof_ids = {x.id for x in professions}

    services = []
    for i, raw in enumerate(doc.services):
        p = f"services[{i}]"
        for j, pid in enumerate(raw.metiers):
            if pid not in prof_ids:
                c.error(f"{p}.metiers[{j}]", f"unknown profession id {pid!r}")
        needs = tuple(Need(need.libelle, tuple(need.mots_cles)) for need in raw.besoins)
        services.append(Service(raw.id, raw.nom, raw.description, raw.categorie, tuple(raw.thematiques),
                                tuple(raw.publics), tuple(raw.metiers), needs,
                                raw.nom_facile, raw.description_facile))
    c.unique([(f"services[{i}].id", x.id) for i, x in enumerate(services)], "service id")
    service_ids = {x.id for x in services}
    adjacent, adjacent_paths = [], []
    for i, raw in enumerate(doc.questions_voisines):
        p = f"questions_voisines[{i}]"
        if raw.service not in service_ids:
            c.error(f"{p}.service", f"unknown service id {raw.service!r}")
            continue
        adjacent.append(AdjacentQuestion(raw.id, tuple(raw.mots_cles), tuple(raw.sauf),
                                         " ".join(raw.reponse.split()), raw.service, raw.reponse_facile))
        adjacent_paths.append((f"{p}.id", raw.id))
    c.unique(adjacent_paths, "questions_voisines id")
    return tuple(services), tuple(professions), tuple(adjacent)


def _sourced_items(c: _Checker, sources: _Sources, items: list, path: str,
                   label_key: str) -> tuple[SourcedItem, ...]:
    out = []
    for i, raw in enumerate(items):
        prov = _provenance(c, sources, raw.provenance, f"{path}[{i}].provenance")
        if prov:
            out.append(SourcedItem(label=getattr(raw, label_key), provenance=prov,
                                   category=getattr(raw, "categorie", None),
                                   quantity=getattr(raw, "quantite", None)))
    return tuple(out)


def _parse_structures(c: _Checker, sources: _Sources, doc: schema.StructuresFile,
                      communes: Optional[dict[str, Commune]],
                      service_ids: Optional[set[str]], profession_ids: Optional[set[str]]) -> tuple[Hub, ...]:
    """`communes`, `service_ids`, `profession_ids` are None when their own file
    is malformed: the references to them are then not checked."""
    hubs = []
    served_by: dict[str, str] = {}
    for i, raw in enumerate(doc.structures):
        p = f"structures[{i}]"
        ext = raw.extensions
        hours: Optional[str] = raw.horaires_accueil
        if not opening_hours.validate(hours):
            c.error(f"{p}.horaires_accueil", f"invalid opening_hours syntax {hours!r}")
            hours = None
        commune = communes.get(raw.code_insee) if communes is not None else None
        if communes is not None and commune is None:
            c.error(f"{p}.code_insee", f"unknown commune INSEE code {raw.code_insee!r}")
        if commune is not None:
            if text.key(raw.commune) != text.key(commune.name):
                c.error(f"{p}.commune", f"{raw.commune!r} does not match INSEE {raw.code_insee} ({commune.name})")
            if raw.code_postal not in commune.postal_codes:
                c.error(f"{p}.code_postal", f"{raw.code_postal} is not a postal code of {commune.name} {list(commune.postal_codes)}")

        # Provenance of scalar facts: every fact that is set must have one.
        values = {**{k: getattr(raw, k, None) for k in HUB_FACT_FIELDS}, "date_ouverture": ext.date_ouverture}
        provenance = []
        for fact in HUB_FACT_FIELDS:
            if values.get(fact) in (None, "", []):
                continue
            if fact not in raw.provenance.__fields_set__:
                c.error(f"{p}.provenance.{fact}", f"missing provenance for fact `{fact}`")
                continue
            prov = _provenance(c, sources, getattr(raw.provenance, fact), f"{p}.provenance.{fact}")
            if prov:
                provenance.append((fact, prov))

        served = []
        for j, item in enumerate(ext.communes_desservies):
            q = f"{p}.extensions.communes_desservies[{j}]"
            code = item.code_insee
            _provenance(c, sources, item.provenance, f"{q}.provenance")
            if communes is not None and code not in communes:
                c.error(f"{q}.code_insee", f"unknown commune INSEE code {code!r}")
            elif code in served_by and served_by[code] != raw.id:
                name = communes[code].name if communes else code
                c.error(f"{q}.code_insee", f"commune {code} ({name}) is already served by {served_by[code]!r}")
            elif code in served:
                c.error(f"{q}.code_insee", f"commune {code} listed twice")
            else:
                served.append(code)
                served_by[code] = raw.id

        transport = []
        for j, item in enumerate(ext.transports):
            prov = _provenance(c, sources, item.provenance, f"{p}.extensions.transports[{j}].provenance")
            if prov:
                transport.append(TransportAccess(item.mode, item.ligne, item.arret, prov))

        def id_list(key: str, known: Optional[set[str]], what: str) -> tuple[str, ...]:
            ids = []
            for j, item in enumerate(getattr(ext, key)):
                q = f"{p}.extensions.{key}[{j}]"
                _provenance(c, sources, item.provenance, f"{q}.provenance")
                if known is not None and item.id not in known:
                    c.error(f"{q}.id", f"unknown {what} id {item.id!r}")
                else:
                    ids.append(item.id)
            return tuple(ids)

        services = id_list("services", service_ids, "service")
        professions = id_list("metiers", profession_ids, "profession")
        where = f"{p}.extensions"
        facilities = _sourced_items(c, sources, ext.equipements, f"{where}.equipements", "libelle")
        partners = _sourced_items(c, sources, ext.partenaires, f"{where}.partenaires", "nom")
        notes = _sourced_items(c, sources, ext.reseau_local, f"{where}.reseau_local", "libelle")
        notes += _sourced_items(c, sources, ext.inauguration, f"{where}.inauguration", "libelle")
        _sourced_items(c, sources, ext.publics, f"{where}.publics", "libelle")
        usual = _sourced_items(c, sources, ext.noms_usuels, f"{where}.noms_usuels", "nom")

        if hours is not None and commune is not None:
            hubs.append(Hub(
                id=raw.id, name=raw.nom, address=raw.adresse, postal_code=raw.code_postal, city=commune.name,
                insee=raw.code_insee, opening_hours=hours, description=raw.description,
                opening_date=ext.date_ouverture, communes_served=tuple(served),
                transport=tuple(transport), services=services, professions=professions,
                facilities=facilities, partners=partners, notes=notes,
                usual_names=tuple(u.label for u in usual),
                address_complement=raw.complement_adresse, telephone=raw.telephone,
                email=raw.courriel, website=raw.site_web, accessibility=raw.accessibilite, updated=raw.date_maj,
                provenance=tuple(provenance),
            ))
    c.unique([(f"structures[{i}].id", raw.id) for i, raw in enumerate(doc.structures)], "structure id")
    return tuple(hubs)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def closure_hours_valid(hours: str) -> bool:
    """'08:30-12:00[,13:30-16:00]': well formed, each range starts before it ends, in order."""
    if not re.match(schema.CLOSURE_HOURS, hours):
        return False
    ranges = []
    for part in hours.split(","):
        a, b = part.split("-")
        if int(a[:2]) > 24 or int(b[:2]) > 24 or int(a[3:]) > 59 or int(b[3:]) > 59:
            return False
        ranges.append((_minutes(a), _minutes(b)))
    return all(a < b <= 24 * 60 for a, b in ranges) and (len(ranges) == 1 or ranges[0][1] <= ranges[1][0])


def _attach_closures(c: _Checker, doc: schema.ClosuresFile, hubs: tuple[Hub, ...]) -> tuple[Hub, ...]:
    """Check the closures (known hub, period, hours, no overlap) and give each
    hub its own, by start date."""
    by_hub: dict[str, list[Closure]] = {h.id: [] for h in hubs}
    for i, raw in enumerate(doc.fermetures):
        p = f"fermetures[{i}]"
        ok = True
        if raw.structure_id not in by_hub:
            c.error(f"{p}.structure_id", f"unknown hub id {raw.structure_id!r} (see structures.yml)")
            ok = False
        if raw.au < raw.du:
            c.error(f"{p}.au", f"{raw.au.isoformat()} is before du {raw.du.isoformat()}")
            ok = False
        if raw.horaires and not closure_hours_valid(raw.horaires):
            c.error(f"{p}.horaires", f"invalid hours {raw.horaires!r} (expected HH:MM-HH:MM[,HH:MM-HH:MM], "
                                     f"each range starting before it ends, in order)")
            ok = False
        if ok:
            by_hub[raw.structure_id].append(Closure(
                id=raw.id, hub_id=raw.structure_id, start=raw.du, end=raw.au, reason=raw.motif,
                hours=raw.horaires, added_by=raw.ajoute_par, added_at=raw.ajoute_le))
    c.unique([(f"fermetures[{i}].id", raw.id) for i, raw in enumerate(doc.fermetures)], "closure id")
    for hub_id, closures in by_hub.items():
        closures.sort(key=lambda x: x.start)
        for before, after in zip(closures, closures[1:]):
            if after.start <= before.end:
                index = next(i for i, raw in enumerate(doc.fermetures) if raw.id == after.id)
                c.error(f"fermetures[{index}].du", f"closure {after.id!r} overlaps closure {before.id!r} "
                                                   f"of the same hub ({before.start} to {before.end})")
    return tuple(replace(h, closures=tuple(by_hub[h.id])) if by_hub[h.id] else h for h in hubs)


def _parse_helplines(c: _Checker, doc: schema.HelplinesFile):
    lines = tuple(Helpline(raw.numero, raw.nom, raw.objet, raw.horaires, raw.gratuit, tuple(raw.canaux),
                           raw.reference, str(raw.precisions))
                  for raw in doc.numeros)
    c.unique([(f"numeros[{i}].numero", h.number) for i, h in enumerate(lines)], "helpline number")
    known = {h.number for h in lines}
    situations = []
    for name in SITUATIONS:
        numbers = tuple(getattr(doc.situations, name))
        for j, n in enumerate(numbers):
            if n not in known:
                c.error(f"situations.{name}[{j}]", f"unknown helpline number {n!r}")
        situations.append((name, numbers))
    return lines, tuple(situations)


def _parse_department(c: _Checker, sources: _Sources, doc: schema.DepartementFile) -> Optional[Department]:
    def item(raw: schema.LabelWithProvenance, path: str) -> Optional[SourcedItem]:
        prov = _provenance(c, sources, raw.provenance, f"{path}.provenance")
        return SourcedItem(label=raw.libelle, provenance=prov) if prov else None

    def sites(raws: list[schema.DatedSiteEntry], path: str) -> tuple[DatedSite, ...]:
        out = []
        for i, raw in enumerate(raws):
            prov = _provenance(c, sources, raw.provenance, f"{path}[{i}].provenance")
            if prov:
                out.append(DatedSite(raw.commune, raw.annee, raw.mois, prov))
        return tuple(out)

    modern = doc.modernisation
    modernisation = item(modern, "modernisation")
    modernised = sites(modern.sites_modernises, "modernisation.sites_modernises")
    under_works = sites(modern.poles_en_travaux, "modernisation.poles_en_travaux")
    budgets = []
    for i, raw in enumerate(doc.budgets):
        prov = _provenance(c, sources, raw.provenance, f"budgets[{i}].provenance")
        if prov:
            budgets.append(Budget(raw.id, raw.libelle, raw.montant_eur, raw.annee, prov))
    projects = tuple(filter(None, (item(raw, f"projets_finances[{i}]")
                                   for i, raw in enumerate(doc.projets_finances))))
    goal = item(doc.objectif_proximite, "objectif_proximite")
    publics = item(doc.publics_prioritaires, "publics_prioritaires")
    if None in (modernisation, goal, publics):
        return None
    return Department(doc.departement.code, doc.departement.nom, modernisation, modernised, under_works,
                      tuple(budgets), projects, goal, doc.objectif_proximite.pole_social_minutes,
                      doc.objectif_proximite.antenne_minutes, publics)


def load(data_dir: Path | str | None = None, sources_dir: Path | str | None = None) -> KnowledgeData:
    """Load and validate all data files; raise KnowledgeDataError listing every problem."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    sources_dir = Path(sources_dir) if sources_dir else DEFAULT_SOURCES_DIR
    errors: list[str] = []
    raw_docs = {name: OPTIONAL_FILES[name] if name in OPTIONAL_FILES and not (data_dir / name).exists()
                else _read_yaml(data_dir / name, errors) for name in DATA_FILES}
    if any(doc is None for doc in raw_docs.values()):
        raise KnowledgeDataError(errors)
    # 1. Shape: every file against its schema, all errors kept.
    docs = {name: schema.validate_file(name, raw_docs[name], display_path(data_dir / name), errors)
            for name in DATA_FILES}
    # 2. What a shape cannot say, for each file whose shape is valid; references
    #    to a malformed file are not checked (its own errors are listed).
    sources = _Sources(sources_dir)
    checkers: dict[str, _Checker] = {name: _Checker(data_dir / name, errors) for name in DATA_FILES}
    communes, multi, reference, outside = (), (), (), ()
    services, professions, adjacent, hubs = (), (), (), ()
    helplines, situations, department = (), (), None
    if docs["communes.yml"] is not None:
        communes, multi, reference = _parse_communes(checkers["communes.yml"], docs["communes.yml"])
    if docs["hors_departement.yml"] is not None:
        outside = _parse_outside(docs["hors_departement.yml"])
    if docs["communes.yml"] is not None and docs["hors_departement.yml"] is not None:
        _check_alias_clashes(checkers["communes.yml"], checkers["hors_departement.yml"], communes, multi, outside)
    if docs["services.yml"] is not None:
        services, professions, adjacent = _parse_services(checkers["services.yml"], docs["services.yml"])
    if docs["structures.yml"] is not None:
        services_ok = docs["services.yml"] is not None
        hubs = _parse_structures(
            checkers["structures.yml"], sources, docs["structures.yml"],
            {x.insee: x for x in communes} if docs["communes.yml"] is not None else None,
            {s.id for s in services} if services_ok else None,
            {x.id for x in professions} if services_ok else None)
    if docs["helplines.yml"] is not None:
        helplines, situations = _parse_helplines(checkers["helplines.yml"], docs["helplines.yml"])
    if docs["departement.yml"] is not None:
        department = _parse_department(checkers["departement.yml"], sources, docs["departement.yml"])
    if docs["fermetures.yml"] is not None and docs["structures.yml"] is not None:
        hubs = _attach_closures(checkers["fermetures.yml"], docs["fermetures.yml"], hubs)
    if errors or department is None:
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

