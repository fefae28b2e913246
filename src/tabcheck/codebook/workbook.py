"""A second, streaming pass over a workbook (.xlsx) predicted `ingested`: each variable's values as
Dataverse stores them, then their UNF and summary statistics (as collect.py does for CSV/TSV).

What Dataverse stores (XLSXFileReader, then TabularSubsetGenerator reading its .tab file back):

- the sheet at relationship rId1 is read by a SAX handler: the first row element is the header;
  each later row element is one observation whose value in each column is the text of the cell's
  `<v>` element: a number as written in the XML (`3`, `3.5`, `1E+20`), a date as its serial number
  (`44190`, the cell's date format is not looked at), a boolean as `1`/`0`, a formula's cached
  result (none: empty), an error as its code (`#DIV/0!`), a shared string resolved; an inline
  string, having no `<v>`, is empty like a cell that is not there;
- a numeric variable (always continuous) stores `.`, `NA` and empty as missing, `NaN` as `NaN`
  (read back as missing), `Inf`/`+Inf`/`-Inf` as infinities, `null` as 0, any other value as
  `Double.toString(new Double(value))`: read back as the same double, or as missing when that is
  `Infinity` (`1e400`);
- a character variable stores `.` as missing, any other value with one leading and one trailing
  `"` dropped, the other quotes escaped, between quotes; reading it back unescapes backslash
  sequences already in the value (`\\t` becomes a TAB); an empty cell is the empty string.

Reading: the project's sheet scanner (tabcheck.workbook.sheet), which models Dataverse's handler
for the prediction, run again over the part at rId1 one row at a time (no counts in bulk): a row of
plain cells from one regex (`_CaseScanner._plain_row`), any other row cell by cell by the scanner
itself, each observation handed over as the handler would write it; values go to the variables in
batches of about `BATCH_CELLS` cells, so memory stays bounded (statistics spill to disk past their
budget, see stats.py). The pass must find the prediction's variables (names, types) and
observation count; when it does not, no codebook is given, and the note says why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl

from tabcheck.codebook.collect import (
    NUMERIC,
    FileCodebook,
    _unescape,
    java_parse_double,
    variables_for,
)
from tabcheck.codebook.unf import combine
from tabcheck.dataverse.javatext import DOUBLE_RE, JAVA_TRIM
from tabcheck.dataverse.xlsx import variable_name
from tabcheck.facts.workbook import IngestTrace, SheetFacts
from tabcheck.workbook import parts
from tabcheck.workbook.budgets import DEFAULT, Budgets
from tabcheck.workbook.cells import MAX_DATAVERSE_COLUMNS, column_letters
from tabcheck.workbook.package import Package, PackageError, rels_part_for
from tabcheck.workbook.plainrows import PLAIN_CELL
from tabcheck.workbook.sheet import BROKEN_ROWS_KEPT, SheetScanner

BATCH_CELLS = 1 << 18
NOT_INGESTED = "the re-read found a sheet Dataverse cannot ingest"
OTHER_VARIABLES = "the re-read found other variables (names or types)"


class _Unreadable(Exception):
    """A value Dataverse's reader would stop at (the prediction said it would not)."""


def stored_double(token: str) -> float | None:
    """What Dataverse reads back for one value of a numeric variable of a workbook (None: missing)."""
    low = token.lower()
    if token in ("", ".") or low in ("na", "nan"):
        return None  # NaN is written `NaN`, then not read back (lowercased, Java refuses `nan`)
    if low in ("inf", "+inf"):
        return math.inf
    if low == "-inf":
        return -math.inf
    if low == "null":
        return 0.0
    x = java_parse_double(token)
    if x is None:
        raise _Unreadable(token)
    # Written Double.toString(x): the same double, or `Infinity`/`NaN`, which are not read back.
    return x if math.isfinite(x) else None


def stored_doubles(tokens: pl.Series) -> pl.Series:
    """`stored_double` of each value: plain numbers by polars' parser, the rest one by one."""
    out: pl.Series = tokens.cast(pl.Float64, strict=False)
    odd = out.to_frame("x").select((pl.col("x").is_null() | ~pl.col("x").is_finite()).arg_true()).to_series()
    if not odd.len():
        return out
    fixed = pl.Series([stored_double(t) for t in tokens.gather(odd).to_list()], dtype=pl.Float64)
    result: pl.Series = out.scatter(odd, fixed)
    return result


def stored_texts(tokens: pl.Series) -> pl.Series:
    """What Dataverse reads back for the values of a character variable of a workbook."""
    v = pl.col("v")
    frame = tokens.to_frame("v")
    # One leading and one trailing quote dropped (Java's "\"$" also matches a quote followed by a
    # final line terminator: U+0085, U+2028 or U+2029, CR and LF being refused before).
    trailing = '"([\u0085\u2028\u2029]?)$'
    out = frame.select(
        pl.when(v == ".")
        .then(None)
        .otherwise(v.str.replace('^"', "").str.replace(trailing, "${1}"))
        .alias("v")
    ).to_series()
    odd = out.str.contains("\\", literal=True).fill_null(False)
    if odd.any():
        # Quotes are escaped with a backslash when written: what the reading unescapes may differ.
        idx = odd.arg_true()
        fixed = [_unescape(s.replace('"', '\\"')) for s in out.gather(idx).to_list()]
        out = out.scatter(idx, pl.Series(fixed, dtype=pl.String))
    return out


# A data row of plain cells only (tabcheck.workbook.plainrows: a number, a shared-string index or
# nothing, one or two column letters): its values are read here from one regex pass, as the
# handler would store them; any other row takes the scanner's exact path.
_PLAIN_CELLS = re.compile(rb"(?:" + PLAIN_CELL + rb")*+")
_CELL_VALUE = re.compile(
    rb'<c r="([A-Z]{1,2}+)[0-9]++"(?: s="[0-9]++")?+( t="s")?+(?: t="n")?+(?:><v>([^<]*+)</v></c>|/>)'
)
_INDEX = {column_letters(i + 1).encode(): i for i in range(MAX_DATAVERSE_COLUMNS)}


class _CaseScanner(SheetScanner):
    """The sheet scanner with every row read one by one (no counts in bulk), each observation's
    values (the handler's data row, by column index) handed to `on_case`. Rows of plain cells are
    read by `_plain_row`; `exact`: every row by the scanner's own cell-by-cell path (tests compare)."""

    def __init__(
        self,
        strings: list[str],
        trace: IngestTrace,
        budgets: Budgets,
        on_case: Callable[[list[str | None]], None],
        exact: bool = False,
    ) -> None:
        sheet = SheetFacts(name="", sheet_id=None, state="visible", rel_id="rId1", part=None, position=0)
        super().__init__(sheet, strings, bytearray(), set(), trace, budgets)
        self.on_case = on_case
        self.exact = exact

    def _start(self, buf: bytes) -> bool:
        started = super()._start(buf)
        self.fast = False
        return started

    def _row(self, raw_attrs: bytes | None, inner: bytes, where: int) -> None:
        if self.exact or not self.header_done or not self._plain_row(inner, where):
            super()._row(raw_attrs, inner, where)

    def _plain_row(self, inner: bytes, where: int) -> bool:
        """The observation of a row of plain cells, as _row would give it; False (nothing done)
        for any other row, or one the handler would fail on (a cell right of the table, a shared
        string out of range)."""
        trace = self._live_trace()
        if trace is None or trace.declared_width is None or not _PLAIN_CELLS.fullmatch(inner):
            return False
        width = trace.declared_width
        strings = self.strings
        values: list[str | None] = [None] * width
        for letters, shared, v in _CELL_VALUE.findall(inner):
            if not v:
                continue  # an empty cell: no <v>
            index = _INDEX[letters]
            if index >= width:
                return False
            if shared:
                i = int(v)
                if i >= len(strings):
                    return False
                values[index] = strings[i]
            else:
                values[index] = v.decode("ascii")
        trace.rows += 1
        # The observation, its numeric and line-break tests left to its batch (`batch_trace`).
        trace.cases += 1
        self.on_case(values)
        return True

    def _trace_row_end(
        self, trace: IngestTrace, values: list[str | None], header: bool, where: int, number: int
    ) -> None:
        before = trace.cases
        super()._trace_row_end(trace, values, header, where, number)
        if not header and trace.cases > before:
            self.on_case(values)


# What keeps a column numeric in Dataverse's XLSX first pass (workbook.cells.dataverse_numeric), per
# value of a batch: empty, a finite number polars reads (a subset of Java's), a word, Java's grammar.
_WORDS = [".", "nan", "na", "inf", "+inf", "-inf", "null"]


def _numeric_value(v: pl.Expr) -> pl.Expr:
    return (
        (v == "")
        | v.cast(pl.Float64, strict=False).is_finite().fill_null(False)
        | v.str.to_lowercase().is_in(_WORDS)
        | v.str.strip_chars(JAVA_TRIM).str.contains(DOUBLE_RE)
    )


def batch_trace(trace: IngestTrace, columns: list[pl.Series], first_case: int) -> None:
    """The trace's per-cell tests for a batch of observations read from plain rows (each column's
    values, empty for no value): a column with a value Dataverse does not read as a number stops
    being numeric, and a row with a TAB, LF or CR in a value is a broken row (as the scanner's
    `_trace_row_end` does a row at a time). Tests of rows the scanner already traced change nothing."""
    if not columns:
        return
    frame = pl.DataFrame({f"c{i}": s for i, s in enumerate(columns)})
    live = [i for i in range(min(len(columns), len(trace.numeric))) if trace.numeric[i]]
    if live:
        numeric = frame.select(_numeric_value(pl.col(f"c{i}")).all() for i in live).row(0)
        for i, ok in zip(live, numeric, strict=True):
            trace.numeric[i] = bool(ok)
    broken = frame.select(
        pl.any_horizontal(pl.col(c).str.contains("[\t\n\r]") for c in frame.columns).arg_true()
    ).to_series()
    for row in broken.head(max(0, BROKEN_ROWS_KEPT - len(trace.broken_rows))).to_list():
        trace.broken_rows.append((first_case + row, list(frame.row(row))))
    if len(broken) and len(trace.broken_rows) >= BROKEN_ROWS_KEPT:
        trace.broken_rows_truncated = True


def _pending_columns(pending: list[list[str | None]]) -> list[pl.Series]:
    """The observations waiting, as columns (no <v>: empty)."""
    return [pl.Series(tokens, dtype=pl.String).fill_null("") for tokens in zip(*pending, strict=True)]


def _rid1(pkg: Package) -> tuple[str | None, str | None]:
    """The part at the workbook's relationship rId1 and the shared-strings part."""
    wb_part = parts.workbook_part(pkg)
    rels = parts.relationships(pkg, rels_part_for(wb_part), wb_part)
    rid1 = rels.get("rId1")
    return (rid1.target if rid1 is not None else None), parts.find_part_by_type(rels, "sharedStrings")


def codebook_for_xlsx(
    path: Path,
    columns: list[tuple[str, str]],
    observations: int | None,
    budgets: Budgets | None = None,
    on_batch: Callable[[int], None] | None = None,
    batch_cells: int = BATCH_CELLS,
    exact: bool = False,
) -> FileCodebook:
    """The codebook of a workbook whose variables (name, type) Dataverse will create; `on_batch`
    is told the observations read after each batch of about `batch_cells` values."""
    book = FileCodebook()
    if not columns:
        book.note = "no variables"
        return book
    budgets = budgets or DEFAULT
    variables = variables_for(columns)
    width = len(columns)
    batch_rows = max(1, batch_cells // width)
    pending: list[list[str | None]] = []  # observations not yet handed to the variables
    rows = [0]

    def flush() -> None:
        if not pending:
            return
        raws = _pending_columns(pending)
        batch_trace(trace, raws, rows[0] - len(pending))
        for var, raw in zip(variables, raws, strict=True):
            var.add_stored(stored_doubles(raw) if var.type in NUMERIC else stored_texts(raw))
        pending.clear()
        if on_batch:
            on_batch(rows[0])

    def on_case(values: list[str | None]) -> None:
        if len(values) != width:
            raise _Unreadable("width")
        pending.append(values)
        rows[0] += 1
        if len(pending) >= batch_rows:
            flush()

    trace = IngestTrace()
    try:
        pkg = Package(path, budgets)
        try:
            part, strings_part = _rid1(pkg)
            if part is None or not pkg.has(part):
                book.note = NOT_INGESTED
                return book
            strings = parts.shared_strings(pkg, strings_part, budgets)
            _CaseScanner(strings, trace, budgets, on_case, exact).scan(pkg, part)
            flush()
        finally:
            pkg.close()
    except _Unreadable:
        # Read so far, the variables may already differ from those predicted: then that is why.
        if pending:
            batch_trace(trace, _pending_columns(pending), rows[0] - len(pending))
        book.note = _other_variables(trace, columns) or NOT_INGESTED
        return book
    except (PackageError, pl.exceptions.PolarsError, OSError) as e:
        book.note = f"the re-read failed: {type(e).__name__}"
        return book
    finally:
        results = [v.result() for v in variables]
    if (
        trace.failure is not None
        or trace.failure_offset is not None
        or not trace.has_sheet_data
        or trace.broken_rows  # a TAB or a line break in a value: the reader's second pass fails
    ):
        book.note = NOT_INGESTED
        return book
    other = _other_variables(trace, columns)
    if other is not None:
        book.note = other
        return book
    if observations is not None and rows[0] != observations:
        book.note = f"the re-read found {rows[0]} observations, not {observations}"
        return book
    book.columns = results
    book.observations = rows[0]
    unfs = [c.unf for c in results]
    book.unf = combine([u for u in unfs if u is not None]) if all(u is not None for u in unfs) else None
    return book


def _other_variables(trace: IngestTrace, columns: list[tuple[str, str]]) -> str | None:
    """Why the variables the pass found are not those predicted (None when they are)."""
    width = len(columns)
    if trace.declared_width != width:
        return f"the re-read found {trace.declared_width or 0} columns, not {width}"
    if len(trace.numeric) != width:
        return OTHER_VARIABLES
    found = [
        (
            variable_name(trace.header[i] if i < len(trace.header) else None, i),
            "continuous" if trace.numeric[i] else "character",
        )
        for i in range(width)
    ]
    return OTHER_VARIABLES if found != columns else None


def codebook_for_workbook_path(path: str | Path) -> FileCodebook:
    """Check one workbook, then predict its codebook (tests and the API)."""
    from tabcheck.checker import Settings, check_file

    report = check_file(Path(path), Settings())
    pred = report.dataverse
    assert pred is not None and pred.columns is not None, "the workbook is not predicted ingested"
    return codebook_for_xlsx(Path(path), [(c.name, c.type) for c in pred.columns], pred.observations)
