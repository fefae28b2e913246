"""Budgets of the workbook readers (tabcheck.workbook.budgets), shared by `check` and `fix`.

Each hostile workbook of fixtures/hostile_workbooks.py is checked and fixed by the command line in
a process limited to 1 GB of address space and a minute: an exact finding, the exit code of the
contract, no traceback, nothing large written. A legitimate workbook near the limits still passes.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabcheck.workbook import read_workbook
from tabcheck.workbook.budgets import DEFAULT, Budgets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
from hostile_workbooks import (  # the fixtures folder is not a package
    TABLE,
    shared_strings,
    sheet,
    write_hostile_workbooks,
    write_package,
)

ADDRESS_SPACE = 1 << 30  # 1 GiB: what a hostile case may never get past
SECONDS = 60
SHEET = "xl/worksheets/sheet1.xml"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _cli(*args: str, cwd: Path, seconds: float = SECONDS) -> tuple[subprocess.CompletedProcess[bytes], float]:
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", *args],
        capture_output=True,
        cwd=cwd,
        preexec_fn=_limited,
        timeout=seconds,
        check=False,
    )
    return out, time.monotonic() - start


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {p.name: p for p in write_hostile_workbooks(folder)}


# name -> (findings of `check`: (rule, sheet, row, column, kind, detail)), the refusal of `fix`)
LIMIT = "limit"
CASES: dict[str, tuple[list[tuple[object, ...]], str]] = {
    "spans_2147483647.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                LIMIT,
                f'{SHEET}: row 1 declares spans="1:2147483647", beyond Excel\'s 16,384 columns',
            )
        ],
        "corrupt-workbook:limit",
    ),
    "value_at_XFD20000.xlsx": (
        [
            ("too-many-columns", "Data", None, 703, None, None),
            ("cells-outside-header", "Data", 20000, 16384, None, None),
            ("title-or-notes-rows", "Data", 4, None, None, None),
        ],
        "table-too-sparse",
    ),
    "value_at_XFD1048576.xlsx": (
        [
            ("too-many-columns", "Data", None, 703, None, None),
            ("cells-outside-header", "Data", 1048576, 16384, None, None),
            ("title-or-notes-rows", "Data", 4, None, None, None),
        ],
        "table-too-sparse",
    ),
    "reference_5000_letters.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                LIMIT,
                f"{SHEET}: the cell reference AAAAAAAAAAAA… (5,001 characters) is beyond Excel's last "
                "column (XFD, 16,384)",
            )
        ],
        "corrupt-workbook:limit",
    ),
    "merged_range_5000_letters.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                LIMIT,
                f"{SHEET}: the merged range A1:BBBBBBBBBBBBB… (5,004 characters) is not within Excel's grid",
            )
        ],
        "corrupt-workbook:limit",
    ),
    "row_number_5000_digits.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                LIMIT,
                f"{SHEET}: a row number of 5,000 digits is beyond Excel's last row (1,048,576)",
            )
        ],
        "corrupt-workbook:limit",
    ),
    "doctype_in_shared_strings.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                "doctype",
                "xl/sharedStrings.xml declares a DTD or entities: refused, as Dataverse's XML parser refuses it",
            )
        ],
        "corrupt-workbook:doctype",
    ),
    "row_of_2600000_cells.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                LIMIT,
                f"{SHEET}: row 4 has 2,600,000 cells, beyond Excel's 16,384 columns",
            )
        ],
        "corrupt-workbook:limit",
    ),
    "row_of_one_100MB_value.xlsx": (
        [("corrupt-file", None, None, None, LIMIT, f"{SHEET}: row 4 is longer than 67,108,864 bytes")],
        "corrupt-workbook:limit",
    ),
    "shared_string_40MB.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                LIMIT,
                "xl/sharedStrings.xml holds a shared string of more than 4,194,304 bytes",
            )
        ],
        "corrupt-workbook:limit",
    ),
    "zip_bomb_3GB.xlsx": (
        [
            (
                "corrupt-file",
                None,
                None,
                None,
                "bomb",
                "xl/media/padding.bin would expand 1010 times (to 3,221,225,472 bytes): refused as a "
                "decompression bomb",
            )
        ],
        "corrupt-workbook:bomb",
    ),
}


def test_every_hostile_case_has_its_expectation(hostile: dict[str, Path]) -> None:
    assert set(hostile) == set(CASES) | {"empty_columns_16384.xlsx", "dimension_5000_letters.xlsx"}
    assert all(p.stat().st_size < 4_000_000 for p in hostile.values())


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_turns_a_hostile_workbook_into_a_finding(
    hostile: dict[str, Path], name: str, tmp_path: Path
) -> None:
    out, seconds = _cli("check", str(hostile[name]), "--format", "json", cwd=tmp_path)
    assert b"Traceback" not in out.stderr and out.returncode == 1, out.stderr
    assert seconds < SECONDS and len(out.stdout) < 50_000
    (report,) = json.loads(out.stdout)["files"]
    assert report["status"] == "fails" and report["dataverse"]["outcome"] == "fails"
    found = [
        (f["rule"], f["sheet"], f["row"], f["column"], f["params"].get("kind"), f["params"].get("detail"))
        for f in report["findings"]
    ]
    assert found == CASES[name][0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_refuses_a_hostile_workbook_and_writes_nothing(
    hostile: dict[str, Path], name: str, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    out, seconds = _cli("fix", str(hostile[name]), "-o", str(target), cwd=tmp_path)
    assert b"Traceback" not in out.stderr and out.returncode == 1, out.stderr
    assert seconds < SECONDS
    assert [p.name for p in target.iterdir()] == ["fix-manifest.json"]
    (manifest,) = json.loads((target / "fix-manifest.json").read_text(encoding="utf-8"))["files"]
    assert manifest["refused"]["reason"] == CASES[name][1]
    assert manifest["outputs"] == []


def test_sixteen_thousand_empty_columns_are_read_at_the_speed_of_their_bytes(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    """Was: 16,384 empty styled cells a row, 328 MB: 94 s and 1.6 GB (here 13 MB of them)."""
    path = hostile["empty_columns_16384.xlsx"]
    out, seconds = _cli("check", str(path), "--format", "json", cwd=tmp_path)
    assert b"Traceback" not in out.stderr and out.returncode == 1 and seconds < 30
    (report,) = json.loads(out.stdout)["files"]
    # Dataverse's reader fails on the empty cells of three letters in the header row
    assert report["dataverse"]["message"] == (
        "Could not parse Excel/XLSX spreadsheet. Could not establish position index of a cell element "
        "unambiguously!"
    )
    target = tmp_path / "out"
    out, seconds = _cli("fix", str(path), "-o", str(target), cwd=tmp_path)
    assert b"Traceback" not in out.stderr and out.returncode == 0 and seconds < 45, out.stdout
    csv = (target / "empty_columns_16384.xlsx.csv").read_text(encoding="utf-8").splitlines()
    assert csv[:3] == ["id,name,score", "1,alice,3.5", "2,bob,4"] and len(csv) == 43
    assert csv[-1] == "43,,"


def test_a_dimension_beyond_excel_is_ignored_by_check_and_refused_by_fix(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    """Dataverse never reads `<dimension>`; openpyxl would size the sheet by it: fix refuses it."""
    path = hostile["dimension_5000_letters.xlsx"]
    out, _ = _cli("check", str(path), "--format", "json", cwd=tmp_path)
    (report,) = json.loads(out.stdout)["files"]
    assert out.returncode == 0 and report["status"] == "ready" and report["findings"] == []
    target = tmp_path / "out"
    out, _ = _cli("fix", str(path), "-o", str(target), cwd=tmp_path)
    assert b"Traceback" not in out.stderr and out.returncode == 1
    (manifest,) = json.loads((target / "fix-manifest.json").read_text(encoding="utf-8"))["files"]
    assert manifest["refused"]["reason"] == "beyond-excel-limits"
    assert [p.name for p in target.iterdir()] == ["fix-manifest.json"]


def test_merged_ranges_beyond_their_budget_are_refused(tmp_path: Path) -> None:
    merges = "".join(f'<mergeCell ref="E{r}:F{r}"/>' for r in range(1, 101))
    path = _wb(tmp_path, TABLE, after=f'<mergeCells count="100">{merges}</mergeCells>')
    wb = read_workbook(path, Budgets(max_merged_ranges=99))
    assert wb.corrupt is not None and wb.corrupt.detail == f"{SHEET} has more than 99 merged ranges"
    assert read_workbook(path).corrupt is None


def test_a_legitimate_workbook_near_the_limits_passes_unchanged(tmp_path: Path) -> None:
    """200,000 cells and a text of 32,767 characters (Excel's most in a cell): read whole, fixed whole."""
    import xlsxwriter

    path = tmp_path / "grand.xlsx"
    long_text = ("Relevé de terrain, parcelle nord ; " * 1000)[:32_767]
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet("Mesures")
        ws.write_row(0, 0, ["id", "site", "note", *[f"v{i}" for i in range(7)]])
        for r in range(1, 20_001):
            ws.write_row(
                r, 0, [r, f"site {r % 50}", long_text if r == 7 else "ok", *[r * 0.5 + i for i in range(7)]]
            )
    # not a hostile file: the time limit only guards against a hang on a busy machine
    out, _ = _cli("check", str(path), "--format", "json", cwd=tmp_path, seconds=300)
    (report,) = json.loads(out.stdout)["files"]
    assert out.returncode == 0 and report["status"] == "ready", report["findings"]
    assert report["dataverse"]["observations"] == 20_000 and report["dataverse"]["variables"] == 10
    target = tmp_path / "out"
    out, _ = _cli("fix", str(path), "-o", str(target), cwd=tmp_path, seconds=300)
    assert out.returncode == 0, out.stdout
    lines = (target / "grand.xlsx.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20_001 and f',"{long_text}",' in lines[7]


# -- each budget, with budgets small enough for small files ---------------------------------------
def test_the_budgets_are_frozen_and_named() -> None:
    with pytest.raises(AttributeError):
        DEFAULT.max_row_bytes = 1  # type: ignore[misc]
    assert DEFAULT.max_columns == 16_384 and DEFAULT.max_rows == 1_048_576


def _wb(tmp_path: Path, rows: str, strings: bytes | None = None, after: str = "") -> Path:
    return write_package(tmp_path / "w.xlsx", sheet(rows, after=after), strings)


def test_a_row_longer_than_its_budget_is_refused(tmp_path: Path) -> None:
    row = '<row r="4" spans="1:3"><c r="A4" t="inlineStr"><is><t>' + "x" * 200_000 + "</t></is></c></row>"
    path = _wb(tmp_path, TABLE + row)
    wb = read_workbook(path, Budgets(max_row_bytes=100_000))
    assert wb.corrupt is not None and (wb.corrupt.kind, wb.corrupt.detail) == (
        "limit",
        f"{SHEET}: row 4 is longer than 100,000 bytes",
    )
    assert read_workbook(path).corrupt is None  # the default budget holds it


def test_a_long_tail_after_the_rows_is_read_in_pieces(tmp_path: Path) -> None:
    """After sheetData, nothing is a row: a tail beyond the row budget is read on, not refused."""
    merges = "".join(f'<mergeCell ref="E{r}:F{r}"/>' for r in range(1, 5001))
    path = _wb(tmp_path, TABLE, after=f'<mergeCells count="5000">{merges}</mergeCells>')
    wb = read_workbook(path, Budgets(max_row_bytes=20_000))
    assert wb.corrupt is None and len(wb.sheets[0].merged) == 5000
    assert wb.sheets[0].merged[-1] == "E5000:F5000"


def test_shared_strings_beyond_their_budgets_are_refused(tmp_path: Path) -> None:
    strings = shared_strings(["id", "name", "score", "alice", "bob", *[f"t{i}" for i in range(100)]])
    path = _wb(tmp_path, TABLE, strings)
    wb = read_workbook(path, Budgets(max_shared_strings=50))
    assert (
        wb.corrupt is not None
        and wb.corrupt.detail == "xl/sharedStrings.xml holds more than 50 shared strings"
    )
    wb = read_workbook(path, Budgets(max_shared_string_bytes=100))
    assert wb.corrupt is not None and wb.corrupt.kind == "limit"
    assert read_workbook(path).corrupt is None


def test_prefixed_shared_strings_are_cut_at_their_own_end_tags(tmp_path: Path) -> None:
    """`<x:si>`: the budget of one string held applies to one string, not to the whole part."""
    items = "".join(f"<x:si><x:t>s{i}</x:t></x:si>" for i in range(20_000))
    strings = f'<?xml version="1.0"?><x:sst xmlns:x="urn:x">{items}</x:sst>'.encode()
    path = _wb(tmp_path, TABLE, strings)
    wb = read_workbook(path, Budgets(max_value_bytes=10_000))
    assert wb.corrupt is None and wb.shared_strings == 20_000


def test_sheets_beyond_their_budget_are_refused(tmp_path: Path) -> None:
    wb = read_workbook(_wb(tmp_path, TABLE), Budgets(max_sheets=0))
    assert wb.corrupt is not None and wb.corrupt.detail == "the workbook lists 1 sheets (limit 0)"


def test_a_part_read_whole_beyond_its_budget_is_refused(tmp_path: Path) -> None:
    wb = read_workbook(_wb(tmp_path, TABLE), Budgets(max_small_part=100))
    assert wb.corrupt is not None and wb.corrupt.kind == "limit"
    assert wb.corrupt.detail.endswith("beyond the 100 read whole for a part of its kind")


def test_a_part_expanding_beyond_its_budget_is_a_bomb(tmp_path: Path) -> None:
    wb = read_workbook(_wb(tmp_path, TABLE), Budgets(max_part_expanded=500))
    assert wb.corrupt is not None and wb.corrupt.kind == "bomb"
    assert wb.corrupt.detail.endswith("bytes: refused (limit 500)")


def test_spans_within_excel_keep_dataverse_s_own_verdicts(tmp_path: Path) -> None:
    """Up to XFD the header's spans is Dataverse's business (here: a name missing beyond ZZ)."""
    path = _wb(tmp_path, TABLE.replace('spans="1:3"', 'spans="1:16384"', 1))
    wb = read_workbook(path)
    assert wb.corrupt is None and wb.trace is not None
    assert wb.trace.failure == "Could not establish variable name for column 702"


def test_fix_streams_within_the_filled_rectangle(tmp_path: Path) -> None:
    """A sparse but small sheet (under the floor of 10 million cells) is converted as it is."""
    from tabcheck.checker import Settings
    from tabcheck.fix import fix_paths

    far = '<row r="40" spans="1:30"><c r="AD40"><v>7</v></c></row>'
    path = _wb(tmp_path, TABLE + far)
    run = fix_paths([path], tmp_path / "out", Settings())
    (m,) = run.files
    assert m.refused is None and m.outputs[0].columns == 30
