import pytest

from bench.stats import percentile, prf, summarize_latencies


def test_percentile_interpolates_like_numpy():
    values = [10, 20, 30, 40]
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 40
    assert percentile(values, 50) == 25
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7], 99) == 7
    assert percentile([], 50) is None


def test_percentile_ignores_input_order_and_rejects_bad_q():
    assert percentile([40, 10, 30, 20], 50) == 25
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summarize_latencies_in_milliseconds():
    s = summarize_latencies([0.1] * 99 + [1.0])
    assert s["n"] == 100
    assert s["p50_ms"] == 100.0
    assert s["max_ms"] == 1000.0
    assert 100 < s["p99_ms"] <= 1000
    assert summarize_latencies([])["p95_ms"] is None


def test_prf_handles_zero_counts():
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert prf(8, 2, 0)["precision"] == 0.8
    assert prf(8, 2, 0)["recall"] == 1.0
