"""Each workbook rule on a failing and a passing fixture, with exact locations."""

from __future__ import annotations

import pytest

from tabcheck.model import Severity
from tabcheck.plugins import all_rules
from workbook_helpers import run

# rule, fixture that triggers it, expected (variant, sheet, cell, row, column) of the first finding,
# fixture that does not trigger it
CASES = [
    ("tab-in-cell", "tab_in_cell.xlsx", ("default", "Data", "B3", 3, 2), "good.xlsx"),
    ("cells-outside-header", "wide_row3.xlsx", ("default", "Data", "C3", 3, 3), "good.xlsx"),
    ("cells-outside-header", "wide_row20.xlsx", ("fails", "Data", "C20", 20, 3), "good.xlsx"),
    ("header-renamed", "header_renamed.xlsx", ("default", "Data", "A1", 1, 1), "good.xlsx"),
    ("dates-as-numbers", "dates.xlsx", ("default", "Data", "B2", 2, 2), "good.xlsx"),
    ("dates-as-numbers", "times.xlsx", ("times", "Data", "B2", 2, 2), "good.xlsx"),
    ("total-row", "total_row.xlsx", ("xlsx-total", "Data", "A4", 4, 1), "good.xlsx"),
    ("leading-zeros", "leading_zeros.xlsx", ("xlsx-leading-zeros", "Data", "B2", 2, 2), "good.xlsx"),
    ("text-among-numbers", "stray_text.xlsx", ("xlsx-stray-text", "Data", "C41", 41, 3), "good.xlsx"),
    ("dates-as-text", "text_dates.xlsx", ("xlsx-dates-as-text", "Data", "B2", 2, 2), "good.xlsx"),
    ("decimal-comma", "text_numbers.xlsx", ("xlsx-decimal-comma", "Data", "B2", 2, 2), "good.xlsx"),
    ("numbers-as-text", "text_percent.xlsx", ("xlsx-numbers-as-text", "Data", "B2", 2, 2), "good.xlsx"),
    (
        "thousands-separators",
        "text_thousands.xlsx",
        ("xlsx-thousands-separators", "Data", "B2", 2, 2),
        "good.xlsx",
    ),
    (
        "decimal-comma",
        "text_ambiguous.xlsx",
        ("xlsx-decimal-comma-ambiguous", "Data", "B2", 2, 2),
        "good.xlsx",
    ),
    ("second-header-row", "units_row.xlsx", ("xlsx-second-header", "Data", "B2", 2, 2), "good.xlsx"),
    ("second-header-row", "repeated_header.xlsx", ("xlsx-repeated-header", "Data", "B8", 8, 2), "good.xlsx"),
    (
        "second-header-row",
        "units_row_titled_openpyxl.xlsx",
        ("xlsx-second-header", "Data", "B3", 3, 2),
        "good.xlsx",
    ),
    (
        "formula-without-value",
        "formula_no_value.xlsx",
        ("default", "Data", "B2", 2, 2),
        "formula_cached.xlsx",
    ),
    ("error-cells", "error_cell.xlsx", ("default", "Data", "C2", 2, 3), "good.xlsx"),
    ("multiple-sheets", "multisheet.xlsx", ("default", "Data", None, None, None), "single_sheet.xlsx"),
    (
        "xlsx-sheet-order",
        "sheet_order_swapped.xlsx",
        ("default", "Data", None, None, None),
        "multisheet.xlsx",
    ),
    ("xlsx-no-row-spans", "no_spans_openpyxl.xlsx", ("default", "Data", None, 1, None), "good.xlsx"),
    ("merged-cells", "merged.xlsx", ("header", "Data", "A1:B1", 1, 1), "good.xlsx"),
    ("empty-header", "empty_header.xlsx", ("xlsx-empty-header", "Data", "B1", 1, 2), "good.xlsx"),
    (
        "duplicate-header",
        "dup_after_renaming.xlsx",
        ("xlsx-duplicate-after-renaming", "Data", "A1", 1, 1),
        "header_renamed.xlsx",
    ),
    ("embedded-newline", "newline_in_cell.xlsx", ("xlsx-data", "Data", "B2", 2, 2), "good.xlsx"),
    ("embedded-newline", "newline_in_header.xlsx", ("xlsx-header", "Data", "A1", 1, 1), "good.xlsx"),
    ("too-many-columns", "cols_703.xlsx", ("xlsx-too-many", "Data", "AAA1", None, 703), "cols_702.xlsx"),
    ("title-or-notes-rows", "title_and_notes.xlsx", ("xlsx-title", "Data", "A1", 1, None), "good.xlsx"),
    (
        "title-or-notes-rows",
        "blank_row_between.xlsx",
        ("xlsx-blank-rows", "Data", None, 3, None),
        "good.xlsx",
    ),
    ("no-data", "header_only.xlsx", ("xlsx-header-only", "Data", None, 1, None), "good.xlsx"),
    ("no-data", "empty_sheet.xlsx", ("xlsx-empty-sheet", "Data", None, None, None), "good.xlsx"),
    ("corrupt-file", "truncated.xlsx", ("xlsx-truncated", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "encrypted.xlsx", ("xlsx-encrypted", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "zip_bomb.xlsx", ("xlsx-bomb", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "xxe.xlsx", ("xlsx-doctype", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "not_a_zip.xlsx", ("xlsx-is-text", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "xls_named_xlsx.xlsx", ("xlsx-is-xls", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "empty.xlsx", ("xlsx-is-empty", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "binary.xlsx", ("xlsx-not-zip", None, None, None, None), "good.xlsx"),
    ("corrupt-file", "malformed_sheet.xlsx", ("xlsx-malformed", None, None, None, None), "good.xlsx"),
]


@pytest.mark.parametrize("name,bad,expected,good", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_rule_fires_where_expected(name, bad, expected, good):
    findings = run(name, bad)
    assert findings, f"{name} found nothing in {bad}"
    first = findings[0]
    loc = first.location
    assert (first.variant, loc.sheet, loc.cell, loc.row, loc.column) == expected
    assert run(name, good) == []


def test_times_of_day_are_said_as_fractions_of_a_day():
    """Was: "2 dates will be ingested as day numbers" for a column of 09:30, 10:30."""
    from workbook_helpers import rule_by_name

    (finding,) = run("dates-as-numbers", "times.xlsx")
    assert rule_by_name("dates-as-numbers").render(finding, "fr") == (
        "Feuille «\u00a0Data\u00a0», colonne B («\u00a0sampled_at\u00a0»)\u00a0: 2 heures de la journée seront ingérées "
        "comme des fractions de jour (par ex. 0.3958333333333333 pour 09:30:00\u202f; premières cellules\u00a0: "
        "B2, B3)."
    )


def test_notes_below_the_table():
    notes = [f for f in run("title-or-notes-rows", "title_and_notes.xlsx") if f.variant == "xlsx-notes"]
    assert [s.row for s in notes[0].samples] == [7, 8]


def test_multiple_sheets_names_hidden_sheets_and_the_one_read():
    finding = run("multiple-sheets", "multisheet.xlsx")[0]
    assert finding.params["read"] == "Data"
    assert [str(d) for d in finding.params["dropped"]] == ['"Notes"', '"Secret" (hidden)']
    assert finding.text("fr").endswith("ignorera « Notes », « Secret » (masquée).")
    assert [s.sheet for s in finding.samples] == ["Notes", "Secret"]


def test_merged_ranges_in_a1_notation():
    findings = run("merged-cells", "merged.xlsx")
    assert [(f.variant, f.params["ranges"]) for f in findings] == [
        ("header", ["A1:B1"]),
        ("default", ["B3:B4"]),
    ]


def test_severities_follow_dataverse():
    assert run("cells-outside-header", "wide_row20.xlsx")[0].severity == Severity.BLOCKER
    assert run("cells-outside-header", "wide_row3.xlsx")[0].severity == Severity.WARNING
    assert run("embedded-newline", "newline_in_cell.xlsx")[0].severity == Severity.BLOCKER


def test_program_named_and_french_text():
    from workbook_helpers import rule_by_name

    finding = run("xlsx-no-row-spans", "no_spans_openpyxl.xlsx")[0]
    r = rule_by_name("xlsx-no-row-spans")
    assert "openpyxl" in r.render(finding, "en")
    assert "Feuille « Data » :" in r.render(finding, "fr")


def test_every_rule_has_both_languages_and_lives_by_its_code():
    modules = {"0": "files", "1": "encoding", "3": "header", "4": "values", "5": "workbook"}
    for r in all_rules().values():
        for text in (r.summary, r.rationale, r.how_to_fix, *r.messages.values()):
            assert text["en"] and text["fr"], r.name
        number = int(r.code[2:])
        if r.code.startswith("TC2"):
            expected = "structure" if number <= 205 else "totals" if number == 212 else "cells"
        elif number >= 900:
            continue  # third-party codes
        else:
            expected = modules[r.code[2]]
        module = next(iter(r.checks.values())).__module__
        assert module == f"tabcheck.rules.{expected}", (r.code, module)


def test_workbook_checks_live_in_their_rules():
    xlsx = {r.code for r in all_rules().values() if "xlsx" in r.formats}
    assert {"TC003", "TC006", "TC206", "TC204", "TC209", "TC301", "TC302", "TC501", "TC504"} <= xlsx
