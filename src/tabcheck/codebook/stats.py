"""Summary statistics as Dataverse stores them (SumStatCalculator, called by IngestServiceBean).

Dataverse computes statistics for numeric variables only (integer and continuous alike; its
character statistics are commented out, and its frequency tables only fill categories that value
labels define, which CSV and XLSX files never have). For each numeric variable it stores eight
strings, each `Double.toString` of a double:

- `vald`, `invd`: the counts of valid and invalid values (`24.0`); invalid = missing or NaN
  (`NaN`, `Infinity` written in full and values Java cannot read are missing by then);
- `mean`: sum/n (a plain left-to-right sum) plus the mean of the deviations from it (a second pass);
- `medn`: the values sorted (-0.0 before 0.0), position p = (n+1)/2, `lower + (p - floor(p)) *
  (upper - lower)` with lower/upper the values at floor(p) and floor(p)+1 (the single value for n=1);
- `mode`: always `.` (Dataverse never computes it);
- `min`, `max`: commons-math's StatUtils (of equal values, the last one met: the sign of a zero
  depends on it);
- `stdev`: the square root of commons-math's bias-corrected variance, with its own compensated
  formula ((Σd² − (Σd)²/n) / (n−1), d = x − mean, sums left to right); 0.0 for one value.
With no valid value, every statistic but the counts is `NaN`.

Memory: a variable's valid values are kept as float64, in memory up to a budget, then appended to a
temporary file (deleted at the end). Sums are recomputed left to right over that store (numpy's
cumulative sum is sequential, like Java's loop: pairwise summation would round differently). The
median is exact: in memory by `np.partition`; once spilled, by radix selection on the values'
order-preserving 64-bit keys, 16 bits per pass over the file, until the candidates fit in memory.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Context, Decimal

import numpy as np
import polars as pl

TYPES = ("mean", "medn", "mode", "vald", "invd", "min", "max", "stdev")
_BLOCK = 1 << 20  # values per block when reading a spilled store
_SIGN = np.uint64(1 << 63)


def java_double(x: float) -> str:
    """Java's Double.toString (JDK 19 and later: the shortest decimal that reads back as x)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    d = Decimal(repr(x))
    if len(d.normalize().as_tuple().digits) == 1:
        # One digit reads back as x: Java then takes the closest decimal of one or two digits.
        two = Context(prec=2, rounding=ROUND_HALF_EVEN).plus(Decimal(x))
        if float(two) == x:
            d = two
    sign, digits, _ = d.normalize().as_tuple()
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    adjusted = d.adjusted()
    neg = "-" if sign else ""
    if 1e-3 <= abs(x) < 1e7:
        point = adjusted + 1  # digits before the decimal point
        if point <= 0:
            text = "0." + "0" * (-point) + ds
        elif point >= len(ds):
            text = ds + "0" * (point - len(ds)) + ".0"
        else:
            text = ds[:point] + "." + ds[point:]
    else:
        text = f"{ds[0]}.{ds[1:] or '0'}E{adjusted}"
    return neg + text


def _keys(a: np.ndarray) -> np.ndarray:
    """Order-preserving unsigned keys of doubles: -inf < ... < -0.0 < 0.0 < ... < inf."""
    # A negative value's bits all flipped, a positive one's sign bit set: the arithmetic shift of
    # the sign gives all ones or none, so one xor does both.
    flip = (a.view(np.int64) >> 63).view(np.uint64) | _SIGN
    return a.view(np.uint64) ^ flip


def _from_key(k: np.uint64) -> float:
    k = np.uint64(k)
    bits = k & ~_SIGN if k & _SIGN else ~k
    return float(np.array([bits], dtype=np.uint64).view(np.float64)[0])


class ValueStore:
    """Doubles appended in order; in memory up to `budget` bytes, then in a temporary file."""

    def __init__(self, budget: int = 32 << 20):
        self.budget = budget
        self.count = 0
        self._chunks: list[np.ndarray] = []
        self._file: tempfile._TemporaryFileWrapper | None = None

    def add(self, values: np.ndarray) -> None:
        if not len(values):
            return
        values = np.ascontiguousarray(values, dtype=np.float64)
        self.count += len(values)
        if self._file is None and self.count * 8 <= self.budget:
            self._chunks.append(values)
            return
        if self._file is None:
            self._file = tempfile.NamedTemporaryFile(prefix="tabcheck-codebook-", suffix=".f64")  # noqa: SIM115 - closed by close()
            for c in self._chunks:
                self._file.write(c.tobytes())
            self._chunks = []
        self._file.write(values.tobytes())

    @property
    def spilled(self) -> bool:
        return self._file is not None

    def blocks(self) -> Iterator[np.ndarray]:
        if self._file is None:
            yield from self._chunks
            return
        self._file.flush()
        data = np.memmap(self._file.name, dtype=np.float64, mode="r", shape=(self.count,))
        for start in range(0, self.count, _BLOCK):
            yield np.asarray(data[start : start + _BLOCK])
        del data

    def all(self) -> np.ndarray:
        """The values in memory, as a new array (the caller may reorder it)."""
        return np.concatenate(self._chunks) if self._chunks else np.empty(0)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()  # deletes it
            self._file = None
        self._chunks = []


def _seq_sum(
    blocks: Iterable[np.ndarray], f: Callable[[np.ndarray], np.ndarray] | None = None, total: float = 0.0
) -> float:
    """Left-to-right sum, as Java's `for` loop adds (numpy's cumsum is sequential): each block's
    first value takes the running total, then the block is summed in place."""
    with np.errstate(all="ignore"):
        for b in blocks:
            if not len(b):
                continue
            v = f(b) if f is not None else b.copy()  # a new array: the store stays as it is
            v[0] += total
            total = float(np.cumsum(v, out=v)[-1])
    return total


def _deviation_sums(blocks: Iterator[np.ndarray], centre: float) -> tuple[float, float]:
    """The left-to-right sums of d*d and of d, d = x - centre, in one pass (commons-math's loop
    keeps both accumulators)."""
    square = linear = 0.0
    with np.errstate(all="ignore"):
        for b in blocks:
            if len(b):
                square, linear = _deviation_step(b, centre, square, linear)
    return square, linear


def _deviation_step(b: np.ndarray, centre: float, square: float, linear: float) -> tuple[float, float]:
    """The deviation sums carried over one more block (each block's first value takes them)."""
    d = b - centre
    d2 = d * d
    d2[0] += square
    d[0] += linear
    return float(np.cumsum(d2, out=d2)[-1]), float(np.cumsum(d, out=d)[-1])


class NumericStats:
    """Dataverse's summary statistics of one numeric variable, fed chunk by chunk in row order."""

    def __init__(self, budget: int = 32 << 20):
        self.valid = 0
        self.invalid = 0
        self.store = ValueStore(budget)
        self._min: float | None = None
        self._max: float | None = None
        self._sum = 0.0  # the left-to-right sum, fed as the values come (one pass less at the end)

    def add(self, values: pl.Series) -> None:
        """Values as Dataverse reads them back (null: missing)."""
        a = values.cast(pl.Float64).to_numpy()
        a = np.asarray(a, dtype=np.float64)  # nulls come out as NaN: invalid either way
        ok = ~np.isnan(a)
        good = a[ok]
        self.valid += len(good)
        self.invalid += len(a) - len(good)
        if len(good):
            self._extreme(good)
            self._sum = _seq_sum([good], total=self._sum)
            self.store.add(good)

    def _extreme(self, good: np.ndarray) -> None:
        # Of equal values (0.0 == -0.0), commons-math keeps the last one met.
        for name, pick in (("_min", np.min), ("_max", np.max)):
            m = float(pick(good))
            if m == 0:
                zeros = np.flatnonzero(good == 0)
                m = float(good[zeros[-1]])
            cur = getattr(self, name)
            if cur is None or (m < cur if name == "_min" else m > cur) or m == cur:
                setattr(self, name, m)

    def _median(self) -> float:
        n = self.valid
        if n == 0:
            return math.nan
        if n == 1:
            return next(iter(self.store.blocks()))[0].item()
        pos = (n + 1) / 2
        fpos = math.floor(pos)
        dif = pos - fpos
        lower, upper = self._order_stats(int(fpos) - 1, int(fpos))
        return lower + dif * (upper - lower)

    def _order_stats(self, i: int, j: int) -> tuple[float, float]:
        if not self.store.spilled:
            values = self.store.all()  # a copy: partitioned in place
            if j == i + 1:
                # One selection: what follows the i-th value is no smaller, its least is the j-th.
                # Floats order as the keys do but for zeros' signs: the keys settle a zero.
                values.partition(i)
                lower, upper = float(values[i]), float(values[j:].min())
                if lower != 0 and upper != 0:
                    return lower, upper
            keys = _keys(values)
            part = np.partition(keys, [i, j])
            return _from_key(part[i]), _from_key(part[j])
        low = self._select(i)
        if j != i + 1:
            return _from_key(low), _from_key(self._select(j))
        # The j-th value: the i-th again when more than j values are no larger, else the least
        # larger one; one pass over the store instead of a second selection.
        no_larger, larger = 0, None
        for keys in map(_keys, self.store.blocks()):
            above = keys[keys > low]
            no_larger += len(keys) - len(above)
            if len(above):
                least = np.uint64(above.min())
                larger = least if larger is None else min(larger, least)
        high = low if no_larger > j or larger is None else larger
        return _from_key(low), _from_key(high)

    def _select(self, k: int) -> np.uint64:
        """The key of the k-th smallest value (0-based) of a spilled store: radix selection."""
        prefix, width = np.uint64(0), 0  # the top `width` bits of the key are settled
        limit = max(1, self.store.budget // 8)
        while True:
            shift = np.uint64(64 - width - 16)
            hist = np.zeros(1 << 16, dtype=np.int64)
            for b in self.store.blocks():
                keys = _keys(b)
                if width:
                    keys = keys[(keys >> np.uint64(64 - width)) == prefix]
                hist += np.bincount(((keys >> shift) & np.uint64(0xFFFF)).astype(np.int64), minlength=1 << 16)
            cum = np.cumsum(hist)
            digit = int(np.searchsorted(cum, k, side="right"))
            k -= int(cum[digit - 1]) if digit else 0
            prefix = (prefix << np.uint64(16)) | np.uint64(digit)
            width += 16
            if width == 64:
                return prefix
            if hist[digit] <= limit:
                picked = [
                    kk[(kk >> np.uint64(64 - width)) == prefix] for kk in map(_keys, self.store.blocks())
                ]
                cand = np.concatenate(picked)
                return np.uint64(np.partition(cand, k)[k])

    def result(self) -> dict[str, str]:
        """The eight statistics, as the strings Dataverse stores."""
        n = self.valid
        out = {"vald": java_double(float(n)), "invd": java_double(float(self.invalid)), "mode": "."}
        if n == 0:
            out.update({k: "NaN" for k in ("mean", "medn", "min", "max", "stdev")})
            return {k: out[k] for k in TYPES}
        median = None
        with np.errstate(all="ignore"):
            xbar = self._sum / n
            if self.store.spilled and n > 1:
                mean, var, median = self._spilled_moments(xbar)
            else:
                correction = _seq_sum(self.store.blocks(), lambda b: b - xbar)
                mean = xbar + correction / n
                if n == 1:
                    var = 0.0
                else:
                    accum, accum2 = _deviation_sums(self.store.blocks(), mean)
                    var = (accum - (accum2 * accum2 / n)) / (n - 1.0)
        out["mean"] = java_double(mean)
        out["medn"] = java_double(self._median() if median is None else median)
        assert self._min is not None and self._max is not None
        out["min"] = java_double(self._min)
        out["max"] = java_double(self._max)
        out["stdev"] = java_double(math.sqrt(var) if not (var < 0) else math.nan)
        return {k: out[k] for k in TYPES}

    def _spilled_moments(self, xbar: float) -> tuple[float, float, float | None]:
        """(mean, variance, median) of a spilled store of n > 1 values in two passes over the file,
        with the same sums: the first takes the mean's correction and a histogram of the keys'
        top 16 bits, the second the deviation sums and the keys of the one or two buckets that
        hold the median's order statistics; None for the median when those buckets hold more
        values than the budget (many equal values: `_median`'s selection then)."""
        n = self.valid
        i = math.floor((n + 1) / 2) - 1  # the median's lower order statistic; the upper is i + 1
        correction = 0.0
        hist = np.zeros(1 << 16, dtype=np.int64)
        for b in self.store.blocks():
            correction = _seq_sum([b], lambda x: x - xbar, correction)
            hist += np.bincount((_keys(b) >> np.uint64(48)).astype(np.int64), minlength=1 << 16)
        mean = xbar + correction / n
        cum = np.cumsum(hist)
        low, high = (int(np.searchsorted(cum, k, side="right")) for k in (i, i + 1))
        before = int(cum[low] - hist[low])  # values in the buckets below the lower one
        take = int(cum[high]) - before <= max(1, self.store.budget // 8)
        square = linear = 0.0
        picked = []
        for b in self.store.blocks():
            square, linear = _deviation_step(b, mean, square, linear)
            if take:
                keys = _keys(b)
                top = (keys >> np.uint64(48)).astype(np.int64)
                picked.append(keys[(top >= low) & (top <= high)])
        var = (square - (linear * linear / n)) / (n - 1.0)
        if not take:
            return mean, var, None
        order = np.partition(np.concatenate(picked), [i - before, i + 1 - before])
        lower, upper = _from_key(order[i - before]), _from_key(order[i + 1 - before])
        pos = (n + 1) / 2
        return mean, var, lower + (pos - math.floor(pos)) * (upper - lower)

    def close(self) -> None:
        self.store.close()


def memory_budget() -> int:
    """Bytes of values kept in memory per file before spilling (TABCHECK_CODEBOOK_MEMORY, MB)."""
    try:
        return int(float(os.environ.get("TABCHECK_CODEBOOK_MEMORY", "128")) * (1 << 20))
    except ValueError:
        return 128 << 20
