"""The fast paths of character and date values (`VariableUnf.add_plain_text`, `add_plain_dates`:
one CSV write per chunk) give the UNF of the per-value path (stored text, the date and character
rules)."""

from __future__ import annotations

import os

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.codebook import collect
from tabcheck.codebook import unf as U

EXAMPLES = int(os.environ.get("TABCHECK_UNF_EXAMPLES", "300"))

values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "\t", " a", "a\\tb", "\\\\", 'say \\"hi\\"', "UNF:6:abc==", "é" * 40, "x" * 70]
    ),
)


def _per_value(chunks: list[list[str]]) -> str | None:
    v = collect._Variable("v", "character", 1 << 20)
    for chunk in chunks:
        v.add_stored(collect._stored_text(pl.Series(chunk, dtype=pl.String)))
    return v.unf.result()


def _fast(chunks: list[list[str]]) -> str | None:
    v = collect._Variable("v", "character", 1 << 20)
    for chunk in chunks:
        v.add(pl.Series(chunk, dtype=pl.String))
    return v.unf.result()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(values, min_size=1, max_size=20), min_size=1, max_size=4))
def test_the_fast_path_gives_the_per_value_unf(chunks):
    assert _fast(chunks) == _per_value(chunks)


def test_plain_values_take_the_fast_path_and_the_others_do_not():
    plain = pl.Series(["Montréal", "a b", "1.5", "東京", ""])
    assert U.VariableUnf("character").add_plain_text(plain)
    for odd in (["a", " "], ["a", " b"], ["\t"], ["a", "x" * 65], ["a\\tb"], ["a", None], ["UNF:6:abc=="]):
        assert not U.VariableUnf("character").add_plain_text(pl.Series(odd, dtype=pl.String)), odd
    assert U.VariableUnf("character").add_plain_text(pl.Series(["abc", "UNF:6:abc=="]))
    assert _fast([["Montréal", "a b"]]) == U.unf_strings(["Montréal", "a b"])


dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "", "2020-1-5", '"2020-01-31"', "2020-01-31 10:00", "0099-01-01", "2020-02-30"]),
)


def _dates_per_value(chunks: list[list[str]]) -> str | None:
    v = collect._Variable("d", "date", 1 << 20)
    for chunk in chunks:
        v.add_stored(collect._stored_dates(pl.Series(chunk, dtype=pl.String), "date", None))
    return v.unf.result()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(dates, min_size=1, max_size=20), min_size=1, max_size=4))
def test_plain_dates_give_the_per_value_unf(chunks):
    v = collect._Variable("d", "date", 1 << 20)
    for chunk in chunks:
        v.add(pl.Series(chunk, dtype=pl.String))
    assert v.unf.result() == _dates_per_value(chunks)


def test_plain_dates_take_the_fast_path_and_the_others_do_not():
    assert U.VariableUnf("character").add_plain_dates(pl.Series(["2020-01-31", "", "1999-12-01"]))
    for odd in (["2020-1-5"], ['"2020-01-31"'], ["2020-01-31 10:00"], ["2020-01-31", None]):
        assert not U.VariableUnf("character").add_plain_dates(pl.Series(odd, dtype=pl.String)), odd


written_values = st.one_of(
    st.text(max_size=70),
    st.sampled_from(
        ["", " ", "\t", " a", "\x00", "a\x00b", "\n\x00", "\x1fz", "é" * 32, "é" * 33, "x" * 64, "x" * 65]
    ),
)


@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(st.lists(written_values, min_size=1, max_size=30))
def test_blank_or_long_from_the_written_bytes_agrees_with_the_query(chunk: list[str]) -> None:
    """The test of the values as written (numpy on the bytes) says what the polars query says."""
    s = pl.Series(chunk, dtype=pl.String)
    assert U._blank_or_long_written(U.plain_string_bytes(s), s) == U._blank_or_long(s)
