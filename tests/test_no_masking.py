"""No finding hides another: each rule runs on the table as its author means it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

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
