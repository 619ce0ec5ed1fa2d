"""Keep residents' words out of the logs at INFO level and above.

Rasa logs message text at DEBUG only, with a few exceptions at ERROR/WARNING:
the Pika broker logs the whole event on a publish failure, event and template
errors log the event or response, SQL errors quote their parameters (the
event JSON), and a message starting with "/" that is not a valid intent is
quoted in a UserWarning ("Failed to parse arguments in line '...'"). This
module masks those before any handler sees them:

- structured values under Rasa's own "anonymizable" keys (text, rasa_event,
  message, ...), whether rendered as JSON or as Python reprs;
- SQLAlchemy's "[parameters: ...]" blocks, an HTTP error's body='...', and
  the quoted line of Rasa's parse warning;
- the same in formatted tracebacks and in Python warnings.

DEBUG records are left alone: LOG_LEVEL=DEBUG is the operator's explicit
choice to see conversations in the logs (see docs/deployment.md).

It is installed in both the Rasa server and the action server through the
standard `--logging-config-file bot/logging.yml` option: the dictConfig
"filter" there calls `install()`, which wraps the log-record factory, so
every record from every logger is covered, whatever handlers are added later.
"""
from __future__ import annotations

import logging
import re
import traceback
import warnings
from typing import Any

MASK = "[masqué]"

# Rasa's anonymizable keys (rasa/utils/log_utils.py), plus event JSON fields.
SENSITIVE_KEYS = (
    "text", "response_text", "user_text", "slot_values", "parse_data_text",
    "parse_data_entities", "prediction_events", "tracker_latest_message",
    "prefilled_slots", "message", "response", "slot_candidates", "rasa_event",
    "rasa_events", "tracker_states", "current_states", "old_states", "successes",
    "current_entity", "next_entity", "states", "entity", "token_text",
    "user_message", "json_message", "parse_data", "data", "metadata", "value",
    "entities", "events", "slots", "tracker", "latest_message", "input_text",
)
_KEYS = "|".join(SENSITIVE_KEYS)
# A value: a quoted string, or a balanced-enough {...} / [...] on one line.
_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_NESTED = r"\{.*?\}(?=\s*[,}\]]|\s*$)|\[.*?\](?=\s*[,}\]]|\s*$)"
_PATTERNS = [
    # "text": "...", 'text': '...', "rasa_event": {...}
    re.compile(rf'(?P<k>["\'](?:{_KEYS})["\']\s*:\s*)(?P<v>{_STRING}|{_NESTED})', re.S),
    # structlog console rendering: text='...' rasa_event={...}
    re.compile(rf"(?P<k>\b(?:{_KEYS})=)(?P<v>{_STRING}|{_NESTED}|\S+)", re.S),
]
# SQLAlchemy errors quote the statement's parameters (the event JSON).
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.S)
# Rasa messages that quote the user's text or a reply body (greedy: the text
# itself may contain the closing quote).
_QUOTED = [
    re.compile(r"(?P<k>body=')(?P<v>.*)(?P<e>')", re.S),
]
# Rasa's "/intent{...}" parse warnings quote the line and pieces of it
# (intent, entities, the rest) in several wordings: keep only the first words.
_PARSE_WARNING = re.compile(r"Failed to parse arguments in line '.*", re.S)


def redact(text: str) -> str:
    """`text` with the values of sensitive fields masked."""
    if not text:
        return text
    text = _SQL_PARAMETERS.sub(f"[parameters: {MASK}]", text)
    for pattern in _QUOTED:
        text = pattern.sub(lambda m: m.group("k") + MASK + m.group("e"), text)
    text = _PARSE_WARNING.sub(f"Failed to parse arguments in line '{MASK}' (a message "
                              "starting with '/'; details masked).", text)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group("k") + _mask_like(m.group("v")), text)
    return text


def _mask_like(value: str) -> str:
    """The mask, keeping the value's outer quotes or brackets."""
    if value[:1] in ("'", '"'):
        return value[0] + MASK + value[0]
    if value.startswith("{"):
        return "{" + MASK + "}"
    if value.startswith("["):
        return "[" + MASK + "]"
    return MASK


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_controls(value: str) -> str:
    """A client-chosen value (e.g. a sender id) cannot forge log lines or
    colour the terminal: control and bidi characters are shown escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), value)


def redact_record(record: logging.LogRecord) -> None:
    if record.levelno < logging.INFO:
        return
    if isinstance(record.args, tuple) and record.args:
        record.args = tuple(_escape_controls(a) if isinstance(a, str) else a for a in record.args)
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it to logging's own handling
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        formatted = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        cleaned = redact(formatted)
        if cleaned != formatted:
            record.exc_text = cleaned


_installed = False


def install() -> None:
    """Wrap the log-record factory (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(factory)

    # Warnings bypass logging (Rasa prints them to stderr).
    show = warnings.showwarning

    def showwarning(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        cleaned = redact(str(message))
        if cleaned != str(message):
            message = category(cleaned) if isinstance(message, Warning) else cleaned
        show(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning
    _installed = True


class PrivacyFilter(logging.Filter):
    """dictConfig entry point: installing it installs the record factory.
    As a filter it also masks records created before installation."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        install()

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True
