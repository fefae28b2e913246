"""read_workbook on real packages: structure, per-cell facts, and hostile or broken files."""

from __future__ import annotations

import pytest

from tabcheck.dataverse.xlsx import predict_xlsx, second_pass_failure, variable_name
from tabcheck.workbook import Limits, read_workbook
from tabcheck.workbook.cells import cell_ref, column_index, column_letters, dataverse_numeric, java_double
from workbook_helpers import XLSX


def test_good_workbook_structure():
    wb = read_workbook(XLSX / "good.xlsx")
    assert wb.corrupt is None
    assert [s.name for s in wb.sheets] == ["Data"]
    sheet = wb.read_sheet
    assert sheet.part == "xl/worksheets/sheet1.xml" and sheet.rel_id == "rId1"
    assert sheet.rows == 3 and sheet.value_cells == 9 and sheet.max_column == 3
    assert sheet.rows_without_spans == 0
    assert sheet.first_rows[0].values == {1: "id", 2: "name", 3: "score"}
    assert wb.application == "Microsoft Excel"
    assert wb.trace.header == ["id", "name", "score"] and wb.trace.cases == 2


def test_openpyxl_workbook_has_no_spans_and_names_its_writer():
    wb = read_workbook(XLSX / "no_spans_openpyxl.xlsx")
    assert wb.read_sheet.rows_without_spans == 3 and wb.read_sheet.first_row_without_spans == 1
    assert "openpyxl" in wb.application.lower()


def test_hidden_and_tab_order():
    wb = read_workbook(XLSX / "multisheet.xlsx")
    assert [(s.name, s.state) for s in wb.sheets] == [("Data", "visible"), ("Notes", "visible"),
                                                      ("Secret", "hidden")]
    swapped = read_workbook(XLSX / "sheet_order_swapped.xlsx")
    assert [s.name for s in swapped.sheets] == ["Notes", "Data"]
    assert swapped.read_sheet.name == "Data" and swapped.read_sheet.position == 1


def test_cell_level_facts():
    assert read_workbook(XLSX / "tab_in_cell.xlsx").read_sheet.tab_cells.samples[0].cell == "B3"
    assert read_workbook(XLSX / "newline_in_cell.xlsx").read_sheet.newline_cells.samples[0].cell == "B2"
    dates = read_workbook(XLSX / "dates.xlsx").read_sheet.date_cells
    assert list(dates) == [2] and dates[2].count == 2 and dates[2].samples[0].cell == "B2"
    errors = read_workbook(XLSX / "error_cell.xlsx").read_sheet.error_cells
    assert errors.count == 1 and errors.samples[0].value == "#DIV/0!"
    assert read_workbook(XLSX / "formula_no_value.xlsx").read_sheet.formulas_without_value.count == 1
    assert read_workbook(XLSX / "formula_cached.xlsx").read_sheet.formulas_without_value.count == 0
    assert read_workbook(XLSX / "merged.xlsx").read_sheet.merged == ["A1:B1", "B3:B4"]
    wide = read_workbook(XLSX / "wide_row3.xlsx").read_sheet
    assert wide.header_width == 2 and wide.wide_cells.samples[0].cell == "C3"
    gaps = read_workbook(XLSX / "blank_row_between.xlsx").read_sheet.blank_gaps
    assert gaps == [(3, 1)]


@pytest.mark.parametrize("name,kind", [
    ("truncated.xlsx", "truncated"),
    ("not_a_zip.xlsx", "not-zip"),
    ("encrypted.xlsx", "encrypted"),
    ("zip_bomb.xlsx", "bomb"),
    ("xxe.xlsx", "doctype"),
])
def test_broken_or_hostile_packages_give_a_reason(name, kind):
    wb = read_workbook(XLSX / name)
    assert wb.corrupt is not None and wb.corrupt.kind == kind and wb.corrupt.detail
    prediction = predict_xlsx(wb)
    assert prediction.outcome.value == "fails"


def test_malformed_sheet_is_a_problem_not_a_crash():
    wb = read_workbook(XLSX / "malformed_sheet.xlsx")
    assert wb.corrupt is None
    assert wb.problems and wb.problems[0].kind == "malformed-xml"
    assert predict_xlsx(wb).outcome.value == "fails"


def test_bomb_limits_are_settings():
    wb = read_workbook(XLSX / "good.xlsx", Limits(max_total_expanded=1000))
    assert wb.corrupt.kind == "bomb"


def test_xxe_payload_is_never_resolved():
    wb = read_workbook(XLSX / "xxe.xlsx")
    assert "passwd" not in repr(wb.sheets)


def test_cell_vocabulary():
    assert column_letters(702) == "ZZ" and column_letters(703) == "AAA" and column_index("AB") == 28
    assert cell_ref(3, 7) == "C7"
    for text in (b"1", b"-1.5e3", b" 2 ", b"1d", b"0x1p3", b"Infinity", b"NaN", b".5"):
        assert java_double(text), text
    for text in (b"inf", b"1_000", b"1,5", b"", b"abc"):
        assert not java_double(text), text
    assert dataverse_numeric(b"NA") and dataverse_numeric(b"null") and not dataverse_numeric(b"n/a")


def test_dataverse_renaming():
    assert variable_name("Nom de famille", 0) == "Nomdefamille"
    assert variable_name("my_var", 0) == "myvar"
    assert variable_name(None, 27) == "AB"
    assert variable_name("", 702) is None


def test_second_pass_replay():
    from tabcheck.workbook.facts import IngestTrace
    trace = IngestTrace(declared_width=1, numeric=[False], cases=2, broken_rows=[(0, ["a\nb"])])
    # one column: both halves have the right count, but the line count no longer matches
    assert second_pass_failure(trace)[0] == "Mismatch between line counts in first and final passes!"
    trace = IngestTrace(declared_width=2, numeric=[True, False], cases=3, broken_rows=[(1, ["1", "x\ty"])])
    assert second_pass_failure(trace)[0] == ("Reading mismatch, line 2 during the second pass: 2 delimited "
                                             "values expected, 3 found.")
