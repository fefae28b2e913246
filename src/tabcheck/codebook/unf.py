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

Numbers are normalised in bulk with numpy and polars; the few values that sit within 1e-6 of a
rounding tie at the 7th digit (where the exact decimal matters) or have extreme exponents take the
exact path (`normalise_number`, Python's decimal). Hashing is incremental: a vector is fed chunk by
chunk and never held whole.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal

import numpy as np
import polars as pl

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
def _scaled(
    values: pl.Series,
) -> tuple[np.ndarray, np.ndarray, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, float]:
    """The bulk scaling both number encoders share: each value as DIGITS significant digits.

    Returns (values as floats, missing mask, count, finite-and-nonzero mask, decimal exponent,
    value scaled to DIGITS digits before the point, mask of the values the exact decimal rule must
    settle (near a rounding tie, out of the bulk range), 10**(DIGITS-1), 10**DIGITS)."""
    a = np.asarray(values.cast(pl.Float64).to_numpy(), dtype=np.float64)
    missing = values.is_null().to_numpy()
    n = len(a)
    with np.errstate(all="ignore"):
        finite = np.isfinite(a) & (a != 0) & ~missing
        ab = np.where(finite, np.abs(a), 1.0)
        e = np.floor(np.log10(ab)).astype(np.int64)
        extreme = (e > _MAX_EXP) | (e < -_MAX_EXP)
        e = np.where(extreme, 0, e)
        p = np.power(10.0, e)
        e = e - (ab < p) + (ab >= p * 10)
        scaled = ab * np.power(10.0, (DIGITS - 1) - e)
        lo, hi = 10.0 ** (DIGITS - 1), 10.0**DIGITS
        frac = scaled - np.floor(scaled)
        exact = finite & (extreme | (np.abs(frac - 0.5) < _TIE_MARGIN) | (scaled < lo) | (scaled >= hi))
    return a, missing, n, finite, e, scaled, exact, lo, hi


def normalised_numbers(values: pl.Series) -> pl.Series:
    """Each value's normalised form (terminator included), in bulk; nulls are missing values."""
    a, missing, n, finite, e, scaled, exact, _lo, hi = _scaled(values)
    with np.errstate(all="ignore"):
        k = np.rint(scaled).astype(np.int64)
    carry = k >= int(hi)
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


_WIDTH = 16  # the longest normalised number: -1.234568e-300\n\0
_DIGITS4 = np.array([list(f"{i:04d}".encode()) for i in range(10000)], dtype=np.uint8)
_DIGITS3 = np.array([list(f"{i:03d}".encode()) for i in range(1000)], dtype=np.uint8)
_ZEROS3 = np.array([3 - len(f"{i:03d}".rstrip("0")) for i in range(1000)], dtype=np.int64)


def normalised_number_bytes(values: pl.Series) -> bytes:
    """The concatenated normalised forms of a chunk of numbers, built as a byte matrix (one row per
    value, a mask of the bytes kept): the same bytes as joining `normalised_numbers`, faster."""
    a, missing, n, finite, e, scaled, exact, lo, hi = _scaled(values)
    with np.errstate(all="ignore"):
        k = np.where(finite & ~exact, np.rint(scaled), lo).astype(np.int64)
    carry = k >= int(hi)
    k = np.where(carry, k // 10, k)
    e = e + carry
    m = np.zeros((n, _WIDTH), dtype=np.uint8)
    keep = np.zeros((n, _WIDTH), dtype=bool)
    # sign, lead digit, '.', six decimals, 'e', exponent sign, three exponent digits, '\n', '\0'
    m[:, 0] = np.where(np.signbit(a), ord("-"), ord("+"))
    k32 = k.astype(np.int32)
    top, low = k32 // 1000, k32 % 1000  # the lead digit and three decimals, the last three decimals
    m[:, 1:5] = _DIGITS4[top]
    m[:, 5] = m[:, 4]
    m[:, 4] = m[:, 3]
    m[:, 3] = m[:, 2]
    m[:, 2] = ord(".")
    m[:, 6:9] = _DIGITS3[low]
    tz = np.where(low == 0, 3 + _ZEROS3[top % 1000], _ZEROS3[low])
    kept_decimals = (DIGITS - 1) - tz
    m[:, 9] = ord("e")
    m[:, 10] = np.where(e < 0, ord("-"), ord("+"))
    ae = np.asarray(np.abs(e), dtype=np.int64)
    m[:, 11] = (ae // 100) % 10 + 48
    m[:, 12] = (ae // 10) % 10 + 48
    m[:, 13] = ae % 10 + 48
    exp_digits = np.asarray((ae > 0).astype(np.int64) + (ae >= 10) + (ae >= 100), dtype=np.int64)
    m[:, 14] = 10
    m[:, 15] = 0
    cols = np.arange(_WIDTH)
    keep[:, :3] = True
    keep[:, 3:9] = cols[None, 3:9] - 3 < kept_decimals[:, None]
    keep[:, 9:11] = True
    keep[:, 11:14] = cols[None, 11:14] >= (14 - exp_digits)[:, None]
    keep[:, 14:16] = True
    other = ~finite | exact
    if other.any():
        idx = np.flatnonzero(other)
        texts = [MISSING if missing[i] else normalise_number(float(a[i])) for i in idx]
        raw = np.zeros((len(idx), _WIDTH), dtype=np.uint8)
        lens = np.array([len(t) for t in texts], dtype=np.int64)
        flat = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)
        rows = np.repeat(np.arange(len(idx)), lens)
        offs = np.arange(len(flat)) - np.repeat(np.cumsum(lens) - lens, lens)
        raw[rows, offs] = flat
        m[idx] = raw
        keep[idx] = cols[None, :] < lens[:, None]
    return m[keep].tobytes()


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


def number_chunk_bytes(values: pl.Series, few: int = 8) -> bytes:
    """`normalised_number_bytes`, or, when a chunk holds few distinct values (at most one in
    `few`: ages, counts, one-decimal measurements), each distinct value normalised once and
    mapped back by its bit pattern (-0.0 and 0.0 stay apart)."""
    n = values.len()
    if n < 4096:
        return normalised_number_bytes(values)
    a = np.asarray(values.cast(pl.Float64).to_numpy(), dtype=np.float64)
    bits = pl.Series(a.view(np.uint64))
    missing = values.is_null()
    if missing.any():
        bits = pl.select(pl.when(missing).then(None).otherwise(bits)).to_series()
    distinct = bits.unique().drop_nulls()
    if distinct.len() * few > n:
        return normalised_number_bytes(values)
    raw = distinct.to_numpy()
    forms = normalised_numbers(pl.Series(raw.view(np.float64), dtype=pl.Float64))
    mapped = bits.replace_strict(pl.Series(raw), forms, return_dtype=pl.String).fill_null(MISSING)
    return mapped.str.join("").item().encode("ascii")


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
            self._sha.update(number_chunk_bytes(values.slice(start, step)))
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
            # Plain values (none missing, blank or long): joined as they are.
            step = 1 << 20
            for start in range(0, values.len(), step):
                part = values.slice(start, step).str.join(END).item() + END
                self._sha.update(part.encode("utf-8", "surrogatepass"))
        else:
            self._feed(normalised_strings(values))
        self.count += values.len()

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
_CANONICAL_DATE = r"^\d{4}-\d{2}-\d{2}$"
_CANONICAL_TIME = r"^\d{4}-\d{2}-\d{2} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$"
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
