"""`tabcheck verify`: the UNFs Dataverse shows after the deposit against the local files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tabcheck.cli import app
from tabcheck.codebook import unf as U

ROOT = Path(__file__).resolve().parent.parent
ELECTION = ROOT / "fixtures" / "dataverse-verdicts" / "dataverse-tests" / "election_precincts.csv"
REFS = [
    line.split("\t")
    for line in (ROOT / "fixtures" / "dataverse-verdicts" / "unf.tsv")
    .read_text(encoding="utf-8")
    .splitlines()[1:]
]
FILE_UNF = U.combine([r[3] for r in REFS])


def run(*args: str):
    return CliRunner().invoke(app, ["verify", *args])


def test_the_file_unf_matches():
    r = run(str(ELECTION), "--unf", FILE_UNF, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert f"✓ file {ELECTION}: {FILE_UNF} matches" in r.stdout
    assert "The UNF matches: the deposited data are the data you have." in r.stdout  # was: "All 1 UNFs match"


def test_a_changed_value_is_caught_variable_by_variable(tmp_path):
    changed = tmp_path / "election_precincts.csv"
    text = ELECTION.read_text(encoding="utf-8").replace("02109", "02108", 1)
    changed.write_text(text, encoding="utf-8")
    listing = {r[2]: r[3] for r in REFS}  # the UNFs of the deposited file's variables
    r = run(str(changed), "--unf-list", json.dumps(listing), "--lang", "en")
    assert r.exit_code == 1
    bad = [line for line in r.stdout.splitlines() if line.startswith("✗")]
    assert len(bad) == 1 and "variable 'ZIP5'" in bad[0] and "the data differ" in bad[0]
    assert "Not matching: 1 of 13 UNFs." in r.stdout


def test_dataverse_api_file_list_and_french(tmp_path):
    api = {
        "status": "OK",
        "data": [
            {
                "label": "election_precincts.tab",
                "dataFile": {"filename": "election_precincts.tab", "UNF": FILE_UNF},
            }
        ],
    }
    listing = tmp_path / "files.json"
    listing.write_text(json.dumps(api), encoding="utf-8")
    r = run(str(ELECTION), "--unf-list", str(listing), "--lang", "fr")
    assert r.exit_code == 0, r.output
    assert (
        "correspond" in r.stdout and "L'UNF correspond\u00a0:" in r.stdout
    )  # was: "Les 1 UNF correspondent"
    r = run(str(ELECTION), "--unf", "UNF:6:AAAAAAAAAAAAAAAAAAAAAA==", "--lang", "fr")
    assert r.exit_code == 1
    assert "ne correspond à aucune des données locales" in r.stdout
    assert "Sans correspondance\u00a0: 1 UNF sur 1." in r.stdout


def test_usage_errors():
    assert run(str(ELECTION)).exit_code == 2
    assert run(str(ELECTION), "--unf-list", "[1, 2]").exit_code == 2
