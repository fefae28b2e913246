"""`tabcheck fix` on the folder of issue 8's "Why" (fixtures/fix/, built by fixtures/make_fix_folder.py):
each file is rewritten and verified cell by cell, or refused with what to do — exact values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck.checker import Settings
from tabcheck.fix import FixRun, fix_paths

FOLDER = Path(__file__).resolve().parent.parent / "fixtures" / "fix"

REFUSED = {
    "compresse.csv": ("not-a-table", None),
    "delimiter-tie.csv": ("delimiter-uncertain", "--delimiter ';'"),
    "encoding-uncertain.csv": ("encoding-uncertain", "--encoding windows-1252"),
    "unclosed-quote.csv": ("unclosed-quote", None),
    "utf8-broken-byte.csv": ("undecodable", "--encoding latin-1"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[FixRun, Path]:
    out = tmp_path_factory.mktemp("fixed")
    return fix_paths([FOLDER], out, Settings()), out


def _text(out: Path, name: str) -> str:
    return (out / name).read_bytes().decode("utf-8")


def test_every_file_is_verified_or_refused_with_what_to_do(run: tuple[FixRun, Path]) -> None:
    fixed, _out = run
    by_name = {Path(m.source).name: m for m in fixed.files}
    assert len(by_name) == 18
    for name, m in by_name.items():
        assert m.error is None, (name, m.error)
        if name in REFUSED:
            assert m.refused is not None and (m.refused.reason, m.refused.suggestion) == REFUSED[name]
            assert m.outputs == []
        else:
            assert m.refused is None, (name, m.refused)
            assert m.verified, (name, [o.verification for o in m.outputs])
    assert fixed.exit_code == 1  # refusals, and blockers left in data-not-notes.csv and the notes one


def test_exact_outputs(run: tuple[FixRun, Path]) -> None:
    _fixed, out = run
    assert _text(out, "cp1252-export.csv") == "id,ville,remarque\n1,Orléans,déjà vu\n2,Béziers,“ok” – œuvre\n"
    assert _text(out, "mesures.csv") == "station,pluie_mm\nBrest,1210.5\n"
    assert _text(out, "mesures.tsv.csv") == "station,pluie_mm\nRennes,694.3\n"
    assert _text(out, "mesures.txt.csv") == "station,pluie_mm\nBrest,1210.5\nRennes,694.3\n"
    assert (
        _text(out, "thousands.csv")
        == "id,montant,population\n1,1000,516100\n2,1250.5,67750000\n3,12.5,1000\n"
    )
    assert _text(out, "data-not-notes.csv") == (
        "code,x,y,commentaire\na,1.5e-05,2,\nc,,,\nb,3.2e-05,4,\n,,,this last row only has a comment cell and is data\n"
    )
    assert _text(out, "utf16-quoted-header.csv") == "id,nom\n1,Zoë\n2,Ana\n"
    assert _text(out, "spaces.tsv.csv") == "id,label\n1,  indented\n2,trailing  \n"
    assert _text(out, "one-column.csv") == 'score\n1\n""\n3\n""\n5\n'
    assert _text(out, "verbatims.csv") == (
        'id,verbatim\n1,"Première réponse.\n\nDeuxième paragraphe, après une ligne vide."\n2,Une ligne.\n'
    )
    assert _text(out, "tout-ensemble.csv") == "id,date,dose\n1,2024-03-01,0.5\n2,2024-03-02,1.25\n"
    assert _text(out, "tout-ensemble.notes.txt") == "Essai 3\n"
    long = _text(out, "long-cell.csv")
    assert len(long) == len("id,texte\n1,") + (1 << 20) + 3 + len("\n2,court\n")


def test_manifest_records_sniff_transformations_and_verification(run: tuple[FixRun, Path]) -> None:
    _fixed, out = run
    manifest = json.loads((out / "fix-manifest.json").read_text(encoding="utf-8"))
    files = {Path(f["source"]).name: f for f in manifest["files"]}
    thousands = files["thousands.csv"]
    assert thousands["sniff"]["delimiter"] == ";"
    done = {(t["name"], t["where"]): t for t in thousands["transformations"]}
    assert done[("decimal-point", "montant")]["count"] == 3
    assert done[("decimal-point", "montant")]["examples"][0] == ["1.000", "1000"]
    assert done[("decimal-point", "population")]["examples"][0] == ["516,100", "516100"]
    verification = thousands["outputs"][0]["verification"]
    assert verification == {
        "ok": True,
        "rows": 4,
        "cells": 12,
        "detail": None,
        "round_trip": True,
        "recheck": [],
        "changes": [],
        "altered": [],
    }
    assert files["unclosed-quote.csv"]["refused"]["reason"] == "unclosed-quote"


def test_flatten_newlines_and_force(tmp_path: Path) -> None:
    src = FOLDER / "verbatims.csv"
    fix_paths([src], tmp_path, Settings())
    again = fix_paths([src], tmp_path, Settings(), flatten_newlines=True)
    assert again.files[0].refused is not None and again.files[0].refused.reason == "output-exists"
    flat = fix_paths([src], tmp_path, Settings(), flatten_newlines=True, force=True)
    assert flat.files[0].verified
    assert _text(tmp_path, "verbatims.csv").splitlines()[1] == (
        '1,"Première réponse.  Deuxième paragraphe, après une ligne vide."'
    )


def test_a_delimiter_refusal_shows_the_header_as_each_delimiter_splits_it(tmp_path: Path) -> None:
    run = fix_paths([FOLDER / "delimiter-tie.csv"], tmp_path / "out", Settings())
    refused = run.files[0].refused
    assert refused is not None and refused.reason == "delimiter-uncertain"
    assert refused.message == (
        "The delimiter is uncertain: semicolons (74 % sure) or commas (14 %). With semicolons, the header's names "
        'are "a,b", "c"; with commas, "a", "b;c". Pass `--delimiter \';\'` (or `--delimiter \',\'`).'
    )


def test_cli_refusal_says_what_to_pass_and_given_encoding_is_used(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "tabcheck",
        "fix",
        str(FOLDER / "encoding-uncertain.csv"),
        "-o",
        str(tmp_path),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TABCHECK_LANG": "en"})
    assert proc.returncode == 1
    assert (
        "refused: The encoding is uncertain: windows-1252 (52 %) reads “Sí”, mac_roman (38 %) reads “SÌ”. "
        "If “Sí” is right, pass `--encoding windows-1252`; if “SÌ” is, `--encoding mac_roman`."
    ) in proc.stdout
    proc = subprocess.run([*cmd, "--encoding", "cp1252"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert _text(tmp_path, "encoding-uncertain.csv") == "id,nom\n1,Sí\n2,ña\n"


def test_a_tsv_column_dataverse_would_type_otherwise_in_the_copy_is_said(tmp_path: Path) -> None:
    """Spaces around TSV values are copied (values are data), but Dataverse's TSV reader trims them
    and its CSV reader does not: a column of padded integers becomes continuous. The copy verifies;
    the manifest and the text say what Dataverse will read otherwise, and the exit code is 1."""
    src = tmp_path / "s.tsv"
    src.write_text("id\tname\tn\n 12 \t x \t1\n13\ty\t2\n", encoding="utf-8")
    out = tmp_path / "out"
    run = fix_paths([src], out, Settings(lang="fr"))
    (m,) = run.files
    assert m.verified and run.exit_code == 1
    assert m.outputs[0].verification is not None
    assert m.outputs[0].verification.changes == [
        "colonne «\u00a0id\u00a0»\u00a0: continu dans la copie, entier dans l'original (le lecteur TSV de "
        "Dataverse retire les espaces autour des valeurs, son lecteur CSV les garde)"
    ]
    assert _text(out, "s.tsv.csv") == "id,name,n\n 12 , x ,1\n13,y,2\n"
    proc = subprocess.run(
        [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(tmp_path / "again"), "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "column “id”: continuous in the copy, integer in the original" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "1 verified file needs a look (see above): exit code 1"
