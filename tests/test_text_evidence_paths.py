"""The typer counts each text value for the first evidence it matches, in hooks' order: in one
query for a few values, evidence by evidence for many. Both must give the same groups."""

from __future__ import annotations

from functools import partial

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tabcheck.plugins import column_evidence
from tabcheck.scan.values import ColumnTyper

VALUES = [
    "abc",
    "1,5",
    "1 234,5",
    "1.234,5",
    "12 %",
    "12%",
    "€ 12",
    "12 $",
    "TRUE",
    "faux",
    "NA",
    "-99",
    "n/a",
    "2021-02-30",
    "2021-02-28",
    "25/12/2020",
    "1,234",
    "12,345,678",
    "",
    " ",
    "x y",
    "Orléans",
    "١٢",
    "0x1p3",
]


def _groups(pairs) -> dict:
    return {name: hits.to_list() for name, hits in pairs if hits.len()}


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(st.sampled_from(VALUES), st.text(max_size=8)), max_size=40), data=st.data())
def test_one_query_and_evidence_in_turn_agree(values, data):
    typer = ColumnTyper(1, trim=False, evidence=column_evidence())
    series = pl.Series(values, dtype=pl.String)
    positions = sorted(
        set(data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=len(values))))
    )
    idx = pl.Series([p for p in positions if p < len(values)], dtype=pl.UInt32)
    assert _groups(typer._first_evidence(idx, series)) == _groups(typer._evidence_in_turn(idx, series))


def test_a_value_counts_for_the_first_evidence_it_matches():
    """'1,234' is comma-one-group before it is a decimal comma; 'abc' is explained by none."""
    typer = ColumnTyper(1, trim=False, evidence=column_evidence())
    series = pl.Series(["1,234", "1,5", "abc", "12%"])
    idx = pl.Series([0, 1, 2, 3], dtype=pl.UInt32)
    assert _groups(typer._first_evidence(idx, series)) == {
        "comma-one-group": [0],
        "decimal-comma": [1],
        "percent": [3],
        None: [2],
    }


DISTINCT_VALUES = ["1,5", "2,25", "1 234,5", "-0,5", "12%", "abc", "NA", "", "3", "0,1", "1,234", "x y"]


def _per_row(typer: ColumnTyper, col, series: pl.Series, first_row: int, counts=None) -> None:
    typer._text_evidence(col, typer._text_values(col, series, 0), series, first_row)


@settings(max_examples=300, deadline=None)
@given(
    chunks=st.lists(
        st.lists(st.one_of(st.sampled_from(DISTINCT_VALUES), st.text(max_size=4)), min_size=1, max_size=60),
        min_size=1,
        max_size=6,
    ),
    ratio=st.sampled_from([0, 2, 8]),
)
def test_text_evidence_per_distinct_value_agrees(chunks, ratio):
    """A chunk's text evidence counted on its distinct values gives the facts of the per-row count
    (ratio 0: every chunk is counted per distinct value, once the column has met evidence)."""
    import tabcheck.scan.values as values

    results = []
    for by_distinct in (True, False):
        typer = ColumnTyper(1, trim=False, evidence=column_evidence())
        original, values._DISTINCT_RATIO = values._DISTINCT_RATIO, ratio
        if not by_distinct:
            typer._text_evidence_by_distinct = partial(_per_row, typer)  # type: ignore[method-assign]
        try:
            row = 2
            for chunk in chunks:
                typer.update_frame(pl.DataFrame({"c0": chunk}, schema={"c0": pl.String}), row)
                row += len(chunk)
        finally:
            values._DISTINCT_RATIO = original
        col = typer.result(["c"])[0]
        results.append(
            (
                col.type,
                col.had_numbers,
                (col.unexplained_text.count, col.unexplained_text.samples),
                {k: (o.count, o.samples) for k, o in col.evidence.items() if o},
            )
        )
    assert results[0] == results[1]


POINT_VALUES = ["1.000", "25.500", "-7.250", "NA", "", "3.5", "0.125", "12", "1.2345", "abc"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(POINT_VALUES), min_size=1, max_size=300),
    st.lists(st.integers(1, 80), min_size=1, max_size=20),
)
def test_numbers_written_1_234_are_counted_whatever_the_chunks(values, sizes):
    """A column's numbers all written 1.234 (thousands-separators asks about them beside decimal
    commas): counted only when every number of the column is, whichever chunks carry them, and never
    in a text column. The oracle: the regex over the whole column at once."""
    import re

    typer = ColumnTyper(1, trim=False, evidence=column_evidence())
    at, k = 0, 0
    while at < len(values):
        size = sizes[k % len(sizes)]
        typer.update_frame(pl.DataFrame({"c0": values[at : at + size]}, schema={"c0": pl.String}), at + 2)
        at, k = at + size, k + 1
    col = typer.result(["x"])[0]
    shaped = [i for i, v in enumerate(values) if re.fullmatch(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}", v)]
    every = all(v in ("", "NA") or i in shaped for i, v in enumerate(values))
    assert col.point_groups.count == (len(shaped) if every else 0)
    assert [s.row for s in col.point_groups.samples] == ([i + 2 for i in shaped][:5] if every else [])
