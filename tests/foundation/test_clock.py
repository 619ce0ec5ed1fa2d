from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import clock

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-11-18T10:15", datetime(2026, 11, 18, 10, 15, tzinfo=PARIS)),
        ("2026-11-18 10:15:30", datetime(2026, 11, 18, 10, 15, 30, tzinfo=PARIS)),
        # An explicit offset is honoured and converted to Paris time.
        ("2026-11-18T09:15:00+00:00", datetime(2026, 11, 18, 10, 15, tzinfo=PARIS)),
        # Summer time: UTC+2.
        ("2027-07-01T06:00:00Z", datetime(2027, 7, 1, 8, 0, tzinfo=PARIS)),
    ],
)
def test_bot_now_is_read_as_paris_time(monkeypatch, value, expected):
    monkeypatch.setenv("BOT_NOW", value)
    got = clock.now()
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


def test_real_clock_when_unset(monkeypatch):
    monkeypatch.delenv("BOT_NOW", raising=False)
    got = clock.now()
    assert got.tzinfo is not None
    assert abs(got - datetime.now(PARIS)) < timedelta(seconds=5)
    assert got.utcoffset() in (timedelta(hours=1), timedelta(hours=2))


def test_invalid_bot_now_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "demain matin")
    with pytest.raises(clock.InvalidClockSetting, match="BOT_NOW"):
        clock.now()
