"""UNF v6 fingerprints as Dataverse computes them (org.dataverse.unf, called by IngestServiceBean).

The algorithm (Dataverse guides, "UNF Version 6") with the details of Dataverse's implementation:

- A numeric value (integer variables are read as Java `long`, then converted to `double`) is first
  written as `Double.toString` (the shortest decimal that reads back as the same double), that
  decimal is rounded to 16 significant digits (`MathContext.DECIMAL64`, half-even), then to 7
  (half-even), and written `+d.dddddde±x`: no trailing zeros in the mantissa, no leading zeros in the
  exponent, no exponent digits for 0 (`+1.e+`, `-3.e+2`, `+7.3e-4`). Zeros keep their sign
  (`+0.e+`, `-0.e+`); `+inf`, `-inf`, `+nan`.
- A character value is cut to its first 128 UTF-16 code units (`String.format("%.128s")`: a cut
  inside a surrogate pair leaves half a character, written `?` in UTF-8). A value that Java's
  `trim()` empties (spaces and control characters only) counts as the empty string, unless it is
  longer than 128 units: then its first 127 units are kept. No Unicode normalisation.
- Every present value ends with `\\n\\0`; a missing value is three NUL bytes. The vector's UNF is the
  SHA-256 of the concatenation, cut to 128 bits, in base64, after `UNF:6:`.
- Dates (`yyyy-MM-dd`) are written zero-padded; date-times `yyyy-MM-dd'T'HH:mm:ss`, converted to UTC
  with a final `Z` when the values carry a time zone (see `normalise_datetime`).
- A file's UNF combines its variables' UNFs, a dataset's its files' UNFs (`combine`): the hash part
  of each (after the last `:`), sorted, fingerprinted as character values; one UNF alone is kept
  as it is.
- Quirk kept: a character variable whose first value looks like a UNF (`UNF:x:y`) is combined as a
  list of UNFs instead of being fingerprinted as text (UNFUtil.calculateUNF(String[]) does so).

Numbers are normalised in bulk with numpy and polars (integers below 10**7 from their digits, the
others rounded in floating point); the few values that sit within 1e-6 of a rounding tie at the 7th
digit (where the exact decimal matters) or have extreme exponents take the exact path
(`normalise_number`, Python's decimal). Hashing is incremental: a vector is fed chunk by chunk and
never held whole.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal

import numpy as np
import polars as pl

from tabcheck import kernels
from tabcheck.codebook.arrow_views import string_views
from tabcheck.dataverse.javatext import JAVA_TRIM

PREFIX = "UNF:6:"
MISSING = "\x00\x00\x00"
END = "\n\x00"
CHARACTERS = 128  # string truncation (UTF-16 code units)
DIGITS = 7

_CTX16 = Context(prec=16, rounding=ROUND_HALF_EVEN)  # MathContext.DECIMAL64
_CTX7 = Context(prec=DIGITS, rounding=ROUND_HALF_EVEN)
_TIE_MARGIN = 1e-6  # in units of the 7th digit: bulk rounding is exact outside it
_MAX_EXP = 290  # beyond: the bulk scaling would over/underflow


# -- single values (the exact reference path) -----------------------------------------------------
def normalise_number(x: float | int | None) -> str:
    """The normalised form of one numeric value, its terminator included."""
    if x is None:
        return MISSING
    x = float(x)
    if math.isnan(x):
        return "+nan" + END
    if math.isinf(x):
        return ("+inf" if x > 0 else "-inf") + END
    if x == 0:
        return ("-0.e+" if math.copysign(1.0, x) < 0 else "+0.e+") + END
    d = _CTX7.plus(_CTX16.plus(Decimal(repr(x))))
    sign, digits, _ = d.as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    return f"{'-' if sign else '+'}{text[0]}.{text[1:]}e{_exponent(d.adjusted())}" + END


def _exponent(e: int) -> str:
    return "+" if e == 0 else (f"+{e}" if e > 0 else str(e))


def java_truncate(s: str, units: int) -> str:
    """The first `units` UTF-16 code units of `s`; half a surrogate pair becomes `?` (as Java's
    getBytes("UTF-8") writes it)."""
    if len(s) <= units // 2:
        return s
    raw = s.encode("utf-16-le", "surrogatepass")
    if len(raw) <= 2 * units:
        return s
    cut = raw[: 2 * units].decode("utf-16-le", "surrogatepass")
    return cut.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(cut) else cut


def _has_surrogate(s: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in s)


def normalise_string(s: str | None) -> str:
    """The normalised form of one character value, its terminator included."""
    if s is None:
        return MISSING
    if s.strip(JAVA_TRIM) == "":
        return (s[: CHARACTERS - 1] if len(s) > CHARACTERS else "") + END
    return java_truncate(s, CHARACTERS) + END


def _digest(h: hashlib._Hash) -> str:
    return PREFIX + base64.b64encode(h.digest()[:16]).decode("ascii")


def unf_numbers(values: Iterable[float | int | None]) -> str:
    """The UNF of a numeric vector (None: a missing value)."""
    h = hashlib.sha256()
    for v in values:
        h.update(normalise_number(v).encode("ascii"))
    return _digest(h)


def unf_strings(values: Sequence[str | None]) -> str | None:
    """The UNF of a character vector (None: a missing value), the UNF-list quirk included."""
    v = VariableUnf("character")
    v.add_strings(pl.Series(values, dtype=pl.String))
    return v.result()


def java_split(s: str, sep: str) -> list[str]:
    """String.split with a literal separator: trailing empty strings are dropped."""
    parts = s.split(sep)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return parts


def looks_like_unf(s: str | None) -> bool:
    return s is not None and s.startswith("UNF:") and len(java_split(s, ":")) >= 3


def combine(unfs: Sequence[str]) -> str | None:
    """The UNF of a file from its variables' UNFs, or of a dataset from its files' (addUNFs)."""
    if not unfs:
        return None
    if len(unfs) == 1:
        return unfs[0]
    parts = []
    for u in unfs:
        split = java_split(u, ":")
        part = split[-1] if looks_like_unf(u) else split[0]
        parts.append(part.strip(JAVA_TRIM))
    parts.sort(key=lambda p: p.encode("utf-16-be", "surrogatepass"))  # String.compareTo
    h = hashlib.sha256()
    for p in parts:
        h.update(normalise_string(p).encode("utf-8", "surrogatepass"))
    return _digest(h)


# -- whole chunks -----------------------------------------------------------------------------
_POW_MIN = 330  # _POW10[i + _POW_MIN] is 10**i, correctly rounded, for i in [-330, 330]
_POW10 = np.array([float(f"1e{i}") for i in range(-_POW_MIN, _POW_MIN + 1)])


def _floats(values: pl.Series) -> tuple[np.ndarray, np.ndarray | None]:
    """The values as float64 (a missing value reads as NaN) and the mask of the missing values
    (None when there are none)."""
    a = np.asarray(values.cast(pl.Float64).to_numpy(), dtype=np.float64)
    return a, (values.is_null().to_numpy() if values.null_count() else None)


def _scale(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bulk rounding both number encoders share: each value to DIGITS significant digits.

    Returns (mask of the finite nonzero values, decimal exponent, the DIGITS digits as an
    integer-valued float in [10**(DIGITS-1), 10**DIGITS], mask of the values the exact decimal rule
    must settle: within _TIE_MARGIN of a rounding tie, or out of the bulk range); exponent and
    digits hold for the finite nonzero values outside the second mask only. The decimal
    exponent comes from the binary one, not from a logarithm: floor(e2 * log10(2)) is the exponent
    or one less, and one comparison with a power of ten settles which."""
    bits = a.view(np.int64)
    biased = (bits >> 52) & 0x7FF  # the binary exponent e2, biased by 1023; 0x7FF: inf and NaN
    est = ((biased - 1023) * 78913) >> 18  # floor(e2 * log10(2)), exact for |e2| < 1100
    with np.errstate(all="ignore"):
        finite = (biased != 0x7FF) & (a != 0)
        ab = np.abs(a)
        extreme = np.abs(est) > _MAX_EXP  # the scaling would over/underflow (subnormals among them)
        est = np.clip(est, -_MAX_EXP - 1, _MAX_EXP + 1)
        e = est + (ab >= _POW10.take(est + (_POW_MIN + 1)))
        scaled = ab * _POW10.take((_POW_MIN + DIGITS - 1) - e)
        k = np.rint(scaled)
        tie = np.abs(scaled - k) > 0.5 - _TIE_MARGIN
        out = (scaled < 10.0 ** (DIGITS - 1)) | (scaled >= 10.0**DIGITS)
        exact = finite & (extreme | tie | out)
    return finite, e, k, exact


def normalised_numbers(values: pl.Series) -> pl.Series:
    """Each value's normalised form (terminator included), in bulk; nulls are missing values."""
    a, nulls = _floats(values)
    n = len(a)
    missing = np.zeros(n, dtype=bool) if nulls is None else nulls
    finite, e, k_float, exact = _scale(a)
    finite &= ~missing
    exact &= finite
    k = np.where(finite & ~exact, k_float, 10.0 ** (DIGITS - 1)).astype(np.int64)
    carry = k >= 10**DIGITS
    k = np.where(carry, k // 10, k)
    e = e + carry
    frame = pl.DataFrame(
        {
            "k": pl.Series(k, dtype=pl.Int64),
            "e": pl.Series(e, dtype=pl.Int64),
            "neg": pl.Series(np.signbit(a)),
            "finite": pl.Series(finite),
            "v": pl.Series(a, dtype=pl.Float64),
            "missing": pl.Series(missing),
        }
    )
    digits = pl.col("k").cast(pl.String)
    exp = (
        pl.when(pl.col("e") == 0)
        .then(pl.lit("+"))
        .when(pl.col("e") > 0)
        .then(pl.lit("+") + pl.col("e").cast(pl.String))
        .otherwise(pl.col("e").cast(pl.String))
    )
    sign = pl.when(pl.col("neg")).then(pl.lit("-")).otherwise(pl.lit("+"))
    body = pl.concat_str(
        [
            sign,
            digits.str.slice(0, 1),
            pl.lit("."),
            digits.str.slice(1).str.strip_chars_end("0"),
            pl.lit("e"),
            exp,
        ]
    )
    v = pl.col("v")
    out = frame.select(
        pl.when(pl.col("missing"))
        .then(pl.lit(MISSING))
        .when(pl.col("finite"))
        .then(body + pl.lit(END))
        .when(v.is_nan())
        .then(pl.lit("+nan" + END))
        .when(v == float("inf"))
        .then(pl.lit("+inf" + END))
        .when(v == float("-inf"))
        .then(pl.lit("-inf" + END))
        .when(pl.col("neg"))
        .then(pl.lit("-0.e+" + END))
        .otherwise(pl.lit("+0.e+" + END))
        .alias("s")
    ).to_series()
    if exact.any():
        idx = np.flatnonzero(exact)
        out = out.scatter(idx, [normalise_number(float(a[i])) for i in idx])
    assert out.len() == n
    return out


# The byte encoder lays each value out in a row of 16 bytes, two little-endian 64-bit words:
#   head: sign, lead digit, '.', decimals 1-5;  tail: decimal 6, 'e', exponent sign, three exponent
#   digits, '\n', '\0'
# with a mask of the same shape for the bytes its form keeps (the decimals up to the last nonzero
# one, the exponent's significant digits); the kept bytes of all rows, in order, are the output.
# With the digits k = top * 1000 + low (top: the lead digit and decimals 1-3) and the exponent e,
# a row is the sum of three rows of the tables below, one per top, low and e (their bytes do not
# overlap), and so is its mask: no byte is written one at a time.
def _word(parts: Iterable[tuple[int, int]]) -> int:
    """A little-endian 64-bit word from (byte position, byte value) pairs."""
    return sum(value << (8 * at) for at, value in parts)


def _mask(positions: Iterable[int]) -> int:
    return _word((at, 1) for at in positions)


def _nonzero(digits: str) -> int:
    """How many of these decimals a form keeps: up to the last nonzero one."""
    return len(digits.rstrip("0"))


def _table(rows: Iterable[tuple[int, int]]) -> np.ndarray:
    return np.array(list(rows), dtype="<u8")


_TOPS = [f"{t:04d}" for t in range(10000)]
_LOWS = [f"{low:03d}" for low in range(1000)]
_EXPONENTS = [_exponent(e) for e in range(-_POW_MIN, _POW_MIN + 1)]  # '+', '+2', '-300', ...
_BY_TOP = _table((_word(enumerate(f"+{t[0]}.{t[1:]}".encode())), 0) for t in _TOPS)
_BY_LOW = _table((_word([(6, ord(x[0])), (7, ord(x[1]))]), ord(x[2])) for x in _LOWS)
_BY_EXP = _table((0, _word(enumerate(f"\0e{x[0]}{x[1:]:0>3}\n".encode()))) for x in _EXPONENTS)
_NEGATIVE = ord("-") - ord("+")  # added to the sign byte of a negative value (2: one bit)
# The masks: sign, lead digit and '.' always, the decimals up to the last nonzero one, the
# exponent's digits. A nonzero low keeps decimals 1-3 and 4 at least: its head mask is then the
# larger number, so the row's mask is the larger of top's and low's, plus e's.
_KEEP_BY_TOP = _table((_mask(range(3 + _nonzero(t[1:]))), 0) for t in _TOPS)
_KEEP_BY_LOW = _table(
    (_mask(range(6 + min(_nonzero(x), 2))) if x != "000" else 0, int(x[2] != "0")) for x in _LOWS
)
_KEEP_BY_EXP = _table((0, _mask([1, 2, *range(7 - len(x), 6), 6, 7])) for x in _EXPONENTS)
# The forms of the values outside the bulk rule that need no decimal arithmetic.
_SPECIAL = [MISSING, "+nan" + END, "+inf" + END, "-inf" + END]
_SPECIAL_ROWS = np.array([list(s.encode().ljust(16, b"\0")) for s in _SPECIAL], dtype=np.uint8)
_SPECIAL_KEEP = np.array([[i < len(s) for i in range(16)] for s in _SPECIAL])
_INTEGER_SCALE = np.array([10 ** (DIGITS - 1 - e) for e in range(DIGITS)], dtype=np.int64)
_INTEGER_EDGES = np.array([10**e for e in range(1, DIGITS)], dtype=np.int64)
_BLOCK = 8192  # values encoded at a time: the temporaries stay small (in the cache, reused)


def normalised_number_bytes(values: pl.Series) -> bytes:
    """The concatenated normalised forms of a chunk of numbers: the same bytes as joining
    `normalised_numbers`, faster. Blocks of _BLOCK values, each a table of 16-byte rows; integers
    below 10**DIGITS (exact as doubles, no rounding: ids, counts, years) are laid out from their
    digits, the rest rounded by `_scale`."""
    return b"".join(_number_parts(values))


def _number_parts(values: pl.Series) -> Iterator[memoryview]:
    """`normalised_number_bytes` block by block (a hash is fed them without joining them)."""
    missing = values.is_null().to_numpy() if values.null_count() else None
    block: Callable[[np.ndarray, np.ndarray | None], np.ndarray]
    if _small_integers(values):
        x = values.fill_null(0).to_numpy().astype(np.int64, copy=False)
        block = _integer_block
    else:
        x = np.asarray(values.cast(pl.Float64).to_numpy(), dtype=np.float64)
        block = _number_block
    for i in range(0, len(x), _BLOCK):
        yield block(x[i : i + _BLOCK], None if missing is None else missing[i : i + _BLOCK]).data


_NO_MASK = np.zeros(0, dtype=bool)


def compiled_number_bytes(values: pl.Series, at_least: int | None = None) -> memoryview | None:
    """`normalised_number_bytes` by the compiled loops (kernels.py), for Int64 and Float64 chunks of
    `at_least` values; None when they are not used (the numpy blocks then). The bytes are this
    thread's scratch buffer: valid until its next call."""
    n = values.len()
    if n < (kernels.MIN_VALUES if at_least is None else at_least) or values.dtype not in (
        pl.Int64,
        pl.Float64,
    ):
        return None
    encode = kernels.kernel("encode_integers" if values.dtype == pl.Int64 else "encode_floats")
    if encode is None:
        return None
    missing = values.is_null().to_numpy() if values.null_count() else _NO_MASK
    x = (values.fill_null(0) if values.dtype == pl.Int64 else values).to_numpy()
    out = kernels.scratch("unf", 16 * n + 16)  # 16 bytes a value at most, and slack
    i = pos = 0
    while True:
        i, pos = encode(x, missing, i, out, pos)
        if i == n:
            return out[:pos].data
        text = normalise_number(float(x[i])).encode("ascii")  # near a tie, or an extreme exponent
        out[pos : pos + len(text)] = np.frombuffer(text, dtype=np.uint8)
        pos += len(text)
        i += 1


_NOT_COMPILED = memoryview(b"")  # compiled_plain_bytes: the loops were not used
_ROOM = {"plain_text": 2 + 64, "plain_dates": 12}  # bytes a value at most (_jit: SHORT + 2)


def compiled_plain_bytes(values: pl.Series, loop: str, at_least: int | None = None) -> memoryview | None:
    """What `add_plain_text` (loop "plain_text") or `add_plain_dates` ("plain_dates") feeds the
    hash, by a compiled loop reading polars' buffers in place (arrow_views.py); None when a value
    needs the general rules; _NOT_COMPILED when the loops are not used (too few values, numba
    missing, a layout arrow_views does not read): the polars path then. The bytes are this
    thread's scratch buffer: valid until its next call."""
    if values.len() < (kernels.MIN_VALUES if at_least is None else at_least):
        return _NOT_COMPILED
    encode = kernels.kernel(loop)
    if encode is None:
        return _NOT_COMPILED
    out = kernels.scratch("unf", _ROOM[loop] * values.len() + 16)  # and slack: words stored whole
    pos = 0
    with string_views(values) as chunks:
        if chunks is None:
            return _NOT_COMPILED
        for c in chunks:
            pos = (
                encode(c.views, c.data, c.starts, out, pos)
                if loop == "plain_text"
                else encode(c.views, out, pos)
            )
            if pos < 0:
                return None
    return out[:pos].data


def _small_integers(values: pl.Series) -> bool:
    """Whether the values are integers below 10**DIGITS in magnitude (or missing)."""
    if not values.dtype.is_integer():
        return False
    low, high = values.min(), values.max()
    if low is None:
        return True  # all missing
    return isinstance(low, int) and isinstance(high, int) and max(-low, high) < 10**DIGITS


def _rows(top: np.ndarray, low: np.ndarray, e: np.ndarray, bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 16-byte rows of values with digits top * 1000 + low, exponent e (plus _POW_MIN) and the
    sign bit of `bits` (a float's or an integer's), and their masks, both as (n, 16) views."""
    rows = _BY_TOP.take(top, axis=0)
    rows += _BY_LOW.take(low, axis=0)
    rows += _BY_EXP.take(e, axis=0)
    rows[:, 0] += ((bits >> 63) & _NEGATIVE).view(np.uint64)  # the sign bit: '+' -> '-'
    keep = np.maximum(_KEEP_BY_TOP.take(top, axis=0), _KEEP_BY_LOW.take(low, axis=0))
    keep += _KEEP_BY_EXP.take(e, axis=0)
    n = len(top)
    return rows.view(np.uint8).reshape(n, 16), keep.view(bool).reshape(n, 16)


def _integer_block(x: np.ndarray, missing: np.ndarray | None) -> np.ndarray:
    ab = np.abs(x)
    e = np.searchsorted(_INTEGER_EDGES, ab, side="right")  # digits - 1 (0 for 0)
    k = ab * _INTEGER_SCALE.take(e)
    top = k // 1000
    rows, keep = _rows(top, k - top * 1000, e + _POW_MIN, x)
    if missing is not None and missing.any():
        rows[missing] = _SPECIAL_ROWS[0]
        keep[missing] = _SPECIAL_KEEP[0]
    return rows[keep]


def _number_block(a: np.ndarray, missing: np.ndarray | None) -> np.ndarray:
    finite, e, k_float, exact = _scale(a)
    bulk = finite & ~exact
    k = np.where(bulk, k_float, 0.0).astype(np.int64)  # zeros (and the values settled below): 0
    carry = k == 10**DIGITS  # 9999999.5 rounds to 1.e+(e+1)
    k[carry] = 10 ** (DIGITS - 1)
    e = np.where(bulk, e + carry, 0) + _POW_MIN
    top = k // 1000
    rows, keep = _rows(top, k - top * 1000, e, a.view(np.int64))
    other = ~(bulk | (a == 0))
    if missing is not None:
        other |= missing
    if other.any():
        # missing, NaN, infinite, or settled by the exact rule (near a tie, extreme exponents)
        idx = np.flatnonzero(other)
        v = a[idx]
        special = np.where(np.isnan(v), 1, np.where(v > 0, 2, 3))
        if missing is not None:
            special[missing[idx]] = 0
        rows[idx] = _SPECIAL_ROWS[special]
        keep[idx] = _SPECIAL_KEEP[special]
        settle = idx[np.isfinite(v) & (special != 0)]
        if len(settle):
            texts = [normalise_number(float(a[i])).encode("ascii") for i in settle]
            padded = b"".join(t.ljust(16, b"\0") for t in texts)
            rows[settle] = np.frombuffer(padded, dtype=np.uint8).reshape(-1, 16)
            keep[settle] = np.arange(16) < np.array([len(t) for t in texts])[:, None]
    return rows[keep]


def normalised_strings(values: pl.Series) -> pl.Series:
    """Each character value's normalised form (terminator included), in bulk."""
    v = pl.col("v")
    frame = values.cast(pl.String).to_frame("v")
    out = frame.select(
        pl.when(v.is_null())
        .then(pl.lit(MISSING))
        .when(v.str.strip_chars(JAVA_TRIM) == "")
        .then(pl.lit(END))
        .otherwise(v + pl.lit(END))
        .alias("s")
    ).to_series()
    # Beyond 64 UTF-8 bytes a value may exceed 128 UTF-16 units: the exact rule settles those few.
    long = frame.select((v.str.len_bytes() > CHARACTERS // 2).arg_true()).to_series()
    if long.len():
        vals = values.gather(long).to_list()
        fixed = [normalise_string(s) for s in vals]
        keep = [i for i, (s, f) in enumerate(zip(vals, fixed, strict=True)) if f != (s or "") + END]
        if keep:
            out = out.scatter([int(long[i]) for i in keep], [fixed[i] for i in keep])
    return out


def _odd_strings(values: pl.Series) -> bool:
    """Values the character rule changes: blank (Java's trim empties them) or possibly long."""
    return bool(
        values.to_frame("v")
        .select(
            (
                (pl.col("v").str.len_bytes() > CHARACTERS // 2)
                | (pl.col("v").str.strip_chars(JAVA_TRIM) == "")
            ).any()
        )
        .item()
    )


def plain_string_bytes(values: pl.Series) -> bytes:
    """Values without missing, blank or long ones, each followed by END, in UTF-8: polars' CSV
    writer never quoting a one-column frame writes exactly that, twice as fast as a join."""
    buffer = io.BytesIO()
    values.to_frame("v").write_csv(buffer, include_header=False, quote_style="never", line_terminator=END)
    return buffer.getvalue()


def _blank_or_long(values: pl.Series) -> bool:
    """Whether a value may be blank (not empty, but starting with a character Java's trim removes)
    or longer than 64 bytes: the values `normalise_string` may change (a cheaper, wider test than
    `_odd_strings`). An empty value is written as it is: END alone."""
    v = pl.col("v")
    size = v.str.len_bytes()
    return bool(
        values.to_frame("v")
        .select(((size > CHARACTERS // 2) | ((size > 0) & (v.str.head(1) <= " "))).any())
        .item()
    )


def _blank_or_long_written(data: bytes, values: pl.Series) -> bool:
    """`_blank_or_long` read from the values as written, each followed by END (numpy on the bytes
    instead of a query on the values); a value holding a NUL hides the ends: the query then."""
    a = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(a == 0)  # the NUL of each value's END
    if len(ends) != values.len():
        return _blank_or_long(values)
    starts = np.concatenate(([0], ends[:-1] + 1))
    size = ends - 1 - starts  # the value's bytes, before END's line feed
    if (size > CHARACTERS // 2).any():
        return True
    return bool((a[starts[size > 0]] <= ord(" ")).any())


class VariableUnf:
    """The UNF of one variable, fed chunk by chunk in row order."""

    def __init__(self, kind: str):
        self.kind = kind  # numeric | character
        self._sha = hashlib.sha256()
        self.count = 0
        self._unf_list: list[str] | None = None  # the UNF-list quirk (character only)
        self.unknown: str | None = None  # why no UNF can be predicted (a value tabcheck cannot read)

    def add_numbers(self, values: pl.Series) -> None:
        step = 1 << 18
        for start in range(0, values.len(), step):
            piece = values.slice(start, step)
            compiled = compiled_number_bytes(piece)
            if compiled is not None:
                self._sha.update(compiled)
                continue
            for part in _number_parts(piece):
                self._sha.update(part)
        self.count += values.len()

    def add_strings(self, values: pl.Series) -> None:
        if not values.len():
            return
        if self.count == 0 and looks_like_unf(values[0]):
            self._unf_list = []
        if self._unf_list is not None:
            if values.null_count():
                self.unknown = "a missing value in a column of UNFs"
            self._unf_list.extend(v for v in values.to_list() if v is not None)
        elif not values.null_count() and not _odd_strings(values):
            # Plain values (none missing, blank or long): each followed by END, as they are.
            self._sha.update(plain_string_bytes(values))
        else:
            self._feed(normalised_strings(values))
        self.count += values.len()

    def add_plain_text(self, values: pl.Series) -> bool:
        """Feed a chunk of raw character values when none needs a rule: none missing, blank or
        long, no backslash (Dataverse's re-read would unescape it), no UNF list; False (nothing
        fed) otherwise. One write of the chunk and one byte search instead of a test per value."""
        if self.kind != "character" or self._unf_list is not None or values.null_count():
            return False
        if not values.len() or (self.count == 0 and looks_like_unf(values[0])):
            return False
        compiled = compiled_plain_bytes(values, "plain_text")
        if compiled is _NOT_COMPILED:
            data = plain_string_bytes(values)
            if b"\\" in data or _blank_or_long_written(data, values):
                return False
            compiled = memoryview(data)
        if compiled is None:
            return False
        self._sha.update(compiled)
        self.count += values.len()
        return True

    def add_plain_dates(self, values: pl.Series) -> bool:
        """Feed a chunk of raw values of a date variable when each is empty (missing) or a plain
        `yyyy-MM-dd` (written as it is); False (nothing fed) otherwise. One query and one write
        instead of the stored-text, date and character rules value by value."""
        if self.kind != "character" or self._unf_list is not None or values.null_count() or not values.len():
            return False
        compiled = compiled_plain_bytes(values, "plain_dates")
        if compiled is None:
            return False
        if compiled is not _NOT_COMPILED:
            self._sha.update(compiled)
            self.count += values.len()
            return True
        v = pl.col("v")
        frame = values.to_frame("v")
        if not frame.select(((v == "") | v.str.contains(_CANONICAL_DATE)).all()).item():
            return False
        if not frame.select((v == "").any()).item():  # every value present: each followed by END
            self._sha.update(plain_string_bytes(values))
            self.count += values.len()
            return True
        # Each present value then "\n", each line ended by "\0"; a missing value is "\0\0" before
        # it: MISSING (three NULs) and value + END, as `normalised_strings` gives them.
        lines = frame.select(pl.when(v == "").then(None).otherwise(v + "\n").alias("v"))
        buffer = io.BytesIO()
        lines.write_csv(
            buffer, include_header=False, quote_style="never", line_terminator="\x00", null_value="\x00\x00"
        )
        self._sha.update(buffer.getvalue())
        self.count += values.len()
        return True

    def _feed(self, normalised: pl.Series) -> None:
        step = 1 << 20
        for start in range(0, normalised.len(), step):
            part = normalised.slice(start, step).str.join("").item()
            self._sha.update(part.encode("utf-8", "surrogatepass"))

    def result(self) -> str | None:
        if self.unknown is not None or self.count == 0:
            return None  # Dataverse's library fails on an empty vector
        if self._unf_list is not None:
            return combine(self._unf_list)
        return _digest(self._sha)


# -- dates and times ----------------------------------------------------------------------------
_DATE = re.compile(r"^[ \t]*(-?\d+)-[ \t]*(-?\d+)-[ \t]*(-?\d+)")
_DATETIME = re.compile(
    r"^[ \t]*(-?\d+)-[ \t]*(-?\d+)-[ \t]*(-?\d+) [ \t]*(-?\d+):[ \t]*(-?\d+):[ \t]*(-?\d+)"
)
_CANONICAL_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits: polars' \d is Unicode
_CANONICAL_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
# Zone names Java's parser reads with one meaning whatever the date (standard or summer names).
_ZONES = {
    "UTC": 0, "GMT": 0, "UT": 0, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MET": 60,
    "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "JST": 540, "HST": -600, "AKST": -540,
    "AKDT": -480, "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300,
    "EST": -300, "EDT": -240, "NZST": 720, "NZDT": 780, "AEST": 600, "AEDT": 660,
}  # fmt: skip
_GMT_OFFSET = re.compile(r"^(?i:gmt|utc|ut)([+-])(\d{1,2})(?::(\d{2}))?$")
_RFC822 = re.compile(r"^([+-])(\d{2})(\d{2})$")


def _num(s: str) -> int:
    return int("".join(str(int(c)) if c.isdigit() else c for c in s))


def normalise_date(value: str | None) -> str | None:
    """A date value of a `yyyy-MM-dd` variable as the UNF library writes it (None: missing)."""
    if value is None:
        return None
    m = _DATE.match(value)
    if not m:
        return value  # the parse fails: the library keeps the value as it is
    y, mo, d = (_num(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if y >= 0 else f"-{-y:04d}-{mo:02d}-{d:02d}"


def normalise_datetime(value: str | None, with_zone: bool) -> str | None:
    """A date-time value as the UNF library writes it: `yyyy-MM-ddTHH:mm:ss`, fields rolled over
    as Java's lenient calendar does (the server's zone taken as UTC), and for values with a time
    zone the UTC time followed by `Z`. Raises ValueError for a zone tabcheck cannot place."""
    if value is None:
        return None
    m = _DATETIME.match(value)
    if not m:
        return value
    y, mo, d, hh, mi, ss = (_num(g) for g in m.groups())
    months = y * 12 + (mo - 1)
    try:
        t = _dt.datetime(months // 12, months % 12 + 1, 1) + _dt.timedelta(
            days=d - 1, hours=hh, minutes=mi, seconds=ss
        )
    except (ValueError, OverflowError):
        raise ValueError(f"date-time out of range: {value!r}") from None
    if with_zone:
        zone = value[m.end() :].strip(" \t")
        t -= _dt.timedelta(minutes=_zone_offset(zone))
    text = f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return text + "Z" if with_zone else text


def _zone_offset(zone: str) -> int:
    if zone in _ZONES:
        return _ZONES[zone]
    m = _GMT_OFFSET.match(zone) or _RFC822.match(zone)
    if m and m.re is _GMT_OFFSET:
        sign, h, mins = m.groups()
        return (1 if sign == "+" else -1) * (int(h) * 60 + int(mins or 0))
    if m:
        sign, h, mins = m.groups()
        return (1 if sign == "+" else -1) * (int(h) * 60 + int(mins))
    raise ValueError(f"time zone tabcheck cannot place: {zone!r}")


def normalised_dates(values: pl.Series, kind: str, time_format: str | None = None) -> pl.Series:
    """Date (`kind` date) or date-time (`kind` time, `time_format` 'tz' or 'notz') values as the
    UNF library writes them, before the character normalisation; nulls stay missing."""
    v = pl.col("v")
    if kind == "date":
        canonical = _CANONICAL_DATE
    else:
        canonical = _CANONICAL_TIME if time_format != "tz" else r"^$a"  # zones: always the exact path
    frame = values.to_frame("v")
    if kind == "time" and time_format != "tz":
        out = frame.select(v.str.replace(" ", "T", literal=True).alias("v")).to_series()
    else:
        out = values
    odd = frame.select((v.is_not_null() & ~v.str.contains(canonical)).arg_true()).to_series()
    if odd.len():
        raw = values.gather(odd).to_list()
        if kind == "date":
            fixed = [normalise_date(x) for x in raw]
        else:
            fixed = [normalise_datetime(x, time_format == "tz") for x in raw]
        out = out.scatter(odd, fixed)
    return out
