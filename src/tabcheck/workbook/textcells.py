"""Numbers and dates typed as text in the sheet Dataverse reads: `12,5` or `25/12/2020` in cells
formatted as text, or pasted from a CSV export.

Dataverse's XLSX reader stores a text cell as text, whatever it looks like (it reads no date and no
decimal comma from text), so such a column is a character variable, where the same values in a
CSV would be numbers or dates once written with a decimal point or yyyy-mm-dd (which `fix` does:
fix/sheet_repairs.py). This counts, per column the scan leaves as text, the text cells of each
shape the CSV check knows (patterns.TEXT_SHAPES: a decimal comma, thousands separators, a date
and what tells its order, …), in the same streaming pass as the stray words
(strays.count_columns). A column is dropped once it holds more than OTHERS_KEPT texts of no such
shape (a column of names or comments costs its first chunk; the few kept are the author's header
under a title, or a note), and the pass looks at no column at all unless some shared string has
the shape of a number or a date written another way (_WORTH). Memory: the columns' counts and a few samples of each
shape, and the shapes of the shared strings met.
"""

from __future__ import annotations

import re

from tabcheck.facts.common import Occurrences
from tabcheck.facts.workbook import CellSample, IngestTrace, TextColumn
from tabcheck.patterns import TEXT_SHAPES
from tabcheck.workbook.cells import (
    CELL_TYPE,
    MAX_DATAVERSE_COLUMNS,
    NUMBER_CELL_TAIL,
    NUMBER_CELL_VALUE_TAIL,
    STRING_CELL_TAIL,
    column_index,
    column_letters,
    dataverse_numeric,
    xml_text,
)
from tabcheck.workbook.sheet import _V  # a cell's <v>, as the scan reads it

SHAPES = tuple((name, re.compile(pattern)) for name, pattern in TEXT_SHAPES.items())
MISSING = "missing-code"  # NA, `.`, n/a …: Dataverse reads NA and `.` as missing, the others as text
# The shapes worth the pass (some shared string must have one of them): those of numbers and dates
# written another way; not a missing-value code alone (`-` is everywhere), nor 1,234 (ambiguous).
_WORTH = re.compile(
    "|".join(
        f"(?:{pattern})"
        for name, pattern in TEXT_SHAPES.items()
        if name not in ("missing-code", "spreadsheet-error", "comma-grouped")
    )
)
_LEADS = frozenset("0123456789 \t+-$€£¥(<>\u2212\u2013\u2264\u2265tTfFvV")  # how those shapes begin
# Other texts a column of numbers or dates may hold and still be counted: the author's header under a title,
# a note below the table (the rule then keeps the column only if each is in such a row).
OTHERS_KEPT = 3
_NUMBER_TAIL, _STRING_TAIL = NUMBER_CELL_TAIL, STRING_CELL_TAIL


def shape_of(text: str) -> str | None:
    """The shape of a text (TEXT_SHAPES' name), None for any other text."""
    for name, pattern in SHAPES:
        if pattern.match(text):
            return name
    return None


class TextCells:
    """The text cells of one sheet's text columns, fed whole rows (the header's apart) in order."""

    def __init__(self, columns: list[int], header_row: int) -> None:
        self.header_row = header_row
        self.live = {c: TextColumn(column=c) for c in columns}
        self._shapes: dict[int, str | None] = {}  # shared string index -> shape_of
        self._compile()

    @classmethod
    def for_sheet(cls, trace: IngestTrace, strings: list[str]) -> TextCells | None:
        """None when no shared string has the shape of a number or a date written another way
        (the usual case: nothing to read) or the scan found no column left as text."""
        if trace.header_row is None or not any(_WORTH.match(s) for s in strings if s[:1] in _LEADS):
            return None
        numeric = trace.numeric[:MAX_DATAVERSE_COLUMNS]
        columns = [i + 1 for i, kept in enumerate(numeric) if not kept]
        return cls(columns, trace.header_row) if columns else None

    def _compile(self) -> None:
        letters = b"|".join(column_letters(c).encode("ascii") for c in sorted(self.live))
        ref = rb'<c r="(' + letters + rb')([0-9]{1,7})"'
        self._numbers = re.compile(ref + NUMBER_CELL_VALUE_TAIL)
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
        for letters, row, number in self._numbers.findall(data):
            column = column_index(letters.decode("ascii"))
            counted = self.live[column]
            counted.numbers += 1
            if counted.fraction is None and _fraction(number):
                cell = f"{letters.decode('ascii')}{int(row)}"
                counted.fraction = CellSample(cell, int(row), column, number.decode("ascii"))
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
            if text and ctype in (b"n", b"b"):
                self.live[column].numbers += 1
            elif text:
                cells.append((int(row), column, text, -1))
        for row, column, text, index in sorted(cells):
            col = self.live.get(column)
            if col is None or column in dropped or row <= self.header_row or not text:
                continue  # an empty text is an empty value
            if index < 0:
                shape = _shape(text)
            elif index in self._shapes:
                shape = self._shapes[index]
            else:
                shape = self._shapes[index] = _shape(text)
            if shape == _NUMBER:  # 1.000, 12: a number for Dataverse's first pass, text in the cell
                col.numbers += 1
                continue
            if shape == _MISSING:  # NA, `.`: missing values for Dataverse's XLSX reader, as empty
                continue
            sample = CellSample(f"{column_letters(column)}{row}", row, column, text[:80])
            if shape is None:  # a word: the author's header under a title, a note, or a column of words
                col.others.add(sample)
                if col.others.count > OTHERS_KEPT:
                    dropped.add(column)
            else:
                col.kinds.setdefault(shape, Occurrences(limit=SAMPLES)).add(sample)
        if dropped:
            for column in dropped:
                self.live.pop(column, None)
            if self.live:
                self._compile()
        return bool(self.live)

    def result(self) -> list[TextColumn]:
        return [c for _, c in sorted(self.live.items()) if any(k != MISSING for k in c.kinds)]


_NUMBER = "number"
_MISSING = "missing"
SAMPLES = 5  # cells kept per shape of a column


def _fraction(number: bytes) -> bool:
    """Whether a number cell's value has a fractional part (written 2.5 in a CSV)."""
    try:
        x = float(number)
    except ValueError:
        return False
    return x != x // 1


def _shape(text: str) -> str | None:
    """shape_of, _MISSING for NA and `.` (Dataverse's XLSX reader stores them missing), or _NUMBER
    for another text its first pass reads as a number."""
    if text in ("NA", "."):
        return _MISSING
    if dataverse_numeric(text.encode("utf-8")):
        return _NUMBER
    return shape_of(text)
