"""Property: random sheets of numbers, numbers and dates typed as text, words and missing-value codes
→ `fix` writes every value as the user meant it, or leaves it as typed.

The sheet's CSV gets the text table's repairs (fix/sheet_repairs.py), which read only text: a
number cell written 1.125 looks, to them, like a text one thousand one hundred and twenty-five
beside a text 0,5. The oracle here knows each cell as it was generated: a number cell must come
out as the same number; a text cell as it was typed, or, where fix declares it converted that
column, as the number or date it stands for (0,5 → 0.5, 13/01/2021 → 2021-01-13). It is computed
from the generated values, not by re-reading the workbook.

CI runs 40 examples; `TABCHECK_FIX_EXAMPLES=10000 pytest tests/test_fix_workbook_properties.py` runs
2,000 by hand. Without the guard of fix/sheet_repairs.py (Output.fraction_columns) it finds the
defect that guard closes (1.625 written 1625) within a few hundred examples.
"""

from __future__ import annotations

import csv
import datetime
import os
import tempfile
from pathlib import Path

import xlsxwriter  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.checker import Settings
from tabcheck.fix import fix_paths

# A fifth of the text tables' count (a workbook costs more): 40 in CI, 2,000 with 10,000 by hand.
EXAMPLES = max(10, int(os.environ.get("TABCHECK_FIX_EXAMPLES", "200")) // 5)

NUMBER = st.one_of(
    st.integers(-5000, 5000),
    st.floats(-5000, 5000, allow_nan=False).map(lambda x: round(x, 3)),
)
DATE = st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31))


@st.composite
def cell(draw: st.DrawFn, kind: str) -> tuple[str, object]:
    """(kind, value) of one cell of a column whose main kind is `kind` (now and then another)."""
    if draw(st.integers(0, 9)) == 0:
        kind = draw(st.sampled_from(["number", "comma-text", "date-text", "missing", "word"]))
    if kind == "number":
        return "number", draw(NUMBER)
    if kind == "comma-text":
        whole, decimals = draw(st.integers(0, 999)), draw(st.integers(0, 99))
        return "comma-text", f"{whole},{decimals:02d}"
    if kind == "date-text":
        return "date-text", draw(DATE)
    if kind == "missing":
        return "missing", draw(st.sampled_from(["NA", "", "n/a"]))
    return "word", draw(st.sampled_from(["Brest", "voir note", "ok", "A12"]))


@st.composite
def sheets(draw: st.DrawFn) -> list[list[tuple[str, object]]]:
    kinds = draw(
        st.lists(st.sampled_from(["number", "comma-text", "date-text", "word"]), min_size=1, max_size=4)
    )
    rows = draw(st.integers(2, 25))
    return [[draw(cell(k)) for k in kinds] for _ in range(rows)]


def _write(path: Path, rows: list[list[tuple[str, object]]], order: str) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Data")
    for c in range(len(rows[0])):
        ws.write_string(0, c, f"c{c}")
    for r, row in enumerate(rows, start=1):
        for c, (kind, value) in enumerate(row):
            if kind == "number":
                ws.write_number(r, c, value)
            elif kind == "date-text":
                assert isinstance(value, datetime.date)
                first, second = (value.day, value.month) if order == "dmy" else (value.month, value.day)
                ws.write_string(r, c, f"{first:02d}/{second:02d}/{value.year}")
            elif value != "":
                ws.write_string(r, c, str(value))
    wb.close()


def _typed(kind: str, value: object, order: str) -> str:
    """The text the user typed (a date in its order), or the number's shortest form."""
    if kind == "date-text":
        assert isinstance(value, datetime.date)
        first, second = (value.day, value.month) if order == "dmy" else (value.month, value.day)
        return f"{first:02d}/{second:02d}/{value.year}"
    return str(value)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(sheets(), st.sampled_from(["dmy", "mdy"]))
def test_fix_writes_each_sheet_value_as_meant_or_as_typed(
    rows: list[list[tuple[str, object]]], order: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        _write(src / "t.xlsx", rows, order)
        run = fix_paths([src], Path(tmp) / "out", Settings())
        (m,) = run.files
        assert m.error is None and m.refused is None
        out = Path(tmp) / "out" / "t.xlsx.csv"
        with open(out, encoding="utf-8", newline="") as fh:
            written = list(csv.reader(fh))
        converted = {(t.name, t.where) for t in m.transformations if t.count}
        # Data rows only: a row of missing values alone is dropped (declared), the others keep their order.
        kept = [row for row in rows if any(k != "missing" or v not in ("", None) for k, v in row)]
        assert len(written) == len(kept) + 1
        for row, out_row in zip(kept, written[1:], strict=True):
            for c, ((kind, value), text) in enumerate(zip(row, out_row, strict=True)):
                name = f"c{c}"
                if kind == "number":
                    assert float(text) == float(value), (value, text)  # type: ignore[arg-type]
                elif kind == "comma-text" and ("decimal-point", name) in converted:
                    assert float(text) == float(str(value).replace(",", ".")), (value, text)
                elif kind == "date-text" and ("iso-date", name) in converted:
                    assert text == value.isoformat(), (value, text)  # type: ignore[union-attr]
                elif kind == "missing" and value == "NA" and ("empty-null", name) in converted:
                    assert text in ("NA", "")
                else:
                    assert text == _typed(kind, value, order), (kind, value, text)
