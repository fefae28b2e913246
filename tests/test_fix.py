"""`tabcheck fix`: real files in, clean UTF-8 comma CSV out, originals untouched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck import api
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths

VERDICTS = Path(__file__).resolve().parent.parent / "fixtures" / "dataverse-verdicts"


def _copy(tmp_path: Path, *names: str) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in names:
        shutil.copy(VERDICTS / name, src / Path(name).name)
    return src


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_semicolon_decimal_comma_file_becomes_comma_csv_with_points(tmp_path):
    src = _copy(tmp_path, "csv-tsv/03_semicolon_decimalcomma_quoted.csv")
    before = _digest(src)
    results = fix_paths([src], tmp_path / "out", Settings())
    out = tmp_path / "out" / "03_semicolon_decimalcomma_quoted.csv"
    assert [r.outputs for r in results] == [[out]]
    assert out.read_text(encoding="utf-8") == 'id,name,score\n1,alice,3.5\n2,"bob, jr",4\n'
    assert ("fix.delimiter", {"delimiter": ";"}) in results[0].changes
    assert ("fix.decimal", {"count": 1}) in results[0].changes
    assert _digest(src) == before  # the original is never modified
    report = api.check([out]).files[0]
    assert report.blockers == []
    assert report.dataverse.outcome.value == "ingested"
    assert [c.type for c in report.dataverse.columns] == ["integer", "character", "continuous"]


def test_latin1_bom_blank_lines_and_null_are_repaired(tmp_path):
    src = _copy(
        tmp_path,
        "csv-tsv/14_latin1.csv",
        "csv-tsv/15_bom_utf8.csv",
        "csv-tsv/17_blank_last_line.csv",
        "csv-tsv/48_null_word_string_col.csv",
    )
    fix_paths([src], tmp_path / "out", Settings())
    out = tmp_path / "out"
    assert (out / "14_latin1.csv").read_text(encoding="utf-8") == "id,ville\n1,Orléans\n2,Béziers\n"
    assert (out / "15_bom_utf8.csv").read_bytes().startswith(b"id,")
    assert (out / "17_blank_last_line.csv").read_text(encoding="utf-8") == "id,name\n1,a\n2,b\n"
    assert (out / "48_null_word_string_col.csv").read_text(encoding="utf-8") == "a,b\n,x\n,y\n"
    run = api.check([out])
    assert [f.path for f in run.files if f.blockers] == []


def test_title_and_notes_move_to_a_notes_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "t.csv").write_text(
        "Table 1. Soil samples,,\nid,site,ph\n1,A,6.5\n2,B,7.1\n\nSource: field survey 2021,,\n",
        encoding="utf-8",
    )
    fix_paths([src / "t.csv"], tmp_path / "out", Settings())
    out = tmp_path / "out" / "t.csv"
    assert out.read_text(encoding="utf-8") == "id,site,ph\n1,A,6.5\n2,B,7.1\n"
    assert (
        out.with_suffix(".notes.txt").read_text(encoding="utf-8")
        == "Table 1. Soil samples\nSource: field survey 2021\n"
    )


def test_workbook_sheets_become_csv_files(tmp_path):
    src = _copy(tmp_path, "xlsx/x03_multisheet.xlsx")
    results = fix_paths([src], tmp_path / "out", Settings())
    names = sorted(p.name for p in results[0].outputs)
    assert names == ["x03_multisheet.Data.csv", "x03_multisheet.Second.csv"]
    data = (tmp_path / "out" / "x03_multisheet.Data.csv").read_text(encoding="utf-8").splitlines()
    assert data[0] == "id,name,score"
    assert len(data) == 3


def test_fix_refuses_to_overwrite_the_original(tmp_path):
    (tmp_path / "a.csv").write_text("a;b\n1;2,5\n", encoding="utf-8")
    results = fix_paths([tmp_path / "a.csv"], tmp_path, Settings())
    assert results[0].error is not None and "overwrite" in results[0].error
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "a;b\n1;2,5\n"


def test_cli_fix_reports_changes_in_french_and_exit_code(tmp_path):
    src = _copy(tmp_path, "csv-tsv/02_semicolon.csv", "csv-tsv/05_ragged_short.csv")
    proc = subprocess.run(
        [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(tmp_path / "out"), "--lang", "fr"],
        capture_output=True,
        text=True,
    )
    assert "séparateur « ; » → virgule" in proc.stdout
    assert "reste à corriger à la main" in proc.stdout  # the ragged row cannot be fixed mechanically
    assert proc.returncode == 1


@pytest.mark.parametrize("name", ["csv-tsv/34_unclosed_quote.csv", "csv-tsv/41_utf16.csv"])
def test_fix_never_crashes_on_broken_input(tmp_path, name):
    src = _copy(tmp_path, name)
    results = fix_paths([src], tmp_path / "out", Settings())
    assert results[0].error is None
    assert results[0].outputs
