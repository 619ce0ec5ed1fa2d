"""Twilio SMS and WhatsApp: form posts as Twilio sends them, signed with
X-Twilio-Signature; replies at the fake REST API (Messages.json), from the
number written to. SMS has no buttons: numbered options, and "2" is understood."""
import base64
import time
import urllib.parse

import pytest

from twilio.request_validator import RequestValidator

from bot import responses
from bot.__main__ import main as bot_cli
from bot.purge import purge
from bot.settings import load as load_settings
from tests.channels.conftest import ASK_COMMUNE, CREDENTIALS, ISSY_STREET, stored_id

pytestmark = pytest.mark.servers

SMS = CREDENTIALS["TWILIO_NUMBER"]
WHATSAPP = "whatsapp:" + CREDENTIALS["TWILIO_WHATSAPP_NUMBER"]
MESSAGES = f"/2010-04-01/Accounts/{CREDENTIALS['TWILIO_ACCOUNT_SID']}/Messages.json"


def form(sender: str, text: str, to: str = SMS) -> dict:
    return {"ToCountry": "FR", "SmsMessageSid": "SM" + "1" * 32, "NumMedia": "0", "SmsSid": "SM" + "1" * 32,
            "SmsStatus": "received", "Body": text, "To": to, "NumSegments": "1", "MessageSid": "SM" + "1" * 32,
            "AccountSid": CREDENTIALS["TWILIO_ACCOUNT_SID"], "From": sender, "ApiVersion": "2010-04-01"}


def post(channels, params: dict, signature: str = None):
    url = channels.webhook("twilio")
    if signature is None:
        signature = RequestValidator(CREDENTIALS["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature:
        headers["X-Twilio-Signature"] = signature
    return channels.post("twilio", urllib.parse.urlencode(params).encode(), headers)


def replies(channels, to: str, wait: int = 0):
    match = lambda c: c.path == MESSAGES and c.form.get("To") == to  # noqa: E731
    return channels.platform.wait_for(match, wait) if wait else channels.platform.calls_matching(match)


def say(channels, sender: str, text: str, to: str = SMS) -> list:
    before = len(replies(channels, sender))
    status, body = post(channels, form(sender, text, to))
    assert status == 200 and "<Response></Response>" in body
    return replies(channels, sender, wait=before + 1)[before:]


def test_an_sms_conversation_commune_then_hours(channels):
    phone = "+33612000001"
    where = say(channels, phone, "bjr je suis a meudon c ou le pole social")
    assert ISSY_STREET in "\n".join(c.form["Body"] for c in where)
    assert all(c.form["From"] == SMS for c in where)
    auth = where[0].headers["Authorization"].split()[1]
    assert base64.b64decode(auth).decode() == f"{CREDENTIALS['TWILIO_ACCOUNT_SID']}:{CREDENTIALS['TWILIO_AUTH_TOKEN']}"
    hours = say(channels, phone, "et les horaires ?")
    assert "8 h 30" in "\n".join(c.form["Body"] for c in hours)
    # the phone number is personal data: stored as a keyed hash only
    assert stored_id("twilio", phone) in channels.stored_senders()
    assert phone not in channels.stored_text() and "612000001" not in channels.stored_text()


def test_whatsapp_replies_come_from_the_whatsapp_number(channels):
    sender = "whatsapp:+33612000002"
    answer = say(channels, sender, "quel pôle pour Clamart ?", to=WHATSAPP)
    assert answer[0].form["From"] == WHATSAPP and ISSY_STREET in answer[0].form["Body"]


def test_buttons_become_numbered_options_and_a_number_is_understood(channels):
    phone = "+33612000003"
    options = "\n".join(c.form["Body"] for c in say(channels, phone, "qu'est-ce que vous pouvez faire ?"))
    assert "Répondez 1, 2 ou 3 :\n1. " in options
    assert ASK_COMMUNE in say(channels, phone, "1")[-1].form["Body"]  # 1 = the first option: where to go


def test_every_sms_fits_1600_characters(channels):
    phone = "+33612000004"
    answer = say(channels, phone, "quels sont vos services ?")
    assert answer and all(len(c.form["Body"]) <= 1600 for c in answer)


def test_a_danger_message_gets_its_helpline_first(channels):
    first = say(channels, "+33612000005", "ya un homme inconscient dans l'escalier il respire plus")[0]
    assert first.form["Body"] == responses.text("utter_danger_medical")  # 15 / 112, before anything else


def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(channels):
    phone = "+33612000006"
    assert post(channels, form(phone, "bonjour"), signature="")[0] == 401
    assert post(channels, form(phone, "bonjour"), signature="bm90LWEtc2lnbmF0dXJl")[0] == 403
    assert replies(channels, phone) == []
    assert stored_id("twilio", phone) not in channels.stored_senders()


def test_numbers_and_texts_stay_out_of_the_logs_and_erasure_works_by_phone_number(channels, monkeypatch):
    phone = "+33612000007"
    say(channels, phone, "bonjour je cherche le pole social de gennevilliers svp")
    log = channels.log()
    assert phone not in log and "612000007" not in log
    assert "gennevilliers svp" not in log.lower()
    # a resident asks for erasure: staff give the phone number, the channel's key finds the conversation
    monkeypatch.setenv("TRACKER_SQLITE_PATH", str(channels.servers.workdir / "tracker.db"))
    monkeypatch.setenv("SENDER_HASH_KEY", CREDENTIALS["SENDER_HASH_KEY"])
    assert stored_id("twilio", phone) in channels.stored_senders()
    assert bot_cli(["purge", "--sender", phone, "--channel", "twilio"]) == 0
    assert stored_id("twilio", phone) not in channels.stored_senders()


def test_the_retention_purge_covers_channel_conversations(channels):
    phone = "+33612000008"
    say(channels, phone, "quel pôle pour Vanves ?")
    conf = load_settings({"TRACKER_SQLITE_PATH": str(channels.servers.workdir / "tracker.db"), "RETENTION_DAYS": "30"})
    purge(conf, now=time.time() + 29 * 86400)  # 29 days later: still kept
    assert stored_id("twilio", phone) in channels.stored_senders()
    purge(conf, now=time.time() + 31 * 86400)  # 31 days later: past the retention period
    assert stored_id("twilio", phone) not in channels.stored_senders()
