"""The sheet scanner's three ways of reading rows agree, and skipping plain rows in the
well-formedness check changes no verdict.

Rows are read as runs of narrow rows (one regex match and a few counts), as plain rows in bulk, or
cell by cell (tabcheck.workbook.sheet, .plainrows); expat skips runs of plain rows, replaced by a
marker (tabcheck.workbook.wellformed). The workbooks here are written by hand, byte for byte, so
that every irregularity the scanner tells apart sits among regular rows: each is read the three
ways (and the narrow way off), in large and small chunks, and the facts must be equal; each
malformed variant must give expat's very message and offset.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

import pytest

from tabcheck.facts.workbook import WorkbookFacts
from tabcheck.workbook import package, sheet, wellformed
from tabcheck.workbook.budgets import Budgets
from tabcheck.workbook.plainrows import PLAIN_ROW, below, narrow_rows
from tabcheck.workbook.reader import read_workbook
from tabcheck.workbook.wellformed import utf8_document

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PART = "xl/worksheets/sheet1.xml"

CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/></Types>'
)
ROOT_RELS = (
    HEAD + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    HEAD + f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
# cellXfs: 0 General, 1 a built-in date (14), 2 a custom date, 3 General again, 4 a date and time (22)
XFS = ["0", "14", "164", "0", "22"]


def _styles(xfs: list[str]) -> str:
    cells = "".join(f'<xf numFmtId="{fid}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for fid in xfs)
    return (
        HEAD + f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
        'formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts>'
        f'<cellXfs count="{len(xfs)}">{cells}</cellXfs></styleSheet>'
    )


def _strings(strings: list[str]) -> bytes:
    def esc(t: str) -> str:
        return t.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")

    items = "".join(f'<si><t xml:space="preserve">{esc(t)}</t></si>' for t in strings)
    return (
        HEAD + f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()


def write_workbook(path: Path, sheet_xml: bytes, strings: list[str], xfs: list[str] = XFS) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/sharedStrings.xml", _strings(strings))
        z.writestr("xl/styles.xml", _styles(xfs))
        z.writestr(PART, sheet_xml)
    return path


def worksheet(rows: str, head: str = HEAD, after: str = "") -> bytes:
    """A sheet part; lone surrogates in `rows` stand for raw bytes (\\udcff: the byte 0xFF)."""
    return (
        head + f'<worksheet xmlns="{MAIN}"><dimension ref="A1:H9"/><sheetData>{rows}</sheetData>'
        f"{after}</worksheet>"
    ).encode("utf-8", "surrogateescape")


# -- a table with every event the scanner tells apart, among calm stretches of regular rows ----------

HEADER = ["id", "value", "kind", "visit", "dose", "end", "sparse", "note"]  # A..H
VOCAB = ["alpha", "beta", "12", "NA", "3.5e2", "x y", "null", "Évry"]
STOPPING = ["", "tab\there", "line\nbreak", "cr\rx"]


def _table(rnd: random.Random, rows: int, variant: str) -> tuple[bytes, list[str]]:
    strings = HEADER + VOCAB + STOPPING
    if variant == "many-stopping":
        strings += [f"t\t{i}" for i in range(100)]
    if variant == "many-numeric-texts":
        strings += [f"{i}.5" for i in range(100)]  # numbers stored as text, in numeric columns
    index = {t: i for i, t in enumerate(strings)}
    n = len(strings)
    dated_sparse = variant == "three-date-columns"

    def s(col: str, r: int, text: str, style: str = "") -> str:
        return f'<c r="{col}{r}"{style} t="s"><v>{index[text]}</v></c>'

    # spans="1:12": Dataverse's handler takes 12 columns, cells in I and J are right of the header only
    out = [
        '<row r="1" spans="1:12">' + "".join(s(chr(65 + i), 1, h) for i, h in enumerate(HEADER)) + "</row>"
    ]
    r = 1
    for i in range(1, rows):
        r += 1
        busy = (i // 150) % 3 == 1 and i > 40
        p = 0.08 if busy else 0.0
        late = i > rows * 0.7

        def event(q: float = 1.0) -> bool:
            return rnd.random() < p * q  # noqa: B023 -- p of this row

        if event(0.5):
            r += rnd.randint(1, 3)  # row numbers skip: blank gaps
        attrs = ' spans="1:8"'
        if event(0.3):
            attrs = ""
        if event(0.3):
            attrs += rnd.choice(
                [
                    ' ht="20" customHeight="1"',
                    ' x14ac:dyDescent="0.25"',
                    ' s="3" customFormat="1"',
                    ' a="R&amp;D"',
                ]
            )
        if event(0.2):
            attrs = rnd.choice([' spans="1:8 10:12"', ' spans="1:8" ht="1"', ' spans="0001:8"'])
        if event(0.3):
            out.append(
                rnd.choice(
                    [
                        f'<row r="{r}"{attrs}/>',
                        f'<row r="{r}"{attrs}></row>',
                        f'<row r="{r}"{attrs}><c r="G{r}" s="3"/></row>',
                        f'<row r="{r}"{attrs}><c r="A{r}" t="s"><v>{index[""]}</v></c></row>',
                    ]
                )
            )
            continue
        cells = [f'<c r="A{r}"><v>{i}</v></c>']
        if variant == "many-numeric-texts" and rnd.random() < 0.3:
            cells = [s("A", r, f"{rnd.randrange(100)}.5")]
        value = rnd.choice([str(i * 1.5), str(-i), f"{i}e-7", "0", "5.", "1E+22"])
        if event():
            cells.append(
                rnd.choice(
                    [
                        f'<c r="B{r}" t="n"><v>{value}</v></c>',
                        f'<c r="B{r}"><f>A{r}*2</f><v>{2 * i}</v></c>',
                        f'<c r="B{r}"><f>A{r}*2</f></c>',
                        f'<c r="B{r}"><f>A{r}*0</f><v>0</v></c>',
                        f'<c r="B{r}" t="e"><v>#DIV/0!</v></c>',
                        f'<c r="B{r}" t="b"><v>1</v></c>',
                        f'<c r="B{r}" t="str"><f>"a"</f><v>a</v></c>',
                        f'<c r="B{r}"><v></v></c>',
                        f'<c r="B{r}" s="0{1 if variant == "mixed" else 3}"><v>{value}</v></c>',
                        f'<c r="B{r}" s="1" t="s"><v>{index["beta"]}</v></c>',
                        f"<c><v>{value}</v></c>"
                        if variant == "trace-fails"
                        else f'<c r="B{r}"><v>-0</v></c>',
                    ]
                )
            )
        else:
            cells.append(f'<c r="B{r}"><v>{value}</v></c>')
        if event():
            text = rnd.choice(
                [
                    *STOPPING,
                    f"t\t{rnd.randrange(100)}" if variant == "many-stopping" else "alpha",
                    "out-of-range",
                    "leading-zero",
                    "inline",
                ]
            )
            if text == "out-of-range":
                cells.append(f'<c r="C{r}" t="s"><v>{n if variant == "bad-index" else n - 1}</v></c>')
            elif text == "leading-zero":
                cells.append(f'<c r="C{r}" t="s"><v>0{index["beta"]}</v></c>')
            elif text == "inline":
                cells.append(f'<c r="C{r}" t="inlineStr"><is><t>a &amp; b\r\nc</t></is></c>')
            else:
                cells.append(s("C", r, text))
        else:
            cells.append(s("C", r, rnd.choice(VOCAB)))
        if rnd.random() < 0.9:
            style = rnd.choice([' s="1"', ' s="4"']) if event() else ' s="1"'
            cells.append(f'<c r="D{r}"{style}><v>{40000 + i % 900}</v></c>')
        if late and not busy and rnd.random() < 0.05:
            cells.append(s("E", r, rnd.choice(["alpha", "12", "NA"])))  # the column turns text late
        elif event(0.3):
            cells.append(s("E", r, rnd.choice(["12", "NA"])))  # texts Dataverse takes as numbers
        else:
            cells.append(f'<c r="E{r}"><v>{i % 7}</v></c>')
        cells.append(f'<c r="F{r}" s="2"><v>{41000 + i % 300}</v></c>')
        g = rnd.random()
        if dated_sparse and g < 0.3:
            cells.append(f'<c r="G{r}" s="1"><v>{43000 + i}</v></c>')
        elif g < 0.5:
            cells.append(f'<c r="G{r}" s="3"/>')
        elif event(0.5) and variant != "two-date-columns":
            cells.append(f'<c r="G{r}" s="1"><v>{43000 + i}</v></c>')  # a date where none was
        if 1810 <= i < 1814:  # calm rows: the first dates of a column, among narrow rows
            cells.append(f'<c r="H{r}" s="1"><v>{44000 + i}</v></c>')
        else:
            cells.append(s("H", r, rnd.choice(VOCAB[:4])))
        if event(0.5):
            cells.append(f'<c r="{rnd.choice(["I", "J"])}{r}"><v>{i}</v></c>')  # right of the header
        if not busy and i % 97 == 0:
            cells.append(f'<c r="K{r}" s="3"/><c r="AB{r}" s="3"/>')  # empty cells far right
        if variant == "trace-fails" and event(0.1):
            cells.append(f'<c r="XFD{r}" s="3"/>')  # a reference Dataverse's handler cannot place
        if variant == "trace-fails" and i == rows // 2:
            cells.append(f'<c r="Z{r}"><v>1</v></c>')  # right of the declared width
        sep = ""
        if event(0.3):
            sep = rnd.choice(["\n", "\n  ", "<!-- note -->", "<?pi x?>"])
        out.append(f'{sep}<row r="{r}"{attrs}>{"".join(cells)}</row>')
    return worksheet(
        "".join(out), after='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    ), strings


def _read_ways(path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None) -> dict[str, WorkbookFacts]:
    """The workbook read the three ways (and plain rows only), in chunks of `chunk` bytes."""
    if chunk:
        monkeypatch.setattr(package, "CHUNK", chunk)
    out = {}
    for name, fast, narrow in [("narrow", True, True), ("plain", True, False), ("exact", False, True)]:
        monkeypatch.setattr(sheet, "FAST_PATH", fast)
        monkeypatch.setattr(sheet, "NARROW_PATH", narrow)
        out[name] = read_workbook(path)
    monkeypatch.setattr(sheet, "FAST_PATH", True)
    monkeypatch.setattr(sheet, "NARROW_PATH", True)
    return out


class _Spy:
    """Rows each bulk way counted, and what expat was given, while reading."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.narrow = self.bulk = 0
        self.sent: list[tuple[int, int, int]] = []  # (part bytes, bytes given to expat, markers)
        narrow, bulk, finish = (
            sheet.SheetScanner._narrow_bulk,
            sheet.SheetScanner._bulk,
            wellformed.Validator.finish,
        )

        def narrow_spy(scanner, seg, lo, hi):
            done = narrow(scanner, seg, lo, hi)
            self.narrow += seg.count(b"<row ", lo, hi) if done else 0
            return done

        def bulk_spy(scanner, seg, run, lo, hi):
            done = bulk(scanner, seg, run, lo, hi)
            self.bulk += hi - lo if done else 0
            return done

        def finish_spy(validator, chunks):
            self.sent.append((validator.fed, validator.sent, validator.markers))
            return finish(validator, chunks)

        monkeypatch.setattr(sheet.SheetScanner, "_narrow_bulk", narrow_spy)
        monkeypatch.setattr(sheet.SheetScanner, "_bulk", bulk_spy)
        monkeypatch.setattr(wellformed.Validator, "finish", finish_spy)


VARIANTS = [
    "mixed",
    "two-date-columns",
    "three-date-columns",
    "many-stopping",
    "many-numeric-texts",
    "trace-fails",
    "bad-index",
]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("chunk", [None, 4096])
def test_the_three_ways_give_the_same_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant, chunk):
    rnd = random.Random(f"{variant}-{chunk}")
    xml, strings = _table(rnd, 2400, variant)
    path = write_workbook(tmp_path / f"{variant}.xlsx", xml, strings)
    spy = _Spy(monkeypatch)
    ways = _read_ways(path, monkeypatch, chunk)
    assert ways["narrow"] == ways["plain"] == ways["exact"]
    facts = ways["exact"]
    assert facts.corrupt is None and not facts.problems
    data = facts.read_sheet
    assert data.formula_cells.count and data.error_cells.count and data.wide_cells.count
    assert data.newline_cells.count and data.tab_cells.count and data.blank_gaps
    assert {4, 6, 8} <= set(data.date_cells)
    trace = facts.trace
    if variant == "trace-fails":
        assert trace.failure is not None and trace.failure_row > 30
    elif variant == "bad-index":
        assert trace.failure == f"Index {len(strings)} out of bounds for length {len(strings)}"
    else:
        assert trace.failure is None and not trace.numeric[4] and trace.numeric[0]
    assert spy.narrow > 600  # the narrow way read much of it (once of the three readings)...
    assert spy.bulk > 100  # ...and the plain way the rest of the calm rows
    if chunk:  # expat was given the whole part (the exact way), and a part of it only (the others)
        assert all(fed == len(xml) for fed, _, _ in spy.sent)
        assert any(sent == len(xml) and not markers for _, sent, markers in spy.sent)
        assert any(sent < len(xml) / 2 and markers for _, sent, markers in spy.sent)


def test_date_styles_by_the_hundred_read_plain_rows_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Over 200 date styles, the date regex of the bulk paths is not made: narrow rows are not used."""
    xml, strings = _table(random.Random(3), 1200, "mixed")
    path = write_workbook(tmp_path / "styles.xlsx", xml, strings, XFS + ["14"] * 250)
    spy = _Spy(monkeypatch)
    ways = _read_ways(path, monkeypatch, 4096)
    assert ways["narrow"] == ways["plain"] == ways["exact"]
    assert spy.narrow == 0 and spy.bulk > 100


# -- plain rows the bulk path used to count wrongly: now read the exact way ------------------------

REGULAR = '<row r="{r}" spans="1:3"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1.5</v></c><c r="C{r}"><v>7</v></c></row>'
TOP = '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'


def _rows(n: int, special: dict[int, str]) -> str:
    return TOP + "".join(special.get(r) or REGULAR.format(r=r) for r in range(2, n + 1))


@pytest.mark.parametrize(
    "row, what",
    [
        ('<row r="50" spans="1:3"><c r="A50" s="1"/></row>', "blank"),  # styled empty cells only
        ('<row r="50" spans="1:3"></row>', "blank"),
        ('<row r="50" spans="1:99999999"><c r="A50"><v>1</v></c></row>', "limit"),
        ('<row r="50" spans="1:3">' + '<c r="A50"/>' * 20000 + '<c r="A50"><v>1</v></c></row>', "limit"),
        ('<row r="50" spans="1:3" ht="1" ht="2"><c r="A50"><v>1</v></c></row>', "malformed"),
        ('<row r="50" spans="1:3" 1a="2"><c r="A50"><v>1</v></c></row>', "malformed"),
    ],
)
def test_rows_the_bulk_path_cannot_count_are_read_the_exact_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: str, what: str
):
    path = write_workbook(tmp_path / "w.xlsx", worksheet(_rows(200, {50: row})), ["id", "name", "score"])
    ways = _read_ways(path, monkeypatch, 4096)
    assert ways["narrow"] == ways["plain"] == ways["exact"]
    facts = ways["exact"]
    if what == "blank":
        assert facts.read_sheet.blank_gaps == [(50, 1)] and facts.read_sheet.value_rows == 199
    elif what == "limit":
        assert facts.corrupt is not None and facts.corrupt.kind == "limit"
    else:
        assert facts.read_sheet.problem and facts.problems


# -- the well-formedness check with markers: expat's own verdict, message and offset --------------


def _expat(data: bytes, chunk: int) -> str | None:
    """What expat says of the part, given in chunks as the package streams it (None: well-formed)."""
    parser = expat.ParserCreate()
    try:
        for i in range(0, len(data), chunk):
            parser.Parse(data[i : i + chunk], False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        return str(exc)
    return None


PLAIN_RUN = "".join(REGULAR.format(r=r) for r in range(2, 400))
CUT = PLAIN_RUN.index("<row", 9000)  # a row boundary, two chunks of 4 KiB in
LATER = "".join(REGULAR.format(r=r) for r in range(401, 800))
ODD = '<row r="400" spans="1:3"><c r="A400" t="inlineStr"><is><t>{}</t></is></c></row>'
# a plain row may hold "--" (in an attribute value): in a comment, that is malformed
DOUBLE_DASH_IN_A_COMMENT = (
    TOP
    + PLAIN_RUN[:CUT]
    + "<!-- "
    + PLAIN_RUN[CUT:].replace(' spans="1:3"', ' spans="1:3" x="a--b"')
    + " -->"
    + LATER
)
MALFORMED = {
    "well-formed": worksheet(TOP + PLAIN_RUN + ODD.format("ok") + LATER),
    "rows-in-a-comment": worksheet(TOP + PLAIN_RUN[:CUT] + "<!-- " + PLAIN_RUN[CUT:] + " -->" + LATER),
    "rows-in-cdata": worksheet(TOP + "<![CDATA[" + PLAIN_RUN + "]]>" + LATER),
    "double-dash-in-a-comment": worksheet(DOUBLE_DASH_IN_A_COMMENT),
    "comment-with-double-dash": worksheet(
        TOP + PLAIN_RUN[:CUT] + "<!-- -" + PLAIN_RUN[CUT:] + "- -->" + LATER
    ),
    "double-dash-in-a-comment-then-cdata": worksheet(DOUBLE_DASH_IN_A_COMMENT + "<![CDATA[x]]>"),
    "rows-after-the-root": worksheet(TOP + PLAIN_RUN) + LATER.encode(),
    "rows-before-the-root": HEAD.encode() + PLAIN_RUN.encode() + worksheet(TOP, head=""),
    "rows-in-an-attribute": worksheet(TOP + '<x a="' + PLAIN_RUN + '"/>' + LATER),
    "rows-in-a-tag": worksheet(TOP + "<x " + PLAIN_RUN + "/>" + LATER),
    "rows-in-a-pi": worksheet(TOP + "<?pi " + PLAIN_RUN + "?>" + LATER),
    "truncated": worksheet(TOP + PLAIN_RUN + LATER)[:-40],
    "bad-utf8": worksheet(TOP + PLAIN_RUN + ODD.format("\udcff") + LATER),
    "unknown-entity": worksheet(TOP + PLAIN_RUN + ODD.format("&bogus;") + LATER),
    "unclosed-cell": worksheet(TOP + PLAIN_RUN + '<row r="400"><c r="A400"><v>1</v></row>' + LATER),
    "cdata-end-in-content": worksheet(TOP + PLAIN_RUN + "]]>" + LATER),
    "doctype-late": worksheet(TOP + PLAIN_RUN + "<!DOCTYPE x>" + LATER),
    "pi-between-rows": worksheet(TOP + PLAIN_RUN + "<?pi x?>" + LATER),
    "latin-1": worksheet(
        TOP + PLAIN_RUN + ODD.format("\udce9") + LATER, head=HEAD.replace("UTF-8", "ISO-8859-1")
    ),
    "latin-1-wrong": worksheet(
        TOP + PLAIN_RUN + ODD.format("é") + LATER, head=HEAD.replace("UTF-8", "ISO-8859-1")
    ),
    "bom": b"\xef\xbb\xbf" + worksheet(TOP + PLAIN_RUN + LATER),
    "no-declaration": worksheet(TOP + PLAIN_RUN + LATER, head=""),
    "utf-16": ("\ufeff" + worksheet(TOP + PLAIN_RUN + LATER).decode()).encode("utf-16-le"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
@pytest.mark.parametrize("chunk", [4096, 65536])
def test_skipping_plain_rows_keeps_expat_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, chunk: int
):
    data = MALFORMED[name]
    path = write_workbook(tmp_path / f"{name}.xlsx", data, ["id", "name", "score"])
    spy = _Spy(monkeypatch)
    ways = _read_ways(path, monkeypatch, chunk)
    assert ways["narrow"] == ways["plain"] == ways["exact"]
    facts = ways["narrow"]
    expected = _expat(data, chunk)
    if name == "utf-16":
        return  # no root element found by the scanner: a problem of its own (the verdicts agree above)
    assert facts.corrupt is None
    problem = facts.sheets[0].problem
    assert problem == (f"{PART}: {expected}" if expected else None), name
    if name in ("well-formed", "pi-between-rows", "bom", "no-declaration") and chunk == 4096:
        assert any(markers and sent < fed / 2 for fed, sent, markers in spy.sent)  # markers did the work


def test_reading_a_part_again_is_not_counted_twice(tmp_path: Path):
    """A malformed part is read again whole for expat's message: within the expansion budget."""
    data = MALFORMED["unclosed-cell"]
    path = write_workbook(tmp_path / "w.xlsx", data, ["id", "name", "score"])
    with zipfile.ZipFile(path) as z:
        total = sum(i.file_size for i in z.infolist())
    facts = read_workbook(path, Budgets(max_total_expanded=total + 100))
    assert facts.corrupt is None and facts.sheets[0].problem == f"{PART}: {_expat(data, package.CHUNK)}"


# -- the vocabularies --------------------------------------------------------------------------------


def test_below_writes_the_integers_under_a_bound():
    rnd = random.Random(1)
    bounds = [
        *range(0, 300),
        *(10**k + d for k in range(1, 10) for d in (-1, 0, 1)),
        *rnd.sample(range(10**9), 50),
    ]
    for n in bounds:
        rx = re.compile(below(n) + b"<")
        tries = {0, 1, 9, 10, n - 1, n, n + 1, 10 * n, *rnd.sample(range(0, 2 * n + 3), min(2 * n + 3, 40))}
        for i in tries:
            if i >= 0:
                assert (rx.fullmatch(b"%d<" % i) is not None) == (i < n), (n, i)
                assert rx.fullmatch(b"0%d<" % i) is None  # never a leading zero


def test_utf8_documents():
    assert utf8_document(HEAD.encode() + b"<worksheet>")
    assert utf8_document(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><w>')
    assert utf8_document(b'<?xml version="1.0"?><w>') and utf8_document(b"<worksheet>")
    assert not utf8_document(b'<?xml version="1.0" encoding="ISO-8859-1"?><w>')
    assert not utf8_document(b"<\x00?\x00x\x00") and not utf8_document(b"\xff\xfe<\x00")
    assert not utf8_document(b" <w>") and not utf8_document(b'<?xml version="1.0" ')


def test_plain_and_narrow_rows_are_well_formed_xml():
    """Whatever a plain or narrow row regex takes, expat takes inside an element."""
    rnd = random.Random(5)
    plain = re.compile(PLAIN_ROW)
    narrow = narrow_rows(5, [1, 2], [3], [1], False, 30, [4], [7])
    narrow_any = narrow_rows(5, [1, 2], [3], [1], True, 30, [], None)
    attrs = [' spans="1:5"', ' spans="1:5 7:8"', ' ht="2"', ' x:y="&amp;"', ' a="<"', ' 1a="2"', ' :a="\'"']
    attrs += [' b="\x01"', ' c="\xc3\xa9"', ' ht="3"', ' ht = "3"', " d='4'"]
    cells = ['<c r="A7"><v>1</v></c>', '<c r="C7" s="1"><v>-2.5e3</v></c>', '<c r="B7" t="s"><v>7</v></c>']
    cells += [
        '<c r="D7" t="s"><v>29</v></c>',
        '<c r="ZZ7" s="03"/>',
        '<c r="E7" s="2"/>',
        '<c r="F7"><v>&#49;</v></c>',
    ]
    cells += ['<c r="A7"><v>1</v><c>', '<c r="A7" s="1" s="1"/>', '<c r="A7"><v>1</v ></c>']
    seen = 0
    for _ in range(20000):
        head = '<row r="7"' + "".join(rnd.choice(attrs) for _ in range(rnd.choice([0, 0, 1, 2, 3]))) + ">"
        row = (head + "".join(rnd.choice(cells) for _ in range(rnd.randint(0, 4))) + "</row>").encode(
            "latin-1"
        )
        for rx in (plain, narrow, narrow_any):
            if rx.fullmatch(row) is not None:
                seen += 1
                assert _expat(b"<sheetData>" + row + b"</sheetData>", 1 << 20) is None, row
    assert seen > 1000
