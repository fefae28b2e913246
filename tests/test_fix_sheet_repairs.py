"""A sheet's CSV gets the text table's repairs of values in the same run (fix/sheet_repairs.py).

Was: dates typed as text (25/12/2020), numbers pasted as text with a decimal comma and `null`
among numbers were written as they are, and `fix` ended saying that Dataverse would still alter
the copy: a second run of `fix` on its own output was needed, where the same table as a CSV was
repaired at once.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]

from tabcheck.checker import Settings
from tabcheck.fix import fix_paths
from tabcheck.guard import OutputGuard, OutputRefused


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write_string(r, c, v) if isinstance(v, str) else ws.write_number(r, c, v)
    wb.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_dates_of_a_sheet_are_written_iso_in_the_same_run(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    rows: list[list[object]] = [["date_prelevement", "station", "temperature"]]
    rows += [[f"{d:02d}/{m:02d}/2021", f"S{d % 3}", 10 + d / 2] for d, m in ((13, 1), (2, 2), (25, 12))]
    book = _workbook(src / "releves.xlsx", {"Mesures": rows})
    before = _digest(book)
    run = fix_paths([src], tmp_path / "out", Settings())
    m = run.files[0]
    out = tmp_path / "out" / "releves.xlsx.csv"
    assert out.read_text(encoding="utf-8") == (
        "date_prelevement,station,temperature\n2021-01-13,S1,16.5\n2021-02-02,S2,11\n2021-12-25,S1,22.5\n"
    )
    dates = [t for t in m.transformations if t.name == "iso-date"]
    assert [(t.where, t.sheet, t.count, t.examples[0]) for t in dates] == [
        ("date_prelevement", "Mesures", 3, ("13/01/2021", "2021-01-13"))
    ]
    (output,) = m.outputs
    assert output.verification is not None and output.verification.ok
    assert (output.verification.rows, output.verification.cells) == (4, 12)  # the sheet against the CSV
    assert output.verification.altered == [] and output.verification.recheck == []
    assert run.exit_code == 0
    assert _digest(book) == before
    # No stage folder nor temporary file left behind.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["fix-manifest.json", "releves.xlsx.csv"]
    shown = json.loads((tmp_path / "out" / "fix-manifest.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in shown["files"][0]["transformations"][0].items() if k != "examples"} == {
        "name": "iso-date",
        "where": "date_prelevement",
        "sheet": "Mesures",
        "count": 3,
    }


def test_each_sheet_gets_its_own_repairs_and_a_date_that_is_not_one_is_said(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    site_a: list[list[object]] = [["date", "debit", "niveau"]]
    site_a += [[f"1{i}/03/2022", f"{i},5", "null" if i == 1 else i * 1.5] for i in range(4)]
    site_b: list[list[object]] = [["date", "montant"]]
    site_b += [
        ["31/04/2022" if i == 2 else f"1{i}/03/2022", "1.250,5" if i % 2 else "1.000"] for i in range(4)
    ]
    _workbook(src / "debits.xlsx", {"Site A": site_a, "Site B": site_b})
    run = fix_paths([src], tmp_path / "out", Settings())
    m = run.files[0]
    assert (tmp_path / "out" / "debits.xlsx.Site_A.csv").read_text(encoding="utf-8") == (
        "date,debit,niveau\n2022-03-10,0.5,0\n2022-03-11,1.5,\n2022-03-12,2.5,3\n2022-03-13,3.5,4.5\n"
    )
    assert (tmp_path / "out" / "debits.xlsx.Site_B.csv").read_text(encoding="utf-8") == (
        "date,montant\n10/03/2022,1000\n11/03/2022,1250.5\n31/04/2022,1000\n13/03/2022,1250.5\n"
    )
    changes = {(t.sheet, t.name, t.where): t.count for t in m.transformations if t.sheet}
    assert changes == {
        ("Site A", "iso-date", "date"): 4,
        ("Site A", "decimal-point", "debit"): 4,
        ("Site A", "empty-null", "niveau"): 1,
        ("Site B", "decimal-point", "montant"): 4,
    }
    (left,) = m.left
    assert left.repair == "iso-date" and left.where == "date"
    assert left.message.startswith(
        "debits.xlsx.Site_B.csv (sheet “Site B”): Column 1 “date”: “31/04/2022” (line 4)"
    )
    assert left.message_fr.startswith(
        "debits.xlsx.Site_B.csv (feuille «\u00a0Site B\u00a0»)\u00a0: Colonne 1"
    )
    a, b = m.outputs
    assert a.verification is not None and a.verification.altered == []
    assert b.verification is not None and [x.split()[0] for x in b.verification.altered] == ["TC404"]


def test_a_column_whose_decimal_mark_cannot_be_known_stays_whole_and_the_sheet_is_repaired(
    tmp_path: Path,
) -> None:
    """One column writes 0,5 and another row 3.25: which mark is decimal cannot be known. As for a
    CSV, nothing is half-converted: that column keeps its values, whole, and is still to fix by
    hand (exit 1). Was: the text fix refused the whole sheet, so its dates stayed as typed too."""
    src = tmp_path / "in"
    src.mkdir()
    rows: list[list[object]] = [["id", "dose", "date"]]
    rows += [[i, "3.25" if i == 3 else f"{i},5", f"{i + 13}/02/2020"] for i in range(5)]
    _workbook(src / "doses.xlsx", {"Mesures": rows})
    run = fix_paths([src], tmp_path / "out", Settings())
    m = run.files[0]
    text = (tmp_path / "out" / "doses.xlsx.csv").read_text(encoding="utf-8")
    assert text.splitlines()[1:5] == [
        '0,"0,5",2020-02-13',
        '1,"1,5",2020-02-14',
        '2,"2,5",2020-02-15',
        "3,3.25,2020-02-16",
    ]
    assert [(t.name, t.where, t.sheet) for t in m.transformations if t.sheet] == [
        ("iso-date", "date", "Mesures")
    ]
    (left,) = m.left
    assert (left.repair, left.where, left.code, left.blocker) == ("decimal-point", "dose", "TC401", True)
    said = (
        "doses.xlsx.csv (sheet “Mesures”): Column 2 “dose”: the numbers do not agree on one convention "
        "(“0,5” and “3.25”): which mark is the decimal one cannot be known, so the column stays as "
        "written. Write them one way by hand."
    )
    assert left.message == said
    (output,) = m.outputs
    assert output.verification is not None and output.verification.ok
    assert output.verification.recheck == [f"TC401 {said}"]  # the copy's own TC401 is not said over it
    assert run.exit_code == 1


def test_only_this_runs_own_outputs_can_be_replaced(tmp_path: Path) -> None:
    original = tmp_path / "mesures.csv"
    original.write_text("a\n1\n", encoding="utf-8")
    stranger = tmp_path / "autre.csv"
    stranger.write_text("b\n2\n", encoding="utf-8")
    guard = OutputGuard(inputs=[original], force=True)
    for path in (original, stranger):
        with pytest.raises(OutputRefused, match="not written by this run"):
            guard.replacing(path)
    ours = tmp_path / "out.csv"
    guard.claim(ours)
    ours.write_text("x\n", encoding="utf-8")
    guard.wrote(ours)
    guard.replacing(ours)


def test_thousands_typed_as_text_are_written_plain_and_79_261_is_left_to_fix_by_hand(tmp_path: Path) -> None:
    """Was: 95 467 typed as text was written 95467 without the check saying it first, and 79,261
    typed as text (79.261 or 79261?) came out "verified", Dataverse still to read it as a
    thousands separator. Now the first is said and done; the second is still to fix by hand, in
    each sheet it is in, and the exit code says so. Beside number cells with decimals (1.125), 1 234
    typed as text stays as written, and the sheet's other repairs (its dates) are still made."""
    src = tmp_path / "in"
    src.mkdir()
    book = _workbook(
        src / "releves.xlsx",
        {
            "A": [["station", "population", "debit"], ["S1", "95\u00a0467", "79,261"], ["S2", "54", "3,860"]],
            "B": [["station", "debit"], ["S3", "1,250"], ["S4", "2,500"]],
            "C": [["id", "pop", "date"], [1, "1\u00a0234", "25/12/2020"], [2, 1.125, "13/01/2021"]],
        },
    )
    run = fix_paths([book], tmp_path / "out", Settings())
    done = run.files[0]
    outputs = {o.sheet: o for o in done.outputs}
    assert (tmp_path / "out" / "releves.xlsx.A.csv").read_text() == (
        'station,population,debit\nS1,95467,"79,261"\nS2,54,"3,860"\n'
    )
    assert (tmp_path / "out" / "releves.xlsx.C.csv").read_text() == (
        "id,pop,date\n1,1\u00a0234,2020-12-25\n2,1.125,2021-01-13\n"
    )
    for sheet, value in (("A", "79,261"), ("B", "1,250")):
        recheck = outputs[sheet].verification.recheck
        assert len(recheck) == 1 and recheck[0].startswith(f"TC401 Sheet “{sheet}”, column “debit”"), recheck
        assert f"such as “{value}” stay as written" in recheck[0]
    assert outputs["C"].verification.recheck == []
    assert any(
        "thousands separators stay as written beside numbers with decimals" in x.message for x in done.left
    )
    assert run.exit_code == 1
