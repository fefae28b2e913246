"""Compiled loops (numba) for the vectorised fix of regular tables: one chunk rewritten, one verified.

Each loop is an accelerator of fix/fast.py's polars path for the chunks it is sure of, never a
judge: whatever it does not expect (a rare number, a point in a decimal column, a quote inside a
value, a lone CR, a record of another width, a byte the encoding cannot read, any difference it
cannot explain) makes it give the chunk back (PUNT), and the polars path rewrites or verifies that
chunk as it always did, with its own errors. tests/test_fix_kernels.py holds both loops to their
polars twins.

`rewrite` reads the source bytes field by field (quotes only around whole values), writes each value
in UTF-8 through a table built from the encoding's decoder, quoted where Python's csv writer quotes
(a comma, a quote, a line feed), and makes the declared changes of the plain cases: a decimal
comma between digits becomes a point (`-12,5`, `12,`), `null` becomes empty, a date column's
`25/12/2020` becomes `2020-12-25` (a value that is not a real date gives the chunk back). It counts each change
with its first row and first distinct samples, as fast._Tally does.

`verify` is written apart: it walks the source and the output side by side, a field of each at a
time, and decodes each UTF-8 character of the output back into the source's byte through a table
built from the encoding's encoder (the other direction), so an equal field proves the transcoding
gives back the original bytes. A field that differs must be a declared change, checked by its own
rule, and is counted.
"""

# ruff: noqa: SIM109 - numba compiles `a == x or a == y` to two comparisons; `a in (x, y)` builds a tuple
from __future__ import annotations

from typing import Any

import numpy as np

from tabcheck.codebook._jit import _inline, _jit

QUOTE, LF, CR, COMMA, POINT, SLASH = 34, 10, 13, 44, 46, 47
PLUS, MINUS, ZERO, NINE = 43, 45, 48, 57
# A column's roles (bits): decimal commas, `null`, dates (day first unless MONTH_FIRST), with a time
# of day after a space (TIMED), or after a space or a T for yyyy-mm-dd dates (ISO_TIME).
DECIMAL, NULL, DATE, MONTH_FIRST, TIMED, ISO_TIME = 1, 2, 4, 8, 16, 32
COLON, SPACE, LETTER_T = 58, 32, 84
SAW_COMMA, SAW_AMBIGUOUS = 1, 2  # what a decimal column's numbers showed (bits)
OK, PUNT = 0, 1
SAMPLES = 3  # fix.manifest.MAX_EXAMPLES: the distinct samples kept per change and column


@_inline
def _is_null(b: np.ndarray, lo: int, hi: int) -> bool:
    """`null` in any case, alone (fast._NULL)."""
    if hi - lo != 4:
        return False
    return (
        (b[lo] | 32) == 110
        and (b[lo + 1] | 32) == 117
        and (b[lo + 2] | 32) == 108
        and (b[lo + 3] | 32) == 108
    )


@_inline
def _digits(b: np.ndarray, at: int, hi: int) -> int:
    n = 0
    while at + n < hi and ZERO <= b[at + n] <= NINE:
        n += 1
    return n


@_inline
def _number(b: np.ndarray, at: int, n: int) -> int:
    """The value of the `n` digits at `at`."""
    v = 0
    for k in range(n):
        v = v * 10 + (b[at + k] - ZERO)
    return v


# -- the rewrite ----------------------------------------------------------------------------------


@_inline
def _real_date(y: int, m: int, d: int) -> bool:
    """A day of the Gregorian calendar, from 1583 on (dates.iso_date writes no earlier one)."""
    if y < 1583 or m < 1 or m > 12 or d < 1:
        return False
    if m == 2:
        return d <= (29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28)
    if m == 4 or m == 6 or m == 9 or m == 11:
        return d <= 30
    return d <= 31


@_inline
def _date_shape(b: np.ndarray, lo: int, hi: int, month_first: bool) -> tuple[int, int, int, int]:
    """(what, year, month, day) of a date column's value, as dates.iso_date reads it: what is 1 for
    a real date written yyyy-mm-dd already, 2 for a real date to write so (d/m/yyyy with one
    separator, / . or -, twice; m/d/yyyy with `month_first`; yyyy/m/d or yyyy.m.d), 0 for anything
    else (the loop gives the chunk back)."""
    n = hi - lo
    if (
        n == 10
        and b[lo + 4] == MINUS
        and b[lo + 7] == MINUS
        and _digits(b, lo, hi) == 4
        and _digits(b, lo + 5, hi) == 2
        and _digits(b, lo + 8, hi) == 2
    ):
        y, m, d = _number(b, lo, 4), _number(b, lo + 5, 2), _number(b, lo + 8, 2)
        return (1 if _real_date(y, m, d) else 0), y, m, d
    lead = _digits(b, lo, hi)
    if lead == 4:  # the year first: yyyy/m/d, yyyy.m.d
        p = lo + 4
        if p >= hi or (b[p] != SLASH and b[p] != POINT):
            return 0, 0, 0, 0
        sep = b[p]
        k1 = _digits(b, p + 1, hi)
        q = p + 1 + k1
        if k1 < 1 or k1 > 2 or q >= hi or b[q] != sep:
            return 0, 0, 0, 0
        k2 = _digits(b, q + 1, hi)
        if k2 < 1 or k2 > 2 or q + 1 + k2 != hi:
            return 0, 0, 0, 0
        y, m, d = _number(b, lo, 4), _number(b, p + 1, k1), _number(b, q + 1, k2)
    else:  # the year last: d/m/yyyy (or m/d/yyyy), one separator twice
        p = lo + lead
        if lead < 1 or lead > 2 or p >= hi or (b[p] != SLASH and b[p] != POINT and b[p] != MINUS):
            return 0, 0, 0, 0
        sep = b[p]
        k2 = _digits(b, p + 1, hi)
        q = p + 1 + k2
        if k2 < 1 or k2 > 2 or q >= hi or b[q] != sep or _digits(b, q + 1, hi) != 4 or q + 5 != hi:
            return 0, 0, 0, 0
        first, second, y = _number(b, lo, lead), _number(b, p + 1, k2), _number(b, q + 1, 4)
        m, d = (first, second) if month_first else (second, first)
    return (2 if _real_date(y, m, d) else 0), y, m, d


@_inline
def _clock(b: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    """(hour digits, where the seconds' colon is or -1) of `H:MM` or `H:MM:SS` (one or two hour
    digits) filling lo..hi exactly; (0, -1) for anything else."""
    h = _digits(b, lo, hi)
    p = lo + h
    if h < 1 or h > 2 or p + 3 > hi or b[p] != COLON or _digits(b, p + 1, hi) != 2:
        return 0, -1
    p += 3
    if p == hi:
        return h, -1
    if p + 3 != hi or b[p] != COLON or _digits(b, p + 1, hi) != 2:
        return 0, -1
    return h, p


@_inline
def _put_date_time(src: np.ndarray, a: int, b: int, out: np.ndarray, o: int, role: int) -> int:
    """A date with its time (dates.written) written at `o`: the output's end, or -1 when the value is
    not one (the loop gives the chunk back)."""
    if role & ISO_TIME:
        cut = a + 10
        if cut >= b or (src[cut] != SPACE and src[cut] != LETTER_T):
            return -1
    else:
        cut = a
        while cut < b and src[cut] != SPACE:
            cut += 1
        if cut >= b:
            return -1
    what, y, m, d = _date_shape(src, a, cut, role & MONTH_FIRST != 0)
    if what == 0 or (role & ISO_TIME and what != 1):
        return -1
    h, seconds = _clock(src, cut + 1, b)
    if h == 0:
        return -1
    o = _put_date(out, o, y, m, d)
    out[o] = SPACE
    o += 1
    for k in range(cut + 1, cut + 1 + h + 3):  # hours as written, the colon, the minutes
        out[o] = src[k]
        o += 1
    if seconds >= 0:
        for k in range(seconds, seconds + 3):
            out[o] = src[k]
            o += 1
    else:
        out[o] = COLON
        out[o + 1] = ZERO
        out[o + 2] = ZERO
        o += 3
    return o


@_inline
def _same_bytes(src: np.ndarray, a: int, b: int, out: np.ndarray, oa: int, ob: int) -> bool:
    if b - a != ob - oa:
        return False
    for k in range(b - a):  # noqa: SIM110 - numba compiles a loop, not a generator
        if src[a + k] != out[oa + k]:
            return False
    return True


@_inline
def _put_date(out: np.ndarray, o: int, y: int, m: int, d: int) -> int:
    """yyyy-mm-dd written at `o`: the output's end."""
    for k in range(4):
        out[o + 3 - k] = ZERO + y % 10
        y //= 10
    out[o + 4] = MINUS
    out[o + 5] = ZERO + m // 10
    out[o + 6] = ZERO + m % 10
    out[o + 7] = MINUS
    out[o + 8] = ZERO + d // 10
    out[o + 9] = ZERO + d % 10
    return o + 10


@_inline
def _put(out: np.ndarray, o: int, utf8: np.ndarray, c: int) -> int:
    """Byte `c` (0x80 or above) written in UTF-8 at `o`: the bytes written, 0 for a byte the
    encoding does not define."""
    size = utf8[c, 0]
    for m in range(size):
        out[o + m] = utf8[c, 1 + m]
    return int(size)


@_inline
def _number_shape(b: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    """(comma position or -1, what it shows) of a decimal column's value; (-2, 0) for a value the
    loop leaves to polars. Unchanged: digit-free values (no kind), digits with a sign or none.
    Converted: digits `,` digits (digits after the comma optional without a sign)."""
    has_digit = False
    for i in range(lo, hi):
        if ZERO <= b[i] <= NINE:
            has_digit = True
            break
    if not has_digit:
        return -1, 0
    p = lo
    signed = b[p] == PLUS or b[p] == MINUS
    if signed:
        p += 1
    whole = _digits(b, p, hi)
    q = p + whole
    if q == hi:
        return (-1, 0) if whole else (-2, 0)
    if b[q] != COMMA or whole == 0:
        return -2, 0
    fraction = _digits(b, q + 1, hi)
    if q + 1 + fraction != hi or (signed and fraction == 0):
        return -2, 0
    # 1,234 reads two ways; 0,125 one (no thousands group follows a lone 0)
    return q, (SAW_AMBIGUOUS if whole <= 3 and fraction == 3 and b[p] != ZERO else SAW_COMMA)


@_inline
def _separator(b: np.ndarray, k: int, hi: int, groups: np.ndarray, utf8_source: bool) -> int:
    """The bytes of the thousands separator at `k`, 0 for none: a byte `groups` marks (space, point,
    apostrophe; a single-byte encoding's no-break spaces), or in UTF-8 a no-break space (C2 A0) or a
    narrow one (E2 80 AF)."""
    c = b[k]
    if groups[c]:
        return 1
    if utf8_source and c == 0xC2 and k + 1 < hi and b[k + 1] == 0xA0:
        return 2
    if utf8_source and c == 0xE2 and k + 2 < hi and b[k + 1] == 0x80 and b[k + 2] == 0xAF:
        return 3
    return 0


@_inline
def _grouped(b: np.ndarray, lo: int, hi: int, groups: np.ndarray, utf8_source: bool) -> tuple[int, int]:
    """(where the decimals' comma is, or `hi` when there is none; what it shows) of a number with
    thousands separators, as repairs' kinds say them: "comma", a decimal comma `[+-]d{1,3}(S d{3})+,d+`
    (1 234,5  -1.234.567,25  12'345,0) or two points or more `[+-]d{1,3}(.d{3}){2,}` (1.234.567);
    "space-grouped", a whole number without points `[+-]d{1,3}(S d{3})+` (1 234  12'345: shows
    nothing). (-1, 0) for any other value."""
    p = lo
    if p < hi and (b[p] == PLUS or b[p] == MINUS):
        p += 1
    lead = _digits(b, p, hi)
    if lead < 1 or lead > 3:
        return -1, 0
    p += lead
    points = others = 0
    while p < hi:
        size = _separator(b, p, hi, groups, utf8_source)
        if size == 0:
            break
        if b[p] == POINT:
            points += 1
        else:
            others += 1
        p += size
        if _digits(b, p, hi) != 3:
            return -1, 0
        p += 3
    if p == hi:
        if others == 0 and points >= 2:
            return hi, SAW_COMMA
        if points == 0 and others >= 1:
            return hi, 0
        return -1, 0
    if points + others == 0 or b[p] != COMMA:
        return -1, 0
    fraction = _digits(b, p + 1, hi)
    if fraction == 0 or p + 1 + fraction != hi:
        return -1, 0
    return p, SAW_COMMA


@_inline
def _ungrouped(
    b: np.ndarray,
    lo: int,
    comma: int,
    hi: int,
    out: np.ndarray,
    o: int,
    groups: np.ndarray,
    utf8_source: bool,
) -> int:
    """`1 234,5` (`_grouped`) written at `o` as `1234.5`: the sign and digits without the separators,
    a point and the decimals when there is a comma; the output's end."""
    k = lo
    while k < comma:
        size = _separator(b, k, comma, groups, utf8_source)
        if size:
            k += size
            continue
        out[o] = b[k]
        o += 1
        k += 1
    if comma < hi:
        out[o] = POINT
        o += 1
        for k in range(comma + 1, hi):
            out[o] = b[k]
            o += 1
    return o


@_inline
def _tally(
    src: np.ndarray,
    a: int,
    b: int,
    oa: int,
    ob: int,
    col: int,
    kind: int,
    row: int,
    counts: np.ndarray,
    first: np.ndarray,
    samples: np.ndarray,
    kept: np.ndarray,
) -> None:
    """One change counted; its sample kept when it is a new source value (the change follows from it)."""
    counts[col, kind] += 1
    if first[col, kind] < 0:
        first[col, kind] = row
    n = kept[col, kind]
    if n >= SAMPLES:
        return
    for s in range(n):
        sa, sb = samples[col, kind, s, 0], samples[col, kind, s, 1]
        if sb - sa == b - a:
            same = True
            for i in range(b - a):
                if src[sa + i] != src[a + i]:
                    same = False
                    break
            if same:
                return
    samples[col, kind, n, 0] = a
    samples[col, kind, n, 1] = b
    samples[col, kind, n, 2] = oa
    samples[col, kind, n, 3] = ob
    kept[col, kind] = n + 1


@_jit
def rewrite(
    src: np.ndarray,
    d: int,
    width: int,
    roles: np.ndarray,
    utf8: np.ndarray,
    out: np.ndarray,
    counts: np.ndarray,
    first: np.ndarray,
    samples: np.ndarray,
    kept: np.ndarray,
    shows: np.ndarray,
    groups: np.ndarray,
    utf8_source: bool,
) -> tuple[int, int, int, int]:
    """(status, output bytes, records, source bytes >= 0x80) of the records in `src`, each of
    `width` fields split at `d`. `utf8[byte]` = (length, UTF-8 bytes); length 0: undefined.
    `groups[byte]`: a one-byte thousands separator (see `_separator`). `out`
    holds at least 3 bytes a source byte and 16 more: a value of L bytes and its delimiter are
    written in at most 3 L + 3 bytes (quotes around it only when it holds a comma, a quote or a line
    feed, one byte each)."""
    n = len(src)
    plain = np.ones(256, dtype=np.bool_)  # bytes copied as they are, with nothing to look at
    plain[0x80:] = False
    for c in (d, LF, CR, QUOTE, COMMA):
        plain[c] = False
    i = 0
    o = 0
    rows = 0
    high = 0
    while i < n:
        for col in range(width):
            last = col == width - 1
            special = False  # a comma, a quote or a line feed: the value is written quoted
            start = o  # the value is copied as it is read; quotes are put around it afterwards
            if i < n and src[i] == QUOTE:
                a = i + 1
                i = a
                while True:
                    if i >= n:
                        return PUNT, o, rows, high  # a quote left open
                    c = src[i]
                    if plain[c]:
                        out[o] = c
                        o += 1
                        i += 1
                        continue
                    if c == QUOTE:
                        if i + 1 < n and src[i + 1] == QUOTE:
                            special = True
                            out[o] = QUOTE
                            out[o + 1] = QUOTE
                            o += 2
                            i += 2
                            continue
                        break
                    if c >= 0x80:
                        size = _put(out, o, utf8, c)
                        if size == 0:
                            return PUNT, o, rows, high  # a byte the encoding does not define
                        o, high, i = o + size, high + 1, i + 1
                        continue
                    if c == CR:
                        return PUNT, o, rows, high
                    if c == COMMA or c == LF:
                        special = True
                    out[o] = c  # the delimiter, a comma or a line feed inside quotes
                    o += 1
                    i += 1
                b = i
                i += 1  # past the closing quote
            else:
                a = i
                while i < n:
                    c = src[i]
                    if plain[c]:
                        out[o] = c
                        o += 1
                        i += 1
                        continue
                    if c == d or c == LF:
                        break
                    if c >= 0x80:
                        size = _put(out, o, utf8, c)
                        if size == 0:
                            return PUNT, o, rows, high  # a byte the encoding does not define
                        o, high, i = o + size, high + 1, i + 1
                        continue
                    if c == CR:
                        if i + 1 < n and src[i + 1] == LF and last:
                            break
                        return PUNT, o, rows, high  # a lone CR
                    if c == QUOTE:
                        return PUNT, o, rows, high  # a quote inside an unquoted value
                    special = True  # a comma
                    out[o] = c
                    o += 1
                    i += 1
                b = i
            # what follows the value: the delimiter, or the record's end for the last one
            if not last:
                if i >= n or src[i] != d:
                    return PUNT, o, rows, high
                i += 1
            elif i < n:
                if src[i] == LF:
                    i += 1
                elif src[i] == CR and i + 1 < n and src[i + 1] == LF:
                    i += 2
                else:
                    return PUNT, o, rows, high
            role = roles[col]
            if role != 0:
                if role & TIMED and b > a:
                    o = _put_date_time(src, a, b, out, start, role)
                    if o < 0:
                        return PUNT, start, rows, high  # not a date and time: polars decides
                    special = False
                    if not _same_bytes(src, a, b, out, start, o):  # 2020-12-25 14:30:00 stays: no change
                        _tally(src, a, b, start, o, col, 3, rows, counts, first, samples, kept)
                elif role & DATE and b > a:
                    what, y, m, dd = _date_shape(src, a, b, role & MONTH_FIRST != 0)
                    if what == 0:
                        return PUNT, o, rows, high  # not a date: polars sends the file to the exact path
                    if what == 2:
                        o = _put_date(out, start, y, m, dd)
                        special = False
                        _tally(src, a, b, start, o, col, 2, rows, counts, first, samples, kept)
                if role & NULL and _is_null(src, a, b):
                    o = start
                    _tally(src, a, b, o, o, col, 1, rows, counts, first, samples, kept)
                    if not last:
                        out[o] = COMMA
                        o += 1
                    continue
                if role & DECIMAL:
                    comma, shown = _number_shape(src, a, b)
                    if comma == -2:  # not plain: 1 234,5 is written again, else polars takes the chunk
                        comma, shown = _grouped(src, a, b, groups, utf8_source)
                        if comma < 0:
                            return PUNT, o, rows, high
                        o = _ungrouped(src, a, comma, b, out, start, groups, utf8_source)
                        shows[col] |= shown
                        special = False
                        _tally(src, a, b, start, o, col, 0, rows, counts, first, samples, kept)
                    else:
                        shows[col] |= shown
                        if comma >= 0:  # an ASCII number: its bytes are the source's
                            out[start + comma - a] = POINT
                            special = False  # its comma became a point: nothing left to quote
                            _tally(src, a, b, start, o, col, 0, rows, counts, first, samples, kept)
            if special:  # the value moves one byte on, between quotes
                for k in range(o - 1, start - 1, -1):
                    out[k + 1] = out[k]
                out[start] = QUOTE
                out[o + 1] = QUOTE
                o += 2
            if not last:
                out[o] = COMMA
                o += 1
        out[o] = LF
        o += 1
        rows += 1
    return OK, o, rows, high


# -- the verification -----------------------------------------------------------------------------


@_inline
def _field_end(b: np.ndarray, at: int, n: int, d: int) -> tuple[int, int, int]:
    """(content start, content end, next byte after the value) of the value at `at`, quotes
    doubled inside a quoted one; (-1, …) when the value is not one whole value."""
    if at < n and b[at] == QUOTE:
        j = at + 1
        while j < n:
            if b[j] == QUOTE:
                if j + 1 < n and b[j + 1] == QUOTE:
                    j += 2
                    continue
                return at + 1, j, j + 1
            if b[j] == CR:
                return -1, 0, 0
            j += 1
        return -1, 0, 0
    j = at
    while j < n and b[j] != d and b[j] != LF:
        if b[j] == QUOTE:
            return -1, 0, 0
        if b[j] == CR and not (j + 1 < n and b[j + 1] == LF):
            return -1, 0, 0
        if b[j] == CR:
            break
        j += 1
    return at, j, j


@_inline
def _after(b: np.ndarray, at: int, n: int, d: int, last: bool) -> int:
    """Where the next value starts after a value's end `at`: past the delimiter, or past the line
    end for the last value of a record (-1: not what must follow)."""
    if not last:
        return at + 1 if at < n and b[at] == d else -1
    if at == n:
        return n
    if b[at] == LF:
        return at + 1
    if b[at] == CR and at + 1 < n and b[at + 1] == LF:
        return at + 2
    return -1


@_inline
def _next_char(b: np.ndarray, at: int, end: int) -> tuple[int, int]:
    """(code point, bytes) of the strict UTF-8 character at `at`; (-1, 0) when it is not one (an
    overlong form, a surrogate, or a character beyond the tables: four bytes)."""
    c = b[at]
    if c < 0x80:
        return c, 1
    if 0xC2 <= c <= 0xDF and at + 1 < end and b[at + 1] & 0xC0 == 0x80:
        return ((c & 0x1F) << 6) | (b[at + 1] & 0x3F), 2
    if 0xE0 <= c <= 0xEF and at + 2 < end and b[at + 1] & 0xC0 == 0x80 and b[at + 2] & 0xC0 == 0x80:
        cp = ((c & 0x0F) << 12) | ((b[at + 1] & 0x3F) << 6) | (b[at + 2] & 0x3F)
        if cp < 0x800 or 0xD800 <= cp <= 0xDFFF:
            return -1, 0
        return cp, 3
    return -1, 0


@_inline
def _decimal_change(src: np.ndarray, sa: int, sb: int, out: np.ndarray, oa: int, ob: int) -> bool:
    """`[0-9]*,[0-9]*` (two characters or more) or `[+-][0-9]+,[0-9]+` written with a point: every
    other byte the same (verify._decimal_ok accepts these)."""
    if sb - sa != ob - oa or sb - sa < 2:
        return False
    p = sa
    signed = src[p] == PLUS or src[p] == MINUS
    if signed:
        p += 1
    whole = _digits(src, p, sb)
    if p + whole >= sb or src[p + whole] != COMMA:
        return False
    fraction = _digits(src, p + whole + 1, sb)
    if p + whole + 1 + fraction != sb or (signed and (whole == 0 or fraction == 0)):
        return False
    comma = p + whole
    for k in range(sb - sa):
        expected = POINT if sa + k == comma else src[sa + k]
        if out[oa + k] != expected:
            return False
    return True


@_inline
def _grouped_change(
    src: np.ndarray,
    sa: int,
    sb: int,
    out: np.ndarray,
    oa: int,
    ob: int,
    groups: np.ndarray,
    utf8_source: bool,
) -> bool:
    """`[+-]d{1,3}(S d{3})+,d+` written without its thousands separators and with a point
    (verify._decimal_ok accepts these): the output read against the source, byte by byte."""
    comma, _shown = _grouped(src, sa, sb, groups, utf8_source)
    if comma < 0:
        return False
    q = oa
    k = sa
    while k < sb:
        size = _separator(src, k, comma, groups, utf8_source) if k < comma else 0
        if size:
            k += size
            continue
        expected = POINT if k == comma else src[k]
        if q >= ob or out[q] != expected:
            return False
        q += 1
        k += 1
    return q == ob


@_inline
def _date_change(
    src: np.ndarray, sa: int, sb: int, out: np.ndarray, oa: int, ob: int, month_first: bool
) -> bool:
    """The source's three numbers (between / . or -) written yyyy-mm-dd, day and month in the
    column's order unless the year comes first, and that a day of the calendar (verify._date_ok
    accepts these)."""
    if ob - oa != 10 or out[oa + 4] != MINUS or out[oa + 7] != MINUS:
        return False
    if _digits(out, oa, ob) != 4 or _digits(out, oa + 5, ob) != 2 or _digits(out, oa + 8, ob) != 2:
        return False
    oy, om, od = _number(out, oa, 4), _number(out, oa + 5, 2), _number(out, oa + 8, 2)
    days = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if om < 1 or om > 12 or oy < 1 or od < 1:
        return False
    leap = oy % 400 == 0 or (oy % 4 == 0 and oy % 100 != 0)
    if od > days[om] + (1 if om == 2 and leap else 0):
        return False
    k1 = _digits(src, sa, sb)
    p = sa + k1 + 1
    if k1 == 0 or p >= sb or not (src[p - 1] == SLASH or src[p - 1] == POINT or src[p - 1] == MINUS):
        return False
    k2 = _digits(src, p, sb)
    q = p + k2 + 1
    if k2 == 0 or q >= sb or not (src[q - 1] == SLASH or src[q - 1] == POINT or src[q - 1] == MINUS):
        return False
    k3 = _digits(src, q, sb)
    if k3 == 0 or q + k3 != sb:
        return False
    g1, g2, g3 = _number(src, sa, k1), _number(src, p, k2), _number(src, q, k3)
    if k1 == 4:
        return (g1, g2, g3) == (oy, om, od)
    if k3 != 4:
        return False
    if month_first:
        return (g3, g1, g2) == (oy, om, od)
    return (g3, g2, g1) == (oy, om, od)


@_inline
def _date_time_change(
    src: np.ndarray, sa: int, sb: int, out: np.ndarray, oa: int, ob: int, role: int
) -> bool:
    """The source's date and time written `yyyy-mm-dd H:MM:SS`: the date as _date_change checks it,
    a space, the same hours and minutes, the same seconds or 00 (verify._dated_ok accepts these)."""
    cut = sa
    while cut < sb and src[cut] != SPACE and not (role & ISO_TIME and src[cut] == LETTER_T):
        cut += 1
    if cut >= sb or ob - oa < 18 or out[oa + 10] != SPACE:
        return False
    if not _date_change(src, sa, cut, out, oa, oa + 10, role & MONTH_FIRST != 0):
        return False
    n = sb - cut - 1  # the source's clock: H:MM, HH:MM, H:MM:SS or HH:MM:SS
    expected = ob - oa - 11  # the output's: the same with seconds
    if not (n == expected or n + 3 == expected):
        return False
    for k in range(n):
        if out[oa + 11 + k] != src[cut + 1 + k]:
            return False
    if n + 3 == expected:  # no seconds in the source: :00
        q = oa + 11 + n
        if out[q] != COLON or out[q + 1] != ZERO or out[q + 2] != ZERO:
            return False
    h = _digits(out, oa + 11, ob)
    q = oa + 11 + h
    return (
        1 <= h <= 2
        and q + 6 == ob
        and out[q] == COLON
        and out[q + 3] == COLON
        and _digits(out, q + 1, ob) == 2
        and _digits(out, q + 4, ob) == 2
    )


SAME, DIFFERENT, BROKEN = 0, 1, 2


@_inline
def _compare(
    src: np.ndarray,
    p: int,
    d: int,
    out: np.ndarray,
    q: int,
    back: np.ndarray,
    utf8_source: bool,
    plain: np.ndarray,
) -> tuple[int, int, int]:
    """(SAME, end of the source's value, end of the output's) when the values at `p` and `q` read
    the same, in one walk over both (the common case); DIFFERENT or BROKEN (a quote or a CR where a
    whole value cannot hold it) as soon as they do not. An end is the byte after the value
    (after its closing quote)."""
    ns, no = len(src), len(out)
    s_quoted = p < ns and src[p] == QUOTE
    o_quoted = q < no and out[q] == QUOTE
    p += 1 if s_quoted else 0
    q += 1 if o_quoted else 0
    if not s_quoted and not o_quoted:  # the common case first: the same ASCII bytes, no mark
        while p < ns and q < no:
            c = src[p]
            if not plain[c] or out[q] != c:
                break
            p += 1
            q += 1
    while True:
        # the source's next character: s >= 0, or -1 at the value's end
        s = -1
        if p < ns:
            c = src[p]
            if s_quoted:
                if c == QUOTE:
                    if p + 1 < ns and src[p + 1] == QUOTE:
                        s = QUOTE
                        p += 2
                    else:
                        p += 1  # past the closing quote
                elif c == CR:
                    return BROKEN, p, q
                else:
                    s = c
                    p += 1
            elif c == d or c == LF or c == CR:
                pass
            elif c == QUOTE:
                return BROKEN, p, q
            else:
                s = c
                p += 1
        elif s_quoted:
            return BROKEN, p, q  # a quote left open
        # the output's next character, compared
        if q < no:
            c = out[q]
            if o_quoted:
                if c == QUOTE:
                    if q + 1 < no and out[q + 1] == QUOTE:
                        if s != QUOTE:
                            return DIFFERENT, p, q
                        q += 2
                        continue
                    if s >= 0:
                        return DIFFERENT, p, q
                    return SAME, p, q + 1
                if c == CR:
                    return BROKEN, p, q
            elif c == COMMA or c == LF:
                return (SAME if s < 0 else DIFFERENT), p, q
            elif c == QUOTE or c == CR:
                return BROKEN, p, q
        elif o_quoted:
            return BROKEN, p, q
        else:
            return (SAME if s < 0 else DIFFERENT), p, q
        if s < 0:
            return DIFFERENT, p, q
        if s < 0x80 or utf8_source:
            if c != s:
                return DIFFERENT, p, q
            q += 1
        else:
            cp, size = _next_char(out, q, no)
            if cp < 0 or cp >= len(back) or back[cp] != s:
                return DIFFERENT, p, q
            q += size


@_inline
def _careful(
    src: np.ndarray,
    p: int,
    out: np.ndarray,
    q: int,
    d: int,
    col: int,
    last: bool,
    roles: np.ndarray,
    back: np.ndarray,
    utf8_source: bool,
    plain: np.ndarray,
    counts: np.ndarray,
    groups: np.ndarray,
) -> tuple[int, int]:
    """The value of column `col` at `p` in the source and `q` in the output compared with care
    (quotes, characters beyond ASCII, declared changes): where the next values start, or (-1, -1)."""
    ns, no = len(src), len(out)
    same, s_end, o_end = _compare(src, p, d, out, q, back, utf8_source, plain)
    if same == BROKEN:
        return -1, -1
    if same == DIFFERENT:
        sa, sb, s_end = _field_end(src, p, ns, d)
        oa, ob, o_end = _field_end(out, q, no, COMMA)
        if sa < 0 or oa < 0:
            return -1, -1
        role = roles[col]
        if role & DECIMAL and (
            _decimal_change(src, sa, sb, out, oa, ob)
            or _grouped_change(src, sa, sb, out, oa, ob, groups, utf8_source)
        ):
            counts[col, 0] += 1
        elif role & NULL and ob == oa and _is_null(src, sa, sb):
            counts[col, 1] += 1
        elif role & TIMED and _date_time_change(src, sa, sb, out, oa, ob, role):
            counts[col, 3] += 1
        elif (
            role & DATE
            and not role & TIMED
            and _date_change(src, sa, sb, out, oa, ob, role & MONTH_FIRST != 0)
        ):
            counts[col, 2] += 1
        else:
            return -1, -1
    if last and (o_end >= no or out[o_end] != LF):
        return -1, -1  # an output line not ended by a line feed
    p = _after(src, s_end, ns, d, last)
    q = _after(out, o_end, no, COMMA, last)
    if p < 0 or q < 0:
        return -1, -1  # a record of another width
    return p, q


@_jit
def verify(
    src: np.ndarray,
    out: np.ndarray,
    d: int,
    width: int,
    roles: np.ndarray,
    back: np.ndarray,
    utf8_source: bool,
    counts: np.ndarray,
    groups: np.ndarray,
) -> tuple[int, int]:
    """(status, records) of a source chunk and its output compared value by value: `back[code
    point]` is the source byte the encoding's encoder gives it (-1: none); with `utf8_source` the
    bytes are compared as they are. Declared changes are counted in `counts[column, 0 | 1 | 2]`
    (decimal point, empty `null`, iso-date); `groups`: the one-byte thousands separators (`_separator`).

    Most bytes are the same ASCII bytes on both sides: a record is walked over them at once, a
    delimiter against a comma ends a value; anything else sends the value, from its start, to
    `_careful`."""
    ns, no = len(src), len(out)
    plain = np.ones(256, dtype=np.bool_)  # bytes that end no value and are copied as they are
    plain[0x80:] = utf8_source
    for c in (d, LF, CR, QUOTE, COMMA):
        plain[c] = False
    p = q = 0
    rows = 0
    while p < ns or q < no:
        if p >= ns or q >= no:
            return PUNT, rows  # one side has records the other has not
        col = 0
        fp, fq = p, q  # where the value of column `col` starts on each side
        while True:
            while p < ns and q < no:
                c = src[p]
                if plain[c]:
                    if out[q] != c:
                        break
                    p += 1
                    q += 1
                elif c >= 0x80 and not utf8_source:  # the output's character encoded back
                    cp, size = _next_char(out, q, no)
                    if cp < 0 or cp >= len(back) or back[cp] != c:
                        break
                    p += 1
                    q += size
                else:
                    break
            last = col == width - 1
            if p < ns and q < no:
                c, oc = src[p], out[q]
                if c == d and oc == COMMA and not last:
                    p += 1
                    q += 1
                    col += 1
                    fp, fq = p, q
                    continue
                if oc == LF and last and (c == LF or (c == CR and p + 1 < ns and src[p + 1] == LF)):
                    p += 1 if c == LF else 2
                    q += 1
                    break
                if c == COMMA and oc == POINT and roles[col] & DECIMAL:  # a decimal comma, likely
                    p2, q2 = p + 1, q + 1
                    while p2 < ns and q2 < no and src[p2] == out[q2] and ZERO <= src[p2] <= NINE:
                        p2 += 1
                        q2 += 1
                    s_end = p2 == ns or src[p2] == d or src[p2] == LF or src[p2] == CR
                    o_end = q2 == no or out[q2] == COMMA or out[q2] == LF
                    if s_end and o_end and _decimal_change(src, fp, p2, out, fq, q2):
                        counts[col, 0] += 1
                        p, q = p2, q2
                        if not last and p < ns and src[p] == d and q < no and out[q] == COMMA:
                            p += 1
                            q += 1
                            col += 1
                            fp, fq = p, q
                            continue
                        if last and q < no and out[q] == LF:
                            if p == ns or src[p] == LF:
                                p += 0 if p == ns else 1
                                q += 1
                                break
                            if src[p] == CR and p + 1 < ns and src[p + 1] == LF:
                                p += 2
                                q += 1
                                break
                        return PUNT, rows  # not what must follow the value
            elif p == ns and q < no and out[q] == LF and last:
                q += 1  # the source's last record has no line end
                break
            p, q = _careful(src, fp, out, fq, d, col, last, roles, back, utf8_source, plain, counts, groups)
            if p < 0:
                return PUNT, rows
            if last:
                break
            col += 1
            fp, fq = p, q
        rows += 1
    return OK, rows


KERNELS: dict[str, Any] = {"fix_rewrite": rewrite, "fix_verify": verify}


def warm_up() -> None:
    """Call each loop once on tiny inputs of the types real chunks give (loads its machine code)."""
    src = np.frombuffer(b"25/12/2020;1,5\n", dtype=np.uint8)
    roles = np.array([DATE, DECIMAL], dtype=np.int8)
    utf8 = np.zeros((256, 4), dtype=np.uint8)
    out = np.zeros(64, dtype=np.uint8)
    shape2 = np.zeros((2, 4), dtype=np.int64)
    rewrite(
        src,
        59,
        2,
        roles,
        utf8,
        out,
        shape2.copy(),
        shape2 - 1,
        np.zeros((2, 4, SAMPLES, 4), dtype=np.int64),
        shape2.copy(),
        np.zeros(2, dtype=np.int64),
        np.zeros(256, dtype=np.uint8),
        False,
    )
    done = np.frombuffer(b"2020-12-25,1.5\n", dtype=np.uint8)
    verify(
        src,
        done,
        59,
        2,
        roles,
        np.zeros(256, dtype=np.int16),
        False,
        shape2.copy(),
        np.zeros(256, dtype=np.uint8),
    )
