"""The compiled loops of the scan (numba): a chunk in a single-byte encoding transcoded to UTF-8,
and a chunk's CRLF line ends made LF.

Python's codecs decode and encode a 6 MB chunk of a Windows-1252 export in about 14 ms with the
interpreter lock held, while the scan's other threads wait for it; this loop takes 2 to 5 ms
without the lock, eight ASCII bytes at a time. It is used only where numba is loaded already (`fix`
loads it for its own loops before it checks a large file): loading it for this alone would cost
more than it saves. tests/test_scan_transcode_loop.py holds it to Python's codecs, and the CRLF
loop to a bytes replace (numpy's three passes and copy take about 6 ms for 6 MB, the loop 2).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tabcheck.codebook._jit import _jit, _load_word, _store_word

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


CR = np.uint64(0x0D0D0D0D0D0D0D0D)
ONES = np.uint64(0x0101010101010101)


@_jit
def crlf_to_lf(src: np.ndarray, out: np.ndarray) -> int:
    """Bytes written to `out` (as long as `src`): `src` with each CR before a LF dropped; -1 when a
    CR stands alone (the last byte, or not before a LF). Eight bytes at a time where none is a CR
    (a word XOR CRs has no zero byte: the exact test `(x - ONES) & ~x & HIGH == 0`)."""
    n = len(src)
    i = o = 0
    while i < n:
        if i + 8 <= n:
            word = _load_word(src, i)
            x = word ^ CR
            if (x - ONES) & ~x & HIGH == 0:
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


KERNELS: dict[str, Any] = {"scan_transcode": transcode, "scan_crlf_to_lf": crlf_to_lf}


def warm_up() -> None:
    transcode(
        np.frombuffer(b"caf\xe9", dtype=np.uint8),
        np.zeros((256, 4), dtype=np.uint8),
        np.zeros(32, dtype=np.uint8),
    )
    crlf_to_lf(np.frombuffer(b"a\r\n", dtype=np.uint8), np.zeros(16, dtype=np.uint8))
