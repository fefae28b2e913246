"""The character values' fast path (`VariableUnf.add_plain_text`: one CSV write and one byte
search per chunk) gives the UNF of the per-value path (stored text, then the character rule)."""

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
    plain = pl.Series(["Montréal", "a b", "1.5", "東京"])
    assert U.VariableUnf("character").add_plain_text(plain)
    for odd in (["a", ""], ["a", " b"], ["a", "x" * 65], ["a\\tb"], ["a", None], ["UNF:6:abc=="]):
        assert not U.VariableUnf("character").add_plain_text(pl.Series(odd, dtype=pl.String)), odd
    assert U.VariableUnf("character").add_plain_text(pl.Series(["abc", "UNF:6:abc=="]))
    assert _fast([["Montréal", "a b"]]) == U.unf_strings(["Montréal", "a b"])
