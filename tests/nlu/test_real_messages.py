"""The held-out real messages (tests/nlu/real/heldout.yml, never trained on), each
sent as the first message of a conversation through the real servers, judged
as a resident reads the reply (bench/real_messages.py). Floors a little below
what `make bench` measured, so that a regression fails CI; the figures
themselves are in bench/results/latest.md."""
from __future__ import annotations

import pytest

from bench.real_messages import evaluate, format_summary
from bot.real_corpus import SETS, load

pytestmark = pytest.mark.servers

FLOORS = {
    # measure: (direction, limit)
    # measured 0.815, 0.133, 0.752, 0.000 (python -m bench.real_messages --set heldout,
    # after wave 6 and the danger classifier's C=30); floors leave room for retraining noise
    "danger_ok": (">=", 0.77),     # the right helpline first, for a danger message
    "false_alarm": ("<=", 0.15),   # a specific helpline given to an ordinary message
    "routed": (">=", 0.72),        # the right service, helpline or question back
    "dead_end": ("<=", 0.02),      # "je n'ai pas compris" alone, > 8 words
}


@pytest.fixture(scope="module")
def heldout_result(bot_servers):
    return evaluate(bot_servers.rest_url, load(SETS["heldout"]))


@pytest.mark.parametrize("measure", FLOORS)
def test_heldout_real_messages_hold_their_floor(heldout_result, measure):
    summary = heldout_result["summary"]
    print("\n" + format_summary("heldout", summary))
    direction, limit = FLOORS[measure]
    rate = summary[measure]["rate"]
    assert rate is not None
    assert rate >= limit if direction == ">=" else rate <= limit, \
        f"{measure} = {rate:.3f}, floor {direction} {limit}"


def test_every_heldout_message_got_an_answer(heldout_result):
    empty = [i.text[:60] for i, v in zip(heldout_result["items"], heldout_result["verdicts"])
             if not v.text]
    assert not empty, empty[:5]
