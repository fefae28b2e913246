"""Dataverse's summary statistics (SumStatCalculator): hand-computed columns, and a plain-Python
model of its definitions against the streaming implementation (in memory and spilled to disk)."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.codebook.stats import TYPES, NumericStats, java_double


def stats(values, budget=32 << 20, chunk=3):
    s = NumericStats(budget)
    for i in range(0, len(values), chunk):
        s.add(pl.Series(values[i : i + chunk], dtype=pl.Float64))
    try:
        return s.result()
    finally:
        s.close()


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1.0, "1.0"),
        (100.0, "100.0"),
        (1234567.0, "1234567.0"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (2 / 3, "0.6666666666666666"),
        (-2.5, "-2.5"),
        (1e23, "1.0E23"),
        (5e-324, "4.9E-324"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (math.nan, "NaN"),
    ],
)
def test_java_double_to_string(x, text):
    assert java_double(x) == text


def test_hand_computed_column():
    # 1, 2, 3, 4: mean 2.5; median at (4+1)/2 = 2.5 -> 2 + 0.5*(3-2); variance (Σd² = 5)/3.
    assert stats([1, 2, 3, 4]) == {
        "mean": "2.5",
        "medn": "2.5",
        "mode": ".",
        "vald": "4.0",
        "invd": "0.0",
        "min": "1.0",
        "max": "4.0",
        "stdev": java_double(math.sqrt(5 / 3)),
    }
    assert java_double(math.sqrt(5 / 3)) == "1.2909944487358056"


def test_missing_and_nan_are_invalid():
    s = stats([1, None, 3, math.nan, None])
    assert (s["vald"], s["invd"], s["mean"], s["medn"], s["stdev"]) == (
        "2.0",
        "3.0",
        "2.0",
        "2.0",
        "1.4142135623730951",
    )


def test_one_value_and_none():
    s = stats([5])
    assert (s["medn"], s["stdev"], s["min"], s["max"]) == ("5.0", "0.0", "5.0", "5.0")
    s = stats([None, None])
    assert s == {
        "mean": "NaN",
        "medn": "NaN",
        "mode": ".",
        "vald": "0.0",
        "invd": "2.0",
        "min": "NaN",
        "max": "NaN",
        "stdev": "NaN",
    }


def test_signed_zeros_and_infinities():
    # Of equal values commons-math keeps the last one met.
    assert (stats([0.0, -0.0])["min"], stats([0.0, -0.0])["max"]) == ("-0.0", "-0.0")
    assert (stats([-0.0, 0.0])["min"], stats([-0.0, 0.0])["max"]) == ("0.0", "0.0")
    assert stats([-0.0])["medn"] == "-0.0"
    # Infinite values are valid: the mean's correction turns NaN, the median follows its formula.
    s = stats([1, math.inf])
    assert (s["mean"], s["medn"], s["max"], s["stdev"]) == ("NaN", "Infinity", "Infinity", "NaN")
    assert stats([1, 2, math.inf])["medn"] == "NaN"  # 2 + 0 * (inf - 2)


def java_model(values):
    """SumStatCalculator in plain Python, from its definitions."""
    x = [float(v) for v in values if v is not None and not math.isnan(v)]
    n = len(x)
    out = {"vald": float(n), "invd": float(len(values) - n), "mode": "."}
    if not n:
        return {
            **{k: "NaN" for k in TYPES},
            "vald": java_double(float(n)),
            "invd": java_double(out["invd"]),
            "mode": ".",
        }
    total = 0.0
    for v in x:
        total += v
    xbar = total / n
    corr = 0.0
    for v in x:
        corr += v - xbar
    mean = xbar + corr / n
    srt = sorted(x, key=lambda v: (v, math.copysign(1, v)))
    if n == 1:
        medn = srt[0]
    else:
        pos = (n + 1) / 2
        f = math.floor(pos)
        medn = srt[f - 1] + (pos - f) * (srt[f] - srt[f - 1])
    lo = hi = x[0]
    for v in x:
        lo = lo if lo < v else v
        hi = hi if hi > v else v
    if n == 1:
        var = 0.0
    else:
        acc = acc2 = 0.0
        for v in x:
            d = v - mean
            acc += d * d
            acc2 += d
        var = (acc - acc2 * acc2 / n) / (n - 1.0)
    return {
        "mean": java_double(mean),
        "medn": java_double(medn),
        "mode": ".",
        "vald": java_double(float(n)),
        "invd": java_double(float(len(values) - n)),
        "min": java_double(lo),
        "max": java_double(hi),
        "stdev": java_double(math.sqrt(var) if not var < 0 else math.nan),
    }


values = st.lists(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
        st.sampled_from([0.0, -0.0, 1e16, -1e16, 0.1, 1.0]),
        st.integers(-1000, 1000).map(float),
        st.none(),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(values, st.sampled_from([1 << 30, 64, 8]))
def test_streaming_matches_the_model(vals, budget):
    """In memory, and spilled to a temporary file after 8 or 1 values (radix-selected median)."""
    assert stats(vals, budget=budget) == java_model(vals)


def test_large_spilled_median_is_exact():
    import numpy as np

    rng = np.random.default_rng(1)
    a = np.concatenate([rng.normal(size=50_000), np.zeros(20_000), -np.zeros(1), rng.integers(0, 3, 30_000)])
    s = NumericStats(budget=8 * 1000)
    for i in range(0, len(a), 7777):
        s.add(pl.Series(a[i : i + 7777]))
    assert s.store.spilled
    got = s.result()
    s.close()
    srt = np.sort(a)
    n = len(a)
    pos = (n + 1) / 2
    f = math.floor(pos)
    assert got["medn"] == java_double(float(srt[f - 1] + (pos - f) * (srt[f] - srt[f - 1])))


@pytest.mark.parametrize("spilled", [True, False])
@pytest.mark.parametrize("size", [200_000, 200_001])
def test_moments_in_two_passes_match_the_model(size, spilled):
    """A store (spilled or in memory) whose median buckets fit the budget: mean, variance and
    median come from the two passes of `_moments` (both order statistics in one bucket or two),
    only the median's buckets partitioned."""
    import numpy as np

    a = np.round(np.random.default_rng(size).uniform(0, 1000, size), 3)
    s = NumericStats(budget=8 * 50_000 if spilled else 1 << 30)
    for i in range(0, size, 8192):
        s.add(pl.Series(a[i : i + 8192]))
    assert s.store.spilled == spilled
    assert s._moments(s._sum / s.valid)[2] is not None  # the two-pass median, not the selection
    got = s.result()
    s.close()
    assert got == java_model(a.tolist())


def test_a_narrow_range_takes_the_candidates_budget_not_a_selection():
    """A body temperature column: most values share one top-16-bit bucket (36 to 38), more than
    the variable's share of the store, fewer than its candidates' budget: the median comes from
    the deviations' pass (no selection passes), and equals the model's."""
    import numpy as np

    a = np.round(np.random.default_rng(7).normal(36.8, 0.3, 60_001), 2)
    s = NumericStats(budget=8 * 10_000, candidates=8 * 70_000)
    for i in range(0, len(a), 8192):
        s.add(pl.Series(a[i : i + 8192]))
    assert s.store.spilled
    assert s._moments(s._sum / s.valid)[2] is not None
    got = s.result()
    s.close()
    assert got == java_model(a.tolist())
    narrow = NumericStats(budget=8 * 10_000)  # candidates: the share itself, too few
    for i in range(0, len(a), 8192):
        narrow.add(pl.Series(a[i : i + 8192]))
    assert narrow._moments(narrow._sum / narrow.valid)[2] is None
    assert narrow.result() == got
    narrow.close()


@pytest.mark.parametrize(
    ("values", "candidates", "lower", "upper"),
    [
        ([1.0] * 50 + [2.0] * 50, 1, 1.0, 2.0),  # the two order statistics in two buckets
        ([1.0] * 51 + [2.0] * 49, 1, 1.0, 1.0),  # both in the first, the same key
        ([1.0] * 30 + [1.5] * 40 + [3.0] * 30, 1, 1.5, 1.5),
        ([0.25 * k for k in range(100)], 1, 12.25, 12.5),  # one key each
        ([1 + k / 1024 for k in range(100)], 200, 1 + 49 / 1024, 1 + 50 / 1024),  # both candidates
    ],
)
def test_selection_finds_both_order_statistics(values, candidates, lower, upper):
    """The radix selection of a spilled store gives the median's two order statistics, the
    second from the last candidates or from one more pass."""
    s = NumericStats(budget=8, candidates=8 * candidates)
    for i in range(0, len(values), 7):
        s.add(pl.Series(values[i : i + 7], dtype=pl.Float64))
    assert s.store.spilled
    assert s._order_stats(49, 50) == (lower, upper)
    assert s.result() == java_model(values)
    s.close()
