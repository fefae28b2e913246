"""Dates typed as text in the sheet Dataverse reads: `25/12/2020` in a cell formatted as text, or
pasted from a CSV export.

Dataverse's XLSX reader stores a text cell as text, whatever it looks like, so such a column is a
character variable, where the same values in a CSV would be a date variable once written
yyyy-mm-dd (which `fix` does: fix/sheet_repairs.py). This counts, per column the scan leaves as
text, the text cells that are dates in another shape than yyyy-mm-dd, with the shape of each
(what tells their order: a first number above 12 is a day), in the same streaming pass as the
stray words (strays.count_columns). A column is dropped once it holds more than OTHERS_KEPT texts
that are neither such a date nor a missing-value code (a column of names or comments costs its
first chunk; the few kept are the author's header under a title, or a note), and the pass
looks at no column at all unless some shared string has a date's shape. Memory: the columns'
counts and a few samples each, and the kinds of the shared strings met.
"""

from __future__ import annotations

import re

from tabcheck.facts.workbook import CellSample, IngestTrace, TextDateColumn
from tabcheck.patterns import (
    DATE_LIKE,
    DAY_FIRST_DATE,
    DAY_FIRST_DATE_TIME,
    EITHER_ORDER_DATE,
    EITHER_ORDER_DATE_TIME,
    MISSING_CODE,
    MONTH_FIRST_DATE,
    MONTH_FIRST_DATE_TIME,
    YEAR_FIRST_DATE,
)
from tabcheck.workbook.cells import (
    CELL_TYPE,
    MAX_DATAVERSE_COLUMNS,
    NUMBER_CELL_TAIL,
    STRING_CELL_TAIL,
    column_index,
    column_letters,
    dataverse_numeric,
    xml_text,
)
from tabcheck.workbook.sheet import _V  # a cell's <v>, as the scan reads it

# A value counts for the first shape it matches, as in the CSV check (rules/values.py).
SHAPES = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("date-day-first", DAY_FIRST_DATE),
        ("date-month-first", MONTH_FIRST_DATE),
        ("date-either-order", EITHER_ORDER_DATE),
        ("date-year-first", YEAR_FIRST_DATE),
        ("date-time-day-first", DAY_FIRST_DATE_TIME),
        ("date-time-month-first", MONTH_FIRST_DATE_TIME),
        ("date-time-either-order", EITHER_ORDER_DATE_TIME),
        ("date-like", DATE_LIKE),
    )
)
_DATE_LIKE = re.compile(DATE_LIKE)
_MISSING = re.compile(MISSING_CODE)
# Other texts a column of dates may hold and still be counted: the author's header under a title,
# a note below the table (the rule then keeps the column only if each is in such a row).
OTHERS_KEPT = 3
MISSING = "missing"  # NA, `.`, n/a …: Dataverse reads NA and `.` as missing, the others as text
_NUMBER_TAIL, _STRING_TAIL = NUMBER_CELL_TAIL, STRING_CELL_TAIL


def shape_of(text: str) -> str | None:
    """The date shape of a text (SHAPES' name), MISSING for a missing-value code, None otherwise."""
    if text == "NA" or _MISSING.match(text):
        return MISSING
    for name, pattern in SHAPES:
        if pattern.match(text):
            return name
    return None


class TextDates:
    """The text date columns of one sheet, fed whole rows (the header's apart) in order."""

    def __init__(self, columns: list[int], header_row: int) -> None:
        self.header_row = header_row
        self.live = {c: TextDateColumn(column=c) for c in columns}
        self._shapes: dict[int, str | None] = {}  # shared string index -> shape_of
        self._compile()

    @classmethod
    def for_sheet(cls, trace: IngestTrace, strings: list[str]) -> TextDates | None:
        """None when no shared string has a date's shape (the usual case: nothing to read) or the
        scan found no column left as text."""
        if trace.header_row is None or not any(_DATE_LIKE.match(s) for s in strings if s[:1].isdigit()):
            return None
        numeric = trace.numeric[:MAX_DATAVERSE_COLUMNS]
        columns = [i + 1 for i, kept in enumerate(numeric) if not kept]
        return cls(columns, trace.header_row) if columns else None

    def _compile(self) -> None:
        letters = b"|".join(column_letters(c).encode("ascii") for c in sorted(self.live))
        ref = rb'<c r="(' + letters + rb')([0-9]{1,7})"'
        self._numbers = re.compile(rb'<c r="(' + letters + rb')[0-9]{1,7}"' + _NUMBER_TAIL)
        self._strings = re.compile(ref + _STRING_TAIL)
        plain = _NUMBER_TAIL + b"|" + _STRING_TAIL.replace(b"([0-9]{1,10})", b"[0-9]{1,10}")
        self._others = re.compile(ref + rb"(?!" + plain + rb")([^>]*?)\s*(?:/>|>(.*?)</c>)", re.S)
        self._late = re.compile(rb'<c\s(?!r=")[^>]*?\sr="(' + letters + rb')[0-9]{1,7}"', re.S)

    def feed(self, data: bytes, strings: list[str]) -> bool:
        """Count the cells of `data` (whole rows); False once no column is left."""
        dropped: set[int] = set()
        if self._late.search(data):  # a reference after another attribute (no writer seen does it): not read
            self.live.clear()
            return False
        for letters in self._numbers.findall(data):
            self.live[column_index(letters.decode("ascii"))].numbers += 1
        cells: list[tuple[int, int, str, int]] = []  # (row, column, text, shared string index or -1)
        for letters, row, index in self._strings.findall(data):
            i = int(index)
            if i < len(strings):
                cells.append((int(row), column_index(letters.decode("ascii")), strings[i], i))
        for letters, row, attrs, inner in self._others.findall(data):
            v = _V.search(inner) if inner else None
            if v is None:
                continue  # no <v>: Dataverse reads nothing (inline strings too)
            kind = CELL_TYPE.search(attrs)
            ctype = kind.group(1) if kind else b"n"
            raw = v.group(1) or b""
            column = column_index(letters.decode("ascii"))
            if ctype == b"s":
                try:
                    text = strings[int(raw)]
                except (ValueError, IndexError):
                    continue
            elif ctype == b"e":
                dropped.add(column)  # an error cell: a text of its own (error-cells says it)
                continue
            else:
                text = xml_text(raw) if raw else ""
            if text and (ctype in (b"n", b"b") or dataverse_numeric(text.encode("utf-8"))):
                self.live[column].numbers += 1
            elif text:
                cells.append((int(row), column, text, -1))
        for row, column, text, index in sorted(cells):
            col = self.live.get(column)
            if col is None or column in dropped or row <= self.header_row or not text:
                continue  # an empty text is an empty value
            if index < 0:
                shape = shape_of(text)
            elif index in self._shapes:
                shape = self._shapes[index]
            else:
                shape = self._shapes[index] = shape_of(text)
            if shape is None:  # a word: the author's header under a title, a note, or a column of words
                col.others.add(CellSample(f"{column_letters(column)}{row}", row, column, text[:80]))
                if col.others.count > OTHERS_KEPT:
                    dropped.add(column)
            elif shape != MISSING:
                col.dates.add(CellSample(f"{column_letters(column)}{row}", row, column, text[:80]))
                col.kinds.setdefault(shape, text[:80])
        if dropped:
            for column in dropped:
                self.live.pop(column, None)
            if self.live:
                self._compile()
        return bool(self.live)

    def result(self) -> list[TextDateColumn]:
        return [c for _, c in sorted(self.live.items()) if c.dates.count]
