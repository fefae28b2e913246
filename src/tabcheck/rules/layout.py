"""Recognising a title above the header and notes or a legend below a CSV table.

Spreadsheet exports keep what surrounded the table: "Table 2. Soil samples,,,," above it and
"Source: field survey 2021" below. Both have one filled cell (or a different width) where the
table's rows have many; notes are text, not numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOTE_PREFIX = re.compile(
    r"^\s*(#|\*|\(?\d\)|note|nb|n\.b|source|sources|légende|legende|legend|lecture|"
    r"champ|remarque|avertissement|total|©|copyright)",
    re.I,
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Layout:
    width: int  # the table's usual number of cells per row
    title_rows: list[tuple[int, int, str]]  # (row, line, text)
    header_row: int  # the row that holds the real header
    note_rows: list[tuple[int, int, str]]
    # The header's cells when narrower than the rows below it, whose extra cells are empty (a
    # delimiter at the end of each data line only); None otherwise.
    narrower_header: int | None = None


def _filled(fields: list[str]) -> list[str]:
    return [f for f in fields if f.strip()]


def _text_line(fields: list[str]) -> str:
    return " ".join(_filled(fields))[:80]


def analyse(view) -> Layout | None:
    """The title and notes of a CSV view, or None when the table has none."""
    if view.header is None or not view.records:
        return None
    width = _table_width(view)
    if width < 2:
        return None
    titles: list[tuple[int, int, str]] = []
    header_row = 1
    narrower: int | None = None
    if view.preamble:  # the sniff found the header below title lines: the author's view starts there
        titles = [(row, line, _text_line(fields)) for row, line, fields in view.preamble if _filled(fields)]
        header_row = view.preamble[-1].row + 1
        if titles and not any(_LETTER.search(t[2]) for t in titles):
            titles = []
    else:
        for row, line, fields in view.head:
            filled = _filled(fields)
            # The table's width, or wider by empty cells only (a delimiter at the end of the lines)
            if len(fields) >= width and not _filled(fields[width:]) and len(filled) >= 2:
                header_row = row
                break
            if len(filled) >= 2 and len(fields) < width and _rows_end_empty(view, row, len(fields), width):
                header_row, narrower = row, len(fields)  # rows ending with a delimiter the header has not
                break
            if len(filled) > 1 and not filled[0].lstrip().startswith("#"):
                titles = []  # a full row of another width: a ragged table, not a title
                break
            if filled:
                titles.append((row, line, _text_line(fields)))
        else:
            titles = []
    if titles and header_row == 1:
        titles = []
    if titles and not any(_LETTER.search(t[2]) for t in titles):
        titles = []

    notes: list[tuple[int, int, str]] = []
    tail = list(view.tail)
    for row, line, fields in reversed(tail):
        if row <= header_row:
            break
        filled = _filled(fields)
        if not filled:
            continue  # blank rows between the table and its notes
        if len(filled) == 1 and _is_note(filled[0], len(fields) != width):
            notes.append((row, line, _text_line(fields)))
            continue
        break
    notes.reverse()
    if not titles and not notes:
        return None
    return Layout(width, titles, header_row, notes, narrower if titles else None)


def _rows_end_empty(view, header_row: int, named: int, width: int) -> bool:
    """Do the rows below `header_row` (the first ones) have `width` cells, all empty after the
    `named` first: a delimiter at the end of each data line only (`1;a;2,5;`)?"""
    below = [fields for row, _line, fields in view.head if row > header_row and _filled(fields)]
    return bool(below) and all(len(f) == width and not _filled(f[named:]) for f in below)


def _table_width(view) -> int:
    """The usual number of cells per row; one-cell rows (blank lines, notes) never set it, and a
    tie goes to the header's width, then to the wider one, so the answer never depends on order."""
    counts = {k: n for k, n in view.field_counts.items() if k > 1} or dict(view.field_counts)
    if not counts:
        return len(view.header)
    return max(counts, key=lambda k: (counts[k], k == len(view.header), k))


def _is_note(text: str, odd_width: bool) -> bool:
    if not _LETTER.search(text):
        return False
    return bool(odd_width or _NOTE_PREFIX.match(text) or len(text) > 25)
