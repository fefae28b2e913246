"""`tabcheck fix`: real files in, clean UTF-8 comma CSV out, originals untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck import api
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths

VERDICTS = Path(__file__).resolve().parent.parent / "fixtures" / "dataverse-verdicts"


def _copy(tmp_path: Path, *names: str) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in names:
        shutil.copy(VERDICTS / name, src / Path(name).name)
    return src


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_semicolon_decimal_comma_file_becomes_comma_csv_with_points(tmp_path):
    src = _copy(tmp_path, "csv-tsv/03_semicolon_decimalcomma_quoted.csv")
    before = _digest(src)
    run = fix_paths([src], tmp_path / "out", Settings())
    out = tmp_path / "out" / "03_semicolon_decimalcomma_quoted.csv"
    assert [[o.path for o in f.outputs] for f in run.files] == [[out]]
    assert out.read_text(encoding="utf-8") == 'id,name,score\n1,alice,3.5\n2,"bob, jr",4\n'
    done = {(t.name, t.where): (t.count, t.examples) for t in run.files[0].transformations}
    assert done[("comma-delimiter", None)] == (3, [("';'", "','")])
    assert done[("decimal-point", "score")] == (1, [("3,5", "3.5")])
    assert run.files[0].verified and run.exit_code == 0
    assert _digest(src) == before  # the original is never modified
    report = api.check([out]).files[0]
    assert report.blockers == []
    assert report.dataverse.outcome.value == "ingested"
    assert [c.type for c in report.dataverse.columns] == ["integer", "character", "continuous"]


def test_latin1_bom_blank_lines_and_null_are_repaired(tmp_path):
    src = _copy(
        tmp_path,
        "csv-tsv/14_latin1.csv",
        "csv-tsv/15_bom_utf8.csv",
        "csv-tsv/17_blank_last_line.csv",
        "csv-tsv/48_null_word_string_col.csv",
    )
    fix_paths([src], tmp_path / "out", Settings())
    out = tmp_path / "out"
    assert (out / "14_latin1.csv").read_text(encoding="utf-8") == "id,ville\n1,Orléans\n2,Béziers\n"
    assert (out / "15_bom_utf8.csv").read_bytes().startswith(b"id,")
    assert (out / "17_blank_last_line.csv").read_text(encoding="utf-8") == "id,name\n1,a\n2,b\n"
    assert (out / "48_null_word_string_col.csv").read_text(encoding="utf-8") == "a,b\n,x\n,y\n"
    run = api.check([out])
    assert [f.path for f in run.files if f.blockers] == []


def test_title_and_notes_move_to_a_notes_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "t.csv").write_text(
        "Table 1. Soil samples,,\nid,site,ph\n1,A,6.5\n2,B,7.1\n\nSource: field survey 2021,,\n",
        encoding="utf-8",
    )
    fix_paths([src / "t.csv"], tmp_path / "out", Settings())
    out = tmp_path / "out" / "t.csv"
    assert out.read_text(encoding="utf-8") == "id,site,ph\n1,A,6.5\n2,B,7.1\n"
    assert (
        out.with_suffix(".notes.txt").read_text(encoding="utf-8")
        == "Table 1. Soil samples\nSource: field survey 2021\n"
    )


def test_excel_separator_line_moves_whole_to_the_notes(tmp_path):
    """Was: Excel's `sep=;` line was called a title and moved to the notes as `sep=` (its `;`, read as
    the delimiter, was lost)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "s.csv").write_bytes("\ufeffsep=;\r\nid;nom;valeur\r\n1;Dupont;1,5\r\n2;Martin;2,25\r\n".encode())
    report = api.check([src / "s.csv"]).files[0]
    hint = [f for f in report.findings if f.rule == "title-or-notes-rows"]
    assert [(f.variant, f.location.row, f.params["text"]) for f in hint] == [("excel-separator", 1, "sep=;")]
    run = fix_paths([src / "s.csv"], tmp_path / "out", Settings())
    assert run.files[0].verified and run.exit_code == 0
    out = tmp_path / "out" / "s.csv"
    assert out.read_text(encoding="utf-8") == "id,nom,valeur\n1,Dupont,1.5\n2,Martin,2.25\n"
    assert out.with_suffix(".notes.txt").read_text(encoding="utf-8") == "sep=;\n"


def test_a_title_above_rows_ending_with_a_delimiter_is_fixed_in_one_run(tmp_path):
    """Was: below a title, a header of 3 cells over rows of 4 (`1;a;2,5;`) hid the title from the
    check (the header, narrower than the rows, looked like a ragged row), and fix kept the title
    in the table with "to fix by hand"."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "t.csv").write_bytes(b"Mesures 2021\r\nid;nom;val\r\n1;a;2,5;\r\n2;b;3;\r\n")
    report = api.check([src / "t.csv"]).files[0]
    ragged = [f for f in report.findings if f.rule == "ragged-row"]
    assert [(f.variant, f.location.row, f.params["named"], f.params["expected"]) for f in ragged] == [
        ("after-title-trailing", 2, 3, 4)
    ]
    # the table's columns, not the title's (was "1 colonne")
    assert [f.params["columns"] for f in report.findings if f.rule == "delimiter-not-comma"] == [3]
    run = fix_paths([src / "t.csv"], tmp_path / "out", Settings())
    assert run.files[0].verified and run.exit_code == 0
    out = tmp_path / "out" / "t.csv"
    assert out.read_text(encoding="utf-8") == "id,nom,val\n1,a,2.5\n2,b,3\n"
    assert out.with_suffix(".notes.txt").read_text(encoding="utf-8") == "Mesures 2021\n"


@pytest.mark.parametrize(
    "name,data,header",
    [
        ("pandas.csv", b",age,poids\n0,34,70.5\n1,41,80.2\n", "A,age,poids"),  # to_csv's index
        ("r.csv", b'"","age","poids"\n"1",34,70.5\n"2",41,80.2\n', "A,age,poids"),  # write.csv's row names
        ("r-bom.csv", b'\xef\xbb\xbf"","age","poids"\n"1",34,70.5\n"2",41,80.2\n', "A,age,poids"),
        ("middle.csv", b"id;;valeur;\n1;a;2,5;\n2;b;3;\n", "id,B,valeur"),  # and a trailing `;`
    ],
)
def test_empty_header_cells_are_named_by_their_column_letter(tmp_path, name, data, header):
    """Was: an unnamed column (an R or pandas row index) stayed unnamed: "still to fix by hand",
    and Dataverse refuses a CSV with an empty header cell."""
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(data)
    run = fix_paths([src / name], tmp_path / "out", Settings())
    m = run.files[0]
    assert m.verified and run.exit_code == 0
    out = (tmp_path / "out" / name).read_text(encoding="utf-8")
    assert out.split("\n")[0] == header
    named = [t for t in m.transformations if t.name == "header-named"]
    assert [(t.count, t.examples[0][1]) for t in named] == [
        (1, header.split(",")[0 if header[0] == "A" else 1])
    ]
    report = api.check([tmp_path / "out" / name]).files[0]
    assert report.blockers == [] and report.dataverse.outcome.value == "ingested"


def test_fix_refuses_to_overwrite_the_original_or_an_earlier_output(tmp_path):
    (tmp_path / "a.csv").write_text("a;b\n1;2,5\n", encoding="utf-8")
    with pytest.raises(ValueError, match="write the fixed copies elsewhere"):  # even with --force
        fix_paths([tmp_path / "a.csv"], tmp_path, Settings(), force=True)
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "a;b\n1;2,5\n"
    fix_paths([tmp_path / "a.csv"], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "a.csv").read_text(encoding="utf-8") == "a,b\n1,2.5\n"
    (tmp_path / "a.csv").write_text("a;b\n1;3,5\n", encoding="utf-8")
    again = fix_paths([tmp_path / "a.csv"], tmp_path / "out", Settings())
    assert again.files[0].refused is not None and again.files[0].refused.suggestion == "--force"
    assert (tmp_path / "out" / "a.csv").read_text(encoding="utf-8") == "a,b\n1,2.5\n"
    assert again.exit_code == 1
    fix_paths([tmp_path / "a.csv"], tmp_path / "out", Settings(), force=True)
    assert (tmp_path / "out" / "a.csv").read_text(encoding="utf-8") == "a,b\n1,3.5\n"


def test_cli_fix_reports_changes_in_french_and_exit_code(tmp_path):
    src = _copy(tmp_path, "csv-tsv/02_semicolon.csv", "csv-tsv/05_ragged_short.csv")
    proc = subprocess.run(
        [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(tmp_path / "out"), "--lang", "fr"],
        capture_output=True,
        text=True,
    )
    assert "séparateur « ; » → virgule" in proc.stdout
    assert "reste à corriger à la main" in proc.stdout  # the ragged row cannot be fixed mechanically
    assert proc.returncode == 1


def test_cli_fix_says_numbers_are_written_as_dataverse_reads_them(tmp_path):
    """Was: '2 numbers → decimal point (e.g. 12 345 678 → 12345678)': for whole numbers there is none."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "t.csv").write_bytes(b"id;pop;poids\n1;12 345 678;1,5\n2;1 234;2,25\n")
    said = {}
    for lang in ("en", "fr"):
        out = tmp_path / f"out-{lang}"
        proc = subprocess.run(
            [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(out), "--lang", lang],
            capture_output=True,
            text=True,
        )
        said[lang] = [line.strip() for line in proc.stdout.splitlines() if line.strip().startswith("- col")]
    assert said["en"] == [
        "- column “pop”: 2 numbers written as Dataverse reads them (e.g. 12 345 678 → 12345678)",
        "- column “poids”: 2 numbers written as Dataverse reads them (e.g. 1,5 → 1.5)",
    ]
    assert said["fr"] == [
        "- colonne «\u00a0pop\u00a0»\u00a0: 2 nombres écrits comme Dataverse les lit (par ex. 12 345 678 → 12345678)",
        "- colonne «\u00a0poids\u00a0»\u00a0: 2 nombres écrits comme Dataverse les lit (par ex. 1,5 → 1.5)",
    ]


def test_unclosed_quote_is_refused_and_utf16_with_quoted_header_is_rewritten(tmp_path):
    src = _copy(tmp_path, "csv-tsv/34_unclosed_quote.csv", "csv-tsv/41_utf16.csv")
    run = fix_paths([src], tmp_path / "out", Settings())
    by_name = {Path(f.source).name: f for f in run.files}
    unclosed = by_name["34_unclosed_quote.csv"]
    assert unclosed.refused is not None and unclosed.refused.reason == "unclosed-quote"
    assert unclosed.outputs == [] and not (tmp_path / "out" / "34_unclosed_quote.csv").exists()
    assert by_name["41_utf16.csv"].verified
    assert not (tmp_path / "out" / "41_utf16.csv").read_text(encoding="utf-8").startswith(('"', "\ufeff"))


@pytest.mark.parametrize("chunked", [False, True])
def test_thousands_grouped_by_points_convert_with_their_columns_decimal_commas(
    tmp_path, monkeypatch, chunked
):
    """Was: "1.234.567" beside "12,5" hid the column's decimal commas from the check, and `fix`
    left both for Dataverse to read as text. `chunked`: the vectorised path, in chunks of a few
    lines (and the compiled loops where numba is here), as a large file goes; else the exact path."""
    from tabcheck import kernels
    from tabcheck.fix import fast

    if chunked:
        monkeypatch.setattr(kernels, "MIN_BYTES", 0)
        monkeypatch.setattr(fast, "CHUNK", 64)
    src = tmp_path / "in"
    src.mkdir()
    rows = [("1.234.567", "2,5"), ("12,5", "3,0"), ("999", "4,5"), ("-3.000.000,25", "1,0")] * 6
    body = "".join(f"{i};{a};{b}\r\n" for i, (a, b) in enumerate(rows, 1))
    (src / "pop.csv").write_bytes(("id;pop;note\r\n" + body).encode("cp1252"))
    run = fix_paths([src], tmp_path / "out", Settings(), fast=chunked)
    (f,) = run.files
    assert f.refused is None and f.verified and run.exit_code == 0
    assert run.records[str(src / "pop.csv")]["path"].startswith("fast" if chunked else "exact")
    out = (tmp_path / "out" / "pop.csv").read_text(encoding="utf-8").splitlines()
    assert out[:5] == ["id,pop,note", "1,1234567,2.5", "2,12.5,3.0", "3,999,4.5", "4,-3000000.25,1.0"]
    done = {(t.name, t.where): (t.count, t.examples[:2]) for t in f.transformations}
    assert done[("decimal-point", "pop")] == (18, [("1.234.567", "1234567"), ("12,5", "12.5")])
    report = api.check([tmp_path / "out" / "pop.csv"]).files[0]
    assert report.findings == []
    assert [c.type for c in report.dataverse.columns] == ["integer", "continuous", "continuous"]


def test_a_converted_column_that_stays_text_is_to_fix_by_hand(tmp_path):
    """Was: 'verified', exit 0: its decimal commas became points, but '-' and 'n/a' beside them keep
    the column text in Dataverse, and the user believed it numeric."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "export.csv").write_bytes(b"id;v;w\n1;12,5;a\n2;-;b\n3;3,25;c\n4;n/a;d\n")
    run = fix_paths([src], tmp_path / "out", Settings(lang="fr"))
    (f,) = run.files
    assert (tmp_path / "out" / "export.csv").read_text() == "id,v,w\n1,12.5,a\n2,-,b\n3,3.25,c\n4,n/a,d\n"
    (out,) = f.outputs
    assert out.verification.ok and out.verification.recheck == [
        "TC402 Colonne 2 «\u00a0v\u00a0»\u00a0: 2 valeurs avec un code de valeur manquante inconnu de Dataverse "
        "(par ex. «\u00a0-\u00a0», lignes 3, 5)\u00a0: la colonne sera du texte."
    ]
    assert run.exit_code == 1


@pytest.mark.parametrize("chunked", [False, True])
def test_a_column_kept_text_by_a_percent_or_a_limit_is_not_half_converted(tmp_path, monkeypatch, chunked):
    """Was: 1,5 became 1.5 while 12,5 % and <0,5 stayed as written beside it: a column half
    converted, still text in Dataverse. Now none of its numbers changes, and the check says why."""
    from tabcheck import kernels
    from tabcheck.fix import fast

    if chunked:
        monkeypatch.setattr(kernels, "MIN_BYTES", 0)
        monkeypatch.setattr(fast, "CHUNK", 64)
    src = tmp_path / "in"
    src.mkdir()
    pairs = [("1,5", "0,8", "1 234", "2,25"), ("12,5 %", "<0,5", "12 %", "3,5")] * 5
    rows = "".join(f"{i};{';'.join(p)}\n" for i, p in enumerate(pairs, 1))
    (src / "labo.csv").write_bytes(("id;taux;nitrate;pop;poids\n" + rows).encode())
    run = fix_paths([src], tmp_path / "out", Settings(), fast=chunked)
    (f,) = run.files
    assert f.verified
    lines = (tmp_path / "out" / "labo.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == [
        "id,taux,nitrate,pop,poids",
        '1,"1,5","0,8",1 234,2.25',
        '2,"12,5 %","<0,5",12 %,3.5',
    ]
    assert {(t.name, t.where) for t in f.transformations if t.name == "decimal-point"} == {
        ("decimal-point", "poids")
    }
    (out,) = f.outputs
    assert [line.split(" ")[:3] for line in out.verification.recheck] == [
        ["TC401", "Column", "2"],
        ["TC401", "Column", "3"],
    ]
    assert [line.split(" ")[:3] for line in out.verification.altered] == [
        ["TC402", "Column", "2"],
        ["TC402", "Column", "3"],
        ["TC402", "Column", "4"],
        ["TC409", "Column", "4"],
    ]
    assert run.exit_code == 1


def test_a_units_row_stays_and_the_decimal_commas_under_it_are_converted(tmp_path):
    """A row of units under the header is a row of the table: fix keeps it (the user moves the units
    into the names) and converts the numbers under it; the check still says the row."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "meteo.csv").write_bytes("station;temp;pluie\r\n;°C;mm\r\nBrest;12,5;3,2\r\n".encode("cp1252"))
    run = fix_paths([src], tmp_path / "out", Settings(encoding="cp1252", lang="fr"))
    (f,) = run.files
    assert f.verified and run.exit_code == 0
    out = tmp_path / "out" / "meteo.csv"
    assert out.read_text(encoding="utf-8") == "station,temp,pluie\n,°C,mm\nBrest,12.5,3.2\n"
    assert f.outputs[0].verification.altered == [
        "TC305 La ligne 2 ressemble à une deuxième ligne d'en-tête\u00a0: «\u00a0°C\u00a0», «\u00a0mm\u00a0» "
        "sont les seules valeurs des colonnes 2, 3 qui ne soient pas des nombres\u00a0: ces colonnes "
        "seront du texte."
    ]


def test_the_check_counts_the_numbers_fix_converts_in_a_comma_file(tmp_path):
    """Was: in a comma file, "12,345" beside "1,5" was "1 value with thousands separators" for the
    check, while fix wrote it 12.345 with the column's decimal commas: the two disagreed on a value."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "m.csv").write_bytes(b'id,v\n1,"1,5"\n2,"12,345"\n3,"2,25"\n')
    report = api.check([src / "m.csv"]).files[0]
    assert [(f.rule, f.count) for f in report.findings] == [("decimal-comma", 3)]
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "m.csv").read_text() == "id,v\n1,1.5\n2,12.345\n3,2.25\n"
    done = {(t.name, t.where): t.count for t in run.files[0].transformations}
    assert done[("decimal-point", "v")] == 3


def test_whole_numbers_with_thousands_separators_are_written_plain(tmp_path):
    """Was: a column of 1 234 (a no-break space: a French export's populations) was left for
    Dataverse to read as text, fix saying nothing. Those separators never mark decimals."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "communes.csv").write_bytes(
        "commune;population\r\nBrest;139\u00a0926\r\nCaen;105\u00a0512\r\nÉvry;54\r\n".encode("cp1252")
    )
    (src / "ambigu.csv").write_bytes(b"id;n\n1;1 234\n2;1.000\n")  # 1.000: a thousand or 1.0
    run = fix_paths([src], tmp_path / "out", Settings(encoding="cp1252"))
    by_name = {Path(f.source).name: f for f in run.files}
    done = by_name["communes.csv"]
    assert done.verified
    assert (tmp_path / "out" / "communes.csv").read_text(encoding="utf-8") == (
        "commune,population\nBrest,139926\nCaen,105512\nÉvry,54\n"
    )
    changes = {(t.name, t.where): (t.count, t.examples) for t in done.transformations}
    assert changes[("decimal-point", "population")] == (
        2,
        [("139\u00a0926", "139926"), ("105\u00a0512", "105512")],
    )
    report = api.check([tmp_path / "out" / "communes.csv"]).files[0]
    assert report.findings == [] and [c.type for c in report.dataverse.columns] == ["character", "integer"]
    left = by_name["ambigu.csv"]  # the column stays as written, whole; still to fix by hand
    assert (tmp_path / "out" / "ambigu.csv").read_text() == "id,n\n1,1 234\n2,1.000\n"
    assert [(x.code, x.where) for x in left.left] == [("TC401", "n")] and "“1.000”" in left.left[0].message
    assert run.exit_code == 1


def test_decimals_below_one_are_converted_and_a_column_of_1_234_is_left_with_both_readings(tmp_path):
    """Was: a column of concentrations written 0,125 (three decimals, below one) was refused as
    ambiguous, with a message quoting the same value twice (“0,237” and “0,237”). A lone 0 is
    never followed by a thousands group: those are decimals. A column of 3,125 alone may be 3.125
    or 3125: the check says so, and fix leaves it as written (the rest of the file is fixed) and
    says it again, since the copy, a comma file, would read 3,125 as a thousands separator."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "conc.csv").write_bytes(b"id;conc\n1;0,125\n2;1,250\n3;-0,375\n")
    (src / "ambigu.csv").write_bytes(b"id;n\n1;3,125\n2;2,500\n")
    (src / "espace.csv").write_bytes(b"id;n\n1;1 234\n2;2.500\n")
    said = "“3,125” may be 3.125 or 3125."
    check = {Path(r.path).name: r for r in api.check([src]).files}
    assert [(f.rule, f.variant, f.count, f.fixable) for f in check["ambigu.csv"].findings[1:]] == [
        ("decimal-comma", "ambiguous", 2, False)
    ]
    assert said in check["ambigu.csv"].findings[1].text("en")
    run = fix_paths([src], tmp_path / "out", Settings())
    by_name = {Path(f.source).name: f for f in run.files}
    assert by_name["conc.csv"].verified
    assert (tmp_path / "out" / "conc.csv").read_text() == "id,conc\n1,0.125\n2,1.250\n3,-0.375\n"
    left = by_name["ambigu.csv"]
    assert left.verified and (tmp_path / "out" / "ambigu.csv").read_text() == 'id,n\n1,"3,125"\n2,"2,500"\n'
    assert [(x.repair, x.where, x.code) for x in left.left] == [("decimal-point", "n", "TC401")]
    # still to fix by hand (exit 1), as the check said: not the copy's "thousands separators"
    recheck = left.outputs[0].verification.recheck
    assert len(recheck) == 1 and recheck[0].startswith("TC401 ") and said in recheck[0]
    assert not any("thousands separators" in a for a in left.outputs[0].verification.altered)
    assert run.exit_code == 1
    # 1 234 and 2.500: the check cannot see it, fix can; the column stays whole, the file is fixed
    espace = by_name["espace.csv"]
    assert (
        espace.refused is None and (tmp_path / "out" / "espace.csv").read_text() == "id,n\n1,1 234\n2,2.500\n"
    )
    assert [x.message for x in espace.left] == [
        "Column 2 “n”: “2.500” may be 2.500 or 2500, and no number of the column says which mark is the "
        "decimal one: the column stays as written. Write them one way by hand (3,125 as 3.125, or 3125 "
        "without a separator)."
    ]
    assert espace.outputs[0].verification.recheck == ["TC401 " + espace.left[0].message]


def test_numbers_written_25_000_beside_decimal_commas_are_left_and_said(tmp_path):
    """Was: in a file whose decimals are commas (3,5), a column of 1.000, 25.000, 300.000 (points
    between the thousands, as a Dutch or German export writes them) went through check and fix
    without a word; Dataverse reads 25.000 as 25. Nothing in the values says which is meant: the
    check says it, and fix leaves them as written and says it again (the copy has no decimal comma
    left to tell)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "effectifs.csv").write_bytes(b"id;effectif;taux\n1;1.000;3,5\n2;25.000;4,25\n3;300.000;1\n")
    run = fix_paths([src], tmp_path / "out", Settings())
    done = run.files[0]
    assert done.verified
    assert (tmp_path / "out" / "effectifs.csv").read_text() == (
        "id,effectif,taux\n1,1.000,3.5\n2,25.000,4.25\n3,300.000,1\n"
    )
    assert [(x.repair, x.where) for x in done.left] == [("decimal-point", "effectif")]
    assert "a thousand times too small (1.000 as 1, not 1000)" in done.left[0].message
    assert "mille fois trop petits (1.000 comme 1, et non 1000)" in done.left[0].message_fr
    altered = done.outputs[0].verification.altered  # to look at, not to fix: no exit 1 for it
    assert [a[:6] for a in altered] == ["TC409 "] and done.outputs[0].verification.recheck == []


def test_what_dataverse_will_still_alter_is_said_without_exit_1(tmp_path):
    """Was: 'vérifié' and nothing else, while 12 % and 01/02/2020 stay text in Dataverse: the user
    read "verified" as "nothing left". Not tabcheck's to fix (no exit 1), but said."""
    src = tmp_path / "in"
    src.mkdir()
    # Day or month first? Nothing tells (no number above 12): fix leaves the dates as they are.
    (src / "export.csv").write_bytes(b"Nom;Date;Taux\r\nDupont;01/02/2020;12%\r\nDurand;03/04/2021;7,5%\r\n")
    proc = subprocess.run(
        [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(tmp_path / "out"), "--lang", "fr"],
        capture_output=True,
        text=True,
    )
    lines = proc.stdout.splitlines()
    at = lines.index("  Dataverse modifiera encore la copie (à regarder avant le dépôt)\u00a0:")
    assert lines[at + 1 : at + 3] == [
        "    TC402 Colonne 3 «\u00a0Taux\u00a0»\u00a0: 2 valeurs avec un signe % (par ex. «\u00a012%\u00a0», lignes 2, 3)"
        "\u00a0: la colonne sera du texte.",
        "    TC404 Colonne 2 «\u00a0Date\u00a0»\u00a0: 2 dates comme «\u00a001/02/2020\u00a0» (lignes 2, 3) seront lues "
        "comme du texte\u202f; rien n'indique si le jour ou le mois vient en premier (aucun nombre au-dessus de "
        "12)\u00a0: écrivez-les aaaa-mm-jj.",
    ]
    assert proc.returncode == 0
    manifest = json.loads((tmp_path / "out" / "fix-manifest.json").read_text(encoding="utf-8"))
    assert [line[:5] for line in manifest["files"][0]["outputs"][0]["verification"]["altered"]] == [
        "TC402",
        "TC404",
    ]


def test_a_utf8_bom_before_windows_1252_text_is_said_and_read_as_both(tmp_path):
    """Was: read as Windows-1252 alone, the mark became the header's first characters (`ï»¿id`),
    silently; and before a code page whose name is longer than six letters, an internal error
    (the codec's name cut as `utf-16-le` is). Now: two encodings, fix asks for utf-8+cp1252."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "t.csv").write_bytes(
        b"\xef\xbb\xbf" + "id;ville\n1;Orléans\n2;Genève très bien\n".encode("cp1252")
    )
    (src / "u.csv").write_bytes(
        b"\xef\xbb\xbfid.n\xe1me\n!\xacilicg\n2,bob\n"
    )  # a mutation of the hostile corpus
    report = {Path(r.path).name: r for r in api.check([src]).files}
    assert report["u.csv"].error is None
    t = report["t.csv"]
    assert [(f.code, f.location.line) for f in t.findings if f.code in ("TC101", "TC102", "TC104")] == [
        ("TC104", 2),  # the first Windows-1252 byte's line
        ("TC102", 1),
    ]
    assert t.findings[[f.code for f in t.findings].index("TC102")].text() == (
        "The first variable will be named '\\ufeffid' (with an invisible BOM character)."
    )
    refused = fix_paths([src / "t.csv"], tmp_path / "out", Settings()).files[0].refused
    assert refused is not None and refused.suggestion == "--encoding utf-8+cp1252"
    run = fix_paths([src / "t.csv"], tmp_path / "out2", Settings(encoding="utf-8+cp1252"))
    assert (tmp_path / "out2" / "t.csv").read_text(
        encoding="utf-8"
    ) == "id,ville\n1,Orléans\n2,Genève très bien\n"
    assert run.files[0].verified
