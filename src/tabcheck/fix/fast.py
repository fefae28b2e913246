"""The vectorised path of `tabcheck fix` for regular text tables: the same output, at disk speed.

Used only when the author's view is regular (fix/csvfix.py says when): every record as wide as the
header, one line per record, quotes only around whole values, nothing to drop or move. The file is
read in bounded chunks cut at line ends; each chunk is decoded strictly in the author's encoding
(Python codecs), split by polars, changed by polars expressions that make the same declared
transformations as the exact path (`Rewriter`), and written with the same quoting as Python's csv
writer. Every transformation is counted with its first samples exactly as the exact path counts
them, so the manifest is the same. Anything the chunk shows that is not regular (a lone CR, a quote
inside a value, a record of another width, a byte the encoding cannot read, numbers that do not
agree on one convention) raises `NotRegular`: the exact path then rewrites the file from the start,
and refuses it as it always did.

`verify` re-reads the source and the output chunk by chunk, parses the source again without the
rewrite's parser (quote-free chunks: polars with no quote handling and byte counts of delimiters and
lines; quoted chunks: quote parity over each line), and compares every cell: equal, or changed as a
declared transformation says, each checked by its own expression (a decimal conversion keeps every
digit, the sign, the padding and the decimals). Counts must equal the rewrite's, the records the
check's own splitter counted, and the transcoding must give back the original bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from tabcheck.facts import FileFacts
from tabcheck.fix.csvfix import (
    MIXED_STRICT,
    Reading,
    Rewrite,
    name_header,
    trailing_example,
)
from tabcheck.fix.dates import TIME, change_name, date_order
from tabcheck.fix.loops import Changes, Loops
from tabcheck.fix.manifest import MAX_EXAMPLES, Verification
from tabcheck.fix.repairs import _GROUP_CHARS, _KINDS, Plan
from tabcheck.fix.verify import header_changes
from tabcheck.scan import bytecounts

_LF = ord("\n")
CHUNK = 8 << 20  # bytes of source per chunk (cut at a line end): memory stays flat in file size
FIRST_CHUNK = 1 << 20  # bytes of the first chunk, the header's
_NULL = r"^(?i:null)$"
# 1,234: the ambiguous shape of the exact path's common case (12,5, and `12,` too)
_AMBIGUOUS_COMMON = r"^[1-9][0-9]{0,2},[0-9]{3}$"  # 1,234 (not 0,125: a decimal)
_PLAIN = r"^(?:[0-9]+(?:,[0-9]*)?)?$"  # empty, digits, or that common case: no rare number
_QUOTED_WHOLE = r'^"(?:[^"]|"")*"$'  # a value quoted whole, its quotes doubled
# Bytes a chunk seldom holds, to hide the delimiters and line feeds inside quoted values.
_FREE_BYTES = b"\x00\x1f\x1e\x1d\x1c\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"


class _Writes:
    """The rewritten chunks written by a thread of their own while the next chunk is rewritten
    (writing into a new file costs the system about 1.4 s a gigabyte): one write at a time, in
    order; `wait` returns once the last one is on file (its errors raised there)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="tabcheck-write")
        self.pending: Future[None] | None = None

    def start(self, data: Any) -> None:  # bytes, or the loop's numpy buffer
        self.wait()
        self.pending = self.pool.submit(self._write, data)

    def _write(self, data: Any) -> None:
        self.out.write(data)
        self.out.flush()

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> _Writes:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
            elif self.pending is not None:
                with contextlib.suppress(Exception):  # the error in flight already says what failed
                    self.pending.result()
        finally:
            self.pool.shutdown()


class NotRegular(Exception):
    """The file is not (or no longer) one the vectorised path rewrites as the exact path would."""


# -- when the fast path applies -------------------------------------------------------------------


@cache
def _ascii_compatible(codec: str) -> bool:
    """Each byte is one character, ASCII bytes are ASCII (UTF-8 too: its bytes < 0x80 are ASCII and
    never inside a longer character), so lines, quotes and delimiters can be found in the bytes."""
    if codec in ("utf-8", "ascii"):
        return True
    if codec.startswith(("utf-16", "utf-32", "utf-7")):
        return False
    for b in range(256):
        try:
            ch = bytes([b]).decode(codec)
        except UnicodeDecodeError:
            continue  # an undefined byte: refused when met (by the exact path)
        except Exception:  # noqa: BLE001 - a multi-byte codec wants more bytes
            return False
        if len(ch) != 1 or (b < 0x80 and ch != chr(b)) or (b >= 0x80 and ord(ch) < 0x80):
            return False
    return True


def not_regular(facts: FileFacts, plan: Plan, reading: Reading, flatten: bool = False) -> str | None:
    """Why the vectorised path cannot rewrite this file (None: it can; each chunk checks again).

    Line feeds inside quoted values are copied as they are (records then span lines); a CR inside
    a value (CRLF or alone) becomes LF, and `flatten` makes every line break a space: the exact
    path makes those changes."""
    table = facts.table
    view = table.user if table is not None else None
    if table is None or view is None or view.header is None or table.reading is None:
        return "no author's view"
    width = len(view.header)
    if width < 2:
        return "one column"
    if table.reading.preamble_lines or plan.title_lines or plan.note_lines or plan.moved_rows:
        return "lines to move"
    if plan.keep_width is not None and view.quoted_lf.count:
        return "empty cells to drop in records over several lines"
    others = set(view.field_counts) - {width}
    if view.blank_lines.count and view.field_counts.get(1, 0) == view.blank_lines.count:
        others.discard(1)  # the records of one field are the empty lines, dropped chunk by chunk
    if others or view.ragged.count:
        return "records of another width"
    if view.whitespace_lines.count:
        return "lines of spaces"
    if (view.blank_lines.count or view.empty_rows.count) and view.quoted_lf.count:
        return "blank lines and records over several lines"
    if view.quoted_cr.count:
        return "CR in values"
    if view.quoted_lf.count and flatten:
        return "line breaks to flatten"
    if view.unclosed_quote.count or view.bad_quoting.count:
        return "quote anomalies"
    if table.line_ending not in ("LF", "CRLF", None):
        return f"{table.line_ending} line ends"
    d = reading.delimiter
    if len(d) != 1 or not d.isascii() or d in '"\r\n':
        return "delimiter"
    if not _ascii_compatible(reading.codec):
        return f"encoding {reading.codec}"
    return None


# -- chunks ---------------------------------------------------------------------------------------


def _chunks(
    fh: BinaryIO, size: int, progress: Callable[[int, int], None] | None, records_of: bytes | None = None
) -> Iterator[bytes]:
    """The file in pieces of about CHUNK bytes, each ending at a line end (the last one maybe not).

    `records_of` (the delimiter of a file whose quoted values hold line feeds): each piece ends at a
    record's end, a line feed outside quotes (`_record_end`); NotRegular when no record ends in four
    chunks (a quote left open)."""
    carry = b""
    done = 0
    while True:
        # The first piece (the header's, rewritten the polars way, and its verification too) is
        # small: its frames would add some 100 MB to the peak of a large file's start.
        block = fh.read(max(CHUNK if done else min(CHUNK, FIRST_CHUNK), len(carry)))  # a long record: doubles
        done += len(block)
        if not block:
            if carry:
                yield carry
            return
        buf = carry + block if carry else block
        cut = _record_end(buf) if records_of is not None else buf.rfind(b"\n") + 1
        if cut == 0:
            if len(buf) > 4 * CHUNK and records_of is not None:
                raise NotRegular("no record ends in four chunks: a quote left open")
            carry = buf  # a line longer than a chunk: read on
            continue
        carry = buf[cut:]
        yield buf[:cut]
        if progress is not None:
            progress(done, size)


def without_trailing(chunk: bytes, db: bytes, cells: int) -> tuple[bytes, int]:
    """The chunk's lines without their last `cells` cells, each empty (a delimiter at the end of
    every line: drop-trailing-cells), and how many lines lost them. NotRegular when a line does not
    end so: a value there, the exact path decides. Every line of a regular chunk is a record."""
    tail = db * cells
    lines = chunk.count(b"\n")
    unended = bool(chunk) and not chunk.endswith(b"\n")  # the file's last line, without a line end
    crlf = chunk.count(tail + b"\r\n")
    lf = chunk.count(tail + b"\n")
    if crlf + lf != lines or (unended and not chunk.endswith(tail)):
        raise NotRegular("a value after the last named column")
    out = chunk.replace(tail + b"\r\n", b"\r\n") if crlf else chunk
    out = out.replace(tail + b"\n", b"\n") if lf else out
    if unended:
        out = out[: len(out) - len(tail)]
    return out, lines + unended


@cache
def _empty_cells_row(db: bytes, width: int) -> re.Pattern[bytes]:
    """A row of `width` empty cells, bare or quoted (`;;`, `"";""`), up to its line end."""
    cell = b'(?:"")?'
    return re.compile(cell + (re.escape(db) + cell) * (width - 1) + b"(?:\\r?\\n|\\Z)")


def without_empty_lines(chunk: bytes, db: bytes, width: int, cells: bool) -> tuple[bytes, int, int, int]:
    """The chunk without its empty lines and, with `cells`, its rows of empty cells (`;;`, `"";""`),
    as Rewriter.run drops them (drop-blank-lines); how many of each were dropped, and the line
    (0-based, in the chunk) of the first one dropped (-1: none). Only for a file whose records are
    its lines (no line feed inside a value): such a line is then no part of a value. Only lines
    that start as such a line can are looked at (memchr-fast searches): the rest is not read."""
    starts: set[int] = set()
    heads = [b"\n\n", b"\n\r\n"] + ([b"\n" + db, b'\n""' + db] if cells else [])
    for head in heads:
        at = chunk.find(head)
        while at >= 0:
            starts.add(at + 1)
            at = chunk.find(head, at + 1)
    if chunk[:1] in (b"\n", b"\r") or (cells and (chunk.startswith(db) or chunk.startswith(b'""' + db))):
        starts.add(0)
    if not starts:
        return chunk, 0, 0, -1
    row = _empty_cells_row(db, width) if cells else None
    drops: list[tuple[int, int]] = []
    blank = empty = 0
    for at in sorted(starts):
        if chunk.startswith(b"\n", at) or chunk.startswith(b"\r\n", at):
            drops.append((at, at + (1 if chunk[at] == 0x0A else 2)))
            blank += 1
        elif row is not None:
            m = row.match(chunk, at)
            if m is not None:
                drops.append((at, m.end()))
                empty += 1
    if not drops:
        return chunk, 0, 0, -1
    parts, prev = [], 0
    for a, b in drops:
        parts.append(chunk[prev:a])
        prev = b
    parts.append(chunk[prev:])
    return b"".join(parts), blank, empty, chunk.count(b"\n", 0, drops[0][0])


def _record_end(buf: bytes) -> int:
    """Just after the last line feed outside quotes in `buf`, which starts at a record's start (0:
    none): quote parity counted from the start, then walked back line by line. A quote inside a
    value misleads it; the rewrite and the verification then find that chunk irregular."""
    lf = buf.rfind(b"\n")
    odd = buf.count(b'"', 0, lf) % 2 if lf >= 0 else 0
    while odd and lf >= 0:
        before = buf.rfind(b"\n", 0, lf)
        odd ^= buf.count(b'"', before + 1, lf) % 2
        lf = before
    return lf + 1


def _decode(chunk: bytes, reading: Reading, first: bool) -> tuple[str, bytes, bool]:
    """(text, the text in UTF-8, BOM dropped): strictly, as the exact path decodes; NotRegular on an
    undecodable byte."""
    try:
        text = chunk.decode(reading.codec, reading.errors)
    except UnicodeDecodeError as e:
        raise NotRegular("undecodable byte") from e
    bom = first and text.startswith("\ufeff")
    if bom:
        text = text[1:]
    if reading.codec == "utf-8" and reading.errors == "strict":
        return text, chunk[3:] if bom else chunk, bom  # strictly UTF-8 already
    return text, text.encode("utf-8"), bom


def _lines(data: bytes) -> int:
    return bytecounts.count(data, _LF) + (0 if data.endswith(b"\n") else 1)


def _records(data: bytes) -> int:
    """The records of a chunk: its line feeds outside quotes (quote parity), plus a last line
    without one."""
    if b'"' not in data:
        return _lines(data)
    import numpy as np

    from tabcheck.scan.structure import quoted_positions

    b = np.frombuffer(data, dtype=np.uint8)
    inside = len(quoted_positions(b, np.flatnonzero(b == ord('"')), ord("\n")))
    return bytecounts.count(data, _LF) - inside + (0 if data.endswith(b"\n") else 1)


def _schema(width: int) -> dict[str, type[pl.DataType]]:
    return {f"c{i}": pl.String for i in range(width)}


def _read(data: bytes, d: str, width: int) -> pl.DataFrame:
    """A chunk's fields, all text (empty values null). NotRegular when polars does not read one
    record per line of `width` fields (the verification checks each line's fields on its own)."""
    try:
        df = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=d,
            quote_char='"',
            schema=_schema(width),
            raise_if_empty=False,
        )
    except Exception as e:  # polars refuses what it cannot split: the exact path reads it
        raise NotRegular(f"polars: {e}") from e
    if df.height != _records(data):
        raise NotRegular("polars read another number of records")
    return df


# -- the rewrite ----------------------------------------------------------------------------------


def _comma_number(s: pl.Expr) -> pl.Expr:
    """convert_number(value, "comma"), vectorised: padding kept, separators dropped, `,` → `.`."""
    lead = s.str.extract(r"^([ \t]*)", 1)
    trail = s.str.extract(r"([ \t]*)$", 1)
    core = s.str.strip_chars(" \t")
    for ch in _GROUP_CHARS:
        core = core.str.replace_all(ch, "", literal=True)
    return pl.concat_str([lead, core.str.replace_all(",", ".", literal=True), trail])


def _kind(s: pl.Expr) -> pl.Expr:
    """number_kind(value), vectorised: the first of the kinds whose grammar matches, else null."""
    chain: Any = pl
    for name, pattern in _KINDS:
        chain = chain.when(s.str.contains(pattern.pattern)).then(pl.lit(name))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


_YEAR_LAST = r"^([0-9]{1,2})([/.\-])([0-9]{1,2})([/.\-])([0-9]{4})$"
_YEAR_FIRST = r"^([0-9]{4})([/.])([0-9]{1,2})([/.])([0-9]{1,2})$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE_TIME = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}:[0-9]{2})(:[0-9]{2})?$"


def iso_dates(s: pl.Series, order: str) -> pl.Series:
    """dates.written(value, order) on each value of a series, vectorised: null where a value is not
    a date so (empty values stay empty)."""
    v = pl.col("v")
    base = date_order(order)
    if base is not None:  # 25/12/2020 14:30: the date in its order, then the time
        f = s.to_frame("v").select(
            d=v.str.extract(r"^([0-9./\-]+) [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$", 1).fill_null("?"),
            clock=v.str.extract(r" ([0-9]{1,2}:[0-9]{2})(?::[0-9]{2})?$", 1),
            seconds=v.str.extract(r" [0-9]{1,2}:[0-9]{2}(:[0-9]{2})$", 1).fill_null(":00"),
            empty=v == "",
        )
        day = iso_dates(f["d"], base)
        both = pl.concat_str([day, pl.lit(" "), f["clock"], f["seconds"]])
        return f.select(pl.when(pl.col("empty")).then(pl.lit("")).otherwise(both).alias("v")).to_series()
    if order == TIME:
        parts = v.str.extract_groups(_DATE_TIME)
        seconds = parts.struct.field("3")
        both = pl.concat_str([parts.struct.field("1"), pl.lit(" "), parts.struct.field("2")])
        timed = pl.when(seconds.is_null()).then(both + pl.lit(":00")).otherwise(both + seconds)
        return s.to_frame("v").select(pl.when(v == "").then(v).otherwise(timed).alias("v")).to_series()
    last = v.str.extract_groups(_YEAR_LAST)
    first = v.str.extract_groups(_YEAR_FIRST)
    one_separator = (last.struct.field("2") == last.struct.field("4")).fill_null(False)
    year_first = (first.struct.field("2") == first.struct.field("4")).fill_null(False)
    a, b = last.struct.field("1"), last.struct.field("3")
    day, month = (b, a) if order == "mdy" else (a, b)
    written = (
        pl.when(v.str.contains(_ISO_DATE))
        .then(v)
        .when(one_separator)
        .then(pl.concat_str([last.struct.field("5"), month.str.zfill(2), day.str.zfill(2)], separator="-"))
        .when(year_first)
        .then(
            pl.concat_str(
                [
                    first.struct.field("1"),
                    first.struct.field("3").str.zfill(2),
                    first.struct.field("5").str.zfill(2),
                ],
                separator="-",
            )
        )
    )
    # a day of the calendar, from 1583 on (dates.iso_date writes no earlier one)
    real = written.str.to_date("%Y-%m-%d", strict=False).is_not_null() & (written.str.slice(0, 4) >= "1583")
    out = pl.when(v == "").then(v).when(real).then(written)
    return s.to_frame("v").select(out.alias("v")).to_series()


@dataclass
class _Tally:
    """One (transformation, column): its count, first samples and first row (for the manifest order)."""

    count: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)
    first_row: int = -1

    def take(self, before: pl.Series, after: pl.Series, changed: pl.Series, row0: int) -> None:
        n = int(changed.sum())
        if not n:
            return
        if self.first_row < 0:
            self.first_row = row0 + int(changed.arg_max() or 0)
        self.count += n
        if len(self.examples) < MAX_EXAMPLES:
            pairs = pl.DataFrame({"b": before.filter(changed), "a": after.filter(changed)})
            for b, a in pairs.unique(maintain_order=True).head(MAX_EXAMPLES).iter_rows():
                if len(self.examples) < MAX_EXAMPLES and (b, a) not in self.examples:
                    self.examples.append((b, a))

    def merge(self, changes: Changes, row0: int) -> None:
        """A chunk's changes counted by the compiled loop (fix/loops.py), as `take` counts them."""
        if self.first_row < 0:
            self.first_row = row0 + changes.first_row
        self.count += changes.count
        for pair in changes.examples:
            if len(self.examples) < MAX_EXAMPLES and pair not in self.examples:
                self.examples.append(pair)


@dataclass
class FastRewrite:
    rw: Rewrite
    cuts: list[tuple[int, int, int]] = field(default_factory=list)  # per chunk: source, output bytes, records
    rewrite_seconds: float = 0.0  # time spent rewriting (the verification runs beside it)
    looped: int = 0  # chunks rewritten by the compiled loop (fix/loops.py)
    verified_by_loop: int = 0  # chunks verified by it
    verify_seconds: float = 0.0  # time spent verifying
    wall_seconds: float = 0.0


def _rewrite_chunks(
    path: Path,
    out: BinaryIO,
    plan: Plan,
    reading: Reading,
    progress: Callable[[int, int], None] | None,
    done: FastRewrite,
    multiline: bool = False,
    loops: Loops | None = None,
    trailing: int = 0,
    lines_width: int = 0,
) -> Iterator[tuple[int, int, int, int]]:
    """Rewrite `path` into `out` as `Rewriter.run` would with the comma convention, yielding each
    chunk written: (source offset, source bytes, output offset, output bytes); NotRegular when the
    file is not regular or a decimal column is not all commas (the exact path decides then).
    With `loops`, each chunk after the header's is first given to the compiled loop. `trailing`:
    the empty cells at the end of every line, dropped (drop-trailing-cells) before the rest, after the
    empty lines and the rows of `lines_width` empty cells (drop-blank-lines; 0: records span lines,
    none dropped)."""
    decimal = sorted(plan.decimal_columns)
    nulls = sorted(plan.null_columns - plan.decimal_columns)
    dates = sorted(plan.date_columns.items())
    # the exact path's order within a row
    order = {c: i for i, c in enumerate(decimal + nulls + [c for c, _ in dates])}
    tallies: dict[tuple[str, int], _Tally] = {}
    seen: dict[int, set[str]] = {c: set() for c in decimal}  # the kinds each decimal column holds
    d = reading.delimiter
    rw = done.rw
    rw.conventions = {c: "comma" for c in decimal}
    width = 0
    named: list[tuple[str, str]] = []  # header-named: (column, name) of each empty header cell
    deduplicated: list[tuple[str, str]] = []  # header-deduplicated: (name, new name) of each renamed cell
    high = 0
    rows = 0  # data records before the chunk
    size = path.stat().st_size
    reading.bom = False
    src_at = out_at = 0
    writes = _Writes(out)
    written_before: tuple[int, int, int, int] | None = None  # the chunk being written, to hand over
    with open(path, "rb") as fh, writes:
        records_of = d.encode() if multiline else None  # chunks cut at records' ends
        trimmed = dropped = 0  # lines that lost their empty last cells; empty lines and rows dropped
        first_drop: float | None = None  # where the first was, in data rows (for the manifest's order)
        for k, raw in enumerate(_chunks(fh, size, progress, records_of)):
            t0 = time.perf_counter()
            chunk = raw
            if lines_width:  # first, as Rewriter.run drops them before it looks at their cells
                chunk, blank, empty, first = without_empty_lines(
                    chunk, d.encode("ascii"), lines_width, plan.drop_empty_rows
                )
                if first >= 0 and first_drop is None:  # between the data rows before it and the next
                    first_drop = rows + first - (1 if k == 0 else 0) - 0.5
                dropped += blank + empty
            if trailing:
                chunk, lines = without_trailing(chunk, d.encode("ascii"), trailing)
                trimmed += lines
            by_loop = loops.rewrite(chunk, width, slot=k % 2) if loops is not None and k > 0 else None
            if by_loop is not None:
                writes.start(by_loop.data)  # once the chunk before is written
                high += by_loop.high
                for key, changes in by_loop.changes.items():
                    tallies.setdefault(key, _Tally()).merge(changes, rows)
                for c, kinds in by_loop.shows.items():
                    seen[c] |= kinds
                rows += by_loop.records
                records = by_loop.records
                done.looped += 1
            else:
                writes.wait()
                high += bytecounts.high(chunk)
                _text, data, bom = _decode(chunk, reading, k == 0)
                reading.bom = reading.bom or bom
                records = 0
                if k == 0:
                    nl = data.find(b"\n")
                    first = data[: nl + 1] if nl >= 0 else data
                    line = first.decode("utf-8").removesuffix("\n").removesuffix("\r")
                    if line.count('"') % 2:
                        raise NotRegular("a line break in the header")
                    header = next(csv.reader([line], delimiter=d, quotechar='"', strict=False), [])
                    width = rw.width = len(header)
                    if width < 2:
                        raise NotRegular("one column")
                    if not any(h.strip(" \t") for h in header):
                        raise NotRegular("no named header")  # the exact path drops such a line
                    # as Rewriter._name_empty: each empty cell gets its column letter, each name is distinct
                    header, named, deduplicated = name_header(header)
                    buf = io.StringIO()
                    csv.writer(buf, lineterminator="\n").writerow(header)
                    out.write(buf.getvalue().encode("utf-8"))
                    data = data[len(first) :]
                    records = 1
                if data:
                    df = _read(data, d, width)
                    n = df.height
                    new: dict[str, pl.Series] = {}
                    for c in decimal:
                        s = df[f"c{c}"].fill_null("")
                        new[f"c{c}"] = _decimal_column(s, c, c in plan.null_columns, rows, seen[c], tallies)
                    for c in nulls:
                        s = df[f"c{c}"].fill_null("")
                        hit = s.str.contains(_NULL)
                        if hit.any():
                            after = pl.select(pl.when(hit).then(pl.lit("")).otherwise(s)).to_series()
                            tallies.setdefault(("empty-null", c), _Tally()).take(s, after, hit, rows)
                            new[f"c{c}"] = after
                    for c, date_order in dates:
                        s = df[f"c{c}"].fill_null("")
                        after = iso_dates(s, date_order)
                        label = plan.date_labels.get(c)
                        if label is not None and after.null_count():  # the total row's label stays
                            after = pl.select(pl.when(s == label).then(s).otherwise(after)).to_series()
                        if after.null_count():
                            j = int(after.is_null().arg_max() or 0)
                            raise NotRegular(
                                f"column {c + 1}: {s[j]!r} is not a date"
                            )  # the exact path says so
                        changed = after != s
                        if changed.any():
                            key = (change_name(date_order), c)
                            tallies.setdefault(key, _Tally()).take(s, after, changed, rows)
                            new[f"c{c}"] = after
                    if new:
                        df = df.with_columns(**new)
                    # Written as Python's csv writer writes (QUOTE_MINIMAL): polars quotes the same values
                    # (a delimiter, a quote, a line break: none here) but an empty string too: make it null.
                    empty = [c for c in df.columns if (df[c] == "").any()]
                    if empty:
                        df = df.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in empty)
                    df.write_csv(
                        out,
                        include_header=False,
                        separator=",",
                        quote_style="necessary",
                        line_terminator="\n",
                    )
                    rows += n
                    records += n
            if by_loop is not None:
                written = len(by_loop.data)
            else:
                out.flush()
                written = out.tell() - out_at
            done.cuts.append((len(raw), written, records))
            done.rewrite_seconds += time.perf_counter() - t0
            # Each chunk goes to the verification once written: the one before it is by now.
            if written_before is not None:
                yield written_before
                written_before = None
            if by_loop is not None:
                written_before = (src_at, len(raw), out_at, written)
            else:
                yield src_at, len(raw), out_at, written
            src_at += len(raw)
            out_at += written
        writes.wait()
        if written_before is not None:
            yield written_before
    if width == 0:
        raise NotRegular("no header")
    for c, kinds in seen.items():
        if "comma" not in kinds and kinds & {"ambiguous-comma", "ambiguous-point"}:
            raise NotRegular(f"column {c + 1}: ambiguous numbers")
    rw.rows = rows + 1
    reading.bytes_high = high
    # In the order the exact path meets them: the header's trailing cells first, then by row.
    met: list[tuple[float, int, tuple[str, int | None], int, list[tuple[str, str]]]] = []
    if trimmed:
        met.append((-1.0, 0, ("drop-trailing-cells", None), trimmed, [(trailing_example(d, trailing), "")]))
    if named:
        met.append((-0.5, 0, ("header-named", None), len(named), _distinct(named)))
    if deduplicated:
        met.append((-0.5, 0, ("header-deduplicated", None), len(deduplicated), _distinct(deduplicated)))
    if dropped and first_drop is not None:
        met.append((first_drop, 0, ("drop-blank-lines", None), dropped, [(repr(""), "")]))
    for (name, c), t in tallies.items():
        if t.count:
            met.append((float(t.first_row), order[c], (name, c), t.count, list(t.examples)))
    for _row, _order, key, count, examples in sorted(met, key=lambda m: (m[0], m[1])):
        rw.per_column[key] = count
        rw.examples[key] = examples


def _decimal_column(
    s: pl.Series, c: int, nulls: bool, row0: int, seen: set[str], tallies: dict[tuple[str, int], _Tally]
) -> pl.Series:
    """Rewriter._convert on one decimal column of a chunk (comma convention)."""
    rare = ~s.str.contains(_PLAIN)  # not empty, digits, or the common 12,5
    # Ambiguous commas (1,234) matter only while no plain comma number has been met (`seen` is
    # read once the file is done): a column's later chunks skip the test.
    commas = s.str.contains(",", literal=True) & ~rare if "comma" not in seen else None
    if commas is not None and commas.any():
        ambiguous = s.filter(commas).str.contains(_AMBIGUOUS_COMMON)
        if ambiguous.any():
            seen.add("ambiguous-comma")
        if not ambiguous.all():
            seen.add("comma")
    after = s.str.replace(",", ".", literal=True)  # 12,5 → 12.5; empty values and digits unchanged
    null_hit = None
    if rare.any():
        idx = rare.arg_true()
        values = s.filter(rare)
        extra = pl.DataFrame({"v": values}).with_columns(
            null=pl.col("v").str.contains(_NULL) if nulls else pl.lit(False),
            kind=_kind(pl.col("v")),
        )
        kinds = set(extra.filter(~pl.col("null"))["kind"].drop_nulls().unique().to_list())
        if "point" in kinds:
            raise NotRegular(f"column {c + 1}: decimal points")
        seen.update(kinds)
        extra = extra.with_columns(
            new=pl.when(pl.col("null"))
            .then(pl.lit(""))
            .when(pl.col("kind").is_not_null() & (pl.col("kind") != "plain"))
            .then(_comma_number(pl.col("v")))
            .otherwise(pl.col("v"))
        )
        after = after.scatter(idx, extra["new"])
        if nulls and extra["null"].any():
            null_hit = pl.repeat(False, s.len(), dtype=pl.Boolean, eager=True).scatter(
                idx.filter(extra["null"]), True
            )
    changed = after != s
    if null_hit is not None:
        tallies.setdefault(("empty-null", c), _Tally()).take(s, after, null_hit, row0)
        changed = changed & ~null_hit
    tallies.setdefault(("decimal-point", c), _Tally()).take(s, after, changed, row0)
    return after


# -- the verification -----------------------------------------------------------------------------

_DATAVERSE_NUMBER = r"^[ \t]*[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[ \t]*$"
_NUMBER_PARTS = r"^([ \t]*)([+-]?)(.*?)((?:[eE][+-]?[0-9]+)?)([ \t]*)$"
_SEPARATORS = " \u00a0\u202f'."  # verify._decimal_ok's, comma convention


class Mismatch(Exception):
    pass


def _distinct(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first MAX_EXAMPLES distinct pairs, as Rewrite.count keeps them."""
    return list(dict.fromkeys(pairs))[:MAX_EXAMPLES]


def _times_ok(before: pl.Series, after: pl.Series) -> pl.Series:
    """verify._time_ok(before, after) on each pair, vectorised (written apart from the rewrite)."""
    parts = pl.col("b").str.extract_groups(
        r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$"
    )
    seconds = parts.struct.field("4").fill_null("00")
    expected = pl.concat_str(
        [
            parts.struct.field("1"),
            pl.lit(" "),
            parts.struct.field("2"),
            pl.lit(":"),
            parts.struct.field("3"),
            pl.lit(":"),
            seconds,
        ]
    )
    f = pl.DataFrame({"b": before, "a": after})
    return f.select((pl.col("a") == expected).fill_null(False)).to_series()


def _dated_ok(before: pl.Series, after: pl.Series, order: str) -> pl.Series:
    """verify._dated_ok on each pair, vectorised: a date column's values written as declared."""
    if order == TIME:
        return _times_ok(before, after)
    base = date_order(order)
    if base is None:
        return _dates_ok(before, after, order)
    b = pl.DataFrame({"v": before}).select(
        d=pl.col("v").str.extract(r"^(\S+) ", 1), c=pl.col("v").str.extract(r" (\S+)$", 1)
    )
    a = pl.DataFrame({"v": after}).select(
        d=pl.col("v").str.extract(r"^(\S+) ", 1), c=pl.col("v").str.extract(r" (\S+)$", 1)
    )
    parts = b["c"].str.extract_groups(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$")
    clock = (
        pl.DataFrame({"p": parts})
        .select(
            pl.concat_str(
                [
                    pl.col("p").struct.field("1"),
                    pl.lit(":"),
                    pl.col("p").struct.field("2"),
                    pl.lit(":"),
                    pl.col("p").struct.field("3").fill_null("00"),
                ]
            )
        )
        .to_series()
    )
    same_clock = (a["c"] == clock).fill_null(False)
    return same_clock & _dates_ok(b["d"].fill_null(""), a["d"].fill_null(""), base)


def _dates_ok(before: pl.Series, after: pl.Series, order: str) -> pl.Series:
    """verify._date_ok(before, after, order) on each pair, vectorised (written apart from the
    rewrite): the same three numbers, day and month in `order` unless the year comes first, and
    `after` a real date written yyyy-mm-dd."""
    f = pl.DataFrame({"b": before, "a": after})
    parts = pl.col("b").str.extract_groups(r"^([0-9]+)[/.\-]([0-9]+)[/.\-]([0-9]+)$")
    x, y, z = (parts.struct.field(k) for k in ("1", "2", "3"))
    year_first = x.str.len_chars() == 4
    dm = (y, x) if order == "mdy" else (x, y)
    year = pl.when(year_first).then(x).otherwise(z)
    month = pl.when(year_first).then(y).otherwise(dm[1])
    day = pl.when(year_first).then(z).otherwise(dm[0])
    a = pl.col("a")
    date = a.str.to_date("%Y-%m-%d", strict=False)
    ok = (
        a.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        & date.is_not_null()
        & ~a.str.starts_with("0000")
        & (year.str.len_chars() == 4)
        & (date.dt.year() == year.cast(pl.Int32, strict=False))
        & (date.dt.month() == month.cast(pl.Int32, strict=False))
        & (date.dt.day() == day.cast(pl.Int32, strict=False))
    )
    return f.select(ok.fill_null(False)).to_series()


def _decimal_ok(before: pl.Series, after: pl.Series) -> pl.Series:
    """verify._decimal_ok(before, after, "comma"), vectorised (written apart from the rewrite)."""
    f = pl.DataFrame({"b": before, "a": after})
    simple = f["b"].str.contains(r"^[0-9]*,[0-9]*$") & (f["b"].str.len_chars() > 1)
    ok = simple & (f["a"] == f["b"].str.replace(",", ".", literal=True))
    rest = ~simple
    if not rest.any():
        return ok
    g = f.filter(rest)
    bp = g["b"].str.extract_groups(_NUMBER_PARTS)
    ap = g["a"].str.extract_groups(_NUMBER_PARTS)
    b3, a3 = bp.struct.field("3").fill_null(""), ap.struct.field("3").fill_null("")
    has_mark = b3.str.contains(",", literal=True)
    b_int = pl.select(pl.when(has_mark).then(b3.str.extract(r"^(.*),", 1)).otherwise(b3)).to_series()
    b_dec = pl.select(
        pl.when(has_mark).then(b3.str.extract(r",([^,]*)$", 1)).otherwise(pl.lit(""))
    ).to_series()
    a_int = a3.str.extract(r"^([^.]*)", 1)
    a_dec = a3.str.extract(r"^[^.]*\.(.*)$", 1).fill_null("")
    stripped = b_int
    for ch in _SEPARATORS:
        stripped = stripped.str.replace_all(ch, "", literal=True)
    good = (
        g["a"].str.contains(_DATAVERSE_NUMBER)
        & bp.struct.field("1").is_not_null()
        & ap.struct.field("1").is_not_null()
    ).fill_null(False)
    for part in ("1", "2", "4", "5"):
        good = good & (bp.struct.field(part) == ap.struct.field(part)).fill_null(False)
    good = good & (b_dec == a_dec).fill_null(False)
    good = (
        good
        & (stripped == a_int).fill_null(False)
        & (b_int.str.strip_chars(_SEPARATORS) == b_int).fill_null(False)
    )
    return ok.scatter(rest.arg_true(), good)


def _source_fields(data: bytes, d: str, width: int) -> pl.DataFrame:
    """A source chunk (its text in UTF-8) split again, without the rewrite's parser: the delimiters
    and line feeds between an odd and an even quote (quote parity over the chunk) are inside values;
    they are hidden behind bytes the chunk does not hold, then polars splits every line at every
    delimiter with no quote handling, after the delimiters and lines are counted in the bytes.
    NotRegular unless every record has `width` fields, each value unquoted without a quote, or
    quoted whole with its quotes doubled: the exact path rewrites the file then."""
    if bytecounts.lone_cr(data):
        raise NotRegular("a CR alone in the source")
    db = d.encode()
    hidden, marks = _hide_quoted(data, db) if b'"' in data else (data, None)
    n = _lines(hidden)
    if bytecounts.count(hidden, db[0]) != (width - 1) * n:
        raise NotRegular("a source record of another width")
    try:
        df = pl.read_csv(
            io.BytesIO(hidden),
            has_header=False,
            separator=d,
            quote_char=None,
            schema=_schema(width),
            raise_if_empty=False,
        ).fill_null("")
    except Exception as e:  # a line with more fields (then another has fewer)
        raise NotRegular("a source record of another width") from e
    if df.height != n:
        raise NotRegular("the source lines were not all read")
    last = df.columns[-1]
    df = df.with_columns(pl.col(last).str.strip_suffix("\r"))
    if marks is None:
        return df
    hidden_d, hidden_lf = marks
    quoted = [
        c
        for c, has in zip(
            df.columns, df.select(pl.all().str.contains('"', literal=True).any()).row(0), strict=True
        )
        if has
    ]
    bad = df.select(
        pl.any_horizontal(
            ~pl.col(c).str.contains(_QUOTED_WHOLE) & pl.col(c).str.contains('"', literal=True) for c in quoted
        ).any()
    ).item()
    if bad:
        raise NotRegular("a quote inside a source value")
    unquoted = {}
    for c in quoted:  # what is hidden is inside quotes: only quoted values show it again
        v = pl.col(c)
        inner = (
            v.str.slice(1, v.str.len_chars() - 2)
            .str.replace_all('""', '"', literal=True)
            .str.replace_all(hidden_d, d, literal=True)
            .str.replace_all(hidden_lf, "\n", literal=True)
        )
        unquoted[c] = pl.when(v.str.starts_with('"')).then(inner).otherwise(v)
    return df.with_columns(**unquoted)


def _hide_quoted(data: bytes, db: bytes) -> tuple[bytes, tuple[str, str]]:
    """`data` with each delimiter and line feed inside quotes (an odd number of quotes before it)
    replaced by a byte `data` does not hold, and those two bytes; NotRegular when a quote is left
    open or no two bytes are free."""
    import numpy as np

    from tabcheck.scan.structure import quoted_positions

    b = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(b == ord('"'))
    if len(quotes) % 2:
        raise NotRegular("a quote left open at the end of a source chunk")
    free = [x for x in _FREE_BYTES if bytes([x]) not in data][:2]
    if len(free) < 2:
        raise NotRegular("no free byte to hide quoted delimiters and line feeds")
    out = b.copy()
    for byte, mark in ((db[0], free[0]), (ord("\n"), free[1])):
        out[quoted_positions(b, quotes, byte)] = mark
    return out.tobytes(), (chr(free[0]), chr(free[1]))


def _output_fields(data: bytes, width: int, n: int) -> pl.DataFrame:
    try:
        df = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=",",
            quote_char='"',
            schema=_schema(width),
            raise_if_empty=False,
        ).fill_null("")
    except Exception as e:
        raise Mismatch(f"the output cannot be re-read: {e}") from e
    lfs = bytecounts.count(data, _LF)
    # As many line feeds as records: none inside a value (counted only when there are more).
    inside = (
        0
        if lfs == n
        else df.select(pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).sum())).item()
    )
    if df.height != n or lfs != n + inside or (n and not data.endswith(b"\n")):
        raise Mismatch("the output holds another number of records")
    return df


def _round_trip_chunk(chunk: bytes, text: str, reading: Reading, bom: bool) -> bool:
    if reading.errors == MIXED_STRICT:
        return mixed_round_trip(chunk)
    codec = codecs.lookup(reading.codec).name
    if codec == "utf-8" or _one_to_one(codec):
        return True  # strict decoding was one-to-one: the decoded text gives back every byte
    return (("\ufeff" if bom else "") + text).encode(codec) == chunk


@cache
def _one_to_one(codec: str) -> bool:
    """A single-byte codec whose every byte decodes (strictly) to its own character, which encodes
    back to that byte: its strict decoding of any bytes gives back those bytes when encoded (the
    whole-file encoding of the exact path's round trip, proved once over the 256 bytes)."""
    seen: set[str] = set()
    for b in range(256):
        try:
            ch = bytes([b]).decode(codec)
        except UnicodeDecodeError:
            continue  # never decoded: a strict reading refuses the file
        except Exception:  # noqa: BLE001 - not a single-byte codec
            return False
        if len(ch) != 1 or ch in seen or ch.encode(codec) != bytes([b]):
            return False
        seen.add(ch)
    return True


def mixed_round_trip(data: bytes) -> bool:
    from tabcheck.fix.verify import mixed_line_round_trip

    return all(mixed_line_round_trip(line) for line in io.BytesIO(data))


class _Verifier:
    """The verification of one rewrite, chunk after chunk as the rewrite writes them (see the module)."""

    def __init__(
        self,
        source: Path,
        output: Path,
        reading: Reading,
        plan: Plan,
        loops: Loops | None = None,
        trailing: int = 0,
        lines_width: int = 0,
    ) -> None:
        self.source, self.output = source, output
        self.trailing = trailing  # empty cells at the end of every line of the source, dropped
        self.lines_width = lines_width  # the source's: its empty lines and rows dropped (0: none)
        self.blank = self.empty = 0  # empty lines and rows of empty cells dropped
        self.empty_rows = plan.drop_empty_rows  # rows of empty cells are dropped too
        self.loops = loops  # compiled loops for the chunks after the header's (fix/loops.py)
        self.reading = Reading(reading.codec, reading.errors, reading.delimiter)  # decoded again
        self.decimal = set(plan.decimal_columns)
        self.nulls = set(plan.null_columns)
        self.dates = dict(plan.date_columns)
        self.counts: dict[tuple[str, int | None], int] = {}
        self.round_trip = True
        self.rows = self.cells = 0
        self.width = 0
        self.src_at = self.out_at = 0  # where the next chunk must start: the chunks tile both files
        self.seconds = 0.0
        self.round_trip_checked = False
        self.looped = 0  # chunks compared by the compiled loop

    def chunk(self, k: int, src_at: int, src_len: int, out_at: int, out_len: int, n: int, width: int) -> None:
        """Compare one chunk: Mismatch at the first difference, NotRegular when the source is not regular."""
        t0 = time.perf_counter()
        if (src_at, out_at) != (self.src_at, self.out_at):
            raise Mismatch(f"chunk {k + 1} does not follow the one before")
        self.src_at, self.out_at = src_at + src_len, out_at + out_len
        self.width = width
        with open(self.source, "rb") as src, open(self.output, "rb") as out:
            chunk = os.pread(src.fileno(), src_len, src_at)
            data = os.pread(out.fileno(), out_len, out_at)
        if len(chunk) != src_len or len(data) != out_len:
            raise Mismatch("the source or the output changed while it was fixed")
        if not chunk.endswith(b"\n") and src_at + src_len != self.source.stat().st_size:
            raise Mismatch(f"chunk {k + 1} does not end at a line end")
        if self.lines_width:
            chunk, blank, empty, _first = without_empty_lines(
                chunk, self.reading.delimiter.encode("ascii"), self.lines_width, self.empty_rows
            )
            self.blank, self.empty = self.blank + blank, self.empty + empty
            if blank + empty:
                key = ("drop-blank-lines", None)
                self.counts[key] = self.counts.get(key, 0) + blank + empty
        if self.trailing:
            try:
                chunk, lines = without_trailing(chunk, self.reading.delimiter.encode("ascii"), self.trailing)
            except NotRegular as e:
                raise Mismatch(f"chunk {k + 1}: {e}") from e
            key = ("drop-trailing-cells", None)
            self.counts[key] = self.counts.get(key, 0) + lines
        counted = self.loops.verify(chunk, data, width, n) if self.loops is not None and k > 0 else None
        if counted is not None:  # compared by the loop: each value equal or a declared change
            for key, hits in counted.items():
                self.counts[key] = self.counts.get(key, 0) + hits
            self.rows += n
            self.cells += n * width
            self.seconds += time.perf_counter() - t0
            self.looped += 1
            return
        try:
            text, utf8, bom = _decode(chunk, self.reading, k == 0)
        except NotRegular as e:
            raise Mismatch("the source cannot be decoded again") from e
        self.round_trip = self.round_trip and _round_trip_chunk(chunk, text, self.reading, bom)
        src_df = _source_fields(utf8, self.reading.delimiter, width)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Mismatch("the output is not UTF-8") from e
        out_df = _output_fields(data, width, n)
        if src_df.height != n:
            raise Mismatch(f"chunk {k + 1}: {src_df.height} source records, {n} output records")
        if k == 0:
            names = [src_df[f"c{i}"][0] for i in range(width)], [out_df[f"c{i}"][0] for i in range(width)]
            try:
                for change in header_changes(*names):
                    self.counts[(change, None)] = self.counts.get((change, None), 0) + 1
            except ValueError as e:
                raise Mismatch(str(e)) from e
        for i in range(width):
            s, o = src_df[f"c{i}"], out_df[f"c{i}"]
            diff = s != o
            if k == 0 and diff[0]:
                diff = diff.scatter(0, False)  # the header: checked above
            if not diff.any():
                continue
            left = diff
            if i in self.decimal:
                ok = _decimal_ok(s.filter(left), o.filter(left))
                self._count("decimal-point", i, ok)
                if ok.all():
                    continue
                left = left.scatter(left.arg_true(), ~ok)
            if i in self.nulls and left.any():
                hit = left & s.str.contains(_NULL) & (o == "")
                self._count("empty-null", i, hit)
                left = left & ~hit
            if i in self.dates and left.any():
                order = self.dates[i]
                hit = left & _dated_ok(s, o, order)
                self._count(change_name(order), i, hit)
                left = left & ~hit
            if left.any():
                j = int(left.arg_max() or 0)
                raise Mismatch(
                    f"column {i + 1}: the source value {s[j]!r} became {o[j]!r}, not a declared transformation"
                )
        self.rows += n
        self.cells += n * width
        self.seconds += time.perf_counter() - t0

    def _count(self, name: str, column: int, hit: pl.Series) -> None:
        self.counts[(name, column)] = self.counts.get((name, column), 0) + int(hit.sum())

    def finish(self, rw: Rewrite, facts: FileFacts) -> None:
        """The whole files were compared; the counts agree with the rewrite's and the check's."""
        if self.src_at != self.source.stat().st_size or self.out_at != self.output.stat().st_size:
            raise Mismatch("the output or the source has bytes the verification did not compare")
        expected = {key: n for key, n in rw.per_column.items() if n}
        counts = {key: n for key, n in self.counts.items() if n}
        if counts != expected:
            raise Mismatch(f"counts differ: rewrite {expected}, verification {counts}")
        if self.rows != rw.rows:
            raise Mismatch(f"the rewrite wrote {rw.rows} records, the verification compared {self.rows}")
        view = facts.table.user if facts.table is not None else None
        widths = {self.width + self.trailing}  # the check counted the source's cells, empty ones too
        if self.blank and not view_skips_blank_lines(view):
            widths.add(1)  # the empty lines: records of one empty field for the check
        # The check counted the rows of empty cells as records, and the empty lines unless skipped;
        # it found as many of them by its own reading (rows of quoted empty cells it does not count).
        dropped = self.empty + (0 if view_skips_blank_lines(view) else self.blank)
        if (
            view is not None
            and self.lines_width
            and (
                self.empty < view.empty_rows.count
                or (not view_skips_blank_lines(view) and self.blank != view.blank_lines.count)
            )
        ):
            raise Mismatch(
                f"the check found {view.blank_lines.count} empty lines and {view.empty_rows.count} rows "
                f"of empty cells, the fix dropped {self.blank} and {self.empty}"
            )
        if view is not None and (view.records + 1 != self.rows + dropped or set(view.field_counts) - widths):
            raise Mismatch(
                f"the check counted {view.records + 1} records of {sorted(view.field_counts)} fields, "
                f"the fix {self.rows} of {self.width}"
            )
        self.round_trip_checked = True
        if not self.round_trip:
            raise Mismatch(f"the {self.reading.codec} transcoding does not give back the original bytes")


def view_skips_blank_lines(view: Any) -> bool:
    """Whether the check's view skips empty lines (a TSV, as Dataverse's TDF reader does)."""
    return bool(view is not None and view.skip_empty_lines)


def fix(
    source: Path,
    output: Path,
    plan: Plan,
    reading: Reading,
    facts: FileFacts,
    progress: Callable[[int, int], None] | None,
    overlap: bool = True,
) -> tuple[FastRewrite, Verification]:
    """Rewrite `source` into `output` and verify it, chunk by chunk; with `overlap`, each chunk is
    verified (in a thread: polars works without the GIL) while the next one is rewritten. The output
    file only grows: every byte is verified after it was written. NotRegular: the exact path fixes
    the file from the start."""
    t0 = time.perf_counter()
    view = facts.table.user if facts.table is not None else None
    multiline = view is not None and view.quoted_lf.count > 0  # records span lines
    done = FastRewrite(Rewrite())
    loops = Loops.for_file(
        source.stat().st_size,
        reading.codec,
        reading.errors,
        reading.delimiter,
        plan.decimal_columns,
        plan.null_columns,
        plan.date_columns,
    )
    header = view.header if view is not None and view.header is not None else []
    trailing = len(header) - plan.keep_width if plan.keep_width is not None else 0
    # Empty lines and rows to drop, as the check found them (a TSV's empty lines are no records:
    # its physical lines say them); none found, no chunk is searched for them.
    table = facts.table
    blanks = view is not None and (
        view.blank_lines.count
        or view.empty_rows.count
        or (view.skip_empty_lines and table is not None and table.physical_lines > view.records + 1)
    )
    lines_width = len(header) if blanks and not multiline else 0
    verifier = _Verifier(source, output, reading, plan, loops, trailing, lines_width)
    v = Verification(ok=False)
    pending: deque[Future[None]] = deque()
    mismatch: Mismatch | None = None

    def settle(keep: int) -> None:
        nonlocal mismatch
        while len(pending) > keep:
            try:
                pending.popleft().result()
            except Mismatch as e:
                mismatch = mismatch or e

    with ThreadPoolExecutor(1) as pool, open(output, "wb") as out:
        try:
            for k, (src_at, src_len, out_at, out_len) in enumerate(
                _rewrite_chunks(
                    source, out, plan, reading, progress, done, multiline, loops, trailing, lines_width
                )
            ):
                if mismatch is not None:
                    continue  # the output fails: the rewrite only goes on to count its changes
                args = (k, src_at, src_len, out_at, out_len, done.cuts[k][2], done.rw.width)
                if overlap:
                    pending.append(pool.submit(verifier.chunk, *args))
                    settle(1)  # one chunk verified while the next is rewritten: memory stays bounded
                else:
                    try:
                        verifier.chunk(*args)
                    except Mismatch as e:
                        mismatch = e
            settle(0)
        except BaseException:
            for f in pending:
                f.cancel()
            with contextlib.suppress(Exception):
                settle(0)
            raise
    try:
        if mismatch is not None:
            raise mismatch
        verifier.finish(done.rw, facts)
        v.ok = True
    except Mismatch as e:
        v.detail = str(e)
    v.rows, v.cells = verifier.rows, verifier.cells
    v.round_trip = verifier.round_trip if verifier.round_trip_checked else None
    done.verify_seconds = verifier.seconds
    done.verified_by_loop = verifier.looped
    done.wall_seconds = time.perf_counter() - t0
    return done, v
