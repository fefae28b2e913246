"""No finding hides another: each rule runs on the table as its author means it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tabcheck.api import check, to_json


def _findings(path: Path) -> list[tuple[str, str | None, str]]:
    (report,) = check([path]).files
    return [(f.rule, f.location.cell, f.view) for f in report.findings]


def test_a_workbook_without_row_spans_still_shows_its_header_problems(tmp_path: Path) -> None:
    """Was: "no row spans" was the only finding; the rest came one failed deposit later."""
    path = tmp_path / "openpyxl.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in (["id", "site", "site", None, "ph"], [1, "Brest", "x", 2, 7.1], [2, "Rennes", "y", 3, 6.9]):
        ws.append(row)
    wb.save(path)
    assert _findings(path) == [
        ("xlsx-no-row-spans", None, "dataverse"),
        ("empty-header", "D1", "author"),
        ("duplicate-header", "B1", "author"),
    ]
    (out,) = to_json(check([path]))["files"]
    assert [f.get("view") for f in out["findings"]] == [None, "author", "author"]


def test_a_title_above_an_openpyxl_header_is_skipped_for_the_header_checks(tmp_path: Path) -> None:
    path = tmp_path / "titled.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["Mesures 2024"], ["id", "", "ph"], [1, "a", 7.1], [2, "b", 6.9]):
        ws.append(row)
    wb.save(path)
    assert ("empty-header", "B2", "author") in _findings(path)


# -- CSV: each blocker still found under a title row, with ';', in Windows-1252 -------------------
FIX = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
# Findings about the file's bytes or layout themselves: a title, ';' or cp1252 changes what they are.
ABOUT_THE_LAYOUT = {
    "encoding-not-utf8", "utf8-bom", "delimiter-not-comma", "delimiter-not-tab", "title-or-notes-rows",
    "no-data", "not-tabular", "file-too-large", "upload-too-large", "unsupported-format", "unclosed-quote",
    "bad-quoting", "encoding-uncertain", "mixed-encodings", "delimiter-uncertain", "blank-line",
}  # fmt: skip


def _blocker_cases() -> list[tuple[str, str]]:
    cases = []
    for path in sorted(FIX.glob("*.bad.csv")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        (report,) = check([path]).files
        for f in report.findings:
            if f.severity.value == "blocker" and f.rule not in ABOUT_THE_LAYOUT:
                cases.append((path.name, f.rule))
    return sorted(set(cases))


CASES = _blocker_cases()


def _rules(path: Path) -> set[str]:
    (report,) = check([path]).files
    assert report.error is None, report.error
    return {f.rule for f in report.findings}


def _semicolons(text: str) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize("name,rule", CASES, ids=[f"{n}:{r}" for n, r in CASES])
def test_a_title_row_hides_no_finding(tmp_path: Path, name: str, rule: str) -> None:
    if rule == "empty-header" and (FIX / name).read_bytes().startswith(b"\n"):
        pytest.skip("the finding is about the first line itself, which the title replaces")
    path = tmp_path / name
    path.write_bytes("Relevés de terrain 2024\n".encode() + (FIX / name).read_bytes())
    assert rule in _rules(path)


@pytest.mark.parametrize("name,rule", CASES, ids=[f"{n}:{r}" for n, r in CASES])
def test_semicolons_hide_no_finding(tmp_path: Path, name: str, rule: str) -> None:
    text = (FIX / name).read_text(encoding="utf-8")
    if "\r" in text or '"' in text or ";" in text.splitlines()[0]:
        pytest.skip("quoted, CR or already ';': rewriting it with ';' is another file")
    path = tmp_path / name
    path.write_text(_semicolons(text), encoding="utf-8")
    assert rule in _rules(path)


@pytest.mark.parametrize("name,rule", CASES, ids=[f"{n}:{r}" for n, r in CASES])
def test_windows_1252_hides_no_finding(tmp_path: Path, name: str, rule: str) -> None:
    """The same table with accented text, saved in Windows-1252 (Excel's "CSV" on Windows)."""
    text = (FIX / name).read_text(encoding="utf-8").replace("o", "ô")
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252", errors="replace"))
    assert rule in _rules(path)
