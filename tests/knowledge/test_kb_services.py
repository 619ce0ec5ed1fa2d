"""Needs in plain words -> services, professions, hubs; helplines."""
from __future__ import annotations

import pytest

from knowledge import SITUATIONS

FAMILIES = ["pmi", "sante-sexuelle", "action-sociale-insertion", "aide-sociale-enfance"]


@pytest.mark.parametrize(
    "need,service_id",
    [
        ("je suis enceinte", "pmi"),
        ("suivi de grossesse", "pmi"),
        ("les vaccins de mon bébé", "pmi"),
        ("peser mon nourrisson", "pmi"),
        ("j'ai des questions sur l'allaitement", "pmi"),
        ("je voudrais une contraception", "sante-sexuelle"),
        ("la pilule du lendemain", "sante-sexuelle"),
        ("je veux faire une IVG", "sante-sexuelle"),
        ("je suis enceinte et je veux interrompre ma grossesse", "sante-sexuelle"),
        ("faire un dépistage", "sante-sexuelle"),
        ("test VIH", "sante-sexuelle"),
        ("comment toucher le RSA", "action-sociale-insertion"),
        ("je cherche du travail", "action-sociale-insertion"),
        ("j'ai des dettes", "action-sociale-insertion"),
        ("je n'arrive plus à payer mon loyer", "action-sociale-insertion"),
        ("problème de budget", "action-sociale-insertion"),
        ("on va être expulsés", "action-sociale-insertion"),
        ("mon enfant est en danger", "aide-sociale-enfance"),
        ("protection de l'enfance", "aide-sociale-enfance"),
        ("mon ado a fugué", "aide-sociale-enfance"),
        ("faire mes démarches en ligne", "numerique"),
        ("je n'ai pas d'ordinateur", "numerique"),
    ],
)
def test_need_leads_to_service(kb, need, service_id):
    matches = kb.services_for_need(need)
    assert matches, need
    assert matches[0].service.id == service_id, [(m.service.id, m.need) for m in matches]
    assert matches[0].matched


@pytest.mark.parametrize("need", ["bonjour", "merci", "quels sont vos horaires ?", ""])
def test_no_service_for_small_talk(kb, need):
    assert kb.services_for_need(need) == []


def test_profession_leads_to_the_services_where_it_works(kb):
    ids = {m.service.id for m in kb.services_for_need("je voudrais voir une sage-femme")}
    assert ids == {"pmi", "sante-sexuelle"}


def test_match_lists_professions(kb):
    (first, *_) = kb.services_for_need("je suis enceinte")
    assert "sage-femme" in {p.id for p in first.professions}


def test_both_hubs_offer_the_four_families_and_digital_access(kb):
    for service_id in FAMILIES + ["numerique"]:
        assert {h.id for h in kb.hubs_offering(service_id)} == {
            "pole-social-issy-les-moulineaux", "pole-social-asnieres-sur-seine"}
    assert kb.hubs_offering("cantine") == ()
    assert [s.id for s in kb.services if s.is_family] == FAMILIES


def test_digital_facilities_per_hub(kb):
    asnieres = [f.label for f in kb.hub("pole-social-asnieres-sur-seine").digital_facilities]
    assert any("4 PC" in label for label in asnieres)
    assert any("démarches en ligne" in label for label in asnieres)
    issy = [f.label for f in kb.hub("pole-social-issy-les-moulineaux").digital_facilities]
    assert issy == ["1 salle multimédia et 1 espace numérique"]


def test_every_hub_profession_is_known(kb):
    known = {p.id for p in kb.professions}
    for hub in kb.hubs:
        assert len(hub.professions) == 12 and set(hub.professions) <= known
    assert kb.service("pmi").name.startswith("Protection maternelle")
    assert kb.service("nope") is None


def test_helplines_are_the_nine_national_numbers(kb):
    assert {h.number for h in kb.helplines} == {"119", "3919", "3114", "115", "15", "17", "18", "112", "114"}
    for line in kb.helplines:
        assert line.free and "24h/24" in line.hours and line.purpose and line.reference


@pytest.mark.parametrize(
    "situation,first",
    [("violence", "3919"), ("child", "119"), ("suicide", "3114"), ("no_shelter", "115"),
     ("medical", "15"), ("cannot_speak", "114")],
)
def test_helplines_for_situation(kb, situation, first):
    lines = kb.helplines_for(situation)
    assert lines[0].number == first
    assert len({line.number for line in lines}) == len(lines)


def test_every_situation_is_answered_and_unknown_ones_refused(kb):
    assert set(SITUATIONS) == {"violence", "child", "suicide", "no_shelter", "medical", "cannot_speak"}
    assert "112" in [h.number for h in kb.helplines_for("violence")]
    assert "sms" in kb.helpline("114").channels
    with pytest.raises(KeyError):
        kb.helplines_for("weather")


def test_osm_url_is_built_from_the_address(kb):
    hub = kb.hub("pole-social-asnieres-sur-seine")
    assert hub.full_address == "4 rue Teddy Riner, 92600 Asnières-sur-Seine"
    assert hub.osm_url == "https://www.openstreetmap.org/search?query=4+rue+Teddy+Riner%2C+92600+Asni%C3%A8res-sur-Seine"


def test_numbers_quoted_in_service_descriptions_are_known_helplines(kb):
    import re

    known = {h.number for h in kb.helplines}
    for service in kb.services:
        for number in re.findall(r"\ble (\d{2,4})\b", service.description):
            assert number in known, (service.id, number)


def test_key_facility_figures(kb):
    def quantities(hub_id):
        return {f.category: f.quantity for f in kb.hub(hub_id).facilities if f.quantity is not None}

    issy = quantities("pole-social-issy-les-moulineaux")
    assert issy == {"etages": 4, "bureaux-entretien": 12, "numerique": 2, "mediation-parents-enfants": 3,
                    "cabinets-medicaux": 2, "cabinet-sage-femme": 1, "postes-travail": 100}
    asnieres = quantities("pole-social-asnieres-sur-seine")
    assert asnieres == {"etages": 7, "bureaux-entretien": 10, "numerique": 2, "mediation-parents-enfants": 3,
                        "cabinets-medicaux": 4, "postes-travail": 96}
    assert [p.label for p in kb.hub("pole-social-asnieres-sur-seine").partners] == [
        "Maison France Service", "Centre social Louise Michel"]
    assert kb.hub("pole-social-issy-les-moulineaux").partners == ()


# --- keywords and the guess learnt from real messages ------------------------------

from knowledge.services import choose_service  # noqa: E402

SERVICE_IDS = ["pmi", "sante-sexuelle", "action-sociale-insertion", "aide-sociale-enfance", "numerique"]
GUESS = [{"name": "action-sociale-insertion", "probability": 0.5},
         {"name": "sante-sexuelle", "probability": 0.1}]


def test_a_short_message_naming_its_need_keeps_the_keywords_service():
    assert choose_service("sante-sexuelle", GUESS, SERVICE_IDS, short=True) == "sante-sexuelle"


def test_in_a_long_message_a_confident_guess_overrides_an_implausible_keyword():
    assert choose_service("sante-sexuelle", GUESS, SERVICE_IDS) == "action-sociale-insertion"


def test_the_guess_alone_needs_confidence():
    weak = [{"name": "pmi", "probability": 0.25}]
    assert choose_service(None, weak, SERVICE_IDS) is None
    assert choose_service(None, GUESS, SERVICE_IDS) == "action-sociale-insertion"
