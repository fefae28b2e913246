"""`check --codebook`: the values Dataverse stores per variable, their statistics and UNFs, in the
JSON report (schema-valid), and the dataset UNF of a run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tabcheck import api
from tabcheck.cli import app
from tabcheck.codebook import unf as U
from tabcheck.codebook.collect import codebook_for_path, java_parse_double
from tabcheck.codebook.stats import NumericStats

# Dataverse's summary statistics of election_precincts.csv's number columns (its test asserts them).
PRECINCTS_NUMBER_STATS = {
    "mean": "53.458333333333336",
    "medn": "77.0",
    "mode": ".",
    "vald": "24.0",
    "invd": "0.0",
    "min": "1.0",
    "max": "77.0",
    "stdev": "33.98462461385925",
}

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "fixtures" / "dataverse-verdicts" / "dataverse-tests"
ELECTION = TESTS / "election_precincts.csv"


def reference():
    lines = (
        (ROOT / "fixtures" / "dataverse-verdicts" / "unf.tsv").read_text(encoding="utf-8").splitlines()[1:]
    )
    return [line.split("\t")[3] for line in lines]


def test_the_13_reference_unfs_through_the_second_pass():
    book = codebook_for_path(ELECTION)
    assert [c.unf for c in book.columns] == reference()
    assert book.unf == U.combine(reference())
    assert book.observations == 24


def test_json_report_with_codebook_is_schema_valid():
    jsonschema = pytest.importorskip("jsonschema")
    result = CliRunner().invoke(app, ["check", str(TESTS), "--codebook", "--format", "json", "-q"])
    data = json.loads(result.stdout)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    cols = by_name["election_precincts.csv"]["dataverse"]["columns"]
    assert [c["unf"] for c in cols] == reference()
    assert "stats" not in cols[0]  # character: Dataverse computes none
    assert cols[1]["stats"] == PRECINCTS_NUMBER_STATS
    assert cols[1]["stats"] == cols[2]["stats"]  # integer 1 and continuous 1.00000000000
    ingested = [f["dataverse"]["unf"] for f in data["files"] if f["dataverse"]["outcome"] == "ingested"]
    assert data["unf"] == U.combine(ingested)
    assert "unf" not in by_name["BrokenCSV.csv"]["dataverse"]


def test_without_codebook_nothing_changes():
    run = api.check([ELECTION])
    pred = run.files[0].dataverse
    assert pred.unf is None and run.unf is None
    assert all(set(c.to_json()) == {"name", "type"} for c in pred.columns)


def _one(tmp_path: Path, text: str, name: str = "t.csv"):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    run = api.check([p], codebook=True)
    return run.files[0].dataverse


def _stats(values):
    s = NumericStats()
    import polars as pl

    s.add(pl.Series(values, dtype=pl.Float64))
    return s.result()


def test_continuous_values_as_dataverse_stores_them(tmp_path):
    # NA and empty: missing; NaN: written NaN, read back as missing; Inf: infinity; null: 0.0;
    # "Infinity" in full: Java cannot read it back lowercased, missing; 1d and hex: Java doubles.
    pred = _one(tmp_path, "x\n1.5\nNA\nNaN\nInf\nnull\nInfinity\n\n-inf\n1d\n0x1p3\n")
    col = pred.columns[0]
    assert col.type == "continuous"
    stored = [1.5, None, None, math.inf, 0.0, None, None, -math.inf, 1.0, 8.0]
    assert col.unf == U.unf_numbers(stored)
    assert col.stats == _stats(stored)
    assert col.stats["vald"] == "6.0" and col.stats["invd"] == "4.0"


def test_integer_values_as_dataverse_stores_them(tmp_path):
    # null -> 0; beyond 64 bits: typed integer, then lost (missing); leading zeros read as numbers.
    pred = _one(tmp_path, "n\n1\nnull\n007\n\n99999999999999999999\n-3\n")
    col = pred.columns[0]
    assert col.type == "integer"
    stored = [1, 0, 7, None, None, -3]
    assert col.unf == U.unf_numbers(stored)
    assert col.stats["vald"] == "4.0" and col.stats["invd"] == "2.0"


def test_character_values_after_the_tab_file_round_trip(tmp_path):
    # Backslash sequences already in a value are unescaped when Dataverse reads its .tab file back;
    # an empty value is an empty string, not a missing value.
    pred = _one(tmp_path, 'p\nC:\\temp\\new\n"say ""hi"""\n\na\\\\b\n')
    col = pred.columns[0]
    assert col.type == "character" and col.stats is None
    assert col.unf == U.unf_strings(["C:\temp\new", 'say "hi"', "", "a\\b"])


def test_dates_missing_and_normalised(tmp_path):
    pred = _one(tmp_path, "d\n2020-12-25\n\n2021-1-5\n")
    col = pred.columns[0]
    assert col.type == "date"
    assert col.unf == U.unf_strings(["2020-12-25", None, "2021-01-05"])


def test_dates_in_other_digits_are_written_in_ascii(tmp_path):
    """Java parses Arabic-Indic digits as digits, and the UNF library writes the date it parsed:
    ASCII digits. polars' `\\d` is Unicode: the plain-date path must not take such values as they are."""
    pred = _one(tmp_path, "d,t\n٢٠٢٠-٠١-٣١,٢٠٢٠-٠١-٣١ ١٠:٠٠:٠٠\n2021-02-03,2021-02-03 10:00:00\n")
    assert [c.type for c in pred.columns] == ["date", "time"]
    assert pred.columns[0].unf == U.unf_strings(["2020-01-31", "2021-02-03"])
    assert pred.columns[1].unf == U.unf_strings(["2020-01-31T10:00:00", "2021-02-03T10:00:00"])


def test_tsv_values_are_trimmed(tmp_path):
    pred = _one(tmp_path, "a\tb\n 1 \t x \n2\ty\n", "t.tsv")
    assert pred.columns[0].unf == U.unf_numbers([1, 2])
    assert pred.columns[1].unf == U.unf_strings(["x", "y"])


def test_no_observations_no_codebook(tmp_path):
    pred = _one(tmp_path, "a,b\n")
    assert pred.unf is None and pred.codebook_note


def test_java_parse_double():
    assert java_parse_double(" 12 ") == 12.0
    assert java_parse_double("1e5f") == 1e5
    assert java_parse_double("0x1.8p1") == 3.0
    assert java_parse_double("infinity") is None  # lowercased by Dataverse first
    assert java_parse_double("1,5") is None


def test_codebook_notes_in_french():
    from tabcheck.codebook.attach import note_text

    assert (
        note_text("the re-read found 3 observations, not 5", "fr")
        == "la relecture trouve 3 observations, et non 5"
    )
    assert note_text("not predicted for this format", "fr") == "non prédit pour ce format"
    assert note_text("no observations: Dataverse computes neither statistics nor UNF", "en").startswith(
        "no obs"
    )
