"""What Python's UTF-8 decoder makes of a chunk, counted with numpy: its characters and replacements
(and, for a valid chunk, its characters after polars' validation: `valid_characters`).

The scan needs, for each chunk, the length in characters of `chunk.decode("utf-8", "replace")`
(message positions count characters), how many U+FFFD that decoding puts in, and where the first
invalid byte is. Decoding a Windows-1252 chunk that way calls the error handler at every accented
letter and holds the interpreter lock all along; these counts come from the non-ASCII bytes alone,
with the lock released.

The decoder replaces each maximal subpart of an ill-formed sequence with one U+FFFD (Unicode's
recommended practice): a lead byte followed by the continuation bytes that can still start a valid
sequence (E0 wants A0-BF next, ED 80-9F, F0 90-BF, F4 80-8F), or a byte that starts no sequence (a
continuation byte no lead byte claims, C0, C1, F5-FF). Lead bytes and continuation bytes never
overlap, so each lead byte's subpart is read from the bytes that follow it, independently.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tabcheck.scan.bytecounts import BLOCK, high_in

# Per lead byte: continuation bytes it needs, and the range its first one must fall in.
_NEEDS = np.zeros(256, dtype=np.int8)
_NEEDS[0xC2:0xE0], _NEEDS[0xE0:0xF0], _NEEDS[0xF0:0xF5] = 1, 2, 3
_FIRST_LOW = np.full(256, 0x80, dtype=np.uint8)
_FIRST_HIGH = np.full(256, 0xBF, dtype=np.uint8)
_FIRST_LOW[0xE0], _FIRST_HIGH[0xED], _FIRST_LOW[0xF0], _FIRST_HIGH[0xF4] = 0xA0, 0x9F, 0x90, 0x8F


_PIECE = 1 << 20  # bytes counted at a time: the position arrays stay small whatever the text


def utf8_counts(data: bytes | np.ndarray) -> tuple[int, int, int]:
    """(characters of data.decode("utf-8", "replace"), U+FFFD it adds, offset of the first
    invalid byte or -1), as Python's decoder gives them.

    Counted in pieces of about _PIECE bytes, each cut before a byte that continues no sequence
    (ASCII, a lead byte, a byte that starts none): the decoder reads each piece as it reads it in
    the whole, since a subpart ends at such a byte."""
    a = np.frombuffer(data, dtype=np.uint8)
    characters = replacements = 0
    first = -1
    start = 0
    while start < len(a):
        end = min(start + _PIECE, len(a))
        while end < len(a):
            free = np.flatnonzero((a[end : end + 4096] & 0xC0) != 0x80)
            if len(free):
                end += int(free[0])
                break
            end += 4096
        end = min(end, len(a))
        c, r, f = _piece_counts(a[start:end])
        characters, replacements = characters + c, replacements + r
        if first < 0 <= f:
            first = start + f
        start = end
    return characters, replacements, first


def _piece_counts(a: np.ndarray) -> tuple[int, int, int]:
    high = np.flatnonzero(a >= 0x80)
    if not _lead_then_continuation(a, high):
        # Each byte >= 0x80 is then a subpart of its own (a lead byte followed by none of its
        # continuation bytes, a stray continuation byte, a byte that starts nothing): a text in a
        # single-byte encoding, counted from its high bytes' positions alone.
        return len(a), len(high), int(high[0]) if len(high) else -1
    v = a[high]
    needs = _NEEDS[v]
    lead = np.flatnonzero(needs)  # indices into `high`
    at, needed = high[lead], needs[lead]

    def follower(k: int) -> np.ndarray:
        """The k-th byte after each lead byte (0 past the end: never a continuation)."""
        pos = at + k
        inside = pos < len(a)
        return np.where(inside, a[np.minimum(pos, len(a) - 1)], 0)

    first = follower(1)
    ok1 = (first >= _FIRST_LOW[v[lead]]) & (first <= _FIRST_HIGH[v[lead]])
    ok2 = ok1 & (needed >= 2) & ((follower(2) & 0xC0) == 0x80)
    ok3 = ok2 & (needed >= 3) & ((follower(3) & 0xC0) == 0x80)
    taken = ok1.astype(np.int64) + ok2 + ok3  # continuation bytes in each lead byte's subpart
    valid = taken == needed
    # Continuation bytes claimed by a lead byte: the next `taken` non-ASCII bytes after it.
    claimed = np.zeros(len(high) + 3, dtype=bool)
    for k, ok in ((1, ok1), (2, ok2), (3, ok3)):
        claimed[lead[ok] + k] = True
    continuation = (v & 0xC0) == 0x80
    stray = continuation & ~claimed[: len(high)]
    never = (v == 0xC0) | (v == 0xC1) | (v >= 0xF5)
    broken = lead[~valid]
    replacements = len(broken) + int(np.count_nonzero(stray)) + int(np.count_nonzero(never))
    characters = len(a) - len(high) + int(np.count_nonzero(valid)) + replacements
    if not replacements:
        return characters, 0, -1
    starts = [high[broken[:1]], high[np.flatnonzero(stray)[:1]], high[np.flatnonzero(never)[:1]]]
    return characters, replacements, int(min(int(s[0]) for s in starts if len(s)))


def _lead_then_continuation(a: np.ndarray, high: np.ndarray) -> bool:
    """Whether a lead byte (C2-F4) of `a` is followed by a continuation byte (80-BF); `high`: the
    positions of the bytes >= 0x80. Without one, no sequence of two bytes or more can be read:
    a text in a single-byte encoding seldom has one."""
    lead = high[(a[high] >= 0xC2) & (a[high] <= 0xF4) & (high + 1 < len(a))]
    return bool(len(lead)) and bool(np.any((a[lead + 1] & 0xC0) == 0x80))


def high_bytes(a: np.ndarray) -> tuple[np.ndarray, bool]:
    """(how many times each byte value occurs among the bytes >= 0x80, by value: 256 counts;
    whether `a` read as UTF-8 holds a valid multi-byte character, i.e. the characters of its
    `utf8_counts` outnumber its ASCII bytes and replacements), from one search of the high bytes
    a megabyte at a time (positions of 8 bytes each stay small). The exact count runs only where a
    lead byte is followed by a continuation byte. The encoding's judgement asks both of every
    block of a file that is not UTF-8 (two searches took 1.5 ms for 2 MB of a Windows-1252 text,
    one takes 0.8)."""
    counts = np.zeros(256, dtype=np.int64)
    lead_found = False
    for start in range(0, len(a), _PIECE):
        piece = a[start : start + _PIECE + 1]
        at = np.flatnonzero(piece[:_PIECE] >= 0x80)
        if len(at):
            counts += np.bincount(piece[at], minlength=256)
            lead_found = lead_found or _lead_then_continuation(piece, at)
    return counts, lead_found and _counted_multibyte(a)


def _counted_multibyte(a: np.ndarray) -> bool:
    """The exact test once a lead byte followed by a continuation byte was seen."""
    characters, replaced, _ = utf8_counts(a)
    return characters - replaced > len(a) - high_in(a)


def valid_characters(data: bytes, block: int = BLOCK) -> int | None:
    """len(data.decode("utf-8")) when `data` is valid UTF-8, else None, without building the text.

    polars validates (the same well-formed UTF-8 as Python's decoder: no overlong form, no
    surrogate, nothing past U+10FFFF) and numpy counts the bytes that start a character (all but
    the continuation bytes 0x80-0xBF: -128 to -65 read as signed), both with the interpreter lock
    released: about 1.5 ms for 6 MB of French text, where the decoder takes 5 ms holding it."""
    signed = np.frombuffer(data, dtype=np.int8)
    characters = start = 0
    while start < len(data):  # a block at a time (copies of about 1 MB), each cut before a character
        end = min(start + block, len(data))
        while end < len(data) and signed[end] <= -65:
            end += 1
        try:
            pl.Series([data[start:end]], dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.PolarsError:  # invalid UTF-8 (ComputeError): the decoder says where
            return None
        characters += int(np.count_nonzero(signed[start:end] > -65))
        start = end
    return characters
