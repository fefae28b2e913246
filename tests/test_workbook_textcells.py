"""Numbers and dates typed as text in a workbook (tabcheck.workbook.textcells): dates-as-text and
decimal-comma, `xlsx-…` variants.

Was: a sheet whose dates were typed as text (25/12/2020, as pasted from a CSV export), or whose
numbers were (0,5), was "ready", while Dataverse's XLSX reader stores them as text, and `fix`
wrote them yyyy-mm-dd and 0.5. The counts are compared with openpyxl's reading of the same cells,
an independent reader, on random sheets long enough for the scan's bulk paths.
"""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter  # type: ignore[import-untyped]

from tabcheck.api import check
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths
from tabcheck.workbook import read_workbook
from tabcheck.workbook.cells import dataverse_numeric
from tabcheck.workbook.textcells import MISSING, OTHERS_KEPT, shape_of


def _write(path: Path, rows: list[list[object]], sheet: str = "Data") -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write_number(r, c, value)
    wb.close()
    return path


def _findings(path: Path, code: str = "TC404") -> list:
    return [f for f in check([path]).files[0].findings if f.code == code]


def _openpyxl_shapes(path: Path) -> dict[int, tuple[dict[str, tuple[int, list[str]]], int, str | None]]:
    """Per column (1-based) of texts of known shapes (at most OTHERS_KEPT other texts), as
    openpyxl reads them: ({shape: (cells, first cells)}, numbers, first number with decimals)."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).active
    columns: dict[int, list[tuple[str, object]]] = {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.value is not None and cell.value != "":
                columns.setdefault(cell.column, []).append((cell.coordinate, cell.value))
    out = {}
    for column, cells in columns.items():
        texts = [(ref, v) for ref, v in cells if isinstance(v, str)]
        if not texts:
            continue  # a column the scan keeps numeric
        read = [(ref, v) for ref, v in texts if v not in ("NA", ".") and not dataverse_numeric(v.encode())]
        numbers = len(cells) - len(read) - sum(v in ("NA", ".") for _, v in texts)
        shapes = [(ref, shape_of(v)) for ref, v in read]
        if sum(s is None for _, s in shapes) > OTHERS_KEPT:
            continue
        kinds: dict[str, tuple[int, list[str]]] = {}
        for ref, shape in shapes:
            if shape is not None:
                count, refs = kinds.get(shape, (0, []))
                kinds[shape] = (count + 1, refs if len(refs) == 5 else [*refs, ref])
        fraction = next(
            (
                ref
                for ref, v in cells
                if isinstance(v, float) and not isinstance(v, bool) and not v.is_integer()
            ),
            None,
        )
        if any(k != MISSING for k in kinds):
            out[column] = (kinds, numbers, fraction)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_counts_agree_with_openpyxl_on_random_sheets(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    n = rng.choice([30, 700, 3000])
    kinds = [
        lambda i: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 30)}",
        lambda i: f"{rng.randint(1, 12)}/{rng.randint(13, 28)}/2020",
        lambda i: f"2021/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}",
        lambda i: rng.choice(["NA", ".", "n/a", ""]),
        lambda i: rng.choice(["Brest", "Rennes", "voir note"]),
        lambda i: round(rng.random() * 100, 2),
        lambda i: f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.21",
        lambda i: f"{rng.randint(0, 999)},{rng.randint(0, 99)}",
        lambda i: rng.choice(["1.000", "12", "1.250,5", "12 %", "null"]),
    ]
    width = rng.randint(2, 6)
    mix = [rng.sample(range(len(kinds)), rng.randint(1, 3)) for _ in range(width)]
    rows: list[list[object]] = [[f"c{j}" for j in range(width)]]
    for i in range(n):
        rows.append([kinds[rng.choice(m) if rng.random() < 0.1 else m[0]](i) for m in mix])
    path = _write(tmp_path / "random.xlsx", rows)
    trace = read_workbook(path).trace
    got = {
        c.column: (
            {k: (o.count, [s.cell for s in o.samples]) for k, o in c.kinds.items()},
            c.numbers,
            c.fraction.cell if c.fraction else None,
        )
        for c in trace.text_columns
    }
    expected = _openpyxl_shapes(path)
    numeric = {j + 1 for j, kept in enumerate(trace.numeric) if kept}
    assert got == {c: v for c, v in expected.items() if c not in numeric}


def test_a_column_of_text_dates_is_said_with_its_order_and_fix_writes_it(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    rows: list[list[object]] = [["patient", "visite", "prochaine", "note"]]
    rows += [[i, f"{i + 10}/02/2021", f"0{i}/03/2021", "ok"] for i in range(1, 6)]
    path = _write(src / "visites.xlsx", rows)
    found = {
        (f.location.cell, f.variant, f.fixable, f.params.get("order")): f.params["count"]
        for f in _findings(path)
    }
    assert found == {
        ("B2", "xlsx-dates-as-text", True, "dmy"): 5,
        ("C2", "xlsx-either-order", False, None): 5,
    }
    (first, _) = _findings(path)
    assert first.text("en") == (
        'Sheet "Data", column B “visite”: 5 dates typed as text (e.g. “11/02/2021” in B2) will be stored '
        "as text; `tabcheck fix` writes them yyyy-mm-dd in a CSV, where Dataverse reads them as dates."
    )
    assert first.text("fr") == (
        "Feuille «\u00a0Data\u00a0», colonne B «\u00a0visite\u00a0»\u00a0: 5 dates saisies comme du texte "
        "(par ex. «\u00a011/02/2021\u00a0» en B2) seront enregistrées comme du texte\u202f; `tabcheck fix` "
        "les écrit aaaa-mm-jj dans un CSV, où Dataverse les lit comme des dates."
    )
    assert check([path]).files[0].status == "altered"
    run = fix_paths([src], tmp_path / "out", Settings())
    lines = (tmp_path / "out" / "visites.xlsx.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == [
        "patient,visite,prochaine,note",
        "1,2021-02-11,01/03/2021,ok",
        "2,2021-02-12,02/03/2021,ok",
    ]
    (output,) = run.files[0].outputs
    assert output.verification is not None
    assert [a.split()[0] for a in output.verification.altered] == ["TC404"]  # the column of either order


@pytest.mark.parametrize(
    ("values", "variant", "params"),
    [
        (["13/01/2021", "01/02/2021"], "xlsx-dates-as-text", {"order": "dmy"}),
        (["01/13/2021", "02/01/2021"], "xlsx-dates-as-text", {"order": "mdy"}),
        (["2021/01/13", "2021/02/01"], "xlsx-dates-as-text", {"order": "ymd"}),
        (["13/01/2021 14:30", "01/02/2021 09:00"], "xlsx-dates-as-text", {"order": "dmy-time"}),
        (
            ["13/01/2021", "01/13/2021"],
            "xlsx-mixed-order",
            {"day_first": "13/01/2021", "month_first": "01/13/2021"},
        ),
        (["13/01/21", "14/02/2021"], "xlsx-dates-kept", {}),  # a two-digit year: fix writes no such date
        (["13/01/2021", "01/02/2021 10:00"], "xlsx-dates-kept", {}),  # dates with and without a time
        (["13/01/2021", 5], "xlsx-dates-kept", {}),  # a number among them
    ],
)
def test_the_variant_follows_what_the_dates_say(
    tmp_path: Path, values: list[object], variant, params
) -> None:
    path = _write(tmp_path / "d.xlsx", [["id", "jour"], *[[i, v] for i, v in enumerate(values)]])
    (f,) = _findings(path)
    assert f.variant == variant
    assert {k: f.params[k] for k in ("order", "day_first", "month_first") if k in f.params} == params


def test_words_among_the_dates_make_a_column_of_text_but_a_title_and_notes_do_not(tmp_path: Path) -> None:
    dated = [[f"{d + 10}/03/2021", d] for d in range(1, 9)]
    words = _write(tmp_path / "mots.xlsx", [["jour", "n"], *dated[:4], ["voir carnet", 5], *dated[4:]])
    assert _findings(words) == []
    many = _write(
        tmp_path / "notes.xlsx", [["remarque", "n"], *[[w, 1] for w in ("a", "b", "c", "d")], *dated]
    )
    assert _findings(many) == []
    titled = _write(
        tmp_path / "titre.xlsx",
        [["Relevés 2021"], [], ["jour", "n"], *dated, [], ["Source : relevés de terrain"]],
    )
    (f,) = _findings(titled)
    assert (f.location.cell, f.params["count"], f.params["column_name"]) == ("A4", 8, "jour")


def test_no_number_nor_date_written_another_way_among_the_shared_strings_reads_nothing_more(
    tmp_path: Path,
) -> None:
    from tabcheck.facts.workbook import IngestTrace
    from tabcheck.workbook.textcells import TextCells

    trace = IngestTrace(numeric=[False, True], header_row=1)
    assert TextCells.for_sheet(trace, ["nom", "Brest", "12.5", "2021-03-01", "n/a", "-", "1.2.3"]) is None
    assert TextCells.for_sheet(trace, ["nom", "12 %"]) is not None
    assert TextCells.for_sheet(trace, ["nom", "01/03/2021"]) is not None
    assert TextCells.for_sheet(trace, ["nom", "12,5"]) is not None
    assert TextCells.for_sheet(IngestTrace(numeric=[True, True], header_row=1), ["01/03/2021"]) is None


def test_numbers_typed_as_text_with_a_decimal_comma_are_said_and_fix_writes_them(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    rows: list[list[object]] = [["station", "debit", "taux"]]
    rows += [[f"S{i}", f"{i},5", "12 %" if i == 3 else f"{i},25"] for i in range(1, 6)]
    path = _write(src / "debits.xlsx", rows)
    found = {(f.location.cell, f.variant, f.fixable): f.params["count"] for f in _findings(path, "TC401")}
    assert found == {("B2", "xlsx-decimal-comma", True): 5, ("C2", "xlsx-decimal-comma-kept", False): 4}
    debit, taux = _findings(path, "TC401")
    assert debit.text("en") == (
        'Sheet "Data", column B “debit”: 5 numbers typed as text with a decimal comma (e.g. “1,5” in B2) '
        "will be stored as text; `tabcheck fix` writes them with a decimal point in a CSV, where Dataverse "
        "reads them as numbers."
    )
    assert taux.text("fr") == (
        "Feuille «\u00a0Data\u00a0», colonne C «\u00a0taux\u00a0»\u00a0: 4 nombres saisis comme du texte avec une "
        "virgule décimale (par ex. «\u00a01,25\u00a0» en C2) seront enregistrés comme du texte. `tabcheck fix` "
        "les laisse tels qu'ils sont écrits tant que «\u00a012 %\u00a0» (en C4) garde la colonne en texte\u00a0: "
        "corrigez d'abord cette valeur."
    )
    fix_paths([src], tmp_path / "out", Settings())
    lines = (tmp_path / "out" / "debits.xlsx.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["station,debit,taux", 'S1,1.5,"1,25"', 'S2,2.5,"2,25"', "S3,3.5,12 %"]


def test_a_column_of_codes_or_words_with_one_decimal_comma_is_not_said(tmp_path: Path) -> None:
    rows: list[list[object]] = [["code", "n"], *[[w, 1] for w in ("A12", "B7", "C3", "D1", "0,5")]]
    assert _findings(_write(tmp_path / "codes.xlsx", rows), "TC401") == []


def test_text_decimal_commas_beside_numbers_with_decimals_stay_as_written(tmp_path: Path) -> None:
    """Was: fix wrote the number 1.125 of the sheet as 1125. The sheet's CSV holds 1.125 (a number
    cell) beside 0,5 (a text cell); the text fix, which cannot tell them apart, took the column's
    convention for a decimal comma and 1.125 for one thousand one hundred and twenty-five."""
    src = tmp_path / "in"
    src.mkdir()
    path = _write(src / "mix.xlsx", [["id", "valeur"], [1, 1.125], [2, "0,5"], [3, 2]])
    (f,) = _findings(path, "TC401")
    assert (f.variant, f.fixable, f.params["other"], f.params["other_cell"]) == (
        "xlsx-decimal-comma-beside-numbers",
        False,
        "1.125",
        "B2",
    )
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "mix.xlsx.csv").read_text(
        encoding="utf-8"
    ) == 'id,valeur\n1,1.125\n2,"0,5"\n3,2\n'
    m = run.files[0]
    assert not [t for t in m.transformations if t.name == "decimal-point"]
    (left,) = m.left
    assert (left.repair, left.where) == ("decimal-point", "valeur")
    assert left.message.startswith(
        "Sheet “Data”, column “valeur”: the numbers typed as text with a decimal comma"
    )
    (output,) = m.outputs
    assert output.fraction_columns == frozenset({1})
    assert run.exit_code == 1  # the decimal comma is still to fix by hand


def test_numbers_typed_as_text_with_a_sign_are_said_once(tmp_path: Path) -> None:
    """12 % typed as text: the column is text. A few such texts among numbers are
    text-among-numbers' (fixtures/xlsx/stray_text.xlsx: n/a and <0,5 among 78 doses), not said
    twice; a column of dashes alone loses nothing numeric."""
    rows: list[list[object]] = [["id", "taux", "remarque"]]
    rows += [[i, f"{i * 5} %" if i != 2 else "n/a", "-"] for i in range(1, 6)]
    found = {
        (f.location.cell, f.variant, f.params["count"])
        for f in _findings(_write(tmp_path / "t.xlsx", rows), "TC402")
    }
    assert found == {("B2", "xlsx-numbers-as-text", 4), ("B3", "xlsx-numbers-as-text", 1)}
    (percent, _code) = sorted(_findings(tmp_path / "t.xlsx", "TC402"), key=lambda f: f.location.row)
    assert percent.text("fr") == (
        "Feuille «\u00a0Data\u00a0», colonne B «\u00a0taux\u00a0»\u00a0: 4 valeurs saisies comme du texte avec "
        "un signe % (par ex. «\u00a05 %\u00a0» en B2)\u00a0: la colonne sera enregistrée comme du texte."
    )
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "xlsx" / "stray_text.xlsx"
    assert [f.code for f in check([fixture]).files[0].findings if f.code in ("TC402", "TC411")] == ["TC411"]


def test_a_total_rows_label_among_the_dates_stays_and_the_dates_are_written_iso(tmp_path: Path) -> None:
    """A column of text dates ending in a row of totals ("Moyenne"), which fix keeps (only titles
    and notes are moved out): the dates are written yyyy-mm-dd and the label stays, as in a CSV.
    Was: fix wrote them as typed (and, before that, promised otherwise)."""
    src = tmp_path / "in"
    src.mkdir()
    rows: list[list[object]] = [["date", "valeur", "n"]]
    rows += [[f"{i + 13}/03/2023", f"{i},5", i] for i in range(12)]
    rows.append(["Moyenne", "5,5", 5.5])
    path = _write(src / "total.xlsx", rows)
    found = {
        f.code: (f.variant, f.fixable)
        for f in check([path]).files[0].findings
        if f.code in ("TC401", "TC404")
    }
    assert found == {"TC401": ("xlsx-decimal-comma", True), "TC404": ("xlsx-dates-as-text", True)}
    run = fix_paths([src], tmp_path / "out", Settings())
    lines = (tmp_path / "out" / "total.xlsx.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "2023-03-13,0.5,0" and lines[-1] == "Moyenne,5.5,5.5"
    assert sorted(t.name for t in run.files[0].transformations if t.sheet) == ["decimal-point", "iso-date"]
    assert run.files[0].verified and run.files[0].left == []


def test_the_shapes_remembered_are_bounded_and_the_counts_the_same(tmp_path: Path, monkeypatch) -> None:
    """A column of distinct numbers typed as text: past SHAPES_KEPT shared strings, shapes are
    settled again rather than remembered; the counts do not change."""
    from tabcheck.workbook import textcells

    rows: list[list[object]] = [["id", "mesure"], *[[i, f"{i},{i % 10}"] for i in range(1, 400)]]
    path = _write(tmp_path / "d.xlsx", rows)
    whole = [
        (c.column, {k: o.count for k, o in c.kinds.items()}) for c in read_workbook(path).trace.text_columns
    ]
    monkeypatch.setattr(textcells, "SHAPES_KEPT", 10)
    bounded = [
        (c.column, {k: o.count for k, o in c.kinds.items()}) for c in read_workbook(path).trace.text_columns
    ]
    assert whole == bounded == [(2, {"decimal-comma": 399})]
