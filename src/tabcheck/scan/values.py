"""Column values, chunk by chunk, with polars: Dataverse's variable types and the rules' evidence.

Dataverse types a column value by value, in file order (see dataverse/javatext.py): a column stays
numeric while every value parses as a Java double; from its first non-numeric value on, the values
are tried as date-times and dates. The typer reproduces that order with whole-column expressions, and
stops evaluating a test as soon as the column has failed it, so a text column costs nothing after
its first chunk.

Evidence (from the `tabcheck_column_evidence` hook) is counted per column with its first rows:
`text` evidence on the values Dataverse cannot read as numbers (they explain why a column becomes
character), `numeric` evidence on values it reads as numbers (leading zeros, `null`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import polars as pl

from tabcheck.dataverse import javatext as jt
from tabcheck.scan.occurrences import Occurrences


@dataclass(frozen=True)
class Evidence:
    """A per-value test rules want counted. scope: 'text' or 'numeric' (see module doc)."""

    test: Callable[[pl.Expr], pl.Expr]
    scope: str = "text"


@dataclass
class ColumnFacts:
    index: int  # 1-based
    name: str
    type: str  # Dataverse's: integer, continuous, character, date, time
    non_missing: int = 0
    unexplained_text: Occurrences = field(default_factory=Occurrences)  # (row, value)
    evidence: dict[str, Occurrences] = field(default_factory=dict)  # name -> (row, value)


@dataclass
class _Column:
    numeric: bool = True
    integer: bool = True
    temporal: bool = False  # numeric has failed: values now go through the date/time tests
    time_fmt: str | None = None
    time_ok: bool = True
    date_ok: bool = True
    date_seen: bool = False
    non_missing: int = 0
    unexplained: Occurrences = field(default_factory=Occurrences)
    evidence: dict[str, Occurrences] = field(default_factory=dict)


class ColumnTyper:
    def __init__(self, width: int, trim: bool, evidence: dict[str, Evidence]):
        self.width = width
        self.trim = trim
        self.evidence = evidence
        self.cols = [_Column(evidence={k: Occurrences() for k in evidence}) for _ in range(width)]

    # -- input -----------------------------------------------------------------------------------
    def update_rows(self, rows: list[list[str]], first_row: int) -> None:
        """Records from the exact splitter (already trimmed for TSV); padded or cut to the width."""
        w = self.width
        if not w:
            return
        data = {f"c{i}": [r[i] if i < len(r) else "" for r in rows] for i in range(w)}
        self.update_frame(pl.DataFrame(data, schema={f"c{i}": pl.String for i in range(w)}),
                          first_row, trimmed=True)

    def update_frame(self, df: pl.DataFrame, first_row: int, trimmed: bool = False) -> None:
        if not self.width or not df.height:
            return
        exprs: list[pl.Expr] = []
        for i, col in enumerate(self.cols):
            c = pl.col(f"c{i}").fill_null("")
            if self.trim and not trimmed:
                c = c.str.strip_chars(" \t")
            exprs.extend(self._exprs(i, col, c))
        if not exprs:
            return
        frame = df.lazy().select(exprs).collect()
        out = frame.row(0, named=True)
        for i, col in enumerate(self.cols):
            self._absorb(i, col, out, df, first_row)

    # -- expressions -----------------------------------------------------------------------------
    def _exprs(self, i: int, col: _Column, c: pl.Expr) -> list[pl.Expr]:
        p = f"c{i}"
        nonempty = c != ""
        num_value = c.str.contains(jt.NUMERIC_TOKENS_RE) | c.str.strip_chars(jt.JAVA_TRIM).str.contains(jt.DOUBLE_RE)
        ex = [nonempty.sum().alias(p + ":n")]
        if col.numeric:
            ex.append((nonempty & ~num_value).arg_true().first().alias(p + ":numfail"))
            if col.integer:
                ex.append(((c != "") & (c != "null") & ~c.str.contains(jt.INTEGER_RE)).any().alias(p + ":intfail"))
            for name, ev in self.evidence.items():
                if ev.scope == "numeric":
                    hit = nonempty & num_value & ev.test(c)
                    ex.append(hit.sum().alias(f"{p}:{name}:n"))
                    ex.append(hit.arg_true().head(5).implode().alias(f"{p}:{name}:rows"))
        text_scope = [(n, ev) for n, ev in self.evidence.items() if ev.scope == "text"]
        if text_scope and not col.unexplained:
            text_value = nonempty & ~num_value
            explained = pl.lit(False)
            for name, ev in text_scope:
                hit = text_value & ev.test(c)
                explained = explained | hit
                ex.append(hit.sum().alias(f"{p}:{name}:n"))
                ex.append(hit.arg_true().head(5).implode().alias(f"{p}:{name}:rows"))
            ex.append((text_value & ~explained).arg_true().head(5).implode().alias(p + ":unexplained"))
            ex.append((text_value & ~explained).sum().alias(p + ":unexplained_n"))
        return ex

    def _absorb(self, i: int, col: _Column, out: dict, df: pl.DataFrame, first_row: int) -> None:
        p = f"c{i}"
        series = df[p].fill_null("")
        if self.trim:
            series = series.str.strip_chars(" \t")
        col.non_missing += out[p + ":n"]
        start = None  # where the temporal tests begin in this chunk
        if col.numeric:
            if out.get(p + ":intfail"):
                col.integer = False
            k = out[p + ":numfail"]
            if k is not None:
                col.numeric = False
                col.temporal = True
                start = k
            for name, ev in self.evidence.items():
                if ev.scope == "numeric" and out.get(f"{p}:{name}:n"):
                    rows = out[f"{p}:{name}:rows"]
                    col.evidence[name].extend([(first_row + r, series[r]) for r in rows], out[f"{p}:{name}:n"])
        elif col.temporal:
            start = 0
        if start is not None and (col.time_ok or col.date_ok):
            self._temporal(col, series.slice(start))
        for name, ev in self.evidence.items():
            if ev.scope == "text" and out.get(f"{p}:{name}:n"):
                rows = out[f"{p}:{name}:rows"]
                col.evidence[name].extend([(first_row + r, series[r]) for r in rows], out[f"{p}:{name}:n"])
        if out.get(p + ":unexplained_n"):
            rows = out[p + ":unexplained"]
            col.unexplained.extend([(first_row + r, series[r]) for r in rows], out[p + ":unexplained_n"])

    def _temporal(self, col: _Column, values: pl.Series) -> None:
        """Dataverse's date/time tests on the values after the column stopped being numeric."""
        values = values.filter(values != "")
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
            if _all_dates(values):
                col.date_seen = True
            else:
                col.date_ok = False

    # -- output ----------------------------------------------------------------------------------
    def result(self, names: list[str]) -> list[ColumnFacts]:
        out = []
        for i, col in enumerate(self.cols):
            if col.numeric:
                t = "integer" if col.integer else "continuous"
            elif col.date_ok and col.date_seen:
                t = "date"
            elif col.time_ok and col.time_fmt:
                t = "time"
            else:
                t = "character"
            name = names[i] if i < len(names) else ""
            out.append(ColumnFacts(i + 1, name, t, col.non_missing, col.unexplained, col.evidence))
        return out


def _all_dates(values: pl.Series) -> bool:
    """Every value starts with a valid yyyy-MM-dd (strict), as SimpleDateFormat.parse accepts."""
    parts = values.str.extract_groups(jt.DATE_PREFIX_RE)
    matched = parts.struct.field("1").is_not_null()
    if not matched.all():
        # Non-ASCII digits can still be a date for Java: settle those few in Python.
        return all(jt.is_date(v) for v in values.filter(~matched).to_list()) and _all_dates(values.filter(matched)) \
            if values.filter(~matched).str.contains(r"\d").any() else False
    y = parts.struct.field("1").cast(pl.Int64, strict=False)
    m = parts.struct.field("2").cast(pl.Int64, strict=False)
    d = parts.struct.field("3").cast(pl.Int64, strict=False)
    usual = y.is_between(1583, 9999) & m.is_not_null() & d.is_not_null()
    if not usual.all():
        odd = values.filter(~usual).to_list()
        if not all(jt.is_date(v) for v in odd):
            return False
    frame = pl.DataFrame({"y": y, "m": m, "d": d}).filter(usual)
    if not frame.height:
        return True
    valid = frame.select(
        (pl.col("m").is_between(1, 12) & (pl.col("d") >= 1)
         & (pl.col("d") <= pl.date(pl.col("y"), pl.col("m").clip(1, 12), 1).dt.month_end().dt.day()))
        .all()
    ).item()
    return bool(valid)
