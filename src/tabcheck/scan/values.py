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

import polars as pl

from tabcheck.dataverse import javatext as jt
from tabcheck.scan.evidence import Evidence
from tabcheck.scan.occurrences import Occurrences


# polars' float parser reads a subset of what Java's does, except inf/infinity/nan in any case:
# those, and only those among its successes, hold an n.
_NAN_OR_INF = r"[nN]"


def _plain_number(values: pl.Series) -> pl.Series:
    """Values Java's Double.parseDouble reads for sure (no regex: polars' float parser)."""
    return values.cast(pl.Float64, strict=False).is_not_null() & ~values.str.contains(_NAN_OR_INF)


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
        """One chunk of values: cheap whole-column kernels first, exact Java tests on the few others.

        A plain number is one polars' float parser reads and that has no letter but an exponent;
        only the other values (NA, null, 1d, hex, spaces, text) meet the exact regular expressions.
        """
        if not self.width or not df.height:
            return
        names = [f"c{i}" for i in range(self.width)]
        if (self.trim and not trimmed) or any(df.null_count().row(0)):
            df = df.select([self._clean(pl.col(n), trimmed).alias(n) for n in names])
        counts: list[pl.Expr] = []
        masks: list[pl.Expr] = []
        for i, col in enumerate(self.cols):
            c = pl.col(names[i])
            counts.append((c != "").sum().alias(f"{i}:n"))
            if col.numeric and col.integer:
                # An integer column: what polars reads as a 64-bit integer is settled; the rest
                # (null, NA, 1.5, huge integers, text) meets the exact tests.
                masks.append(((c != "") & c.cast(pl.Int64, strict=False).is_null()).alias(f"{i}:odd"))
            elif col.numeric:
                plain = c.cast(pl.Float64, strict=False).is_not_null() & ~c.str.contains(_NAN_OR_INF)
                masks.append(((c != "") & ~plain).alias(f"{i}:odd"))
            if col.numeric:
                for name, ev in self.evidence.items():
                    if ev.scope == "numeric" and ev.prefilter is not None:
                        masks.append(ev.prefilter(c).alias(f"{i}:{name}"))
        flags = df.lazy().select(masks).collect() if masks else pl.DataFrame()
        # Which masks have any hit: one small query instead of a Python list per column.
        hits = flags.select(pl.all().any()).row(0, named=True) if masks else {}
        out = df.select(counts).row(0, named=True)
        for key, any_hit in hits.items():
            out[key] = flags[key].arg_true() if any_hit else None
        for i, col in enumerate(self.cols):
            self._absorb(i, col, out, df[names[i]], first_row)

    def _clean(self, c: pl.Expr, trimmed: bool) -> pl.Expr:
        c = c.fill_null("")
        return c.str.strip_chars(" \t") if self.trim and not trimmed else c

    def _absorb(self, i: int, col: _Column, out: dict, series: pl.Series, first_row: int) -> None:
        col.non_missing += out[f"{i}:n"]
        start = None  # where the date/time tests begin in this chunk
        text_idx = None  # positions of the values Dataverse does not read as numbers
        if col.numeric:
            odd_s = out.get(f"{i}:odd")
            if odd_s is not None:
                values = series.gather(odd_s)
                numeric = values.str.contains(jt.NUMERIC_TOKENS_RE) | \
                    values.str.strip_chars(jt.JAVA_TRIM).str.contains(jt.DOUBLE_RE)
                for name, ev in self.evidence.items():
                    if ev.scope == "numeric" and ev.prefilter is None:
                        hits = odd_s.filter(numeric & ev.test_series(values))
                        self._record(col.evidence[name], hits, series, first_row)
                text_idx = odd_s.filter(~numeric)
                if text_idx.len():
                    col.numeric = False
                    col.temporal = True
                    start = int(text_idx[0])
                if col.integer and not ((values == "null") | values.str.contains(jt.INTEGER_RE)).all():
                    col.integer = False
            for name, ev in self.evidence.items():
                if ev.scope == "numeric" and ev.prefilter is not None and out.get(f"{i}:{name}") is not None:
                    idx = out[f"{i}:{name}"]
                    hits = idx.filter(ev.test_series(series.gather(idx)))
                    self._record(col.evidence[name], hits, series, first_row)
        elif col.temporal:
            start = 0
            if not col.unexplained:
                odd = ((series != "") & ~_plain_number(series)).arg_true()
                values = series.gather(odd)
                numeric = values.str.contains(jt.NUMERIC_TOKENS_RE) | \
                    values.str.strip_chars(jt.JAVA_TRIM).str.contains(jt.DOUBLE_RE)
                text_idx = odd.filter(~numeric)
        if start is not None and (col.time_ok or col.date_ok):
            self._temporal(col, series.slice(start))
        # A column still passing the date or time test holds dates: no text evidence to count yet.
        if text_idx is not None and text_idx.len() and not col.unexplained \
                and not (col.date_ok or col.time_ok):
            self._text_evidence(col, text_idx, series, first_row)

    def _text_evidence(self, col: _Column, idx: pl.Series, series: pl.Series, first_row: int) -> None:
        """Count the text evidence; a first look at a few values spots plain text columns cheaply."""
        if idx.len() > 2000 and not any(col.evidence.values()):
            self._text_evidence(col, idx.head(500), series, first_row)
            if col.unexplained:
                return
            idx = idx.slice(500)
        # Each value counts for the first evidence it matches: once explained, it is not tested again.
        remaining = idx
        for name, ev in self.evidence.items():
            if ev.scope == "text" and remaining.len():
                hit = ev.test_series(series.gather(remaining))
                self._record(col.evidence[name], remaining.filter(hit), series, first_row)
                remaining = remaining.filter(~hit)
        self._record(col.unexplained, remaining, series, first_row)

    @staticmethod
    def _record(occ: Occurrences, idx: pl.Series, series: pl.Series, first_row: int) -> None:
        if idx.len():
            head = idx.head(5).to_list()
            occ.extend([(first_row + r, series[r]) for r in head], idx.len())

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
    """Every value starts with a valid yyyy-MM-dd (strict), as SimpleDateFormat.parse accepts.

    Canonical dates (exactly yyyy-mm-dd, Gregorian years) are settled by polars' date parser; the
    rest (prefixes of longer values, one-digit months, Julian-era or huge years) by the exact test.
    """
    parsed = values.str.to_date("%Y-%m-%d", strict=False)
    canonical = (values.str.len_bytes() == 10) & (parsed.dt.year() >= 1583).fill_null(False)
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
    if not usual.all():
        if not all(jt.is_date(v) for v in values.filter(~usual).to_list()):
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
