"""Why a file has no codebook is said in the report's language (was: English in French reports)."""

from __future__ import annotations

from pathlib import Path

from tabcheck.api import check, render

ROOT = Path(__file__).resolve().parent.parent


def test_the_codebook_note_of_a_workbook_is_in_the_reports_language() -> None:
    run = check([ROOT / "fixtures" / "xlsx" / "cols_702.xlsx"], codebook=True)
    assert run.files[0].dataverse is not None
    assert run.files[0].dataverse.codebook_note == "not predicted for workbooks yet"
    assert '<p class="meta">pas encore prédit pour les classeurs</p>' in render(run, "html", "fr")
    assert '<p class="meta">not predicted for workbooks yet</p>' in render(run, "html", "en")
