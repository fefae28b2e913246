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
the shape of a number or a date written another way (_WORTH). Memory: the columns' counts and
a few samples of each shape, and the shapes of at most SHAPES_KEPT shared strings.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from tabcheck.facts.common import Occurrences
from tabcheck.facts.workbook import CellSample, IngestTrace, TextColumn
from tabcheck.patterns import TEXT_SHAPES
from tabcheck.workbook.cells import (
    CELL_TYPE,
    MAX_DATAVERSE_COLUMNS,
    NUMBER_CELL_TAIL,
    OTHER_CELL_TAIL,
    STRING_CELL_TAIL,
    cell_refs,
    column_letters,
    dataverse_numeric,
    xml_text,
)
from tabcheck.workbook.sheet import _V  # a cell's <v>, as the scan reads it

_SHAPE_NAMES = tuple(TEXT_SHAPES)
_ANY_SHAPE = re.compile("|".join(f"(?P<s{i}>{pattern})" for i, pattern in enumerate(TEXT_SHAPES.values())))
MISSING = "missing-code"  # NA, `.`, n/a …: Dataverse reads NA and `.` as missing, the others as text
# The shapes worth the pass (some shared string must have one of them): those of numbers and dates
# written another way (1,234 too: 1.234 or 1234, said as such); not a missing-value code alone
# (`-` is everywhere), nor 12,345,678 (English thousands, said with the others).
_WORTH = re.compile(
    "|".join(
        f"(?:{pattern})"
        for name, pattern in TEXT_SHAPES.items()
        if name not in ("missing-code", "spreadsheet-error", "comma-grouped", "formula-text")
    )
)
_LEADS = frozenset("0123456789 \t+-$€£¥(<>\u2212\u2013\u2264\u2265tTfFvV")  # how those shapes begin
# Other texts a column of numbers or dates may hold and still be counted: the author's header under a title,
# a note below the table (the rule then keeps the column only if each is in such a row).
OTHERS_KEPT = 3


def shape_of(text: str) -> str | None:
    """The shape of a text (TEXT_SHAPES' name), None for any other text: the first shape that
    matches, by one regex whose alternatives are the shapes in order."""
    m = _ANY_SHAPE.match(text)
    return _SHAPE_NAMES[int(m.lastgroup[1:])] if m is not None and m.lastgroup else None


_UNSEEN: Any = object()  # a shared string whose shape is not settled yet
_NONE: Occurrences[CellSample] = Occurrences()
# A number cell whose value has digits after its point, or a negative exponent (group: the number).
_DECIMALS_TAIL = rb'(?: s="[0-9]+")?(?: t="n")?><v>(-?[0-9]*\.[0-9]*[1-9][0-9]*(?:[eE][+-]?[0-9]+)?|-?[0-9]+[eE]-[0-9]+)</v></c>'


class TextCells:
    """The text cells of one sheet's text columns, fed whole rows (the header's apart) in order.

    Per cell, the work is a few dictionary lookups: the regexes give (column, row, string index)
    in document order, a shared string's shape is settled once per index, and a cell is built
    only while its shape still wants samples. Number cells are counted per column by one regex;
    the first with decimals is searched for only in the columns that have none yet."""

    def __init__(self, columns: list[int], header_row: int) -> None:
        self.header_row = header_row
        self.live = {c: TextColumn(column=c) for c in columns}
        self._shapes: dict[int, str | None] = {}  # shared string index -> _shape
        self._full: set[tuple[bytes, str | None]] = set()  # (letters, shape) whose samples are all kept
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
        self._columns = {column_letters(c).encode("ascii"): c for c in self.live}
        letters = b"|".join(sorted(self._columns))
        self._numbers = re.compile(cell_refs(letters) + NUMBER_CELL_TAIL)
        self._strings = re.compile(cell_refs(letters, row=True) + STRING_CELL_TAIL)
        self._others = re.compile(cell_refs(letters, row=True) + OTHER_CELL_TAIL, re.S)
        self._late = re.compile(rb'<c\s(?!r=")[^>]*?\sr="(' + letters + rb')[0-9]{1,7}"', re.S)
        self._compile_fractions()

    def _compile_fractions(self) -> None:
        """The number cells with decimals of the columns that have none yet (None: no such column)."""
        wanted = [letters for letters, c in self._columns.items() if self.live[c].fraction is None]
        self._fractions = (
            re.compile(cell_refs(b"|".join(sorted(wanted)), row=True) + _DECIMALS_TAIL) if wanted else None
        )

    def feed(self, data: bytes, strings: list[str]) -> bool:
        """Count the cells of `data` (whole rows); False once no column is left."""
        dropped: set[int] = set()
        if self._late.search(data):  # a reference after another attribute (no writer seen does it): not read
            self.live.clear()
            return False
        live, columns = self.live, self._columns
        for letters, n in Counter(self._numbers.findall(data)).items():
            live[columns[letters]].numbers += n
        self._find_fractions(data)
        others: list[tuple[int, int, str, int]] = []  # cells neither a number nor a shared string
        for letters, row, attrs, inner in self._others.findall(data):
            v = _V.search(inner) if inner else None
            if v is None:
                continue  # no <v>: Dataverse reads nothing (inline strings too)
            kind = CELL_TYPE.search(attrs)
            ctype = kind.group(1) if kind else b"n"
            raw = v.group(1) or b""
            column = columns[letters]
            if ctype == b"s":
                try:
                    index = int(raw)
                    others.append((int(row), column, strings[index], index))
                except (ValueError, IndexError):
                    pass
            elif ctype == b"e":
                dropped.add(column)  # an error cell: a text of its own (error-cells says it)
            elif ctype in (b"n", b"b"):
                live[column].numbers += bool(raw)
            elif raw:
                others.append((int(row), column, xml_text(raw), -1))
        cells: list[tuple[int, int, str, int]] | list[tuple[bytes, bytes, bytes]]
        if others:  # rare: merged with the shared strings in row order
            cells = sorted(
                others
                + [
                    (int(row), columns[letters], strings[int(index)], int(index))
                    for letters, row, index in self._strings.findall(data)
                    if int(index) < len(strings)
                ]
            )
            for row_, column, text, index in cells:
                self._cell(column, row_, text, index, strings, dropped)
        else:
            shapes, count, full = self._shapes, len(strings), self._full
            tally: Counter[tuple[bytes, str]] = Counter()  # cells of a shape whose samples are kept already
            for letters, row, index_text in self._strings.findall(data):
                index = int(index_text)
                shape = shapes.get(index, _UNSEEN)
                if shape is _UNSEEN:
                    shape = _shape(strings[index]) if index < count else _MISSING
                    if len(shapes) < SHAPES_KEPT:
                        shapes[index] = shape
                if (letters, shape) in full:
                    tally[letters, shape] += 1
                elif shape != _MISSING:
                    column = columns[letters]
                    self._cell(column, int(row), strings[index], index, strings, dropped, shape)
                    col = live.get(column)
                    if col is not None and (
                        shape == _NUMBER or len(col.kinds.get(shape, _NONE).samples) >= SAMPLES
                    ):
                        full.add((letters, shape))
            for (letters, shape), n in tally.items():
                col = live.get(columns[letters])
                if col is None or col.column in dropped:
                    continue
                if shape == _NUMBER:
                    col.numbers += n
                else:
                    col.kinds[shape].count += n
        if dropped:
            for column in dropped:
                self.live.pop(column, None)
            if self.live:
                self._compile()
        return bool(self.live)

    def _cell(
        self,
        column: int,
        row: int,
        text: str,
        index: int,
        strings: list[str],
        dropped: set[int],
        shape: str | None = _UNSEEN,
    ) -> None:
        """One text cell of a column (its shape when known already)."""
        col = self.live.get(column)
        if col is None or column in dropped or row <= self.header_row or not text:
            return  # an empty text is an empty value
        if shape is _UNSEEN:
            if index < 0:
                shape = _shape(text)
            elif index in self._shapes:
                shape = self._shapes[index]
            else:
                shape = _shape(text)
                if len(self._shapes) < SHAPES_KEPT:
                    self._shapes[index] = shape
        if shape == _NUMBER:  # 1.000, 12: a number for Dataverse's first pass, text in the cell
            col.numbers += 1
            return
        if shape == _MISSING:  # NA, `.`: missing values for Dataverse's XLSX reader, as empty
            return
        if shape is None:  # a word: the author's header under a title, a note, or a column of words
            col.others.add(CellSample(f"{column_letters(column)}{row}", row, column, text[:80]))
            if col.others.count > OTHERS_KEPT:
                dropped.add(column)
            return
        occ = col.kinds.get(shape)
        if occ is None:
            occ = col.kinds[shape] = Occurrences(limit=SAMPLES)
        if len(occ.samples) < SAMPLES:
            occ.add(CellSample(f"{column_letters(column)}{row}", row, column, text[:80]))
        else:
            occ.count += 1

    def _find_fractions(self, data: bytes) -> None:
        """The first number cell with decimals of each column without one yet, in this chunk."""
        start = 0
        while self._fractions is not None:
            m = self._fractions.search(data, start)
            if m is None:
                return
            start = m.end()
            letters, row, number = m.groups()
            col = self.live[self._columns[letters]]
            if col.fraction is None and _fraction(number):
                cell = f"{letters.decode('ascii')}{int(row)}"
                col.fraction = CellSample(cell, int(row), col.column, number.decode("ascii"))
                self._compile_fractions()

    def result(self) -> list[TextColumn]:
        return [c for _, c in sorted(self.live.items()) if any(k != MISSING for k in c.kinds)]


# Shared strings whose shape is remembered (about 100 bytes each): past that, a column of a million
# distinct numbers typed as text has each string's shape settled again, in bounded memory.
SHAPES_KEPT = 200_000
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
