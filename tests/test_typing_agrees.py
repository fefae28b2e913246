"""The vectorised column typer must type columns as Dataverse's reader does, value by value.

The reference below is Dataverse's CSV typing written plainly, one value at a time, in file order
(see dataverse/javatext.py for the per-value tests); the typer must give the same type on random
columns fed in random chunks.
"""

from __future__ import annotations

import random
import re

import polars as pl
import pytest

from tabcheck.dataverse import javatext as jt
from tabcheck.scan.values import ColumnTyper

NUMERIC_TOKENS = {"nan", "na", "inf", "+inf", "-inf", "null"}
DOUBLE = re.compile(jt.DOUBLE_RE)
POOL = [
    "1",
    "-7",
    "+5",
    "0",
    "00012",
    "3.25",
    "1e5",
    ".5",
    "5.",
    "1d",
    "0x1p3",
    " 12 ",
    "NaN",
    "nan",
    "NA",
    "na",
    "Inf",
    "-inf",
    "null",
    "NULL",
    "",
    "",
    "",
    "abc",
    "x",
    "12%",
    "3,5",
    "2020-01-31",
    "2020-1-5",
    "2021-02-30",
    "2020-12-25T10:00",
    "1500-02-29",
    "2020-01-01 10:00:00",
    "2013-04-08 13:14:72",
    "2013-04-08 13:14:23 CET",
    "2013-04-08 13:14:23 -0500",
    "2020/01/31",
    "25/12/2020",
    "١٢",
    "12345678901234567890",
    "Infinity",
    "-",
    ".",
]


def reference_type(values: list[str]) -> str:
    numeric = integer = date = time = True
    time_fmt = None
    date_seen = False
    for v in values:
        integer = integer and (v == "" or v == "null" or bool(jt._integer.match(v)))
        if numeric and v != "":
            if v.lower() in NUMERIC_TOKENS or DOUBLE.match(v.strip(jt.JAVA_TRIM)):
                continue
            numeric = False
        if not numeric and v != "":
            if time:
                if time_fmt:
                    ok = jt.matches_time(v, time_fmt)
                else:
                    time_fmt = jt.time_format(v)
                    ok = time_fmt is not None
                if ok:
                    date = False
                else:
                    time = False
            if date:
                date = jt.is_date(v)
                date_seen = date_seen or date
    if numeric:
        return "integer" if integer else "continuous"
    if date and date_seen:
        return "date"
    if time and time_fmt:
        return "time"
    return "character"


def _column(rng: random.Random) -> list[str]:
    kind = rng.random()
    n = rng.randint(1, 40)
    if kind < 0.3:
        base = [str(rng.randint(-50, 50)) for _ in range(n)]
    elif kind < 0.5:
        base = [f"{rng.uniform(-5, 5):.3f}" for _ in range(n)]
    elif kind < 0.7:
        base = [
            f"20{rng.randint(10, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(n)
        ]
    elif kind < 0.8:
        base = [f"2013-04-0{rng.randint(1, 9)} 1{rng.randint(0, 9)}:14:23" for _ in range(n)]
    else:
        base = [rng.choice(POOL) for _ in range(n)]
    for _ in range(rng.randint(0, 3)):
        base[rng.randrange(n)] = rng.choice(POOL)
    return base


@pytest.mark.parametrize("seed", range(300))
def test_typer_matches_value_by_value_typing(seed):
    rng = random.Random(seed)
    values = _column(rng)
    typer = ColumnTyper(1, trim=False, evidence={})
    pos = 0
    while pos < len(values):
        size = rng.randint(1, 12)
        chunk = values[pos : pos + size]
        typer.update_frame(pl.DataFrame({"c0": chunk}, schema={"c0": pl.String}), first_row=pos + 2)
        pos += size
    assert typer.result(["x"])[0].type == reference_type(values), values
