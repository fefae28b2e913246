"""Per-column value evidence that rule plugins ask the scan to count (no polars import here:
rule modules load before any file is read, and workbook-only runs never need polars)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A per-value test rules want counted. scope: 'text', 'numeric', or 'integer' (numeric values
    of columns that are still integer), see scan/values.py.

    `prefilter`, for numeric evidence, is a cheap expression (no regex) that every hit satisfies:
    the test then runs on those values only. Without it, numeric evidence is tested on the values
    that are not plain numbers (tokens such as null, NA, Infinity).
    """

    test: Callable[[Any], Any]
    scope: str = "text"
    prefilter: Callable[[Any], Any] | None = None

    def test_series(self, values):
        import polars as pl

        return values.to_frame("v").select(self.test(pl.col("v")).fill_null(False)).to_series()
