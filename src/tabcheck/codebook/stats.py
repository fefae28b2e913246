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
median is exact: the values' order-preserving 64-bit keys in the one or two buckets (keys' top 16
bits, counted as values come) that hold it are collected in the deviations' pass and partitioned;
when those buckets hold more values than the candidates' budget (many values within a narrow
range: a top-16-bit bucket spans 36 to 38 °C, or 160 to 168 cm), by radix selection on the keys, 16
bits per pass over the file, until the candidates fit in memory. The candidates' budget is larger
than a variable's share of the store: the candidates are taken at the end, a few variables at a
time (collect.variables_for).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Context, Decimal

import numpy as np
import polars as pl

from tabcheck import kernels

TYPES = ("mean", "medn", "mode", "vald", "invd", "min", "max", "stdev")
_BLOCK = 1 << 20  # values per block when reading a spilled store
_SIGN = np.uint64(1 << 63)
_TOP_SHIFT = np.uint64(48)  # the histogram of the keys' top 16 bits


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
                self._file.write(c.data)
            self._chunks = []
        self._file.write(values.data)

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


def _deviation_step(b: np.ndarray, centre: float, square: float, linear: float) -> tuple[float, float]:
    """The deviation sums carried over one more block (each block's first value takes them)."""
    d = b - centre
    d2 = d * d
    d2[0] += square
    d[0] += linear
    return float(np.cumsum(d2, out=d2)[-1]), float(np.cumsum(d, out=d)[-1])


def _correction(blocks: Iterable[np.ndarray], xbar: float) -> float:
    """The left-to-right sum of x - xbar (the mean's correction), by the compiled loop for large
    blocks."""
    total = 0.0
    loop = kernels.kernel("centred_sum")
    with np.errstate(all="ignore"):
        for b in blocks:
            if loop is not None and len(b) >= kernels.MIN_VALUES:
                total = loop(b, xbar, total)
            else:
                total = _seq_sum([b], lambda x: x - xbar, total)
    return total


def _deviations(
    blocks: Iterable[np.ndarray], centre: float, low: int = 1, high: int = 0, count: int = 0
) -> tuple[float, float, np.ndarray | None]:
    """The left-to-right sums of d*d and of d, d = x - centre (commons-math's loop keeps both
    accumulators), and, when low <= high, the `count` keys whose top 16
    bits lie in [low, high] (None otherwise), in one pass."""
    loop = kernels.kernel("deviation_sums")
    square = linear = 0.0
    take = low <= high
    picked = np.empty(count if take else 0, dtype=np.uint64)
    at = 0
    with np.errstate(all="ignore"):
        for b in blocks:
            if not len(b):
                continue
            if loop is not None and len(b) >= kernels.MIN_VALUES:
                square, linear, at = loop(b, centre, square, linear, low, high, picked, at)
                continue
            square, linear = _deviation_step(b, centre, square, linear)
            if take:
                keys = _keys(b)
                top = (keys >> _TOP_SHIFT).astype(np.int64)
                chosen = keys[(top >= low) & (top <= high)]
                picked[at : at + len(chosen)] = chosen
                at += len(chosen)
    assert not take or at == count, "the histogram counted these keys"
    return square, linear, picked if take else None


class NumericStats:
    """Dataverse's summary statistics of one numeric variable, fed chunk by chunk in row order."""

    def __init__(self, budget: int = 32 << 20, candidates: int | None = None):
        """`budget`: bytes of values kept in memory before spilling; `candidates`: bytes of the
        median's candidate keys taken at the end (`budget` when not given)."""
        self.candidates = budget if candidates is None else candidates
        self.valid = 0
        self.invalid = 0
        self.store = ValueStore(budget)
        self._min: float | None = None
        self._max: float | None = None
        self._sum = 0.0  # the left-to-right sum, fed as the values come (one pass less at the end)
        self._hist = np.zeros(1 << 16, dtype=np.int64)  # the keys' top 16 bits: the median's buckets

    def add(self, values: pl.Series) -> None:
        """Values as Dataverse reads them back (null: missing)."""
        a = values.cast(pl.Float64).to_numpy()
        a = np.asarray(a, dtype=np.float64)  # nulls come out as NaN: invalid either way
        feed = kernels.kernel("stats_feed") if len(a) >= kernels.MIN_VALUES else None
        if feed is not None:
            # Once spilled, the values go straight to the file: a scratch buffer will do.
            good = kernels.scratch("stats", len(a), np.float64) if self.store.spilled else np.empty_like(a)
            extremes = np.array([math.nan if m is None else m for m in (self._min, self._max)])
            valid, self._sum = feed(a, self._sum, extremes, self._hist, good)
            good = good[:valid]
            if valid:
                self._min, self._max = float(extremes[0]), float(extremes[1])
        else:
            good = a[~np.isnan(a)]
            valid = len(good)
            if valid:
                self._extreme(good)
                self._sum = _seq_sum([good], total=self._sum)
                self._hist += np.bincount((_keys(good) >> _TOP_SHIFT).astype(np.int64), minlength=1 << 16)
        self.valid += valid
        self.invalid += len(a) - valid
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
        """The i-th and j-th values of a spilled store (in memory, `_moments` finds the median)."""
        low, following = self._select(i)
        if j != i + 1:
            return _from_key(low), _from_key(self._select(j)[0])
        if following is not None:
            return _from_key(low), _from_key(following)
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

    def _select(self, k: int) -> tuple[np.uint64, np.uint64 | None]:
        """The key of the k-th smallest value (0-based) of a spilled store, by radix selection
        (its first 16 bits from the histogram `add` kept), and the (k+1)-th's when the last
        candidates hold it too (None otherwise)."""
        prefix, width = np.uint64(0), 0  # the top `width` bits of the key are settled
        limit = max(1, self.candidates // 8)
        while True:
            shift = np.uint64(64 - width - 16)
            if width:
                hist = np.zeros(1 << 16, dtype=np.int64)
                for b in self.store.blocks():
                    keys = _keys(b)
                    keys = keys[(keys >> np.uint64(64 - width)) == prefix]
                    hist += np.bincount(
                        ((keys >> shift) & np.uint64(0xFFFF)).astype(np.int64), minlength=1 << 16
                    )
            else:
                hist = self._hist
            cum = np.cumsum(hist)
            digit = int(np.searchsorted(cum, k, side="right"))
            k -= int(cum[digit - 1]) if digit else 0
            prefix = (prefix << np.uint64(16)) | np.uint64(digit)
            width += 16
            if width == 64:
                return prefix, (prefix if hist[digit] > k + 1 else None)
            if hist[digit] <= limit:
                picked = [
                    kk[(kk >> np.uint64(64 - width)) == prefix] for kk in map(_keys, self.store.blocks())
                ]
                cand = np.concatenate(picked)
                if k + 1 < len(cand):
                    order = np.partition(cand, [k, k + 1])
                    return np.uint64(order[k]), np.uint64(order[k + 1])
                return np.uint64(np.partition(cand, k)[k]), None

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
            if n > 1:
                mean, var, median = self._moments(xbar)
            else:
                mean, var = xbar + _correction(self.store.blocks(), xbar) / n, 0.0
        out["mean"] = java_double(mean)
        out["medn"] = java_double(self._median() if median is None else median)
        assert self._min is not None and self._max is not None
        out["min"] = java_double(self._min)
        out["max"] = java_double(self._max)
        out["stdev"] = java_double(math.sqrt(var) if not (var < 0) else math.nan)
        return {k: out[k] for k in TYPES}

    def _moments(self, xbar: float) -> tuple[float, float, float | None]:
        """(mean, variance, median) of n > 1 values in two passes over the store (in memory or
        spilled), with the same sums: the first takes the mean's correction, the second the
        deviation sums and the keys of the one or two buckets of the histogram (fed by `add`)
        that hold the median's order statistics, so that only those are partitioned (not every
        value); None for the median when those buckets hold more values than the candidates'
        budget (`_median`'s selection then)."""
        n = self.valid
        i = math.floor((n + 1) / 2) - 1  # the median's lower order statistic; the upper is i + 1
        mean = xbar + _correction(self.store.blocks(), xbar) / n
        cum = np.cumsum(self._hist)
        low, high = (int(np.searchsorted(cum, k, side="right")) for k in (i, i + 1))
        before = int(cum[low] - self._hist[low])  # values in the buckets below the lower one
        count = int(cum[high]) - before
        if count > max(1, self.candidates // 8):
            low, high = 1, 0  # no bucket taken: too many values
        square, linear, picked = _deviations(self.store.blocks(), mean, low, high, count)
        var = (square - (linear * linear / n)) / (n - 1.0)
        if picked is None:
            return mean, var, None
        order = np.partition(picked, [i - before, i + 1 - before])
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
