"""Column values, chunk by chunk, with polars: Dataverse's variable types and the rules' evidence.

Dataverse types a column value by value, in file order (see dataverse/javatext.py): a column stays
numeric while every value parses as a Java double; from its first non-numeric value on, the values
are tried as date-times and dates. The typer reproduces that order with whole-column expressions, and
stops evaluating a test as soon as the column has failed it, so a text column costs nothing after
its first chunk.

Evidence (from the `tabcheck_column_evidence` hook) is counted per column with its first rows, each
value for the first text evidence it matches (hooks' order):
`text` evidence on the values Dataverse cannot read as numbers (they explain why a column becomes
character), `numeric` evidence on values it reads as numbers (leading zeros, `null`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from tabcheck.dataverse import javatext as jt
from tabcheck.facts.common import Occurrences, ValueSample
from tabcheck.facts.table import STRAY_TEXTS, ColumnFacts
from tabcheck.scan.evidence import Evidence
from tabcheck.scan.records import TDF_BLANKS

# Text values of a chunk's column up to which all text evidence is tested in one query.
_FEW_VALUES = 4096
# A chunk with at most one distinct value in this many has its text evidence counted on its distinct
# values, each tested once for the whole file (see _KNOWN_LIMIT). 4, not 8: a column of values with
# three decimals (0,500 to 5,000) has about 5,700 distinct values in each chunk of 43,000 rows, the
# same ones from chunk to chunk; at 8 it was tested value by value (the French export's first 249 MB
# typed in 1.26 s instead of 1.42 s). Chunks of new values each time cost a little more at 4.
_DISTINCT_RATIO = 4
# Distinct values whose group the typer remembers from chunk to chunk (a column of decimal commas
# repeats the same few hundred in every chunk: they are tested once). A value's group is a text
# evidence's index in hooks' order, UNEXPLAINED, NUMBER (Dataverse reads it as a number) or EMPTY.
# At most 65,536 values of at most 64 characters: about 10 MB.
_KNOWN_LIMIT = 1 << 16
_KNOWN_LENGTH = 64
UNEXPLAINED, NUMBER, EMPTY = -1, -2, -3
# Chunks of at most this many rows have the exact tests of all their columns in one query (a small
# file pays a fixed cost per query: a few per column otherwise). Not above 2,000: see _text_evidence.
_SMALL_CHUNK = 2000
# 1.234, 25.000: one point and three digits after it (not 0.125: no thousands group after a lone 0).
ONE_POINT_GROUP = r"^[+-]?[1-9][0-9]{0,2}\.[0-9]{3}$"
_POINT_GROUPS_HEAD = 64  # a chunk's first values settle most columns: a number written otherwise
FUSED_SMALL_CHUNKS = True  # False: the per-column queries (the differential tests' reference)


def _plain_float(c: pl.Expr, cast: pl.Expr | None = None) -> pl.Expr:
    """A finite number by polars' float parser, which reads a subset of what Java's reads except
    inf/infinity/nan in any case: those (and numbers beyond a double) are left to the exact test.
    `cast`: the values already cast (non-strict) to Float64."""
    return (c.cast(pl.Float64, strict=False) if cast is None else cast).is_finite().fill_null(False)


def _odd_number(c: pl.Expr, integer: bool, cast: pl.Expr | None = None) -> pl.Expr:
    """Values a numeric column's cheap test cannot settle: a 64-bit integer for an integer column
    (null, NA, 1.5, huge integers fall out), a plain float for a continuous one. `cast`: the values
    already cast (non-strict) to Int64 or Float64 (`_number_casts`)."""
    if integer:
        return (c != "") & (c.cast(pl.Int64, strict=False) if cast is None else cast).is_null()
    return (c != "") & ~_plain_float(c, cast)


def _number_cast(c: pl.Expr, integer: bool) -> pl.Expr:
    return c.cast(pl.Int64 if integer else pl.Float64, strict=False)


def _java_number_expr(c: pl.Expr) -> pl.Expr:
    """Java's exact test (Double.parseDouble, or a token a numeric column accepts)."""
    return c.str.contains(jt.NUMERIC_TOKENS_RE) | c.str.strip_chars(jt.JAVA_TRIM).str.contains(jt.DOUBLE_RE)


# A value Java's date parser reads as yyyy-MM-dd by its start, a time of day after it (not the
# whole yyyy-MM-dd HH:mm:ss its time test asks for): 2020-12-25 14:30, 2020-12-25T14:30:00.
_DATE_THEN_TIME = r"^[ \t]*-?[0-9]+-[ \t]*-?[0-9]+-[ \t]*-?[0-9]+[ T][0-9]{1,2}:[0-9]{2}"


def _canonical_date(c):
    """Exactly yyyy-mm-dd, a real Gregorian date: Java's strict parser accepts these for sure.
    Without polars' cache of parsed strings: a chunk's few thousand distinct dates churned it, and
    parsing each value took half the time (1.5 ms instead of 3.0 for a chunk of 43,000 dates)."""
    year = c.str.to_date("%Y-%m-%d", strict=False, cache=False).dt.year()
    return (c.str.len_bytes() == 10) & (year >= 1583).fill_null(False)


@dataclass
class _Column:
    numeric: bool = True
    integer: bool = True
    temporal: bool = False  # numeric has failed: values now go through the date/time tests
    time_fmt: str | None = None
    time_ok: bool = True
    date_ok: bool = True
    date_seen: bool = False
    unexplained: Occurrences = field(default_factory=Occurrences)
    evidence: dict[str, Occurrences] = field(default_factory=dict)
    seen_value: bool = False  # a non-empty value while the column was numeric
    had_numbers: bool = False  # a value Dataverse reads as a number (before or among text)
    few_distinct: bool = True  # its last chunk had few distinct values (text evidence per value)
    # Unexplained values met while the column still looked like dates (see _pending_text).
    pending: Occurrences = field(default_factory=Occurrences)
    # Dates followed by a time of day that is not Dataverse's (2020-12-25 14:30): read as dates.
    dated_times: Occurrences = field(default_factory=Occurrences)
    # Non-empty values that keep a column numeric (numbers, NA, null) and the others, counted while
    # few values are unexplained (STRAY_TEXTS): a column of numbers with a stray word
    # (text-among-numbers).
    numbers: int = 0
    texts: int = 0
    # Numbers all written 1.234 (one point, three digits after): a thousands separator, in a file
    # whose decimals are commas? None once a number of the column is written otherwise.
    point_groups: Occurrences | None = field(default_factory=Occurrences)

    @property
    def counting(self) -> bool:
        return self.unexplained.count <= STRAY_TEXTS


class ColumnTyper:
    def __init__(self, width: int, trim: bool, evidence: dict[str, Evidence]):
        self.width = width
        self.trim = trim
        self.evidence = evidence
        self.cols = [_Column(evidence={k: Occurrences() for k in evidence}) for _ in range(width)]
        # The text evidence in hooks' order: a value counts for the first it matches.
        self.text_evidence = [name for name, ev in evidence.items() if ev.scope == "text"]
        self.known: dict[str, int] = {}  # distinct values' groups (_text_evidence_by_distinct)
        # `check --codebook`: each chunk's values also go to the codebook, with the columns' types
        # as they stand after it (a LiveCodebook; it gives up when a type changes later).
        self.codebook: Any = None

    # -- input -----------------------------------------------------------------------------------
    def update_rows(self, rows: list[list[str]], first_row: int) -> None:
        """Records from the exact splitter (already trimmed for TSV); padded or cut to the width."""
        if self.width:
            self.update_frame(self.rows_frame(rows), first_row, trimmed=True)

    def rows_frame(self, rows: list[list[str]]) -> pl.DataFrame:
        """The exact splitter's records as a frame of the width (padded or cut), trimmed as read."""
        w = self.width
        data = {f"c{i}": [r[i] if i < len(r) else "" for r in rows] for i in range(w)}
        return pl.DataFrame(data, schema={f"c{i}": pl.String for i in range(w)})

    def cleaned(self, df: pl.DataFrame) -> pl.DataFrame:
        """polars' values as the exact splitter gives them: no nulls, trimmed for TSV."""
        return df.select([self._clean(pl.col(f"c{i}"), False).alias(f"c{i}") for i in range(self.width)])

    def update_frame(self, df: pl.DataFrame, first_row: int, trimmed: bool = False) -> None:
        """One chunk of values: one aggregate query says which columns need a closer look.

        Per column, in its current state, it counts the values the cheap kernels cannot settle: for
        a numeric column those polars' number parser rejects (NA, null, 1d, hex, spaces, text), for
        a date column those that are not plain yyyy-mm-dd, for a date-time column those that do not
        match. Only those values then meet the exact Java tests, so a clean chunk costs one query.
        """
        if not self.width or not df.height:
            return
        names = [f"c{i}" for i in range(self.width)]
        if (self.trim and not trimmed) or any(df.null_count().row(0)):
            df = df.select([self._clean(pl.col(n), trimmed).alias(n) for n in names])
        # With a codebook, the numeric columns' casts are made once, for the cheap test here and
        # for the codebook's stored values (`n{i}`, Int64 or Float64 as the column stands).
        casts = None
        if self.codebook is not None:
            casts = df.select(
                [
                    _number_cast(pl.col(names[i]), col.integer).alias(f"n{i}")
                    for i, col in enumerate(self.cols)
                    if col.numeric
                ]
            )
        source = pl.concat([df, casts], how="horizontal") if casts is not None and casts.width else df
        aggs: list[pl.Expr] = []
        for i, col in enumerate(self.cols):
            c = pl.col(names[i])
            if col.numeric:
                cast = pl.col(f"n{i}") if casts is not None else None
                aggs.append(_odd_number(c, col.integer, cast).sum().alias(f"{i}:odd"))
                aggs.append((c != "").sum().alias(f"{i}:filled"))  # also: a value seen
                for name, ev in self._prefiltered(col):
                    aggs.append(ev.prefilter(c).sum().alias(f"{i}:{name}"))
            elif col.temporal and col.time_ok and col.time_fmt:
                pattern = jt.TIME_TZ_RE if col.time_fmt == "tz" else jt.TIME_NOTZ_RE
                aggs.append(((c != "") & ~c.str.contains(pattern)).sum().alias(f"{i}:time"))
            elif col.temporal and col.date_ok and not col.time_ok:
                aggs.append(((c != "") & ~_canonical_date(c)).sum().alias(f"{i}:date"))
                aggs.append((c != "").sum().alias(f"{i}:n"))
        out = source.select(aggs).row(0, named=True) if aggs else {}
        # A small chunk (a small file's only one): the exact tests of every column with odd values
        # in one query over all its rows, rather than a few queries per column.
        ahead = {}
        if df.height <= _SMALL_CHUNK and FUSED_SMALL_CHUNKS:
            odd = [i for i, col in enumerate(self.cols) if col.numeric and out[f"{i}:odd"]]
            if odd:
                ahead = self._fused_tests(df, odd)
        counted = self._distinct_counts(df, names)
        for i, col in enumerate(self.cols):
            self._absorb(i, col, out, df[names[i]], first_row, ahead.get(i), counted.get(i))
        if self.codebook is not None:
            self.codebook.feed(df, self.types(), casts)

    def _fused_tests(self, df: pl.DataFrame, columns: list[int]) -> dict[int, dict[str, list]]:
        """Per column, on every row: the cheap test's odd values, Java's number test, the integer
        test, the numeric evidence without a prefilter, and the first text evidence each value
        matches (hooks' order; one past the last: none): what `_numbers`, `_text_values` and
        `_first_evidence` ask, in one query."""
        texts = self.text_evidence
        plain = self._plain_numeric()
        exprs: list[pl.Expr] = []
        keys: dict[int, dict[str, str]] = {}
        for i in columns:
            c, col = pl.col(f"c{i}"), self.cols[i]
            tests: dict[str, pl.Expr] = {
                "odd": _odd_number(c, col.integer),
                "number": _java_number_expr(c).fill_null(False),
                "value": c != "",
                "first": self._first_match(c, len(texts)),
            }
            if col.integer:
                tests["integer"] = ((c == "null") | c.str.contains(jt.INTEGER_RE)).fill_null(False)
            tests.update({f"e{k}": ev.test(c).fill_null(False) for k, (_, ev) in enumerate(plain)})
            keys[i] = {short: f"{short}:{i}" for short in tests}
            exprs += [expr.alias(f"{short}:{i}") for short, expr in tests.items()]
        frame = df.select(exprs)
        lists = frame.to_dict(as_series=False)  # a small chunk: its logic runs on plain lists
        return {i: {short: lists[alias] for short, alias in names.items()} for i, names in keys.items()}

    def _distinct_counts(self, df: pl.DataFrame, names: list[str]) -> dict[int, pl.DataFrame]:
        """The value counts of the columns whose text evidence this chunk goes by distinct values,
        their values never met given their group in one query for all of them (`_groups`
        remembers it). A chunk brings a few new values to each such column, and a query costs a
        few milliseconds whatever its size: one per column took a sixth of a French export's typing.
        Only a cost: each value's group is the same whichever query gives it."""
        counted: dict[int, pl.DataFrame] = {}
        fresh: dict[str, None] = {}
        for i, col in enumerate(self.cols):
            if not self._by_distinct(col):
                continue
            counts = df[names[i]].value_counts(name="n")
            if counts.height * _DISTINCT_RATIO > df.height:
                continue  # many distinct values: `_text_evidence_by_distinct` turns the column away
            counted[i] = counts
            fresh.update((v, None) for v in counts.to_series(0).to_list() if v not in self.known)
        if len(counted) > 1 and fresh and len(self.known) + len(fresh) <= _KNOWN_LIMIT:
            self._learn(list(fresh))
        return counted

    @staticmethod
    def _counts_text(col: _Column) -> bool:
        """Whether the column's text evidence is counted: no longer numeric nor dates or times,
        and at most a few values left unexplained (a column of numbers with a stray word is still
        one: its numbers and their evidence are counted on)."""
        return col.temporal and col.counting and not (col.date_ok or col.time_ok)

    @staticmethod
    def _distinct_worth_it(col: _Column) -> bool:
        """Whether its text evidence goes by distinct values (when a chunk starts on text)."""
        return col.few_distinct and any(col.evidence.values())

    def _by_distinct(self, col: _Column) -> bool:
        """Whether `_absorb` counts this column's text evidence by distinct values (its state
        before the chunk: a column that stops being numeric in it goes there too, on its own;
        one with pending values turns them unexplained first)."""
        return not col.numeric and not col.pending and self._counts_text(col) and self._distinct_worth_it(col)

    def _plain_numeric(self) -> list[tuple[str, Evidence]]:
        """Numeric evidence without a prefilter: tested on the values the cheap test finds odd."""
        return [
            (n, ev)
            for n, ev in self.evidence.items()
            if ev.scope in ("numeric", "integer") and ev.prefilter is None
        ]

    def _prefiltered(self, col: _Column):
        """Numeric evidence with a cheap prefilter that still concerns this column."""
        for name, ev in self.evidence.items():
            if ev.prefilter is not None and (
                ev.scope == "numeric" or (ev.scope == "integer" and col.integer)
            ):
                yield name, ev

    def _clean(self, c: pl.Expr, trimmed: bool) -> pl.Expr:
        c = c.fill_null("")
        # TDF trims Java's whitespace (an ideographic space, a vertical tab too), as the splitter does.
        return c.str.strip_chars(TDF_BLANKS) if self.trim and not trimmed else c

    def _absorb(
        self,
        i: int,
        col: _Column,
        out: dict,
        series: pl.Series,
        first_row: int,
        ahead: dict | None = None,
        counts: pl.DataFrame | None = None,
    ) -> None:
        start = None  # where the value-by-value date/time tests begin in this chunk
        if col.numeric:
            seen_before = col.seen_value
            col.seen_value = seen_before or out[f"{i}:filled"] > 0
            if out[f"{i}:odd"]:
                start = (
                    self._numbers(col, series, first_row)
                    if ahead is None
                    else self._fused_numbers(col, ahead, series, first_row)
                )
                if start is not None:
                    before = int((series.slice(0, start) != "").sum())
                    col.had_numbers = seen_before or before > 0
                    col.numbers += before
            if start is None:
                col.numbers += int(out[f"{i}:filled"])
            for name, ev in self._prefiltered(col):
                if out.get(f"{i}:{name}"):
                    idx = series.to_frame("v").select(ev.prefilter(pl.col("v")).arg_true()).to_series()
                    hits = idx.filter(ev.test_series(series.gather(idx)))
                    self._record(col.evidence[name], hits, series, first_row)
        elif f"{i}:time" in out:
            if out[f"{i}:time"]:
                col.time_ok = False
        elif f"{i}:date" in out:
            if out[f"{i}:date"]:
                self._temporal(col, series, first_row)  # a few odd values: the exact test settles them
            elif out[f"{i}:n"]:
                col.date_seen = True
        elif col.temporal:
            start = 0
        if start is not None and (col.time_ok or col.date_ok):
            self._temporal(col, series.slice(start), first_row + start)
        if col.point_groups is not None:
            if col.numeric:
                self._point_groups(col, series, first_row)
            else:
                col.point_groups = None
        # A column still passing the date or time test holds dates: no text evidence to count yet,
        # but the values no evidence explains are kept aside in case a later chunk ends the test.
        if col.temporal and (col.date_ok or col.time_ok):
            if len(col.pending.samples) < 5 and (start is not None or out.get(f"{i}:date") or col.time_ok):
                self._pending_text(col, series, start or 0, first_row)
        elif col.pending:
            col.unexplained.extend(col.pending.samples, col.pending.count)
            col.pending = Occurrences()
        if self._counts_text(col):
            if ahead is not None and start is not None:
                self._fused_text_evidence(col, ahead, start, series, first_row)
            elif not start and self._distinct_worth_it(col):
                self._text_evidence_by_distinct(col, series, first_row, counts)
            else:
                self._text_evidence(col, self._text_values(col, series, start or 0), series, first_row)

    def _point_groups(self, col: _Column, series: pl.Series, first_row: int) -> None:
        """Whether the chunk's numbers are all written 1.234 (missing values aside): tested on its
        first values, then on all of them only while those are (a column of other numbers, nearly
        every one, costs one small query in its first chunk, then nothing)."""
        seen = col.point_groups
        if seen is None:
            return
        v = pl.col("v")
        other = (v != "") & (v != "NA") & ~v.str.contains(ONE_POINT_GROUP)
        if series.head(_POINT_GROUPS_HEAD).to_frame("v").select(other.any()).item():
            col.point_groups = None
            return
        tests = series.to_frame("v").select(
            other=other.any(), hits=v.str.contains(ONE_POINT_GROUP).arg_true().implode()
        )
        if tests["other"][0]:
            col.point_groups = None
            return
        self._record(seen, tests["hits"][0], series, first_row)

    def _pending_text(self, col: _Column, series: pl.Series, start: int, first_row: int) -> None:
        """Values (from `start`) of a column that still looks like dates or date-times that no text
        evidence explains: yyyy-m-d, a date followed by text, every date-time (a plain yyyy-mm-dd
        is an iso-date). Had the chunk ended later, they would have been counted as text: kept,
        they make the column's facts the same whatever the chunks (a few at most)."""
        v = pl.col("v")
        odd = (v != "") & (~_canonical_date(v) if col.date_ok else pl.lit(True))
        idx = series.slice(start).to_frame("v").select(odd.arg_true()).to_series().head(_FEW_VALUES) + start
        if idx.len():
            for name, hits in self._first_evidence(idx, series):
                if name is None:
                    self._record(col.pending, hits, series, first_row)

    def _fused_numbers(
        self, col: _Column, ahead: dict[str, list], series: pl.Series, first_row: int
    ) -> int | None:
        """`_numbers` from the fused tests of a small chunk."""
        number = ahead["number"]
        odd = [j for j, is_odd in enumerate(ahead["odd"]) if is_odd]
        for k, (name, _) in enumerate(self._plain_numeric()):
            hits = ahead[f"e{k}"]
            self._record_rows(
                col.evidence[name], [j for j in odd if number[j] and hits[j]], series, first_row
            )
        if col.integer and not all(ahead["integer"][j] for j in odd):
            col.integer = False
        start = next((j for j in odd if not number[j]), None)
        if start is None:
            return None
        col.numeric = False
        col.temporal = True
        return start

    def _fused_text_evidence(
        self, col: _Column, ahead: dict[str, list], start: int, series: pl.Series, first_row: int
    ) -> None:
        """`_text_evidence` over `_text_values` from the fused tests of a small chunk (at most
        _SMALL_CHUNK values: the first look at a few values and the evidence in turn never apply)."""
        value, number, first = ahead["value"], ahead["number"], ahead["first"]
        text = [j for j in range(start, len(value)) if value[j] and not number[j]]
        if not col.had_numbers and len(text) < sum(value[start:]):
            col.had_numbers = True
        if col.counting:
            col.numbers += sum(value[start:]) - len(text)
            col.texts += len(text)
        texts = self.text_evidence
        groups: dict[int, list[int]] = {}
        for j in text:
            groups.setdefault(first[j], []).append(j)
        for k in sorted(groups):
            target = col.unexplained if k >= len(texts) else col.evidence[texts[k]]
            self._record_rows(target, groups[k], series, first_row)

    def _numbers(self, col: _Column, series: pl.Series, first_row: int) -> int | None:
        """The exact Java tests on the values the number parser rejected; where the column stops
        being numeric (the date/time tests start there), or None. One query for all the tests."""
        v = pl.col("v")
        numeric = _java_number_expr(v)
        plain = self._plain_numeric()
        tests: dict[str, pl.Expr] = {"i": pl.col("i"), "numeric": numeric}
        tests.update({f"e{k}": numeric & ev.test(v).fill_null(False) for k, (_, ev) in enumerate(plain)})
        if col.integer:
            tests["integer"] = ((v == "null") | v.str.contains(jt.INTEGER_RE)).fill_null(False)
        odd = series.to_frame("v").with_row_index("i").filter(_odd_number(v, col.integer)).select(**tests)
        idx = odd["i"]
        for k, (name, _) in enumerate(plain):
            hits = odd[f"e{k}"]
            if hits.any():
                self._record(col.evidence[name], idx.filter(hits), series, first_row)
        if col.integer and not odd["integer"].all():
            col.integer = False
        text = idx.filter(~odd["numeric"])
        if not text.len():
            return None
        col.numeric = False
        col.temporal = True
        return int(text[0])

    @staticmethod
    def _text_values(col: _Column, series: pl.Series, start: int) -> pl.Series:
        """Positions (from `start`) of the values Dataverse does not read as numbers."""
        tail = series.slice(start)
        v = pl.col("v")
        odd = tail.to_frame("v").with_row_index("i").filter((v != "") & ~_plain_float(v))
        # No Java number holds a comma: decimal commas skip the costly exact test.
        odd = odd.with_columns(comma=v.str.contains(",", literal=True))
        if odd["comma"].any():
            text = odd.filter(pl.col("comma"))["i"]
            others = odd.filter(~pl.col("comma")).filter(~_java_number_expr(v))["i"]  # the rest only
            if others.len():
                text = text.append(others).sort()
        else:
            text = odd.filter(~_java_number_expr(v))["i"]
        if not col.had_numbers or col.counting:
            filled = int((tail != "").sum())
            col.had_numbers = col.had_numbers or text.len() < filled
            if col.counting:
                col.numbers += filled - text.len()
                col.texts += text.len()
        return text + start

    def _text_evidence_by_distinct(
        self, col: _Column, series: pl.Series, first_row: int, counts: pl.DataFrame | None = None
    ) -> None:
        """The text evidence of a whole chunk counted on its distinct values (a column of decimal
        commas repeats a few hundred of them): each distinct value is tested once for the whole
        file (`_groups`), and the rows of each evidence found by one lookup while its samples are
        not all kept (then its count is the sum of its values' counts). The same groups as
        `_text_evidence` over `_text_values`, whose first look at a few values no longer applies
        once evidence was met. A chunk with many distinct values goes the usual way, and so do
        the column's next ones. `counts`: the series' value counts, when made already."""
        if counts is None:
            counts = series.value_counts(name="n")
        distinct = counts.to_series(0)
        if distinct.len() * _DISTINCT_RATIO > series.len():
            col.few_distinct = False
            self._text_evidence(col, self._text_values(col, series, 0), series, first_row)
            return
        values, n = distinct.to_list(), counts["n"].to_list()
        groups: dict[int, list[int]] = {}
        for j, group in enumerate(self._groups(values)):
            groups.setdefault(group, []).append(j)
        if NUMBER in groups:
            col.had_numbers = True
        if col.counting:
            col.numbers += sum(n[j] for j in groups.get(NUMBER, ()))
            col.texts += sum(n[j] for g, hits in groups.items() if g not in (NUMBER, EMPTY) for j in hits)
        names = self.text_evidence
        for group in sorted(g for g in groups if g >= 0) + ([UNEXPLAINED] if UNEXPLAINED in groups else []):
            hits = groups[group]
            target = col.unexplained if group == UNEXPLAINED else col.evidence[names[group]]
            if len(target.samples) >= target.limit:  # samples all kept: the count alone changes
                target.count += sum(n[j] for j in hits)
                continue
            chosen = distinct.gather(hits)
            rows = series.to_frame("v").select(pl.col("v").is_in(chosen.implode()).arg_true()).to_series()
            self._record(target, rows, series, first_row)

    def _groups(self, values: list[str]) -> list[int]:
        """Each value's group (see _KNOWN_LIMIT): the values never met are tested in one query, as
        `_text_values` and `_first_evidence` test them, and remembered while there is room."""
        known = self.known
        fresh = list({v: None for v in values if v not in known})
        if not fresh:
            return [known[v] for v in values]
        learnt = self._learn(fresh)
        return [learnt[v] if v in learnt else known[v] for v in values]

    def _learn(self, fresh: list[str]) -> dict[str, int]:
        """The groups of distinct values never met, in one query; remembered while there is room."""
        v = pl.col("v")
        text = (v != "") & ~_plain_float(v) & (v.str.contains(",", literal=True) | ~_java_number_expr(v))
        first = self._first_match(v, UNEXPLAINED)
        group = pl.when(v == "").then(pl.lit(EMPTY)).when(text).then(first).otherwise(pl.lit(NUMBER))
        found = pl.Series(fresh, dtype=pl.String).to_frame("v").select(group).to_series().to_list()
        learnt = dict(zip(fresh, found, strict=True))
        if len(self.known) + len(learnt) <= _KNOWN_LIMIT:
            self.known.update((v, g) for v, g in learnt.items() if len(v) <= _KNOWN_LENGTH)
        return learnt

    def _text_evidence(self, col: _Column, idx: pl.Series, series: pl.Series, first_row: int) -> None:
        """Count the text evidence; a first look at a few values spots plain text columns cheaply."""
        if idx.len() > 2000 and not any(col.evidence.values()):
            self._text_evidence(col, idx.head(500), series, first_row)
            if col.unexplained:
                return
            idx = idx.slice(500)
        # Each value counts for the first evidence it matches: once explained, it is not tested again.
        if idx.len() <= _FEW_VALUES:
            groups = self._first_evidence(idx, series)
        else:
            groups = self._evidence_in_turn(idx, series)
        for name, hits in groups:
            self._record(col.unexplained if name is None else col.evidence[name], hits, series, first_row)

    def _evidence_in_turn(self, idx: pl.Series, series: pl.Series) -> list[tuple[str | None, pl.Series]]:
        """Each text evidence tested on the values no earlier one explained (many values: the first
        evidences usually explain most, the later ones see few)."""
        groups: list[tuple[str | None, pl.Series]] = []
        remaining = idx
        for name, ev in self.evidence.items():
            if ev.scope == "text" and remaining.len():
                hit = ev.test_series(series.gather(remaining))
                groups.append((name, remaining.filter(hit)))
                remaining = remaining.filter(~hit)
        groups.append((None, remaining))
        return groups

    def _first_match(self, c: pl.Expr, none: int) -> pl.Expr:
        """The index (hooks' order) of the first text evidence each value matches; `none` where it
        matches none."""
        return pl.coalesce(
            [
                pl.when(self.evidence[name].test(c).fill_null(False)).then(pl.lit(k))
                for k, name in enumerate(self.text_evidence)
            ]
            + [pl.lit(none)]
        )

    def _first_evidence(self, idx: pl.Series, series: pl.Series) -> list[tuple[str | None, pl.Series]]:
        """The same groups in one query: every test on every value, the first match kept (few values:
        one query costs less than two per evidence)."""
        names = self.text_evidence
        if not idx.len():
            return []
        if not names:
            return [(None, idx)]
        first = self._first_match(pl.col("v"), len(names))
        first_match = series.gather(idx).to_frame("v").select(first).to_series().to_list()
        by_evidence: dict[int, list[int]] = {}
        for k, i in zip(first_match, idx.to_list(), strict=True):  # a few thousand at most
            by_evidence.setdefault(k, []).append(i)
        return [
            (names[k] if k < len(names) else None, pl.Series(by_evidence[k], dtype=idx.dtype))
            for k in sorted(by_evidence)
        ]

    @staticmethod
    def _record(occ: Occurrences, idx: pl.Series, series: pl.Series, first_row: int) -> None:
        if idx.len():
            head = idx.head(5).to_list()
            occ.extend([ValueSample(first_row + r, series[r]) for r in head], idx.len())

    @staticmethod
    def _record_rows(occ: Occurrences, rows: list[int], series: pl.Series, first_row: int) -> None:
        """`_record` of positions in a plain list (a small chunk)."""
        if rows:
            occ.extend([ValueSample(first_row + r, series[r]) for r in rows[:5]], len(rows))

    def _temporal(self, col: _Column, series: pl.Series, first_row: int) -> None:
        """Dataverse's date/time tests on the values after the column stopped being numeric (the
        first at row `first_row`)."""
        values = series.filter(series != "")
        if not values.len():
            return
        if col.time_ok:
            if col.time_fmt is None:
                col.time_fmt = jt.time_format(values[0])
                if col.time_fmt is None:
                    col.time_ok = False
                else:
                    col.date_ok = False  # a date-time value ends the date test for good
            if col.time_ok:
                pattern = jt.TIME_TZ_RE if col.time_fmt == "tz" else jt.TIME_NOTZ_RE
                if not values.str.contains(pattern).all():
                    col.time_ok = False
        if col.date_ok:
            if not jt.is_date(values[0]):
                col.date_ok = False  # the first value settles most text columns without a query
            elif _all_dates(values):
                col.date_seen = True
                timed = series.to_frame("v").select(pl.col("v").str.contains(_DATE_THEN_TIME).arg_true())
                self._record(col.dated_times, timed.to_series(), series, first_row)
            else:
                col.date_ok = False

    # -- output ----------------------------------------------------------------------------------
    @staticmethod
    def _type(col: _Column) -> str:
        if col.numeric:
            return "integer" if col.integer else "continuous"
        if col.date_ok and col.date_seen:
            return "date"
        if col.time_ok and col.time_fmt:
            return "time"
        return "character"

    def types(self) -> list[str]:
        """Each column's type as Dataverse would give it from the values seen so far."""
        return [self._type(col) for col in self.cols]

    def result(self, names: list[str]) -> list[ColumnFacts]:
        out = []
        for i, col in enumerate(self.cols):
            t = self._type(col)
            name = names[i] if i < len(names) else ""
            out.append(
                ColumnFacts(
                    i + 1,
                    name,
                    t,
                    col.had_numbers or (col.numeric and col.seen_value),
                    col.unexplained,
                    col.evidence,
                    col.dated_times,
                    col.numbers,
                    col.texts,
                    col.point_groups if col.numeric and col.point_groups is not None else Occurrences(),
                )
            )
        return out


def _all_dates(values: pl.Series) -> bool:
    """Every value starts with a valid yyyy-MM-dd (strict), as SimpleDateFormat.parse accepts.

    Canonical dates (exactly yyyy-mm-dd, Gregorian years) are settled by polars' date parser; the
    rest (prefixes of longer values, one-digit months, Julian-era or huge years) by the exact test.
    """
    canonical = values.to_frame("v").select(_canonical_date(pl.col("v"))).to_series()
    if canonical.all():
        return True
    return _exact_dates(values.filter(~canonical))


def _exact_dates(values: pl.Series) -> bool:
    parts = values.str.extract_groups(jt.DATE_PREFIX_RE)
    matched = parts.struct.field("1").is_not_null()
    if not matched.all():
        # Non-ASCII digits can still be a date for Java: settle those few in Python.
        others = values.filter(~matched)
        if not others.str.contains(r"\d").all() or not all(jt.is_date(v) for v in others.to_list()):
            return False
        values, parts = values.filter(matched), parts.filter(matched)
        if not values.len():
            return True
    y = parts.struct.field("1").cast(pl.Int64, strict=False)
    m = parts.struct.field("2").cast(pl.Int64, strict=False)
    d = parts.struct.field("3").cast(pl.Int64, strict=False)
    usual = y.is_between(1583, 9999) & m.is_not_null() & d.is_not_null()
    if not usual.all() and not all(jt.is_date(v) for v in values.filter(~usual).to_list()):
        return False
    frame = pl.DataFrame({"y": y, "m": m, "d": d}).filter(usual)
    if not frame.height:
        return True
    valid = frame.select(
        (
            pl.col("m").is_between(1, 12)
            & (pl.col("d") >= 1)
            & (pl.col("d") <= pl.date(pl.col("y"), pl.col("m").clip(1, 12), 1).dt.month_end().dt.day())
        ).all()
    ).item()
    return bool(valid)
