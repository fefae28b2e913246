"""Text cells among a column's numbers in a workbook (text-among-numbers, `xlsx-stray-text`).

The scan notes the columns a row turned to text; a second pass counts those columns' cells
(tabcheck.workbook.strays). The counts are compared with openpyxl's reading of the same cells, an
independent reader, on random sheets long enough for the scan's bulk paths.
"""

from __future__ import annotations

import random
import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tabcheck.api import check
from tabcheck.facts.workbook import STRAY_VALUES_KEPT, STRAY_WORDS_SEEN
from tabcheck.workbook import read_workbook
from tabcheck.workbook.cells import column_letters, dataverse_numeric

WORDS = ["n/a", "<0,5", "1,5", "5-10", "~3", "refus", "ND", "voir note"]


def _write(path: Path, rows: list[list[object]], shuffle: random.Random | None = None) -> Path:
    """The rows with xlsxwriter: `("=", value)` is a formula and its cached result. With `shuffle`,
    some cells get their reference after their style (`<c s="1" r="B5">`), as the format allows."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    bold = wb.add_format({"bold": True})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, tuple):
                ws.write_formula(r, c, "=1+1", None, value[1])
            elif value is not None:
                ws.write(r, c, value, bold if shuffle is not None and shuffle.random() < 0.2 else None)
    wb.close()
    if shuffle is not None:
        with zipfile.ZipFile(path) as z:
            members = [(i, z.read(i.filename)) for i in z.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in members:
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', rb'<c s="\2" r="\1"', data)
                z.writestr(info, data)
    return path


def _findings(path: Path, code: str = "TC411") -> list:
    report = check([path])
    return [f for f in report.files[0].findings if f.code == code]


def _openpyxl_counts(path: Path, column: int) -> tuple[int, list[tuple[str, str]]]:
    """(numbers, [(cell, text)]) of a column's data cells, as openpyxl reads them."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).active
    numbers, texts = 0, []
    for row in ws.iter_rows(min_row=2, min_col=column, max_col=column):
        cell = row[0]
        value = cell.value
        if value is None or value == "" or cell.data_type == "e":
            continue
        if not isinstance(value, str) or dataverse_numeric(value.encode("utf-8")):
            numbers += 1
        else:
            texts.append((f"{column_letters(column)}{cell.row}", value))
    return numbers, texts


def _random_sheet(rnd: random.Random, rows: int) -> list[list[object]]:
    """A header and columns of every kind: numbers with 0 to 5 words, words with a few numbers,
    numbers written as text ("12", which Dataverse reads as a number), sparse columns."""
    kinds = ["numbers", "strays", "strays", "words", "numeric-text", "sparse"]
    columns = [rnd.choice(kinds) for _ in range(rnd.randint(3, 7))]
    table: list[list[object]] = [[f"v{c}" for c in range(len(columns))]]
    strays = {
        c: sorted(rnd.sample(range(rows), rnd.randint(1, 4))) for c, k in enumerate(columns) if k == "strays"
    }
    for r in range(rows):
        row: list[object] = []
        for c, kind in enumerate(columns):
            if kind == "words":
                row.append(rnd.choice(WORDS) if rnd.random() < 0.8 else rnd.randint(1, 9))
            elif kind == "numeric-text":
                row.append(
                    rnd.choice([str(rnd.randint(1, 99)), f"0{rnd.randint(1, 99)}", " 007", "NA", "0.5"])
                )
            elif kind == "sparse":
                row.append(rnd.choice([None, None, None, 1.5, "x"]))
            elif kind == "strays" and r in strays[c]:
                row.append(rnd.choice([*WORDS, ("=", "n/a")]))  # a word, or a formula's
            else:
                number = rnd.choice([rnd.randint(0, 500), round(rnd.random() * 100, 2), None])
                row.append(rnd.choice([number, number, number, ("=", 2), True, "12", "NA"]))
        table.append(row)
    return table


@pytest.mark.parametrize("seed", range(16))
def test_counts_agree_with_openpyxl(tmp_path: Path, seed: int):
    rnd = random.Random(seed)
    path = _write(tmp_path / f"s{seed}.xlsx", _random_sheet(rnd, rnd.choice([40, 400, 3000])), rnd)
    trace = read_workbook(path).trace
    assert trace.failure is None
    found = {s.column: s for s in trace.strays}
    for index in trace.turned:
        column = index + 1
        numbers, texts = _openpyxl_counts(path, column)
        distinct = Counter(value for _, value in texts)
        words = len(texts) > STRAY_WORDS_SEEN and len(texts) > numbers  # one chunk: judged at its end
        if numbers and texts and len(distinct) <= STRAY_VALUES_KEPT and not words:
            stray = found.pop(column)
            assert (stray.numbers, stray.texts.count, stray.values) == (numbers, len(texts), dict(distinct))
            assert [(s.cell, s.value) for s in stray.texts.samples] == texts[:10]
        else:
            assert column not in found, (column, numbers, texts)
    assert not found  # only turned columns
    zeros = {}
    for column, kept in enumerate(trace.numeric, start=1):
        cells = _openpyxl_zero_texts(path, column) if kept else []
        if cells:
            zeros[column] = (len(cells), cells[:5])
    assert {
        c: (o.count, [(s.cell, s.value) for s in o.samples]) for c, o in trace.leading_zeros.items()
    } == zeros


def _openpyxl_zero_texts(path: Path, column: int) -> list[tuple[str, str]]:
    """The text cells of a column that Dataverse reads as numbers without their leading zero."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).active
    cells = []
    for row in ws.iter_rows(min_row=2, min_col=column, max_col=column):
        value = row[0].value
        if (
            isinstance(value, str)
            and re.match(r"\s*[+-]?0[0-9]", value)
            and dataverse_numeric(value.encode())
        ):
            cells.append((f"{column_letters(column)}{row[0].row}", value))
    return cells


def test_a_stray_word_far_down_a_long_column_is_found(tmp_path: Path):
    """Row 4,000 of 5,000: past the rows the scan keeps, in the rows its bulk paths count."""
    rows: list[list[object]] = [["id", "dose"]] + [[i, i * 0.5] for i in range(1, 5001)]
    rows[4000][1] = "5-10"
    found = _findings(_write(tmp_path / "long.xlsx", rows))
    assert [(f.variant, f.location.cell, f.location.column, f.params["numbers"]) for f in found] == [
        ("xlsx-stray-text", "B4001", 2, 4999)
    ]


@pytest.mark.parametrize("numbers,fires", [(9, False), (10, True)])
def test_ten_numbers_a_word(tmp_path: Path, numbers: int, fires: bool):
    rows: list[list[object]] = [["id", "dose"], [1, "refus"]] + [[i, i] for i in range(2, numbers + 2)]
    assert bool(_findings(_write(tmp_path / "ratio.xlsx", rows))) is fires


def test_words_of_many_kinds_are_not_strays(tmp_path: Path):
    """Nine different texts among 300 numbers: more kinds than the pass keeps, nothing said. Four
    times the same code is a code: said once, with its first cell."""
    rows: list[list[object]] = [["id", "dose"]] + [[i, i] for i in range(1, 300)]
    for k, r in enumerate(range(10, 100, 10)):
        rows[r][1] = f"remarque {k}"
    assert _findings(_write(tmp_path / "nine.xlsx", rows)) == []
    rows = [["id", "dose"]] + [[i, i] for i in range(1, 100)]
    for r in (10, 20, 30, 90):
        rows[r][1] = "n/a"
    found = _findings(_write(tmp_path / "four.xlsx", rows))
    assert [(f.variant, f.count, f.params["cells"]) for f in found] == [("xlsx-codes", 4, ["B11"])]


def test_a_units_row_is_second_header_rows(tmp_path: Path):
    """Two columns with a unit under the name: the row is said once, by second-header-row."""
    rows: list[list[object]] = [["station", "temperature", "rain"], [None, "°C", "mm"]]
    rows += [[f"s{i}", 12 + i / 10, i / 5] for i in range(30)]
    path = _write(tmp_path / "units.xlsx", rows)
    assert _findings(path) == []
    assert [f.variant for f in _findings(path, "TC305")] == ["xlsx-second-header"]


def test_an_error_cell_is_error_cells(tmp_path: Path):
    """A #DIV/0! among numbers is said by error-cells; no word among the numbers."""
    path = tmp_path / "error.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["a", "ratio"])
    for r in range(1, 30):
        ws.write_row(r, 0, [r, r / 2])
    ws.write_formula(15, 1, "=1/0", None, "#DIV/0!")
    wb.close()
    assert _findings(path) == []
    assert [f.location.cell for f in _findings(path, "TC408")] == ["B16"]


def test_codes_typed_as_text_lose_their_zeros(tmp_path: Path):
    """Postcodes typed as text, as they should be: Dataverse reads them as numbers all the same."""
    rows: list[list[object]] = [["code_postal", "commune", "mixed"]]
    rows += [["01400", "Abergement", "01"], ["75001", "Paris", "02"], ["0.5", "Lyon", "n/a"]]
    found = _findings(_write(tmp_path / "codes.xlsx", rows), "TC405")
    assert [(f.variant, f.location.cell, f.count, f.params["stored"]) for f in found] == [
        ("xlsx-leading-zeros", "A2", 1, "1400")
    ]
    # Java reads 0123d as a double too (Python's float does not): said as Dataverse stores it.
    rows = [["code"], ["0123d"], ["456"]]
    found = _findings(_write(tmp_path / "java.xlsx", rows), "TC405")
    assert [(f.location.cell, f.params["stored"]) for f in found] == [("A2", "123")]


def test_the_tail_after_the_rows_is_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Past the last row, more bytes than a row may take are not gathered: the rows are over."""
    from tabcheck.workbook import package
    from tabcheck.workbook.budgets import Budgets
    from tabcheck.workbook.package import Package
    from tabcheck.workbook.strays import _rows_after_header
    from test_workbook_paths import PART, worksheet, write_workbook

    monkeypatch.setattr(package, "CHUNK", 4096)
    rows = "".join(f'<row r="{r}" spans="1:1"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 200))
    tail = "<!-- " + "x" * 100_000 + " -->"
    path = write_workbook(tmp_path / "tail.xlsx", worksheet(rows, after=tail), ["id"])
    pkg = Package(path)
    try:
        blocks = list(_rows_after_header(pkg, PART, Budgets(max_row_bytes=16_384)))
    finally:
        pkg.close()
    held = b"".join(blocks)
    assert held.count(b"<row ") == 198 and b"xxxx" not in held


def test_a_title_row_hides_neither_the_total_nor_the_stray_word(tmp_path: Path):
    """A title above the table makes Dataverse read the author's header as an observation: its
    names, the total's label and the note under the table are other findings' to say."""
    rows: list[list[object]] = [["Relevés 2023 – station de la Loire"], ["station", "débit", "hauteur"]]
    rows += [[f"s{i}", 100 + i, 50 + i] for i in range(30)]
    rows[17][1] = "panne"
    rows += [["Moyenne", 115.2, 65], ["Source : DREAL Centre"]]
    path = _write(tmp_path / "titled.xlsx", rows)
    strays = _findings(path)
    assert [(f.location.cell, f.location.column_name, f.params["numbers"]) for f in strays] == [
        ("B18", "débit", 30)
    ]
    assert strays[0].text("fr") == (
        "Feuille « Data », colonne B « débit » : 1 cellule contient du texte "
        "(« panne », en B18) parmi 30 nombres : Dataverse typera toute la colonne en texte."
    )
    assert [f.location.cell for f in _findings(path, "TC212")] == ["A33"]


def test_a_column_of_names_is_dropped_without_looking_for_its_rows(tmp_path: Path, monkeypatch):
    """Was: the rows of each distinct text were searched for, one search of the chunk each: a sheet
    of 20,000 names took 81 s. A column with more texts than a few is dropped at once."""
    from tabcheck.workbook import strays

    searches: list[int] = []
    rows_of = strays._Patterns.rows_of

    def counted(self, letters, indexes, data):
        searches.append(len(indexes))
        return rows_of(self, letters, indexes, data)

    monkeypatch.setattr(strays._Patterns, "rows_of", counted)
    rows: list[list[object]] = [["id", "name", "dose"]] + [[i, f"person {i}", i / 2] for i in range(1, 3001)]
    rows[2000][2] = "n/a"
    trace = read_workbook(_write(tmp_path / "names.xlsx", rows)).trace
    assert [(s.column, s.numbers, [c.cell for c in s.texts.samples]) for s in trace.strays] == [
        (3, 2999, ["C2001"])
    ]
    assert searches == [1]  # the one word among the doses; none for the 3,000 names


def test_a_reference_of_thousands_of_digits_is_no_cell_of_the_pass(tmp_path: Path):
    """Python refuses int() of more than 4,300 digits: a hostile reference must not reach it (the
    pass reads rows of at most 7 digits, string indexes of at most 10). Dataverse's handler does
    not read a reference's row: the cell is a value of column B for it, not for the pass."""
    from test_workbook_paths import worksheet, write_workbook

    rows = '<row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    rows += "".join(
        f'<row r="{r}" spans="1:2"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}</v></c></row>'
        for r in range(2, 30)
    )
    rows += '<row r="30" spans="1:2"><c r="A30"><v>30</v></c><c r="B30" t="s"><v>2</v></c></row>'
    huge = "9" * 5000
    rows += f'<row r="31" spans="1:2"><c r="A31"><v>31</v></c><c r="B{huge}" t="s"><v>2</v></c></row>'
    path = write_workbook(tmp_path / "huge.xlsx", worksheet(rows), ["id", "dose", "n/a"])
    trace = read_workbook(path).trace
    assert [(s.column, s.numbers, [c.cell for c in s.texts.samples]) for s in trace.strays] == [
        (2, 28, ["B30"])
    ]


def test_a_missing_value_code_many_times_among_numbers(tmp_path: Path):
    """60 "n/a" and a remark among 1,000 doses: the column is text for Dataverse, which reads NA (not
    n/a) as missing; each text is shown once, with its first cell."""
    rows: list[list[object]] = [["id", "dose"]] + [[i, i / 4] for i in range(1, 1001)]
    for r in range(100, 700, 10):
        rows[r][1] = "n/a"
    rows[850][1] = "voir note"
    found = _findings(_write(tmp_path / "codes.xlsx", rows))
    assert [(f.variant, f.count, f.location.cell, f.params["cells"], f.params["numbers"]) for f in found] == [
        ("xlsx-codes", 61, "B101", ["B101", "B851"], 939)
    ]
    assert found[0].text("fr") == (
        "Feuille «\u00a0Data\u00a0», colonne B «\u00a0dose\u00a0»\u00a0: 61 cellules contiennent du texte "
        "(«\u00a0n/a\u00a0», «\u00a0voir note\u00a0», d'abord en B101, B851) parmi 939 nombres\u00a0: Dataverse "
        "typera toute la colonne en texte."
    )


def test_a_column_of_categories_is_dropped_early(tmp_path: Path):
    """M and F, with a number among them: a column of words once its texts outnumber its numbers."""
    rows: list[list[object]] = [["id", "sex"], [1, 3]] + [[i, "MF"[i % 2]] for i in range(2, 500)]
    trace = read_workbook(_write(tmp_path / "sex.xlsx", rows)).trace
    assert trace.turned == [1] and trace.strays == []


def test_codes_in_a_third_of_the_cells_are_said(tmp_path: Path):
    """A formula's "div0" in 11 cells of 59, a survey's "NSP" in 40 %: numbers still outnumber the
    codes, and Dataverse types each column as text. Words of four kinds are no codes."""
    path = tmp_path / "codes.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["id", "ratio", "q1", "note"])
    for r in range(1, 60):
        ws.write(r, 0, r)
        if r % 5 == 0:
            ws.write_formula(r, 1, f'=IF(C{r + 1}=0,"div0",1)', None, "div0")
        else:
            ws.write_formula(r, 1, "=1+1", None, 2)
        ws.write(r, 2, "NSP" if r % 5 < 2 else r % 5)
        ws.write(r, 3, ["a", "b", "c", "d"][r % 4] if r % 3 == 0 else r)
    wb.close()
    found = _findings(path)
    assert [(f.variant, f.location.column, f.count, f.params["numbers"]) for f in found] == [
        ("xlsx-codes", 2, 11, 48),
        ("xlsx-codes", 3, 23, 36),
    ]
