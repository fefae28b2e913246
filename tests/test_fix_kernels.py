"""The compiled loops of the vectorised fix (fix/_jit.py, fix/loops.py) against their polars twins.

Random regular tables (test_fix_fast's: decimal commas, `null`, quotes, delimiters and line feeds
inside values, accents; UTF-8 or Windows-1252; `;` `,` or tab; CRLF or LF) are fixed in chunks of a
few hundred bytes, so that most chunks go through the loops: the output and the manifest must be the
exact path's, byte for byte. The verification loop is held to the polars verification on outputs
changed at random: whatever the loop accepts, the polars verification accepts with the same counts.

`TABCHECK_FIX_EXAMPLES=10000 pytest tests/test_fix_kernels.py` runs more by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck import kernels
from tabcheck.fix import fast
from tabcheck.fix.csvfix import Reading
from tabcheck.fix.loops import Loops
from tabcheck.fix.repairs import Plan
from test_fix_fast import _fix, _render, tables

pytestmark = pytest.mark.skipif(not kernels.available(), reason="numba cannot be used here")

EXAMPLES = int(os.environ.get("TABCHECK_FIX_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True, scope="module")
def _small_chunks() -> Iterator[None]:
    """Every file takes the loops, in chunks of a few hundred bytes: boundaries everywhere."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "MIN_BYTES", 0)
        mp.setattr(fast, "CHUNK", 256)
        yield


def _loops(
    codec: str = "utf-8",
    d: str = ";",
    decimal: set[int] | None = None,
    nulls: set[int] | None = None,
    dates: dict[int, str] | None = None,
) -> Loops:
    loops = Loops.for_file(1 << 30, codec, "strict", d, decimal or set(), nulls or set(), dates)
    assert loops is not None
    return loops


@SETTINGS
@given(tables())
def test_the_loops_fix_as_the_exact_path_does(t: dict[str, object]) -> None:
    data = _render(t)
    name = "table.tsv" if t["delimiter"] == "\t" else "table.csv"
    given_encoding = "cp1252" if t["encoding"] == "cp1252" else None
    fast_run, fast_files, fast_manifest = _fix(data, name, True, given_encoding)
    exact_run, exact_files, exact_manifest = _fix(data, name, False, given_encoding)
    assert fast_files == exact_files
    assert fast_manifest == exact_manifest
    assert fast_run.exit_code == exact_run.exit_code


def test_the_property_goes_through_the_loops() -> None:
    """The property above is not vacuous: a regular table's chunks after the first go the loops' way."""
    text = "id;ville;poids\r\n" + "".join(f"{i};Orléans;{i},5\r\n" for i in range(200))
    run, files, _manifest = _fix(text.encode("cp1252"), "t.csv", True, "cp1252")
    record = next(iter(run.records.values()))
    assert record["path"] == "fast"
    rewritten, verified = str(record["loops"]).split(" chunks rewritten, ")
    looped, chunks = (int(x) for x in rewritten.split("/"))
    assert chunks > 10 and looped == chunks - 1 and verified == f"{chunks - 1} verified"
    assert files["t.csv"].splitlines()[-1] == "199,Orléans,199.5".encode()


def _rewrite(loops: Loops, body: bytes, width: int) -> tuple[bytes, dict, dict] | None:
    done = loops.rewrite(body, width)
    if done is None:
        return None
    changes = {k: (c.count, c.first_row, c.examples) for k, c in done.changes.items()}
    return done.data.tobytes(), changes, done.shows


def test_the_rewrite_loop_makes_the_declared_changes() -> None:
    loops = _loops("cp1252", ";", decimal={1, 2}, nulls={2})
    body = 'é;-12,5;null\r\n"a;b";12,;1,234\r\nx,y;+3;NULL\r\n"dit ""oui""";;\n'.encode("cp1252")
    out, changes, shows = _rewrite(loops, body, 3)  # type: ignore[misc]
    assert out == (b'\xc3\xa9,-12.5,\na;b,12.,1.234\n"x,y",+3,\n"dit ""oui""",,\n')
    assert changes == {
        ("decimal-point", 1): (2, 0, [("-12,5", "-12.5"), ("12,", "12.")]),
        ("decimal-point", 2): (1, 1, [("1,234", "1.234")]),
        ("empty-null", 2): (2, 0, [("null", ""), ("NULL", "")]),
    }
    assert shows == {1: {"comma"}, 2: {"ambiguous-comma"}}


def test_a_lone_zero_before_the_comma_makes_a_decimal() -> None:
    """Was: 0,125 (a concentration in mg/l) counted as ambiguous, like 1,234, and a column of them
    was refused; no one writes a thousands group after a lone 0."""
    loops = _loops(decimal={1, 2})
    _out, _changes, shows = _rewrite(loops, b"1;0,125;1,250\n2;0,250;2,500\n", 3)  # type: ignore[misc]
    assert shows == {1: {"comma"}, 2: {"ambiguous-comma"}}


@pytest.mark.parametrize(
    "body",
    [
        b"1;1.5\n",  # a point in a decimal column: the polars path refuses the file
        b"1; 3,5\n",  # padding: a rare number
        b"1;1,5e-3\n",  # an exponent
        b"1;-12,\n",  # a sign and no decimals
        b"1;,5\n",  # no digits before the comma
        b'a"b;1\n',  # a quote inside an unquoted value
        b'"a"b;1\n',  # text after a closing quote
        b"a\rb;1\n",  # a CR alone
        b"a;1\r\r\n",  # a CR before the line end
        b'"a\r\nb";1\n',  # a CR inside quotes
        b"a;1;2\n",  # a record too wide
        b"a\n",  # a record too narrow
        b'"a;1\n',  # a quote left open
        b"\x81;1\n",  # a byte Windows-1252 does not define
    ],
)
def test_the_rewrite_loop_gives_back_what_it_does_not_expect(body: bytes) -> None:
    assert _rewrite(_loops("cp1252", ";", decimal={1}), body, 2) is None


def test_the_rewrite_loop_writes_thousands_separators_away() -> None:
    """Was: every chunk holding one 1 234,50 went to the polars path (a French export whose amounts
    have no-break spaces: 12 MB/s instead of 100)."""
    loops = _loops("cp1252", ";", decimal={1})
    body = "a;1\u00a0234,50\nb;-12 345,5\nc;1.234.567,25\nd;12'345,0\ne;1.234.567\nf;3,5\n".encode("cp1252")
    out, changes, shows = _rewrite(loops, body, 2)  # type: ignore[misc]
    assert out == b"a,1234.50\nb,-12345.5\nc,1234567.25\nd,12345.0\ne,1234567\nf,3.5\n"
    assert changes == {
        ("decimal-point", 1): (
            6,
            0,
            [("1\u00a0234,50", "1234.50"), ("-12 345,5", "-12345.5"), ("1.234.567,25", "1234567.25")],
        )
    }
    assert shows == {1: {"comma"}}
    utf8 = _loops("utf-8", ";", decimal={1})
    body = "a;1\u00a0234,5\nb;1\u202f234\u202f567,25\n".encode()
    assert _rewrite(utf8, body, 2)[0] == b"a,1234.5\nb,1234567.25\n"  # type: ignore[index]
    assert utf8.verify(body, b"a,1234.5\nb,1234567.25\n", 2, 2) == {("decimal-point", 1): 2}
    # A whole number grouped by spaces shows no convention (the polars path's space-grouped kind).
    grouped = "g;139\u00a0926\nh;1 234\n".encode("cp1252")
    assert _rewrite(loops, grouped, 2) == (
        b"g,139926\nh,1234\n",
        {("decimal-point", 1): (2, 0, [("139\u00a0926", "139926"), ("1 234", "1234")])},
        {1: set()},
    )
    assert loops.verify(grouped, b"g,139926\nh,1234\n", 2, 2) == {("decimal-point", 1): 2}
    assert loops.verify(grouped, b"g,139926\nh,12 34\n", 2, 2) is None


@pytest.mark.parametrize(
    "body",
    [
        b"1;1 23,5\n",  # a group of two digits
        b"1;1234 567,5\n",  # four digits before the first separator
        b"1;1 234.5\n",  # a decimal point after the thousands: the point convention
        b"1;1 234.567\n",  # a space, then a point: 1234.567
        b"1;1.234\n",  # one point: 1.234 or 1234, the column decides
        b"1;1 234,\n",  # no decimals after the comma
        b"1;1 234,5e3\n",  # an exponent
        b"1;1  234,5\n",  # two separators in a row
    ],
)
def test_the_rewrite_loop_gives_back_the_other_grouped_numbers(body: bytes) -> None:
    assert _rewrite(_loops("cp1252", ";", decimal={1}), body, 2) is None


@pytest.mark.parametrize(
    "output",
    [
        b"a,1 234.50\n",  # the separator kept
        b"a,1234,50\n",  # the comma kept
        b"a,1235.50\n",  # a digit changed
        b"a,123.50\n",  # a digit lost
        b"a,1234.5\n",  # a decimal lost
        b"a,12340.50\n",  # a digit added
    ],
)
def test_the_verification_loop_finds_a_changed_grouped_number(output: bytes) -> None:
    loops = _loops("cp1252", ";", decimal={1})
    source = "a;1\u00a0234,50\n".encode("cp1252")
    assert loops.verify(source, b"a,1234.50\n", 2, 1) == {("decimal-point", 1): 1}
    assert loops.verify(source, output, 2, 1) is None


def test_the_rewrite_loop_writes_dates_yyyy_mm_dd() -> None:
    loops = _loops("utf-8", ";", dates={1: "dmy", 2: "mdy"})
    body = b'a;25/12/2020;12/25/2020\nb;5.3.2021;1-2-2021\nc;"2021/1/5";2021-01-05\nd;;1999.12.31\n'
    out, changes, _shows = _rewrite(loops, body, 3)  # type: ignore[misc]
    assert (
        out == b"a,2020-12-25,2020-12-25\nb,2021-03-05,2021-01-02\nc,2021-01-05,2021-01-05\nd,,1999-12-31\n"
    )
    assert changes == {
        ("iso-date", 1): (
            3,
            0,
            [("25/12/2020", "2020-12-25"), ("5.3.2021", "2021-03-05"), ("2021/1/5", "2021-01-05")],
        ),
        ("iso-date", 2): (
            3,
            0,
            [("12/25/2020", "2020-12-25"), ("1-2-2021", "2021-01-02"), ("1999.12.31", "1999-12-31")],
        ),
    }
    assert loops.verify(body, out, 3, 4) == {("iso-date", 1): 3, ("iso-date", 2): 3}


@pytest.mark.parametrize(
    "value",
    [
        b"31/04/2021",
        b"29/02/2021",
        b"12/25/2020",
        b"25/12/20",
        b"25/12-2020",
        b" 25/12/2020",
        b"2021-02-30",
        b"2021-2-3",
        b"01/01/0000",
        b"123/1/2020",
        b"25/12/2020x",
        b"2020-12-25 10:00",
        b"29/02/1500",
        b"10/10/1582",
        b"1500-01-01",
    ],
)
def test_the_rewrite_loop_gives_back_what_is_not_a_date(value: bytes) -> None:
    """Not a date in the column's order (day first): polars then sends the file to the exact path."""
    assert _rewrite(_loops("utf-8", ";", dates={1: "dmy"}), b"a;" + value + b"\n", 2) is None


@pytest.mark.parametrize(
    "output",
    [
        b"a,2020-12-26\n",  # another day
        b"a,2021-12-25\n",  # another year
        b"a,2020-25-12\n",  # day and month swapped
        b"a,2020-12-5\n",  # not two digits
        b"a,2020/12/25\n",  # not written yyyy-mm-dd
        b"a,25/12/2020 \n",  # a space added
    ],
)
def test_the_verification_loop_finds_a_changed_date(output: bytes) -> None:
    loops = _loops("utf-8", ";", dates={1: "dmy"})
    assert loops.verify(b"a;25/12/2020\n", b"a,2020-12-25\n", 2, 1) == {("iso-date", 1): 1}
    assert loops.verify(b"a;25/12/2020\n", output, 2, 1) is None
    assert loops.verify(b"a;05/04/2020\n", b"a,2020-05-04\n", 2, 1) is None  # read month first


def test_the_rewrite_loop_writes_dates_with_their_time() -> None:
    loops = _loops("utf-8", ";", dates={1: "dmy-time", 2: "time"})
    body = b"a;25/12/2020 14:30;2020-12-25T14:30:15\nb;5.3.2021 9:05:07;2020-12-26 8:05\nc;;\n"
    out, changes, _shows = _rewrite(loops, body, 3)  # type: ignore[misc]
    assert out == b"a,2020-12-25 14:30:00,2020-12-25 14:30:15\nb,2021-03-05 9:05:07,2020-12-26 8:05:00\nc,,\n"
    assert changes == {
        ("iso-time", 1): (
            2,
            0,
            [("25/12/2020 14:30", "2020-12-25 14:30:00"), ("5.3.2021 9:05:07", "2021-03-05 9:05:07")],
        ),
        ("iso-time", 2): (
            2,
            0,
            [("2020-12-25T14:30:15", "2020-12-25 14:30:15"), ("2020-12-26 8:05", "2020-12-26 8:05:00")],
        ),
    }
    assert loops.verify(body, out, 3, 3) == {("iso-time", 1): 2, ("iso-time", 2): 2}


@pytest.mark.parametrize(
    "value",
    [
        b"25/12/2020",
        b"25/12/2020 14",
        b"25/12/2020 14:3",
        b"25/12/2020 144:30",
        b"25/12/2020 14:30:1",
        b"25/12/2020T14:30",
        b"25/12/2020 14:30:00.5",
        b"25/12/2020 14:30 +0100",
        b"31/04/2020 14:30",
        b"25/12/2020  14:30",
    ],
)
def test_the_rewrite_loop_gives_back_what_is_not_a_date_and_time(value: bytes) -> None:
    assert _rewrite(_loops("utf-8", ";", dates={1: "dmy-time"}), b"a;" + value + b"\n", 2) is None


@pytest.mark.parametrize(
    "output",
    [
        b"a,2020-12-25 4:31:00\n",  # a minute off
        b"a,2020-12-25 4:30:01\n",  # seconds made up
        b"a,2020-12-25 4:30\n",  # seconds missing
        b"a,2020-12-25T4:30:00\n",  # not a space
        b"a,2020-12-26 4:30:00\n",  # another day
        b"a,2020-12-25 04:30:00\n",  # the hour written otherwise
    ],
)
def test_the_verification_loop_finds_a_changed_date_time(output: bytes) -> None:
    loops = _loops("utf-8", ";", dates={1: "dmy-time"})
    assert loops.verify(b"a;25/12/2020 4:30\n", b"a,2020-12-25 4:30:00\n", 2, 1) == {("iso-time", 1): 1}
    assert loops.verify(b"a;25/12/2020 4:30\n", output, 2, 1) is None


def test_the_rewrite_loop_reads_utf8_strictly() -> None:
    loops = _loops("utf-8", ",")
    assert _rewrite(loops, "é,1\n".encode(), 2) == ("é,1\n".encode(), {}, {})
    assert _rewrite(loops, b"\xe9,1\n", 2) is None  # not UTF-8: the polars path refuses it


def _polars_verify(
    source: bytes, output: bytes, reading: Reading, plan: Plan, width: int, n: int, tmp: Path
) -> dict | None:
    """The polars verification of one chunk after a header line (None: a mismatch or not regular)."""
    header_src = reading.delimiter.join(f"c{i}" for i in range(width)).encode() + b"\n"
    header_out = ",".join(f"c{i}" for i in range(width)).encode() + b"\n"
    (tmp / "s").write_bytes(header_src + source)
    (tmp / "o").write_bytes(header_out + output)
    verifier = fast._Verifier(tmp / "s", tmp / "o", reading, plan)
    try:
        verifier.chunk(0, 0, len(header_src), 0, len(header_out), 1, width)
        verifier.chunk(1, len(header_src), len(source), len(header_out), len(output), n, width)
    except (fast.Mismatch, fast.NotRegular):
        return None
    return {k: v for k, v in verifier.counts.items() if v}


@st.composite
def bodies(draw: st.DrawFn) -> tuple[dict[str, object], bytes]:
    """A random table (UTF-8 or Windows-1252) and its records without the header."""
    t = draw(tables())
    t["final_newline"] = True
    t["encoding"] = "cp1252" if t["encoding"] == "cp1252" else "utf-8"
    data = _render(t)
    return t, data[data.index(b"\n") + 1 :]  # the header has no line feed inside


@SETTINGS
@given(case=bodies(), data=st.data())
def test_whatever_the_verification_loop_accepts_the_polars_one_accepts(
    case: tuple[dict[str, object], bytes], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    t, body = case
    width = len(t["header"])  # type: ignore[arg-type]
    kinds = [str(h).split("_", 1)[1] for h in t["header"]]  # type: ignore[union-attr]
    decimal = {i for i, k in enumerate(kinds) if k in ("dec", "grouped", "null-dec", "mixed")}
    nulls = {i for i, k in enumerate(kinds) if k.startswith("null")}
    orders = {"date": "dmy", "timestamp": "time", "date-time": "dmy-time"}
    dates = {i: orders[k] for i, k in enumerate(kinds) if k in orders}
    codec = str(t["encoding"])
    loops = _loops(codec, str(t["delimiter"]), decimal, nulls, dates)
    done = _rewrite(loops, body, width)
    if done is None:
        return
    output = bytearray(done[0])
    records = len(t["rows"])  # type: ignore[arg-type]
    if output and data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(output) - 1))
        output[at] = data.draw(
            st.sampled_from([ord(c) for c in ',;"\n\r.0123456789ax -/'] + [0xC3, 0xA9, 0x80])
        )
    counted = loops.verify(body, bytes(output), width, records)
    if counted is None:
        return
    reading = Reading(codec, "strict", str(t["delimiter"]))
    plan = Plan(decimal_columns=decimal, null_columns=nulls, date_columns=dates)
    tmp = tmp_path_factory.mktemp("v")
    assert _polars_verify(body, bytes(output), reading, plan, width, records, tmp) == counted


@pytest.mark.parametrize(
    "output",
    [
        b"\xc3\xa9,-12.6,\n",  # a digit changed
        b"\xc3\xa9,-125,\n",  # the decimal mark dropped
        b"\xc3\xa8,-12.5,\n",  # another letter
        b"\xc3\xa9,-12.5,x\n",  # a value where `null` was
        b"\xc3\xa9,-12.5\n",  # a value lost
        b"\xc3\xa9,-12.5,,\n",  # a value added
        b"\xc3\xa9,-12.5,\r\n",  # a CR added
        b"\xc3\xa9,-12.5,",  # the line feed lost
        b"\xc3\xa9,-12.5,\n\n",  # a record added
        b"\xc0\xa9,-12.5,\n",  # not UTF-8
        b"\xe0\x83\xa9,-12.5,\n",  # é written in three bytes (overlong)
    ],
)
def test_the_verification_loop_finds_a_changed_output(output: bytes) -> None:
    loops = _loops("cp1252", ";", decimal={1}, nulls={2})
    source = "é;-12,5;null\n".encode("cp1252")
    assert loops.verify(source, b"\xc3\xa9,-12.5,\n", 3, 1) == {("decimal-point", 1): 1, ("empty-null", 2): 1}
    assert loops.verify(source, output, 3, 1) is None


@pytest.mark.parametrize(
    ("source", "output"),
    [
        (b"x;a,5\n", b"x,a.5\n"),  # a point for a comma in a value that is no number
        (b"x;1,5,5\n", b'x,"1.5,5"\n'),
        (b"x;1,5a\n", b"x,1.5a\n"),
        (b"x;12,5;y\n", b"x,12.5;y\n"),  # the delimiter after the number kept
        (b"x;1,5\r\n", b"x,1.5\r\n"),  # a CR before the output's line feed
    ],
)
def test_the_verification_loop_takes_only_numbers_for_decimal_changes(source: bytes, output: bytes) -> None:
    width = source.count(b";") + 1
    roles = {i for i in range(width) if i}
    assert _loops("utf-8", ";", decimal=roles).verify(source, output, width, 1) is None


@pytest.mark.parametrize(
    ("source", "output"),
    [
        (b"a;b;c\n", b"a,b,c\n"),  # one value too many on both sides
        (b"a\n", b"a\n"),  # one too few
        (b"a;b\nc\n", b"a,b\nc\n"),
    ],
)
def test_the_verification_loop_counts_the_values_of_each_record(source: bytes, output: bytes) -> None:
    assert _loops().verify(source, output, 2, output.count(b"\n")) is None


def test_the_tables_come_from_the_codecs() -> None:
    loops = _loops("cp1252")
    assert loops.utf8[0x80].tolist() == [3, *"€".encode()]  # the decoder's euro sign
    assert loops.utf8[0x81, 0] == 0  # undefined in Windows-1252
    assert loops.back[ord("€")] == 0x80 and loops.back[ord("é")] == 0xE9  # the encoder's bytes
    assert (loops.back[0x80:0xA0] == -1).all()  # C1 controls: Windows-1252 has none
    assert Loops.for_file(1 << 30, "utf-16", "strict", ";", set(), set()) is None


def test_small_files_do_not_load_the_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernels, "MIN_BYTES", 1 << 20)
    assert Loops.for_file(1000, "utf-8", "strict", ";", set(), set()) is None
    assert np.all(_loops().utf8[:, 0] == 1)


def test_loops_that_cannot_load_leave_the_polars_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loop numba cannot compile or load here switches all of them off: fix and the scan then
    take their twins (same results), instead of failing the file."""
    monkeypatch.setattr(kernels, "_loaded", {})  # this test's own registry
    kernels.warm("no-such-part")
    assert not kernels.available() and kernels.loaded("scan_transcode") is None
    assert Loops.for_file(1 << 30, "utf-8", "strict", ";", set(), set()) is None
