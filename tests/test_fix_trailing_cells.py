"""A delimiter at the end of the lines (`a;b;c;`): the empty cells it leaves after the last column.

Dataverse refuses such a file (an empty header name, or rows with one cell too many). `fix` drops
those cells when every one of them is empty, counts them (drop-trailing-cells), and verifies the
output cell by cell; one value among them and they all stay, with the findings that say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck import api
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths


def _fix(tmp_path: Path, name: str, data: bytes):  # type: ignore[no-untyped-def]
    src = tmp_path / "in" / name
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    run = fix_paths([src], tmp_path / "out", Settings())
    return run, run.files[0]


def _done(m) -> dict[str, tuple[int, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    return {t.name: (t.count, t.examples) for t in m.transformations}


@pytest.mark.parametrize(
    ("data", "want", "trimmed"),
    [
        # Excel's French export with a delimiter after each line, header included
        (b"a;b;c;\r\n1;2,5;x;\r\n4;5,5;y;\r\n", "a,b,c\n1,2.5,x\n4,5.5,y\n", 3),
        # only the data lines end with one
        (b"a;b;c\n1;2,5;x;\n4;5,5;y;\n", "a,b,c\n1,2.5,x\n4,5.5,y\n", 2),
        # only the header does
        (b"a;b;c;\n1;2,5;x\n4;5,5;y\n", "a,b,c\n1,2.5,x\n4,5.5,y\n", 1),
        # two of them, and an empty value in the last named column stays
        (b"a;b;c;;\n1;2,5;;;\n4;5,5;y;;\n", "a,b,c\n1,2.5,\n4,5.5,y\n", 3),
    ],
)
def test_empty_cells_after_the_last_column_are_dropped_and_counted(tmp_path, data, want, trimmed) -> None:
    run, m = _fix(tmp_path, "t.csv", data)
    assert (tmp_path / "out" / "t.csv").read_text(encoding="utf-8") == want
    done = _done(m)
    assert done["drop-trailing-cells"][0] == trimmed
    assert done["drop-trailing-cells"][1][0] == (("';' × 2" if b";;\n" in data else "';'"), "")
    assert done["decimal-point"][0] == 2
    assert m.verified and run.exit_code == 0
    report = api.check([tmp_path / "out" / "t.csv"]).files[0]
    assert (report.findings, report.dataverse.outcome.value) == ([], "ingested")


def test_a_value_after_the_last_named_column_keeps_every_cell(tmp_path) -> None:
    """Not the trace of a delimiter: a column without a name. Nothing is dropped; the column is
    named by its letter (header-named), as Dataverse names one in a sheet."""
    run, m = _fix(tmp_path, "t.csv", b"a,b,\n1,2,x\n4,5,\n")
    assert (tmp_path / "out" / "t.csv").read_text(encoding="utf-8") == "a,b,C\n1,2,x\n4,5,\n"
    assert "drop-trailing-cells" not in _done(m)
    assert _done(m)["header-named"] == (1, [("3", "C")])
    assert m.verified and run.exit_code == 0
    assert m.outputs[0].verification.recheck == []


def test_a_short_row_stays_to_fix_by_hand_after_the_others_are_trimmed(tmp_path) -> None:
    run, m = _fix(tmp_path, "t.csv", b"a,b\n1,2,\n3,4\n5\n")
    assert (tmp_path / "out" / "t.csv").read_text(encoding="utf-8") == "a,b\n1,2\n3,4\n5\n"
    assert _done(m)["drop-trailing-cells"] == (1, [("','", "")])
    assert run.exit_code == 1
    assert [line.split()[0] for line in m.outputs[0].verification.recheck] == ["TC203"]


def test_tsv_with_a_tab_at_the_end_of_each_line(tmp_path) -> None:
    run, m = _fix(tmp_path, "t.tsv", b"id\tnom\t\n1\tBrest\t\n2\tNantes\t\n")
    assert (tmp_path / "out" / "t.tsv.csv").read_text(encoding="utf-8") == "id,nom\n1,Brest\n2,Nantes\n"
    assert _done(m)["drop-trailing-cells"][0] == 3
    assert m.verified and run.exit_code == 0


def test_quoted_values_and_line_breaks_in_cells_survive(tmp_path) -> None:
    run, m = _fix(tmp_path, "t.csv", b'id;nom;\n1;"x;y";\n2;"a\nb";\n')
    assert (tmp_path / "out" / "t.csv").read_text(encoding="utf-8") == 'id,nom\n1,x;y\n2,"a\nb"\n'
    assert _done(m)["drop-trailing-cells"][0] == 3
    assert m.verified and run.exit_code == 0


def test_the_check_says_which_findings_fix_repairs(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "trailing.csv").write_bytes(b"a,b,\n1,2,\n")
    (folder / "unnamed.csv").write_bytes(b"a,b,\n1,2,x\n")
    (folder / "middle.csv").write_bytes(b"a,,c\n1,2,3\n")
    (folder / "longer.csv").write_bytes(b"a,b\n1,2,\n")
    (folder / "shorter.csv").write_bytes(b"a,b,c\n1,2\n")
    run = api.check([folder])
    fixable = {Path(f.path).name: [(x.code, x.fixable) for x in f.findings] for f in run.files}
    assert fixable == {
        "trailing.csv": [("TC301", True)],
        "unnamed.csv": [("TC301", True)],  # named C (header-named)
        "middle.csv": [("TC301", True)],  # named B
        "longer.csv": [("TC203", True)],
        "shorter.csv": [("TC203", False)],
    }


def test_cli_says_it_in_french(tmp_path) -> None:
    src = tmp_path / "in" / "t.csv"
    src.parent.mkdir()
    src.write_bytes(b"a;b;\n1;2;\n")
    p = subprocess.run(
        [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(tmp_path / "out"), "--lang", "fr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert (
        "  - cellules vides après la dernière colonne retirées (séparateurs en fin de 2 lignes)\n" in p.stdout
    )
    manifest = json.loads((tmp_path / "out" / "fix-manifest.json").read_text(encoding="utf-8"))
    names = [t["name"] for t in manifest["files"][0]["transformations"]]
    assert "drop-trailing-cells" in names


def test_what_the_check_says_fix_repairs_it_repairs_in_the_fixtures(tmp_path) -> None:
    """An empty header cell or a ragged row the check marks fixable is gone from fix's output; one
    it does not mark stays to fix by hand."""
    root = Path(__file__).resolve().parent.parent / "fixtures"
    run = api.check([root / "csv", root / "dataverse-verdicts", root / "xlsx"])
    marked = {
        f.path: {x.code: x.fixable for x in f.findings if x.rule in ("empty-header", "ragged-row")}
        for f in run.files
    }
    marked = {path: codes for path, codes in marked.items() if codes}
    assert sum(fixable for codes in marked.values() for fixable in codes.values()) >= 10
    fixed = fix_paths(sorted(marked), tmp_path / "out", Settings())
    for m in fixed.files:
        assert m.refused is None and m.error is None, m.source
        left = {line.split()[0] for o in m.outputs if o.verification for line in o.verification.recheck}
        for code, fixable in marked[str(m.source)].items():
            assert (code in left) is not fixable, (m.source, code, left)


@pytest.mark.parametrize("loops", [False, True])
def test_an_export_ending_every_line_with_a_delimiter_goes_the_fast_way(tmp_path, monkeypatch, loops) -> None:
    """Was: such a file went the exact way, ten times slower (a 100 MB export: 21 s instead of 4 s).
    Every line losing the same empty cells, the vectorised path drops them before the rest, and
    gives what the exact path gives, manifest included."""
    if loops:  # the compiled loops take the chunks after the header's, as for a large file
        from tabcheck import kernels
        from tabcheck.fix import fast as fast_path

        monkeypatch.setattr(kernels, "MIN_BYTES", 0)
        monkeypatch.setattr(fast_path, "CHUNK", 16 << 10)  # several chunks: the loops take all but the first
        monkeypatch.setattr(fast_path, "FIRST_CHUNK", 4 << 10)
    rows = "".join(f"{i};Orléans;{i},5;{i % 7};\r\n" for i in range(3000))
    data = ("id;ville;poids;n;\r\n" + rows).encode("cp1252")
    src = tmp_path / "in" / "t.csv"
    src.parent.mkdir()
    src.write_bytes(data)
    outputs = {}
    for fast in (True, False):
        out = tmp_path / f"out-{fast}"
        run = fix_paths([src], out, Settings(encoding="cp1252"), fast=fast)
        assert run.files[0].verified and run.exit_code == 0
        record = next(iter(run.records.values()))
        assert str(record["path"]).startswith("fast") == fast, record
        if fast and loops:
            looped, chunks = str(record["loops"]).split(" ")[0].split("/")
            assert int(chunks) > 2 and int(looped) == int(chunks) - 1, record
        manifest = json.loads((out / "fix-manifest.json").read_text(encoding="utf-8"))["files"][0]
        outputs[fast] = ((out / "t.csv").read_bytes(), manifest["transformations"])
    assert outputs[True] == outputs[False]
    text, transformations = outputs[True]
    assert text.decode("utf-8").startswith("id,ville,poids,n\n0,Orléans,0.5,0\n")
    done = {t["name"]: (t["count"], t["examples"]) for t in transformations}
    assert done["drop-trailing-cells"] == (3001, [["';'", ""]])
