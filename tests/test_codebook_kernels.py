"""The codebook's compiled loops (kernels.py, numba) against their numpy and polars twins.

Real files take the loops only for chunks of kernels.MIN_VALUES values or more; here the threshold
is lowered to 0 so that every chunk takes them, and each result is compared with the same chunk's
result by the twin: the UNF bytes of numbers, plain text and plain dates, and the eight summary
statistics (against the plain-Python model of test_codebook_stats, in memory and spilled).
`TABCHECK_UNF_EXAMPLES=5000` runs thousands of examples by hand.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tabcheck import kernels
from tabcheck.codebook import unf as U
from test_codebook_plain_text import dates, written_values
from test_codebook_stats import java_model, stats
from test_codebook_stats import values as stat_values
from test_unf import any_floats, big_ints, small_ints

SETTINGS = settings(
    max_examples=int(os.environ.get("TABCHECK_UNF_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@contextmanager
def threshold(values: int) -> Iterator[None]:
    """Chunks of `values` values or more take the compiled loops."""
    saved = kernels.MIN_VALUES
    kernels.MIN_VALUES = values
    try:
        yield
    finally:
        kernels.MIN_VALUES = saved


def compiled() -> AbstractContextManager[None]:
    return threshold(0)


def twins() -> AbstractContextManager[None]:
    return threshold(1 << 62)


def test_the_loops_are_there():
    """numba is a dependency: without it every test below would compare a twin with itself."""
    assert kernels.available()
    assert kernels.kernel("encode_floats") is not None


def pieces(values: list, dtype: pl.DataType, cuts: list[int]) -> pl.Series:
    """The values as a series of several chunks (polars keeps them apart), sliced at an offset:
    the loops read each chunk's buffers, from the chunk's own offset."""
    edges = sorted({0, len(values), *(c % (len(values) + 1) for c in cuts)})
    parts = [
        pl.Series(["pad", *values[a:b]] if dtype == pl.String else [0, *values[a:b]], dtype=dtype)[1:]
        for a, b in itertools.pairwise(edges)
    ]
    return pl.concat(parts, rechunk=False) if parts else pl.Series([], dtype=dtype)


# -- numbers ------------------------------------------------------------------------------------
@SETTINGS
@given(st.lists(st.one_of(any_floats, st.none()), max_size=300))
def test_float_forms_match_the_numpy_encoder(values):
    series = pl.Series([None if v is None else float(v) for v in values], dtype=pl.Float64)
    out = U.compiled_number_bytes(series, at_least=0)
    assert out is not None
    assert bytes(out) == U.normalised_number_bytes(series)


@SETTINGS
@given(st.lists(st.one_of(small_ints, big_ints, st.none()), max_size=300))
def test_integer_forms_match_the_numpy_encoder(values):
    series = pl.Series(values, dtype=pl.Int64)
    out = U.compiled_number_bytes(series, at_least=0)
    assert out is not None
    assert bytes(out) == U.normalised_number_bytes(series)


def test_numbers_of_a_real_size_give_the_same_unf():
    """A chunk as the scan gives them (100,000 measurements and ids): one hash, both ways."""
    rng = np.random.default_rng(7)
    for series in (
        pl.Series(np.round(rng.normal(70, 15, 100_000), 1)),
        pl.Series(np.arange(-50_000, 50_000) * 37, dtype=pl.Int64),
    ):
        with compiled():
            fast = U.VariableUnf("numeric")
            fast.add_numbers(series)
        with twins():
            slow = U.VariableUnf("numeric")
            slow.add_numbers(series)
        assert fast.result() == slow.result() is not None


# -- plain text and dates -----------------------------------------------------------------------
def _fed(kind: str, chunks: list[pl.Series]) -> tuple[list[bool], str | None]:
    v = U.VariableUnf("character")
    taken = [v.add_plain_text(c) if kind == "text" else v.add_plain_dates(c) for c in chunks]
    return taken, (v.result() if all(taken) else None)


def _both_ways(kind: str, chunks: list[list[str]], cuts: list[int]) -> None:
    """Which chunks need the general rules, and the UNF of the others: the loop reading polars'
    buffers says what the CSV writer and the byte tests say."""
    series = [pieces(c, pl.String, cuts) for c in chunks]
    with compiled():
        fast = _fed(kind, series)
    with twins():
        slow = _fed(kind, series)
    assert fast == slow


@SETTINGS
@given(
    st.lists(st.lists(written_values, max_size=40), min_size=1, max_size=3),
    st.lists(st.integers(0, 40), max_size=3),
)
def test_plain_text_matches_the_csv_writer(chunks, cuts):
    """Blank values, long ones, backslashes, NULs: the character rules' cases."""
    _both_ways("text", chunks, cuts)


@SETTINGS
@given(
    st.lists(st.lists(dates, max_size=40), min_size=1, max_size=3), st.lists(st.integers(0, 40), max_size=3)
)
def test_plain_dates_match_the_csv_writer(chunks, cuts):
    _both_ways("dates", chunks, cuts)


def test_plain_text_refuses_what_needs_a_rule():
    with compiled():
        for odd in (["a", " "], ["a", " b"], ["\t"], ["a", "x" * 65], ["a\\tb"], ["x" * 20 + "\\"]):
            assert U.compiled_plain_bytes(pl.Series(odd), "plain_text", at_least=0) is None, odd
        out = U.compiled_plain_bytes(pl.Series(["Montréal", "", "x" * 64, "東京"]), "plain_text", at_least=0)
    assert out is not None and bytes(out) == "Montréal\n\0\n\0{}\n\0東京\n\0".format("x" * 64).encode()


def test_dates_refuse_anything_but_plain_iso_dates():
    with compiled():
        for odd in (
            ["2020-1-05"],
            ["２０２０-01-05"],
            ["2020/01/05"],
            ["2020-01-05 "],
            ["2020-01-0:"],
            ["202/-01-05"],
        ):
            assert U.compiled_plain_bytes(pl.Series(odd), "plain_dates", at_least=0) is None, odd
        out = U.compiled_plain_bytes(pl.Series(["2020-01-05", "", "0001-12-31"]), "plain_dates", at_least=0)
    assert out is not None and bytes(out) == b"2020-01-05\n\0\0\0\x000001-12-31\n\0"


# -- statistics ---------------------------------------------------------------------------------
@SETTINGS
@given(stat_values, st.sampled_from([1 << 30, 64, 8]), st.sampled_from([1, 3, 50]))
@example([0.0, -0.0, 2.0, -0.0, 0.0, None], 1 << 30, 3)  # of equal extremes, the last one met
@example([-0.0, 0.0, -2.0, 0.0, -0.0], 1 << 30, 50)
def test_statistics_by_the_loops_match_the_model(values, budget, chunk):
    """Sums left to right, extremes (the last of equal values), the histogram of the median's
    buckets, in memory and spilled after 8 or 1 values."""
    with compiled():
        assert stats(values, budget, chunk) == java_model(values)


@pytest.mark.parametrize("size", [200_000, 200_001])
def test_statistics_of_a_real_size_agree_both_ways(size):
    a = np.round(np.random.default_rng(size).normal(100, 30, size), 2)
    a[::97] = np.nan
    values = a.tolist()
    with compiled():
        fast = stats(values, 8 * 50_000, 80_000)
    with twins():
        slow = stats(values, 8 * 50_000, 80_000)
    assert fast == slow == java_model([None if v != v else v for v in values])


def test_one_chunk_of_several_data_buffers():
    """polars keeps long values of one chunk in several data buffers: each view names its own."""
    from tabcheck.codebook.arrow_views import string_views

    parts = [pl.Series([f"{k}: value number {i} of a long column" for i in range(150_000)]) for k in "ab"]
    series = pl.concat(parts).rechunk()
    with string_views(series) as chunks:
        assert chunks is not None and len(chunks) == 1 and len(chunks[0].starts) > 1
    with compiled():
        out = U.compiled_plain_bytes(series, "plain_text")
    assert out is not None and bytes(out) == U.plain_string_bytes(series)
