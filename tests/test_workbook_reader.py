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
    assert [(s.name, s.state) for s in wb.sheets] == [
        ("Data", "visible"),
        ("Notes", "visible"),
        ("Secret", "hidden"),
    ]
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


@pytest.mark.parametrize(
    "name,kind",
    [
        ("truncated.xlsx", "truncated"),
        ("not_a_zip.xlsx", "not-zip"),
        ("encrypted.xlsx", "encrypted"),
        ("zip_bomb.xlsx", "bomb"),
        ("xxe.xlsx", "doctype"),
    ],
)
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
    from tabcheck.facts.workbook import IngestTrace

    trace = IngestTrace(declared_width=1, numeric=[False], cases=2, broken_rows=[(0, ["a\nb"])])
    # one column: both halves have the right count, but the line count no longer matches
    assert second_pass_failure(trace)[0] == "Mismatch between line counts in first and final passes!"
    trace = IngestTrace(declared_width=2, numeric=[True, False], cases=3, broken_rows=[(1, ["1", "x\ty"])])
    assert second_pass_failure(trace)[0] == (
        "Reading mismatch, line 2 during the second pass: 2 delimited values expected, 3 found."
    )


# -- the bulk paths (narrow and plain rows counted together) agree with the exact, row-by-row path ----

QUIET = {
    1200: "out-of-range",
    1500: "too-wide",
    1700: "first-date",
    1800: "no-spans",
    2100: "empty-string",
    2400: "turns-text",
    2700: "widest",
}


def _mixed_workbook(path, rows: int = 3000, variant: str = "mixed", seed: int = 7):
    """A workbook with every kind of cell, row and event the reader tells apart, written by xlsxwriter.

    variant "mixed": the trace lives to the end; "trace-fails": a cell right of the declared width
    stops Dataverse's handler midway; "rewritten": the sheet XML is then edited into what other
    writers produce (rows without spans, cells without `r`, inline strings, `t="n"`, formulas
    without a cached value, whitespace between rows, a shared-string index out of range), and a
    second sheet is added. Irregular rows come in busy blocks of 100 rows, between calm ones; the
    QUIET rows, in calm blocks, hold one event each in an otherwise plain row, so that the bulk path
    meets it and has to hand the row over.
    """
    import datetime as dt
    import random
    import re
    import zipfile

    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = wb.add_format({"num_format": "hh:mm"})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Data")
    header = ["id", "value", "kind", "label", "visit", "dose", "calc", "flag", "sparse", "note"]
    ws.write_row(0, 0, header)
    ws.write_blank(5, 12, None, bold)  # widens the first block's spans to M: cells in K to M are "wide"
    vocab = ["alpha", "beta", "gamma & delta", "<eps>", "Évry", "zêta", "12", "NA", "null", "1e3"]
    quiet_rows = {}  # 1-based row number -> event
    row = 0
    for i in range(1, rows):
        row += 1
        quiet = QUIET.get(i)
        if quiet:
            quiet_rows[row + 1] = quiet
        busy = (i // 100) % 3 == 1
        if rnd.random() < 0.06 and busy:
            row += rnd.randint(1, 3)  # row numbers skip: blank gaps, more than the 50 kept
        if rnd.random() < 0.01 and busy:
            ws.set_row(row, None, bold)  # an empty formatted row element
            row += 1
        ws.write_number(row, 0, i)
        ws.write_number(row, 1, rnd.choice([i * 1.5, -i, 1e-7 * i, 1e22 + i, 0, rnd.random()]))
        r = rnd.random()
        kind = (
            "line\nbreak"
            if r < 0.003
            else "tab\there"
            if r < 0.006
            else ""
            if r < 0.01
            else rnd.choice(vocab)
        )
        ws.write_string(row, 2, kind if busy else "" if quiet == "empty-string" else "alpha")
        if rnd.random() < 0.5:
            ws.write_string(row, 3, f"label {i}")
        else:
            ws.write_number(row, 3, i % 97)
        if rnd.random() < 0.9:
            ws.write_datetime(
                row,
                4,
                dt.datetime(2020, 1, 1) + dt.timedelta(days=i % 900),
                time_fmt if busy and i % 21 == 0 else date_fmt,
            )
        if quiet == "turns-text" or (i > 2600 and rnd.random() < 0.1):
            ws.write_string(row, 5, "n/a")  # Dataverse's numeric column turns to text late
        else:
            ws.write(row, 5, rnd.choice([1.25, 3, "12", "NA", 2e-3]))
        r = rnd.random() if busy else 1.0
        if r < 0.01:
            ws.write_formula(row, 6, "=1/0", None, "#DIV/0!")
        elif r < 0.02:
            ws.write_formula(row, 6, '="x"&"y"', None, "xy")
        elif r < 0.03:
            ws.write_formula(row, 6, f"=A{row + 1}*2", None, 2 * i)
        else:
            ws.write_number(row, 6, i % 13)
        if rnd.random() < 0.01 and busy:
            ws.write_boolean(row, 7, rnd.random() < 0.5)
        else:
            ws.write_number(row, 7, i % 2)
        if quiet == "first-date" or (i > 1700 and rnd.random() < 0.05):
            ws.write_datetime(row, 8, dt.datetime(2021, 5, 1), date_fmt)  # a date column from far down
        elif rnd.random() < 0.3:
            ws.write_blank(row, 8, None, bold)
        elif rnd.random() < 0.05:
            ws.write_number(row, 8, i)
        ws.write_string(row, 9, rnd.choice(["ok", "a < b", "R&D", "x" * 40]))
        if rnd.random() < 0.05 and busy:
            ws.write_number(row, rnd.choice([10, 11]), i)  # right of the header
        if quiet == "widest":
            ws.write_number(row, 12, 1)
        elif not busy and i % 40 == 0:
            ws.write_blank(row, 12, None, bold)  # empty cells right of the header are not wide
        elif not busy and i % 40 == 20 and i > 1000:
            ws.write_number(row, 10, i)
        if variant == "trace-fails" and quiet == "too-wide":
            ws.write_number(row, 14, 1)  # right of the declared width: the handler throws
    if variant == "rewritten":
        other = wb.add_worksheet("Other")
        for i in range(500):
            if i == 300:
                other.set_row(i, None, bold)  # an empty row element (a blank row), then plain rows
            else:
                other.write_row(i, 0, [i, f"t{i % 7}", i / 3])
        other.set_row(500, None, bold)  # a blank row after the last values: no gap between rows
    wb.close()
    if variant != "rewritten":
        return path

    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info)) for info in z.infolist()]
        strings = re.search(rb'uniqueCount="([0-9]+)"', z.read("xl/sharedStrings.xml")).group(1)
    counter = iter(range(10**9))
    ids = {}  # row number -> i, from column A

    def busy_row(number):
        return (ids.get(number, 0) // 100) % 3 == 1

    def edit_row(m):
        k = next(counter)
        text = m.group(0)
        number = int(re.search(rb'r="([0-9]+)"', text).group(1))
        if quiet_rows.get(number) == "no-spans" or (k % 37 == 20 and ids.get(number, 0) > 1900):
            text = re.sub(rb' spans="[^"]*"', b"", text, count=1)  # the quiet one first
        if k % 89 == 60 and busy_row(number):
            text = b"\n  " + text
        return text

    def edit_cell(m):
        k = next(counter)
        text = m.group(0)
        ref = re.search(rb'r="([A-Z]+)([0-9]+)"', text)
        event = quiet_rows.get(int(ref.group(2))) if ref else None
        if event == "out-of-range" and ref.group(1) == b"C":
            return re.sub(rb"<v>[0-9]+</v>", b"<v>" + strings + b"</v>", text)
        if event or not busy_row(int(ref.group(2)) if ref else 0):
            return text
        if k % 131 == 70 and b' t="s"' in text:
            body = b"inline\nbreak" if k % 2 else b"inline &amp; text"
            text = re.sub(rb' t="s"><v>[0-9]+</v>', b' t="inlineStr"><is><t>' + body + b"</t></is>", text)
        elif k % 53 == 30 and b" t=" not in text and b"<v>" in text:
            text = text.replace(b">", b' t="n">', 1)
        elif k > 25000 and k % 31 == 10:
            text = re.sub(rb' r="[A-Z]+[0-9]+"', b"", text, count=1)
        elif k % 7 == 3 and b"<f>" in text:
            text = re.sub(rb"<v>[^<]*</v>", b"", text)
        return text

    out = []
    for info, data in members:
        if info.filename == "xl/worksheets/sheet1.xml":
            ids.update((int(n), int(v)) for n, v in re.findall(rb'<c r="A([0-9]+)"><v>([0-9]+)</v>', data))
            data = re.sub(rb"<row [^>]*>", edit_row, data)
            data = re.sub(rb"<c [^>]*?(?:/>|>.*?</c>)", edit_cell, data)
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)
    return path


@pytest.mark.parametrize("variant", ["mixed", "trace-fails", "rewritten"])
@pytest.mark.parametrize("chunk", [None, 8192])
def test_bulk_path_agrees_with_exact_path(tmp_path, monkeypatch, variant, chunk):
    from tabcheck.workbook import package, sheet

    path = _mixed_workbook(tmp_path / f"{variant}.xlsx", variant=variant)
    if chunk:
        monkeypatch.setattr(package, "CHUNK", chunk)  # many segments, cut at row boundaries
    bulk_rows = []
    narrow_rows = []
    original, original_narrow = sheet.SheetScanner._bulk, sheet.SheetScanner._narrow_bulk

    def spy(self, seg, run, lo, hi):
        done = original(self, seg, run, lo, hi)
        if done:
            bulk_rows.append(hi - lo)
        return done

    def narrow_spy(self, seg, lo, hi):
        done = original_narrow(self, seg, lo, hi)
        if done:
            narrow_rows.append(seg.count(b"<row ", lo, hi))
        return done

    monkeypatch.setattr(sheet.SheetScanner, "_bulk", spy)
    monkeypatch.setattr(sheet.SheetScanner, "_narrow_bulk", narrow_spy)
    fast = read_workbook(path)
    monkeypatch.setattr(sheet, "NARROW_PATH", False)
    plain = read_workbook(path)
    monkeypatch.setattr(sheet, "FAST_PATH", False)
    exact = read_workbook(path)
    assert fast.corrupt is None and not fast.problems
    assert fast == plain == exact
    assert sum(narrow_rows) > 1000  # runs of narrow rows did much of the work (first reading),
    assert sum(bulk_rows) > 1500  # plain rows in bulk the rest, and all of it in the second
    data = fast.read_sheet
    assert data.newline_cells.count and data.tab_cells.count and data.error_cells.count
    assert data.wide_cells.count > 10 and len(data.blank_gaps) == 50
    assert data.max_column == (15 if variant == "trace-fails" else 13)
    assert list(data.date_cells) == [5, 9] and len(data.date_cells[9].samples) == 3
    trace = fast.trace
    assert trace.broken_rows and not trace.numeric[2] and trace.numeric[0]
    if variant == "mixed":
        assert trace.failure is None and trace.cases > 2900 and not trace.numeric[5]
    elif variant == "trace-fails":
        assert trace.failure_cell == f"O{trace.failure_row}" and trace.failure_row > 1500
    else:
        n = fast.shared_strings
        assert trace.failure == f"Index {n} out of bounds for length {n}"
        assert data.rows_without_spans and data.formulas_without_value.count
        assert fast.sheets[1].value_cells == 1497 and fast.sheets[1].blank_gaps == [(301, 1)]
