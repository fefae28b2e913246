"""`tabcheck fix` on workbooks: each sheet a verified UTF-8 CSV, every change declared (issue 8)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter  # type: ignore[import-untyped]

from tabcheck.fix.manifest import FileManifest, Output
from tabcheck.fix.names import OutputNames
from tabcheck.fix.workbook_cells import agrees, number_text, write_cell
from tabcheck.fix.xlsxfix import fix_workbook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "xlsx"


def _xw(path: Path, sheets: dict[str, Callable[[Any, Any], None]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, fill in sheets.items():
        fill(wb, wb.add_worksheet(name))
    wb.close()
    return path


def _rows(data: list[list[Any]]) -> Callable[[Any, Any], None]:
    def fill(wb: Any, ws: Any) -> None:
        for r, row in enumerate(data):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)

    return fill


def _patch(path: Path, target: Path, member: str, old: bytes, new: bytes) -> Path:
    """A copy of the workbook with one part's bytes replaced (what a program other than ours writes)."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                assert old in data
                data = data.replace(old, new)
            zout.writestr(info, data)
    return target


def _fix(path: Path, out: Path, force: bool = False) -> FileManifest:
    names = OutputNames(out)
    names.register(path, Path(path.name))
    manifest = FileManifest(str(path))
    fix_workbook(path, out, names, manifest, force)
    return manifest


def _changes(m: FileManifest) -> dict[tuple[str, str | None], tuple[int, list[tuple[str, str]]]]:
    return {(t.name, t.where): (t.count, t.examples) for t in m.transformations if t.count}


def _ok(o: Output) -> bool:
    return o.verification is not None and o.verification.ok


def _values_sheet(wb: Any, ws: Any) -> None:
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss.000"})
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    hours = wb.add_format({"num_format": "[h]:mm"})
    hms = wb.add_format({"num_format": "[h]:mm:ss"})
    ws.write_row(0, 0, ["id", "when", "duration", "flag", "text", "x"])
    ws.write_row(1, 0, [1])
    ws.write_datetime(1, 1, dt.datetime(2024, 3, 1, 10, 30, 0, 250000), stamp)
    ws.write_datetime(1, 2, dt.timedelta(days=1, hours=12), hours)
    ws.write_boolean(1, 3, True)
    ws.write_string(1, 4, "a\tb")
    ws.write_number(1, 5, 0.1 + 0.2)
    ws.write_row(2, 0, [2])
    ws.write_datetime(2, 1, dt.datetime(2024, 3, 2), day)
    ws.write_datetime(2, 2, dt.timedelta(hours=1, minutes=2, seconds=3, milliseconds=500), hms)
    ws.write_boolean(2, 3, False)
    ws.write_string(2, 4, 'line1\r\nline2 "q"')
    ws.write_number(2, 5, 1e20)
    ws.write_row(3, 0, [3, None, None, None, "x,y", 1 / 3])


def test_values_are_written_as_the_user_sees_them(tmp_path: Path) -> None:
    src = _xw(tmp_path / "values.xlsx", {"Data": _values_sheet})
    m = _fix(src, tmp_path / "out")
    assert m.refused is None
    out = tmp_path / "out" / "values.xlsx.csv"
    assert [o.path for o in m.outputs] == [out]
    assert out.read_text(encoding="utf-8") == (
        "id,when,duration,flag,text,x\n"
        '1,2024-03-01 10:30:00.250,36:00:00,1,"a\tb",0.3\n'
        '2,2024-03-02,1:02:03.500,0,"line1\nline2 ""q""",100000000000000000000\n'
        '3,,,,"x,y",0.333333333333333\n'
    )
    (o,) = m.outputs
    assert (o.sheet, o.rows, o.columns) == ("Data", 4, 6)
    assert o.verification is not None and (o.verification.ok, o.verification.rows, o.verification.cells) == (
        True,
        4,
        24,
    )
    changes = _changes(m)
    assert changes[("boolean-as-number", "Data")] == (2, [("D2: TRUE", "1"), ("D3: FALSE", "0")])
    assert changes[("duration-hms", "Data")][0] == 2
    assert changes[("duration-hms", "Data")][1][0] == ("C2: 1 day, 12:00:00", "36:00:00")
    assert changes[("date-iso", "Data")] == (
        2,
        [("B2", "2024-03-01 10:30:00.250"), ("B3", "2024-03-02")],
    )
    # xlsxwriter stores 0.1+0.2 as 0.3 already (openpyxl keeps the noise: see below)
    assert changes[("excel-precision", "Data")] == (1, [("F4: 0.3333333333333333", "0.333333333333333")])
    assert changes[("line-breaks", "Data")] == (1, [('E3: line1\r\nline2 "q"', 'line1\nline2 "q"')])
    assert changes[("tab-kept", "Data")] == (1, [("E2", "a\tb")])
    assert changes[("line-break-kept", "Data")][0] == 1


def test_durations_1904_free_text_and_numbers() -> None:
    assert write_cell(dt.timedelta(days=-1, hours=22)).text == "-2:00:00"
    assert write_cell(dt.time(7, 5, 0, 120000)).text == "07:05:00.120"
    assert number_text(1e-12) == "1E-12"
    assert number_text(-0.0) == "0"
    assert number_text(12345678901234567890) == "12345678901234600000"
    assert write_cell("x_x000D_y").text == "x\ny"
    assert agrees(0.1 + 0.2, "0.3") and not agrees(0.1 + 0.2, "0.30000000000000004")
    assert not agrees(dt.datetime(2024, 1, 1, 10), "2024-01-01")
    assert agrees(dt.timedelta(hours=36), "36:00:00") and not agrees(dt.timedelta(hours=36), "1 day")


def _site(title: str, rows: list[list[Any]], notes: list[str]) -> Callable[[Any, Any], None]:
    return _rows([[title], [], *rows, [], *[[n] for n in notes]])


def test_colliding_sheet_names_titles_notes_hidden_and_empty_sheets(tmp_path: Path) -> None:
    table: list[list[Any]] = [["id", "site", "ph"], [1, "A", 6.5], [2, "B", 7.1]]

    def hidden(wb: Any, ws: Any) -> None:
        _rows([["k"], [1]])(wb, ws)
        ws.hide()

    src = _xw(
        tmp_path / "sites.xlsx",
        {
            "Site A": _site("Table 1. Soil samples", table, ["Source: field survey 2021"]),
            "Site_A": _rows(table),
            "Empty": lambda wb, ws: None,
            "Hidden": hidden,
        },
    )
    m = _fix(src, tmp_path / "out")
    out = tmp_path / "out"
    assert [(o.path.name, o.sheet, _ok(o)) for o in m.outputs] == [
        ("sites.xlsx.Site_A.csv", "Site A", True),
        ("sites.xlsx.Site_A-2.csv", "Site_A", True),
        ("sites.xlsx.Hidden.csv", "Hidden", True),
    ]
    csv_text = "id,site,ph\n1,A,6.5\n2,B,7.1\n"
    assert (out / "sites.xlsx.Site_A.csv").read_text(encoding="utf-8") == csv_text
    assert (out / "sites.xlsx.Site_A-2.csv").read_text(encoding="utf-8") == csv_text
    assert (out / "sites.xlsx.Site_A.notes.txt").read_text(encoding="utf-8") == (
        "Table 1. Soil samples\nSource: field survey 2021\n"
    )
    assert not (out / "sites.xlsx.Site_A-2.notes.txt").exists()
    assert (out / "sites.xlsx.Hidden.csv").read_text(encoding="utf-8") == "k\n1\n"
    changes = _changes(m)
    assert changes[("move-notes", "Site A")] == (
        2,
        [
            ("row 1: Table 1. Soil samples", "sites.xlsx.Site_A.notes.txt"),
            ("row 7: Source: field survey 2021", "sites.xlsx.Site_A.notes.txt"),
        ],
    )
    assert changes[("hidden-sheet", "Hidden")] == (1, [("Hidden (hidden)", "sites.xlsx.Hidden.csv")])
    assert changes[("empty-sheet-skipped", "Empty")] == (1, [("Empty", "")])


def test_a_row_that_fits_the_table_is_never_moved(tmp_path: Path) -> None:
    # the last rows hold one text cell, but so does a record in the middle: they are records
    data: list[list[Any]] = [
        ["id", "comment"],
        [1, "fine"],
        [None, "no id"],
        [3, "ok"],
        [None, "Collected by hand"],
    ]
    src = _xw(tmp_path / "t.xlsx", {"Data": _rows(data)})
    m = _fix(src, tmp_path / "out")
    assert (tmp_path / "out" / "t.xlsx.csv").read_text(encoding="utf-8") == (
        "id,comment\n1,fine\n,no id\n3,ok\n,Collected by hand\n"
    )
    assert ("move-notes", "Data") not in _changes(m)


def test_blank_rows_inside_the_table_are_dropped_and_declared(tmp_path: Path) -> None:
    data: list[list[Any]] = [[], [None, "a", "b"], [None, 1, 2], [], [None, 3, 4]]
    src = _xw(tmp_path / "b.xlsx", {"Data": _rows(data)})
    m = _fix(src, tmp_path / "out")
    assert (tmp_path / "out" / "b.xlsx.csv").read_text(encoding="utf-8") == "a,b\n1,2\n3,4\n"
    assert _changes(m)[("drop-blank-lines", "Data")] == (1, [("1 blank row", "")])


def test_merged_cells_keep_the_top_left_value_only(tmp_path: Path) -> None:
    m = _fix(FIXTURES / "merged.xlsx", tmp_path / "out")
    assert (tmp_path / "out" / "merged.xlsx.csv").read_text(encoding="utf-8") == (
        "group,B,v\n1,x,3\n2,y,4\n3,,5\n"  # B1, merged into A1, is named as Dataverse names it
    )
    assert _changes(m)[("header-named", "Data")] == (1, [("B1", "B")])
    assert _changes(m)[("merged-cells", "Data")] == (
        2,
        [("A1:B1", "value kept in A1"), ("B3:B4", "value kept in B3")],
    )
    assert all(_ok(o) for o in m.outputs)


def test_formulas_without_a_saved_result_are_refused_unless_forced(tmp_path: Path) -> None:
    m = _fix(FIXTURES / "formula_no_value.xlsx", tmp_path / "out")
    assert m.outputs == [] and m.refused is not None
    assert m.refused.reason == "formula-without-value"
    assert m.refused.suggestion == "--force"
    assert "B2 =A2*2" in m.refused.message and "LibreOffice" in m.refused.message
    assert "recalcule" in m.refused.message_fr
    assert not (tmp_path / "out").exists()

    m = _fix(FIXTURES / "formula_no_value.xlsx", tmp_path / "out", force=True)
    assert m.refused is None
    assert (tmp_path / "out" / "formula_no_value.xlsx.csv").read_text(encoding="utf-8") == "a,b\n1,\n"
    assert _changes(m)[("formula-without-value", "Data")] == (1, [("B2 =A2*2", "")])
    assert all(_ok(o) for o in m.outputs)


def test_xlsxwriter_placeholder_zeros_are_refused_unless_forced(tmp_path: Path) -> None:
    m = _fix(FIXTURES / "formula_xlsxwriter_zeros.xlsx", tmp_path / "out")
    assert m.refused is not None and m.refused.reason == "formula-not-computed"
    assert "Feuille «\u00a0Data\u00a0»" in m.refused.message_fr
    m = _fix(FIXTURES / "formula_xlsxwriter_zeros.xlsx", tmp_path / "out", force=True)
    (o,) = m.outputs
    lines = o.path.read_text(encoding="utf-8").splitlines()
    assert lines[1].split(",")[2:4] == ["", ""]  # C2, D2: formulas whose stored 0 is no result
    count, examples = _changes(m)[("formula-not-computed", "Data")]
    assert count == 6 and examples[0] == ("C2: 0", "")
    assert _ok(o)
    # results the writer gave are trusted and written
    m = _fix(FIXTURES / "formula_xlsxwriter_results.xlsx", tmp_path / "out2")
    assert m.refused is None and all(_ok(o) for o in m.outputs)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("zip_bomb.xlsx", "corrupt-workbook:bomb"),
        ("encrypted.xlsx", "corrupt-workbook:encrypted"),
        ("truncated.xlsx", "corrupt-workbook:truncated"),
        ("not_a_zip.xlsx", "corrupt-workbook:not-zip"),
        ("malformed_sheet.xlsx", "corrupt-workbook:malformed-xml"),
        ("xxe.xlsx", "corrupt-workbook:doctype"),
    ],
)
def test_damaged_or_hostile_workbooks_are_refused_with_their_reason(
    tmp_path: Path, name: str, reason: str
) -> None:
    m = _fix(FIXTURES / name, tmp_path / "out")
    assert m.refused is not None and m.refused.reason == reason
    assert m.outputs == []


def test_dimensions_beyond_excel_limits_are_refused(tmp_path: Path) -> None:
    src = _xw(tmp_path / "d.xlsx", {"Data": _rows([["a", "b"], [1, 2]])})
    sheet, old = "xl/worksheets/sheet1.xml", b'<dimension ref="A1:B2"/>'
    patched = _patch(src, tmp_path / "big.xlsx", sheet, old, b'<dimension ref="A1:XFE2000000"/>')
    m = _fix(patched, tmp_path / "out")
    assert m.refused is not None and m.refused.reason == "beyond-excel-limits"


def test_existing_outputs_are_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "good.xlsx.csv").write_text("keep me\n", encoding="utf-8")
    m = _fix(FIXTURES / "good.xlsx", out)
    assert m.refused is not None and m.refused.reason == "output-exists"
    assert (out / "good.xlsx.csv").read_text(encoding="utf-8") == "keep me\n"
    m = _fix(FIXTURES / "good.xlsx", out, force=True)
    assert (out / "good.xlsx.csv").read_text(encoding="utf-8") == "id,name,score\n1,alice,3.5\n2,bob,4\n"


def test_an_output_that_fails_verification_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tabcheck.fix import xlsxfix
    from tabcheck.fix.workbook_cells import Written

    real = xlsxfix.write_cell

    def wrong(value: Any) -> Written:
        w = real(value)
        return Written("3.4", w.change, w.shown) if w.text == "3.5" else w

    monkeypatch.setattr(xlsxfix, "write_cell", wrong)
    m = _fix(FIXTURES / "good.xlsx", tmp_path / "out")
    (o,) = m.outputs
    assert o.verification is not None and not o.verification.ok
    assert o.verification.detail == "C2: the source holds 3.5, the CSV '3.4'"
    assert not o.path.exists()


def test_float_noise_and_times_from_an_openpyxl_workbook(tmp_path: Path) -> None:
    path = tmp_path / "o.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in (
        ["id", "t", "x"],
        [1, dt.time(12, 30), 0.1 + 0.2],
        [2, dt.datetime(2020, 1, 1, 0, 0, 0, 1000), 2.675 * 3],
    ):
        ws.append(row)
    wb.save(tmp_path / "saved.xlsx")
    # 0.1+0.2 as Python and most programs store it (openpyxl itself writes 0.3)
    sheet = "xl/worksheets/sheet1.xml"
    _patch(tmp_path / "saved.xlsx", path, sheet, b"<v>0.3</v>", b"<v>0.30000000000000004</v>")
    m = _fix(path, tmp_path / "out")
    assert (tmp_path / "out" / "o.xlsx.csv").read_text(encoding="utf-8") == (
        "id,t,x\n1,12:30:00,0.3\n2,2020-01-01 00:00:00.001,8.025\n"
    )
    assert _changes(m)[("excel-precision", "Data")] == (
        2,
        [("C2: 0.30000000000000004", "0.3"), ("C3: 8.024999999999999", "8.025")],
    )
    assert all(_ok(o) for o in m.outputs)


@pytest.mark.parametrize("name", ["old.xls", "calc.ods", "binary.xlsb"])
def test_xls_ods_xlsb_are_refused_with_what_to_do(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"not read")
    m = _fix(tmp_path / name, tmp_path / "out")
    assert m.refused is not None and m.refused.reason == "format-not-converted"
    assert Path(name).suffix in m.refused.message and ".xlsx" in m.refused.message
    assert "LibreOffice" in m.refused.message_fr
    assert m.outputs == [] and not (tmp_path / "out").exists()


def test_unsupported_format_no_longer_promises_a_conversion() -> None:
    from tabcheck.plugins import all_rules

    rule = next(r for r in all_rules().values() if r.code == "TC005")
    assert "not .xls, .xlsb or .ods" in rule.how_to_fix["en"]
    assert "pas les fichiers .xls, .xlsb ou .ods" in rule.how_to_fix["fr"]


def test_fix_says_each_workbook_change_in_words_and_never_cuts_a_refusal(tmp_path):
    """Was: `merged-cells (Données): 1` (a raw name) and a refusal cut at 200 characters."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "examples" / "showcase"
    env = {**os.environ, "TABCHECK_LANG": "fr"}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tabcheck",
            "fix",
            str(root / "10-classeur-deux-feuilles.xlsx"),
            str(root / "12-vieux-format.xls"),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stdout
    assert "  - 1 plage fusionnée (Données)\u00a0: la valeur gardée dans la première cellule\n" in out
    assert "merged-cells" not in out
    # One verification per sheet, each named by its output (three "vérifié" lines said nothing of which)
    verified = [line.split("\u00a0: ")[0].strip() for line in out.splitlines() if "vérifié\u00a0: " in line]
    assert verified == [
        "10-classeur-deux-feuilles.xlsx.Données.csv",
        "10-classeur-deux-feuilles.xlsx.Notes.txt",
    ]
    assert out.count("\n") >= 3 and "une feuille à la fois.\n" in out and "caractères)" not in out


def test_each_sheet_is_checked_again_and_empty_header_cells_are_named(tmp_path: Path) -> None:
    """Was: a sheet's CSV was never checked again. A sheet with an empty header cell became a CSV
    Dataverse refuses (an empty name), and a sheet of notes a CSV without data, both "verified",
    exit 0. The empty cell is now named by its column letter, as Dataverse names it in a sheet, and
    what the check still finds in each CSV is said. The sheet of notes (then a CSV of a header and
    no data, "no data" and exit 1) is a text file beside the table, verified line by line."""
    from tabcheck.checker import Settings
    from tabcheck.fix import fix_paths

    src = tmp_path / "in"
    src.mkdir()
    _xw(
        src / "mesures.xlsx",
        {
            "Données": _rows(
                [["id", "valeur", None, "remarque"], [1, 12.5, None, "ok"], [2, "n/a", None, "vu"]]
            ),
            "Notes": _rows([["Source : relevés terrain"]]),
        },
    )
    run = fix_paths([src], tmp_path / "out", Settings(lang="fr"))
    m = run.files[0]
    data = tmp_path / "out" / "mesures.xlsx.Données.csv"
    assert data.read_text(encoding="utf-8") == "id,valeur,C,remarque\n1,12.5,,ok\n2,n/a,,vu\n"
    named = [(t.count, t.examples) for t in m.transformations if t.name == "header-named"]
    assert named == [(1, [("C1", "C")])]
    tables, notes = m.outputs
    assert tables.verification.recheck == []
    assert [a.split()[0] for a in tables.verification.altered] == ["TC402"]
    assert notes.path == tmp_path / "out" / "mesures.xlsx.Notes.txt" and notes.verification.ok
    assert notes.path.read_text(encoding="utf-8") == "Source : relevés terrain\n"
    assert notes.verification.recheck == [] and not (tmp_path / "out" / "mesures.xlsx.Notes.csv").exists()
    assert [(t.name, t.examples) for t in m.transformations if t.name == "text-sheet"] == [
        ("text-sheet", [("Notes", "mesures.xlsx.Notes.txt")])
    ]
    assert run.exit_code == 0  # nothing left to fix by hand (the n/a is what Dataverse will alter)


def test_sheets_of_text_lines_are_text_files_and_lists_stay_tables(tmp_path: Path) -> None:
    """A read-me of several lines (its name says so) and a one-line sheet are text files beside the
    table; a one-column list under any other name is data, a CSV; a lone sheet of lines too."""
    from tabcheck.checker import Settings
    from tabcheck.fix import fix_paths

    src = tmp_path / "in"
    src.mkdir()
    readme = ["Enquête 2024 : lisez-moi", "Les âges sont en années.", "Contact : labo@univ.fr"]
    _xw(
        src / "enquete.xlsx",
        {
            "Données": _rows([["id", "age"], [1, 34], [2, 51]]),
            "Lisez-moi": _rows([[line] for line in readme[:2]] + [[None], [readme[2]]]),
            "Espèces": _rows([["espèce"], ["Quercus robur"], ["Fagus sylvatica"]]),
            "Remarque": _rows([["Données provisoires, ne pas citer"]]),
        },
    )
    _xw(src / "seul.xlsx", {"Notes": _rows([["une ligne"], ["une autre ligne"]])})
    run = fix_paths([src], tmp_path / "out", Settings(lang="fr"))
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir() if p.name != "fix-manifest.json") == [
        "enquete.xlsx.Données.csv",
        "enquete.xlsx.Espèces.csv",
        "enquete.xlsx.Lisez-moi.txt",
        "enquete.xlsx.Remarque.txt",
        "seul.xlsx.csv",
    ]
    assert (out / "enquete.xlsx.Lisez-moi.txt").read_text(encoding="utf-8") == "\n".join(readme) + "\n"
    assert (out / "enquete.xlsx.Espèces.csv").read_text(encoding="utf-8") == (
        "espèce\nQuercus robur\nFagus sylvatica\n"
    )
    assert all(o.verification.ok for f in run.files for o in f.outputs)
    assert run.exit_code == 0


def test_a_text_sheet_that_differs_from_its_source_fails(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tabcheck.fix.xlsxfix import verify_text_sheet

    book = tmp_path / "b.xlsx"
    _xw(book, {"Notes": _rows([["première ligne"], ["deuxième\nligne"]])})
    ws = load_workbook(book, read_only=True)["Notes"]
    out = tmp_path / "notes.txt"
    out.write_text("première ligne\ndeuxième\nligne\n", encoding="utf-8")
    assert verify_text_sheet(out, ws.iter_rows(values_only=True)).ok
    out.write_text("première ligne\ndeuxième ligne\n", encoding="utf-8")
    assert not verify_text_sheet(out, ws.iter_rows(values_only=True)).ok
    out.write_text("première ligne\ndeuxième\nligne\nen trop\n", encoding="utf-8")
    assert not verify_text_sheet(out, ws.iter_rows(values_only=True)).ok


def test_a_text_sheet_keeps_a_lone_cr_and_is_verified(tmp_path: Path) -> None:
    """A CR alone inside a cell (stored `_x000D_`, shown as a line break by Excel) is written as the
    character, as in a table's cells, and is the cell's: the re-read ends lines at LF only."""
    from tabcheck.checker import Settings
    from tabcheck.fix import fix_paths

    src = tmp_path / "in"
    src.mkdir()
    _xw(src / "b.xlsx", {"Data": _rows([["a", "b"], [1, 2]]), "Notes": _rows([["avant\rapres"], ["fin"]])})
    run = fix_paths([src], tmp_path / "out", Settings())
    text = tmp_path / "out" / "b.xlsx.Notes.txt"
    assert text.read_bytes() == b"avant\rapres\nfin\n"
    assert all(o.verification.ok for o in run.files[0].outputs)


def test_a_last_record_with_its_first_cells_empty_is_kept_not_moved_to_notes(tmp_path: Path) -> None:
    """Was (found by the workbook property test): a last row holding only `Brest`, under the towns
    in column B, went to the notes file: a record of the table, its first cell empty. Notes start
    where the table does; the check says no notes row either."""
    from tabcheck.api import check

    path = _xw(tmp_path / "t.xlsx", {"Data": _rows([["n", "ville"], [0, "Brest"], [None, "Brest"]])})
    m = _fix(path, tmp_path / "out")
    assert (tmp_path / "out" / "t.xlsx.csv").read_text(encoding="utf-8") == "n,ville\n0,Brest\n,Brest\n"
    assert not (tmp_path / "out" / "t.xlsx.notes.txt").exists()
    assert m.error is None and all(_ok(o) for o in m.outputs)
    assert "title-or-notes-rows" not in {f.rule for f in check([path]).files[0].findings}
