"""A name several columns hold (TC302, which Dataverse refuses): `fix` writes the later ones
name_2, name_3, … (the first free), declared and verified, in CSV, TSV and workbooks alike."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tabcheck import api
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths
from tabcheck.fix.csvfix import name_header, unique_names


def _fix(tmp_path: Path, files: dict[str, bytes], fast: bool = True):
    src = tmp_path / "in"
    src.mkdir()
    for name, data in files.items():
        (src / name).write_bytes(data)
    return fix_paths([src], tmp_path / "out", Settings(), fast=fast)


@pytest.mark.parametrize("fast", [True, False])
def test_a_repeated_name_is_written_name_2_and_each_column_keeps_its_values(tmp_path, fast):
    run = _fix(tmp_path, {"dup.csv": b"id;poids;poids;taille\n1;2,5;3,5;170\n2;2,6;3,6;180\n"}, fast)
    assert (
        tmp_path / "out" / "dup.csv"
    ).read_text() == "id,poids,poids_2,taille\n1,2.5,3.5,170\n2,2.6,3.6,180\n"
    m = run.files[0]
    done = [(t.name, t.where, t.count, t.examples) for t in m.transformations]
    assert done == [
        ("comma-delimiter", None, 3, [("';'", "','")]),
        ("header-deduplicated", None, 1, [("poids", "poids_2")]),
        ("decimal-point", "poids", 2, [("2,5", "2.5"), ("2,6", "2.6")]),  # one line per column, as written
        ("decimal-point", "poids_2", 2, [("3,5", "3.5"), ("3,6", "3.6")]),
    ]
    assert str(next(iter(run.records.values()))["path"]).startswith("fast" if fast else "exact")
    assert m.verified and run.exit_code == 0
    assert m.outputs[0].verification.recheck == []  # was: TC302 to fix by hand
    report = api.check([tmp_path / "out" / "dup.csv"]).files[0]
    assert report.dataverse.outcome.value == "ingested"


def test_names_fix_writes_are_never_taken_already(tmp_path):
    run = _fix(
        tmp_path,
        {
            "taken.csv": b"id,x,x,x_2,x\n1,a,b,c,d\n",  # x_2 is the table's own: the next free ones
            "letter.csv": b",A,b\n1,2,3\n",  # the empty cell's letter is a name of the table
        },
    )
    assert (tmp_path / "out" / "taken.csv").read_text() == "id,x,x_3,x_2,x_4\n1,a,b,c,d\n"
    assert (tmp_path / "out" / "letter.csv").read_text() == "A_2,A,b\n1,2,3\n"
    by_name = {
        Path(m.source).name: [(t.name, t.count, t.examples) for t in m.transformations] for m in run.files
    }
    assert by_name == {
        "letter.csv": [("header-named", 1, [("1", "A_2")])],
        "taken.csv": [("header-deduplicated", 2, [("x", "x_3"), ("x", "x_4")])],
    }
    assert all(m.verified for m in run.files)


def test_a_workbook_s_repeated_name_is_written_name_2(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mesures"
    ws.append(["id", "n", "n", None])
    ws.append([1, 2, 3, 4])
    src = tmp_path / "in"
    src.mkdir()
    wb.save(src / "m.xlsx")
    before = api.check([src / "m.xlsx"]).files[0]
    assert [(f.code, f.variant, f.fixable) for f in before.findings if f.code == "TC302"] == [
        ("TC302", "xlsx-duplicate", True)
    ]
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "m.xlsx.csv").read_text() == "id,n,n_2,D\n1,2,3,4\n"
    done = {t.name: (t.count, t.examples) for t in run.files[0].transformations}
    assert done["header-deduplicated"] == (1, [("n (C1)", "n_2")])
    assert done["header-named"] == (1, [("D1", "D")])
    assert run.files[0].verified


@pytest.mark.parametrize("fast", [True, False])
def test_a_rename_the_declaration_does_not_explain_fails_the_verification(tmp_path, monkeypatch, fast):
    """The verification reads the header apart from the rewrite: a name changed otherwise than
    name_N after an earlier column of that name is caught, and the output removed."""
    from tabcheck.fix import csvfix
    from tabcheck.fix import fast as vectorised

    def wrong(header):
        names, named, deduplicated = name_header(header)
        return [n.replace("_2", "_bis") for n in names], named, deduplicated

    monkeypatch.setattr(csvfix, "name_header", wrong)
    monkeypatch.setattr(vectorised, "name_header", wrong)
    run = _fix(tmp_path, {"d.csv": b"id,x,x\n1,2,3\n"}, fast)
    verification = run.files[0].outputs[0].verification
    assert not verification.ok
    assert verification.detail == (
        "the header's column 3 differs: 'x' → 'x_bis'"
        if fast
        else "line 1 of the source (['id', 'x', 'x']) is not in the output (next: ['id', 'x', 'x_bis'])"
    )
    assert not (tmp_path / "out" / "d.csv").exists() and run.exit_code == 2


@pytest.mark.parametrize(
    ("names", "made", "expected", "renamed"),
    [
        (["a", "b"], set(), ["a", "b"], []),
        (["a", "a", "a"], set(), ["a", "a_2", "a_3"], [1, 2]),
        (["a", "a", "a_2"], set(), ["a", "a_3", "a_2"], [1]),
        (["A", "A", "b"], {0}, ["A_2", "A", "b"], [0]),  # the made-up name yields to the table's
        (["A", "b"], {0}, ["A", "b"], []),
        (["", ""], set(), ["", ""], []),  # spaces or nothing: TC301's, by hand
        ([" ", " "], set(), [" ", " "], []),
    ],
)
def test_unique_names(names, made, expected, renamed):
    assert unique_names(names, made) == (expected, renamed)
