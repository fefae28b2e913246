"""`check --codebook` for workbooks: the values Dataverse's XLSX reader stores per variable, their
statistics and UNFs, the file UNF and the dataset UNF.

The workbooks are written here, part by part, as Excel writes them (row `spans`, the sheet at
relationship rId1, shared and inline strings, a date style), so each `<v>` is exactly the text the
reader sees. The expected values are worked out by hand from what the reader does (dataverse-ingest.md,
XLSX): numbers continuous, dates as serial numbers, `.` and `NA` missing, one leading and one trailing
quote dropped from text, backslash sequences unescaped by the .tab round trip, an inline string and an
absent cell empty. The expected UNFs are computed from the UNF v6 rules by hand (`_unf` below), and
again with the independent `unf` package when it is installed.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tabcheck import api
from tabcheck.codebook.attach import note_text
from tabcheck.codebook.workbook import codebook_for_workbook_path, codebook_for_xlsx

MISSING = None

# -- a workbook, part by part ----------------------------------------------------------------------
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Mesures" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# Style 1: Excel's built-in date format 14 (d/m/yyyy).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def _letters(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def write_workbook(path: Path, rows: list[list[tuple[str, str] | None]]) -> Path:
    """An .xlsx whose sheet at rId1 holds `rows`, each cell (kind, text) or None (no cell):
    `n` a number as written in `<v>`, `d` the same with a date style, `s` a shared string, `i` an
    inline string, `b` a boolean, `e` an error, `f` a formula (text: `formula=cached value`)."""
    strings: list[str] = []
    width = max(len(r) for r in rows)
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, cell in enumerate(row):
            if cell is None:
                continue
            kind, text = cell
            ref = f"{_letters(c)}{r}"
            if kind == "n":
                cells.append(f'<c r="{ref}"><v>{text}</v></c>')
            elif kind == "d":
                cells.append(f'<c r="{ref}" s="1"><v>{text}</v></c>')
            elif kind == "s":
                if text not in strings:
                    strings.append(text)
                cells.append(f'<c r="{ref}" t="s"><v>{strings.index(text)}</v></c>')
            elif kind == "i":
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>')
            elif kind == "b":
                cells.append(f'<c r="{ref}" t="b"><v>{text}</v></c>')
            elif kind == "e":
                cells.append(f'<c r="{ref}" t="e"><v>{escape(text)}</v></c>')
            elif kind == "f":
                formula, cached = text.split("=", 1)
                cells.append(f'<c r="{ref}"><f>{escape(formula)}</f><v>{cached}</v></c>')
            else:
                raise ValueError(kind)
        xml_rows.append(f'<row r="{r}" spans="1:{width}">{"".join(cells)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{_letters(width - 1)}{len(rows)}"/>'
        f"<sheetData>{''.join(xml_rows)}</sheetData></worksheet>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
        + "</sst>"
    )
    members = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": shared,
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text.encode("utf-8"))
    return path


# -- UNF v6 by hand -----------------------------------------------------------------------------
def _unf(forms: list[str | None]) -> str:
    """A vector's UNF from its values already normalised (None: missing): each followed by
    newline and NUL, a missing value as three NULs, SHA-256, the first 128 bits in base64."""
    h = hashlib.sha256()
    for form in forms:
        h.update(b"\x00\x00\x00" if form is None else form.encode("utf-8") + b"\n\x00")
    return "UNF:6:" + base64.b64encode(h.digest()[:16]).decode("ascii")


def _file_unf(unfs: list[str]) -> str:
    """Several UNFs combined: their hash parts sorted, then fingerprinted as text."""
    return _unf(sorted(u.rsplit(":", 1)[1] for u in unfs))


# -- the hand-computed table ----------------------------------------------------------------------
HEADER = [("s", "count"), ("s", "ratio"), ("s", "label"), ("s", "score"), ("s", "visit")]
ROWS = [
    [("n", "1"), ("n", "0.5"), ("s", "x"), ("n", "7"), ("d", "44190")],
    [("n", "2"), ("n", "2.25"), ("s", '"quoted"'), None, ("d", "44191.5")],
    [("n", "3"), ("n", "-1.25"), ("s", "."), ("s", "NA"), ("d", "45000")],
    [("n", "10"), ("n", "45E-1"), ("i", "inline text"), ("n", "8"), ("d", "44190")],
    [("n", "4"), None, ("s", "C:\\temp"), ("f", "A2*3=3"), None],
]
# What Dataverse stores, by hand: every number continuous; an absent cell, `.` and `NA` missing in
# a numeric variable; the date column its serial numbers; text: `.` missing, one leading and one
# trailing quote dropped, `\t` read back as a TAB, an inline string (no <v>) the empty string.
STORED = {
    "count": [1.0, 2.0, 3.0, 10.0, 4.0],
    "ratio": [0.5, 2.25, -1.25, 4.5, MISSING],
    "label": ["x", "quoted", MISSING, "", "C:\temp"],
    "score": [7.0, MISSING, MISSING, 8.0, 3.0],
    "visit": [44190.0, 44191.5, 45000.0, 44190.0, MISSING],
}
FORMS = {
    "count": ["+1.e+", "+2.e+", "+3.e+", "+1.e+1", "+4.e+"],
    "ratio": ["+5.e-1", "+2.25e+", "-1.25e+", "+4.5e+", None],
    "label": ["x", "quoted", None, "", "C:\temp"],
    "score": ["+7.e+", None, None, "+8.e+", "+3.e+"],
    "visit": ["+4.419e+4", "+4.41915e+4", "+4.5e+4", "+4.419e+4", None],
}
# Dataverse's statistics by hand (two-pass mean; median at position (n+1)/2; variance
# Σ(x-mean)²/(n-1) here, the deviations summing to exactly 0), as Java's Double.toString writes them.
STATS = {
    "count": {  # 1 2 3 10 4: mean 4, squares 9+4+1+36+0 = 50, 50/4
        "mean": "4.0",
        "medn": "3.0",
        "mode": ".",
        "vald": "5.0",
        "invd": "0.0",
        "min": "1.0",
        "max": "10.0",
        "stdev": "3.5355339059327378",  # sqrt(12.5)
    },
    "ratio": {  # 0.5 2.25 -1.25 4.5: mean 1.5, squares 1+0.5625+7.5625+9 = 18.125, /3
        "mean": "1.5",
        "medn": "1.375",
        "mode": ".",
        "vald": "4.0",
        "invd": "1.0",
        "min": "-1.25",
        "max": "4.5",
        "stdev": "2.4579802006254377",  # sqrt(18.125/3)
    },
    "score": {  # 7 8 3: mean 6, squares 1+4+9 = 14, /2
        "mean": "6.0",
        "medn": "7.0",
        "mode": ".",
        "vald": "3.0",
        "invd": "2.0",
        "min": "3.0",
        "max": "8.0",
        "stdev": "2.6457513110645907",  # sqrt(7)
    },
    "visit": {  # mean 177571.5/4 = 44392.875; squares 2 x 41158.265625 + 40551.890625 + 368600.765625
        "mean": "44392.875",
        "medn": "44190.75",
        "mode": ".",
        "vald": "4.0",
        "invd": "1.0",
        "min": "44190.0",
        "max": "45000.0",
        "stdev": "404.75061766475415",  # sqrt(491469.1875/3)
    },
}
TYPES = {"count": "continuous", "ratio": "continuous", "label": "character"}
TYPES.update(score="continuous", visit="continuous")


@pytest.fixture
def table(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "mesures.xlsx", [HEADER, *ROWS])


def test_the_hand_computed_unfs_and_statistics(table: Path) -> None:
    run = api.check([table], codebook=True)
    pred = run.files[0].dataverse
    assert pred is not None and pred.outcome.value == "ingested" and pred.codebook_note is None
    assert pred.observations == 5
    assert [(c.name, c.type) for c in pred.columns] == list(TYPES.items())
    by_name = {c.name: c for c in pred.columns}
    for name, forms in FORMS.items():
        assert by_name[name].unf == _unf(forms), name
        assert by_name[name].stats == STATS.get(name), name  # text: none
    file_unf = _file_unf([_unf(f) for f in FORMS.values()])
    assert pred.unf == file_unf
    assert run.unf == file_unf  # the dataset UNF of a run of one file is the file's


def test_the_unfs_agree_with_the_unf_package(table: Path) -> None:
    unf = pytest.importorskip("unf")
    book = codebook_for_workbook_path(table)
    assert book.note is None and book.observations == 5
    for col in book.columns:
        assert col.unf == unf.unf(STORED[col.name]), col.name
    hashes = sorted(c.unf.rsplit(":", 1)[1] for c in book.columns if c.unf)
    assert book.unf == unf.unf(hashes)


def test_small_batches_give_the_same_codebook(table: Path) -> None:
    whole = codebook_for_workbook_path(table)
    columns = [(c.name, c.type) for c in whole.columns]
    batches: list[int] = []
    small = codebook_for_xlsx(table, columns, 5, batch_cells=len(columns) * 2, on_batch=batches.append)
    assert batches == [2, 4, 5]
    assert [(c.unf, c.stats) for c in small.columns] == [(c.unf, c.stats) for c in whole.columns]
    assert small.unf == whole.unf


def test_booleans_errors_and_numbers_as_text(tmp_path: Path) -> None:
    # Booleans are the numbers 1 and 0; a number stored as text (`01234`) is read as a number; an
    # error code makes its column character; `null` is 0; `NaN` and a number beyond a double's
    # range (written `Infinity` by Java) are missing; `Inf` is an infinity.
    path = write_workbook(
        tmp_path / "kinds.xlsx",
        [
            [("s", "flag"), ("s", "code"), ("s", "ratio"), ("s", "big")],
            [("b", "1"), ("s", "01234"), ("n", "1"), ("s", "null")],
            [("b", "0"), ("n", "7"), ("e", "#DIV/0!"), ("s", "NaN")],
            [("b", "1"), ("s", " 12 "), ("n", "2"), ("n", "1E400")],
            [None, ("n", "0x1p3"), ("n", "3"), ("s", "Inf")],
        ],
    )
    pred = api.check([path], codebook=True).files[0].dataverse
    assert pred is not None and pred.codebook_note is None
    cols = {c.name: c for c in pred.columns}
    assert [c.type for c in pred.columns] == ["continuous", "continuous", "character", "continuous"]
    assert cols["flag"].unf == _unf(["+1.e+", "+0.e+", "+1.e+", None])
    assert cols["flag"].stats is not None and cols["flag"].stats["mean"] == "0.6666666666666666"
    assert cols["code"].unf == _unf(["+1.234e+3", "+7.e+", "+1.2e+1", "+8.e+"])
    assert cols["ratio"].unf == _unf(["1", "#DIV/0!", "2", "3"]) and cols["ratio"].stats is None
    assert cols["big"].unf == _unf(["+0.e+", None, None, "+inf"])
    assert cols["big"].stats is not None
    assert (cols["big"].stats["vald"], cols["big"].stats["invd"]) == ("2.0", "2.0")
    assert cols["big"].stats["max"] == "Infinity"


def test_a_workbook_written_by_xlsxwriter(tmp_path: Path) -> None:
    # A real writer: numbers as it formats them, a date written as a serial number with a date style.
    xlsxwriter = pytest.importorskip("xlsxwriter")
    import datetime as dt

    path = tmp_path / "xw.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["id", "when", "what"])
    for r, (when, what) in enumerate([(dt.date(2020, 12, 25), "a"), (dt.date(2021, 1, 1), "b")], 1):
        ws.write_number(r, 0, r / 4)
        ws.write_datetime(r, 1, dt.datetime.combine(when, dt.time()), day)
        ws.write_string(r, 2, what)
    wb.close()
    pred = api.check([path], codebook=True).files[0].dataverse
    assert pred is not None and pred.codebook_note is None
    assert [c.type for c in pred.columns] == ["continuous", "continuous", "character"]
    when = pred.columns[1]
    assert when.unf == _unf(["+4.419e+4", "+4.4197e+4"])  # 2020-12-25 is serial 44190
    assert when.stats is not None and (when.stats["min"], when.stats["max"]) == ("44190.0", "44197.0")
    assert pred.columns[0].unf == _unf(["+2.5e-1", "+5.e-1"])
    assert pred.columns[2].unf == _unf(["a", "b"])


def test_the_dataset_unf_counts_workbooks_and_csv_files(tmp_path: Path, table: Path) -> None:
    csv = tmp_path / "other.csv"
    csv.write_text("n\n1\n2\n", encoding="utf-8")
    run = api.check([table, csv], codebook=True)
    files = [f.dataverse for f in run.files]
    assert all(p is not None and p.unf for p in files)
    assert run.unf == _file_unf([p.unf for p in files if p is not None and p.unf])
    assert files[0] is not None and files[0].unf == _file_unf([_unf(f) for f in FORMS.values()])


def test_a_workbook_not_ingested_has_no_codebook(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "header_only.xlsx", [HEADER])
    run = api.check([path], codebook=True)
    pred = run.files[0].dataverse
    assert pred is not None and pred.outcome.value == "fails"
    assert pred.unf is None and pred.codebook_note is None and run.unf is None


def test_the_workbook_notes_in_french() -> None:
    assert (
        note_text("the re-read found a sheet Dataverse cannot ingest", "fr")
        == "la relecture trouve une feuille que Dataverse ne peut pas ingérer"
    )
    assert (
        note_text("the re-read found other variables (names or types)", "fr")
        == "la relecture trouve d'autres variables (noms ou types)"
    )


# -- the two ways of reading rows agree, and agree with a model of the reader -----------------------
ROOT = Path(__file__).resolve().parent.parent


def _both_ways(path: Path) -> tuple[object, object] | None:
    pred = api.check([path]).files[0].dataverse
    if pred is None or pred.outcome.value != "ingested" or pred.columns is None:
        return None
    columns = [(c.name, c.type) for c in pred.columns]
    books = [codebook_for_xlsx(path, columns, pred.observations, exact=exact) for exact in (False, True)]
    return tuple(
        (b.note, b.unf, b.observations, [(c.name, c.type, c.unf, c.stats) for c in b.columns]) for b in books
    )


def test_plain_rows_give_what_the_exact_path_gives_on_every_fixture() -> None:
    compared = 0
    for path in sorted((ROOT / "fixtures").rglob("*.xlsx")):
        both = _both_ways(path)
        if both is None:
            continue
        fast, exact = both
        assert fast == exact, path.name
        compared += 1
    assert compared >= 20


_NUMBERS = ["0", "-0", "1", "42", "-7", "0.1", "2.5", "1E+20", "1.5E-7", "123456789.125", "3e2", "-0.001"]
_WORDS = ["NA", "na", ".", "NaN", "null", "Inf", "-inf"]
_TEXTS = ["alpha", '"quoted"', 'say "hi"', "Zoé", "x y", "#N/A", "3,5", "01/02/2020"]


def _random_cell(rng, kind: str):
    """A cell of a column of `kind` (numbers, or text), and the token the reader takes from it."""
    roll = rng.random()
    if roll < 0.12:
        return None, ""
    if roll < 0.2:
        return ("i", "inline"), ""  # no <v>: empty
    if kind == "text" and roll < 0.6:
        text = rng.choice(_TEXTS)
        return (rng.choice("se"), text), text
    if roll < 0.28:
        word = rng.choice(_WORDS)
        return ("s", word), word
    if roll < 0.34:
        b = rng.choice("01")
        return ("b", b), b
    if roll < 0.4:
        number = rng.choice(_NUMBERS)
        return ("f", f"B2+1={number}"), number
    if roll < 0.48:
        number = rng.choice(_NUMBERS)
        return ("s", number), number  # a number stored as text
    number = rng.choice(_NUMBERS)
    return (rng.choice("nd"), number), number


def _model(tokens: list[str], numeric: bool) -> list[float | str | None]:
    """What Dataverse stores for these tokens (the words and texts above, no backslash)."""
    out: list[float | str | None] = []
    for t in tokens:
        low = t.lower()
        if numeric:
            special = {"": None, ".": None, "na": None, "nan": None, "null": 0.0}
            special.update({"inf": float("inf"), "-inf": float("-inf")})
            out.append(special[low] if low in special else float(t))
        elif t == ".":
            out.append(None)
        else:
            out.append(t.removeprefix('"').removesuffix('"'))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_random_workbooks_against_a_model_of_the_reader(tmp_path: Path, seed: int) -> None:
    import random

    unf = pytest.importorskip("unf")
    rng = random.Random(seed)
    kinds = [rng.choice(["numbers", "numbers", "text"]) for _ in range(rng.randint(1, 6))]
    n = rng.randint(1, 60)
    header: list[tuple[str, str] | None] = [("s", f"v{i}") for i in range(len(kinds))]
    rows: list[list[tuple[str, str] | None]] = [header]
    tokens: list[list[str]] = [[] for _ in kinds]
    for _ in range(n):
        row = []
        for i, kind in enumerate(kinds):
            cell, token = _random_cell(rng, kind)
            row.append(cell)
            tokens[i].append(token)
        rows.append(row)
    path = write_workbook(tmp_path / f"random{seed}.xlsx", rows)
    pred = api.check([path], codebook=True).files[0].dataverse
    assert pred is not None and pred.outcome.value == "ingested" and pred.codebook_note is None
    assert pred.observations == n
    for col, column_tokens in zip(pred.columns, tokens, strict=True):
        texts = [t for t in column_tokens if t and not any(t == w for w in _NUMBERS + _WORDS + ["0", "1"])]
        numeric = not texts
        assert col.type == ("continuous" if numeric else "character"), col.name
        stored = _model(column_tokens, numeric)
        assert col.unf == unf.unf(stored), col.name
        if numeric:
            assert col.stats is not None
            valid = sum(v is not None for v in stored)
            assert (col.stats["vald"], col.stats["invd"]) == (f"{valid}.0", f"{n - valid}.0")
    both = _both_ways(path)
    assert both is not None and both[0] == both[1]


def test_text_and_numbers_as_the_reader_writes_and_reads_them_back() -> None:
    import math

    import polars as pl

    from tabcheck.codebook.workbook import stored_doubles, stored_texts

    tokens = ['"a"', 'b"', '"', '""', ".", "", "C:\\new", 'a\\"b', 'end"\u2028', 'x"\u2028"', 'in"side']
    assert stored_texts(pl.Series(tokens)).to_list() == [
        "a",
        "b",
        "",
        "",
        None,  # `.`: missing
        "",  # empty: the empty string
        "C:\new",  # `\n` read back as a line feed
        'a\\"b',  # the quote escaped when written: the backslash survives
        "end\u2028",  # Java's `"$` matches before a final line terminator
        'x"\u2028',
        'in"side',
    ]
    numbers = ["3", "2.50", "1E+20", " 12 ", "1d", "0x1p3", "NA", ".", "", "nan", "NaN", "+NaN"]
    numbers += ["Inf", "-INF", "null", "Infinity", "-1e400", "-0"]
    got = stored_doubles(pl.Series(numbers)).to_list()
    want = [3.0, 2.5, 1e20, 12.0, 1.0, 8.0, None, None, None, None, None, None]
    want += [math.inf, -math.inf, 0.0, None, None, -0.0]
    assert got == want
    assert math.copysign(1.0, got[-1]) == -1.0


def test_no_codebook_when_the_second_pass_disagrees_with_the_prediction(table: Path) -> None:
    # The pass checks what it reads against what was predicted: never a codebook of other data.
    columns = list(TYPES.items())
    assert codebook_for_xlsx(table, columns, 5).note is None
    assert codebook_for_xlsx(table, columns, 6).note == "the re-read found 5 observations, not 6"
    assert codebook_for_xlsx(table, columns[:4], 5).note == "the re-read found 5 columns, not 4"
    retyped = [*columns[:2], ("label", "continuous"), *columns[3:]]
    book = codebook_for_xlsx(table, retyped, 5)
    assert book.note == "the re-read found other variables (names or types)" and not book.columns
    renamed = [("Count", "continuous"), *columns[1:]]
    assert codebook_for_xlsx(table, renamed, 5).note == "the re-read found other variables (names or types)"
    assert codebook_for_xlsx(table, [], 5).note == "no variables"


def test_no_codebook_for_a_sheet_the_reader_fails_on(tmp_path: Path) -> None:
    # A TAB in a cell: Dataverse's second pass fails (the prediction says so too).
    path = write_workbook(tmp_path / "tab.xlsx", [[("s", "a"), ("s", "b")], [("n", "1"), ("s", "x\ty")]])
    pred = api.check([path]).files[0].dataverse
    assert pred is not None and pred.outcome.value == "fails"
    book = codebook_for_xlsx(path, [("a", "continuous"), ("b", "character")], 1)
    assert book.note == "the re-read found a sheet Dataverse cannot ingest"


def test_the_json_report_of_workbooks_with_their_codebook_is_schema_valid() -> None:
    import json

    from typer.testing import CliRunner

    from tabcheck.cli import app

    jsonschema = pytest.importorskip("jsonschema")
    folder = ROOT / "fixtures" / "xlsx"
    result = CliRunner().invoke(app, ["check", str(folder), "--codebook", "--format", "json", "-q"])
    data = json.loads(result.stdout)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    ingested = [f["dataverse"] for f in data["files"] if f["dataverse"]["outcome"] == "ingested"]
    assert ingested and all(d["unf"] and "codebook_note" not in d for d in ingested)
    good = next(f["dataverse"] for f in data["files"] if f["path"].endswith("good.xlsx"))
    assert [c["type"] for c in good["columns"]] == ["continuous", "character", "continuous"]
    assert good["columns"][0]["stats"]["mean"] == "1.5" and "stats" not in good["columns"][1]
    assert data["unf"] == _file_unf([d["unf"] for d in ingested])
