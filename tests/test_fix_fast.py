"""The vectorised fix (fix/fast.py) against the exact one (fix/csvfix.py): the same bytes, the same manifest.

Random regular tables (numbers with decimal commas, with or without thousands separators, integers
grouped by points (1.234.567) or spaces (139 926), `null`, dates day first (25/12/2020),
empty cells, quotes, delimiters and line breaks inside quoted values, accents; UTF-8 with or without a BOM, or
Windows-1252; `;` `,` or tab; CRLF or LF; quoted where needed, or every text quoted) are fixed twice:
by the default run, which takes the vectorised path when the table is regular, and with
`fast=False`. Both outputs must be byte-identical and both manifests equal (transformations,
counts, samples, verification), or both runs refuse with the same reason.

CI runs a few hundred examples; `TABCHECK_FIX_EXAMPLES=10000 pytest tests/test_fix_fast.py` runs
more by hand.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.checker import Settings
from tabcheck.fix import FixRun, fast, fix_paths
from tabcheck.fix.csvfix import Reading
from tabcheck.fix.repairs import Plan, convert_number
from tabcheck.fix.verify import _decimal_ok

EXAMPLES = int(os.environ.get("TABCHECK_FIX_EXAMPLES", "200"))
TAKEN: dict[str, int] = {}  # path -> examples (printed at the end of a hand run)

WORDS = st.sampled_from(
    [
        "Brest",
        "Orléans",
        "Béziers",
        "été",
        "a, b",
        "a; b",
        'dit "oui"',
        "  padded ",
        "x",
        "Zoë",
        "ça",
        "€ 5",
        "1,5 kg",
        "ligne 1\nligne 2",  # line feeds in values: records span lines (the fast path copies them)
        "a\n\nb",
        "\nstart",
        'dit "oui"\npuis non',
        "a;\nb, c",
        "avec\r\nCRLF",  # a CR in a value: the exact path makes it LF (both runs refuse or agree)
    ]
)
TEXT = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=("Cs", "Cc"), exclude_characters="\r\n"),
    min_size=0,
    max_size=10,
)


DATE = st.builds(
    lambda d, sep, pad: f"{d.day:{pad}}{sep}{d.month:{pad}}{sep}{d.year:04d}",
    st.dates(datetime.date(1583, 1, 1), datetime.date(9999, 12, 31)),
    st.sampled_from("/.-"),
    st.sampled_from(["02d", "d"]),
)


TIMESTAMP = st.builds(
    lambda d, h, m, s, sep: f"{d.isoformat()}{sep}{h}:{m:02d}" + (f":{s:02d}" if s >= 0 else ""),
    st.dates(datetime.date(1583, 1, 1), datetime.date(9999, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(-1, 59),
    st.sampled_from(" T"),
)


@st.composite
def number(draw: st.DrawFn, style: str) -> str:
    whole = draw(st.integers(0, 9_999_999))
    frac = draw(st.integers(0, 999))
    sign = draw(st.sampled_from(["", "", "-"]))
    if style == "plain-comma":
        return f"{sign}{whole},{frac}"
    if style == "grouped-comma":
        sep = draw(st.sampled_from([" ", ".", "\u00a0", "'"]))
        grouped = f"{whole:,}".replace(",", sep)
        return f"{sign}{grouped},{frac}"
    if style == "point":
        return f"{sign}{whole}.{frac}"
    if style == "ambiguous":
        return f"{draw(st.integers(1, 999))},{draw(st.integers(0, 999)):03d}"
    if style == "point-grouped":  # 1.234.567: points that only group thousands, no decimals
        return f"{sign}{draw(st.integers(1_000_000, 999_999_999)):,}".replace(",", ".")
    if style == "space-grouped":  # 139 926: a whole number, separators that never mark decimals
        sep = draw(st.sampled_from([" ", "\u00a0", "'"]))
        return f"{sign}{draw(st.integers(1_000, 99_999_999)):,}".replace(",", sep)
    return str(whole)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, object]:
    ncols = draw(st.integers(2, 6))
    nrows = draw(st.integers(1, 30))
    kinds = [
        draw(
            st.sampled_from(
                [
                    "int",
                    "dec",
                    "dec",
                    "grouped",
                    "null-dec",
                    "null-int",
                    "text",
                    "mixed",
                    "date",
                    "timestamp",
                    "date-time",
                ]
            )
        )
        for _ in range(ncols)
    ]
    header = [f"col{i}_{k}" for i, k in enumerate(kinds)]
    rows: list[list[str]] = []
    for _ in range(nrows):
        row: list[str] = []
        for k in kinds:
            empty = draw(st.integers(0, 9)) == 0
            if empty:
                row.append("")
            elif k == "int":
                row.append(draw(number("int")))
            elif k == "dec":
                row.append(draw(number("plain-comma")))
            elif k == "grouped":
                row.append(
                    draw(
                        number(
                            draw(
                                st.sampled_from(
                                    ["plain-comma", "grouped-comma", "point-grouped", "space-grouped"]
                                )
                            )
                        )
                    )
                )
            elif k in ("null-dec", "null-int"):
                if draw(st.integers(0, 3)) == 0:
                    row.append(draw(st.sampled_from(["null", "NULL", "Null"])))
                else:
                    row.append(draw(number("plain-comma" if k == "null-dec" else "int")))
            elif k == "mixed":  # rare shapes: a point, an ambiguous 1,234, padding, `12,`
                row.append(
                    draw(
                        st.one_of(
                            number("plain-comma"),
                            number("point"),
                            number("ambiguous"),
                            st.sampled_from([" 3,5", "3,5 ", "12,", "+1,5", "1,5e-3", "1 234", "abc"]),
                        )
                    )
                )
            elif k == "date-time":  # as a French spreadsheet writes one: 25/12/2020 14:30
                row.append(
                    draw(
                        st.builds(
                            lambda d, h, m: f"{d} {h}:{m:02d}", DATE, st.integers(0, 23), st.integers(0, 59)
                        )
                    )
                )
            elif k == "timestamp":  # a date and its time, in any of the ways instruments write them
                row.append(draw(TIMESTAMP))
            elif k == "date":  # day first, now and then a value that is no date (the exact path then)
                row.append(
                    draw(
                        st.one_of(
                            *[DATE] * 20,  # most date columns hold dates only: the fast path's
                            st.sampled_from(
                                [
                                    "31/04/2021",
                                    "2021-02-03",
                                    "7.3.2020",
                                    "29/02/2000",
                                    "29/02/1900",
                                    "01/01/0000",
                                    "29/02/1500",
                                ]
                            ),
                        )
                    )
                )
            else:
                row.append(draw(st.one_of(WORDS, TEXT)))
        rows.append(row)
    return {
        "header": header,
        "rows": rows,
        "delimiter": draw(st.sampled_from([";", ";", ",", "\t"])),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        "crlf": draw(st.booleans()),
        "final_newline": draw(st.integers(0, 5)) > 0,
        # empty cells at the end of the lines (a delimiter after the last column): every line's,
        # or the data rows' only; the fast path drops them when every line has them, bare
        "trailing": draw(st.sampled_from([0, 0, 1, 2])),
        "trailing_lines": draw(st.sampled_from(["all", "all", "data"])),
        # after which data rows an empty line or a row of empty cells (`;;`) comes: both dropped
        "gaps": draw(
            st.lists(st.tuples(st.integers(0, nrows), st.sampled_from(["blank", "cells"])), max_size=3)
        ),
        # header cells left empty (an R or pandas row index, a column without a name): named A, B, …
        "unnamed": draw(st.lists(st.integers(0, ncols - 1), max_size=2, unique=True)),
        # header cells holding the name of the column before them: written name_2, name_3, …
        "repeated": draw(st.lists(st.integers(1, ncols - 1), max_size=2, unique=True)),
    }


def _render(t: dict[str, object]) -> bytes:
    buf = io.StringIO()
    newline = "\r\n" if t["crlf"] else "\n"
    w = csv.writer(buf, delimiter=str(t["delimiter"]), quoting=t["quoting"], lineterminator=newline)  # type: ignore[arg-type]
    extra = [""] * int(t.get("trailing", 0))  # type: ignore[call-overload]
    header = list(t["header"])  # type: ignore[call-overload]
    for c in sorted(t.get("repeated", [])):  # type: ignore[call-overload]
        header[c] = header[c - 1]
    for c in t.get("unnamed", []):  # type: ignore[attr-defined]
        header[c] = ""
    w.writerow(header + extra if t.get("trailing_lines", "all") == "all" else header)
    gaps = sorted(t.get("gaps", []))  # type: ignore[call-overload]
    width = len(header) + len(extra)
    for i, row in enumerate([*t["rows"], None]):  # type: ignore[misc]
        for _ in [g for g in gaps if g[0] == i]:
            if _[1] == "blank":
                buf.write(newline)
            else:
                buf.write(str(t["delimiter"]) * (width - 1) + newline)
        if row is not None:
            w.writerow(row + extra)
    text = buf.getvalue()
    if not t["final_newline"]:
        text = text[: -len(newline)]
    return text.encode(str(t["encoding"]), errors="replace")


def _fix(data: bytes, name: str, fast: bool, given: str | None) -> tuple[FixRun, dict[str, bytes], dict]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in" / name
        src.parent.mkdir()
        src.write_bytes(data)
        out = Path(tmp) / "out"
        run = fix_paths([src], out, Settings(encoding=given), fast=fast)
        files = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "fix-manifest.json"}
        manifest = json.loads((out / "fix-manifest.json").read_text(encoding="utf-8"))
        for f in manifest["files"]:
            f["source"] = Path(f["source"]).name
            for o in f["outputs"]:
                o["path"] = Path(o["path"]).name
        return run, files, manifest


def _same(data: bytes, name: str = "table.csv", given: str | None = None, verified: bool = True) -> str:
    """Fix `data` both ways, assert the same result; the path the default run took."""
    fast_run, fast_files, fast_manifest = _fix(data, name, True, given)
    exact_run, exact_files, exact_manifest = _fix(data, name, False, given)
    assert fast_files == exact_files
    assert fast_manifest == exact_manifest
    assert fast_run.exit_code == exact_run.exit_code
    taken = str(next(iter(fast_run.records.values()), {}).get("path", "none"))
    assert not taken.startswith("fast") or fast_run.files[0].verified == verified, fast_run.files[0].outputs
    return taken


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tables())
def test_fast_and_exact_paths_agree(t: dict[str, object]) -> None:
    given = "cp1252" if t["encoding"] == "cp1252" else None
    taken = _same(_render(t), "table.tsv" if t["delimiter"] == "\t" else "table.csv", given)
    key = "fast" if taken == "fast" else "exact"
    TAKEN[key] = TAKEN.get(key, 0) + 1


def test_the_property_takes_the_fast_path_often() -> None:
    """The property above is not vacuous: most generated tables go the vectorised way."""
    if not TAKEN:
        pytest.skip("run with the property test")
    print(f"paths taken: {TAKEN}")
    assert TAKEN.get("fast", 0) >= TAKEN.get("exact", 0) // 4


FRENCH = (
    "id;ville;poids_kg;taille;visites;note\r\n"
    "1;Orléans;87,9;1 234,5;3;RAS\r\n"
    '2;Béziers;69,7;12,0;NULL;"dit ""oui"", puis non"\r\n'
    "3;Montréal;null;;12;\r\n"
    '4;Genève;-0,25;2 000,75;7;"a; b"\r\n'
)


VERBATIMS = (
    "id;verbatim;poids\r\n"
    '1;"Première ligne\nseconde ligne";87,9\r\n'
    '2;"dit ""oui""\n\npuis non; enfin";69,7\r\n'
    "3;court;12,5\r\n"
)


def _fixed_the_fast_way(text: str) -> tuple[dict[str, bytes], dict]:
    """A Windows-1252 export fixed both ways, the same, the default run fast: its files, manifest."""
    data = text.encode("cp1252")
    assert _same(data, given="cp1252") == "fast"
    _run, files, manifest = _fix(data, "table.csv", True, "cp1252")
    return files, manifest


def test_line_feeds_in_values_go_the_fast_way_with_the_same_result() -> None:
    """Interview verbatims: the line feeds inside quoted values are kept, records span lines."""
    files, _manifest = _fixed_the_fast_way(VERBATIMS)
    assert files["table.csv"] == (
        b"id,verbatim,poids\n"
        b'1,"Premi\xc3\xa8re ligne\nseconde ligne",87.9\n'
        b'2,"dit ""oui""\n\npuis non; enfin",69.7\n'
        b"3,court,12.5\n"
    )


def test_a_cr_in_a_value_goes_the_exact_way() -> None:
    """A CRLF inside a value becomes LF: a declared change only the exact path makes."""
    data = VERBATIMS.replace("ligne\nseconde", "ligne\r\nseconde").encode("cp1252")
    assert _same(data, given="cp1252") == "exact (CR in values)"


def test_french_export_goes_the_fast_way_with_the_same_result() -> None:
    files, manifest = _fixed_the_fast_way(FRENCH)
    assert files["table.csv"] == (
        b"id,ville,poids_kg,taille,visites,note\n"
        b"1,Orl\xc3\xa9ans,87.9,1234.5,3,RAS\n"
        b'2,B\xc3\xa9ziers,69.7,12.0,,"dit ""oui"", puis non"\n'
        b"3,Montr\xc3\xa9al,,,12,\n"  # poids_kg turns numeric: its null would be 0
        b"4,Gen\xc3\xa8ve,-0.25,2000.75,7,a; b\n"
    )
    done = [
        (t["name"], t["where"], t["count"], t["examples"]) for t in manifest["files"][0]["transformations"]
    ]
    assert done == [
        ("transcode", None, 4, [["windows-1252", "utf-8"]]),
        ("comma-delimiter", None, 5, [["';'", "','"]]),
        ("decimal-point", "poids_kg", 3, [["87,9", "87.9"], ["69,7", "69.7"], ["-0,25", "-0.25"]]),
        ("decimal-point", "taille", 3, [["1 234,5", "1234.5"], ["12,0", "12.0"], ["2 000,75", "2000.75"]]),
        ("empty-null", "visites", 1, [["NULL", ""]]),
        ("empty-null", "poids_kg", 1, [["null", ""]]),
    ]
    verification = manifest["files"][0]["outputs"][0]["verification"]
    assert (verification["ok"], verification["rows"], verification["cells"], verification["round_trip"]) == (
        True,
        5,
        30,
        True,
    )
    assert verification["recheck"] == []  # was: TC403, the null of poids_kg stored as 0


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a;b\r\n1;x\ry\r\n2;z\r\n", "a CR alone"),  # a CR inside a value: the exact path reads it
        ('a;b\r\n1;x"y\r\n2;z\r\n', "quote"),  # a quote inside an unquoted value
        ("a;b\r\n1;2,5\r\n2;3.5\r\n", "exact"),  # numbers in two conventions: refused by the exact path
        ("a;b\r\n1;2\r\n \r\n3;4\r\n", "exact"),  # a line of spaces
        ('a;b\r\n1;"x\n\ny"\r\n\r\n3;4\r\n', "exact"),  # a blank line, and records over several lines
    ],
)
def test_irregular_tables_go_the_exact_way(text: str, why: str) -> None:
    taken = _same(text.encode("utf-8"))
    assert taken.startswith("exact"), taken


@pytest.mark.parametrize(
    "text",
    [
        "a;b\r\n1;2\r\n\r\n3;4\r\n",  # a blank line
        "a;b\r\n1;2,5\r\n;\r\n3;4,5\r\n;\r\n\r\n",  # rows of empty cells, a blank last line
        'a;b\r\n"1";"2"\r\n"";""\r\n;\r\n',  # quoted empty cells too, once bare ones are found
        "a\tb\n1\t2\n\n\t\n3\t4\n",  # a TSV: Dataverse skips its blank lines, not its empty rows
        "a;b;\r\n1;2;\r\n;;\r\n\r\n3;4;\r\n",  # a delimiter at the end of every line, too
    ],
)
def test_blank_lines_and_rows_of_empty_cells_go_the_fast_way(text: str) -> None:
    """Was: any blank line (even one at the end of the file) sent the file the exact way, about ten
    times slower. The vectorised path drops them from each chunk before the rest, as the exact path
    does, and its verification drops them again by the same rule, independently."""
    name = "table.tsv" if "\t" in text else "table.csv"
    assert _same(text.encode("utf-8"), name) == "fast"


def test_progress_reaches_the_end_of_the_file_on_the_fast_path(tmp_path: Path) -> None:
    src = tmp_path / "in" / "t.csv"
    src.parent.mkdir()
    src.write_bytes(FRENCH.encode("cp1252"))
    seen: list[tuple[str, int, int]] = []
    run = fix_paths([src], tmp_path / "out", Settings(encoding="cp1252"), progress=lambda *a: seen.append(a))
    assert run.records[str(src)]["path"] == "fast"
    size = src.stat().st_size
    assert seen and seen[-1][1:] == (size, size)
    assert all(0 < done <= total == size for _, done, total in seen)


def test_utf8_with_cp1252_lines_round_trips_on_both_paths() -> None:
    data = "id;ville\n1;Orléans\n".encode() + "2;Béziers\n3;Genève\n".encode("cp1252")
    assert _same(data, given="utf-8+cp1252") == "fast"
    run, _files, manifest = _fix(data, "table.csv", True, "utf-8+cp1252")
    assert manifest["files"][0]["outputs"][0]["verification"]["round_trip"] is True
    assert run.exit_code == 0


def test_a_line_mixing_utf8_and_cp1252_fails_the_round_trip_on_both_paths() -> None:
    # é in UTF-8 and è in Windows-1252 on one line: no one reading gives back its bytes.
    data = "id;ville\n1;Orléans\n".encode() + "2;Béziers ".encode() + "è\n".encode("cp1252")
    assert _same(data, given="utf-8+cp1252", verified=False) == "fast"
    run, files, manifest = _fix(data, "table.csv", True, "utf-8+cp1252")
    verification = manifest["files"][0]["outputs"][0]["verification"]
    assert (verification["ok"], verification["round_trip"]) == (False, False)
    assert verification["detail"] == "the utf-8 transcoding does not give back the original bytes"
    assert files == {} and run.exit_code == 2


@pytest.mark.parametrize(
    "data",
    [
        b"1;2;3\n4\n",  # widths that compensate: as many delimiters as two records of two fields
        b'"x;y";2;3\n4\n',
        b'a"b;c\n',  # a quote inside an unquoted value
        b'"a"b;c\n',  # text after a closing quote
        b"1;2\r3;4\n",  # a CR alone
    ],
)
def test_the_verification_finds_irregular_sources_by_itself(data: bytes) -> None:
    with pytest.raises(fast.NotRegular):
        fast._source_fields(data, ";", 2)


def test_the_verification_splits_quoted_values_by_quote_parity() -> None:
    frame = fast._source_fields(b'"x;y";"q""z"\r\n1;\r\n;"";\r\n'.replace(b';"";', b';""'), ";", 2)
    assert frame.rows() == [("x;y", 'q"z'), ("1", ""), ("", "")]


NUMBERS = st.text(alphabet="0123456789,. -+e\u00a0'", max_size=9)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(
        st.one_of(st.tuples(NUMBERS, NUMBERS), NUMBERS.map(lambda b: (b, convert_number(b, "comma")))),
        min_size=1,
        max_size=20,
    )
)
def test_the_vectorised_decimal_check_is_the_exact_one(pairs: list[tuple[str, str]]) -> None:
    before = pl.Series([b for b, _ in pairs], dtype=pl.String)
    after = pl.Series([a for _, a in pairs], dtype=pl.String)
    assert fast._decimal_ok(before, after).to_list() == [_decimal_ok(b, a, "comma") for b, a in pairs]


@pytest.mark.parametrize(
    ("written", "detail"),
    [
        (b"a,b\n1.6,x\n", "column 1: the source value '1,5' became '1.6', not a declared transformation"),
        (b"a,b\n15,x\n", "column 1: the source value '1,5' became '15', not a declared transformation"),
        (b"a,b\n1.5,\n", "column 2: the source value 'x' became '', not a declared transformation"),
        (b"a,c\n1.5,x\n", "the header's column 2 differs: 'b' → 'c'"),
    ],
)
def test_the_vectorised_verification_fails_a_changed_value(
    tmp_path: Path, written: bytes, detail: str
) -> None:
    source, output = tmp_path / "s.csv", tmp_path / "o.csv"
    source.write_bytes(b"a;b\n1,5;x\n")
    output.write_bytes(written)
    verifier = fast._Verifier(source, output, Reading("utf-8", "strict", ";"), Plan(decimal_columns={0}))
    with pytest.raises(fast.Mismatch) as e:
        verifier.chunk(0, 0, source.stat().st_size, 0, len(written), 2, 2)
    assert str(e.value) == detail


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.floats(0, 1))
def test_records_end_where_the_structural_pass_says(t: dict[str, object], where: float) -> None:
    """The fix's chunks of a file with line feeds inside quotes end where scan.structure would end them."""
    from tabcheck.scan.structure import last_record_end

    data = _render(t)
    data = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    prefix = data[: int(len(data) * where)]  # a chunk cut anywhere: it starts at a record's start
    cut, odd = last_record_end(prefix, str(t["delimiter"]).encode())
    if odd >= len(prefix) - 2:  # regular quoting (the structural pass finds no quote inside a value)
        assert fast._record_end(prefix) == cut


def test_writes_beside_the_rewrite_keep_their_order_and_raise_their_errors(tmp_path):
    """The rewritten chunks are written by a thread of their own, one at a time: in order, all of
    them on file once `wait` returns, and a write that fails raises where the rewrite waits."""
    import io

    import numpy as np
    import pytest

    from tabcheck.fix.fast import _Writes

    path = tmp_path / "out.csv"
    with open(path, "wb") as out, _Writes(out) as writes:
        for k in range(50):
            writes.start(np.frombuffer(f"{k},x\n".encode() * 1000, dtype=np.uint8))
        writes.wait()
        assert path.stat().st_size == sum(len(f"{k},x\n") * 1000 for k in range(50))
    assert path.read_bytes() == b"".join(f"{k},x\n".encode() * 1000 for k in range(50))
    with open(path, "rb") as read_only:
        writes = _Writes(read_only)
        writes.start(b"a,b\n")
        with pytest.raises(io.UnsupportedOperation):
            writes.wait()
        writes.__exit__(None, None, None)
