"""A column of decimal commas repeats the same few hundred values in every chunk: the typer tests
each distinct value once for the whole file and remembers its group (`ColumnTyper._groups`), and
counts a chunk's evidence from its distinct values' counts once the samples are all kept. Both must
give what the value-by-value tests give: the same groups, the same counts, the same first rows."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabcheck.plugins import column_evidence
from tabcheck.scan import values
from tabcheck.scan.values import EMPTY, NUMBER, UNEXPLAINED, ColumnTyper, _Column

VALUES = [
    "1,5",
    "12,25",
    "0,882",
    "1,234",
    "1 234,5",
    "1.234,5",
    "12 %",
    "€ 12",
    "TRUE",
    "NA",
    "null",
    "-99",
    "3.5",
    "7",
    "1e5",
    "Infinity",
    "0x1p3",
    "abc",
    "",
    " ",
    "2021-02-30",
    "25/12/2020",
    "1" * 70 + ",5",  # longer than the values remembered
]
cell = st.one_of(st.sampled_from(VALUES), st.text(max_size=6))


def _expected(typer: ColumnTyper, vals: list[str]) -> tuple[list[int], bool]:
    """Each value's group by `_text_values` and `_first_evidence`, and `had_numbers`."""
    col = _Column()
    series = pl.Series(vals, dtype=pl.String)
    text = typer._text_values(col, series, 0)
    groups = [EMPTY if v == "" else NUMBER for v in vals]
    names = typer.text_evidence
    for name, hits in typer._first_evidence(text, series):
        for j in hits.to_list():
            groups[j] = UNEXPLAINED if name is None else names.index(name)
    return groups, col.had_numbers


@settings(max_examples=300, deadline=None)
@given(first=st.lists(cell, max_size=30), second=st.lists(cell, max_size=30))
def test_remembered_groups_are_the_tests_groups(first, second):
    """Values met in an earlier chunk (remembered) and new ones (tested) alike."""
    typer = ColumnTyper(1, trim=False, evidence=column_evidence())
    for vals in (first, second, first + second):
        groups, had_numbers = _expected(typer, vals)
        assert typer._groups(vals) == groups
        assert (NUMBER in groups) == had_numbers


def _facts(chunks: list[list[str]], by_distinct: bool, limit: int, monkeypatch) -> list[tuple]:
    """The facts of one column fed these chunks (`_wide_facts` of rows of one value)."""
    return _wide_facts([[[v] for v in chunk] for chunk in chunks], by_distinct, monkeypatch, limit)


def _wide_facts(
    chunks: list[list[list[str]]], by_distinct: bool, monkeypatch, limit: int = 1 << 16
) -> list[tuple]:
    """Each column's facts once the chunks (rows of the same width) are fed, by distinct values
    or value by value, `limit` distinct values remembered at most."""
    monkeypatch.setattr(values, "FUSED_SMALL_CHUNKS", False)  # the per-column queries, even small
    monkeypatch.setattr(values, "_DISTINCT_RATIO", 0 if by_distinct else 1 << 40)
    monkeypatch.setattr(values, "_KNOWN_LIMIT", limit)
    width = len(chunks[0][0])
    names = [f"c{i}" for i in range(width)]
    typer = ColumnTyper(width, trim=False, evidence=column_evidence())
    row = 2
    for chunk in chunks:
        frame = pl.DataFrame(
            {n: [r[i] for r in chunk] for i, n in enumerate(names)}, schema=dict.fromkeys(names, pl.String)
        )
        typer.update_frame(frame, row)
        row += len(chunk)
    return [
        (
            c.type,
            c.had_numbers,
            (c.unexplained_text.count, c.unexplained_text.samples),
            {k: (o.count, o.samples) for k, o in c.evidence.items() if o},
        )
        for c in typer.result(names)
    ]


@pytest.mark.parametrize("limit", [1 << 16, 3, 0])
@settings(max_examples=150, deadline=None)
@given(chunks=st.lists(st.lists(cell, min_size=1, max_size=25), min_size=1, max_size=6))
def test_counting_by_distinct_values_gives_the_value_by_value_facts(chunks, limit):
    """With every value remembered, a few, or none (each chunk tests its values again)."""
    with pytest.MonkeyPatch.context() as mp:
        remembered = _facts(chunks, by_distinct=True, limit=limit, monkeypatch=mp)
    with pytest.MonkeyPatch.context() as mp:
        value_by_value = _facts(chunks, by_distinct=False, limit=limit, monkeypatch=mp)
    assert remembered == value_by_value


def test_full_samples_count_from_the_distinct_values(monkeypatch):
    """Past the first chunks, a decimal-comma column's samples are all kept: later chunks only add
    to the count, and the rows named stay the first ones."""
    chunk = ["1,5", "2,25", "1,5", "7", ""] * 4
    facts = _facts([chunk] * 5, by_distinct=True, limit=1 << 16, monkeypatch=monkeypatch)
    (kind, had_numbers, unexplained, evidence) = facts[0]
    assert kind == "character" and had_numbers and unexplained == (0, [])
    count, samples = evidence["decimal-comma"]
    assert count == 5 * 12
    assert [(s.row, s.value) for s in samples] == [
        (2, "1,5"),
        (3, "2,25"),
        (4, "1,5"),
        (7, "1,5"),
        (8, "2,25"),
    ]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), width=st.integers(2, 3))
def test_several_columns_learning_together_give_the_value_by_value_facts(data, width):
    """The groups of several columns' new values learnt in one query per chunk (`_distinct_counts`)
    are the ones each column's own tests give."""
    row = st.lists(cell, min_size=width, max_size=width)
    chunks = data.draw(st.lists(st.lists(row, min_size=1, max_size=25), min_size=1, max_size=6))
    with pytest.MonkeyPatch.context() as mp:
        together = _wide_facts(chunks, by_distinct=True, monkeypatch=mp)
    with pytest.MonkeyPatch.context() as mp:
        value_by_value = _wide_facts(chunks, by_distinct=False, monkeypatch=mp)
    assert together == value_by_value


def test_new_values_of_several_columns_are_learnt_in_one_query(monkeypatch):
    """Two columns of decimal commas, each chunk bringing new values to both: once both are text
    (the first chunk), each chunk asks polars once for the two columns' new values, not once a
    column."""
    monkeypatch.setattr(values, "FUSED_SMALL_CHUNKS", False)
    typer = ColumnTyper(2, trim=False, evidence=column_evidence())
    learnt: list[list[str]] = []
    learn = typer._learn

    def counted(fresh: list[str]) -> dict[str, int]:
        learnt.append(sorted(fresh))
        return learn(fresh)

    monkeypatch.setattr(typer, "_learn", counted)
    row = 2
    for k in range(4):
        a = [f"{k},{j}" for j in range(40)] + ["1,5"] * 400
        b = [f"{k}{j:02d},5" for j in range(40)] + ["2,5"] * 400
        typer.update_frame(pl.DataFrame({"c0": a, "c1": b}), row)
        row += len(a)
    # The first chunk makes both columns text (value by value); each later one, a single query.
    assert len(learnt) == 3
    assert learnt[0] == sorted({f"1,{j}" for j in range(40)} | {f"1{j:02d},5" for j in range(40)} | {"2,5"})
    facts = typer.result(["c0", "c1"])
    assert [c.evidence["decimal-comma"].count for c in facts] == [4 * 440, 4 * 440]
