"""The vectorised structural pass: records and fields of a stretch of CSV bytes, as Commons CSV splits them.

In the spirit of simdcsv, with numpy over the bytes: the quotes are paired by their parity (an
opening quote, then its closing one; a closing quote followed at once by another quote is the
`""` escape, which parity already reads as close-then-open), line breaks and delimiters outside
quotes end records and values, and prefix sums give each record its field count, its first
physical line and the line breaks inside its quoted values.

Parity is Commons CSV's own reading only while the quoting is regular: every opening quote starts a
value (after a delimiter or a line break) and every closing quote ends one (before a delimiter, a
line break or the end of the data). The pass checks that, and stops at the first record where it
does not hold (a quote inside an unquoted value, text after a closing quote, a quote still open at
the end of the data, a CR that is not the first half of a CRLF outside quotes); the scanner hands
that record to the exact splitter (`scan.records`) and comes back here after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUOTE, LF, CR = 34, 10, 13


@dataclass
class Stretch:
    """The regular records at the start of some bytes; offsets are relative to those bytes."""

    end: int  # bytes of regular records (after the last one's line break)
    starts: np.ndarray  # each record's first byte
    stops: np.ndarray  # each record's end: its LF (its CR, for a CRLF), or `end` for a last line without one
    fields: np.ndarray  # values per record
    lines: np.ndarray  # physical lines before each record's start, within the bytes
    quoted_lf: np.ndarray  # line breaks inside quoted values, per record
    first_break_field: np.ndarray  # 1-based value holding the record's first quoted line break (0: none)
    line_breaks: int  # physical line breaks in the regular records
    # The records stop before one the exact splitter must read (False: the bytes ended inside a
    # quoted value, or after the last record: more bytes may make it regular).
    irregular: bool

    @property
    def records(self) -> int:
        return len(self.starts)


def last_record_end(data: bytes, delimiter: bytes, trim: bool = False) -> tuple[int, int]:
    """Where the last whole record before the first irregularity of `data` (which starts at a
    record's start) ends, just after its line break (0: none ends there); and where that
    irregularity is (len(data): none). Irregular: a quote inside a value or text after a closing
    quote, a CR outside quotes that is not a CRLF's (records can then not be told by quotes alone;
    at the data's very end, the bytes that follow may settle it). The cheap part of
    `regular_stretch`, for cutting a file into chunks of records."""
    b = np.frombuffer(data, dtype=np.uint8)
    n = len(b)
    quotes = _positions(b, QUOTE)
    crs = _positions(b, CR)
    if len(crs):  # a CR outside quotes that is not a CRLF's (a CR inside a quoted value is data)
        lone = (b[np.minimum(crs + 1, n - 1)] != LF) | (crs + 1 >= n)
        crs = crs[lone & ((np.searchsorted(quotes, crs) & 1) == 0)]
    odd = min(_first_irregular_quote(b, quotes, delimiter[0], trim), int(crs[0]) if len(crs) else n)
    still_open = int(quotes[-1]) if len(quotes) % 2 else n
    cut = min(odd, still_open)
    lfs = _positions(b[:cut] if cut < n else b, LF)
    ends = lfs[(np.searchsorted(quotes, lfs) & 1) == 0]
    return (int(ends[-1]) + 1 if len(ends) else 0), odd


def regular_stretch(data: bytes, delimiter: bytes, at_end: bool, trim: bool = False) -> Stretch:
    """The regular records from the start of `data`, which starts at a record's start.

    `at_end`: the data runs to the end of the file, so a last line without a line break is a record;
    otherwise only records ended by a line break are taken (a chunk always ends with one).
    `trim`: TSV, whose unquoted values are trimmed but not its quoted ones: a quoted value with
    blanks at an edge is left to the splitter (polars' values are trimmed whole).
    """
    b = np.frombuffer(data, dtype=np.uint8)
    n = len(b)
    quotes = _positions(b, QUOTE)
    odd = _first_irregular_quote(b, quotes, delimiter[0], trim)
    bad_cr = _first_bad_cr(b, quotes)
    still_open = int(quotes[-1]) if len(quotes) % 2 else n
    cut = min(odd, bad_cr, still_open)
    lfs = _positions(b[:cut] if cut < n else b, LF)
    inside = (np.searchsorted(quotes, lfs) & 1).astype(bool)
    ends = lfs[~inside]  # record-ending line breaks before the first irregularity
    if cut < n or not at_end or (n and b[-1] == LF):
        end = int(ends[-1]) + 1 if len(ends) else 0
    else:
        end = n  # the file's last line, without a line break: a record too
        if ends.size == 0 or ends[-1] != n - 1:
            ends = np.append(ends, n)
    if end < n:
        ends = ends[ends < end]
        lfs = lfs[lfs < end]
        inside = inside[: len(lfs)]
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64) if len(ends) else np.zeros(0, np.int64)
    stops = ends.copy()
    if len(stops):
        real = stops < n
        crlf = np.zeros(len(stops), dtype=bool)
        crlf[real] = (stops[real] > starts[real]) & (b[np.maximum(stops[real] - 1, 0)] == CR)
        stops = stops - crlf
    # Values per record: its delimiters, less those inside its quoted values (counted per pair of
    # quotes: far fewer than delimiters, so no delimiter needs its own parity).
    delims = _positions(b[:end], delimiter[0])
    paired = quotes[: np.searchsorted(quotes, end)]  # the records before `end` close every quote
    opens, closes = paired[0::2], paired[1::2]
    first_delim = np.searchsorted(delims, starts)
    if len(delims) < len(opens):  # quotes everywhere (`""` runs): each delimiter's parity costs less
        hidden_at = delims[(np.searchsorted(paired, delims) & 1) == 1]
        hidden = np.searchsorted(hidden_at, ends) - np.searchsorted(hidden_at, starts)
        per_pair = None
    else:
        per_pair = np.searchsorted(delims, closes) - np.searchsorted(delims, opens)
        pair_record = np.searchsorted(starts, opens, side="right") - 1
        hidden = np.bincount(pair_record, weights=per_pair, minlength=len(starts)).astype(np.int64)
    fields = np.searchsorted(delims, ends) - first_delim - hidden + 1
    quoted = lfs[inside]
    first_quoted = np.searchsorted(quoted, starts)
    quoted_lf = np.searchsorted(quoted, ends) - first_quoted
    first_break_field = np.zeros(len(starts), dtype=np.int64)
    has = quoted_lf > 0
    if has.any():
        # The value holding the record's first quoted line break: the delimiters before it, less
        # those inside the record's earlier pairs and inside its own pair before the break.
        breaks = quoted[first_quoted[has]]
        pair = np.searchsorted(opens, breaks, side="right") - 1
        if per_pair is None:
            per_pair = np.searchsorted(delims, closes) - np.searchsorted(delims, opens)
        before_pairs = np.concatenate(([0], np.cumsum(per_pair)))
        first_pair = np.searchsorted(opens, starts[has])
        delims_before = np.searchsorted(delims, breaks)
        hidden_before = (before_pairs[pair] - before_pairs[first_pair]) + (
            delims_before - np.searchsorted(delims, opens[pair])
        )
        first_break_field[has] = delims_before - first_delim[has] - hidden_before + 1
    return Stretch(
        end=end,
        starts=starts,
        stops=stops,
        fields=fields,
        lines=np.searchsorted(lfs, starts),
        quoted_lf=quoted_lf,
        first_break_field=first_break_field,
        line_breaks=len(lfs),
        irregular=min(odd, bad_cr) == cut < n,
    )


_BLOCK = 1 << 22


def quoted_positions(b: np.ndarray, quotes: np.ndarray, byte: int) -> np.ndarray:
    """Where `byte` stands between an odd and an even quote (inside a quoted value), by quote
    parity: `b` the chunk's bytes and `quotes` its quotes' positions, as numpy arrays.

    Only the bytes between each odd quote and the next are looked at (a last odd quote: to the
    end), unless they are a large part of the chunk: placing every delimiter of a chunk among its
    quotes costs five times more when few values are quoted."""
    starts, ends = quotes[0::2] + 1, quotes[1::2]
    if len(ends) < len(starts):
        ends = np.append(ends, len(b))
    lengths = ends - starts
    total = int(lengths.sum())
    if total > len(b) // 4:
        at = np.flatnonzero(b == byte)
        return at[(np.searchsorted(quotes, at) & 1) == 1]
    # The positions inside the spans, in order: each span's start repeated over its length, plus
    # the running index less the span's offset in the concatenation.
    inside = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return inside[b[inside] == byte]


def _positions(b: np.ndarray, value: int) -> np.ndarray:
    """Where a byte stands, as 32-bit offsets found 4 MB at a time: a chunk made of quotes only
    costs 4 bytes a quote, not 8 (and no 8-byte copy of the whole)."""
    if len(b) <= _BLOCK:
        return np.flatnonzero(b == value).astype(np.int32)
    return np.concatenate(
        [np.flatnonzero(b[i : i + _BLOCK] == value).astype(np.int32) + i for i in range(0, len(b), _BLOCK)]
    )


def _first_irregular_quote(b: np.ndarray, quotes: np.ndarray, delimiter: int, trim: bool) -> int:
    """The position of the first quote Commons CSV would not read as parity does (len(b): none)."""
    n = len(b)
    if not len(quotes):
        return n
    opens, closes = quotes[0::2], quotes[1::2]
    bad = []
    # An opening quote that follows its previous closing quote at once is the `""` escape.
    escaped = np.zeros(len(opens), dtype=bool)
    if len(opens) > 1:
        escaped[1:] = opens[1:] == closes[: len(opens) - 1] + 1
    starts_value = opens[~escaped]
    before = b[np.maximum(starts_value - 1, 0)]
    wrong = (starts_value > 0) & (before != delimiter) & (before != LF)
    if wrong.any():
        bad.append(int(starts_value[np.argmax(wrong)]))
    # A closing quote not followed by an escape must end its value.
    ending = np.ones(len(closes), dtype=bool)
    if len(opens) > 1:
        ending[: len(opens) - 1] = ~escaped[1:]
    ends_value = closes[ending]
    after_pos = ends_value + 1
    after = b[np.minimum(after_pos, n - 1)]
    wrong = (after_pos < n) & (after != delimiter) & (after != LF) & (after != CR)
    if wrong.any():
        bad.append(int(ends_value[np.argmax(wrong)]))
    if trim:
        inner = np.concatenate((b[np.minimum(starts_value + 1, n - 1)], b[np.maximum(ends_value - 1, 0)]))
        blank = (inner == 32) | (inner == 9)
        if blank.any():
            bad.append(int(np.concatenate((starts_value, ends_value))[blank].min()))
    return min(bad) if bad else n


def _first_bad_cr(b: np.ndarray, quotes: np.ndarray) -> int:
    """The first CR that is not a CRLF's outside quotes (a lone CR ends a record; a quoted one is data)."""
    crs = _positions(b, CR)
    if not len(crs):
        return len(b)
    nxt = b[np.minimum(crs + 1, len(b) - 1)]
    wrong = (crs + 1 >= len(b)) | (nxt != LF) | ((np.searchsorted(quotes, crs) & 1) == 1)
    return int(crs[np.argmax(wrong)]) if wrong.any() else len(b)


# Bytes that are never part of a value made only of blanks: ASCII but neither whitespace (as Python's
# str.strip sees it) nor a quote; a non-ASCII byte may belong to a blank such as U+00A0.
_SOLID = np.ones(256, dtype=bool)
_SOLID[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32, QUOTE]] = False
_SOLID[128:] = False


def maybe_whitespace(data: bytes, s: Stretch) -> np.ndarray:
    """Records of one value that may hold only blanks (the scanner's whitespace lines): the exact
    splitter settles these few; every other record has a byte no blank value holds."""
    one = (s.fields == 1) & (s.stops > s.starts)
    if not one.any():
        return one
    b = np.frombuffer(data, dtype=np.uint8)
    solid = np.concatenate(([0], np.cumsum(_SOLID[b], dtype=np.int64)))
    return one & (solid[s.stops] - solid[s.starts] == 0)
