"""Channels are switched on by variables only, never half configured, and what
they send fits the platform (no servers here)."""
import pytest

from bot import credentials, settings
from bot.channel_messages import TEXT_ONLY
from bot.messaging.base import chosen_option, numbered_options, plain_text, split_text
from bot.messaging.senders import pseudonym

KEY = "cle-de-test-exemple-0123456789"
TELEGRAM = {"TELEGRAM_ACCESS_TOKEN": "123456:EXEMPLE", "TELEGRAM_SECRET_TOKEN": "secret", "SENDER_HASH_KEY": KEY}


def test_no_variable_no_channel_and_the_repository_credentials():
    conf = settings.load({})
    assert conf.channels == ()
    assert credentials.path_for(conf) == credentials.DEFAULT_FILE
    assert credentials.describe(conf) == "web (REST, socket.io)"


def test_a_channel_is_on_with_its_variables_and_no_secret_is_written():
    conf = settings.load(TELEGRAM)
    assert conf.channels == ("telegram",)
    text = credentials.path_for(conf).read_text()
    assert "bot.messaging.telegram.TelegramInput:" in text and "secret_token: ${TELEGRAM_SECRET_TOKEN}" in text
    assert "123456:EXEMPLE" not in text and KEY not in text  # values stay in the environment
    assert "bot.channels.RestInput:" in text  # the web channels stay on
    assert credentials.env_for(conf) == {"TELEGRAM_API_URL": "https://api.telegram.org"}
    assert "telegram" in credentials.describe(conf)


@pytest.mark.parametrize("env, message", [
    ({"TELEGRAM_ACCESS_TOKEN": "x", "SENDER_HASH_KEY": KEY}, "TELEGRAM_SECRET_TOKEN is not"),
    ({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "SENDER_HASH_KEY": KEY},
     "TWILIO_NUMBER, TWILIO_WEBHOOK_URL are not"),
    ({**TELEGRAM, "SENDER_HASH_KEY": ""}, "SENDER_HASH_KEY"),
    ({**TELEGRAM, "SENDER_HASH_KEY": "court"}, "at least 16 characters"),
])
def test_a_half_configured_channel_refuses_to_start(env, message):
    with pytest.raises(SystemExit) as exc:
        settings.load(env)
    assert message in str(exc.value)


def test_pseudonyms_are_stable_keyed_and_per_channel():
    one = pseudonym(KEY, "twilio", "+33612000001")
    assert one == pseudonym(KEY, "twilio", "+33612000001")  # the conversation continues
    assert one.startswith("twilio-") and "612000001" not in one
    assert one != pseudonym("une-autre-cle-exemple-000", "twilio", "+33612000001")
    assert one != pseudonym(KEY, "twilio", "+33612000002")
    assert pseudonym(KEY, "slack", "x") != pseudonym(KEY, "telegram", "x")


def test_long_replies_are_split_at_sentence_boundaries_within_the_limit():
    sentences = [f"Phrase numéro {i} du message, assez longue pour compter vraiment." for i in range(60)]
    parts = split_text(" ".join(sentences), 1600)
    assert len(parts) > 1 and all(len(p) <= 1600 for p in parts)
    assert all(p.rstrip().endswith(".") for p in parts)  # never cut inside a sentence
    assert " ".join(parts).replace("\n", " ").split() == " ".join(sentences).split()  # nothing lost
    word_soup = split_text("mot " * 1000, 300)  # one endless sentence: cut between words
    assert all(len(p) <= 300 for p in word_soup) and all(not p.startswith(" ") for p in word_soup)
    assert split_text("Court.", 1600) == ["Court."]


def test_no_markdown_or_html_is_shown_raw_and_links_stay_plain():
    assert plain_text("**Important** : voir [le plan](https://www.openstreetmap.org/search?query=x)") == \
        "Important : voir le plan : https://www.openstreetmap.org/search?query=x"
    assert plain_text("<b>Adresse</b><br>4 rue Teddy Riner") == "Adresse4 rue Teddy Riner"
    assert plain_text("Plan : https://www.openstreetmap.org/search?query=13-15+rue") == \
        "Plan : https://www.openstreetmap.org/search?query=13-15+rue"


def test_numbered_options_and_the_number_that_chooses_one():
    text = numbered_options([{"title": "Où aller ?", "payload": "/find_hub"},
                             {"title": "Horaires", "payload": "/ask_hours"},
                             {"title": "Services", "payload": "/list_services"}])
    assert text == "Répondez 1, 2 ou 3 :\n1. Où aller ?\n2. Horaires\n3. Services"
    assert [chosen_option(t) for t in ("2", " 2 ", "2.", "3)", "deux", "12 rue", "")] == [2, 2, 2, 3, None, None, None]


def test_the_text_only_reply_keeps_the_emergency_number():
    assert "112" in TEXT_ONLY
