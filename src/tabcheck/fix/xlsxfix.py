"""Each sheet of a workbook with data becomes a UTF-8 comma CSV (what the French deposit guide advises).

`fix_workbook` never loses a value, and proves it. The workbook is first read by tabcheck's own
package reader, every sheet in full, within the budgets `check` uses (tabcheck.workbook.budgets):
a zip bomb, an encrypted or damaged file, a hostile width or size is refused with its reason, and
so are declared dimensions beyond Excel's limits. openpyxl is then given only what those budgets
bound: every part it parses whole is within the size of a small part, and each sheet is streamed
within the rectangle tabcheck saw filled (the furthest filled column and row), which must not be
absurd beside the cells actually filled (`_too_sparse`): a stray value in XFD20000 beside a small
table would otherwise become 328 million empty cells. Each sheet is streamed by openpyxl in
read-only mode three times, so memory stays bounded whatever the sheet's size:

1. the survey: the table's rectangle (header row, last row, first and last column), the title rows
   above it and the notes rows below it (one text cell, outside the table: never a row that fits
   the table's columns), the formulas whose result is missing or a writer's placeholder zero;
2. the rewrite: each cell as its user sees it (fix/workbook_cells.py), titles and notes moved to
   NAME.notes.txt, blank rows inside the table dropped, merged cells' value kept in the top-left
   cell only; every change is a declared transformation with its count;
3. the verification: the CSV re-read beside the sheet, every cell parsed back and compared with
   the source value. An output that fails is removed and reported.

Formulas without a saved result (openpyxl, pandas) and xlsxwriter's placeholder zeros are refused
unless `force`: tabcheck does not compute formulas; the user opens the workbook in Excel or
LibreOffice, recalculates and saves it. With `force` they are written empty, and declared.

.xls, .xlsb and .ods files are refused (TC005 says to save them as .xlsx first): calamine (the
`fastexcel` package) reads them, but not well enough to prove every value: in fastexcel 0.21 an
ODS duration over 24 hours (`PT36H00M00S`) comes back empty, and a column mixing text and
durations cannot be read at all.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabcheck.facts.workbook import SheetFacts, WorkbookFacts
from tabcheck.fix.csvfix import unique_names
from tabcheck.fix.manifest import FileManifest, Output, Refusal, Verification
from tabcheck.fix.names import OutputNames
from tabcheck.fix.output import atomic_text
from tabcheck.fix.workbook_cells import CellValue, agrees, csv_line, write_cell

__all__ = ["fix_workbook", "write_cell"]
from tabcheck.workbook.budgets import DEFAULT, Budgets
from tabcheck.workbook.cells import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    cell_ref,
    column_letters,
    decode_escapes,
    parse_ref,
)

HEAD_KEPT = 30  # filled rows looked at for titles above the header
TAIL_KEPT = 50  # filled rows looked at for notes below the table
SAMPLES = 3
_LETTER = re.compile(r"[^\W\d_]")
# Spreadsheet programs compute the formulas they save (as in rules/values.py, TC407).
_COMPUTING_APPLICATIONS = ("libreoffice", "openoffice", "gnumeric")

Row = tuple[Any, ...]


# -- the survey ---------------------------------------------------------------------------------
@dataclass
class _Summary:
    number: int
    first: int  # first filled column (1-based)
    last: int  # last filled column
    filled: int
    text: str | None  # the one filled cell's text, when the row has one text cell


@dataclass
class SheetPlan:
    """What the survey of one sheet decided: the table's rectangle, what is moved out, what is blanked."""

    name: str
    state: str = "visible"
    header_row: int = 0  # 0: the sheet holds no value
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0
    title_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, text)
    note_rows: list[tuple[int, str]] = field(default_factory=list)
    blank_rows: int = 0  # blank rows inside the table (dropped)
    formulas: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (cell, formula): no saved result
    missing_count: int = 0
    zeros: list[tuple[str, str]] = field(default_factory=list)  # (cell, formula) storing 0
    zero_count: int = 0
    untrusted_zeros: bool = False  # the zeros are a writer's placeholders (xlsxwriter)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2)
    filled_rows: int = 0
    text_rows: int = 0  # rows of one cell holding words (a title, a note, a line of a read-me)

    @property
    def has_data(self) -> bool:
        return self.header_row > 0

    @property
    def text_only(self) -> bool:
        """Every filled row is one cell of words: lines of text, no table."""
        return self.has_data and self.text_rows == self.filled_rows

    @property
    def moved(self) -> set[int]:
        return {r for r, _ in self.title_rows} | {r for r, _ in self.note_rows}

    @property
    def width(self) -> int:
        return self.last_column - self.first_column + 1 if self.has_data else 0


def _summary(number: int, values: Row) -> _Summary | None:
    cols = [i for i, v in enumerate(values, start=1) if v is not None and v != ""]
    if not cols:
        return None
    text = None
    if len(cols) == 1:
        v = values[cols[0] - 1]
        if isinstance(v, str) and _LETTER.search(v) and len(v.strip()) >= 3:
            text = v
    return _Summary(number, cols[0], cols[-1], len(cols), text)


def survey(rows: Iterator[Row], formula_rows: Iterator[Row] | None, plan: SheetPlan) -> None:
    """One streamed pass over a sheet's values (and its formulas, when it has some): fills `plan`."""
    pending: list[_Summary] = []  # one-cell text rows before the header: titles, perhaps
    header: _Summary | None = None
    tail: deque[_Summary] = deque()
    first_col = last_col = 0
    body_rows = single_rows = 0

    def widen(s: _Summary) -> None:
        nonlocal first_col, last_col
        first_col = s.first if not first_col else min(first_col, s.first)
        last_col = max(last_col, s.last)

    def body(s: _Summary) -> None:
        nonlocal body_rows, single_rows
        body_rows += 1
        single_rows += s.filled == 1
        tail.append(s)
        if len(tail) > TAIL_KEPT:
            widen(tail.popleft())

    for number, values in enumerate(rows, start=1):
        fcells = next(formula_rows, ()) if formula_rows is not None else ()
        if fcells:
            _formulas(number, values, fcells, plan)
        s = _summary(number, values)
        if s is None:
            continue
        plan.filled_rows += 1
        plan.text_rows += s.filled == 1 and s.text is not None
        if header is not None:
            body(s)
        elif s.filled == 1 and s.text is not None and len(pending) < HEAD_KEPT:
            pending.append(s)
        elif s.filled >= 2 or not pending:
            header = s  # the first row of two cells or more: the titles above it are moved out
            plan.title_rows = [(t.number, t.text or "") for t in pending]
            widen(header)
        else:  # a one-column table (or too many one-cell rows to be titles): no title
            header = pending[0]
            widen(header)
            for r in [*pending[1:], s]:
                body(r)
    if header is None:  # only one-cell text rows: a one-column table, no title
        if not pending:
            return
        header = pending[0]
        widen(header)
        for r in pending[1:]:
            body(r)
    plan.header_row = header.number
    notes = _notes(list(tail), header, body_rows, single_rows)
    for s in tail:
        if s.number not in notes:
            widen(s)
    plan.note_rows = [(s.number, s.text or "") for s in tail if s.number in notes]
    kept = [s.number for s in tail if s.number not in notes]
    plan.last_row = kept[-1] if kept else header.number
    plan.first_column, plan.last_column = first_col, last_col
    plan.blank_rows = plan.last_row - plan.header_row + 1 - (1 + body_rows - len(notes))


def _notes(tail: list[_Summary], header: _Summary, body_rows: int, single_rows: int) -> set[int]:
    """Rows at the end holding one text cell, where they cannot be records of the table.

    Never a row that fits the table's columns: the notes are cut off by a blank row, or no other
    record of the table has a single filled cell; the table has two columns or more; and each note
    starts where the table does (a text alone in its second column, `Brest` under the towns, is a
    record whose first cells are empty).
    """
    if header.filled < 2 or not tail:
        return set()
    notes: list[_Summary] = []
    for s in reversed(tail):
        if s.text is None or _numberish(s.text) or s.first != header.first:
            break
        notes.append(s)
    notes.reverse()
    if not notes or len(notes) == body_rows:
        return set()
    before = tail[len(tail) - len(notes) - 1] if len(tail) > len(notes) else header
    gap = notes[0].number - before.number > 1
    if not gap and single_rows - len(notes) > 0:
        return set()
    return {s.number for s in notes}


def _numberish(text: str) -> bool:
    try:
        float(text.replace(",", ".").strip())
        return True
    except ValueError:
        return False


def _formulas(number: int, values: Row, fcells: Row, plan: SheetPlan) -> None:
    for i, c in enumerate(fcells):
        if getattr(c, "data_type", None) != "f":
            continue
        plan.formulas += 1
        v = values[i] if i < len(values) else None
        formula = str(getattr(c, "value", "") or "")
        formula = getattr(c.value, "text", None) or formula
        if v is None:
            plan.missing_count += 1
            if len(plan.missing) < SAMPLES:
                plan.missing.append((cell_ref(i + 1, number), formula))
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0:
            plan.zero_count += 1
            if len(plan.zeros) < SAMPLES:
                plan.zeros.append((cell_ref(i + 1, number), formula))


def zeros_untrusted(wb: WorkbookFacts, plan: SheetPlan) -> bool:
    """Every stored formula result is 0 and the writer computed none (xlsxwriter): as TC407 decides."""
    stored = plan.formulas - plan.missing_count
    application = (wb.application or "").lower()
    return (
        stored > 0
        and plan.zero_count == stored
        and wb.full_calc_on_load
        and not wb.has_calc_chain
        and not any(name in application for name in _COMPUTING_APPLICATIONS)
    )


def merged_boxes(refs: list[str]) -> list[tuple[int, int, int, int]]:
    boxes = []
    for ref in refs:
        a, _, b = ref.partition(":")
        p, q = parse_ref(a), parse_ref(b or a)
        if p and q:
            boxes.append((min(p[1], q[1]), min(p[0], q[0]), max(p[1], q[1]), max(p[0], q[0])))
    return sorted(boxes)


# -- the table's rows, for the rewrite and the verification -----------------------------------
def table_rows(
    rows: Iterator[Row], formula_rows: Iterator[Row] | None, plan: SheetPlan
) -> Iterator[tuple[int, list[CellValue], list[str | None]]]:
    """(row number, values of the table's columns, why a cell is written empty) for each CSV row.

    A cell is written empty when it is a merged cell other than the top-left one (`merged-cells`)
    or a formula whose stored 0 is a writer's placeholder (`formula-not-computed`, with --force).
    """
    moved = plan.moved
    merged = list(plan.merged)
    active: list[tuple[int, int, int, int]] = []
    width = plan.width
    for number, values in enumerate(rows, start=1):
        fcells = next(formula_rows, ()) if formula_rows is not None else ()
        if number > plan.last_row:
            break
        while merged and merged[0][0] <= number:
            active.append(merged.pop(0))
        active = [b for b in active if b[2] >= number]
        if number < plan.header_row or number in moved:
            continue
        cells = list(values[plan.first_column - 1 : plan.last_column])
        if not any(v is not None and v != "" for v in cells):
            continue  # a blank row inside the table (declared)
        cells += [None] * (width - len(cells))
        blanked: list[str | None] = [None] * width
        if plan.untrusted_zeros and fcells:
            for i in range(width):
                j = plan.first_column - 1 + i
                if j < len(fcells) and getattr(fcells[j], "data_type", None) == "f":
                    blanked[i] = "formula-not-computed"
        for r1, c1, _r2, c2 in active:
            for col in range(max(c1, plan.first_column), min(c2, plan.last_column) + 1):
                if (number, col) != (r1, c1):
                    blanked[col - plan.first_column] = "merged-cells"
        yield number, cells, blanked


# -- the workbook -------------------------------------------------------------------------------
class _Ticks:
    """The rows streamed over a workbook's passes, said to `progress` every few thousand."""

    EVERY = 4096

    def __init__(self, progress: Callable[[int, int], None], total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def counted(self, rows: Iterator[Row]) -> Iterator[Row]:
        for i, row in enumerate(rows, 1):
            if i % self.EVERY == 0:
                self.done += self.EVERY
                self.progress(min(self.done, self.total), self.total)
            yield row


def fix_workbook(
    path: Path,
    out_dir: Path,
    names: OutputNames,
    manifest: FileManifest,
    force: bool,
    budgets: Budgets = DEFAULT,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write each sheet with data of an .xlsx/.xlsm workbook as a verified UTF-8 comma CSV.

    Records outputs, transformations and refusals in `manifest`; raises only on unexpected errors.
    `out_dir` is where `names` puts the outputs (kept for the caller's symmetry with the CSV fix).
    `progress(done, total)`: rows streamed so far, of all the passes over all the sheets.
    """
    path = Path(path)
    if path.suffix.lower() in NOT_CONVERTED:
        manifest.refused = not_converted(path)
        return
    from tabcheck.workbook import read_workbook

    facts = read_workbook(path, budgets, scan_all=True)
    if facts.corrupt is not None:
        manifest.refused = _refusal_corrupt(facts.corrupt.kind, facts.corrupt.detail)
        return
    broken = [c for c in facts.problems if c.kind == "malformed-xml" and c.part in sheet_parts(facts)]
    if broken:  # a sheet openpyxl would stop reading halfway
        manifest.refused = _refusal_corrupt(broken[0].kind, broken[0].detail)
        return
    too_big = _beyond_excel(facts) or _too_sparse(facts, budgets) or _big_parts(path, facts, budgets)
    if too_big:
        manifest.refused = too_big
        return

    from openpyxl import load_workbook

    try:
        with _sizes_not_read():
            values_wb = load_workbook(path, read_only=True, data_only=True)
            formulas_wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        manifest.refused = _refusal_corrupt("unreadable", f"openpyxl cannot open it: {e}")
        return
    try:
        _fix(path, facts, values_wb, formulas_wb, names, manifest, force, progress)
    finally:
        values_wb.close()
        formulas_wb.close()


class _Sheets:
    """The two read-only views of one sheet (cached values; formulas), streamed as often as needed."""

    def __init__(
        self,
        values_wb: Any,
        formulas_wb: Any,
        name: str,
        facts: SheetFacts | None,
        ticks: _Ticks | None = None,
    ):
        self.ticks = ticks
        self.values = values_wb[name]
        self.formulas = formulas_wb[name]
        for ws in (self.values, self.formulas):
            ws.reset_dimensions()  # never trust the declared dimension: rows as they are
            _stream_without_empty_cells(ws)
        self.need_formulas = facts is None or facts.scanned != "full" or facts.formula_cells.count > 0
        # Streamed within what tabcheck saw filled (values or formulas): never a row past the last
        # one, never a cell right of the furthest column (openpyxl pads each row to its width).
        self.last_row, self.last_column = _filled_extent(facts) if facts is not None else (None, None)

    @property
    def empty(self) -> bool:
        """Nothing filled at all (as tabcheck read it): no need to stream the sheet."""
        return self.last_row == 0

    def rows(self) -> Iterator[Row]:
        rows: Iterator[Row] = iter(
            self.values.iter_rows(
                min_row=1, min_col=1, max_row=self.last_row, max_col=self.last_column, values_only=True
            )
        )
        return rows if self.ticks is None else self.ticks.counted(rows)

    def formula_rows(self) -> Iterator[Row] | None:
        if not self.need_formulas:
            return None
        rows: Iterator[Row] = iter(
            self.formulas.iter_rows(min_row=1, min_col=1, max_row=self.last_row, max_col=self.last_column)
        )
        return rows


@contextlib.contextmanager
def _sizes_not_read() -> Iterator[None]:
    """openpyxl opens each read-only sheet by looking for its `<dimension>`, and without one it
    parses the whole sheet (twice: values and formulas): skipped, since `_Sheets` resets the
    dimensions anyway and streams within tabcheck's own extent."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original  # type: ignore[method-assign]


_EMPTY_CELL = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,9}")?/>')


class _WithoutEmptyCells:
    """A sheet part as openpyxl reads it, less its empty self-closing cells (`<c r="XFD7" s="3"/>`):
    they hold no value, and openpyxl would build each one (16,384 in a row formatted to XFD)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.carry = b""  # the bytes from the last `<` read, which may be a cell cut in two
        self.ready = b""  # filtered bytes not handed out yet
        self.done = False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.ready) < size):
            chunk = self.raw.read(1 << 16)
            data = self.carry + chunk
            if not chunk:
                self.done = True
                self.carry = b""
                self.ready += _EMPTY_CELL.sub(b"", data)
                break
            cut = data.rfind(b"<")
            cut = cut if cut > 0 else len(data)
            self.carry = data[cut:]
            self.ready += _EMPTY_CELL.sub(b"", data[:cut])
        if size < 0:
            out, self.ready = self.ready, b""
        else:
            out, self.ready = self.ready[:size], self.ready[size:]
        return out

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _WithoutEmptyCells:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stream_without_empty_cells(ws: Any) -> None:
    """Make openpyxl's read-only sheet stream its part through _WithoutEmptyCells."""
    opener = getattr(ws, "_get_source", None)
    if opener is not None:
        ws._get_source = lambda: _WithoutEmptyCells(opener())


def _filled_extent(facts: SheetFacts) -> tuple[int | None, int | None]:
    """(last row, last column) holding a value or a formula, as tabcheck's full scan saw them;
    (None, None) when the sheet was not scanned in full (then openpyxl streams it all)."""
    if facts.scanned != "full":
        return None, None
    last_row = max((r.number for r in facts.last_rows), default=0)
    last_column = facts.max_column
    if facts.formula_area:
        last_row = max(last_row, facts.formula_area.last_row)
        last_column = max(last_column, facts.formula_area.last_column)
    if last_row == 0:
        return 0, 0
    return last_row, max(last_column, 1)


def _fix(
    path: Path,
    facts: WorkbookFacts,
    values_wb: Any,
    formulas_wb: Any,
    names: OutputNames,
    manifest: FileManifest,
    force: bool,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    by_name = {s.name: s for s in facts.sheets}
    plans: list[tuple[SheetPlan, _Sheets]] = []
    # Three passes over each sheet's rows: the survey, the writing, the verification.
    rows = sum((_filled_extent(sf)[0] or 0) for sf in facts.sheets)
    ticks = _Ticks(progress, 3 * rows) if progress is not None else None
    for name in values_wb.sheetnames:
        if name not in formulas_wb.sheetnames:
            continue
        sf = by_name.get(name)
        sheets = _Sheets(values_wb, formulas_wb, name, sf, ticks)
        plan = SheetPlan(name, state=sf.state if sf else "visible")
        if not sheets.empty:
            survey(sheets.rows(), sheets.formula_rows(), plan)
        plan.untrusted_zeros = zeros_untrusted(facts, plan)
        if sf is not None:
            plan.merged = merged_boxes(sf.merged)
        plans.append((plan, sheets))
    with_data = [(p, s) for p, s in plans if p.has_data]
    for plan, _ in plans:
        if not plan.has_data:
            manifest.transformation("empty-sheet-skipped", plan.name).add(plan.name, "")
    if not with_data:
        manifest.refused = Refusal(
            "no-data",
            "The workbook has no sheet with a value: there is nothing to convert.",
            "Le classeur n'a aucune feuille contenant une valeur : il n'y a rien à convertir.",
        )
        return
    refusal = None if force else formula_refusal([p for p, _ in with_data])
    if refusal is not None:
        manifest.refused = refusal
        return
    text_sheets = _text_sheets([p for p, _ in with_data])
    targets: list[tuple[SheetPlan, _Sheets, Path, Path | None]] = []
    for plan, sheets in with_data:
        if plan.name in text_sheets:
            targets.append((plan, sheets, names.sheet_text(path, plan.name), None))
            continue
        out = names.table(path) if len(with_data) == 1 else names.sheet(path, plan.name)
        notes = names.notes(out) if plan.moved else None
        targets.append((plan, sheets, out, notes))
    if not force:
        existing = [p for _, _, out, notes in targets for p in (out, notes) if p is not None and p.exists()]
        if existing:
            manifest.refused = Refusal(
                "output-exists",
                f"{existing[0]} already exists: pass --force to replace it.",
                f"{existing[0]} existe déjà : passez --force pour le remplacer.",
                "--force",
            )
            return
    for plan, sheets, out, notes in targets:
        if plan.name in text_sheets:
            write_text_sheet(path, plan, sheets.rows(), out, manifest, force)
            output = manifest.outputs[-1]
            output.verification = verify_text_sheet(out, sheets.rows())
        else:
            write_sheet(path, plan, sheets.rows(), sheets.formula_rows(), out, notes, manifest, force)
            output = manifest.outputs[-1]
            output.verification = verify_sheet(out, sheets.rows(), sheets.formula_rows(), plan, notes)
        if not output.verification.ok:
            for p in (out, notes):
                if p is not None:
                    p.unlink(missing_ok=True)


# A sheet of text lines named as documentation (read-me, notes, legend, sources, …).
_NOTES_SHEET = re.compile(
    r"(?i)(?:^|[^\w])(?:notes?|l[ée]gendes?|legends?|lisez[- _]?moi|read[- _]?me|documentation|doc|"
    r"m[ée]tadonn[ée]es|metadata|sources?|descriptions?|infos?|informations?|avertissements?|licen[cs]es?|"
    r"m[ée]thodes?|methods?|codebook|dictionnaire)(?:$|[^\w])"
)


def _text_sheets(plans: list[SheetPlan]) -> set[str]:
    """The sheets written as text files, not tables: lines of text only (every filled row one cell
    of words) beside a sheet that holds a table, when there is one line only (a CSV of a header and
    no data is no table) or the sheet's name says documentation (Notes, Légende, Lisez-moi, …).
    Other sheets of lines stay one-column tables: a list of species is data."""
    if not any(not p.text_only for p in plans):
        return set()
    return {p.name for p in plans if p.text_only and (p.filled_rows == 1 or _NOTES_SHEET.search(p.name))}


def _text_lines(rows: Iterator[Row]) -> Iterator[str]:
    """The sheet's one text cell per filled row, in order (blank rows between them left out), as
    Excel shows it (its `_x000D_` escapes decoded, as in a table's cells)."""
    for values in rows:
        for value in values:
            if value is not None and value != "":
                yield decode_escapes(str(value))


def write_text_sheet(
    source: Path, plan: SheetPlan, rows: Iterator[Row], out: Path, manifest: FileManifest, force: bool
) -> None:
    """Write a sheet of text lines to `out`, one line per filled row (its cell as written)."""
    written = 0
    with atomic_text(out, source, force=force) as fh:
        for line in _text_lines(rows):
            fh.write(line + "\n")
            written += 1
    manifest.transformation("text-sheet", plan.name).add(plan.name, out.name)
    if plan.state != "visible":
        manifest.transformation("hidden-sheet", plan.name).add(f"{plan.name} ({plan.state})", out.name)
    manifest.outputs.append(Output(out, sheet=plan.name, rows=written, columns=1))


def verify_text_sheet(out: Path, rows: Iterator[Row]) -> Verification:
    """Re-read `out` beside the sheet, both streamed: each filled cell, in order, is its lines (a
    cell's own line breaks included), and nothing else is there."""
    cells = 0
    with open(out, encoding="utf-8", newline="\n") as fh:  # lines end at LF only: a CR is a cell's
        lines = (line[:-1] if line.endswith("\n") else line for line in fh)
        for text in _text_lines(rows):
            for part in text.split("\n"):
                if next(lines, None) != part:
                    return Verification(
                        False, cells, cells, f"the text of cell {cells + 1} is not in the file"
                    )
            cells += 1
        if next(lines, None) is not None:
            return Verification(False, cells, cells, "the file has more lines than the sheet's cells")
    return Verification(True, cells, cells)


NOT_CONVERTED = (".xls", ".xlsb", ".ods")


def not_converted(path: Path) -> Refusal:
    """.xls, .xlsb, .ods: not converted (see the module's docstring); what to do instead, en and fr."""
    kind = path.suffix.lower()
    return Refusal(
        "format-not-converted",
        f"tabcheck fix does not convert {kind} files: open it in Excel or LibreOffice and save it as "
        ".xlsx (then run fix again) or as 'CSV UTF-8 (comma delimited)', one sheet at a time.",
        f"tabcheck fix ne convertit pas les fichiers {kind} : ouvrez-le dans Excel ou LibreOffice et "
        "enregistrez-le en .xlsx (puis relancez fix) ou au format « CSV UTF-8 (délimité par des "
        "virgules) », une feuille à la fois.",
    )


def _n(count: int, one: str, many: str, lang: str = "en") -> str:
    """`1 formula has` / `3 formulas have`: the number with words that agree (French: 0 and 1 singular)."""
    singular = count <= 1 if lang == "fr" else count == 1
    return f"{count} {one}" if singular else f"{count} {many}"


def formula_refusal(plans: list[SheetPlan]) -> Refusal | None:
    """Refused without --force: formulas whose results the file does not hold (en and fr)."""
    for plan in plans:
        if plan.missing_count:
            cell, formula = plan.missing[0]
            return Refusal(
                "formula-without-value",
                f'Sheet "{plan.name}": {_n(plan.missing_count, "formula has", "formulas have")} no saved result '
                f"(first: {cell} {formula}); tabcheck does not compute formulas. Open the workbook "
                "in Excel or LibreOffice (Ctrl+Shift+F9 recalculates every formula), save it and run "
                "fix again; or pass --force to write these cells empty.",
                f"Feuille « {plan.name} » : {_n(plan.missing_count, 'formule', 'formules', 'fr')} sans résultat enregistré "
                f"(première : {cell} {formula}) ; tabcheck ne calcule pas les formules. Ouvrez le "
                "classeur dans Excel ou LibreOffice (Ctrl+Maj+F9 recalcule toutes les formules), "
                "enregistrez-le et relancez fix ; ou passez --force pour écrire ces cellules vides.",
                "--force",
            )
        if plan.untrusted_zeros:
            cell, formula = plan.zeros[0]
            return Refusal(
                "formula-not-computed",
                f'Sheet "{plan.name}": {_n(plan.zero_count, "formula stores", "formulas: each stores")} 0 (first: {cell} '
                f"{formula}) because the program that wrote the file does not compute formulas. Open "
                "the workbook in Excel or LibreOffice (Ctrl+Shift+F9 recalculates every formula), "
                "save it and run fix again; or pass --force to write these cells empty.",
                f"Feuille « {plan.name} » : {_n(plan.zero_count, 'formule a', 'formules : chacune a', 'fr')} 0 pour "
                f"résultat (première : {cell} {formula}), car le programme qui a écrit le fichier ne "
                "calcule pas les formules. Ouvrez le classeur dans Excel ou LibreOffice (Ctrl+Maj+F9 "
                "recalcule toutes les formules), enregistrez-le et relancez fix ; ou passez --force "
                "pour écrire ces cellules vides.",
                "--force",
            )
    return None


def _refusal_corrupt(kind: str, detail: str) -> Refusal:
    return Refusal(
        f"corrupt-workbook:{kind}",
        f"The workbook cannot be read safely ({kind}): {detail}.",
        f"Le classeur ne peut pas être lu sans risque ({kind}) : {detail}.",
    )


def sheet_parts(facts: WorkbookFacts) -> set[str]:
    return {s.part for s in facts.sheets if s.part}


def _beyond_excel(facts: WorkbookFacts) -> Refusal | None:
    for sheet in facts.sheets:
        rows, columns = sheet.max_row, sheet.max_column
        if sheet.dimension:
            last = parse_ref(sheet.dimension.rpartition(":")[2][:64])
            if last is None and sheet.dimension.strip():
                last = (EXCEL_MAX_COLUMNS + 1, 0)  # a reference Excel would not write (beyond XFD)
            if last is not None:
                columns, rows = max(columns, last[0]), max(rows, last[1])
        if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
            return Refusal(
                "beyond-excel-limits",
                f'Sheet "{sheet.name}" declares {rows:,} rows and {columns:,} columns, beyond Excel\'s '
                f"limits ({EXCEL_MAX_ROWS:,} rows, {EXCEL_MAX_COLUMNS:,} columns): refused.",
                f"La feuille « {sheet.name} » déclare {rows:,} lignes et {columns:,} colonnes, au-delà "
                f"des limites d'Excel ({EXCEL_MAX_ROWS:,} lignes, {EXCEL_MAX_COLUMNS:,} colonnes) : "
                "refusée.",
            )
    return None


def _too_sparse(facts: WorkbookFacts, budgets: Budgets) -> Refusal | None:
    """A sheet whose filled rectangle (from A1, as openpyxl streams it and as the CSV may hold it)
    is absurd beside the cells actually filled: refused before anything is read or written.

    The rule (tabcheck.workbook.budgets): more than `output_density` (100) times the filled cells
    and more than `output_cells_floor` (10 million) cells, or more than `max_output_cells` (500
    million) whatever the density. Even a sparse table fills 1 cell in 100; below 10 million cells
    the CSV is a few MB whatever it holds; beyond 500 million it is over the ingest limit.
    """
    for sheet in facts.sheets:
        last_row, last_column = _filled_extent(sheet)
        if not last_row or not last_column:
            continue
        cells = last_row * last_column
        filled = sheet.value_cells + sheet.formula_cells.count
        sparse = cells > budgets.output_cells_floor and cells > budgets.output_density * max(filled, 1)
        if not sparse and cells <= budgets.max_output_cells:
            continue
        far = f"{column_letters(last_column)}{last_row}"
        return Refusal(
            "table-too-sparse",
            f'Sheet "{sheet.name}": its values reach column {column_letters(last_column)} and row '
            f"{last_row:,} (A1:{far}, {cells:,} cells) but only {_n(filled, 'cell is', 'cells are')} "
            "filled: the CSV would be nearly all empty cells. A stray value far from the table? "
            "Delete it in Excel or LibreOffice (Ctrl+End shows the last cell), save the workbook and "
            "run fix again.",
            f"Feuille « {sheet.name} » : ses valeurs vont jusqu'à la colonne "
            f"{column_letters(last_column)} et à la ligne {last_row:,} (A1:{far}, {cells:,} cellules)"
            f" mais {_n(filled, 'cellule seulement est remplie', 'cellules seulement sont remplies', 'fr')}"
            " : le CSV ne serait presque que des cellules vides. Une valeur égarée loin du tableau ? "
            "Supprimez-la dans Excel ou LibreOffice (Ctrl+Fin montre la dernière cellule), "
            "enregistrez le classeur et relancez fix.",
        )
    return None


def _big_parts(path: Path, facts: WorkbookFacts, budgets: Budgets) -> Refusal | None:
    """openpyxl parses every XML part but the sheets and the shared strings whole (styles, theme,
    properties, links): each must be within the size of a small part, as tabcheck reads them."""
    import zipfile

    streamed = sheet_parts(facts)
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                name = info.filename.lstrip("/")
                if name in streamed or name.lower().endswith("sharedstrings.xml"):
                    continue
                if name.lower().endswith((".xml", ".rels")) and info.file_size > budgets.max_small_part:
                    return _refusal_corrupt(
                        "limit",
                        f"{name} is {info.file_size:,} bytes, beyond the {budgets.max_small_part:,} "
                        "read whole for a part of its kind",
                    )
    except (OSError, zipfile.BadZipFile) as exc:
        return _refusal_corrupt("unreadable", str(exc))
    return None


def write_sheet(
    source: Path,
    plan: SheetPlan,
    rows: Iterator[Row],
    formula_rows: Iterator[Row] | None,
    out: Path,
    notes: Path | None,
    manifest: FileManifest,
    force: bool = False,
) -> None:
    """Write one sheet's table to `out` (and its titles and notes to `notes`), declaring every change."""
    where = plan.name
    written = 0
    fractions: set[int] = set()  # columns where a number has a fractional part
    with atomic_text(out, source, force=force) as fh:
        for number, cells, blanked in table_rows(rows, formula_rows, plan):
            texts = []
            made: set[int] = set()  # header cells named by their column letter
            for i, (value, blank) in enumerate(zip(cells, blanked, strict=True)):
                ref = cell_ref(plan.first_column + i, number)
                if blank is not None and value is not None and value != "":
                    manifest.transformation(blank, where).add(f"{ref}: {value}", "")
                if number == plan.header_row and (blank is not None or value in (None, "")):
                    # Dataverse names an empty header cell of a sheet (a merged one too) by its
                    # column letter; a CSV with an empty name is refused: the letter is written, declared.
                    made.add(i)
                    texts.append(header_letter(plan, i))
                    continue
                if blank is not None:
                    texts.append("")
                    continue
                w = write_cell(value)
                if isinstance(value, float) and not value.is_integer():
                    fractions.add(i)
                if w.change is not None:
                    before = f"{ref}: {w.shown}" if w.shown else ref
                    manifest.transformation(w.change, where).add(before, w.text)
                if "\t" in w.text:
                    manifest.transformation("tab-kept", where).add(ref, w.text)
                if "\n" in w.text:
                    manifest.transformation("line-break-kept", where).add(ref, w.text)
                texts.append(w.text)
            if number == plan.header_row:
                texts = _distinct_header(texts, made, plan, number, manifest)
            fh.write(csv_line(texts))
            written += 1
    if plan.missing_count:
        t = manifest.transformation("formula-without-value", where)
        for cell, formula in plan.missing:
            t.add(f"{cell} {formula}", "", 0)
        t.count += plan.missing_count
    for r1, c1, r2, c2 in plan.merged:
        ref = f"{cell_ref(c1, r1)}:{cell_ref(c2, r2)}"
        manifest.transformation("merged-cells", where).add(ref, f"value kept in {cell_ref(c1, r1)}")
    if plan.blank_rows:
        manifest.transformation("drop-blank-lines", where).add(
            _n(plan.blank_rows, "blank row", "blank rows"), "", plan.blank_rows
        )
    if plan.state != "visible":
        manifest.transformation("hidden-sheet", where).add(f"{plan.name} ({plan.state})", out.name)
    if notes is not None:
        with atomic_text(notes, source, force=force) as fh:
            for number, text in plan.title_rows + plan.note_rows:
                fh.write(text + "\n")
                manifest.transformation("move-notes", where).add(f"row {number}: {text}", notes.name)
    manifest.outputs.append(
        Output(out, sheet=plan.name, rows=written, columns=plan.width, fraction_columns=frozenset(fractions))
    )


def _distinct_header(
    texts: list[str], made: set[int], plan: SheetPlan, number: int, manifest: FileManifest
) -> list[str]:
    """The header's names, each distinct (csvfix.unique_names), every change declared: an empty cell
    named by its column letter, a name used twice written name_2."""
    names, renamed = unique_names(texts, made) if len(texts) > 1 else (texts, [])
    for i in sorted(made):
        manifest.transformation("header-named", plan.name).add(
            cell_ref(plan.first_column + i, number), names[i]
        )
    for i in renamed:
        if i not in made:
            ref = cell_ref(plan.first_column + i, number)
            manifest.transformation("header-deduplicated", plan.name).add(f"{texts[i]} ({ref})", names[i])
    return names


def header_letter(plan: SheetPlan, index: int) -> str:
    """The name Dataverse gives the empty header cell at `index` of the table: its column letter."""
    return column_letters(plan.first_column + index)


def verify_sheet(
    out: Path,
    rows: Iterator[Row],
    formula_rows: Iterator[Row] | None,
    plan: SheetPlan,
    notes: Path | None,
) -> Verification:
    """Re-read `out` beside the sheet (both streamed): every cell must hold its source value."""
    checked_rows = cells = 0
    with open(out, encoding="utf-8", newline="") as fh:
        records = csv.reader(fh)
        for number, values, blanked in table_rows(rows, formula_rows, plan):
            record = next(records, None)
            if record is None:
                return Verification(False, checked_rows, cells, f"row {number} is missing from the CSV")
            if len(record) != plan.width:
                return Verification(
                    False, checked_rows, cells, f"row {number}: {len(record)} values, {plan.width} expected"
                )
            header = number == plan.header_row
            for i, (value, text, blank) in enumerate(zip(values, record, blanked, strict=True)):
                named = header and (blank is not None or value in (None, ""))
                letter = header_letter(plan, i)
                if named and (text == letter or re.fullmatch(re.escape(letter) + "_[0-9]+", text)):
                    cells += 1
                    continue
                renamed = re.fullmatch(r"(.*)_[0-9]+", text) if header and not named else None
                if (
                    renamed is not None
                    and agrees(value, renamed.group(1), False)
                    and any(agrees(values[j], renamed.group(1), blanked[j] is not None) for j in range(i))
                ):
                    cells += 1  # a name an earlier column holds: header-deduplicated
                    continue
                if not agrees(value, text, blank is not None):
                    ref = cell_ref(plan.first_column + i, number)
                    return Verification(
                        False, checked_rows, cells, f"{ref}: the source holds {value!r}, the CSV {text!r}"
                    )
                cells += 1
            checked_rows += 1
        extra = next(records, None)
        if extra is not None:
            return Verification(False, checked_rows, cells, "the CSV has more rows than the sheet")
    if notes is not None:
        expected = "".join(text + "\n" for _, text in plan.title_rows + plan.note_rows)
        with open(notes, encoding="utf-8", newline="") as fh:
            if fh.read() != expected:
                return Verification(False, checked_rows, cells, f"{notes.name} does not hold the moved rows")
    return Verification(True, checked_rows, cells)
