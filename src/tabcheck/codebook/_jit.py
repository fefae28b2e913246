"""The compiled loops themselves (imported by kernels.py only when numba is there).

Each loop mirrors a numpy twin value for value; see kernels.py for why they exist and
tests/test_codebook_kernels.py for the differential tests that hold them to their twins.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from tabcheck.codebook.unf import _MAX_EXP, _POW10, _POW_MIN, _TIE_MARGIN, DIGITS, _exponent


def _jit(f: Callable[..., Any]) -> Any:
    """Compiled without the interpreter lock; cached on disk where numba can write its cache."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return numba.njit(nogil=True, cache=True)(f)
    except RuntimeError:  # no writable cache location: compiled at each run instead
        return numba.njit(nogil=True)(f)


POW10 = _POW10
BOTTOM = 10 ** (DIGITS - 1)  # the digits k of a value's form: BOTTOM <= k < TOP
TOP = 10**DIGITS
HALF = 0.5 - _TIE_MARGIN
PLUS, ZERO, LF = 43, 48, 10  # "+" (a negative sign is 2 more: "-"), "0", line feed
SCALE = np.array([10 ** (DIGITS - 1 - e) for e in range(DIGITS)], dtype=np.int64)  # by an integer's e


def _inline(f: Callable[..., Any]) -> Any:
    return numba.njit(nogil=True, inline="always")(f)


def _store_word_typing(typingctx: Any, buffer: Any, at: Any, word: Any) -> Any:
    """Store a 64-bit word at any byte of a uint8 buffer (little-endian, unaligned): one store
    instead of eight. The caller keeps 8 bytes of room after `at`."""
    sig = types.void(buffer, types.intp, types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array = context.make_array(signature.args[0])(context, builder, args[0])
        target = builder.bitcast(builder.gep(array.data, [args[1]]), ir.IntType(64).as_pointer())
        builder.store(args[2], target).align = 1
        return context.get_dummy_value()

    return sig, codegen


def _load_word_typing(typingctx: Any, buffer: Any, at: Any) -> Any:
    """The 64-bit word at any byte of a uint8 buffer (little-endian, unaligned); the caller makes
    sure the 8 bytes are inside the buffer."""
    sig = types.uint64(buffer, types.intp)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array = context.make_array(signature.args[0])(context, builder, args[0])
        source = builder.bitcast(builder.gep(array.data, [args[1]]), ir.IntType(64).as_pointer())
        load = builder.load(source)
        load.align = 1
        return load

    return sig, codegen


# Called as _store_word(buffer, at, word) and _load_word(buffer, at) in compiled code.
_store_word: Any = intrinsic(_store_word_typing)
_load_word: Any = intrinsic(_load_word_typing)


def _word(text: bytes) -> int:
    """The little-endian 64-bit word of up to 8 bytes (zeros after them)."""
    return int.from_bytes(text.ljust(8, b"\x00"), "little")


# The digits k = top * 1000 + low laid out from tables (fewer dependent steps than dividing by ten
# six times, no branch on the digits): a value's first 8 bytes (sign, lead digit, '.', decimals
# 1-5) are one word, top's part ORed with low's and the sign; decimal 6 is one byte; the exponent
# and terminator one word, stored after the decimals kept (up to the last nonzero one).
TOP_WORD = np.array(
    [_word(f"\x00{t // 1000}.{t % 1000:03d}".encode()) for t in range(10000)], dtype=np.uint64
)
LOW_WORD = np.array([_word(b"\x00" * 6 + f"{low:03d}"[:2].encode()) for low in range(1000)], dtype=np.uint64)
LOW_LAST = np.array([ord(f"{low:03d}"[2]) for low in range(1000)], dtype=np.uint8)
TOP_KEPT = np.array([len(f"{t:04d}"[1:].rstrip("0")) for t in range(10000)], dtype=np.int64)
LOW_KEPT = np.array([3 + len(f"{low:03d}".rstrip("0")) if low else 0 for low in range(1000)], dtype=np.int64)
# By e + _POW_MIN: 'e', the exponent's sign and digits (none for 0), '\n', '\0'.
EXP_WORD = np.array(
    [_word(b"e" + _exponent(e).encode() + b"\n\x00") for e in range(-_POW_MIN, _POW_MIN + 1)], dtype=np.uint64
)
EXP_LEN = np.array([len(_exponent(e)) + 3 for e in range(-_POW_MIN, _POW_MIN + 1)], dtype=np.int64)
NAN, POS_INF, NEG_INF = _word(b"+nan\n\x00"), _word(b"+inf\n\x00"), _word(b"-inf\n\x00")
POS_ZERO, NEG_ZERO = _word(b"+0.e+\n\x00"), _word(b"-0.e+\n\x00")


@_inline
def _put(out: np.ndarray, pos: int, negative: bool, k: int, e: int) -> int:
    """Write `±d.ddddddde±x\\n\\0` for the digits k (BOTTOM <= k < TOP) and decimal exponent e:
    the decimals up to the last nonzero one, the exponent without leading zeros ('+' for 0).
    Three stores; up to 17 bytes from pos are touched, the returned end may be before."""
    top = k // 1000
    low = k - top * 1000
    _store_word(out, pos, TOP_WORD[top] | LOW_WORD[low] | np.uint64(PLUS + 2 * negative))
    out[pos + 8] = LOW_LAST[low]
    at = pos + 3 + max(TOP_KEPT[top], LOW_KEPT[low])
    _store_word(out, at, EXP_WORD[e + _POW_MIN])
    return at + EXP_LEN[e + _POW_MIN]


@_inline
def _put_word(out: np.ndarray, pos: int, word: np.uint64, length: int) -> int:
    _store_word(out, pos, word)
    return pos + length


@_inline
def _put_float(out: np.ndarray, pos: int, x: float, bits: int) -> int:
    """Write one double's form; -1 when the exact decimal rule must settle it (near a rounding tie
    at the 7th digit, or an exponent beyond the bulk range), as `unf._scale` decides."""
    biased = (bits >> 52) & 0x7FF
    negative = bits < 0
    if biased == 0x7FF:
        if x != x:
            return _put_word(out, pos, NAN, 6)
        return _put_word(out, pos, NEG_INF if negative else POS_INF, 6)
    if x == 0.0:
        return _put_word(out, pos, NEG_ZERO if negative else POS_ZERO, 7)
    est = ((biased - 1023) * 78913) >> 18  # floor(e2 * log10(2))
    if est > _MAX_EXP or est < -_MAX_EXP:
        return -1
    ab = abs(x)
    e = est + (1 if ab >= POW10[est + _POW_MIN + 1] else 0)
    scaled = ab * POW10[_POW_MIN + DIGITS - 1 - e]
    k = np.rint(scaled)
    if abs(scaled - k) > HALF or scaled < BOTTOM or scaled >= TOP:
        return -1
    digits = int(k)
    if digits == TOP:  # 9999999.5 rounds up: 1.e+(e+1)
        digits = BOTTOM
        e += 1
    return _put(out, pos, negative, digits, e)


@_jit
def encode_floats(
    a: np.ndarray, missing: np.ndarray, start: int, out: np.ndarray, pos: int
) -> tuple[int, int]:
    """The forms of a[start:], written at out[pos:] (16 bytes a value at most); `missing` is empty
    or a mask of a's length. Returns (i, pos): i == len(a) when done, else the index of a value the
    exact rule must settle (the caller writes it, then calls again from i + 1)."""
    bits = a.view(np.int64)
    flagged = missing.shape[0] > 0
    for i in range(start, a.shape[0]):
        if flagged and missing[i]:
            pos = _put_word(out, pos, np.uint64(0), 3)
            continue
        written = _put_float(out, pos, a[i], bits[i])
        if written < 0:
            return i, pos
        pos = written
    return a.shape[0], pos


@_jit
def encode_integers(
    v: np.ndarray, missing: np.ndarray, start: int, out: np.ndarray, pos: int
) -> tuple[int, int]:
    """`encode_floats` for 64-bit integers: below 10**7 in magnitude from their digits, the others
    as the doubles Java converts them to."""
    flagged = missing.shape[0] > 0
    scratch = np.empty(1, dtype=np.float64)  # a double's bits, without an array per value
    scratch_bits = scratch.view(np.int64)
    for i in range(start, v.shape[0]):
        if flagged and missing[i]:
            pos = _put_word(out, pos, np.uint64(0), 3)
            continue
        x = v[i]
        if x == 0:
            pos = _put_word(out, pos, POS_ZERO, 7)
        elif -TOP < x < TOP:
            ab = abs(x)
            e = (ab >= 10) + (ab >= 100) + (ab >= 1000) + (ab >= 10000) + (ab >= 100000) + (ab >= 1000000)
            pos = _put(out, pos, x < 0, ab * SCALE[e], e)
        else:
            scratch[0] = float(x)
            written = _put_float(out, pos, scratch[0], scratch_bits[0])
            if written < 0:
                return i, pos
            pos = written
    return v.shape[0], pos


KERNELS: dict[str, Any] = {
    "encode_floats": encode_floats,
    "encode_integers": encode_integers,
}


# -- statistics (stats.py) ------------------------------------------------------------------------
SIGN = np.uint64(1 << 63)
TOP_SHIFT = np.uint64(48)  # the histogram of the median's buckets: the keys' top 16 bits


@_inline
def _key(bits: int) -> np.uint64:
    """stats._keys for one double's bits: an order-preserving unsigned key."""
    return np.uint64(bits) ^ (np.uint64(bits >> 63) | SIGN)


@_jit
def stats_feed(
    a: np.ndarray, total: float, extremes: np.ndarray, hist: np.ndarray, good: np.ndarray
) -> tuple[int, float]:
    """One chunk into NumericStats (NaN: invalid): the valid values copied to `good` in order, the
    left-to-right sum carried from `total`, extremes[0] and [1] (min and max, NaN before the
    first) moved to the last of equal values met, as commons-math keeps them, and `hist` (the
    keys' top 16 bits) counted. Returns (valid values, sum)."""
    bits = a.view(np.int64)
    low, high = extremes[0], extremes[1]
    n = 0
    for i in range(a.shape[0]):
        x = a[i]
        if x != x:
            continue
        total += x
        if not x > low:  # x <= low, or no low yet (NaN)
            low = x
        if not x < high:
            high = x
        hist[_key(bits[i]) >> TOP_SHIFT] += 1
        good[n] = x
        n += 1
    extremes[0], extremes[1] = low, high
    return n, total


@_jit
def centred_sum(b: np.ndarray, centre: float, total: float) -> float:
    """total + (b[0] - centre) + (b[1] - centre) + ..., added left to right."""
    for i in range(b.shape[0]):
        total += b[i] - centre
    return total


@_jit
def deviation_sums(
    b: np.ndarray,
    centre: float,
    square: float,
    linear: float,
    low: int,
    high: int,
    picked: np.ndarray,
    at: int,
) -> tuple[float, float, int]:
    """The sums of d*d and of d (d = x - centre) carried over b, left to right; the keys whose top
    16 bits lie in [low, high] appended to picked[at:] (none when low > high). Returns
    (square, linear, at)."""
    bits = b.view(np.int64)
    for i in range(b.shape[0]):
        d = b[i] - centre
        square += d * d
        linear += d
    if low <= high:
        for i in range(b.shape[0]):
            k = _key(bits[i])
            top = np.int64(k >> TOP_SHIFT)
            if low <= top <= high:
                picked[at] = k
                at += 1
    return square, linear, at


KERNELS.update(
    {
        "stats_feed": stats_feed,
        "centred_sum": centred_sum,
        "deviation_sums": deviation_sums,
    }
)


# -- character values (arrow_views.py) ----------------------------------------------------------
INLINE = 12  # a view holds values of up to 12 bytes itself
BACKSLASH, SPACE, DASH = 92, 32, 45
SHORT = 64  # bytes: a longer value may exceed 128 UTF-16 units (unf.CHARACTERS // 2)


@_jit
def plain_text(views: np.ndarray, data: np.ndarray, starts: np.ndarray, out: np.ndarray, pos: int) -> int:
    """Each value followed by `\\n\\0`, written at out[pos:] (SHORT + 2 bytes a value at most), when
    no value needs a rule of the character UNF: none longer than SHORT bytes, none starting with a
    byte Java's trim removes (blank), none holding a backslash (Dataverse's re-read would unescape
    it). Returns the end, or -1 at the first value that needs a rule. Bytes are read by index:
    a slice per value would cost a reference count."""
    words = views.view(np.uint32)  # a short value's 12 bytes: words 1 to 3 of its view
    size = data.shape[0]
    odd = False  # a blank value or a backslash met (no branch per value or byte)
    start = pos
    for i in range(views.shape[0]):
        length = views[i, 0]
        if length > SHORT:
            return -1
        if length <= INLINE:  # 12 bytes stored in two words: a fixed count, no loop to mispredict
            _store_word(out, pos, np.uint64(words[i, 1]) | (np.uint64(words[i, 2]) << np.uint64(32)))
            _store_word(out, pos + 8, np.uint64(words[i, 3]))
        else:
            at = starts[views[i, 2]] + views[i, 3]
            if at + length + 8 <= size:  # word by word, never reading past the buffer
                for j in range(0, length, 8):
                    _store_word(out, pos + j, _load_word(data, at + j))
            else:
                for j in range(length):
                    out[pos + j] = data[at + j]
        odd |= (out[pos] <= SPACE) & (length > 0)
        _store_word(out, pos + length, np.uint64(LF))  # '\\n', '\\0' (and zeros the next value overwrites)
        pos += length + 2
    for j in range(start, pos):  # one pass the compiler vectorises
        odd |= out[j] == BACKSLASH
    return -1 if odd else pos


@_jit
def plain_dates(views: np.ndarray, out: np.ndarray, pos: int) -> int:
    """A date variable's values when each is empty (missing: three NULs) or `yyyy-MM-dd` in ASCII
    digits (the value followed by `\\n\\0`), written at out[pos:] (12 bytes a value at most, 8
    more touched).
    Returns the end, or -1 at the first other value."""
    inline = views.view(np.uint8).reshape(-1)
    words = views.view(np.uint32)
    for i in range(views.shape[0]):
        length = views[i, 0]
        if length == 0:
            _store_word(out, pos, np.uint64(0))
            pos += 3
            continue
        if length != 10:
            return -1
        odd = False
        for j in range(10):  # unrolled: no branch per byte
            c = inline[16 * i + 4 + j]
            odd |= (c != DASH) if j == 4 or j == 7 else (c < ZERO) | (c > ZERO + 9)
        if odd:
            return -1
        _store_word(out, pos, np.uint64(words[i, 1]) | (np.uint64(words[i, 2]) << np.uint64(32)))
        _store_word(out, pos + 8, np.uint64(words[i, 3]) & np.uint64(0xFFFF) | np.uint64(LF << 16))
        pos += 12
    return pos


KERNELS.update({"plain_text": plain_text, "plain_dates": plain_dates})


def warm_up() -> None:
    """Call each loop once on tiny inputs of the types real chunks give (loads its machine code)."""
    out = np.zeros(64, dtype=np.uint8)
    none = np.zeros(0, dtype=bool)
    encode_floats(np.ones(1), none, 0, out, 0)
    encode_integers(np.ones(1, dtype=np.int64), none, 0, out, 0)
    stats_feed(np.ones(1), 0.0, np.zeros(2), np.zeros(1 << 16, dtype=np.int64), np.zeros(1))
    centred_sum(np.ones(1), 0.0, 0.0)
    deviation_sums(np.ones(1), 0.0, 0.0, 0.0, 1, 0, np.zeros(0, dtype=np.uint64), 0)
    views = np.zeros((1, 4), dtype=np.int32)
    plain_text(views, np.zeros(0, dtype=np.uint8), np.zeros(1, dtype=np.int64), out, 0)
    plain_dates(views, out, 0)
