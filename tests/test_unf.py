"""UNF v6: Dataverse's own reference UNFs, the specification's examples, and a differential test
against the independent `unf` package (PyPI) on random columns of every type.

`TABCHECK_UNF_EXAMPLES=5000 pytest tests/test_unf.py` runs thousands of random columns by hand
(the default: 300 per test, 200 for the byte encoder's chunks of up to 5000 values).
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
from decimal import Decimal
from pathlib import Path
from unittest import mock

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.codebook import unf as U

unf_pkg = pytest.importorskip("unf")

ROOT = Path(__file__).resolve().parent.parent
VERDICTS = ROOT / "fixtures" / "dataverse-verdicts"
EXAMPLES = int(os.environ.get("TABCHECK_UNF_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def reference_unfs() -> list[tuple[str, int, str, str]]:
    lines = (VERDICTS / "unf.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(f, int(i), name, u) for f, i, name, u in (line.split("\t") for line in lines)]


def test_the_13_reference_unfs_of_dataverses_reader_test():
    """Dataverse's types as tabcheck predicts them, its values, the UNF: all 13 match."""
    from tabcheck.checker import Settings, check_file

    refs = reference_unfs()
    assert len(refs) == 13
    path = VERDICTS / "dataverse-tests" / "election_precincts.csv"
    columns = check_file(path, Settings()).dataverse.columns
    frame = pl.read_csv(path, infer_schema=False)
    assert [c.name for c in columns] == [name for _, _, name, _ in refs] == frame.columns
    unfs = []
    for (_, i, name, expected), col in zip(refs, columns, strict=True):
        v = U.VariableUnf("numeric" if col.type in ("integer", "continuous") else "character")
        if v.kind == "numeric":
            v.add_numbers(frame[name].cast(pl.Float64))
        else:
            v.add_strings(frame[name])
        assert v.result() == expected, (i, name)
        unfs.append(v.result())
    # Integer 1, 3, 4 and continuous 1.00000000000, 3.0... share one UNF.
    assert columns[1].type == "integer" and columns[2].type == "continuous"
    assert unfs[1] == unfs[2]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0], "YUvj33xEHnzirIHQyZaHow=="),
        ([1], "tv3XYCv524AfmlFyVOhuZg=="),
        ([-300], "ZTXyg54FoMfRDWZl6oWmFQ=="),
        ([3.1415], "vOSZmXXXpKfQcqZ0Cuu5/w=="),
        ([0.00073], "qhw3qzg3fEK0NNfoVxk4jQ=="),
        ([math.nan], "GNcR8/UCnImaPpw47gdPNg=="),
        ([math.inf], "MdAI70WZdDHnu6qmkpqUQg=="),
        ([-math.inf], "A7orv3pgAhljFnGjQVLCog=="),
        ([None], "cJ6AyISHokEeHuTfufIqhg=="),
        ([1.23456789], "vcKELUSS4s4k1snF4OTB9A=="),
        ([1.23456789, None, 0], "Do5dfAoOOFt4FSj0JcByEw=="),
        ([6.6666666666666667, 75.216], "+kc3wyGwZ6otDkZwpvswDw=="),
    ],
)
def test_specification_examples_numbers(values, expected):
    assert U.unf_numbers(values) == "UNF:6:" + expected
    v = U.VariableUnf("numeric")
    v.add_numbers(pl.Series(values, dtype=pl.Float64))
    assert v.result() == "UNF:6:" + expected


LONG = (
    "A quite long character string, so long that the number of characters in it happens to be "
    "more than the default cutoff limit of 128."
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["A character String"], "FYqU7uBl885eHMbpco1ooA=="),
        ([LONG], "/BoSlfcIlsmQ+GHu5gxwEw=="),
        (["på Færøerne"], "KHM6bKVaVaxWDDsmyerfDA=="),
        ([""], "ECtRuXZaVqPomffPDuOOUg=="),
        ([None], "cJ6AyISHokEeHuTfufIqhg=="),
        (["Hello World", "Testing 123"], "r+FDbVC6fKdUjRS6ZIzP4w=="),
    ],
)
def test_specification_examples_strings(values, expected):
    assert U.unf_strings(values) == "UNF:6:" + expected


def test_normalised_forms():
    assert U.normalise_number(1.23456789) == "+1.234568e+\n\0"
    assert U.normalise_number(-300) == "-3.e+2\n\0"
    assert U.normalise_number(-0.0) == "-0.e+\n\0"
    assert U.normalise_number(1e-300) == "+1.e-300\n\0"
    assert U.normalise_number(12345678901234567) == "+1.234568e+16\n\0"
    assert U.normalise_number(9.9999996) == "+1.e+1\n\0"
    # Java first writes the double's shortest decimal, rounds it to 16 digits, then to 7: a value
    # just above a tie at the 17th digit falls on the tie at the 16th, which goes to even.
    assert U.normalise_number(1.2345665000000001) == "+1.234566e+\n\0"
    assert U.normalise_number(1.2345675) == "+1.234568e+\n\0"


def test_java_string_rules():
    # Spaces or control characters only count as the empty string ...
    assert U.normalise_string("   ") == "\n\0" == U.normalise_string("\t\x01")
    # ... unless longer than 128 units: then 127 are kept.
    assert U.normalise_string(" " * 200) == " " * 127 + "\n\0"
    # 128 UTF-16 code units, not bytes: accents count once.
    assert U.normalise_string("é" * 200) == "é" * 128 + "\n\0"
    # An emoji is two units: a cut in its middle leaves '?'.
    assert U.normalise_string("a" + "😀" * 100) == "a" + "😀" * 63 + "?\n\0"
    # No Unicode normalisation: composed and decomposed é differ.
    assert U.unf_strings(["é"]) != U.unf_strings(["e\u0301"])


def test_bulk_strings_agree_with_the_exact_rule():
    values = ["", " ", "x" * 129, "é" * 100, "😀" * 70, None, "a\tb", " " * 130, "ok"]
    bulk = U.normalised_strings(pl.Series(values, dtype=pl.String)).to_list()
    assert bulk == [U.normalise_string(v) for v in values]


def test_combining_unfs():
    a, b = "UNF:6:wb7OATtNC/leh1sOP5IGDQ==", "UNF:6:0V3xQ3ea56rzKwvGt9KBCA=="
    assert U.combine([a]) == a
    assert U.combine([a, b]) == U.combine([b, a])  # the order of variables does not matter
    assert U.combine([a, b]) == U.unf_strings(
        sorted(["wb7OATtNC/leh1sOP5IGDQ==", "0V3xQ3ea56rzKwvGt9KBCA=="])
    )
    assert U.combine([]) is None


def test_a_column_of_unfs_is_combined_not_hashed():
    col = ["UNF:6:wb7OATtNC/leh1sOP5IGDQ==", "UNF:6:0V3xQ3ea56rzKwvGt9KBCA=="]
    assert U.unf_strings(col) == U.combine(col)
    assert U.unf_strings(["x", *col]) != U.combine(col)


def test_dates_and_times():
    s = pl.Series(["2020-12-25", "2020-1-5", "2020-12-25T10:00", None, "0099-03-04"])
    assert U.normalised_dates(s, "date").to_list() == [
        "2020-12-25",
        "2020-01-05",
        "2020-12-25",
        None,
        "0099-03-04",
    ]
    t = pl.Series(["2013-04-08 13:14:23", "2013-04-08 24:00:00", "2013-13-01 00:00:60"])
    assert U.normalised_dates(t, "time", "notz").to_list() == [
        "2013-04-08T13:14:23",
        "2013-04-09T00:00:00",
        "2014-01-01T00:01:00",
    ]
    z = pl.Series(["2013-04-08 13:14:23 -0500", "2014-08-22 12:51:05 EDT", "2013-04-08 23:30:00 GMT+01:00"])
    assert U.normalised_dates(z, "time", "tz").to_list() == [
        "2013-04-08T18:14:23Z",
        "2014-08-22T16:51:05Z",  # the specification's example
        "2013-04-08T22:30:00Z",
    ]


# -- differential test against the `unf` package ------------------------------------------------
def _near_tie(x: float) -> bool:
    """Whether the 7th digit of x sits on (or within a hair of) a rounding tie: there the `unf`
    package's float scaling and Java's decimal rounding may part; Dataverse's rule is the latter."""
    if not math.isfinite(x) or x == 0:
        return False
    d = abs(Decimal(repr(x)))
    scaled = d.scaleb(6 - d.adjusted())
    frac = scaled - int(scaled)
    return abs(frac - Decimal("0.5")) < Decimal("1e-6")


def _carries(x: float) -> bool:
    """Whether rounding to 7 digits reaches the next power of ten (9999999.5 -> 1.e+7): the `unf`
    package keeps the old exponent there (`+1.e+6`), Java's BigDecimal moves it."""
    if not math.isfinite(x) or x == 0:
        return False
    d = abs(Decimal(repr(x)))
    return (
        d.quantize(Decimal(1).scaleb(d.adjusted() - 6), rounding="ROUND_HALF_EVEN").adjusted() > d.adjusted()
    )


def _unf_package_may_differ(x: float | None) -> bool:
    return x is not None and (_near_tie(x) or _carries(x))


special_floats = st.sampled_from(
    [0.0, -0.0, math.inf, -math.inf, math.nan, 1e-300, -1e-300, 1e300, 12345678901234567.0, 1.2345675, 0.1]
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: x == 0 or not abs(x) < 1e-300),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-(10**17), max_value=10**17),
    special_floats,
    st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False).map(float),
    st.none(),
)


@SETTINGS
@given(st.lists(numbers, min_size=1, max_size=40))
def test_numbers_agree_with_the_unf_package(values):
    as_float = [None if v is None else float(v) for v in values]
    ours = U.normalised_numbers(pl.Series(as_float, dtype=pl.Float64)).to_list()
    assert ours == [U.normalise_number(v) for v in as_float]  # bulk = exact path
    assert U.normalised_number_bytes(pl.Series(as_float, dtype=pl.Float64)) == "".join(ours).encode()
    times = 20_000 // len(as_float) + 1  # over several of the encoder's blocks
    repeated = pl.Series(as_float * times, dtype=pl.Float64)
    assert U.normalised_number_bytes(repeated) == "".join(ours * times).encode()
    for v, norm in zip(as_float, ours, strict=True):
        theirs = unf_pkg._normalize_primitive(v, 7).decode()
        if theirs != norm:
            assert _unf_package_may_differ(v), (v, norm, theirs)
    if not any(_unf_package_may_differ(v) for v in as_float):
        assert U.unf_numbers(as_float) == unf_pkg.unf(as_float)


@SETTINGS
@given(
    st.lists(st.integers(min_value=10**6, max_value=10**7 - 1), min_size=1, max_size=20), st.integers(-20, 20)
)
def test_ties_follow_javas_decimal_rounding(mantissas, exp):
    """Eight significant digits ending in 5: the bulk path hands them to the exact rule."""
    values = [float(Decimal(m * 10 + 5).scaleb(exp)) for m in mantissas]
    bulk = U.normalised_numbers(pl.Series(values, dtype=pl.Float64)).to_list()
    assert bulk == [U.normalise_number(v) for v in values]


# -- the byte encoder against the implementation it replaced -------------------------------------
# `normalised_number_bytes` lays values out from lookup tables, block by block, with a fast path for
# small integers; the code below is the encoder it replaced, kept as the reference (with the exact
# rule, value by value, as the second one).
def _reference_scaled(
    values: pl.Series,
) -> tuple[np.ndarray, np.ndarray, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, float]:
    a = np.asarray(values.cast(pl.Float64).to_numpy(), dtype=np.float64)
    missing = values.is_null().to_numpy()
    n = len(a)
    with np.errstate(all="ignore"):
        finite = np.isfinite(a) & (a != 0) & ~missing
        ab = np.where(finite, np.abs(a), 1.0)
        e = np.floor(np.log10(ab)).astype(np.int64)
        extreme = (e > U._MAX_EXP) | (e < -U._MAX_EXP)
        e = np.where(extreme, 0, e)
        p = np.power(10.0, e)
        e = e - (ab < p) + (ab >= p * 10)
        scaled = ab * np.power(10.0, (U.DIGITS - 1) - e)
        lo, hi = 10.0 ** (U.DIGITS - 1), 10.0**U.DIGITS
        frac = scaled - np.floor(scaled)
        exact = finite & (extreme | (np.abs(frac - 0.5) < U._TIE_MARGIN) | (scaled < lo) | (scaled >= hi))
    return a, missing, n, finite, e, scaled, exact, lo, hi


_REF_WIDTH = 16  # the longest normalised number: -1.234568e-300\n\0
_REF_DIGITS4 = np.array([list(f"{i:04d}".encode()) for i in range(10000)], dtype=np.uint8)
_REF_DIGITS3 = np.array([list(f"{i:03d}".encode()) for i in range(1000)], dtype=np.uint8)
_REF_ZEROS3 = np.array([3 - len(f"{i:03d}".rstrip("0")) for i in range(1000)], dtype=np.int64)


def reference_number_bytes(values: pl.Series) -> bytes:
    """The byte encoder as it was before the blocks and tables (tabcheck 2026-11-29): one (n, 16)
    byte matrix and its mask, built column by column."""
    a, missing, n, finite, e, scaled, exact, lo, hi = _reference_scaled(values)
    with np.errstate(all="ignore"):
        k = np.where(finite & ~exact, np.rint(scaled), lo).astype(np.int64)
    carry = k >= int(hi)
    k = np.where(carry, k // 10, k)
    e = e + carry
    m = np.zeros((n, _REF_WIDTH), dtype=np.uint8)
    keep = np.zeros((n, _REF_WIDTH), dtype=bool)
    # sign, lead digit, '.', six decimals, 'e', exponent sign, three exponent digits, '\n', '\0'
    m[:, 0] = np.where(np.signbit(a), ord("-"), ord("+"))
    k32 = k.astype(np.int32)
    top, low = k32 // 1000, k32 % 1000  # the lead digit and three decimals, the last three decimals
    m[:, 1:5] = _REF_DIGITS4[top]
    m[:, 5] = m[:, 4]
    m[:, 4] = m[:, 3]
    m[:, 3] = m[:, 2]
    m[:, 2] = ord(".")
    m[:, 6:9] = _REF_DIGITS3[low]
    tz = np.where(low == 0, 3 + _REF_ZEROS3[top % 1000], _REF_ZEROS3[low])
    kept_decimals = (U.DIGITS - 1) - tz
    m[:, 9] = ord("e")
    m[:, 10] = np.where(e < 0, ord("-"), ord("+"))
    ae = np.asarray(np.abs(e), dtype=np.int64)
    m[:, 11] = (ae // 100) % 10 + 48
    m[:, 12] = (ae // 10) % 10 + 48
    m[:, 13] = ae % 10 + 48
    exp_digits = np.asarray((ae > 0).astype(np.int64) + (ae >= 10) + (ae >= 100), dtype=np.int64)
    m[:, 14] = 10
    m[:, 15] = 0
    cols = np.arange(_REF_WIDTH)
    keep[:, :3] = True
    keep[:, 3:9] = cols[None, 3:9] - 3 < kept_decimals[:, None]
    keep[:, 9:11] = True
    keep[:, 11:14] = cols[None, 11:14] >= (14 - exp_digits)[:, None]
    keep[:, 14:16] = True
    other = ~finite | exact
    if other.any():
        idx = np.flatnonzero(other)
        texts = [U.MISSING if missing[i] else U.normalise_number(float(a[i])) for i in idx]
        raw = np.zeros((len(idx), _REF_WIDTH), dtype=np.uint8)
        lens = np.array([len(t) for t in texts], dtype=np.int64)
        flat = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)
        rows = np.repeat(np.arange(len(idx)), lens)
        offs = np.arange(len(flat)) - np.repeat(np.cumsum(lens) - lens, lens)
        raw[rows, offs] = flat
        m[idx] = raw
        keep[idx] = cols[None, :] < lens[:, None]
    return m[keep].tobytes()


NEAR_TIES = [1.2345675, -1.2345675, 0.00012345675, 1.2345665000000001, 9.9999995, 99999995.0, 2.5e-7]
ODD_FLOATS = [
    0.0, -0.0, math.inf, -math.inf, math.nan, 1e-300, -1e-300, 5e-324, -5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 1e300, 1e-290, 1e290, 1e23, 9.999999999999999e22,
    12345678901234567.0, 99999999999999999.0, 9999999.5, 9999999.0, 10000000.0, 999999.95, 0.1, 1 / 3,
    160.9352, -3e5, 1e16, 2.0**53, 2.0**63,
]  # fmt: skip
ties = st.builds(
    lambda m, x: float(Decimal(m * 10 + 5).scaleb(x)),
    st.integers(10**6, 10**7 - 1),
    st.integers(-300, 300),
)
small_ints = st.integers(-(10**7) + 1, 10**7 - 1)
big_ints = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.integers(10**16, 10**17 - 1).map(lambda i: i if i % 2 else -i),  # 17 digits
    st.integers(10**7 - 3, 10**7 + 3).map(lambda i: i if i % 2 else -i),
)
any_floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_FLOATS + NEAR_TIES),
    ties,
    small_ints.map(float),
    big_ints.map(float),
    st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False).map(float),
)
BYTES_SETTINGS = settings(
    max_examples=int(os.environ.get("TABCHECK_UNF_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def _chunk(pool: list, n: int, seed: int, fill: str) -> list:
    """n values: drawn from the pool, or (fill) mixed with random ones of one kind."""
    rng = np.random.default_rng(seed)
    values = [pool[i] for i in rng.integers(0, len(pool), n)]
    if fill == "pool" or not n:
        return values
    if fill == "ints":
        extra = rng.integers(-(10 ** rng.integers(1, 19)), 10 ** rng.integers(1, 19), n).tolist()
    elif fill == "ids":
        start = int(rng.integers(-(10**7), 10**7))
        extra = list(range(start, start + n))
    elif fill == "measures":
        extra = np.round(rng.uniform(-1000, 1000, n), int(rng.integers(0, 8))).tolist()
    else:  # any magnitude
        extra = (rng.standard_normal(n) * 10.0 ** rng.integers(-320, 300, n)).tolist()
    keep = rng.random(n) < rng.random()
    return [v if k else x for v, x, k in zip(values, extra, keep, strict=True)]


def _assert_same_bytes(series: pl.Series, block: int) -> None:
    """The encoder (in blocks of `block` values), the reference, the exact rule value by value, the
    polars encoder and the hash fed chunk by chunk all agree."""
    with mock.patch.object(U, "_BLOCK", block):
        ours = U.normalised_number_bytes(series)
        variable = U.VariableUnf("numeric")
        variable.add_numbers(series)  # fed block by block (or by distinct values)
    assert ours == reference_number_bytes(series)
    assert ours == "".join(U.normalise_number(v) for v in series.to_list()).encode("ascii")
    assert ours == "".join(U.normalised_numbers(series).to_list()).encode("ascii")
    digest = base64.b64encode(hashlib.sha256(ours).digest()[:16]).decode("ascii")
    assert variable.result() == (f"UNF:6:{digest}" if len(series) else None)


@BYTES_SETTINGS
@given(
    st.lists(st.one_of(any_floats, st.none()), min_size=1, max_size=30),
    st.integers(0, 5000),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["pool", "ints", "ids", "measures", "any"]),
    st.sampled_from([1, 7, 1000, U._BLOCK]),
)
def test_the_byte_encoder_matches_the_one_it_replaced_on_floats(pool, n, seed, fill, block):
    """Chunks of 0-5000 floats of every kind: integers small and large, signed zeros, inf, NaN,
    subnormals and the largest double, values on or near a rounding tie, 17-digit integers,
    measurements, any magnitude; with missing values."""
    values = [None if v is None else float(v) for v in _chunk(pool, n, seed, fill)]
    _assert_same_bytes(pl.Series(values, dtype=pl.Float64), block)


@BYTES_SETTINGS
@given(
    st.lists(st.one_of(small_ints, big_ints, st.none()), min_size=1, max_size=30),
    st.integers(0, 5000),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["pool", "ints", "ids"]),
    st.sampled_from([1, 7, 1000, U._BLOCK]),
)
def test_the_byte_encoder_matches_the_one_it_replaced_on_integers(pool, n, seed, fill, block):
    """Integer columns (read as Java longs): below 10**7 the digits path, above the float one."""
    values = _chunk(pool, n, seed, fill)
    _assert_same_bytes(pl.Series(values, dtype=pl.Int64), block)


def _java_comparable(s: str | None) -> bool:
    if s is None or s == "":
        return True
    if s.strip(U.JAVA_TRIM) == "":
        return False  # Dataverse's blank rule: tested above
    return len(s.encode("utf-8")) <= 128 or s.isascii()


strings = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=60),
    st.text(alphabet="abcdeéèàçœÆø ", min_size=100, max_size=200),
    st.text(alphabet=st.characters(codec="ascii"), min_size=120, max_size=300),
    st.sampled_from(["på Færøerne", "Montréal", "東京", "😀", "null", "NA", "1.5"]),
).filter(_java_comparable)


@SETTINGS
@given(st.lists(strings, min_size=1, max_size=40))
def test_strings_agree_with_the_unf_package(values):
    if U.looks_like_unf(values[0]):
        return
    assert U.unf_strings(values) == unf_pkg.unf(values)


dates = st.dates(min_value=__import__("datetime").date(1583, 1, 1)).map(lambda d: d.isoformat())


@SETTINGS
@given(st.lists(st.one_of(dates, st.none()), min_size=1, max_size=30))
def test_dates_agree_with_the_unf_package(values):
    v = U.VariableUnf("character")
    v.add_strings(U.normalised_dates(pl.Series(values, dtype=pl.String), "date"))
    assert v.result() == unf_pkg.unf(values)


@SETTINGS
@given(
    st.lists(
        st.one_of(st.datetimes(min_value=__import__("datetime").datetime(1583, 1, 1)), st.none()),
        min_size=1,
        max_size=30,
    )
)
def test_times_agree_with_the_unf_package(values):
    raw = [None if t is None else t.strftime("%Y-%m-%d %H:%M:%S") for t in values]
    iso = [None if t is None else t.strftime("%Y-%m-%dT%H:%M:%S") for t in values]
    v = U.VariableUnf("character")
    v.add_strings(U.normalised_dates(pl.Series(raw, dtype=pl.String), "time", "notz"))
    assert v.result() == unf_pkg.unf(iso)
