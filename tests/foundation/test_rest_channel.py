"""Bad input to the REST webhook: a 4xx or a polite reply, and the server keeps serving."""
import json
import time

import pytest

from bot import responses
from bot.channel_messages import APOLOGY, EMPTY, TOO_LONG
from tests.support.servers import post_json

GREETING = responses.text("utter_greet")

pytestmark = pytest.mark.servers


def test_greeting_goes_through_the_action_server(bot_servers):
    # The greeting text lives only in the action server's code.
    assert bot_servers.texts("greet-1", "Bonjour") == GREETING


@pytest.mark.parametrize(
    "body",
    [
        b'{"sender": "x", "message": "Bonjour"',       # truncated JSON
        b"not json at all",
        b"",
        b'["sender", "message"]',                       # JSON but not an object
        b'{"message": "Bonjour"}',                      # no sender
        b'{"sender": "x"}',                             # no message
        b'{"sender": 12, "message": "Bonjour"}',        # wrong types
        b'{"sender": "x", "message": ["Bonjour"]}',
        b'{"sender": "", "message": "Bonjour"}',
        b'{"sender": "x", "message": "Bonjour", "metadata": "oops"}',
        b'{"sender": "a\\u0000b", "message": "Bonjour"}',      # NUL in the conversation id
        b'{"sender": "\\ud800", "message": "Bonjour"}',        # lone surrogate
    ],
)
def test_malformed_requests_get_a_400_with_a_french_error(bot_servers, body):
    status, answer = post_json(bot_servers.rest_url, body)
    assert status == 400
    assert isinstance(answer, dict) and answer["error"]
    # ...and the server still answers a normal request.
    assert bot_servers.texts("after-bad", "Bonjour") == GREETING


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_message_gets_a_polite_prompt(bot_servers, message):
    assert bot_servers.texts("empty", message) == EMPTY


def test_10kb_message_gets_a_polite_reply(bot_servers):
    assert bot_servers.texts("long", "Bonjour " * 1300) == TOO_LONG


def test_1mb_body_is_refused_with_413_and_server_survives(bot_servers):
    body = json.dumps({"sender": "big", "message": "a" * 1_000_000}).encode()
    status, _ = post_json(bot_servers.rest_url, body)
    assert status == 413
    assert bot_servers.texts("after-big", "Bonjour") == GREETING


def test_action_server_down_gives_a_polite_apology_fast_then_recovers(bot_servers):
    actions = bot_servers.processes["actions"]
    actions.stop(sig=9)
    question = "quels sont les services proposés ?"  # answered by an action
    try:
        started = time.monotonic()
        reply = bot_servers.texts("down-1", question)
        assert time.monotonic() - started < 2.0
        assert reply == APOLOGY
        # replies that are domain responses need no action server
        assert bot_servers.texts("down-2", "Bonjour") == GREETING
    finally:
        actions.start()
    assert "Protection maternelle et infantile" in bot_servers.texts("down-1", question)


def test_control_characters_in_a_message_are_dropped_not_fatal(bot_servers):
    status, body = post_json(bot_servers.rest_url,
                             b'{"sender": "ctrl", "message": "Bon\\u0000jour\\ud800"}')
    assert status == 200 and body and body[0]["text"]
    assert bot_servers.texts("ctrl", "Bonjour") == GREETING


def test_clean_text_keeps_french_and_line_breaks():
    from bot.channels import clean_text
    assert clean_text("Où est le pôle ?\nMerci\t!") == "Où est le pôle ?\nMerci\t!"
    assert clean_text("a\x00b\x1bc\ud800") == "abc\ufffd"
