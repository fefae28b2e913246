"""Property: random tables × defects × encodings × delimiters × quoting → fix refuses, or loses nothing.

Tables are written as Excel, LibreOffice, pandas and R write them (quoting all or only where needed,
CRLF or LF, a BOM or not, `;` with decimal commas in French exports), with defects added (a title
row, blank lines, rows of empty cells, `null` in numeric columns, line breaks in cells, long cells,
spaces, a delimiter at the end of the lines). The fix must
either refuse the file or write an output Dataverse reads as one table whose every value equals the
source's after the declared transformations — checked here by an oracle of its own, from the
values the table was generated from (not by re-reading the source).

CI runs a few hundred examples; `TABCHECK_FIX_EXAMPLES=10000 pytest tests/test_fix_properties.py`
runs more by hand.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.checker import Settings
from tabcheck.fix import fix_paths

EXAMPLES = int(os.environ.get("TABCHECK_FIX_EXAMPLES", "200"))

WORDS = st.sampled_from(
    ["Brest", "Orléans", "Béziers", "été", "a, b", 'dit "oui"', "  padded ", "x", "Zoë", "naïve", "ça"]
)
FREE_TEXT = st.text(
    alphabet=st.characters(
        codec="cp1252", exclude_categories=("Cs", "Cc"), exclude_characters='\r\n"\u2028\u2029\x85'
    ),
    min_size=1,
    max_size=12,
).filter(
    # Text, not a number, nor `null`: a column whose only values are `null` is numeric for Dataverse
    # (stored as 0), and fix empties it, as declared (the null-int columns test that).
    lambda s: (
        s.strip()
        and not s.strip().replace(".", "").replace(",", "").isdigit()
        and s.strip().lower() != "null"
    )
)


DATES = st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31))


def _date_text(d: datetime.date, t: dict[str, object]) -> str:
    """A date as a spreadsheet writes it in the table's locale."""
    pad = "02d" if t["date_padded"] else "d"
    first, second = (d.day, d.month) if t["date_order"] == "dmy" else (d.month, d.day)
    sep = str(t["date_separator"])
    return f"{first:{pad}}{sep}{second:{pad}}{sep}{d.year}"


@st.composite
def tables(draw: st.DrawFn) -> dict[str, object]:
    ncols = draw(st.integers(2, 6))
    nrows = draw(st.integers(1, 25))
    kinds = [
        draw(st.sampled_from(["int", "dec", "text", "null-int", "date", "timestamp"])) for _ in range(ncols)
    ]
    kinds[0] = "int"
    header = [f"col{i}_{k}" for i, k in enumerate(kinds)]
    rows: list[list[tuple[str, object]]] = []  # (kind, true value)
    for r in range(nrows):
        row: list[tuple[str, object]] = []
        for k in kinds:
            if k == "int" or (k == "null-int" and (r == 0 or draw(st.booleans()))):
                row.append(("int", draw(st.integers(-5000, 99999)) if r else 1))
            elif k == "null-int":
                row.append(("null", "null"))
            elif k == "date":
                row.append(("date", draw(DATES)))
            elif k == "timestamp":  # a sensor's, in the table's style (see _render)
                when = (
                    draw(DATES),
                    draw(st.integers(0, 23)),
                    draw(st.integers(0, 59)),
                    draw(st.integers(0, 59)),
                )
                row.append(("timestamp", when))
            elif k == "dec":
                whole = draw(st.integers(0, 99999))
                frac = draw(st.integers(1, 99))
                row.append(("dec", (whole, f"{frac:02d}")))
            else:
                row.append(("text", draw(st.one_of(WORDS, FREE_TEXT))))
        rows.append(row)
    return {
        "header": header,
        "rows": rows,
        "writer": draw(st.sampled_from(["excel-fr", "libreoffice-fr", "pandas", "r", "excel-en"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        "crlf": draw(st.booleans()),
        "title": draw(st.booleans()),
        "blank_lines": draw(st.integers(0, 2)),
        "empty_rows": draw(st.integers(0, 2)),  # rows of empty cells (`;;`), after the last row
        "cell_break": draw(st.booleans()),
        # a delimiter at the end of the lines: of the header, of the data rows, of both, or none
        "trailing": draw(st.sampled_from(["none", "header", "data", "both"])),
        # an unnamed first column (R's row names, pandas' index): fix names it A
        "index": ncols >= 3 and draw(st.booleans()),
        # the last column named as the second one (a column copied): fix writes it name_2
        "repeated": ncols >= 3 and draw(st.booleans()),
        # dates day first (France) or month first (the United States), their separator, zero-padded or not
        "date_order": draw(st.sampled_from(["dmy", "mdy"])),
        "date_separator": draw(st.sampled_from(["/", ".", "-"])),
        "date_padded": draw(st.booleans()),
        "date_time": draw(st.booleans()),  # 25/12/2020 14:30, as a spreadsheet writes a date-time
        # date-times as an instrument writes them: 2020-12-25 14:30, 2020-12-25T14:30(:15), or
        # 2020-12-25 14:30:15, Dataverse's own (nothing to change)
        "time_style": draw(st.sampled_from(["space-minutes", "T-minutes", "T-seconds", "space-seconds"])),
    }


def _render(t: dict[str, object]) -> tuple[bytes, list[list[str]], str]:
    """The file's bytes, the values Dataverse must read from the output, and the delimiter."""
    writer_kind = str(t["writer"])
    french = writer_kind.endswith("-fr")
    delimiter = ";" if french else ","
    quoting = {
        "excel-fr": csv.QUOTE_MINIMAL,
        "libreoffice-fr": csv.QUOTE_MINIMAL,
        "pandas": csv.QUOTE_MINIMAL,
        "r": csv.QUOTE_NONNUMERIC,
        "excel-en": csv.QUOTE_MINIMAL,
    }[writer_kind]
    newline = "\r\n" if t["crlf"] else "\n"
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    header = list(t["header"])  # type: ignore[call-overload]
    if t["repeated"]:
        header[-1] = header[1]
    expected: list[list[str]] = [[*header[:-1], f"{header[1]}_2"] if t["repeated"] else header]
    if t["index"]:
        expected = [["A", *expected[0][1:]]]
        header = ["", *header[1:]]
    trailing = str(t["trailing"])
    if t["title"]:  # as wide as the header, as Excel writes every line of the sheet's range
        width = len(header) + (trailing in ("header", "both"))
        buf.write(f"Relevés de la station{delimiter * (width - 1)}{newline}")
    w.writerow([*header, ""] if trailing in ("header", "both") else header)
    rows = t["rows"]
    assert isinstance(rows, list)
    # A column of dates is written yyyy-mm-dd when a day above 12 tells its order; else as it is.
    told = {c for c in range(len(header)) if any(r[c][0] == "date" and r[c][1].day > 12 for r in rows)}
    for i, row in enumerate(rows):
        written: list[str | float] = []
        want: list[str] = []
        for kind, value in row:
            if kind == "int":
                written.append(str(value))
                want.append(str(value))
            elif kind == "null":
                written.append("null")
                want.append("")
            elif kind == "timestamp":
                d, h, m, s = value  # type: ignore[misc]
                style = str(t["time_style"])
                sep = "T" if style.startswith("T") else " "
                seconds = style.endswith("seconds")
                written.append(f"{d.isoformat()}{sep}{h}:{m:02d}" + (f":{s:02d}" if seconds else ""))
                want.append(
                    f"{d.isoformat()} {h}:{m:02d}:{s if seconds else 0:02d}"
                )  # as Dataverse reads one
            elif kind == "date":
                assert isinstance(value, datetime.date)
                clock = f" {value.day % 24}:{value.month:02d}" if t["date_time"] else ""
                written.append(_date_text(value, t) + clock)
                iso = value.isoformat() + (f"{clock}:00" if clock else "")
                want.append(iso if len(want) in told else written[-1])  # type: ignore[arg-type]
            elif kind == "dec":
                whole, frac = value  # type: ignore[misc]
                written.append(f"{whole},{frac}" if french else f"{whole}.{frac}")
                want.append(f"{whole}.{frac}")
            else:
                text = str(value)
                if t["cell_break"] and i == 0:
                    text = f"ligne 1\r\nligne 2 {text}"
                    want.append(text.replace("\r\n", "\n"))
                else:
                    want.append(text)
                written.append(text)
        w.writerow([*written, ""] if trailing in ("data", "both") else written)
        expected.append(want)
        if i == 0:
            buf.write(newline * int(t["blank_lines"]))  # type: ignore[call-overload]
    for _ in range(int(t["empty_rows"])):  # type: ignore[call-overload]
        # as spreadsheets export an empty row: delimiters only, whatever the quoting of values
        buf.write(delimiter * (len(header) - 1 + (trailing in ("data", "both"))) + newline)
    text = buf.getvalue()
    encoding = str(t["encoding"])
    return text.encode(encoding), expected, delimiter


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tables())
def test_fix_refuses_or_loses_nothing(t: dict[str, object]) -> None:
    data, expected, _delimiter = _render(t)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in" / "table.csv"
        src.parent.mkdir()
        src.write_bytes(data)
        # Windows-1252 is given, as a user answering the refusal would: on a few random characters
        # the sniff can be sure of a wrong single-byte code page (reported apart, not fix's to judge).
        given = "cp1252" if t["encoding"] == "cp1252" else None
        run = fix_paths([src], Path(tmp) / "out", Settings(encoding=given))
        m = run.files[0]
        assert m.error is None, m.error
        if m.refused is not None:
            return  # a refusal says what to pass: allowed
        assert m.verified, [o.verification for o in m.outputs]
        out = Path(tmp) / "out" / "table.csv"
        raw = out.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        got = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert got == expected
        if t["title"]:
            notes = (Path(tmp) / "out" / "table.notes.txt").read_text(encoding="utf-8")
            assert notes == "Relevés de la station\n"
