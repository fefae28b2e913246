"""Formulas (issue 7, part 4): what each writer stores as their results, and what TC407 says of it.

Dataverse stores a formula's saved result (none → an empty value). openpyxl saves no result,
xlsxwriter saves 0 unless the program gives the result, Excel saves computed results and a calc
chain. The fixtures come from fixtures/make_workbooks.py.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tabcheck.facts import FileFacts
from tabcheck.facts.workbook import CellBox
from tabcheck.model import Effect, Finding, Severity
from tabcheck.workbook import read_workbook
from workbook_helpers import XLSX, context, rule_by_name, run

RULE = "formula-without-value"


def _box(first_row: int, first_column: int, last_row: int, last_column: int) -> CellBox:
    return CellBox(first_row, first_column, last_row, last_column)


NONE = CellBox()


# fixture: (formula cells, their box, without value, their box, storing 0, their box, all zero)
SHEET_FACTS = {
    "formula_openpyxl.xlsx": (40, _box(2, 3, 41, 3), 40, _box(2, 3, 41, 3), 0, NONE, False),
    "formula_xlsxwriter_zeros.xlsx": (6, _box(2, 3, 4, 4), 0, NONE, 6, _box(2, 3, 4, 4), True),
    "formula_xlsxwriter_results.xlsx": (6, _box(2, 3, 4, 4), 0, NONE, 2, _box(4, 3, 4, 4), False),
    "formula_excel.xlsx": (6, _box(2, 3, 4, 4), 0, NONE, 2, _box(4, 3, 4, 4), False),
    "formula_no_value.xlsx": (1, _box(2, 2, 2, 2), 1, _box(2, 2, 2, 2), 0, NONE, False),
    "formula_cached.xlsx": (1, _box(2, 2, 2, 2), 0, NONE, 0, NONE, False),
    "good.xlsx": (0, NONE, 0, NONE, 0, NONE, False),
}


@pytest.mark.parametrize("name", sorted(SHEET_FACTS))
def test_sheet_formula_facts(name: str) -> None:
    sheet = read_workbook(XLSX / name).read_sheet
    assert sheet is not None
    got = (
        sheet.formula_cells.count,
        sheet.formula_area,
        sheet.formulas_without_value.count,
        sheet.formulas_without_value_area,
        sheet.formula_zero_values.count,
        sheet.formula_zero_area,
        sheet.formula_values_all_zero,
    )
    assert got == SHEET_FACTS[name]


# fixture: (application, calcPr attributes, calc chain, full recalculation on load)
WORKBOOK_FACTS = {
    "formula_openpyxl.xlsx": (
        "Microsoft Excel Compatible / Openpyxl 3.1.5",
        {"calcId": "124519", "fullCalcOnLoad": "1"},
        False,
        True,
    ),
    "formula_xlsxwriter_zeros.xlsx": (
        "Microsoft Excel",
        {"calcId": "124519", "fullCalcOnLoad": "1"},
        False,
        True,
    ),
    "formula_xlsxwriter_results.xlsx": (
        "Microsoft Excel",
        {"calcId": "124519", "fullCalcOnLoad": "1"},
        False,
        True,
    ),
    "formula_excel.xlsx": ("Microsoft Excel", {"calcId": "191029"}, True, False),
}


@pytest.mark.parametrize("name", sorted(WORKBOOK_FACTS))
def test_workbook_calculation_facts(name: str) -> None:
    wb = read_workbook(XLSX / name)
    application, calc, chain, full = WORKBOOK_FACTS[name]
    if "Openpyxl" in application:  # the version is the installed openpyxl's
        assert (wb.application or "").startswith("Microsoft Excel Compatible / Openpyxl ")
    else:
        assert wb.application == application
    assert (wb.calc_properties, wb.has_calc_chain, wb.full_calc_on_load) == (calc, chain, full)


def test_samples_are_bounded_and_carry_the_stored_value() -> None:
    openpyxl_sheet = read_workbook(XLSX / "formula_openpyxl.xlsx").read_sheet
    assert openpyxl_sheet is not None
    assert [s.cell for s in openpyxl_sheet.formula_cells.samples] == [f"C{r}" for r in range(2, 12)]
    assert len(openpyxl_sheet.formulas_without_value.samples) == 10
    assert {s.value for s in openpyxl_sheet.formula_cells.samples} == {""}
    excel_sheet = read_workbook(XLSX / "formula_excel.xlsx").read_sheet
    assert excel_sheet is not None
    shown = [(s.cell, s.value) for s in excel_sheet.formula_cells.samples]
    assert shown == [("C2", "24"), ("D2", "16"), ("C3", "14"), ("D3", "6"), ("C4", "0"), ("D4", "0")]


# fixture: (variant, severity, effect, first cell, range, count, cells listed) of each finding
FINDINGS: dict[str, list[tuple[str, Severity, Effect, str, str, int, list[str]]]] = {
    "formula_openpyxl.xlsx": [
        ("default", Severity.BLOCKER, Effect.DEGRADES, "C2", "C2:C41", 40, ["C2", "C3", "C4", "C5", "C6"])
    ],
    "formula_no_value.xlsx": [("default", Severity.BLOCKER, Effect.DEGRADES, "B2", "B2", 1, ["B2"])],
    "formula_xlsxwriter_zeros.xlsx": [
        ("not-computed", Severity.BLOCKER, Effect.DEGRADES, "C2", "C2:D4", 6, ["C2", "D2", "C3", "D3", "C4"])
    ],
    # xlsxwriter given the results (24, 14, 0 and 16, 6, 0): they are trusted
    "formula_xlsxwriter_results.xlsx": [],
    "formula_cached.xlsx": [],
    # Excel: computed results (0 among them), shared formulas, a calc chain
    "formula_excel.xlsx": [],
    "good.xlsx": [],
}


def _summary(f: Finding) -> tuple[str, Severity, Effect, str | None, str, int, list[str]]:
    return (
        f.variant,
        f.severity,
        f.effect,
        f.location.cell,
        f.params["cell_range"],
        f.count,
        f.params["cells"],
    )


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_findings(name: str) -> None:
    findings = run(RULE, name)
    assert [_summary(f) for f in findings] == FINDINGS[name]
    for f in findings:
        assert f.code == "TC407" and f.location.sheet == "Data"
        assert f.params["count_cells"] == f.count


def test_messages_in_english_and_french() -> None:
    rule = rule_by_name(RULE)
    empty = run(RULE, "formula_openpyxl.xlsx")[0]
    assert rule.render(empty, "en") == (
        'Sheet "Data": no saved formula result in C2:C41 (cell count: 40, including C2, C3, C4, C5, '
        "C6); Dataverse will store an empty value in place of each result the sheet shows."
    )
    assert rule.render(empty, "fr") == (
        "Feuille «\u00a0Data\u00a0»\u00a0: aucun résultat de formule enregistré dans C2:C41 (nombre de "
        "cellules\u00a0: 40, dont C2, C3, C4, C5, C6)\u202f; Dataverse enregistrera une valeur vide à la "
        "place de chaque résultat affiché par la feuille."
    )
    zeros = run(RULE, "formula_xlsxwriter_zeros.xlsx")[0]
    en, fr = rule.render(zeros, "en"), rule.render(zeros, "fr")
    assert "each formula in C2:D4 stores 0" in en and "Dataverse will store 0 in place of" in en
    assert "chaque formule de C2:D4 a 0" in fr and "Dataverse enregistrera 0 à la place" in fr
    for texts in rule.messages.values():
        assert "(s)" not in texts["en"] and "(s)" not in texts["fr"]
        assert " :" not in texts["fr"] and " ;" not in texts["fr"]  # no-break spaces only


def test_fix_is_not_claimed_to_compute_formulas() -> None:
    rule = rule_by_name(RULE)
    assert not rule.fixable
    assert "does not compute formulas" in rule.how_to_fix["en"]
    assert "ne calcule pas les formules" in rule.how_to_fix["fr"]


# -- what makes zeros untrusted: each condition taken away in turn --------------------------------


def _edited(
    tmp_path: Path, source: str, edit: Callable[[dict[str, bytes]], None], name: str = "edited.xlsx"
) -> str:
    with zipfile.ZipFile(XLSX / source) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
    edit(members)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(member, data)
    return str(path)


def _variants(path: str) -> list[tuple[str, str, int]]:
    p = Path(path)
    facts = FileFacts(
        path=p,
        display_path=p.name,
        size=p.stat().st_size,
        extension=".xlsx",
        format="xlsx",
        content="zip",
        workbook=read_workbook(p),
    )
    return [(f.variant, f.params["cell_range"], f.count) for f in rule_by_name(RULE).check(facts, context())]


def _add_calc_chain(m: dict[str, bytes]) -> None:
    m["xl/calcChain.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><c r="C2" i="1"/></calcChain>'
    )


def _no_full_calc(m: dict[str, bytes]) -> None:
    m["xl/workbook.xml"] = m["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")


def _saved_by_libreoffice(m: dict[str, bytes]) -> None:
    m["docProps/app.xml"] = m["docProps/app.xml"].replace(
        b"<Application>Microsoft Excel</Application>",
        b"<Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</Application>",
    )


def _one_result_given(m: dict[str, bytes]) -> None:
    sheet = m["xl/worksheets/sheet1.xml"]
    assert sheet.count(b"<f>A2+B2</f><v>0</v>") == 1
    m["xl/worksheets/sheet1.xml"] = sheet.replace(b"<f>A2+B2</f><v>0</v>", b"<f>A2+B2</f><v>24</v>")


def _zeros_written_as_decimals(m: dict[str, bytes]) -> None:
    m["xl/worksheets/sheet1.xml"] = m["xl/worksheets/sheet1.xml"].replace(b"<v>0</v>", b"<v>0.0</v>")


def _half_without_values(m: dict[str, bytes]) -> None:
    sheet = m["xl/worksheets/sheet1.xml"]
    m["xl/worksheets/sheet1.xml"] = sheet.replace(b"</f><v>0</v></c></row>", b"</f><v></v></c></row>")


@pytest.mark.parametrize(
    "edit,expected",
    [
        (_add_calc_chain, []),
        (_no_full_calc, []),
        (_saved_by_libreoffice, []),
        (_one_result_given, []),
        (_zeros_written_as_decimals, [("not-computed", "C2:D4", 6)]),
        # column D loses its results: empty there, and the remaining zeros in C are placeholders
        (_half_without_values, [("default", "D2:D4", 3), ("not-computed", "C2:C4", 3)]),
    ],
    ids=["calc-chain", "no-full-calc", "libreoffice", "one-result-given", "0.0", "half-empty"],
)
def test_untrusted_zeros_need_every_sign(
    tmp_path: Path, edit: Callable[[dict[str, bytes]], None], expected: list[tuple[str, str, int]]
) -> None:
    assert _variants(_edited(tmp_path, "formula_xlsxwriter_zeros.xlsx", edit)) == expected


def test_excel_without_its_calc_chain_is_still_trusted(tmp_path: Path) -> None:
    """No fullCalcOnLoad: whatever the results, they were computed by the program that saved them."""

    def strip(m: dict[str, bytes]) -> None:
        del m["xl/calcChain.xml"]

    assert _variants(_edited(tmp_path, "formula_excel.xlsx", strip)) == []


def test_many_formulas_counted_in_bounded_samples(tmp_path: Path) -> None:
    """5,000 formula rows, read with the bulk path on and off: same counts, box and samples."""
    import xlsxwriter

    from tabcheck.workbook import sheet as sheet_module

    path = tmp_path / "many.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["a", "b", "total"])
    for r in range(1, 5001):
        ws.write_row(r, 0, [r, r % 7])
        if r % 10 == 0:
            ws.write_formula(r, 2, f"=A{r + 1}+B{r + 1}")  # default result 0
        else:
            ws.write_number(r, 2, r)
    ws.write_formula(5001, 4, "=A2")  # one more, far right: widens the box
    wb.close()
    fast = read_workbook(path)
    try:
        sheet_module.FAST_PATH = False
        exact = read_workbook(path)
    finally:
        sheet_module.FAST_PATH = True
    assert fast == exact
    data = fast.read_sheet
    assert data is not None
    assert data.formula_cells.count == 501 and len(data.formula_cells.samples) == 10
    assert data.formula_zero_area == CellBox(11, 3, 5002, 5)
    assert _variants(str(path)) == [("not-computed", "C11:E5002", 501)]
