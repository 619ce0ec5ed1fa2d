"""Telegram: updates as the Bot API posts them (with the secret token set by
setWebhook), replies at the fake Bot API (sendMessage)."""
import json

import pytest

from bot import responses
from tests.channels.conftest import ASK_COMMUNE, CREDENTIALS, ISSY_STREET, stored_id

pytestmark = pytest.mark.servers

SECRET = CREDENTIALS["TELEGRAM_SECRET_TOKEN"]
SEND = f"/bot{CREDENTIALS['TELEGRAM_ACCESS_TOKEN']}/sendMessage"


def update(user_id: int, text: str, update_id: int = 1) -> bytes:
    return json.dumps({
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 1763457300, "text": text,
                    "from": {"id": user_id, "is_bot": False, "first_name": "Exemple", "language_code": "fr"},
                    "chat": {"id": user_id, "first_name": "Exemple", "type": "private"}},
    }).encode()


def say(channels, user_id: int, text: str) -> list:
    """Send a message; the texts sent back to this chat for it."""
    before = len(replies(channels, user_id))
    status, _ = channels.post("telegram", update(user_id, text),
                              {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert status == 200
    return [c.json["text"] for c in replies(channels, user_id, wait=before + 1)[before:]]


def replies(channels, chat_id: int, wait: int = 0):
    match = lambda c: c.path == SEND and c.json["chat_id"] == chat_id  # noqa: E731
    return channels.platform.wait_for(match, wait) if wait else channels.platform.calls_matching(match)


def test_a_conversation_commune_then_hours(channels):
    user = 7350912468
    where = "\n".join(say(channels, user, "quel pôle pour Clamart ?"))
    assert ISSY_STREET in where
    hours = "\n".join(say(channels, user, "et les horaires ?"))
    assert "8 h 30" in hours and "17 h 30" in hours
    # stored under a keyed hash, never the Telegram account id
    assert stored_id("telegram", str(user)) in channels.stored_senders()
    assert str(user) not in channels.stored_text()


def test_a_danger_message_gets_its_helpline_first(channels):
    first = say(channels, 7350912469, "mon copain me frappe quand il a bu, j'ai peur de rentrer ce soir")[0]
    assert first == responses.text("utter_danger_violence")  # 3919, then 17 / 112


def test_buttons_become_an_inline_keyboard_and_a_tap_is_understood(channels):
    user = 7350912470
    say(channels, user, "qu'est-ce que vous pouvez faire ?")
    keyboards = [c.json["reply_markup"]["inline_keyboard"] for c in replies(channels, user)
                 if "reply_markup" in c.json]
    assert [row[0]["callback_data"] for row in keyboards[0]] == ["/find_hub", "/ask_hours", "/list_services"]
    tap = json.dumps({"update_id": 9, "callback_query": {
        "id": "4382bfdwdsb323b2d9", "data": "/find_hub", "chat_instance": "-1", "from": {"id": user, "is_bot": False,
                                                                                         "first_name": "Exemple"},
        "message": {"message_id": 8, "date": 1763457300, "chat": {"id": user, "type": "private"}}}}).encode()
    before = len(replies(channels, user))
    status, _ = channels.post("telegram", tap, {"Content-Type": "application/json",
                                                "X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert status == 200
    assert ASK_COMMUNE in replies(channels, user, wait=before + 1)[-1].json["text"]
    answered = channels.platform.calls_matching(lambda c: c.path.endswith("/answerCallbackQuery"))
    assert answered and answered[-1].json["callback_query_id"] == "4382bfdwdsb323b2d9"


def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_stored(channels):
    user = 7350912471
    assert channels.post("telegram", update(user, "bonjour"), {"Content-Type": "application/json"})[0] == 401
    assert channels.post("telegram", update(user, "bonjour"), {
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "pas-le-bon"})[0] == 403
    assert replies(channels, user) == []
    assert stored_id("telegram", str(user)) not in channels.stored_senders()


def test_a_sticker_gets_a_polite_text_only_reply(channels):
    user = 7350912472
    sticker = json.loads(update(user, "x"))
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "EXEMPLE", "width": 512, "height": 512}
    status, _ = channels.post("telegram", json.dumps(sticker).encode(), {
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert status == 200
    assert "que les messages écrits" in replies(channels, user, wait=1)[0].json["text"]
