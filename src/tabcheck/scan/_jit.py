"""The compiled loops of the scan (numba): a chunk in a single-byte encoding transcoded to UTF-8,
a chunk's CRLF line ends made LF, and a plain chunk's counts (lines, delimiters outside quotes).

Python's codecs decode and encode a 6 MB chunk of a Windows-1252 export in about 14 ms with the
interpreter lock held, while the scan's other threads wait for it; this loop takes 2 to 5 ms
without the lock, eight ASCII bytes at a time. It is used only where numba is loaded already (`fix`
loads it for its own loops before it checks a large file): loading it for this alone would cost
more than it saves. tests/test_scan_transcode_loop.py holds it to Python's codecs, and the CRLF
loop to a bytes replace (numpy's three passes and copy take about 6 ms for 6 MB, the loop 2);
tests/test_scan_bytes.py holds the counting loop to the bytes methods.
"""

# ruff: noqa: SIM109 - numba compiles `a == x or a == y` to two comparisons; `a in (x, y)` builds a tuple
from __future__ import annotations

from typing import Any

import numpy as np

from tabcheck.codebook._jit import _inline, _jit, _load_word, _store_word

HIGH = np.uint64(0x8080808080808080)  # a word of eight ASCII bytes has none of these bits


@_jit
def transcode(src: np.ndarray, utf8: np.ndarray, out: np.ndarray) -> int:
    """Bytes written to `out` (3 bytes a source byte and 8 more): each byte of `src` in UTF-8, as
    `utf8[byte]` = (length, UTF-8 bytes) gives it."""
    n = len(src)
    i = o = 0
    while i < n:
        if i + 8 <= n:
            word = _load_word(src, i)
            if word & HIGH == 0:
                _store_word(out, o, word)
                i += 8
                o += 8
                continue
        c = src[i]
        if c < 0x80:
            out[o] = c
            o += 1
        else:
            size = utf8[c, 0]
            for m in range(size):
                out[o + m] = utf8[c, 1 + m]
            o += size
        i += 1
    return o


CRS = np.uint64(0x0D0D0D0D0D0D0D0D)
ONES = np.uint64(0x0101010101010101)
QUOTES = np.uint64(0x2222222222222222)
LFS = np.uint64(0x0A0A0A0A0A0A0A0A)
LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
QUOTE, LF, CR = 34, 10, 13


@_inline
def _zeros(x: np.uint64) -> np.uint64:
    """0x80 in each byte of `x` that is zero, nothing elsewhere (exact: no borrow between bytes)."""
    return ~(((x & LOW7) + LOW7) | x) & HIGH


@_inline
def _marks(m: np.uint64) -> int:
    """How many bytes `_zeros` marked: the marks summed into the top byte."""
    return int(((m >> np.uint64(7)) * ONES) >> np.uint64(56))


@_jit
def crlf_to_lf(src: np.ndarray, out: np.ndarray) -> int:
    """Bytes written to `out` (as long as `src`): `src` with each CR before a LF dropped; -1 when a
    CR stands alone (the last byte, or not before a LF). Eight bytes at a time where none is a CR."""
    n = len(src)
    i = o = 0
    while i < n:
        if i + 8 <= n:
            word = _load_word(src, i)
            if _zeros(word ^ CRS) == 0:
                _store_word(out, o, word)
                i += 8
                o += 8
                continue
        c = src[i]
        i += 1
        if c == 13:
            if i < n and src[i] == 10:
                continue  # the LF after it is copied next
            return -1
        out[o] = c
        o += 1
    return o


@_jit
def plain_counts(a: np.ndarray, d: int) -> tuple[bool, int, int, bool]:
    """(plain, lines, delimiters outside quotes, an empty line) of a view with LF line ends, as
    csv._plain_counts_by_bytes says them, `d` the delimiter. Plain:
    each quote opens a value (at the view's start, after a delimiter, a line break or the quote
    that closed the value before it: a doubled quote), and closes it before the next delimiter,
    line break, quote or the end, with no line break between; quotes no denser than one byte in
    16. Words of eight bytes without a quote or a CR are counted whole."""
    n = len(a)
    ds = ONES * np.uint64(d)  # the delimiter in each byte of a word
    lines = delimiters = quotes = 0
    blank = n > 0 and a[0] == LF
    closed = -2  # the last closing quote's position
    i = 0
    while i < n:
        if i + 8 <= n:
            word = _load_word(a, i)
            if _zeros(word ^ QUOTES) | _zeros(word ^ CRS) == 0:
                feeds = _zeros(word ^ LFS)
                if feeds:
                    lines += _marks(feeds)
                    if feeds & (feeds << np.uint64(8)) or (feeds & np.uint64(0x80) and i and a[i - 1] == LF):
                        blank = True
                delimiters += _marks(_zeros(word ^ ds))
                i += 8
                continue
        c = a[i]
        if c == QUOTE:
            if i and not (a[i - 1] == d or a[i - 1] == LF or a[i - 1] == CR or closed == i - 1):
                return False, 0, 0, False  # a quote inside a value
            j = i + 1
            while j < n and a[j] != QUOTE:
                if j + 8 <= n:
                    word = _load_word(a, j)
                    if _zeros(word ^ QUOTES) | _zeros(word ^ LFS) | _zeros(word ^ CRS) == 0:
                        j += 8
                        continue
                if a[j] == LF or a[j] == CR:
                    return False, 0, 0, False  # a line break inside quotes
                j += 1
            if j == n:
                return False, 0, 0, False  # a quote left open
            quotes += 2
            closed = j
            if j + 1 < n:
                after = a[j + 1]
                if not (after == d or after == LF or after == CR or after == QUOTE):
                    return False, 0, 0, False  # text after a closing quote
            i = j + 1
            continue
        if c == LF:
            lines += 1
            if i and a[i - 1] == LF:
                blank = True
        elif c == d:
            delimiters += 1
        i += 1
    if quotes * 16 > n:
        return False, 0, 0, False
    return True, lines + (0 if n and a[n - 1] == LF else 1), delimiters, blank


KERNELS: dict[str, Any] = {
    "scan_transcode": transcode,
    "scan_crlf_to_lf": crlf_to_lf,
    "scan_plain_counts": plain_counts,
}


def warm_up() -> None:
    transcode(
        np.frombuffer(b"caf\xe9", dtype=np.uint8),
        np.zeros((256, 4), dtype=np.uint8),
        np.zeros(32, dtype=np.uint8),
    )
    crlf_to_lf(np.frombuffer(b"a\r\n", dtype=np.uint8), np.zeros(16, dtype=np.uint8))
    plain_counts(np.frombuffer(b'a,"b"\n', dtype=np.uint8), 44)
