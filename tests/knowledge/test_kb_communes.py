"""Free text -> commune of the 92 -> hub (or why not)."""
from __future__ import annotations

import pytest

from knowledge import KnowledgeBase

ISSY_HUB = "pole-social-issy-les-moulineaux"
ASNIERES_HUB = "pole-social-asnieres-sur-seine"

# INSEE COG + La Poste, written independently of knowledge/data/communes.yml.
ALL_COMMUNES = [
    ("92002", "Antony", ["92160"]),
    ("92004", "Asnières-sur-Seine", ["92600"]),
    ("92007", "Bagneux", ["92220"]),
    ("92009", "Bois-Colombes", ["92270"]),
    ("92012", "Boulogne-Billancourt", ["92100"]),
    ("92014", "Bourg-la-Reine", ["92340"]),
    ("92019", "Châtenay-Malabry", ["92290"]),
    ("92020", "Châtillon", ["92320"]),
    ("92022", "Chaville", ["92370"]),
    ("92023", "Clamart", ["92140"]),
    ("92024", "Clichy", ["92110"]),
    ("92025", "Colombes", ["92700"]),
    ("92026", "Courbevoie", ["92400"]),
    ("92032", "Fontenay-aux-Roses", ["92260"]),
    ("92033", "Garches", ["92380"]),
    ("92035", "La Garenne-Colombes", ["92250"]),
    ("92036", "Gennevilliers", ["92230"]),
    ("92040", "Issy-les-Moulineaux", ["92130"]),
    ("92044", "Levallois-Perret", ["92300"]),
    ("92046", "Malakoff", ["92240"]),
    ("92047", "Marnes-la-Coquette", ["92430"]),
    ("92048", "Meudon", ["92190", "92360"]),
    ("92049", "Montrouge", ["92120"]),
    ("92050", "Nanterre", ["92000"]),
    ("92051", "Neuilly-sur-Seine", ["92200"]),
    ("92060", "Le Plessis-Robinson", ["92350"]),
    ("92062", "Puteaux", ["92800"]),
    ("92063", "Rueil-Malmaison", ["92500"]),
    ("92064", "Saint-Cloud", ["92210"]),
    ("92071", "Sceaux", ["92330"]),
    ("92072", "Sèvres", ["92310"]),
    ("92073", "Suresnes", ["92150"]),
    ("92075", "Vanves", ["92170"]),
    ("92076", "Vaucresson", ["92420"]),
    ("92077", "Ville-d'Avray", ["92410"]),
    ("92078", "Villeneuve-la-Garenne", ["92390"]),
]
# From the press releases only.
SERVED = {
    "92040": ISSY_HUB, "92023": ISSY_HUB, "92048": ISSY_HUB, "92075": ISSY_HUB,
    "92004": ASNIERES_HUB, "92036": ASNIERES_HUB,
}


def test_reference_has_exactly_the_36_communes(kb: KnowledgeBase):
    assert sorted((c.insee, c.name, list(c.postal_codes)) for c in kb.communes) == sorted(ALL_COMMUNES)


@pytest.mark.parametrize("insee,name,codes", ALL_COMMUNES, ids=[c[1] for c in ALL_COMMUNES])
def test_every_commune_name_resolves_with_the_right_outcome(kb, insee, name, codes):
    match = kb.resolve_commune(name)
    assert match.commune is not None and match.commune.insee == insee
    if insee in SERVED:
        assert match.status == "served" and match.hub.id == SERVED[insee]
    else:
        # A 92 commune whose hub is not in the sources: never another hub.
        assert match.status == "uncovered" and match.hub is None
    assert match.in_department


@pytest.mark.parametrize(
    "insee,code",
    [(insee, code) for insee, _, codes in ALL_COMMUNES for code in codes],
)
def test_every_postal_code_resolves(kb, insee, code):
    match = kb.resolve_commune(code)
    assert match.commune is not None and match.commune.insee == insee
    assert match.postal_code == code
    assert (match.hub.id if match.hub else None) == SERVED.get(insee)


@pytest.mark.parametrize(
    "text,insee",
    [
        # spellings: case, accents, hyphens, spaces, short forms
        ("ISSY-LES-MOULINEAUX", "92040"),
        ("issy les moulineaux", "92040"),
        ("issylesmoulineaux", "92040"),
        ("Issy", "92040"),
        ("issy les mx", "92040"),
        ("asnieres", "92004"),
        ("Asnières sur Seine", "92004"),
        ("asnieres s/ seine", "92004"),
        ("GENNEVILLIERS", "92036"),
        ("clamart", "92023"),
        ("Meudon-la-Forêt", "92048"),
        ("meudon la foret", "92048"),
        ("vanves", "92075"),
        # typos
        ("issi les moulineaux", "92040"),
        ("Isy-les-Moulineaux", "92040"),
        ("issy les moulinaux", "92040"),
        ("asniere", "92004"),
        ("asnière-sur-seine", "92004"),
        ("anieres sur seine", "92004"),
        ("genevilliers", "92036"),
        ("gennevillier", "92036"),
        ("clammart", "92023"),
        ("clamar", "92023"),
        ("meudonn", "92048"),
        ("vanvves", "92075"),
        # sentences, SMS style
        ("bonjour j'habite a issy les moulineaux, ou dois je aller ?", "92040"),
        ("jhabite a clamart", "92023"),
        ("slt g demenagé a vanves ya un pole ?", "92075"),
        ("Je vis à Gennevilliers depuis 2 ans", "92036"),
        ("moi c à asnieres", "92004"),
        ("j'habite à Meudon la Forêt, 92360", "92048"),
        ("j'habite a issy mais je travaille a paris", "92040"),
        ("92 130", "92040"),
        ("mon code postal est le 92600", "92004"),
    ],
)
def test_served_communes_in_many_spellings(kb, text, insee):
    match = kb.resolve_commune(text)
    assert match.status == "served", match
    assert match.commune.insee == insee
    assert match.hub.id == SERVED[insee]


@pytest.mark.parametrize(
    "text,insee",
    [
        ("Boulogne", "92012"),
        ("boulogne billancourt", "92012"),
        ("Rueil", "92063"),
        ("Neuilly", "92051"),
        ("Levallois", "92044"),
        ("Le Plessis", "92060"),
        ("plessis robinson", "92060"),
        ("Châtenay", "92019"),
        ("chatenay malabry", "92019"),
        ("Villeneuve", "92078"),
        ("Garenne-Colombes", "92035"),
        ("la garenne colombes", "92035"),
        ("garenne colombe", "92035"),
        ("bois colombes", "92009"),
        ("Colombes", "92025"),
        ("Fontenay", "92032"),
        ("BLR", "92014"),
        ("bourg la reine", "92014"),
        ("St Cloud", "92064"),
        ("st-cloud", "92064"),
        ("ville d avray", "92077"),
        ("Clichy la Garenne", "92024"),
        ("j'habite à Nanterre", "92050"),
        ("anthony", "92002"),
        ("sevres", "92072"),
        ("chatillon", "92020"),
        ("montrouge", "92049"),
    ],
)
def test_uncovered_communes_never_get_a_hub(kb, text, insee):
    match = kb.resolve_commune(text)
    assert match.status == "uncovered", match
    assert match.commune.insee == insee
    assert match.hub is None


@pytest.mark.parametrize(
    "text,place",
    [
        ("Paris", "Paris"),
        ("j'habite à paris 15e", "Paris"),
        ("75015", "Paris"),
        ("Lyon", "Lyon"),
        ("Versailles", "Versailles"),
        ("versaille", "Versailles"),
        ("Saint-Denis", "Saint-Denis"),
        ("st denis", "Saint-Denis"),
        ("93200", "93200"),
        ("Boulogne-sur-Mer", "Boulogne-sur-Mer"),
        ("Clichy-sous-Bois", "Clichy-sous-Bois"),
        ("Neuilly-sur-Marne", "Neuilly-sur-Marne"),
        ("Fontenay-sous-Bois", "Fontenay-sous-Bois"),
        ("Villeneuve-Saint-Georges", "Villeneuve-Saint-Georges"),
        ("je suis à Montreuil", "Montreuil"),
        ("78000", "78000"),
        ("97400", "97400"),
    ],
)
def test_places_outside_the_92(kb, text, place):
    match = kb.resolve_commune(text)
    assert match.status == "outside", match
    assert match.place == place
    assert match.commune is None and match.hub is None
    assert not match.in_department


def test_outside_postal_code_gives_the_departement(kb):
    assert kb.resolve_commune("93200").departement == "93"
    assert kb.resolve_commune("97400").departement == "974"
    assert kb.resolve_commune("Versailles").departement == "78"


COMMON_SENTENCES = [
    "", "   ", "bonjour", "Bonjour !", "je veux des horaires", "merci beaucoup", "au revoir",
    "oui", "non", "c'est ouvert samedi ?", "quelle est l'adresse ?", "je m'appelle Anthony",
    "un seau d'eau", "je me suis tordu la cheville", "les poteaux électriques", "un vieux cliché",
    "les vannes du barrage", "j'ai besoin d'aide", "mon enfant est malade", "je cherche un travail",
    "où est le pôle social le plus proche ?", "je voudrais un rendez-vous avec une assistante sociale",
    "il y a des marches à l'entrée ?", "c'est quoi les horaires d'ouverture", "demain matin",
    "lundi prochain", "aidez moi svp", "je suis enceinte", "la défense de mes droits",
    "mon numéro est le 06 12 34 56 78", "j'ai 3 enfants de 2, 5 et 9 ans", "toulouse",
]


@pytest.mark.parametrize("text", [s for s in COMMON_SENTENCES if s.lower() != "toulouse"])
def test_ordinary_words_are_not_communes(kb, text):
    match = kb.resolve_commune(text)
    assert match.status == "unknown", match
    assert match.commune is None and match.hub is None and match.place is None


def test_unknown_92_postal_code_is_not_a_commune(kb):
    match = kb.resolve_commune("92999")
    assert match.status == "unknown"
    assert match.postal_code == "92999"
    assert match.commune is None


def test_place_spanning_several_communes_is_ambiguous(kb):
    match = kb.resolve_commune("je travaille à la Défense")
    assert match.status == "ambiguous"
    assert {c.name for c in match.candidates} == {"Courbevoie", "Puteaux", "Nanterre", "La Garenne-Colombes"}
    assert match.hub is None


def test_two_communes_named_is_ambiguous(kb):
    match = kb.resolve_commune("j'hésite entre Clamart et Colombes")
    assert match.status == "ambiguous"
    assert [c.name for c in match.candidates] == ["Clamart", "Colombes"]
    assert match.commune is None and match.hub is None


def test_name_and_postal_code_that_disagree_is_ambiguous(kb):
    match = kb.resolve_commune("Clamart 92130")
    assert match.status == "ambiguous"
    assert {c.name for c in match.candidates} == {"Clamart", "Issy-les-Moulineaux"}


def test_shared_postal_code_lists_every_commune_and_a_name_settles_it(data_copy, edit_yaml):
    def share_92130_with_vanves(doc):
        vanves = next(c for c in doc["communes"] if c["nom"] == "Vanves")
        vanves["codes_postaux"].append("92130")

    edit_yaml(data_copy, "communes.yml", share_92130_with_vanves)
    kb = KnowledgeBase(data_copy)
    match = kb.resolve_commune("92130")
    assert match.status == "ambiguous"
    assert {c.name for c in match.candidates} == {"Issy-les-Moulineaux", "Vanves"}
    assert match.hub is None
    settled = kb.resolve_commune("Vanves 92130")
    assert settled.status == "served" and settled.commune.name == "Vanves"
    assert {c.name for c in kb.communes_for_postal_code("92130")} == {"Issy-les-Moulineaux", "Vanves"}


def test_a_92_commune_wins_over_a_place_outside(kb):
    match = kb.resolve_commune("je suis de Lyon mais j'habite à Gennevilliers maintenant")
    assert match.status == "served" and match.commune.name == "Gennevilliers"


def test_typo_matches_are_flagged(kb):
    assert kb.resolve_commune("clammart").fuzzy
    assert not kb.resolve_commune("clamart").fuzzy


@pytest.mark.parametrize(
    "text,hub_id",
    [
        ("le pôle d'Asnières", ASNIERES_HUB),
        ("pôle social de Issy", ISSY_HUB),
        ("celui d'Issy", ISSY_HUB),
        ("le pole d issy les moulineaux c'est où ?", ISSY_HUB),
        ("le pôle d'Asnières / Gennevilliers", ASNIERES_HUB),
        ("pole-social-asnieres-sur-seine", ASNIERES_HUB),
        ("le pôle de Clamart", None),  # Clamart has no hub of its own
        ("le pôle de Nanterre", None),
        ("bonjour", None),
    ],
)
def test_find_hub_in_text(kb, text, hub_id):
    hub = kb.find_hub_in_text(text)
    assert (hub.id if hub else None) == hub_id


def test_hub_lookups(kb):
    assert {h.id for h in kb.hubs} == {ISSY_HUB, ASNIERES_HUB}
    assert kb.hub(ISSY_HUB).city == "Issy-les-Moulineaux"
    assert kb.hub("nope") is None
    for insee, hub_id in SERVED.items():
        assert kb.hub_for_insee(insee).id == hub_id
    assert kb.hub_for_insee("92050") is None
    assert [c.name for c in kb.communes_served(ISSY_HUB)] == ["Issy-les-Moulineaux", "Clamart", "Meudon", "Vanves"]
    assert [c.name for c in kb.communes_served(ASNIERES_HUB)] == ["Asnières-sur-Seine", "Gennevilliers"]


def _variants(name: str) -> list[str]:
    from knowledge.text import strip_accents

    plain = strip_accents(name)
    return [
        name.upper(),
        plain.lower(),
        plain.replace("-", " ").replace("'", " "),
        plain.replace("-", "").replace("'", "").replace(" ", "").lower(),
        f"bonjour, j'habite à {name} depuis peu",
    ]


@pytest.mark.parametrize(
    "insee,text",
    [(insee, v) for insee, name, _ in ALL_COMMUNES for v in _variants(name)],
)
def test_every_commune_in_any_case_accent_hyphen_spacing(kb, insee, text):
    match = kb.resolve_commune(text)
    assert match.commune is not None and match.commune.insee == insee, match
    assert not match.fuzzy


@pytest.mark.parametrize("text,insee", [
    ("jhabite vanve", "92075"),
    ("chui a clamar", "92023"),
    ("saint clou", "92064"),
    ("levalois", "92044"),
    ("boulogne bilancourt", "92012"),
    ("courbevois", "92026"),
    ("malakof", "92046"),
    ("rueil malmaisson", "92063"),
])
def test_sms_style_and_typos_in_uncovered_communes(kb, text, insee):
    match = kb.resolve_commune(text)
    assert match.commune is not None and match.commune.insee == insee, match
    assert match.fuzzy


def test_a_huge_message_is_answered_quickly(kb):
    import time

    started = time.perf_counter()
    match = kb.resolve_commune("blabla " * 50_000 + "Clamart")
    assert time.perf_counter() - started < 2.0
    assert match.status == "unknown"  # only the beginning of a message is read
    assert kb.resolve_commune("Clamart " + "blabla " * 50_000).commune.name == "Clamart"
