"""The typer's small chunks (a small file's only one) run the exact tests of all their columns in
one query; the per-column queries must give the same facts: types, whether a column holds numbers
too, its text evidence and numeric evidence with their counts and first rows."""

from __future__ import annotations

import itertools

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tabcheck.plugins import column_evidence
from tabcheck.scan import values
from tabcheck.scan.values import ColumnTyper

VALUES = [
    "1",
    "-2",
    "007",
    "3.5",
    "1e3",
    "",
    "NA",
    "null",
    "NULL",
    "abc",
    "3,5",
    "1 234,5",
    "1,234",
    "12%",
    "TRUE",
    "2020-01-31",
    "2021-02-30",
    "2020-1-5",
    "2020-01-01 10:00:00",
    "25/12/2020",
    "Infinity",
    "nan",
    "0x1p3",
    "1d",
    " 12 ",
    "99999999999999999999",
    "-99",
    "n/a",
]


def _facts(chunks: list[list[list[str]]], fused: bool) -> list[tuple]:
    width = len(chunks[0][0])
    typer = ColumnTyper(width, trim=False, evidence=column_evidence())
    original, values.FUSED_SMALL_CHUNKS = values.FUSED_SMALL_CHUNKS, fused
    try:
        row = 2
        for chunk in chunks:
            frame = pl.DataFrame(
                {f"c{i}": [r[i] for r in chunk] for i in range(width)},
                schema={f"c{i}": pl.String for i in range(width)},
            )
            typer.update_frame(frame, row)
            row += len(chunk)
    finally:
        values.FUSED_SMALL_CHUNKS = original
    return [
        (
            c.type,
            c.had_numbers,
            (c.unexplained_text.count, c.unexplained_text.samples),
            {k: (o.count, o.samples) for k, o in c.evidence.items() if o},
        )
        for c in typer.result([f"c{i}" for i in range(width)])
    ]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), width=st.integers(1, 4))
def test_small_chunks_fused_and_per_column_agree(data, width):
    cell = st.one_of(st.sampled_from(VALUES), st.text(max_size=5))
    row = st.lists(cell, min_size=width, max_size=width)
    chunks = data.draw(st.lists(st.lists(row, min_size=1, max_size=40), min_size=1, max_size=4))
    assert _facts(chunks, fused=True) == _facts(chunks, fused=False)


def test_a_large_chunk_takes_the_per_column_queries(monkeypatch):
    calls = []
    monkeypatch.setattr(ColumnTyper, "_fused_tests", lambda self, df, cols: calls.append(df.height) or {})
    typer = ColumnTyper(1, trim=False, evidence=column_evidence())
    typer.update_frame(pl.DataFrame({"c0": ["1", "abc"] * 1000}), 2)  # 2,000 rows: small
    typer.update_frame(pl.DataFrame({"c0": ["x"] * 2001}), 2002)  # a text column now: nothing odd
    typer2 = ColumnTyper(1, trim=False, evidence=column_evidence())
    typer2.update_frame(pl.DataFrame({"c0": ["1", "abc"] * 1001}), 2)  # 2,002 rows: per column
    assert calls == [2000]


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(
        st.sampled_from(["2020-12-25", "2020-12-25 14:30", "2021-01-02T08:00:00", "", "2020-1-5 9:05"]),
        min_size=1,
        max_size=60,
    ),
    cuts=st.lists(st.integers(0, 60), max_size=4),
    fused=st.booleans(),
)
def test_times_in_a_date_column_are_counted_whatever_the_chunks(cells, cuts, fused):
    """TC410's facts: every value of a date column with a time after its date, its first rows, the
    same however the file is cut into chunks."""
    bounds = sorted({0, len(cells), *(c for c in cuts if c < len(cells))})
    chunks = [[[v] for v in cells[a:b]] for a, b in itertools.pairwise(bounds)]
    typer = ColumnTyper(1, trim=False, evidence=column_evidence())
    original, values.FUSED_SMALL_CHUNKS = values.FUSED_SMALL_CHUNKS, fused
    try:
        row = 2
        for chunk in chunks:
            typer.update_frame(pl.DataFrame({"c0": [r[0] for r in chunk]}, schema={"c0": pl.String}), row)
            row += len(chunk)
    finally:
        values.FUSED_SMALL_CHUNKS = original
    (column,) = typer.result(["c0"])
    timed = [(i + 2, v) for i, v in enumerate(cells) if v not in ("", "2020-12-25")]
    if column.type == "date":
        assert (column.dated_times.count, [tuple(s) for s in column.dated_times.samples]) == (
            len(timed),
            timed[:5],
        )
    else:
        assert not any(v for v in cells if v)  # no value at all: numeric, as Dataverse types it
