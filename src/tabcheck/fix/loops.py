"""The compiled loops of fix/_jit.py as fix/fast.py calls them: one regular chunk at a time.

A file takes them when it is large enough to pay for loading them (kernels.MIN_BYTES), numba is
there, and its encoding is UTF-8 or a single-byte encoding whose decoding is one-to-one (then an
output that encodes back to the source's bytes is its decoding, and nothing else). Each call gives
None when the loop gave the chunk back: fix/fast.py's polars path then takes that chunk.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from tabcheck import kernels

KINDS = ("decimal-point", "empty-null", "iso-date", "iso-time")  # the loops' change kinds 0 to 3


@dataclass
class Changes:
    """One kind of change in one column of a chunk: how many, the first one's row in the chunk,
    the first distinct (before, after) samples."""

    count: int
    first_row: int
    examples: list[tuple[str, str]]


@dataclass
class Rewritten:
    data: np.ndarray  # the chunk's output: this thread's buffer, valid until the next chunk
    records: int
    high: int  # source bytes >= 0x80 (transcode's count)
    changes: dict[tuple[str, int], Changes] = field(default_factory=dict)
    shows: dict[int, set[str]] = field(default_factory=dict)  # the kinds each decimal column showed


@cache
def _tables(codec: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(each byte's UTF-8 by the decoder, each code point's byte by the encoder), or None when the
    loops cannot hold the encoding (a character beyond three UTF-8 bytes)."""
    utf8 = np.zeros((256, 4), dtype=np.uint8)
    back = np.full(0x10000, -1, dtype=np.int16)
    if codec == "utf-8":  # copied as they are (the chunk is decoded strictly beforehand)
        utf8[:, 0] = 1
        utf8[:, 1] = np.arange(256)
        return utf8, back
    for b in range(256):
        try:
            ch = bytes([b]).decode(codec)
        except UnicodeDecodeError:
            continue  # left undefined: a chunk holding it goes to the polars path, which refuses it
        encoded = ch.encode("utf-8")
        if len(ch) != 1 or len(encoded) > 3:
            return None
        utf8[b, 0] = len(encoded)
        utf8[b, 1 : 1 + len(encoded)] = list(encoded)
        try:
            again = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(again) == 1:
            back[ord(ch)] = again[0]
    return utf8, back


@cache
def _groups(codec: str) -> np.ndarray:
    """The one-byte thousands separators of a decimal comma (repairs._GROUP_CHARS) in `codec`:
    space, point, apostrophe, and the bytes a single-byte encoding decodes to a no-break space or a
    narrow one (in UTF-8 those are two and three bytes: the loops read them themselves)."""
    from tabcheck.fix.repairs import _GROUP_CHARS

    groups = np.zeros(256, dtype=np.uint8)
    for c in _GROUP_CHARS:
        if c.isascii():
            groups[ord(c)] = 1
    if codec != "utf-8":
        for b in range(0x80, 256):
            try:
                ch = bytes([b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if ch in _GROUP_CHARS:
                groups[b] = 1
    return groups


@dataclass
class Loops:
    rewrite_loop: Callable[..., Any]
    verify_loop: Callable[..., Any]
    codec: str
    delimiter: int
    decimal: frozenset[int]
    nulls: frozenset[int]
    dates: dict[int, str]  # date column -> the order of its day and month (dmy, mdy, ymd)
    utf8: np.ndarray
    back: np.ndarray
    utf8_source: bool
    groups: np.ndarray

    @classmethod
    def for_file(
        cls,
        size: int,
        codec: str,
        errors: str,
        delimiter: str,
        decimal: set[int],
        nulls: set[int],
        dates: dict[int, str] | None = None,
    ) -> Loops | None:
        """The loops for a file, or None when it is fixed without them (see the module)."""
        from tabcheck.fix.fast import _ascii_compatible, _one_to_one

        if size < kernels.MIN_BYTES or errors != "strict" or len(delimiter.encode()) != 1:
            return None
        try:
            name = codecs.lookup(codec).name
        except LookupError:
            return None
        utf8_source = name == "utf-8"
        if not utf8_source and not (_ascii_compatible(name) and _one_to_one(name)):
            return None
        tables = _tables(name)
        rewrite, verify = kernels.kernel("fix_rewrite"), kernels.kernel("fix_verify")
        if tables is None or rewrite is None or verify is None:
            return None
        return cls(
            rewrite,
            verify,
            name,
            delimiter.encode()[0],
            frozenset(decimal),
            frozenset(nulls),
            dict(dates or {}),
            *tables,
            utf8_source,
            _groups(name),
        )

    def _roles(self, chunk: bytes, width: int) -> np.ndarray | None:
        """Each column's roles for the loops, or None when they cannot take the chunk (a planned
        column beyond the header, or a UTF-8 file's chunk that is not UTF-8: the polars path says so)."""
        from tabcheck.fix._jit import DATE, DECIMAL, ISO_TIME, MONTH_FIRST, NULL, TIMED
        from tabcheck.fix.dates import TIME, is_time

        if any(c >= width for c in self.decimal | self.nulls | set(self.dates)):
            return None
        if self.utf8_source:
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return None
        roles = np.zeros(width, dtype=np.int8)
        for c in self.decimal:
            roles[c] |= DECIMAL
        for c in self.nulls:
            roles[c] |= NULL
        for c, order in self.dates.items():
            roles[c] |= DATE | (MONTH_FIRST if order.startswith("mdy") else 0)
            if order == TIME:
                roles[c] |= TIMED | ISO_TIME
            elif is_time(order):
                roles[c] |= TIMED
        return roles

    def rewrite(self, chunk: bytes, width: int, slot: int = 0) -> Rewritten | None:
        """The chunk's records (no header) rewritten, or None: the polars path takes the chunk.
        The bytes are in buffer `slot` (0 or 1), valid until its next rewrite: one chunk is written
        from one while the next is rewritten into the other."""
        from tabcheck.fix._jit import OK, SAMPLES, SAW_AMBIGUOUS, SAW_COMMA

        roles = self._roles(chunk, width)
        if roles is None:
            return None
        src = np.frombuffer(chunk, dtype=np.uint8)
        out = kernels.scratch(f"fix-rewrite-{slot}", 3 * len(chunk) + 16)
        kinds = len(KINDS)
        counts = np.zeros((width, kinds), dtype=np.int64)
        first = np.full((width, kinds), -1, dtype=np.int64)
        samples = np.zeros((width, kinds, SAMPLES, 4), dtype=np.int64)
        kept = np.zeros((width, kinds), dtype=np.int64)
        shows = np.zeros(width, dtype=np.int64)
        status, size, records, high = self.rewrite_loop(
            src,
            self.delimiter,
            width,
            roles,
            self.utf8,
            out,
            counts,
            first,
            samples,
            kept,
            shows,
            self.groups,
            self.utf8_source,
        )
        if status != OK:
            return None
        done = Rewritten(out[:size], records, high)
        for c, kind in zip(*np.nonzero(counts), strict=True):
            examples = []
            for s in range(kept[c, kind]):
                sa, sb, oa, ob = (int(x) for x in samples[c, kind, s])
                examples.append((chunk[sa:sb].decode(self.codec), out[oa:ob].tobytes().decode("utf-8")))
            done.changes[(KINDS[kind], int(c))] = Changes(int(counts[c, kind]), int(first[c, kind]), examples)
        for c in self.decimal:
            done.shows[c] = {
                name
                for bit, name in ((SAW_COMMA, "comma"), (SAW_AMBIGUOUS, "ambiguous-comma"))
                if shows[c] & bit
            }
        return done

    def verify(
        self, chunk: bytes, data: bytes, width: int, records: int
    ) -> dict[tuple[str, int], int] | None:
        """The declared changes counted in a chunk's output (no header) compared with its source, or
        None: the polars path verifies the chunk (and finds what differs)."""
        from tabcheck.fix._jit import OK

        roles = self._roles(chunk, width)
        if roles is None:
            return None
        counts = np.zeros((width, len(KINDS)), dtype=np.int64)
        status, rows = self.verify_loop(
            np.frombuffer(chunk, dtype=np.uint8),
            np.frombuffer(data, dtype=np.uint8),
            self.delimiter,
            width,
            roles,
            self.back,
            self.utf8_source,
            counts,
            self.groups,
        )
        if status != OK or rows != records:
            return None
        return {
            (KINDS[kind], int(c)): int(counts[c, kind]) for c, kind in zip(*np.nonzero(counts), strict=True)
        }
