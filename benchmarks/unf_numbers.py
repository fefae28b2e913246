"""Time the UNF's bulk number encoder (`normalised_number_bytes`) against the one it replaced.

Usage: python benchmarks/unf_numbers.py [--values N] [--repeat R]

Prints, per workload, milliseconds per 100,000 values (the fastest of R runs on N values) for the
replaced encoder (kept in tests/test_unf.py as the reference; needs the test dependencies: pytest,
hypothesis and the `unf` package), the current one, and the ratio; each run's bytes are checked equal.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from tabcheck.codebook.unf import normalised_number_bytes

ROOT = Path(__file__).resolve().parent.parent


def workloads(n: int) -> dict[str, pl.Series]:
    rng = np.random.default_rng(0)
    ids = np.arange(1_000_000, 1_000_000 + n)
    anything = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    return {
        "record ids (Int64, distinct)": pl.Series(ids, dtype=pl.Int64),
        "record ids as Float64": pl.Series(ids, dtype=pl.Float64),
        "measures, 4 decimals (160.9352)": pl.Series(np.round(rng.uniform(0, 1000, n), 4)),
        "any magnitude, 5% missing": pl.Series(anything).scatter(np.flatnonzero(rng.random(n) < 0.05), None),
        "17-digit integers (Int64)": pl.Series(rng.integers(10**16, 10**17, n), dtype=pl.Int64),
    }


def fastest(f: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    best, out = float("inf"), b""
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=205_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    reference = None
    if importlib.util.find_spec("unf") and importlib.util.find_spec("hypothesis"):
        sys.path.insert(0, str(ROOT / "tests"))
        from test_unf import reference_number_bytes as reference
    else:
        print("(the reference needs the test dependencies: timing the current encoder only)")
    per = 100_000 / args.values * 1e3  # seconds per run -> ms per 100k values
    print(f"{args.values:,} values, fastest of {args.repeat}; ms per 100k values")
    print(f"{'workload':34s} {'replaced':>9s} {'current':>9s} {'speed-up':>9s}")
    for name, series in workloads(args.values).items():
        new, out = fastest(lambda s=series: normalised_number_bytes(s), args.repeat)
        if reference is None:
            print(f"{name:34s} {'':>9s} {new * per:9.2f}")
            continue
        old, expected = fastest(lambda s=series: reference(s), args.repeat)
        assert out == expected, name
        print(f"{name:34s} {old * per:9.2f} {new * per:9.2f} {old / new:8.1f}x")


if __name__ == "__main__":
    main()
