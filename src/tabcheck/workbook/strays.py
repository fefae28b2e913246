"""What the sheet scan cannot count per column, in the sheet Dataverse reads: the columns of
numbers that a few text cells make text, and the text cells it reads as numbers without their
leading zeros (01400 stored 1400.0).

The scan (tabcheck.workbook.sheet) keeps no per-column counts: its fast paths read runs of rows
from byte counts. It notes instead the columns a data row turned to text. Those few columns are
counted here, in a second streaming pass over the part: plain numbers and shared strings by one
regex each (counted, not visited one by one), every other cell of theirs one by one. A column
stops being counted as soon as it holds more distinct texts than the pass keeps (STRAY_VALUES_KEPT),
without looking for their rows, or once its texts outnumber its numbers (STRAY_WORDS_SEEN): a
column of words or names costs its first chunk; only a column of numbers with a few words or a
missing-value code is read to the end, the rows of its texts looked for only while samples are
wanted. The leading zeros are looked for in the same pass,
only when some shared string has that shape. Memory: one chunk of the part plus its unfinished row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from tabcheck.facts.common import Occurrences
from tabcheck.facts.workbook import (
    STRAY_VALUES_KEPT,
    STRAY_WORDS_SEEN,
    CellSample,
    IngestTrace,
    StrayColumn,
)
from tabcheck.workbook.budgets import DEFAULT, Budgets
from tabcheck.workbook.cells import (
    CELL_TYPE,
    MAX_DATAVERSE_COLUMNS,
    NUMBER_CELL_TAIL,
    OTHER_CELL_TAIL,
    STRING_CELL_TAIL,
    cell_refs,
    column_index,
    column_letters,
    dataverse_numeric,
    xml_text,
)
from tabcheck.workbook.package import Package
from tabcheck.workbook.sheet import _V  # a cell's <v>, as the scan reads it
from tabcheck.workbook.textcells import TextCells

_TYPE = CELL_TYPE
_ROW_END = b"</row>"
_FIRST_ROW = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
# Plain numbers and shared strings by one regex each; any other cell of the columns one by one.
_NUMBER_TAIL = NUMBER_CELL_TAIL
_STRING_TAIL = STRING_CELL_TAIL


class _Patterns:
    """The regexes for a set of columns (1-based): their plain numbers, their shared strings (by
    index; the rows of one index), and their other cells (groups letters, row, attributes, inner)."""

    def __init__(self, columns: list[int]) -> None:
        self.letters = b"|".join(column_letters(c).encode("ascii") for c in columns)
        ref = cell_refs(self.letters)
        self.numbers = re.compile(ref + _NUMBER_TAIL)
        self.strings = re.compile(ref + _STRING_TAIL)
        # groups letters, row, attributes, inner: r first (as every writer puts it), then elsewhere
        self.others = re.compile(cell_refs(self.letters, row=True) + OTHER_CELL_TAIL, re.S)
        self.others_late = re.compile(
            rb'<c(\s(?!r=")[^>]*?\sr="(' + self.letters + rb')([0-9]{1,7})"[^>]*?)\s*(?:/>|>(.*?)</c>)', re.S
        )

    def other_cells(self, data: bytes) -> list[tuple[bytes, bytes, bytes, bytes]]:
        """(letters, row, attributes, inner) of the cells neither a plain number nor a shared string."""
        cells = self.others.findall(data)
        if b"<c " in data and self.others_late.search(data):
            late = [
                (letters, row, attrs, inner) for attrs, letters, row, inner in self.others_late.findall(data)
            ]
            cells = sorted(cells + late, key=lambda c: int(c[1]))
        return cells

    def rows_of(self, letters: bytes, indexes: list[bytes], data: bytes) -> list[tuple[int, bytes]]:
        """(row, index) of a column's cells holding one of a few shared strings, in one search."""
        tail = _STRING_TAIL.replace(b"([0-9]{1,10})", b"(" + b"|".join(indexes) + b")")
        pattern = re.compile(rb'<c r="' + letters + rb'([0-9]{1,7})"' + tail)
        return [(int(r), i) for r, i in pattern.findall(data)]


def count_columns(
    pkg: Package, part: str, trace: IngestTrace, strings: list[str], budgets: Budgets = DEFAULT
) -> None:
    """One pass over the part for three facts: `trace.strays`, the turned columns that hold numbers
    and at most STRAY_VALUES_KEPT distinct texts (error cells apart: their own rule says them), with their
    counts and text cells; `trace.leading_zeros`, the text cells of the columns Dataverse keeps
    numeric that it reads as numbers without their leading zeros (01400 stored 1400.0);
    `trace.text_columns`, the columns of numbers or dates typed as text (textcells.py)."""
    if trace.failure is not None or trace.header_row is None:
        return
    header_row = trace.header_row
    live = {i + 1: StrayColumn(column=i + 1, numbers=0) for i in trace.turned}
    counted = set(live)
    patterns = _Patterns(sorted(counted)) if live else None
    numeric = [i + 1 for i, kept in enumerate(trace.numeric[:MAX_DATAVERSE_COLUMNS]) if kept]
    zeros = _zero_strings(strings) if numeric else set()
    numeric = numeric if zeros else []
    zero_cells = _string_cells(numeric) if numeric else None
    numeric_set = set(numeric)
    found: dict[int, Occurrences[CellSample]] = {}
    texts = TextCells.for_sheet(trace, strings)
    for data in _rows_after_header(pkg, part, budgets):
        if texts is not None and not texts.feed(data, strings):
            trace.text_columns, texts = texts.result(), None
        if patterns is not None:
            _count(patterns, data, live, header_row, strings)
            if not live:
                patterns = None
            elif len(live) < len(counted):  # columns dropped: narrower regexes
                counted = set(live)
                patterns = _Patterns(sorted(counted))
        if zero_cells is not None:
            _leading_zeros(zero_cells, numeric_set, data, zeros, strings, found)
        if patterns is None and zero_cells is None and texts is None:
            break
    if texts is not None:
        trace.text_columns = texts.result()
    trace.strays = [c for c in live.values() if c.texts.count and c.numbers]
    trace.leading_zeros = found


def _rows_after_header(pkg: Package, part: str, budgets: Budgets) -> Iterator[bytes]:
    """The part's rows after the first (Dataverse's header), in blocks of whole rows. More bytes
    without a row's end than a row may take (the scan refuses longer rows): the rows are over, and
    what is left (merged ranges, a tail) is not held."""
    carry = b""
    header = True  # the first row element is still to be passed over
    for chunk in pkg.stream(part, counted=False):
        data = carry + chunk
        cut = data.rfind(_ROW_END)
        if cut < 0:
            if len(data) > budgets.max_row_bytes:
                return
            carry = data
            continue
        cut += len(_ROW_END)
        carry = data[cut:]
        start = 0
        if header:
            first = _FIRST_ROW.search(data, 0, cut)
            if first is None:
                carry = data
                continue
            start, header = first.end(), False
        yield data[start:cut]
    if carry:
        if header:
            first = _FIRST_ROW.search(carry)
            carry = carry[first.end() :] if first is not None else b""
        yield carry


_ZERO_SHAPE = re.compile(r"\s*[+-]?0[0-9]")


def _zero_strings(strings: list[str]) -> set[int]:
    """The shared strings Dataverse reads as a number whose leading zero it drops."""
    return {
        i
        for i, text in enumerate(strings)
        if _ZERO_SHAPE.match(text) and dataverse_numeric(text.encode("utf-8"))
    }


def _string_cells(columns: list[int]) -> re.Pattern[bytes]:
    """Shared-string cells of these columns: groups letters, row, index."""
    letters = b"|".join(column_letters(c).encode("ascii") for c in columns)
    return re.compile(cell_refs(letters, row=True) + _STRING_TAIL)


_REF_LATE = re.compile(rb'<c\s(?!r=")')
_STRING_LATE = re.compile(rb'<c(\s(?!r=")[^>]*?\st="s"[^>]*)>\s*<v>([0-9]{1,10})</v>')
_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')


def _leading_zeros(
    pattern: re.Pattern[bytes],
    columns: set[int],
    data: bytes,
    zeros: set[int],
    strings: list[str],
    found: dict[int, Occurrences[CellSample]],
) -> None:
    """The shared-string cells of `columns` (1-based) whose string is one of `zeros`."""
    hits = [
        (int(row), column_index(letters.decode("ascii")), int(index))
        for letters, row, index in pattern.findall(data)
    ]
    if _REF_LATE.search(data):  # cells whose reference comes after another attribute
        for attrs, index in _STRING_LATE.findall(data):
            ref = _REF.search(attrs)
            if ref is not None and (column := column_index(ref.group(1).decode("ascii"))) in columns:
                hits.append((int(ref.group(2)), column, int(index)))
        hits.sort()
    for row, column, i in hits:
        if i in zeros:
            cells = found.setdefault(column, Occurrences(limit=5))
            cells.add(CellSample(f"{column_letters(column)}{row}", row, column, strings[i][:80]))


def _count(
    patterns: _Patterns, data: bytes, live: dict[int, StrayColumn], header_row: int, strings: list[str]
) -> bool:
    """Count the cells of `data` (whole rows, the header's apart); False once no column is left."""
    texts: list[tuple[int, int, str]] = []  # (row, column, value) of the chunk, in no order yet
    for letters, n in Counter(patterns.numbers.findall(data)).items():
        live[column_index(letters.decode("ascii"))].numbers += n
    # Shared strings: counted by index; the rows of the text ones are looked for only in a column
    # still few enough texts to keep (a column of names has thousands: dropped without a search).
    worded: dict[int, tuple[bytes, dict[bytes, int]]] = {}  # column: (letters, {index: cells})
    for (letters, index), n in Counter(patterns.strings.findall(data)).items():
        column = column_index(letters.decode("ascii"))
        try:
            value = strings[int(index)]
        except (ValueError, IndexError):
            continue
        if value and dataverse_numeric(value.encode("utf-8")):
            live[column].numbers += n
        elif value:
            worded.setdefault(column, (letters, {}))[1][index] = n
    for letters, digits, attrs, inner in patterns.other_cells(data):
        vm = _V.search(inner) if inner else None
        if vm is None:  # no <v>: Dataverse's handler reads nothing (inline strings too)
            continue
        kind = _TYPE.search(attrs)
        ctype = kind.group(1) if kind else b"n"
        raw = vm.group(1) or b""
        if ctype == b"e":
            continue
        if ctype == b"s":
            try:
                value = strings[int(raw)]
            except (ValueError, IndexError):
                continue
        else:
            value = xml_text(raw) if raw else ""
        if not value:
            continue
        column = column_index(letters.decode("ascii"))
        if dataverse_numeric(value.encode("utf-8")):
            live[column].numbers += 1
        else:
            texts.append((int(digits), column, value))
    chunk_values: dict[int, set[str]] = {}
    for _, column, value in texts:
        chunk_values.setdefault(column, set()).add(value)
    for column, (_, indexes) in worded.items():
        chunk_values.setdefault(column, set()).update(strings[int(i)] for i in indexes)
    for column, values in chunk_values.items():
        if len(live[column].values.keys() | values) > STRAY_VALUES_KEPT:
            del live[column]  # words of many kinds: no rows to find
    for column, (letters, indexes) in worded.items():
        stray = live.get(column)
        if stray is None:
            continue
        # Rows are looked for only where a sample is still wanted: a text not met before (its first
        # cell), or any while the samples are not all kept; the other cells are counted.
        wanted = len(stray.texts.samples) < stray.texts.limit
        search = [i for i in indexes if wanted or strings[int(i)] not in stray.values]
        if search:
            texts.extend((row, column, strings[int(i)]) for row, i in patterns.rows_of(letters, search, data))
        for index, n in indexes.items():
            if index not in search:
                value = strings[int(index)]
                stray.texts.count += n
                stray.values[value] += n
    for row, column, value in sorted(texts):
        stray = live.get(column)
        if stray is None or row <= header_row:
            continue
        cell = CellSample(f"{column_letters(column)}{row}", row, column, value[:80])
        stray.texts.add(cell)
        stray.values[value] = stray.values.get(value, 0) + 1
        stray.firsts.setdefault(value, cell)
    for column in [
        c for c, s in live.items() if s.texts.count > STRAY_WORDS_SEEN and s.texts.count > s.numbers
    ]:
        del live[column]  # a column of words
    return bool(live)
