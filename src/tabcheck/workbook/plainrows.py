"""The regular rows of a sheet, as byte regexes: what the sheet scanner counts without reading cells.

Two vocabularies, one inside the other:

- a *plain* row (`PLAIN_ROW`) holds only the commonest cells: a number, a shared-string index or
  nothing, with an optional style, in a row element with `r` first and `spans` second. Plain rows
  are counted in bulk (`SheetScanner._bulk`), after checks over their bytes that hand a row with
  an event (a text in a numeric column, a date still wanting samples, ...) to the exact path;
- a *narrow* row (`narrow_rows`) is a plain row that the scanner's state at that time lets through
  with (almost) nothing to check: no filled cell right of the table, in a column Dataverse still
  takes as numeric no shared string but those it reads as numbers, dates only in columns whose
  samples are kept, shared-string indexes in range and of no string that stops the bulk paths.
  A run of narrow rows is recognised by one regex match and counted with a few passes over its
  bytes (`SheetScanner._narrow_bulk`).

Both are well-formed XML by construction (ASCII names and values, no entity or character
reference, no attribute twice, balanced elements), so the well-formedness check may skip them
(tabcheck.workbook.wellformed). Both stay within the grid a budget may impose: at most
`MAX_CELLS` cells, one or two column letters, `spans` of at most 7 characters or of bounds under
10,000 (a scanner whose budgets are tighter does not use them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tabcheck.workbook.cells import EXCEL_MAX_COLUMNS, MAX_DATAVERSE_COLUMNS

MAX_CELLS = EXCEL_MAX_COLUMNS  # cells in a plain row
SPANS_BOUND = 9_999  # the largest bound a long `spans` of a plain row may declare

XML_SPACE = rb"[ \t\r\n]"
_VALUE = rb"[ !#-%'-;=?-~]"  # printable ASCII but the quote, & < and >
_NAME = rb"[A-Za-z_:][\w:]*+"
_STYLE = rb"(?:0|[1-9][0-9]*+)"  # canonical: `int` and the exact path read it alike
_NUMBER = rb"-?+[0-9]++(?:\.[0-9]*+)?+(?:[eE][-+]?+[0-9]++)?+"
# A `spans` the exact path does not check (at most 7 characters), or one whose bounds have at most
# 4 digits (within any budget of SPANS_BOUND columns or more).
_SPANS_VALUE = rb"(?:" + _VALUE + rb"{0,7}+|[0-9]{1,4}+:[0-9]{1,4}+)"


def _row_tag(spans: bytes) -> bytes:
    """`<row r="7" spans="1:5" ...>`: `r` first, `spans` (as `spans` says) second, then other
    attributes, each once (a name seen again later in the tag is refused)."""
    return (
        rb'<row r="[0-9]{1,9}+"'
        + spans
        + rb"(?: (?!r=|spans=)(?P<attr>"
        + _NAME
        + rb')="'
        + _VALUE
        + rb'*+"(?![^>]*? (?P=attr)=))*+>'
    )


_SPANS_OPTIONAL = rb'(?: spans="' + _SPANS_VALUE + rb'")?+'
_SPANS_REQUIRED = rb' spans="' + _SPANS_VALUE + rb'"'

EMPTY_CELL = rb'<c r="[A-Z]{1,2}+[0-9]++"(?: s="' + _STYLE + rb'")?+/>'
_SOME_VALUE = rb"(?!(?:" + EMPTY_CELL + rb")*+</row>)"  # at least one cell holds a value

PLAIN_CELL = (
    rb'<c r="[A-Z]{1,2}+[0-9]++"(?: s="' + _STYLE + rb'")?+'
    rb'(?> t="s"><v>[0-9]++</v></c>|(?: t="n")?+><v>' + _NUMBER + rb"</v></c>|/>)"
)
PLAIN_ROW = (
    _row_tag(_SPANS_OPTIONAL)
    + _SOME_VALUE
    + rb"(?:"
    + PLAIN_CELL
    + rb"){0,"
    + str(MAX_CELLS).encode()
    + rb"}+</row>"
)


def _char_class(codes: Iterable[int]) -> bytes:
    """[ACD-F] for the letters with these codes."""
    ordered = sorted(set(codes))
    out = bytearray(b"[")
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out += bytes([ordered[i]]) if j == i else bytes([ordered[i], 45, ordered[j]])  # 45: "-"
        i = j + 1
    return bytes(out + b"]")


def letters_pattern(columns: Iterable[int]) -> bytes:
    """A regex for the letters of these columns (1..702): [A-C]|[AB][D-Z]... (one or two letters)."""
    columns = list(columns)
    singles = [64 + c for c in columns if c <= 26]
    seconds: dict[int, list[int]] = {}
    for c in columns:
        if 26 < c <= MAX_DATAVERSE_COLUMNS:
            first, second = divmod(c - 1, 26)
            seconds.setdefault(64 + first, []).append(65 + second)
    by_seconds: dict[bytes, list[int]] = {}
    for first, codes in seconds.items():
        by_seconds.setdefault(_char_class(codes), []).append(first)
    alts = [_char_class(singles)] if singles else []
    alts += [_char_class(firsts) + cls for cls, firsts in by_seconds.items()]
    return b"(?:" + b"|".join(alts or [b"(?!)"]) + b")"


def below(n: int) -> bytes:
    """A regex for the integers 0 <= i < n written in decimal without leading zeros.

    Not atomic: what follows it decides where it ends (`12` of `123` is not taken for the whole).
    """
    if n <= 0:
        return rb"(?!)"
    top = str(n - 1)
    d = len(top)
    alts = []
    for i in range(d):  # as many digits as n - 1: below it from digit i on, equal before
        low = 1 if i == 0 and d > 1 else 0
        high = int(top[i]) - 1
        if high >= low:
            rest = f"[0-9]{{{d - i - 1}}}" if d - i - 1 else ""
            alts.append(f"{top[:i]}[{low}-{high}]{rest}")
    alts.append(top)
    if d >= 2:  # fewer digits
        alts.append(f"[1-9][0-9]{{0,{d - 2}}}" if d > 2 else "[1-9]")
        alts.append("0")
    return ("(?:" + "|".join(alts) + ")").encode()


def narrow_rows(
    limit: int,
    live: Sequence[int],
    dated: Sequence[int],
    date_styles: Sequence[int],
    spans_required: bool,
    strings: int,
    stopping: Sequence[int],
    numeric: Sequence[int] | None,
) -> re.Pattern[bytes]:
    """Runs of narrow rows (rows back to back, or apart by XML white space), for this state:

    `limit`: no filled cell right of this column; `live`: columns Dataverse still takes as
    numeric, where a shared string must be one of `numeric` (a few indexes; None: any, the caller
    checks them); `dated`: the only columns where a number may have a date style (`date_styles`;
    empty: styles are not looked at); `spans_required`: every row declares `spans`; `strings`:
    shared-string indexes are below it, and none of `stopping` (a few). Indexes are written as in
    the sheet: the index alone, no leading zero.
    """
    style_any = rb'(?: s="' + _STYLE + rb'")?+'
    if date_styles:
        ds = b"(?:" + b"|".join(str(i).encode() for i in sorted(date_styles)) + b")"
        # a date style on a shared string or an empty cell, any other style on a number too
        style_plain = rb'(?: s="(?:' + ds + rb'"(?= t="s">|/>)|(?!' + ds + rb'")' + _STYLE + rb'"))?+'
    else:
        style_plain = style_any
    index = below(strings)
    if stopping:
        index = b"(?!(?:" + b"|".join(str(i).encode() for i in sorted(stopping)) + b")<)" + index
    text = rb' t="s"><v>' + index + rb"</v></c>"
    if numeric is None:
        live_text = text + b"|"
    else:
        allowed = sorted(set(numeric) - set(stopping))
        allowed = [i for i in allowed if 0 <= i < strings]
        live_text = b""
        if allowed:
            live_text = rb' t="s"><v>(?:' + b"|".join(str(i).encode() for i in allowed) + rb")</v></c>|"
    number = rb'(?: t="n")?+><v>' + _NUMBER + rb"</v></c>"

    limit = max(0, min(limit, MAX_DATAVERSE_COLUMNS))
    live_set, dated_set = set(live), set(dated)
    classes: dict[tuple[bool, bool], list[int]] = {}
    for col in range(1, limit + 1):
        key = (col in live_set, col in dated_set or not date_styles)
        classes.setdefault(key, []).append(col)
    alts = []
    for (is_live, is_dated), cols in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        tail = (live_text if is_live else text + b"|") + number + b"|/>"
        alts.append(
            letters_pattern(cols)
            + rb'[0-9]++"'
            + (style_any if is_dated else style_plain)
            + b"(?>"
            + tail
            + b")"
        )
    if limit < MAX_DATAVERSE_COLUMNS:  # right of the table: empty cells only
        alts.append(
            letters_pattern(range(limit + 1, MAX_DATAVERSE_COLUMNS + 1)) + rb'[0-9]++"' + style_any + b"/>"
        )
    cell = rb'<c r="(?:' + b"|".join(alts) + rb")"
    row = (
        _row_tag(_SPANS_REQUIRED if spans_required else _SPANS_OPTIONAL)
        + _SOME_VALUE
        + rb"(?:"
        + cell
        + rb"){0,"
        + str(MAX_CELLS).encode()
        + rb"}+</row>"
    )
    return re.compile(rb"(?:" + XML_SPACE + rb"*+" + row + rb")++")


__all__ = [
    "EMPTY_CELL",
    "MAX_CELLS",
    "PLAIN_CELL",
    "PLAIN_ROW",
    "SPANS_BOUND",
    "below",
    "letters_pattern",
    "narrow_rows",
]
