"""Cell references, XML text decoding and Java's number syntax: the small vocabulary of a sheet."""

from __future__ import annotations

import html
import re

from tabcheck.dataverse.javatext import DOUBLE_BYTES_RE

MAX_DATAVERSE_COLUMNS = 702  # A..ZZ: Dataverse's reader knows one- and two-letter columns only
EXCEL_MAX_COLUMNS = 16_384  # XFD
EXCEL_MAX_ROWS = 1_048_576
BEYOND_EXCEL = EXCEL_MAX_COLUMNS + 1  # the column of any reference longer than three letters

# The two cells Excel writes most, after their reference `<c r="B12"`, told apart by one regex
# each: a number (a shape Java's Double reads), and a shared string (group: its index).
_STYLE = rb'(?: s="[0-9]+")?'
_NUMBER_TEXT = rb"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
NUMBER_CELL_TAIL = _STYLE + rb'(?: t="n")?><v>' + _NUMBER_TEXT + rb"</v></c>"
STRING_CELL_TAIL = _STYLE + rb' t="s"><v>([0-9]{1,10})</v></c>'
CELL_TYPE = re.compile(rb'\st="([^"]*)"')  # a cell's t attribute
# After a cell's reference, any other cell: neither a plain number nor a shared string (groups:
# its attributes, its inner XML; None for an empty cell).
OTHER_CELL_TAIL = (
    rb"(?!"
    + NUMBER_CELL_TAIL
    + b"|"
    + STRING_CELL_TAIL.replace(b"([0-9]{1,10})", b"[0-9]{1,10}")
    + rb")([^>]*?)\s*(?:/>|>(.*?)</c>)"
)


def cell_refs(letters: bytes, row: bool = False) -> bytes:
    """The opening `<c r="B12"` of a cell in one of the columns `letters` (`A|B|AA`, a group), with
    its row as a second group when `row`: the head of the regexes the tails above complete."""
    return rb'<c r="(' + letters + (rb')([0-9]{1,7})"' if row else rb')[0-9]{1,7}"')


def column_letters(index: int) -> str:
    """1 -> A, 27 -> AA, 703 -> AAA (1-based, as spreadsheet users count)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, AA -> 27; 0 for anything that is not upper-case letters.

    Four letters or more are beyond Excel's last column (XFD): BEYOND_EXCEL, whatever their number
    (a reference of 5,000 letters would be a 7,000-digit column, which nothing can print or size).
    """
    if len(letters) > 3:
        return BEYOND_EXCEL if letters.isascii() and letters.isalpha() and letters.isupper() else 0
    n = 0
    for ch in letters:
        if not "A" <= ch <= "Z":
            return 0
        n = n * 26 + ord(ch) - 64
    return n


def cell_ref(column: int, row: int) -> str:
    return f"{column_letters(column)}{row}"


_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


def parse_ref(ref: str) -> tuple[int, int] | None:
    """ "B7" -> (column 2, row 7); None when it is not a cell reference."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        return None
    digits = m.group(2).lstrip("0") or "0"
    row = int(digits) if len(digits) <= 9 else EXCEL_MAX_ROWS * 1000  # beyond Excel, not printed whole
    return column_index(m.group(1).upper()), row


# Java's Double.valueOf: trimmed, optional sign, NaN/Infinity, decimal or hex, optional d/f suffix.
_JAVA_DOUBLE = DOUBLE_BYTES_RE
# The words Dataverse's first pass accepts in a numeric column, compared without case.
_NUMERIC_WORDS = {b".", b"nan", b"na", b"inf", b"+inf", b"-inf", b"null"}


def java_double(value: bytes) -> bool:
    """Would `new Double(value)` parse it? (bytes of UTF-8 text)."""
    return _JAVA_DOUBLE.fullmatch(value) is not None


def dataverse_numeric(value: bytes) -> bool:
    """Does a non-empty value keep a column numeric in Dataverse's XLSX first pass?"""
    return _JAVA_DOUBLE.fullmatch(value) is not None or value.lower() in _NUMERIC_WORDS


_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xml_text(raw: bytes) -> str:
    """Element text as an XML parser would give it: literal CR/CRLF become LF, then references resolve."""
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    text = raw.decode("utf-8", "replace")
    if "&" in text:
        text = html.unescape(text)
    return text


def decode_escapes(text: str) -> str:
    """Excel's `_x000D_` escapes, which POI decodes in shared strings."""
    if "_x" not in text:
        return text
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
