"""Facebook Messenger: page events as the Messenger Platform posts them, signed
with X-Hub-Signature-256; replies at the fake Send API (me/messages)."""
import hashlib
import hmac
import json

import pytest

from bot import responses
from tests.channels.conftest import CREDENTIALS, ISSY_STREET, stored_id

pytestmark = pytest.mark.servers

APP_SECRET = CREDENTIALS["MESSENGER_APP_SECRET"]


def event(psid: str, text: str = None, quick_reply: str = None) -> bytes:
    message = {"mid": f"m_{psid}_{text}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return json.dumps({"object": "page", "entry": [{"id": "100000000000001", "time": 1763457300000, "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": "100000000000001"}, "timestamp": 1763457300000,
        "message": message}]}]}).encode()


def signed(body: bytes, secret: str = APP_SECRET) -> dict:
    return {"Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def replies(channels, psid: str, wait: int = 0):
    match = lambda c: c.path == "/me/messages" and c.json["recipient"]["id"] == psid  # noqa: E731
    return channels.platform.wait_for(match, wait) if wait else channels.platform.calls_matching(match)


def say(channels, psid: str, text: str = None, quick_reply: str = None) -> list:
    before = len(replies(channels, psid))
    body = event(psid, text, quick_reply)
    status, answer = channels.post("messenger", body, signed(body))
    assert (status, answer) == (200, "EVENT_RECEIVED")
    return [c.json["message"] for c in replies(channels, psid, wait=before + 1)[before:]]


def test_subscription_check_answers_the_challenge_only_with_the_verify_token(channels):
    assert channels.get("messenger", "?hub.mode=subscribe&hub.verify_token=verify-exemple&hub.challenge=1158201444") \
        == (200, "1158201444")
    assert channels.get("messenger", "?hub.mode=subscribe&hub.verify_token=faux&hub.challenge=1")[0] == 403


def test_a_conversation_commune_then_hours(channels):
    psid = "6723019845512345"
    where = "\n".join(m["text"] for m in say(channels, psid, "Bonjour, j'habite à Vanves, où dois-je aller ?"))
    assert ISSY_STREET in where
    hours = "\n".join(m["text"] for m in say(channels, psid, "et les horaires ?"))
    assert "8 h 30" in hours
    call = replies(channels, psid)[-1]
    assert call.query == {"access_token": CREDENTIALS["MESSENGER_PAGE_ACCESS_TOKEN"]}
    assert call.json["messaging_type"] == "RESPONSE"
    assert stored_id("messenger", psid) in channels.stored_senders()
    assert psid not in channels.stored_text()


def test_buttons_become_quick_replies_and_a_quick_reply_is_understood(channels):
    psid = "6723019845512346"
    messages = say(channels, psid, "qu'est-ce que vous pouvez faire ?")
    quick = next(m["quick_replies"] for m in messages if m.get("quick_replies"))
    assert [q["payload"] for q in quick] == ["/find_hub", "/ask_hours", "/list_services"]
    assert all(len(q["title"]) <= 20 for q in quick)
    answer = say(channels, psid, quick[0]["title"], quick_reply=quick[0]["payload"])
    assert "Dans quelle commune" in answer[-1]["text"]


def test_a_danger_message_gets_its_helpline_first(channels):
    first = say(channels, "6723019845512347", "j'ai envie d'en finir, je ne vois plus aucune issue")[0]
    assert first["text"] == responses.text("utter_danger_suicide")  # 3114


def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(channels):
    psid = "6723019845512348"
    body = event(psid, "bonjour")
    assert channels.post("messenger", body, {"Content-Type": "application/json"})[0] == 401
    assert channels.post("messenger", body, signed(body, secret="pas-le-bon-secret"))[0] == 403
    tampered = event(psid, "bonsoir")
    assert channels.post("messenger", tampered, signed(body))[0] == 403  # signature of another body
    assert replies(channels, psid) == []
    assert stored_id("messenger", psid) not in channels.stored_senders()
