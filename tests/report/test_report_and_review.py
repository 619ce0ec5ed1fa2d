"""`python -m bot report` and `python -m bot review` on tracker events, without
servers: exact figures, masking, danger texts never shown, valid training data."""
import json

import pytest
import yaml

from bot.report import build, mask, render_html
from bot.responses import domain_intents
from bot.review import intents_offered, review
from knowledge import get_knowledge

T0 = 1_795_000_000.0  # 2026-11-18


def user(sender, text, intent, t):
    return (sender, "user", t, json.dumps({"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}))


def bot(sender, response, text, t):
    return (sender, "bot", t, json.dumps({"event": "bot", "text": text, "metadata": {"utter_action": response}}))


def action(sender, name, t):
    return (sender, "action", t, json.dumps({"event": "action", "name": name}))


def slot(sender, name, value, t):
    return (sender, "slot", t, json.dumps({"event": "slot", "name": name, "value": value}))


VIOLENCE = "Si vous subissez des violences, appelez le 3919 (Violences Femmes Info) : gratuit, anonyme, 24h/24 et 7j/7. En cas de danger immédiat, appelez le 17 (police) ou le 112."
EVENTS = [
    user("a", "quel pôle pour Clamart ?", "find_hub", T0), slot("a", "commune", "92023", T0),
    bot("a", "utter_hub_where_commune", "Pour Clamart, adressez-vous au pôle…", T0),
    slot("a", "feedback", "up", T0 + 5),
    user("b", "et pour Nanterre", "inform", T0 + 60), slot("b", "commune", "92050", T0 + 60),
    bot("b", "utter_not_covered", "Pour Nanterre, je n'ai pas encore l'information…", T0 + 60),
    slot("b", "feedback", "down", T0 + 65),
    user("c", "j'habite Paris", "inform", T0 + 120), slot("c", "outside_place", "Paris", T0 + 120),
    user("d", "mon mari me frappe tous les soirs", "nlu_fallback", T0 + 180),
    action("d", "action_fallback", T0 + 180), bot("d", "utter_danger_violence", VIOLENCE, T0 + 180),
    user("e", "blorp zzzt qwerty", "nlu_fallback", T0 + 86400), action("e", "action_fallback", T0 + 86400),
    bot("e", "utter_clarify", "Je n'ai pas bien compris.", T0 + 86400),
    user("f", "rappelez moi au 06 12 34 56 78 ou a jean.exemple@example.org, j'habite 12 rue de l'Exemple",
         "inform", T0 + 86400), action("f", "action_fallback", T0 + 86400),
    user("f", "blorp zzzt qwerty", "nlu_fallback", T0 + 86500), action("f", "action_fallback", T0 + 86500),
]


@pytest.fixture(scope="module")
def report():
    return build(EVENTS, T0 - 10, T0 + 2 * 86400, get_knowledge())


def test_counts_are_exactly_what_was_sent(report):
    assert (report["conversations"], report["messages"]) == (6, 7)
    assert report["intents"] == {"inform": 3, "nlu_fallback": 3, "find_hub": 1}
    assert report["conversations_per_day"] == {"2026-11-18": 4, "2026-11-19": 2}
    assert report["fallbacks_per_day"] == {"2026-11-18": 1, "2026-11-19": 3}
    assert report["communes"] == {"Clamart": {"count": 1, "covered": True},
                                  "Nanterre": {"count": 1, "covered": False}}
    assert report["outside_places"] == {"Paris": 1}
    assert report["helplines"] == {"112": 1, "17": 1, "3919": 1}
    assert report["feedback"] == {"up": 1, "down": 1, "by_intent": {"find_hub": {"up": 1, "down": 0},
                                                                     "inform": {"up": 0, "down": 1}}}
    assert (report["fallbacks"], report["fallback_rate"]) == (4, round(4 / 7, 4))
    assert report["danger_messages"] == 1


def test_unanswered_messages_are_masked_and_danger_texts_never_shown(report):
    assert report["unanswered"] == [
        {"text": "blorp zzzt qwerty", "count": 2},
        {"text": "rappelez moi au [téléphone] ou a [e-mail], j'habite [adresse]", "count": 1},
    ]
    page = render_html(report) + json.dumps(report, ensure_ascii=False)
    assert "frappe" not in page  # the danger message is only counted
    for personal in ("06 12 34 56 78", "jean.exemple", "12 rue de l'Exemple"):
        assert personal not in page


@pytest.mark.parametrize("text, masked", [
    ("mon numéro 0612345678", "mon numéro [téléphone]"),
    ("+33 6 12 34 56 78 svp", "[téléphone] svp"),
    ("écrire à marie.dupont@example.org", "écrire à [e-mail]"),
    ("j'habite 4 bis avenue de l'Exemple à Colombes", "j'habite [adresse] à Colombes"),
    ("mon dossier CAF 1234567", "mon dossier CAF [nombre]"),
    ("sécu 2 84 05 92 123 456", "sécu [nombre]"),
    ("j'ai 3 enfants de 2, 5 et 12 ans, code 92140", "j'ai 3 enfants de 2, 5 et 12 ans, code [nombre]"),
])
def test_personal_data_is_masked(text, masked):
    assert mask(text) == masked


def test_the_page_is_self_contained_and_in_french(report):
    page = render_html(report)
    assert page.startswith("<!doctype html>") and '<html lang="fr">' in page
    assert page.count("data:image/png;base64,") == 6 and "http://" not in page and "https://" not in page
    assert all(tag in page for tag in ("Conversations par jour", "Communes demandées", "Numéros d'urgence",
                                       "Avis des usagers", "Messages non compris"))


def test_review_writes_valid_training_data_and_offers_nothing_twice(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    intents = intents_offered(domain_intents())
    out = tmp_path / "from_review.yml"
    unanswered = [{"text": "blorp zzzt qwerty", "count": 2},
                  {"text": "c ou le pol social de [adresse]", "count": 1},
                  {"text": "il fait beau ?", "count": 1}]
    answers = iter(["", str(intents.index("find_hub") + 1), "x", "o"])  # skip, find_hub, a typo, out of scope
    said = []
    assert review(unanswered, intents, out, ask=lambda _: next(answers), say=said.append) == 2
    assert "Type a number" in "\n".join(said)
    data = load_data(str(out))
    assert {(m.get("intent"), m.get("text")) for m in data.training_examples} == {
        ("find_hub", "c ou le pol social de ADRESSE"), ("out_of_scope", "il fait beau ?")}
    assert set(data.intents) <= set(domain_intents())
    assert yaml.safe_load(out.read_text())["version"] == "3.1"
    # the next review offers only what is left (the skipped one), and q stops
    again = []
    assert review(unanswered, intents, out, ask=lambda _: "q", say=again.append) == 0
    assert "blorp" in again[0] and "il fait beau" not in "\n".join(again)


def test_review_never_offers_a_danger_message():
    rows = [user("d", "mon mari me frappe tous les soirs", "nlu_fallback", T0),
            action("d", "action_fallback", T0), bot("d", "utter_danger_violence", VIOLENCE, T0)]
    assert build(rows, T0 - 1, T0 + 1, get_knowledge())["unanswered"] == []
