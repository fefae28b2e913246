"""Dates typed as text in a workbook (dates-as-text, `xlsx-…` variants; tabcheck.workbook.textdates).

Was: a sheet whose dates were typed as text (25/12/2020, as pasted from a CSV export) was "ready",
while Dataverse's XLSX reader stores them as text and `fix` wrote them yyyy-mm-dd. The counts are
compared with openpyxl's reading of the same cells, an independent reader, on random sheets long
enough for the scan's bulk paths.
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
from tabcheck.workbook.textdates import MISSING, OTHERS_KEPT, shape_of


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


def _findings(path: Path) -> list:
    return [f for f in check([path]).files[0].findings if f.code == "TC404"]


def _openpyxl_dates(path: Path) -> dict[int, tuple[int, int, list[str]]]:
    """Per column (1-based) of text cells only dates or missing codes (at most OTHERS_KEPT other
    texts), as openpyxl reads them: (dates, numbers, first date cells)."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).active
    columns: dict[int, list[tuple[str, object]]] = {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.value is not None and cell.value != "":
                columns.setdefault(cell.column, []).append((cell.coordinate, cell.value))
    out = {}
    for column, cells in columns.items():
        texts = [(ref, v) for ref, v in cells if isinstance(v, str)]
        numbers = len(cells) - len(texts)
        if numbers and not texts:
            continue  # a column the scan keeps numeric
        shapes = [(ref, shape_of(v)) for ref, v in texts]
        if sum(s is None for _, s in shapes) > OTHERS_KEPT:
            continue
        dates = [ref for ref, s in shapes if s not in (None, MISSING)]
        if dates:
            out[column] = (len(dates), numbers, dates[:5])
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
    ]
    width = rng.randint(2, 6)
    mix = [rng.sample(range(len(kinds)), rng.randint(1, 3)) for _ in range(width)]
    rows: list[list[object]] = [[f"c{j}" for j in range(width)]]
    for i in range(n):
        rows.append([kinds[rng.choice(m) if rng.random() < 0.1 else m[0]](i) for m in mix])
    path = _write(tmp_path / "random.xlsx", rows)
    trace = read_workbook(path).trace
    got = {
        c.column: (c.dates.count, c.numbers, [s.cell for s in c.dates.samples[:5]]) for c in trace.text_dates
    }
    expected = _openpyxl_dates(path)
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
        'Sheet "Data", column B “visite”: 5 dates typed as text like “11/02/2021” (in B2) will be stored '
        "as text; `tabcheck fix` writes them yyyy-mm-dd in a CSV, where Dataverse reads them as dates."
    )
    assert first.text("fr") == (
        "Feuille «\u00a0Data\u00a0», colonne B «\u00a0visite\u00a0»\u00a0: 5 dates saisies comme du texte, comme "
        "«\u00a011/02/2021\u00a0» (en B2), seront enregistrées comme du texte\u202f; `tabcheck fix` les écrit "
        "aaaa-mm-jj dans un CSV, où Dataverse les lit comme des dates."
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


def test_no_date_among_the_shared_strings_reads_nothing_more(tmp_path: Path) -> None:
    from tabcheck.facts.workbook import IngestTrace
    from tabcheck.workbook.textdates import TextDates

    trace = IngestTrace(numeric=[False, True], header_row=1)
    assert TextDates.for_sheet(trace, ["nom", "Brest", "12,5", "2021-03-01"]) is None  # yyyy-mm-dd: no shape
    assert TextDates.for_sheet(trace, ["nom", "01/03/2021"]) is not None
    assert TextDates.for_sheet(IngestTrace(numeric=[True, True], header_row=1), ["01/03/2021"]) is None
