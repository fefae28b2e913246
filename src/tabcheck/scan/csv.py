"""The one streaming pass over a CSV or TSV file.

The file is read once, in chunks cut at line breaks. Each chunk is split into records twice at most:
once as Dataverse will (comma for .csv, TAB for .tsv/.tab) and, when the file really uses another
delimiter, once as the user meant it. Plain chunks (quotes only around whole single-line values)
never reach Python per record: bytes methods count delimiters and line breaks, polars reads the
values, and only when the counts disagree does a per-line polars frame say which records are wrong.
Chunks with unusual quoting go through the exact, resumable `RecordSplitter`.

Over 400 lines on purpose: one streaming pass whose chunk pipeline (read ahead, plain path, exact
splitter, typing) shares its state; the record splitter and the typing live in their own modules.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import polars as pl

from tabcheck.facts.common import CellPlace, FieldCount, FileFacts, QuotePlace, RecordSample, RowLine
from tabcheck.facts.table import (
    EDGE_RECORDS,
    MAX_WIDTHS,
    RAGGED_KEPT,
    RAGGED_VALUES,
    CsvFacts,
    Guess,
    ReadingFacts,
    TabLineCuts,
    ViewFacts,
    keep_ragged,
)
from tabcheck.scan import bytecounts
from tabcheck.scan.budgets import BUDGETS
from tabcheck.scan.evidence import Evidence
from tabcheck.scan.records import Record, RecordSplitter, RecordTooWide
from tabcheck.scan.values import ColumnTyper
from tabcheck.sniff import Sniff

if TYPE_CHECKING:
    import numpy as np

    from tabcheck.scan.structure import Stretch
    from tabcheck.scan.transcode import Transcoded

CHUNK_SIZE = BUDGETS.chunk_bytes
READ_AHEAD = 2  # chunks prepared in threads while the current one is typed
SLOW_PIECE = 1024 * 1024  # the exact splitter's bite: settled views stop after one
SETTLING_PIECE = 64 * 1024
_FIRST_WINDOW = 64 * 1024  # the structural pass's first bite after a record it could not vouch for
# Past this many odd records in a chunk, and more than one in _DENSE_RATIO, the splitter reads on.
_DENSE_ODD, _DENSE_RATIO = 32, 16
# Beyond Excel's own limit a header is no table's: its values are not typed (too-many-columns says it).
MAX_TYPED_COLUMNS = 16384  # records kept from the top and bottom of the table, for title/notes analysis
_QUOTED_RE = r'"(?:[^"]|"")*"'


class _StopReading(Exception):
    """A record beyond the reader's budgets: the file is not read past it (CsvFacts.too_wide)."""

    def __init__(self, where: FieldCount) -> None:
        super().__init__(f"line {where.line}: {where.found} values or more")
        self.where = where


class _View:
    """Per-delimiter scanning state."""

    def __init__(
        self,
        delimiter: str,
        tsv: bool,
        evidence: dict[str, Evidence],
        role: str = "dataverse",
        skip: int = 0,
        codec: str | None = None,
    ) -> None:
        self.facts = ViewFacts(delimiter, skip_empty_lines=tsv, trim=tsv)
        # The author's single-byte encoding: this view reads each chunk transcoded to UTF-8.
        self.codec = codec
        self.role = role  # "dataverse" (its reader's view) or "user" (the author's view)
        self.skip = skip  # preamble lines above the header, not records of the author's table
        self.row_base = skip  # rows count as a spreadsheet does: the header is row skip + 1
        self.d = delimiter
        self.db = delimiter.encode()
        self.tsv = tsv
        self.splitter = RecordSplitter(delimiter, skip_empty_lines=tsv, trim=tsv)
        self.typer: ColumnTyper | None = None
        self.codebook: Any = None  # a LiveCodebook the typer feeds (Dataverse's view, --codebook)
        self.evidence = evidence
        self.slow = False  # a record is open across a chunk boundary
        # While the structural pass and the splitter share a chunk, its values wait here, so that the
        # typer sees the chunk in one piece whichever path read each record (its text evidence
        # stops at a column's first unexplained chunk: the pieces must be the same).
        self.held: list[_Regular | list[list[str]]] | None = None
        self.held_first_row = 0
        self.unique_header = True

    # -- records from the exact splitter ----------------------------------------------------
    def feed(self, text: str | None, take: bool = True) -> list[Record]:
        """The splitter's records of this text (None: the end of the file), taken unless `take` is
        False; a record beyond the budget of values stops the reading (_StopReading)."""
        try:
            records = self.splitter.feed(text) if text is not None else self.splitter.finish()
        except RecordTooWide as e:
            if take:
                self.take_records(e.records)
            f = self.facts
            if f.header is None:  # the header itself: its first names stand for it
                self._set_header(e.partial)
                row = 1 + self.row_base
            else:
                row = f.records + 2 + self.row_base
            self.note_quote_problems()
            raise _StopReading(FieldCount(row, e.partial.line, e.fields + 1)) from None
        if take:
            self.take_records(records)
        return records

    def take_records(self, records: list[Record]) -> None:
        f = self.facts
        rows: list[list[str]] = []
        first_row: int | None = None
        for rec in records:
            if f.header is None:
                self._set_header(rec)
                continue
            f.records += 1
            row = f.records + 1 + self.row_base
            if first_row is None:
                first_row = row
            n = len(rec.fields)
            f.max_fields = max(f.max_fields, n)
            blank = rec.blank
            if blank:
                f.blank_lines.add(RowLine(row, rec.line))
            elif n == 1 and not rec.fields[0].strip():
                f.whitespace_lines.add(RowLine(row, rec.line))
            elif n > 1 and not rec.quoted and not any(rec.fields):
                f.empty_rows.add(RowLine(row, rec.line))
            f.field_counts[n] += 1
            if n not in f.first_by_width and len(f.first_by_width) < MAX_WIDTHS:
                f.first_by_width[n] = RowLine(row, rec.line)
            if n != f.expected:
                if f.first_mismatch is None:
                    f.first_mismatch = FieldCount(row, rec.line, n)
                if not blank and not (n == 1 and not rec.fields[0].strip()):
                    f.ragged.add(FieldCount(row, rec.line, n))
                    keep_ragged(f.ragged_records, row, rec.line, rec.fields)
            if rec.unclosed:
                pass  # the line breaks an unclosed quote swallowed are no cell's: unclosed-quote says it
            elif rec.quoted_lf:
                f.quoted_lf.add(CellPlace(row, rec.line, _column_of_break(rec.fields, "\n")), rec.quoted_lf)
            if rec.quoted_cr and not rec.unclosed:
                f.quoted_cr.add(CellPlace(row, rec.line, _column_of_break(rec.fields, "\r")), rec.quoted_cr)
            if rec.quoted_cr:
                _note_cr_cuts(f.cr_cuts, row, rec)
            self._edge(row, rec.line, rec.fields)
            rows.append(rec.fields)
        if rows and self.typer is not None:
            assert first_row is not None, "set with the first of the rows"
            if self.held is None:
                self.typer.update_rows(rows, first_row)
            elif self.held and isinstance(self.held[-1], list):
                self.held[-1].extend(rows)  # the splitter's records, one frame per run of them
            else:
                self.hold(rows, first_row)

    def hold(self, values: _Regular | list[list[str]], first_row: int) -> None:
        """Values (trimmed as the splitter trims them) kept for the typer until the chunk is done."""
        assert self.held is not None, "holding only inside the structural pass"
        if not self.held:
            self.held_first_row = first_row
        self.held.append(values)

    def release(self) -> None:
        """The held values of the chunk, to the typer in one piece."""
        held, self.held = self.held, None
        if held and self.typer is not None:
            typer = self.typer
            regular = iter(self._regular_values([h for h in held if isinstance(h, _Regular)]))
            frames = [typer.rows_frame(h) if isinstance(h, list) else next(regular) for h in held]
            typer.update_frame(pl.concat(frames, how="vertical"), self.held_first_row, trimmed=True)

    def _regular_values(self, stretches: list[_Regular]) -> list[pl.DataFrame]:
        """The values of the structural pass's stretches: one polars read for all of them; a stretch
        polars reads otherwise than the pass split it gets the exact splitter's values."""
        assert self.typer is not None, "values are held for the typer"
        if not stretches:
            return []
        if len(stretches) == 1 and stretches[0].values is not None:
            return [self.typer.cleaned(stretches[0].values)]  # read ahead, in a thread
        width = self.facts.expected
        ragged = any(r.ragged for r in stretches)
        values = _read_values(b"".join(r.work for r in stretches), width, self.d, ragged)
        if values is not None and values.height == sum(r.rows for r in stretches):
            values = self.typer.cleaned(values)
            out, at = [], 0
            for r in stretches:
                out.append(values.slice(at, r.rows))
                at += r.rows
            return out
        return [self._stretch_values(r) for r in stretches]

    def _stretch_values(self, r: _Regular) -> pl.DataFrame:
        assert self.typer is not None, "values are held for the typer"
        values = _read_values(r.work, self.facts.expected, self.d, r.ragged)
        if values is not None and values.height == r.rows:
            return self.typer.cleaned(values)
        sp = RecordSplitter(self.d, skip_empty_lines=self.tsv, trim=self.tsv)
        records = sp.feed(r.work.decode("utf-8", errors="replace")) + sp.finish()
        return self.typer.rows_frame([rec.fields for rec in records])

    def _set_header(self, rec: Record) -> None:
        f = self.facts
        f.header = rec.fields
        f.header_lengths = rec.long_values
        f.header_blanks_after_quote = rec.blanks_after_quote
        self.unique_header = len(set(rec.fields)) == len(rec.fields)
        f.header_end_line = rec.end_line
        f.max_fields = len(rec.fields)
        f.head.append(RecordSample(1 + self.row_base, rec.line, rec.fields))
        f.tail.append(RecordSample(1 + self.row_base, rec.line, rec.fields))
        if len(rec.fields) <= MAX_TYPED_COLUMNS:
            self.typer = ColumnTyper(len(rec.fields), trim=self.tsv, evidence=self.evidence)
            self.typer.codebook = self.codebook

    def _edge(self, row: int, line: int, fields: list[str]) -> None:
        f = self.facts
        if len(f.head) < EDGE_RECORDS:
            f.head.append(RecordSample(row, line, fields))
        f.tail.append(RecordSample(row, line, fields))

    def note_quote_problems(self, line_offset: int = 0) -> None:
        sp = self.splitter
        for kind, target in (
            ("unclosed", self.facts.unclosed_quote),
            ("after-closing-quote", self.facts.bad_quoting),
        ):
            samples = [QuotePlace(p.row, p.line, p.column, p.position) for p in sp.problems if p.kind == kind]
            target.extend(samples, sp.problem_counts[kind])
            sp.problem_counts[kind] = 0
        sp.problems.clear()

    def finish(self, stopped: bool = False) -> None:
        """End of the file (or of the reading, when `stopped`: the wide record is not a record)."""
        try:
            if not stopped:
                self.feed(None)
                self.note_quote_problems()
        finally:
            if self.typer is not None:
                self.facts.columns = self.typer.result(self.facts.header or [])


def _note_cr_cuts(cuts: TabLineCuts, row: int, rec: Record) -> None:
    """Where the record's CRs cut its line of the .tab file (see TabLineCuts). A value kept cut short
    may hide some: they are put in the first value cut short."""
    fields = rec.fields
    columns = [c for c, value in enumerate(fields) if "\r" in value for _ in range(value.count("\r"))]
    missing = rec.quoted_cr - len(columns)
    if missing > 0:
        columns = sorted(columns + [min(rec.long_values, default=len(fields) - 1)] * missing)
    if not columns:
        return
    line = row - 1 + cuts.count  # the record's first line, had every CR before it cut
    merges = cuts.ends_with_cr
    if cuts.first is None:
        cuts.first = CellPlace(row, rec.line, columns[0] + 1)
    pieces = [columns[0] + 1] + [b - a + 1 for a, b in itertools.pairwise(columns)]
    for p, n in enumerate(pieces):
        cuts.first_piece.setdefault(n, (line + p, merges))
    ends = fields[-1].endswith("\r")
    if not ends:
        cuts.first_piece.setdefault(len(fields) - columns[-1], (line + len(pieces), merges))
    elif cuts.first_end_piece is None:
        cuts.first_end_piece = (line + len(pieces), merges)
    for c in columns:
        cuts.by_column[c] = cuts.by_column.get(c, 0) + 1
    cuts.count += len(columns)
    cuts.records += 1
    cuts.ends_with_cr += ends


def _column_of_break(fields: list[str], ch: str) -> int:
    for i, v in enumerate(fields):
        if ch in v:
            return i + 1
    return 1


def _plain_quotes(chunk: bytes, d: bytes) -> tuple[bool, int]:
    """Whether every quote in the chunk opens or closes a whole single-line value.

    Returns (plain, delimiters inside quotes). Doubled quotes split into an empty outside part.
    Quotes denser than one byte in 16 are left to the structural pass: splitting at each of them
    would cost a bytes object per quote (a line of quotes only: GBs).
    """
    if chunk.count(b'"') * 16 > len(chunk):
        return False, 0
    parts = chunk.split(b'"')
    if len(parts) % 2 == 0:
        return False, 0
    seps = (d, b"\n", b"\r")
    if parts[0] and parts[0][-1:] not in seps:
        return False, 0
    inside = b"".join(parts[1::2])
    if b"\n" in inside or b"\r" in inside:
        return False, 0
    last = len(parts) - 1
    for i in range(2, len(parts), 2):
        out = parts[i]
        if not out:
            if i == last:
                continue
            continue  # an escaped quote: "" inside a value
        if out[:1] not in seps:
            return False, 0
        if i != last and out[-1:] not in seps:
            return False, 0
    return True, inside.count(d)


_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_PAIRS_BY_NUMPY = 1 << 20  # bytes from which _breaks counts with numpy
_COUNTS_BY_NUMPY = 1 << 16  # bytes from which a plain view is counted with numpy (_plain_counts)


def _first_opening_quote(data: bytes, db: bytes) -> int:
    """The position of the first quote that opens a value (at the start of the data or of a line,
    or after the delimiter), or -1. The first quotes are found by memchr (a two-byte search is
    slower); past a few, by a two-byte search for each way a value opens."""
    q = data.find(b'"')
    for _ in range(64):
        if q <= 0 or data[q - 1 : q] in (db, b"\n", b"\r"):
            return q
        q = data.find(b'"', q + 1)
    if q < 0:
        return q
    # Many quotes inside values (of this view): every quote left, and the byte before each, at once
    # (three two-byte searches of the whole view cost ten times more).
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(a[q:] == _QUOTE) + q  # q > 0: each has a byte before it
    before = a[quotes - 1]
    opens = quotes[(before == db[0]) | (before == _LF) | (before == _CR)]
    return int(opens[0]) if len(opens) else -1


def _absent_byte(chunk: bytes) -> str:
    for b in ("\x1f", "\x1e", "\x1d", "\x1c", "\x01", "\x02"):
        if b.encode() not in chunk:
            return b
    return ""


@dataclass
class _Ahead:
    """The structural pass over a whole chunk, made in a read-ahead thread, with polars' values of
    its regular records (None when polars reads them otherwise)."""

    stretch: Stretch
    work: bytes  # the regular records, line breaks made LF
    values: pl.DataFrame | None
    width: int  # the header's, when the thread read the values (a header may end in a later chunk)


@dataclass
class _Regular:
    """A stretch of records the structural pass split, waiting for polars to read its values."""

    work: bytes  # line breaks made LF
    rows: int
    ragged: bool
    values: pl.DataFrame | None = None  # read ahead


@dataclass
class _Plain:
    """What bytes methods say of a plain chunk for one delimiter (no Python per record)."""

    work: bytes  # line breaks made LF
    lines: int
    delimiters: int  # outside quotes
    values: pl.DataFrame | None = None  # the polars frame of the values, when read ahead
    blank: bool = False  # an empty line (the counts say)
    valid: bool = False  # the work is valid UTF-8: polars reads it without its lossy decoding


@dataclass
class _Prepared:
    """Everything about a chunk that needs no scan state: computed one chunk ahead, in a thread.

    Per view (by its index): its bytes (the chunk, or the chunk transcoded from the author's
    single-byte encoding), their length in characters, and what the fast paths made of them.
    """

    chunk: bytes
    breaks: int
    bad_utf8: tuple[int, int] | None  # (line within the chunk, byte offset) of the first invalid byte
    bad_utf8_count: int
    nul: tuple[int, int] | None  # (line within the chunk, count)
    data: dict[int, bytes]
    chars: dict[int, int]  # decoded length (positions in 6.8 messages count characters)
    plain: dict[int, _Plain | None]  # view -> _Plain, or None when the exact splitter must read it
    # view -> the structural pass over the whole chunk and its values, for chunks that are not plain
    ahead: dict[int, _Ahead] = field(default_factory=dict)


@dataclass(frozen=True)
class _Wanted:
    """A view as the read-ahead threads see it."""

    index: int
    db: bytes
    tsv: bool
    codec: str | None
    plain: bool  # False for a settled view: it reads only quotes, its plain counts would be wasted


def single_byte(codec: str) -> bool:
    """Whether every byte of `codec` is one character and line breaks, quotes and the usual
    delimiters are themselves: a chunk cut at a line break can then be transcoded on its own."""
    try:
        text = bytes(range(256)).decode(codec, errors="replace")
        # Multi-byte encodings (UTF-8, GBK, Shift-JIS…) join a lead byte to the byte after it.
        pairs = bytes(b for lead in range(0x80, 0x100) for b in (lead, 0xA9, lead, 0x40, lead, 0x80))
        joined = len(pairs.decode(codec, errors="replace")) != len(pairs)
    except LookupError:
        return False
    return not joined and len(text) == 256 and all(text[b] == chr(b) for b in b'\t\n\r",;|')


def _transcoded(chunk: bytes, codec: str) -> bytes:
    """As scan.transcode.Transcoded makes it, for a single-byte codec (no state across chunks); a
    large chunk by the compiled loop when numba is loaded already (scan/_jit.py), without the lock."""
    from tabcheck import kernels

    loop = kernels.loaded("scan_transcode") if len(chunk) >= _PAIRS_BY_NUMPY else None
    if loop is not None:
        import numpy as np

        out = kernels.scratch("scan-transcode", 3 * len(chunk) + 16)
        try:
            return out[: loop(np.frombuffer(chunk, dtype=np.uint8), _utf8_table(codec), out)].tobytes()
        except Exception:  # noqa: BLE001 - the loop failing here: Python's codecs, the same bytes
            pass
    return chunk.decode(codec, errors="replace").encode("utf-8", errors="surrogatepass")


@cache
def _utf8_table(codec: str) -> np.ndarray:
    """Each byte's UTF-8 in `codec` (length, bytes): U+FFFD for a byte it does not define."""
    import numpy as np

    table = np.zeros((256, 4), dtype=np.uint8)
    for b in range(256):
        encoded = bytes([b]).decode(codec, errors="replace").encode("utf-8", errors="surrogatepass")
        table[b, 0] = len(encoded)
        table[b, 1 : 1 + len(encoded)] = list(encoded)
    return table


def _utf8_start(chunk: bytes) -> bool:
    """Whether the chunk's first 64 KB are UTF-8 (a character cut at their end aside): a chunk of a
    single-byte text fails here, before its whole validation."""
    try:
        codecs.utf_8_decode(chunk[:_UTF8_START], "strict", False)
    except UnicodeDecodeError:
        return False
    return True


_UTF8_START = 1 << 16


def _prepare(chunk: bytes, views: list[_Wanted], cr_file: bool) -> _Prepared:
    breaks = _breaks(chunk)
    chars, bad, bad_count = len(chunk), None, 0
    counted = None
    if len(chunk) >= _PAIRS_BY_NUMPY and not chunk.isascii() and _utf8_start(chunk):
        from tabcheck.scan.utf8 import valid_characters  # numpy: only for large chunks

        counted = valid_characters(chunk)  # valid UTF-8 counted without the decoder's text
    if counted is not None:
        chars = counted
    elif not chunk.isascii():
        try:
            chars = len(chunk.decode("utf-8"))  # valid UTF-8: the decoder's fast path
        except UnicodeDecodeError as e:
            # The chunk ends on a line break, so a multi-byte character is never cut.
            bad = (_breaks(chunk[: e.start]) + 1, e.start)
            if len(chunk) >= _PAIRS_BY_NUMPY:
                # The decoder's counts from the non-ASCII bytes: a Windows-1252 chunk decoded with
                # replacements calls the error handler at every accented letter, lock held.
                from tabcheck.scan.utf8 import utf8_counts  # numpy: only for large chunks

                chars, bad_count, _ = utf8_counts(chunk)
            else:
                text = chunk.decode("utf-8", errors="replace")
                chars = len(text)
                bad_count = text.count("\ufffd") - chunk.count("\ufffd".encode())
    nul = None
    first_nul = chunk.find(b"\x00")
    if first_nul >= 0:
        nul = (_breaks(chunk[:first_nul]) + 1, chunk.count(b"\x00"))
    p = _Prepared(chunk, breaks, bad, bad_count, nul, {}, {}, {})
    done: dict[tuple[str | None, bytes, bool], _Plain | None] = {}  # views alike share their counts
    for w in views:
        p.data[w.index] = chunk if w.codec is None else _transcoded(chunk, w.codec)
        p.chars[w.index] = chars if w.codec is None else len(chunk)
        key = (w.codec, w.db, w.tsv)
        if w.plain:
            if key not in done:
                plain = done[key] = _plain_view(p.data[w.index], w.db, w.tsv, cr_file)
                if plain is not None:  # a transcoded view is UTF-8 by construction
                    plain.valid = bad is None or w.codec is not None
            p.plain[w.index] = done[key]
    return p


def _structure_ahead(chunk: bytes, db: bytes, d: str, tsv: bool, width: int) -> _Ahead:
    from tabcheck.scan.structure import regular_stretch  # numpy: only for chunks that are not plain

    stretch = regular_stretch(chunk, db, at_end=False, trim=tsv)
    regular = chunk[: stretch.end]
    work = regular.replace(b"\r\n", b"\n") if b"\r" in regular else regular
    values = None
    if stretch.records:
        values = _read_values(work, width, d, ragged=bool((stretch.fields != width).any()))
        if values is not None and values.height != stretch.records:
            values = None
    return _Ahead(stretch, work, values, width)


def _empty_row(work: bytes, db: bytes, width: int) -> bool:
    """Whether some line of `work` (LF line ends) is only the delimiters of `width` empty cells."""
    if width < 2:
        return False
    row = db * (width - 1)
    return (
        b"\n" + row + b"\n" in work
        or work.startswith(row + b"\n")
        or work.endswith(b"\n" + row)
        or work == row
    )


def _plain_view(data: bytes, db: bytes, tsv: bool, cr_file: bool) -> _Plain | None:
    """The counts of a chunk the fast path can read, or None (unusual quoting, lone CR, …)."""
    work: bytes | None = data
    if cr_file:
        if b"\n" in data:
            return None
        work = data.replace(b"\r", b"\n")
    elif b"\r" in data:
        work = _crlf_to_lf(data)
    if work is None:
        return None  # a lone CR ends a record for Commons CSV
    if b'"' in work and tsv:
        return None  # quoted TSV values keep their blanks, polars' are trimmed: the structural pass
    big = len(work) >= _COUNTS_BY_NUMPY and len(db) == 1
    counts = _plain_counts(work, db[0], tsv) if big else _plain_counts_by_bytes(work, db, tsv)
    if counts is None:
        return None
    lines, delimiters, blank = counts
    return _Plain(work, lines, delimiters, blank=blank)


def _crlf_to_lf(data: bytes) -> bytes | None:
    """`data` with each CRLF made LF, or None when a CR stands alone. In large views, the compiled
    loop when numba is loaded already, else numpy: a bytes replace holds the interpreter lock
    twice as long."""
    if len(data) >= _PAIRS_BY_NUMPY:
        from tabcheck import kernels

        loop = kernels.loaded("scan_crlf_to_lf")  # numba loaded already (fix, a codebook): one pass
        if loop is not None:
            import numpy as np

            # A fresh buffer: one kept per thread (kernels.scratch) grew fix's peak by 20 MB.
            out = np.empty(len(data) + 8, dtype=np.uint8)
            end = loop(np.frombuffer(data, dtype=np.uint8), out)
            return None if end < 0 else out[:end].tobytes()
    if bytecounts.lone_cr(data):
        return None
    if len(data) < _PAIRS_BY_NUMPY:
        return data.replace(b"\r\n", b"\n")
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    return a[a != _CR].tobytes()  # every CR is before a LF: dropping them all makes each CRLF a LF


def _plain_counts_by_bytes(work: bytes, db: bytes, tsv: bool) -> tuple[int, int, bool] | None:
    """(lines, delimiters outside quotes, an empty line) of a view with LF line ends, or None when
    its quoting is not plain or (TSV) it has an empty line: bytes methods, for small views."""
    inside = 0
    if b'"' in work:
        plain, inside = _plain_quotes(work, db)
        if not plain:
            return None
    blank = work.startswith(b"\n") or b"\n\n" in work
    if tsv and blank:
        return None  # skipped blank lines shift rows: let the splitter count them
    lines = work.count(b"\n") + (0 if work.endswith(b"\n") else 1)
    return lines, work.count(db) - inside, blank


def _plain_counts(work: bytes, d: int, tsv: bool) -> tuple[int, int, bool] | None:
    """`_plain_counts_by_bytes` with numpy, for large views: from the positions of the line feeds,
    the quotes and (when there are quotes) the delimiters, with the interpreter lock released, where
    bytes methods (a two-byte search, a split at every quote) hold it for most of the scan's time.

    The quotes pair in order (open, close, open, ...); a doubled quote inside a value is a close
    and an open with nothing between. Plain: each open quote at the start of the view or after a
    delimiter or line break, each close quote followed by one (or by the next open quote, or the
    end), no line feed between an open quote and its close.

    With numba loaded already (fix, a codebook), a compiled loop counts in one pass instead."""
    import numpy as np

    from tabcheck import kernels

    a = np.frombuffer(work, dtype=np.uint8)
    loop = kernels.loaded("scan_plain_counts")
    if loop is not None:
        plain, lines, delimiters, blank = loop(a, d)
        return (lines, delimiters, blank) if plain and not (tsv and blank) else None
    # Counts a block at a time, not positions: a view of empty lines would make 8 bytes of each.
    blank = work.startswith(b"\n") or bytecounts.pair_in(a, _LF, _LF) > 0
    if tsv and blank:
        return None
    lines = bytecounts.count_in(a, _LF) + (0 if work.endswith(b"\n") else 1)
    quotes = bytecounts.count_in(a, _QUOTE) if b'"' in work else 0
    if not quotes:
        return lines, bytecounts.count_in(a, d), blank
    if quotes * 16 > len(a) or quotes % 2:
        return None  # dense quotes: the structural pass; an odd count: not plain
    q = np.flatnonzero(a == _QUOTE)
    opens, closes = q[0::2], q[1::2]
    seps = np.zeros(256, dtype=bool)
    seps[[d, _LF, _CR]] = True
    if opens[0] > 0 and not seps[a[opens[0] - 1]]:
        return None
    after, before = closes[:-1] + 1, opens[1:]  # the text between a close quote and the next open
    text = before > after
    if not (seps[a[after[text]]].all() and seps[a[before[text] - 1]].all()):
        return None
    if closes[-1] + 1 < len(a) and not seps[a[closes[-1] + 1]]:
        return None
    lengths = closes - opens - 1
    total = int(lengths.sum())
    if total <= len(a) // 4:  # the quoted bytes, gathered in order (see structure.quoted_positions)
        inner = a[np.arange(total) + np.repeat(opens + 1 - (np.cumsum(lengths) - lengths), lengths)]
        if (inner == _LF).any():
            return None  # a line feed inside quotes
        return lines, bytecounts.count_in(a, d) - int(np.count_nonzero(inner == d)), blank
    from tabcheck.scan.structure import _positions  # 32-bit offsets, found 4 MB at a time

    at = _positions(a, _LF)
    if (np.searchsorted(at, opens) != np.searchsorted(at, closes)).any():
        return None
    delimiters = _positions(a, d)
    inside = int((np.searchsorted(delimiters, closes) - np.searchsorted(delimiters, opens)).sum())
    return lines, len(delimiters) - inside, blank


_WARM_CODEBOOK = 8 << 20  # bytes: a file this large gives the codebook chunks its compiled loops take


class CsvScanner:
    """Runs the pass; `scan()` returns CsvFacts."""

    def __init__(
        self,
        path: Path,
        fmt: str,
        sniff: Sniff,
        evidence: dict[str, Evidence],
        size: int,
        roles: tuple[str, ...] = ("dataverse", "user"),
        transcode: str | None = None,
        author_codec: str | None = None,
        codebook: bool = False,
    ) -> None:
        self.path = path
        self.tsv = fmt in ("tsv", "tab")
        self.sniff = sniff
        self.transcode = transcode  # the author's codec: this pass reads the file as UTF-8 made from it
        dv = "\t" if self.tsv else ","
        user = sniff.delimiter or dv
        # The author's delimiter is not Dataverse's: its view (in this pass or another) is the table.
        self.other_delimiter = user != dv
        self.views: list[_View] = []
        if "dataverse" in roles:
            self.views.append(_View(dv, self.tsv, evidence))
            if codebook:  # Dataverse's values feed the codebook as they are typed (codebook.live)
                from tabcheck.codebook.live import LiveCodebook

                self.views[0].codebook = LiveCodebook(warm=size >= _WARM_CODEBOOK)
        # `author_codec`: a single-byte encoding the author's view reads each chunk transcoded from,
        # in this same pass (its values are the author's characters, « température »).
        if "user" in roles and (user != dv or sniff.preamble or not self.views or author_codec):
            self.views.append(
                _View(user, self.tsv, evidence, role="user", skip=sniff.preamble, codec=author_codec)
            )
        self.cr_file = sniff.line_ending == "CR"
        self.facts = CsvFacts(
            size=size,
            encoding=sniff.encoding or "utf-8",
            bom=sniff.bom,
            line_ending=sniff.line_ending,
            sniffed_delimiter=sniff.delimiter,
        )
        self.lines_done = 0  # physical lines fully read before the current chunk
        self.offset = 0  # bytes before the current chunk
        self.last_byte = b""

    def scan(self) -> CsvFacts:
        """The next chunks are counted and parsed in threads while the current one is typed (polars
        releases the GIL, and bytes methods are quick): two cores stay busy."""

        def ahead(chunk: bytes, views: list[_Wanted]) -> _Prepared:
            prepared = _prepare(chunk, views, self.cr_file)
            for i, v in enumerate(self.views):  # once the header is known, polars reads ahead too
                if i not in prepared.plain:
                    continue  # settled
                plain = prepared.plain[i]
                width = v.facts.expected
                if plain is not None and width and plain.delimiters == (width - 1) * plain.lines:
                    plain.values = _read_values(plain.work, width, v.d, ragged=False, valid=plain.valid)
                elif plain is None and width and not self.cr_file and not self._settling(v):
                    prepared.ahead[i] = _structure_ahead(prepared.data[i], v.db, v.d, v.tsv, width)
            return prepared

        with self._open() as fh, ThreadPoolExecutor(max_workers=READ_AHEAD) as pool:
            chunks = self._chunks(fh)
            inflight: deque[Future[_Prepared]] = deque()

            def submit() -> None:
                chunk = next(chunks, None)
                if chunk is not None:
                    wanted = [
                        _Wanted(i, v.db, v.tsv, v.codec, plain=not self._settled(v))
                        for i, v in enumerate(self.views)
                    ]
                    inflight.append(pool.submit(ahead, chunk, wanted))

            for _ in range(READ_AHEAD):
                submit()
            first = True
            try:
                while inflight:
                    prepared = inflight.popleft().result()
                    submit()
                    self._chunk(prepared, first)
                    first = False
            except _StopReading as stop:
                self.facts.too_wide = stop.where
                for future in inflight:
                    future.cancel()
        f = self.facts
        for v in self.views:
            try:
                v.finish(stopped=f.too_wide is not None)
            except _StopReading as stop:
                f.too_wide = stop.where
        if f.bad_utf8 is not None and f.encoding == "utf-8":
            f.encoding = self._guess_encoding_at(f.bad_utf8[1])
        if self.transcode is None and f.too_wide is None:
            f.bytes_read = self.offset
        f.ends_with_line_break = self.last_byte in (b"\n", b"\r") or f.size == 0
        f.physical_lines = self.lines_done + (0 if f.ends_with_line_break else 1)
        roles = {v.role: v.facts for v in self.views}
        f.dataverse = roles.get("dataverse")
        f.user = roles.get("user", f.dataverse)
        f.codebook = self.views[0].codebook if self.views else None
        return f

    def _open(self) -> BinaryIO | Transcoded:
        fh = open(self.path, "rb")  # noqa: SIM115 - closed by the with statement of scan()
        if self.transcode is None:
            return fh
        from tabcheck.scan.transcode import Transcoded

        return Transcoded(fh, self.transcode, mixed=self.sniff.mixed)

    def _chunks(self, fh: BinaryIO | Transcoded) -> Iterator[bytes]:
        """The file in chunks cut after a line break (a line longer than 4 chunks is cut anyway)."""
        brk = b"\r" if self.cr_file else b"\n"
        pending = b""
        while True:
            # Half a chunk at a time: two views, or a transcoded pass (its UTF-8 may be longer), keep
            # the memory of one; one view takes as long with half chunks (the clean gigabyte: 5.3 s,
            # 225 MB instead of 330). The codebook keeps whole chunks: its loops want 65,536 values.
            transcoded = self.transcode or any(v.codec for v in self.views)
            whole = len(self.views) == 1 and self.views[0].codebook is not None and not transcoded
            block = fh.read(CHUNK_SIZE if whole else CHUNK_SIZE // 2)
            if not block:
                if pending:
                    yield pending
                return
            cut = _last_break(block, brk, self.cr_file)
            if cut >= 0:  # the usual case: one copy of the block, not a concatenation and a slice
                chunk = b"".join((pending, memoryview(block)[: cut + 1])) if pending else block[: cut + 1]
                pending = block[cut + 1 :]
                yield chunk
                continue
            buf = pending + block if pending else block
            cut = _last_break(buf, brk, self.cr_file)  # a CRLF kept whole: its LF may be the next block's
            if cut < 0 and len(buf) < BUDGETS.line_chunks * CHUNK_SIZE:
                pending = buf
                continue
            if cut < 0:  # a very long line: hand it over in pieces to the exact splitter
                cut = _long_line_cut(buf)
            chunk, pending = buf[: cut + 1], buf[cut + 1 :]
            yield chunk

    def _guess_encoding_at(self, offset: int) -> str:
        """The sample looked like UTF-8 but a later byte is not: guess from the bytes around it."""
        from tabcheck.sniff import SAMPLE_SIZE, guess_encoding

        with open(self.path, "rb") as fh:
            fh.seek(max(0, offset - SAMPLE_SIZE // 2))
            sample = fh.read(SAMPLE_SIZE)
        start = sample.find(b"\n")  # start on a whole line, never inside a character
        guess = guess_encoding(sample[start + 1 :] if 0 <= start < len(sample) // 2 else sample)
        return guess if guess != "utf-8" else "windows-1252"

    # -- per chunk ---------------------------------------------------------------------------
    def _chunk(self, p: _Prepared, first: bool) -> None:
        self._bytes_facts(p)
        # Each view's header ends where its own quotes say: a quote opening a field in one view may
        # run over lines that are records in the other.
        # A header (or the title lines above it) may run over several chunks.
        rests = [
            self._header(v, p.data[i]) if first or v.facts.header is None else (p.data[i], 0)
            for i, v in enumerate(self.views)
        ]
        for i, (v, (data, consumed_lines)) in enumerate(zip(self.views, rests, strict=True)):
            chunk = p.data[i]
            base_line = self.lines_done + consumed_lines
            # The counts made ahead are for the whole chunk: the first chunk (header cut) recounts.
            if data is chunk:
                plain, chars, ahead = p.plain.get(i), p.chars[i], p.ahead.get(i)
            else:
                plain, chars, ahead = _plain_view(data, v.db, v.tsv, self.cr_file), None, None
            # The chunk's line breaks, counted ahead, are this view's when it reads the chunk as it is.
            self._records(v, data, base_line, plain, chars, ahead, p.breaks if data is p.chunk else None)
        self.lines_done += p.breaks
        self.offset += len(p.chunk)
        self.last_byte = p.chunk[-1:]

    def _bytes_facts(self, p: _Prepared) -> None:
        f = self.facts
        f.line_breaks += p.breaks
        if p.bad_utf8 is not None:
            if f.bad_utf8 is None:
                f.bad_utf8 = (self.lines_done + p.bad_utf8[0], self.offset + p.bad_utf8[1])
            f.bad_utf8_count += p.bad_utf8_count
        if p.nul is not None:
            f.nul.add(self.lines_done + p.nul[0], p.nul[1])

    def _header(self, v: _View, chunk: bytes) -> tuple[bytes, int]:
        """Feed lines to the exact splitter until the header record is complete."""
        pos = 0
        n = len(chunk)
        st = v.splitter.state
        while pos < n and len(v.facts.preamble) < v.skip:  # the author's title lines: not the table
            end = _next_break(chunk, pos, self.cr_file)
            text = chunk[pos:end].decode("utf-8", errors="replace")
            if pos == 0 and self.sniff.bom:
                text = text.lstrip("\ufeff")
            line = st.line
            v.facts.preamble.append(
                RecordSample(len(v.facts.preamble) + 1, line, [text.rstrip("\r\n")[:200]])
            )
            st.line += 1
            st.record_line = st.line
            st.records += 1
            st.char_offset += len(text)
            pos = end
        while pos < n and v.facts.header is None:
            end = _next_break(chunk, pos, self.cr_file)
            piece = chunk[pos:end]
            text = piece.decode("utf-8", errors="replace")
            if pos == 0 and self.sniff.bom and v.role == "user" and not v.skip:
                text = text.lstrip("\ufeff")  # the user's view: the BOM is not part of the name
            v.feed(text)
            pos = end
        v.note_quote_problems()
        if v.facts.header is None or v.splitter.state.in_quotes or not v.splitter.state.at_record_start:
            v.slow = v.facts.header is None or not v.splitter.state.at_record_start
        return chunk[pos:], _breaks(chunk[:pos])

    def _records(
        self,
        v: _View,
        data: bytes,
        base_line: int,
        plain: _Plain | None,
        chars: int | None,
        ahead: _Ahead | None = None,
        breaks: int | None = None,
    ) -> None:
        if not data:
            return
        if self._settled(v):
            self._quotes_only(v, data, base_line, chars, breaks)
        elif v.facts.header is not None and not v.slow and plain is not None:
            if not self._fast(v, data, base_line, plain, chars):
                self._structured(v, data, base_line, ahead)
        elif self.cr_file or self._settling(v):
            self._slow(v, data, base_line)
        else:
            self._structured(v, data, base_line, ahead)

    def _settling(self, v: _View) -> bool:
        """Dataverse's view of a file with another delimiter: it settles at its first mismatching
        record (usually the first), so the splitter's small bites cost less than a structural pass."""
        return v.role == "dataverse" and self.other_delimiter

    def _settled(self, v: _View) -> bool:
        """Dataverse's view of a file with another delimiter, once a record is known to mismatch.

        The prediction is then a failure; only a quote error, which a strict reader throws
        first, can still change its message. Values and field counts no longer matter.
        """
        return (
            v.role == "dataverse"
            and self.other_delimiter
            and v.facts.first_mismatch is not None
            and v.unique_header  # duplicate names collapse: the expected width is not the header's
        )

    def _quotes_only(
        self, v: _View, data: bytes, base_line: int, chars: int | None = None, breaks: int | None = None
    ) -> None:
        """Run the splitter only from the first value that starts with a quote in this view
        (`chars`, `breaks`: the length of `data` in characters and its line breaks, when known)."""
        if v.slow:
            self._slow(v, data, base_line)
            return
        first = _first_opening_quote(data, v.db)
        whole = first < 0  # no value opens with a quote: every record of the data is skipped
        line_start = len(data) if whole else max(data.rfind(b"\n", 0, first), data.rfind(b"\r", 0, first)) + 1
        skipped = data if whole else data[:line_start]  # 6.8's positions count the characters skipped
        st = v.splitter.state
        if chars is not None and whole:
            st.char_offset += chars
        else:
            st.char_offset += (
                len(skipped) if skipped.isascii() else len(skipped.decode("utf-8", errors="replace"))
            )
        # Rows in the messages count the records skipped too: a line each, but blank ones in TSV.
        skipped_breaks = breaks if whole and breaks is not None else _breaks(skipped)
        st.records += skipped_breaks - (_blank_lines(skipped) if v.tsv else 0)
        if not whole:
            self._slow(v, data[line_start:], base_line + skipped_breaks)

    def _slow(self, v: _View, data: bytes, base_line: int, take_first: bool = False) -> None:
        """The exact splitter, fed in pieces so that a view that settles stops paying for it
        (`take_first`: the first piece's records count even so, as they would from the chunk's start)."""
        sp = v.splitter
        if sp.state.at_record_start and not sp.state.in_quotes:
            sp.state.line = base_line + 1
        pos, n = 0, len(data)
        while pos < n:
            if pos and self._settled(v) and not v.slow:
                self._quotes_only(v, data[pos:], base_line + _breaks(data[:pos]))
                return
            # A view about to settle (Dataverse's, of a file with another delimiter) takes a small bite.
            bite = SETTLING_PIECE if self._settling(v) else SLOW_PIECE
            end = n if n - pos <= bite else _next_break(data, pos + bite, self.cr_file)
            take = not self._settled(v) or (take_first and pos == 0)
            v.feed(data[pos:end].decode("utf-8", errors="replace"), take=take)
            v.note_quote_problems()
            st = sp.state
            v.slow = not st.at_record_start or st.in_quotes
            pos = end

    def _structured(self, v: _View, data: bytes, base_line: int, ahead: _Ahead | None = None) -> None:
        """Chunks the fast path cannot take (values over several lines, odd quotes, ragged rows).

        The vectorised structural pass (scan.structure) splits the regular records; each record it
        cannot vouch for goes through the exact splitter alone, then the pass resumes after it. It
        resumes on a small window that doubles while the records stay regular, so a file whose every
        record is odd costs the splitter plus a little, and a regular one costs numpy. `ahead`: the
        pass over the whole chunk, made in a read-ahead thread (valid from a record's start).
        """
        v.held = []
        try:
            self._structured_pieces(v, data, base_line, ahead)
        finally:
            v.release()

    def _structured_pieces(self, v: _View, data: bytes, base_line: int, ahead: _Ahead | None) -> None:
        from tabcheck.scan.structure import regular_stretch  # numpy: a plain file never loads it

        n, pos, line = len(data), 0, base_line
        window = _FIRST_WINDOW
        regular = odd = 0  # records taken by the pass, and by the splitter, in this chunk
        while pos < n:  # a view that settles on the way still reads the chunk to its end, as _slow does
            if odd >= _DENSE_ODD and odd * _DENSE_RATIO > regular:
                # Odd records everywhere (quotes inside many values, in this view): the splitter
                # reads the rest of the chunk without windows in between.
                self._slow(v, data[pos:], line, take_first=True)
                return
            if v.facts.header is None or v.slow:
                pos, line = self._exact_records(v, data, pos, line)
                odd += 1
                continue
            stop = n if pos == 0 or n - pos <= window else _next_break(data, pos + window, False)
            piece = data[pos:stop]
            made = ahead if pos == 0 and ahead is not None and ahead.width == v.facts.expected else None
            stretch = made.stretch if made else regular_stretch(piece, v.db, at_end=False, trim=v.tsv)
            taken = self._take_stretch(v, piece, stretch, line, made) if stretch.records else 0
            if taken:
                pos += stretch.end if taken == stretch.records else int(stretch.starts[taken])
                line = v.splitter.state.line - 1
                regular += taken
            if taken == stretch.records and not stretch.irregular and stop < n:
                window *= 2  # the window ended inside a quoted value, or with its last record
                continue
            if pos < n:  # the record the pass could not vouch for
                pos, line = self._exact_records(v, data, pos, line)
                odd += 1
                window = _FIRST_WINDOW

    def _exact_records(self, v: _View, data: bytes, pos: int, line: int) -> tuple[int, int]:
        """Feed the exact splitter from `pos` until it is between records again: a line at a time,
        or up to the line of the next quote while a quoted value is open."""
        st = v.splitter.state
        if st.at_record_start and not st.in_quotes:
            st.line = line + 1
        n = len(data)
        while pos < n:
            if st.in_quotes:
                q = data.find(b'"', pos)
                end = n if q < 0 else _next_break(data, q, False)
            else:
                end = _next_break(data, pos, False)
            v.feed(data[pos:end].decode("utf-8", errors="replace"))
            v.note_quote_problems()
            pos = end
            if st.at_record_start and not st.in_quotes and not st.pending_cr:
                break
        v.slow = not st.at_record_start or st.in_quotes
        return pos, st.line - 1

    def _take_stretch(self, v: _View, piece: bytes, s: Stretch, line: int, made: _Ahead | None = None) -> int:
        """The facts of a stretch's regular records, as take_records would have them; how many were
        taken (the stretch stops before a record the exact splitter must see: a blank line in TSV,
        one wider than the budget, one that may be only blanks)."""
        import numpy as np

        from tabcheck.scan.structure import maybe_whitespace

        f = v.facts
        k = s.records
        blank = s.stops == s.starts
        limit = k
        if v.tsv and blank.any():
            limit = int(np.argmax(blank))  # TSV skips blank lines: the splitter counts them
        wide = s.fields > BUDGETS.fields_per_record
        if wide[:limit].any():
            limit = int(np.argmax(wide))
        maybe_blank = maybe_whitespace(piece, s)
        if maybe_blank[:limit].any():
            limit = int(np.argmax(maybe_blank))
        if limit == 0:
            return 0
        end = s.end if limit == k else int(s.starts[limit])
        if made is not None and limit == k:
            work = made.work
        else:
            work = piece[:end].replace(b"\r\n", b"\n") if b"\r" in piece[:end] else piece[:end]
        fields, blank = s.fields[:limit], blank[:limit]
        expected = f.expected
        ragged_rows = fields != expected
        first_row = f.records + 2 + v.row_base
        if v.typer is not None:  # values are read at the chunk's end, all regular stretches at once
            values = made.values.head(limit) if made is not None and made.values is not None else None
            v.hold(_Regular(work, limit, bool(ragged_rows.any()), values), first_row)
        lines = line + s.lines[:limit] + 1
        widths, firsts, counts = np.unique(fields, return_index=True, return_counts=True)
        for width, first, count in sorted(
            zip(widths.tolist(), firsts.tolist(), counts.tolist(), strict=True), key=lambda t: t[1]
        ):
            f.field_counts[width] += count
            if width not in f.first_by_width and len(f.first_by_width) < MAX_WIDTHS:
                f.first_by_width[width] = RowLine(first_row + first, int(lines[first]))
        f.max_fields = max(f.max_fields, int(fields.max()))
        if ragged_rows.any():
            i = int(np.argmax(ragged_rows))
            if f.first_mismatch is None:
                f.first_mismatch = FieldCount(first_row + i, int(lines[i]), int(fields[i]))
            bad = np.flatnonzero(ragged_rows & ~blank)
            if len(bad):
                f.ragged.extend(
                    [FieldCount(first_row + int(i), int(lines[i]), int(fields[i])) for i in bad[:5]], len(bad)
                )
                for i in bad[: RAGGED_KEPT - len(f.ragged_records)]:
                    raw = piece[int(s.starts[i]) : int(s.stops[i])].rstrip(b"\r\n")
                    self._keep_ragged_line(v, first_row + int(i), int(lines[i]), raw)
        hits = np.flatnonzero(blank)
        if len(hits):
            f.blank_lines.extend([RowLine(first_row + int(i), int(lines[i])) for i in hits[:5]], len(hits))
        # Records whose every byte is an unquoted delimiter: two cells or more, all empty.
        hits = np.flatnonzero((fields > 1) & (s.stops[:limit] - s.starts[:limit] == fields - 1))
        if len(hits):
            f.empty_rows.extend([RowLine(first_row + int(i), int(lines[i])) for i in hits[:5]], len(hits))
        quoted = s.quoted_lf[:limit]
        hits = np.flatnonzero(quoted)
        if len(hits):
            places = [
                CellPlace(first_row + int(i), int(lines[i]), int(s.first_break_field[i])) for i in hits[:5]
            ]
            f.quoted_lf.extend(places, int(quoted.sum()))
        need_head = max(0, min(EDGE_RECORDS - len(f.head), limit))
        tail_from = max(need_head, limit - EDGE_RECORDS)
        for i in [*range(need_head), *range(tail_from, limit)]:
            raw = piece[int(s.starts[i]) : int(s.stops[i])]
            self._edge_line(v, first_row + i, int(lines[i]), raw, head=i < need_head)
            if i < need_head:
                v.facts.tail.append(v.facts.head[-1])
        f.records += limit
        st = v.splitter.state
        st.line = line + (s.line_breaks if limit == k else int(s.lines[limit])) + 1
        st.records = f.records + 1 + v.row_base
        taken = piece[:end]
        st.char_offset += len(taken) if taken.isascii() else len(taken.decode("utf-8", errors="replace"))
        return limit

    def _fast(self, v: _View, data: bytes, base_line: int, plain: _Plain, chars: int | None) -> bool:
        """Plain chunks: counts by bytes methods and polars. False sends the chunk to the splitter."""
        f = v.facts
        work, lines, delimiters = plain.work, plain.lines, plain.delimiters
        expected = f.expected
        frame = None
        if (
            delimiters != (expected - 1) * lines
            or plain.blank
            or expected == 1
            or _empty_row(work, v.db, expected)
        ):  # one column: no delimiter count to tell blank lines by; a row of empty cells: found per line
            frame = self._line_frame(work, v)
            if frame is None:
                return False
        values = (
            plain.values
            if frame is None and plain.values is not None and plain.values.width == expected
            else _read_values(work, expected, v.d, frame is not None, plain.valid)
        )
        if values is None:
            frame = self._line_frame(work, v)
            if frame is None:
                return False
            values = _read_values(work, expected, v.d, ragged=True, valid=plain.valid)
            if values is None:
                return False
        first_row = f.records + 2 + v.row_base
        if frame is not None:
            self._frame_facts(v, frame, first_row, base_line)
        else:
            f.field_counts[expected] += lines
            if expected not in f.first_by_width and len(f.first_by_width) < MAX_WIDTHS:
                f.first_by_width[expected] = RowLine(first_row, base_line + 1)
        f.max_fields = max(f.max_fields, expected)
        f.records += lines
        self._edges_from_bytes(v, work, first_row, base_line, lines)
        if v.typer is not None and values.height:
            v.typer.update_frame(values, first_row)
        st = v.splitter.state
        st.line = base_line + lines + 1
        st.records = f.records + 1 + v.row_base
        if chars is None:
            chars = len(data) if data.isascii() else len(data.decode("utf-8", errors="replace"))
        st.char_offset += chars
        return True

    def _line_frame(self, work: bytes, v: _View) -> pl.DataFrame | None:
        sep = _absent_byte(work)
        if not sep:
            return None
        try:
            lines = pl.read_csv(
                io.BytesIO(work),
                has_header=False,
                separator=sep,
                quote_char=None,
                schema={"l": pl.String},
                encoding="utf8-lossy",
                raise_if_empty=False,
            )["l"].fill_null("")
        except Exception:  # noqa: BLE001
            return None
        expected_lines = work.count(b"\n") + (0 if work.endswith(b"\n") else 1)
        if lines.len() != expected_lines:
            return None  # polars skipped or merged lines: let the splitter do it
        no_quotes = lines.str.replace_all(_QUOTED_RE, "") if b'"' in work else lines
        count = no_quotes.str.count_matches(v.d, literal=True).fill_null(0) + 1
        return pl.DataFrame({"line": lines, "fields": count})

    def _frame_facts(self, v: _View, frame: pl.DataFrame, first_row: int, base_line: int) -> None:
        f = v.facts
        idx = frame.with_row_index("i").with_columns(
            blank=pl.col("line") == "",
            # One value of blanks (in TSV, a line of TABs holds several empty values).
            ws=(pl.col("fields") == 1)
            & (pl.col("line") != "")
            & (pl.col("line").str.strip_chars(" \t") == ""),
            # One value of blanks and quotes, or other blanks: the exact splitter says if it is blank.
            odd_ws=(pl.col("fields") == 1)
            & (pl.col("line") != "")
            & (pl.col("line").str.replace_all(r'[\s"\x1c-\x1f\x85\xa0]', "") == "")
            & (pl.col("line").str.strip_chars(" \t") != ""),
        )
        odd = idx.filter(pl.col("odd_ws"))
        if odd.height:
            blank_values = [_only_blanks(line, v) for line in odd["line"].to_list()]
            ws_rows = odd.filter(pl.Series(blank_values, dtype=pl.Boolean))["i"]
            idx = idx.with_columns(ws=pl.col("ws") | pl.col("i").is_in(ws_rows.implode()))
        for n, k, i in idx.group_by("fields").agg(pl.len(), pl.col("i").min()).sort("i").iter_rows():
            f.field_counts[n] += k
            if n not in f.first_by_width and len(f.first_by_width) < MAX_WIDTHS:
                f.first_by_width[n] = RowLine(first_row + i, base_line + i + 1)
        bad = idx.filter(pl.col("fields") != f.expected)
        if bad.height:
            if f.first_mismatch is None:
                i, n = bad["i"][0], bad["fields"][0]
                f.first_mismatch = FieldCount(first_row + i, base_line + i + 1, n)
            most = bad["fields"].max()
            assert isinstance(most, int), "the field counts of a frame with rows"
            f.max_fields = max(f.max_fields, most)
        bad = bad.filter(~pl.col("blank") & ~pl.col("ws"))
        if bad.height:
            head = bad.head(5)
            f.ragged.extend(
                [
                    FieldCount(first_row + i, base_line + i + 1, n)
                    for i, n in zip(head["i"].to_list(), head["fields"].to_list(), strict=False)
                ],
                bad.height,
            )
            for i, text in bad.head(RAGGED_KEPT - len(f.ragged_records)).select("i", "line").iter_rows():
                self._keep_ragged_line(v, first_row + i, base_line + i + 1, text.encode("utf-8"))
        idx = idx.with_columns(
            empty=(pl.col("fields") > 1) & (pl.col("line").str.len_bytes() == pl.col("fields") - 1)
        )
        for col, occ in (("blank", f.blank_lines), ("ws", f.whitespace_lines), ("empty", f.empty_rows)):
            hits = idx.filter(pl.col(col))
            if hits.height:
                occ.extend(
                    [RowLine(first_row + i, base_line + i + 1) for i in hits["i"].head(5).to_list()],
                    hits.height,
                )

    def _edges_from_bytes(self, v: _View, work: bytes, first_row: int, base_line: int, lines: int) -> None:
        """Keep the first and last records of a plain chunk for the title/notes analysis."""
        f = v.facts
        need_head = EDGE_RECORDS - len(f.head)
        if need_head > 0:
            for k, line in enumerate(work.split(b"\n", need_head)[:need_head]):
                if k >= lines:
                    break
                self._edge_line(v, first_row + k, base_line + k + 1, line, head=True)
        # The last EDGE_RECORDS lines, found from the end (rsplit would copy the rest of the chunk).
        end = len(work) - 1 if work.endswith(b"\n") else len(work)
        at = end
        for _ in range(EDGE_RECORDS):
            at = work.rfind(b"\n", 0, at)
            if at < 0:
                break
        tail_lines = work[at + 1 : end].split(b"\n")
        start = lines - len(tail_lines)
        for k, line in enumerate(tail_lines):
            self._edge_line(v, first_row + start + k, base_line + start + k + 1, line, head=False)

    def _keep_ragged_line(self, v: _View, row: int, line: int, raw: bytes) -> None:
        """Keep a ragged record's first values, split from its bytes (ViewFacts.ragged_records)."""
        if raw.count(v.db) >= RAGGED_VALUES:
            raw = v.db.join(raw.split(v.db, RAGGED_VALUES)[:RAGGED_VALUES])
        sp = RecordSplitter(v.d, skip_empty_lines=False, trim=v.tsv)
        recs = sp.feed(raw.decode("utf-8", errors="replace")) + sp.finish()
        if recs:
            keep_ragged(v.facts.ragged_records, row, line, recs[0].fields)

    def _edge_line(self, v: _View, row: int, line: int, raw: bytes, head: bool) -> None:
        keep = BUDGETS.fields_per_record
        if raw.count(v.db) >= keep:  # a sample: the first values of a record polars read as ragged
            raw = v.db.join(raw.split(v.db, keep)[:keep])
        sp = RecordSplitter(v.d, skip_empty_lines=False, trim=v.tsv)
        recs = sp.feed(raw.decode("utf-8", errors="replace")) + sp.finish()
        fields = recs[0].fields if recs else [""]
        if head:
            v.facts.head.append(RecordSample(row, line, fields))
        else:
            v.facts.tail.append(RecordSample(row, line, fields))


def _only_blanks(line: str, v: _View) -> bool:
    """A record of one value that holds only blanks once unquoted (the splitter's whitespace line)."""
    sp = RecordSplitter(v.d, skip_empty_lines=False, trim=v.tsv)
    records = sp.feed(line) + sp.finish()
    return len(records) == 1 and len(records[0].fields) == 1 and not records[0].fields[0].strip()


def _read_values(
    work: bytes, expected: int, delimiter: str, ragged: bool, valid: bool = False
) -> pl.DataFrame | None:
    """A plain chunk's values, all as text, the first `expected` of each record; None when polars
    cannot read them so (a polars without `extra_columns` refuses a first line longer than the header).
    `valid`: the chunk is known to be valid UTF-8 (invalid bytes are replaced otherwise).

    polars sizes its columns from the first line: one much wider than the header is refused before
    it costs polars GBs (see Budgets.polars_wider_first_line)."""
    first_end = work.find(b"\n")
    db = delimiter.encode()
    if (
        work.count(db, 0, first_end if first_end >= 0 else len(work))
        >= expected + BUDGETS.polars_wider_first_line
    ):
        return None
    schema = {f"c{i}": pl.String for i in range(expected)}
    try:
        return pl.read_csv(
            io.BytesIO(work),
            has_header=False,
            separator=delimiter,
            quote_char='"',
            schema=schema,
            encoding="utf8" if valid else "utf8-lossy",  # its lossy decoding costs 15 %
            truncate_ragged_lines=ragged,
            empty_string_is_null=False,
            raise_if_empty=False,
            **(_EXTRA_COLUMNS if ragged else {}),
        )
    except Exception:  # noqa: BLE001 - polars refuses ragged lines: the caller looks closer
        return None


def _extra_columns() -> dict[str, Any]:
    """Values beyond the header's width are not typed: polars 2 drops them when told to."""
    import inspect

    return {"extra_columns": "ignore"} if "extra_columns" in inspect.signature(pl.read_csv).parameters else {}


_EXTRA_COLUMNS = _extra_columns()


def _breaks(b: bytes) -> int:
    """Line breaks as Commons CSV counts them: LF, CR and CRLF each one."""
    if len(b) < _PAIRS_BY_NUMPY:
        if b"\r" not in b:
            return b.count(b"\n")
        return b.count(b"\r") + b.count(b"\n") - b.count(b"\r\n")
    # A large view: numpy counts with the interpreter lock released (a two-byte search costs
    # twice as much as both counts), by byte masks: no positions, memory of a few masks.
    import numpy as np

    a = np.frombuffer(b, dtype=np.uint8)
    feeds = bytecounts.count_in(a, _LF)
    if b"\r" not in b:
        return feeds
    return bytecounts.count_in(a, _CR) + feeds - bytecounts.pair_in(a, _CR, _LF)


def _last_break(block: bytes, brk: bytes, cr_file: bool) -> int:
    """Where a chunk may end in `block` (the last line break, a CRLF kept whole), or -1 when the
    block alone cannot say (no break, or a CR file's only CR at its very end)."""
    cut = block.rfind(brk)
    if cr_file and cut >= 0:
        cut = block.rfind(brk, 0, len(block) - 1) if cut == len(block) - 1 else cut
        cut += block[cut + 1 : cut + 2] == b"\n" if cut >= 0 else 0
    return cut


def _long_line_cut(buf: bytes) -> int:
    """Where to end a piece of a line too long for one chunk (the index of its last byte): never
    inside a UTF-8 character (it would decode as two replacement characters) nor between the CR
    and the LF of a line break (they would count as two)."""
    end = len(buf)
    for back in range(1, 5):  # a lead byte whose character would run past the end
        b = buf[end - back]
        if b < 0x80:
            break
        if b >= 0xC0:
            if (2 if b < 0xE0 else 3 if b < 0xF0 else 4) > back:
                end -= back
            break
    if buf[end - 1 : end] == b"\r":
        end -= 1
    return end - 1


def _blank_lines(b: bytes) -> int:
    """Empty lines among the complete lines of `b` (which starts a line and ends after a break)."""
    return sum(1 for line in re.split(rb"\r\n|\r|\n", b)[:-1] if not line)


def _next_break(chunk: bytes, pos: int, cr_file: bool) -> int:
    j = chunk.find(b"\r" if cr_file else b"\n", pos)
    return len(chunk) if j < 0 else j + 1


# A file in a single-byte encoding (Windows-1252, Latin-1, …) gives both views in one pass; False
# reads the author's view in a second pass over the transcoded file (the differential tests' reference).
ONE_PASS_CODECS = True


def scan_csv(path: Path, fmt: str, sniff: Sniff, evidence: dict[str, Evidence], size: int) -> CsvFacts:
    return CsvScanner(path, fmt, sniff, evidence, size).scan()


def read_table(facts: FileFacts, sniff: Sniff, evidence: dict[str, Evidence]) -> None:
    """The reader of CSV/TSV files (see tabcheck.readers).

    One pass when the file is UTF-8, or in a single-byte encoding such as Windows-1252: both views
    share its chunks, Dataverse's reading the raw bytes as UTF-8 (as Dataverse does), the author's
    each chunk transcoded. A file in another encoding (UTF-16, or UTF-8 mixed with Windows-1252)
    gets a second pass for the author's view, over the file decoded from that encoding. A file
    whose head is UTF-8 but a later byte is not is judged on the whole file once the first pass has
    found that byte.
    """
    path, fmt, size = facts.path, facts.format, facts.size
    codec = sniff.codec
    in_one = codec is not None and ONE_PASS_CODECS and not sniff.mixed and single_byte(codec)
    author_codec = codec if in_one else None
    one_pass = codec is None or in_one
    scanner = CsvScanner(
        path,
        fmt,
        sniff,
        evidence,
        size,
        roles=("dataverse", "user") if one_pass else ("dataverse",),
        author_codec=author_codec,
        codebook=facts.feed_codebook,
    )
    try:
        table = scanner.scan()
    except BaseException:
        if scanner.views and scanner.views[0].codebook is not None:
            scanner.views[0].codebook.close()  # its threads and stored values
        raise
    if codec is None and table.bad_utf8 is not None and not sniff.encoding_given:
        from tabcheck.sniff import with_whole_file_encoding

        sniff = with_whole_file_encoding(sniff, path)
    if sniff.codec is not None and not in_one:
        author = CsvScanner(path, fmt, sniff, evidence, size, roles=("user",), transcode=sniff.codec).scan()
        table.user = author.user
        table.too_wide = table.too_wide or author.too_wide
    describe_reading(table, sniff)
    facts.table = table


def describe_reading(table: CsvFacts, sniff: Sniff) -> None:
    """The encoding and the reading (with their evidence) `table` was read with."""
    if sniff.encoding_guess is not None or sniff.encoding_given:
        table.encoding = sniff.encoding or table.encoding
    table.reading = _reading(sniff)


def _reading(sniff: Sniff) -> ReadingFacts:
    from tabcheck.sniff import display_name

    eg, dg = sniff.encoding_guess, sniff.delimiter_guess
    if eg is None:
        encoding = Guess(sniff.encoding, 1.0, given=sniff.encoding_given)
    else:
        ru = eg.runner_up
        encoding = Guess(
            display_name(eg.encoding) if eg.encoding else None,
            eg.confidence,
            display_name(ru.name) if ru else None,
            ru.confidence if ru else 0.0,
            eg.reason,
            example=eg.example,
        )
    if dg is None:
        delimiter = Guess(sniff.delimiter, 1.0, given=sniff.delimiter_given)
    else:
        ru = dg.runner_up
        delimiter = Guess(
            dg.delimiter, dg.confidence, ru.name if ru else None, ru.confidence if ru else 0.0, dg.reason
        )
    mixed_from = None
    if eg is not None and eg.mixed is not None:
        other = [p for p in eg.mixed.parts if p.encoding != "utf-8"]
        mixed_from = other[0].first_line if other else None
    return ReadingFacts(encoding, delimiter, sniff.preamble, mixed_from, sniff.kind, sniff.kind_description)
