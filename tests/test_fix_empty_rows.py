"""Rows of empty cells (`;;`: an empty row of a spreadsheet, exported).

Dataverse reads each as an observation whose values are all missing: the number of observations
it shows is wrong. The check says so (TC205, variant empty-cells); `fix` drops them, declared with
the empty lines (drop-blank-lines), and verifies the rest cell by cell.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tabcheck import api
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _found(path: Path) -> list[tuple[str, str, str, int | None, int | None, int]]:
    r = api.check([path]).files[0]
    return [
        (f.code, f.variant, f.severity.value, f.location.row, f.location.line, f.count)
        for f in r.findings
        if f.rule == "blank-line"
    ]


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        ("a.csv", b"id,nom\n1,a\n,\n2,b\n,\n", [("TC205", "empty-cells", "warning", 3, 3, 2)]),
        ("b.csv", b"id;nom;val\r\n1;a;2\r\n;;\r\n", [("TC205", "empty-cells", "warning", 3, 3, 1)]),
        ("c.tsv", b"id\tnom\n1\ta\n\t\n2\tb\n", [("TC205", "empty-cells", "warning", 3, 3, 1)]),
        # values between quotes, or blanks Dataverse's TSV reader trims: not rows of delimiters only
        ("d.csv", b'id,nom\n1,a\n"",""\n', []),
        ("e.tsv", b"id\tnom\n1\ta\n \t \n", []),
        # one column: an empty line is a missing value, not a row of empty cells
        ("f.csv", b"id\n1\n\n2\n", []),
    ],
)
def test_the_check_says_which_rows_hold_only_empty_cells(tmp_path, name, data, found) -> None:
    assert _found(_file(tmp_path, name, data)) == found


def test_fix_drops_them_declared_and_verified(tmp_path) -> None:
    src = _file(tmp_path, "t.csv", b"id;nom;val\r\n1;a;2,5\r\n;;\r\n2;b;3,5\r\n;;\r\n;;\r\n")
    run = fix_paths([src], tmp_path / "out", Settings())
    m = run.files[0]
    out = tmp_path / "out" / "t.csv"
    assert out.read_text(encoding="utf-8") == "id,nom,val\n1,a,2.5\n2,b,3.5\n"
    done = {t.name: t.count for t in m.transformations}
    assert done["drop-blank-lines"] == 3
    assert m.verified and run.exit_code == 0
    r = api.check([out]).files[0]
    assert (r.findings, r.dataverse.observations) == ([], 2)


def test_a_file_with_empty_rows_is_fixed_by_the_exact_path(tmp_path) -> None:
    """The vectorised path copies rows as they are: a file the check found empty rows in goes to the
    exact path, which drops them."""
    rows = b"".join(b"%d;x%d;%d,5\n" % (i, i, i) for i in range(40_000))
    src = _file(tmp_path, "big.csv", b"id;nom;val\n" + rows + b";;\n" + rows)
    run = fix_paths([src], tmp_path / "out", Settings())
    m = run.files[0]
    assert m.verified and run.exit_code == 0
    assert {t.name: t.count for t in m.transformations}["drop-blank-lines"] == 1
    text = (tmp_path / "out" / "big.csv").read_text(encoding="utf-8")
    assert "\n,,\n" not in text and text.count("\n") == 80_001
