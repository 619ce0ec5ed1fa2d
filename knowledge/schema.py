"""The shape of knowledge/data/*.yml, declared once (pydantic 1.10).

Each data file has a model here: its fields, which are required, their types,
patterns and closed vocabularies. This is the one place the field list lives;
knowledge/loader.py validates each file against its model first, then checks
only what a shape cannot say (provenance quotes found in knowledge/sources/,
cross-references between files, uniqueness, opening_hours syntax) and builds
the frozen models of knowledge/models.py.

Unknown keys are tolerated, as before the schema (extra = "ignore"), except in
a hub's `provenance` and in helplines' `situations`, where a key names a fact
or a situation and an unknown one is a mistake.

`format_errors` turns a pydantic ValidationError into the project's messages,
"<file>: <field path>: <message>", with field paths written like
`structures[1].horaires_accueil` or `communes[0].codes_postaux[2]`.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterator, List, Optional, Type

from pydantic import (BaseModel, ConstrainedStr, StrictBool, StrictInt, ValidationError, root_validator,
                      validator)
from pydantic import errors as pyd_errors
from pydantic.fields import SHAPE_LIST, ModelField

from .schema_v1 import PUBLICS, RESEAUX_PORTEURS, THEMATIQUES

INSEE_92 = r"^92\d{3}$"
INSEE = r"^(?:\d{2}|2[AB])\d{3}$"
POSTAL = r"^\d{5}$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HELPLINE_NUMBER = r"^\d{2,6}$"
SERVICE_CATEGORIES = ("famille-de-services", "accueil-numerique")


# --- field types -------------------------------------------------------------

class Text(ConstrainedStr):
    """A non-empty string (surrounding whitespace dropped); never a number."""
    strict = True
    strip_whitespace = True
    min_length = 1


def _pattern(name: str, regex: str) -> Type[Text]:
    return type(name, (Text,), {"regex": re.compile(regex)})


Slug = _pattern("Slug", SLUG)
InseeCode = _pattern("InseeCode", INSEE)
Insee92 = _pattern("Insee92", INSEE_92)
PostalCode = _pattern("PostalCode", POSTAL)
HelplineNumber = _pattern("HelplineNumber", HELPLINE_NUMBER)


class IsoDate(date):
    """A date: a YAML date, or a string YYYY-MM-DD (no timestamps)."""

    @classmethod
    def __get_validators__(cls) -> Iterator:
        yield cls.parse

    @classmethod
    def parse(cls, value: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


class Sentence(str):
    """Optional free text: a string, whitespace collapsed."""

    @classmethod
    def __get_validators__(cls) -> Iterator:
        yield cls.parse

    @classmethod
    def parse(cls, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a sentence, got {value!r}")
        return " ".join(value.split())


class Shape(BaseModel):
    """Base of every model: a mapping, never coerced from something else."""

    class Config:
        extra = "ignore"
        anystr_strip_whitespace = True

    @classmethod
    def validate(cls, value: Any):
        if not isinstance(value, (dict, cls)):
            raise pyd_errors.DictError()
        return super().validate(value)

    @root_validator(pre=True)
    def _blank_optional_is_absent(cls, values):
        """An optional field left blank ("") is absent, as a null is."""
        fields = cls.__fields__
        return {k: None if (isinstance(v, str) and not v.strip() and k in fields
                            and fields[k].allow_none) else v
                for k, v in values.items()}


# --- provenance (the shape only; loader.py checks the quotes) ---------------

class ProvenanceEntry(Shape):
    """One of {fichier, citation}, {derive_de, note}, {regle, note} or, for a
    fact imported from an open data set (`python -m knowledge import`),
    {jeu_de_donnees, licence, enregistrement, date_modification,
    fichier_import, date_fichier, importe_le}."""
    fichier: Optional[Text] = None
    citation: Optional[Text] = None
    derive_de: Optional[Text] = None
    regle: Optional[Text] = None
    note: Optional[Text] = None
    # kind "dataset": the data set, its licence, the record id in it, the
    # record's own date_modification, the imported file's name and date, and
    # when the import ran (ISO 8601 strings, kept verbatim)
    jeu_de_donnees: Optional[Text] = None
    licence: Optional[Text] = None
    enregistrement: Optional[Text] = None
    date_modification: Optional[Text] = None
    fichier_import: Optional[Text] = None
    date_fichier: Optional[Text] = None
    importe_le: Optional[Text] = None


Provenances = Optional[List[ProvenanceEntry]]  # required, but checked with the quotes


# --- communes.yml --------------------------------------------------------------

class CommuneEntry(Shape):
    code_insee: Insee92
    nom: Text
    codes_postaux: List[Text]
    alias: List[Text] = []

    @validator("codes_postaux")
    def _some_code(cls, codes):
        if not codes:
            raise ValueError("at least one postal code is needed")
        return codes

    @validator("codes_postaux", each_item=True)
    def _postal_of_92(cls, code):
        if not re.match(POSTAL, code) or not code.startswith("92"):
            raise ValueError(f"invalid postal code {code!r} (expected 92xxx)")
        return code


class CommuneReference(Shape):
    communes: Text
    codes_postaux: Text
    note: Optional[Text] = None


class MultiCommuneEntry(Shape):
    nom: Text
    communes: List[Text]
    alias: List[Text] = []
    note: Optional[Text] = None


class DepartementRef(Shape):
    code: Text
    nom: Text


class CommunesFile(Shape):
    reference: Optional[CommuneReference] = None
    departement: Optional[DepartementRef] = None
    communes: List[CommuneEntry]
    lieux_multi_communes: List[MultiCommuneEntry] = []

    @validator("reference", always=True)
    def _reference_recorded(cls, ref):
        if ref is None:
            raise ValueError("the public reference used (`communes`, `codes_postaux`) must be recorded")
        return ref


# --- hors_departement.yml -------------------------------------------------------

class OutsidePlaceEntry(Shape):
    nom: Text
    departement: Text
    alias: List[Text] = []

    @validator("departement")
    def _not_92(cls, dep):
        if dep == "92":
            raise ValueError("a place of the 92 belongs in communes.yml")
        return dep


class OutsideFile(Shape):
    lieux: List[OutsidePlaceEntry]


# --- services.yml ---------------------------------------------------------------

class ProfessionEntry(Shape):
    id: Slug
    libelle: Text
    libelle_pluriel: Text
    mots_cles: List[Text] = []


class NeedEntry(Shape):
    libelle: Text
    mots_cles: List[Text]


class ServiceEntry(Shape):
    id: Slug
    nom: Text
    description: Text
    nom_facile: Text
    description_facile: Text
    categorie: Text
    source: Text
    date_maj: IsoDate
    thematiques: List[Text]
    publics: List[Text] = []
    metiers: List[Text]
    besoins: List[NeedEntry]

    @validator("categorie")
    def _known_category(cls, value):
        if value not in SERVICE_CATEGORIES:
            raise ValueError(f"unknown category {value!r} (expected one of {', '.join(SERVICE_CATEGORIES)})")
        return value

    @validator("thematiques", each_item=True)
    def _v1_thematique(cls, value):
        if value not in THEMATIQUES:
            raise ValueError(f"{value!r} is not a data·inclusion v1 thematique")
        return value

    @validator("publics", each_item=True)
    def _v1_public(cls, value):
        if value not in PUBLICS:
            raise ValueError(f"{value!r} is not a data·inclusion v1 public")
        return value


class AdjacentQuestionEntry(Shape):
    id: Slug
    mots_cles: List[Text]
    sauf: List[Text] = []
    reponse: Text
    reponse_facile: Text
    service: Text


class ServicesFile(Shape):
    metiers: List[ProfessionEntry]
    services: List[ServiceEntry]
    questions_voisines: List[AdjacentQuestionEntry] = []


# --- structures.yml -------------------------------------------------------------

class HubProvenance(Shape):
    """Provenance of a hub's scalar facts: one key per fact (see HUB_FACT_FIELDS)."""

    class Config:
        extra = "forbid"

    nom: Provenances = None
    description: Provenances = None
    adresse: Provenances = None
    complement_adresse: Provenances = None
    code_postal: Provenances = None
    commune: Provenances = None
    code_insee: Provenances = None
    telephone: Provenances = None
    courriel: Provenances = None
    site_web: Provenances = None
    accessibilite: Provenances = None
    horaires_accueil: Provenances = None
    url_service_public: Provenances = None
    latitude: Provenances = None
    longitude: Provenances = None
    reseaux_porteurs: Provenances = None
    date_ouverture: Provenances = None


# Scalar hub fields that are facts and so need a provenance when set.
HUB_FACT_FIELDS = tuple(HubProvenance.__fields__)


class ServedCommune(Shape):
    code_insee: InseeCode
    provenance: Provenances = None


class Transport(Shape):
    mode: Text
    ligne: Text
    arret: Text
    provenance: Provenances = None


class IdWithProvenance(Shape):
    id: Text
    provenance: Provenances = None


class LabelWithProvenance(Shape):
    libelle: Text
    provenance: Provenances = None


class NamedWithProvenance(Shape):
    nom: Text
    provenance: Provenances = None


class Facility(LabelWithProvenance):
    categorie: Text
    quantite: Optional[StrictInt] = None


class PublicEntry(LabelWithProvenance):
    code: Optional[Text] = None


class HubExtensions(Shape):
    date_ouverture: Optional[IsoDate] = None
    communes_desservies: List[ServedCommune]
    transports: List[Transport]
    services: List[IdWithProvenance]
    metiers: List[IdWithProvenance]
    equipements: List[Facility]
    partenaires: List[NamedWithProvenance]
    reseau_local: List[LabelWithProvenance] = []
    inauguration: List[LabelWithProvenance] = []
    publics: List[PublicEntry] = []
    noms_usuels: List[NamedWithProvenance] = []

    @validator("communes_desservies")
    def _serves_some(cls, served):
        if not served:
            raise ValueError("a hub must serve at least one commune")
        return served


class StructureEntry(Shape):
    id: Slug
    source: Text
    nom: Text
    description: Text
    date_maj: IsoDate
    adresse: Text
    complement_adresse: Optional[Text] = None
    code_postal: PostalCode
    commune: Text
    code_insee: InseeCode
    telephone: Optional[Text] = None
    courriel: Optional[Text] = None
    site_web: Optional[Text] = None
    # access for people with reduced mobility, as the source says it
    accessibilite: Optional[Text] = None
    # set by `python -m knowledge import annuaire`: the record's page on
    # service-public.fr and the address's coordinates (strings, as given)
    url_service_public: Optional[Text] = None
    latitude: Optional[Text] = None
    longitude: Optional[Text] = None
    horaires_accueil: Text
    reseaux_porteurs: List[Text] = []
    provenance: HubProvenance = HubProvenance()
    extensions: HubExtensions

    @validator("reseaux_porteurs", each_item=True)
    def _v1_reseau(cls, value):
        if value not in RESEAUX_PORTEURS:
            raise ValueError(f"{value!r} is not a data·inclusion v1 reseau porteur")
        return value


class StructuresFile(Shape):
    structures: List[StructureEntry]


# --- helplines.yml --------------------------------------------------------------

class HelplineEntry(Shape):
    numero: HelplineNumber
    nom: Text
    objet: Text
    horaires: Text
    reference: Text
    gratuit: StrictBool
    canaux: List[Text]
    precisions: Sentence = Sentence("")


class Situations(Shape):
    """Numbers to give, in order, for each situation (see loader.SITUATIONS)."""

    class Config:
        extra = "forbid"

    violence: List[Text]
    child: List[Text]
    suicide: List[Text]
    no_shelter: List[Text]
    medical: List[Text]
    cannot_speak: List[Text]


class HelplineReference(Shape):
    titre: Text
    site: Text


class HelplinesFile(Shape):
    numeros: List[HelplineEntry]
    reference: Optional[List[HelplineReference]] = None
    situations: Situations

    @validator("reference", always=True)
    def _references_recorded(cls, refs):
        if not refs:
            raise ValueError("the public references used must be recorded")
        return refs


# --- departement.yml ------------------------------------------------------------

class DatedSiteEntry(Shape):
    commune: Text
    annee: Optional[StrictInt] = None
    mois: Optional[StrictInt] = None
    provenance: Provenances = None


class Modernisation(LabelWithProvenance):
    note_travaux: Optional[Text] = None
    sites_modernises: List[DatedSiteEntry]
    poles_en_travaux: List[DatedSiteEntry]


class BudgetEntry(Shape):
    id: Text
    libelle: Text
    montant_eur: StrictInt
    annee: Optional[StrictInt] = None
    provenance: Provenances = None


class ProximityGoal(LabelWithProvenance):
    pole_social_minutes: StrictInt
    antenne_minutes: StrictInt


class DepartementFile(Shape):
    departement: DepartementRef
    modernisation: Modernisation
    budgets: List[BudgetEntry]
    projets_finances: List[LabelWithProvenance]
    objectif_proximite: ProximityGoal
    publics_prioritaires: LabelWithProvenance


# --- one model per file ---------------------------------------------------------

# --- fermetures.yml -------------------------------------------------------------

CLOSURE_HOURS = r"^\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})?$"  # checked by the loader


class ClosureEntry(Shape):
    """A temporary closure, or exceptional hours when `horaires` is set
    (written by `python -m knowledge closure add`)."""
    id: Slug
    structure_id: Slug
    du: IsoDate
    au: IsoDate
    motif: Text
    horaires: Optional[Text] = None  # "08:30-12:00[,13:30-16:00]"; absent = closed
    ajoute_par: Text
    ajoute_le: Text  # ISO 8601 date-time


class ClosuresFile(Shape):
    fermetures: List[ClosureEntry] = []


FILE_MODELS: dict[str, Type[Shape]] = {
    "communes.yml": CommunesFile,
    "hors_departement.yml": OutsideFile,
    "structures.yml": StructuresFile,
    "services.yml": ServicesFile,
    "helplines.yml": HelplinesFile,
    "departement.yml": DepartementFile,
    "fermetures.yml": ClosuresFile,
}


# --- errors in the project's words ----------------------------------------------

def field_path(loc: tuple) -> str:
    """('communes', 0, 'codes_postaux', 2) -> 'communes[0].codes_postaux[2]'."""
    out = ""
    for part in loc:
        if part == "__root__":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_ABSENT = object()


def _value_at(doc: Any, loc: tuple) -> Any:
    for part in loc:
        if part == "__root__":
            continue
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list) and isinstance(part, int) and 0 <= part < len(doc):
            doc = doc[part]
        else:
            return _ABSENT
    return doc


def _missing(field: Optional[ModelField]) -> str:
    if field is not None and field.shape == SHAPE_LIST:
        return "missing (expected a list)"
    kind = field.type_ if field is not None else None
    if isinstance(kind, type) and issubclass(kind, int) and not issubclass(kind, bool):
        return "missing (expected an integer)"
    if isinstance(kind, type) and issubclass(kind, date):
        return "missing (expected a date YYYY-MM-DD)"
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return "missing (expected a mapping)"
    return "missing or empty"


def _message(error: dict, value: Any, model: Type[BaseModel]) -> str:
    """`value` is the offending part of the document, `model` the file's model."""
    kind, ctx = error["type"], error.get("ctx") or {}
    got = type(value).__name__
    if kind in ("value_error.missing", "type_error.none.not_allowed"):
        return _missing(_field_at(model, error["loc"]))
    if kind == "value_error.any_str.min_length":
        return "missing or empty"
    if kind == "type_error.str":
        return f"expected a string, got {got} {value!r}"
    if kind == "type_error.list":
        return f"expected a list, got {got}"
    if kind == "type_error.dict":
        return f"expected a mapping, got {got}"
    if kind == "type_error.integer":
        return f"expected an integer, got {value!r}"
    if kind in ("type_error.bool", "value_error.strictbool"):
        return f"expected true/false, got {value!r}"
    if kind == "value_error.str.regex":
        return f"invalid value {value!r} (expected {ctx.get('pattern')})"
    if kind == "value_error.extra":
        known = _model_at(model, error["loc"][:-1])
        return "unknown field" + (f" (expected one of {', '.join(known.__fields__)})" if known else "")
    return error["msg"]


def _model_at(model: Type[BaseModel], loc: tuple) -> Optional[Type[BaseModel]]:
    """The model describing the document at `loc` (None if it is not a mapping)."""
    for part in loc:
        if isinstance(part, int) or part == "__root__":
            continue
        field = model.__fields__.get(part)
        if field is None or not (isinstance(field.type_, type) and issubclass(field.type_, BaseModel)):
            return None
        model = field.type_
    return model


def _field_at(model: Type[BaseModel], loc: tuple) -> Optional[ModelField]:
    """The field declared for the last key of `loc`, if it is a key."""
    if not loc or not isinstance(loc[-1], str):
        return None
    holder = _model_at(model, loc[:-1])
    return holder.__fields__.get(loc[-1]) if holder is not None else None


def format_errors(file: str, exc: ValidationError, doc: Any) -> list[str]:
    """The errors of one file as "<file>: <field path>: <message>"."""
    out = []
    for error in exc.errors():
        path = field_path(error["loc"])
        message = _message(error, _value_at(doc, error["loc"]), exc.model)
        out.append(f"{file}: {path}: {message}" if path else f"{file}: {message}")
    return out


def validate_file(name: str, doc: Any, file: str, errors: list[str]) -> Optional[Shape]:
    """The model of data file `name` (e.g. "communes.yml"), or None after
    appending its shape errors (shown against `file`) to `errors`."""
    try:
        return FILE_MODELS[name].parse_obj(doc)
    except ValidationError as exc:
        errors.extend(format_errors(file, exc, doc))
        return None
