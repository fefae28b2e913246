"""Small helpers the rule modules share."""

from __future__ import annotations

from dataclasses import dataclass

from tabcheck.facts.table import STRAY_TEXTS
from tabcheck.facts.workbook import RowInfo
from tabcheck.model import Location

# Contents a CSV reader reads as garbage: rules about rows and values have nothing to say on them.
NOT_TEXT = ("zip", "ole2", "binary")  # UTF-16/32 text is read in its encoding for the author's view
MAX_LISTED = 10


def short_list(items, limit: int = MAX_LISTED) -> str:
    """The first items of a long list, and how many more: messages stay one line."""
    items = list(items)
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f", … (+{len(items) - limit})" if len(items) > limit else "")


def user_view(facts):
    """The table as the user delimited it, or None for a file that is not CSV/TSV."""
    t = facts.table
    if t is None or facts.content in NOT_TEXT or t.user is None or t.user.header is None:
        return None
    return t.user


# Numbers Dataverse reads as text, but numbers to the user: a column of them is still numbers.
_NUMBER_EVIDENCE = ("decimal-comma", "comma-one-group", "comma-grouped", "space-grouped", "point-grouped")


HEADER_ROWS = 3  # rows under the header that may hold more names (units, question texts, ids)


def units_row_column(v, col) -> bool:
    """One of the columns of a units row (units_row_columns); the column's own test first, the
    others' only then (a wide table's columns each ask it)."""
    return bool(_words_under_header(col, first_data_row(v))) and any(c is col for c in units_row_columns(v))


def units_row_columns(v) -> list:
    """The columns of numbers (as Dataverse reads them, or with a decimal comma or thousands
    separators) whose values no evidence explains are all in the rows right under the header (one
    to HEADER_ROWS), when two columns at least are so: units, sub-titles, a survey tool's question
    texts and ids (second-header-row says them; the other rules look at the columns' numbers).
    One such column alone is a word among numbers (text-among-numbers): "refused" as a first
    participant's age is no header."""
    first = first_data_row(v)
    found = [col for col in v.columns if _words_under_header(col, first)]
    return found if len(found) >= 2 and header_is_first_line(v) else []


def header_rows_under(found: list) -> int:
    """How many rows under the header the columns of units_row_columns hold their words in."""
    return max((col.unexplained_text.count for col in found), default=0)


def _words_under_header(col, first: int) -> int:
    """For a column of numbers whose unexplained values are the rows `first`, `first + 1`, … (at
    most HEADER_ROWS), how many they are; else 0."""
    text = col.unexplained_text
    n = text.count
    if col.type != "character" or not 1 <= n <= HEADER_ROWS or len(text.samples) != n:
        return 0
    if [row for row, _ in text.samples] != list(range(first, first + n)):
        return 0
    return n if col.had_numbers or any(col.evidence.get(e) for e in _NUMBER_EVIDENCE) else 0


# A column of numbers with a stray word: at most STRAY_TEXTS values that are not numbers (the
# scan counts a column's values while so few are unexplained), each outnumbered STRAY_RATIO times.
STRAY_RATIO = 10


def stray_text_column(v, col) -> bool:
    """A column of numbers made text by a few values no evidence explains (5-10, ~3, 12.5.3, a
    comment) that are not a units row (second-header-row): text-among-numbers says them, and the
    rules about the column's numbers still look at it. Numbers written another way (3,5, 1 234,
    12 %) count as numbers; every other value must be explained by some evidence."""
    text = col.unexplained_text
    if col.type != "character" or not 0 < text.count <= STRAY_TEXTS:
        return False
    explained = sum(o.count for o in col.evidence.values())
    if col.texts - explained > STRAY_TEXTS:
        return False  # values left uncounted (a text column's first look): not a few
    return numbers_in(col) >= STRAY_RATIO * text.count and not units_row_column(v, col)


# What makes a column one of dates to the user, whatever way they are written.
_DATE_EVIDENCE = (
    "iso-date",
    "date-day-first",
    "date-month-first",
    "date-either-order",
    "date-year-first",
    "date-like",
)


def repeated_header(v) -> tuple[list, list[int]]:
    """(columns, rows) when the header comes back inside the table (tables put end to end, a
    report's pages): two columns of numbers or dates at least whose only values that no evidence
    explains are their own name, in the same rows (all of them kept: at most a few). Else ([], [])."""
    found: list = []
    rows: list[int] | None = None
    for col in v.columns:
        text = col.unexplained_text
        name = col.name.strip()
        if col.type != "character" or not text or text.count != len(text.samples) or not name:
            continue
        if any(value.strip() != name for _, value in text.samples):
            continue
        if not numbers_in(col) and not any(col.evidence.get(e) for e in _DATE_EVIDENCE):
            continue
        these = [row for row, _ in text.samples]
        if rows is None:
            rows = these
        if these == rows:
            found.append(col)
    return (found, rows or []) if len(found) >= 2 else ([], [])


def numbers_in(col) -> int:
    """The column's values that are numbers to the user: Dataverse's, and those written otherwise."""
    return col.numbers + sum(col.evidence[n].count for n in _WRITTEN_NUMBERS if col.evidence.get(n))


# Numbers written in a way Dataverse reads as text (numbers to the user).
_WRITTEN_NUMBERS = (*_NUMBER_EVIDENCE, "odd-negative", "trailing-minus", "percent", "currency")


def header_is_first_line(v) -> bool:
    """Whether the view's header is the table's: not an empty line, no title above it that the
    sniff left in (title-or-notes-rows says those)."""
    from tabcheck.rules import layout

    if not any(h.strip() for h in v.header or ()):
        return False
    if v.preamble:
        return True  # the sniff skipped the title: this view's header is the table's own
    lay = layout.analyse(v)
    return not (lay and lay.title_rows)


def first_data_row(v) -> int:
    """The row number of the record under the header (rows count from the file's first line)."""
    return (v.preamble[-1].row + 2) if v.preamble else 2


def column_location(view, index: int, row: int | None = None, line: int | None = None) -> Location:
    """A location in column `index` (1-based) of a CSV view."""
    names = view.header or []
    name = names[index - 1] if 0 < index <= len(names) else None
    return Location(row=row, line=line, column=index, column_name=name)


def rows_of(samples) -> list[int]:
    return [s[0] for s in samples]


# Workbooks
SAMPLES = 5
XLSX = ("xlsx",)


def usable_sheet(facts):
    """(workbook, the sheet Dataverse reads) — the sheet is None when its cells cannot be trusted."""
    wb = facts.workbook
    if wb is None or wb.corrupt is not None:
        return None, None
    sheet = wb.read_sheet
    if sheet is not None and sheet.problem:
        return wb, None  # malformed XML: cell-level facts are not trustworthy
    return wb, sheet


def workbook_of(facts):
    wb = getattr(facts, "workbook", None)
    return None if wb is None or wb.corrupt is not None else wb


def read_sheet(facts):
    wb = workbook_of(facts)
    return wb.read_sheet if wb else None


def cell_location(sheet, sample) -> Location:
    return Location(
        sheet=sheet.name,
        cell=sample.cell,
        row=sample.row,
        column=sample.column,
        column_name=header_name(sheet, sample.column),
    )


def header_name(sheet, column: int) -> str | None:
    """The column's name as its author wrote it: in the header under a title, if there is one."""
    layout = sheet_layout(sheet)
    if layout is not None:
        return layout.header.values.get(column)
    if sheet.first_rows:
        return sheet.first_rows[0].values.get(column)
    return None


def tally_finding(rule_, sheet, tally, **params):
    samples = [cell_location(sheet, s) for s in tally.samples[:SAMPLES]]
    cells = [s.cell for s in tally.samples[:SAMPLES]]
    return rule_.finding(
        samples[0],
        count=tally.count,
        samples=samples,
        sheet=sheet.name,
        cells=cells,
        count_cells=tally.count,
        **params,
    )


@dataclass
class SheetLayout:
    """The table as its author laid it out in a sheet: a title row above the header (one text
    cell over a row of several), the header, the notes rows under the table."""

    header: RowInfo
    title: RowInfo | None
    notes: list[RowInfo]


def sheet_layout(sheet) -> SheetLayout | None:
    """The layout of the sheet's first and last rows kept (None: fewer than two filled rows)."""
    rows = [r for r in sheet.first_rows if r.filled] if sheet is not None else []
    if len(rows) < 2:
        return None
    first, second = rows[0], rows[1]
    if first.filled == 1 and second.filled >= 2:
        return SheetLayout(second, first, _notes_rows(sheet, second.filled, _first_filled(second)))
    return SheetLayout(first, None, _notes_rows(sheet, first.filled, _first_filled(first)))


def _first_filled(row) -> int:
    """A row's first filled column (1-based)."""
    return min((c for c, v in row.values.items() if v.strip()), default=1)


def _notes_rows(sheet, header_width: int, first_column: int = 1) -> list:
    """Trailing rows that hold one text cell where the table has several columns (after a gap, or
    where the table's rows are full), in the table's first column: a text alone further right is a
    record whose first cells are empty (fix keeps it too: xlsxfix._notes)."""
    if header_width < 2 or len(sheet.last_rows) < 2:
        return []
    notes = []
    for r in reversed(sheet.last_rows):
        if r.number == sheet.header_row:
            break
        text_cells = [v for v in r.values.values() if v.strip()]
        filled = [c for c, v in r.values.items() if v.strip()]
        if (
            len(text_cells) == 1
            and not _numberish(text_cells[0])
            and len(text_cells[0]) >= 3
            and filled[0] == first_column
        ):
            notes.append(r)
        else:
            break
    notes.reverse()
    if notes and len(notes) >= len(sheet.last_rows) - 1:
        return []  # the whole tail is one-cell rows: a one-column table, not notes
    return notes


def _numberish(text: str) -> bool:
    try:
        float(text.replace(",", "."))
        return True
    except ValueError:
        return False


def sheet_column_name(trace, layout: SheetLayout | None, column: int) -> str | None:
    """A column's name in a sheet Dataverse reads: its author's when a title sits above the header
    (Dataverse then names it by its letter), else the header cell Dataverse reads."""
    if layout is not None and layout.title is not None:
        return layout.header.values.get(column)
    return trace.header[column - 1] if column <= len(trace.header) else None


def xlsx_units_row(wb, sheet):
    """(the row under the header, [(column, its text)]) when that row looks like a second header
    row in the sheet Dataverse reads: two columns at least that it types as text, whose cell under
    the header is text and whose next cells (of the first rows kept, three at least) are numbers."""
    trace = wb.trace if wb is not None else None
    if sheet is None:
        return None
    found = sheet_header(wb, sheet)
    if found is None:
        return None
    header_row = found[0]
    typed: list[bool] | None = None
    if trace is not None and not trace.failure:
        if not trace.numeric:
            return None
        typed = list(trace.numeric)
    layout = sheet_layout(sheet)
    if layout is not None and layout.title is not None and layout.header.number != header_row:
        # A title above the author's header: Dataverse's header is the title, and its types are
        # those of that view. The author's is what fix keeps (the title moved out): under it, a
        # row of text over numbers makes those columns text once the title is gone.
        header_row, typed = layout.header.number, None
    # typed None (that view, or a sheet Dataverse cannot read today: no row spans): the row is
    # said as it will be once the sheet is re-saved or fixed.
    rows = [row for row in sheet.first_rows if row.number > header_row]
    if len(rows) < 4 or rows[0].number != header_row + 1:
        return None
    under, below = rows[0], rows[1:]
    columns = []
    for column, text in sorted(under.values.items()):
        if not text.strip() or _is_number(text):
            continue
        if typed is not None and (column > len(typed) or typed[column - 1]):
            continue
        filled = [row.values[column] for row in below if row.values.get(column, "").strip()]
        if len(filled) >= 3 and all(_is_number(t) for t in filled):
            columns.append((column, text))
    return (under, columns) if len(columns) >= 2 else None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def sheet_header(wb, sheet):
    """(row, names by 0-based column, width, view) of the sheet's header row.

    Dataverse's view (its reader's trace) when it can read the sheet; otherwise the author's view
    (the first filled row, or the row after a one-cell title), so that a sheet Dataverse cannot read
    today (no row spans, …) still has its header checked: the problems are there once it is re-saved.
    """
    trace = wb.trace if wb else None
    if trace and trace.declared_width and trace.header and not trace.failure:
        width = min(trace.declared_width, len(trace.header))
        return trace.header_row or 1, list(trace.header[:width]), width, "dataverse"
    rows = [r for r in sheet.first_rows if r.filled]
    if not rows:
        return None
    header = rows[1] if len(rows) >= 2 and rows[0].filled == 1 and rows[1].filled >= 2 else rows[0]
    width = max(header.values)
    names = [header.values.get(c) for c in range(1, width + 1)]
    return header.number, names, width, "author"
