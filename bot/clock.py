"""The assistant's notion of "now".

`BOT_NOW` (ISO 8601) freezes the clock, for tests and demos. A value without an
offset is read as Europe/Paris wall-clock time. Unset, the real clock is used.
"""
from __future__ import annotations

import os
from datetime import datetime

from knowledge.hours import PARIS
ENV_VAR = "BOT_NOW"


class InvalidClockSetting(ValueError):
    pass


def parse_now(value: str) -> datetime:
    """Parse a BOT_NOW value into an aware datetime in Europe/Paris."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidClockSetting(
            f"{ENV_VAR}={value!r} is not an ISO 8601 date-time (e.g. 2027-03-29T09:15)"
        ) from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    return moment.astimezone(PARIS)


def now() -> datetime:
    """Current time in Europe/Paris, or the frozen BOT_NOW if set (read at each call)."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return parse_now(value)
    return datetime.now(PARIS)
