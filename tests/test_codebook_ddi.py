"""`--format ddi`: the codebook in the shape of Dataverse's DDI export, parsed back."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from tabcheck.cli import app

sys.path.insert(0, str(Path(__file__).parent))
from test_codebook import PRECINCTS_NUMBER_STATS

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "fixtures" / "dataverse-verdicts" / "dataverse-tests"
NS = {"d": "ddi:codebook:2_5"}


def _ddi(*args: str) -> ET.Element:
    result = CliRunner().invoke(app, ["check", *args, "--format", "ddi", "-q"])
    assert result.exit_code in (0, 1), result.output
    return ET.fromstring(result.stdout)


def test_election_precincts_as_dataverse_exports_it():
    root = _ddi(str(TESTS / "election_precincts.csv"))
    refs = [
        line.split("\t")
        for line in (ROOT / "fixtures" / "dataverse-verdicts" / "unf.tsv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
    ]
    f = root.find("d:fileDscr", NS)
    assert f.find("d:fileTxt/d:fileName", NS).text == "election_precincts.tab"
    assert f.find("d:fileTxt/d:dimensns/d:caseQnty", NS).text == "24"
    assert f.find("d:fileTxt/d:dimensns/d:varQnty", NS).text == "13"
    file_unf = f.find("d:notes[@type='VDC:UNF']", NS).text
    assert file_unf.startswith("UNF:6:")
    variables = root.findall("d:dataDscr/d:var", NS)
    assert [v.get("name") for v in variables] == [r[2] for r in refs]
    for var, ref in zip(variables, refs, strict=True):
        note = var.find("d:notes[@type='Dataverse:UNF']", NS)
        assert note.get("subject") == "Universal Numeric Fingerprint" and note.get("level") == "variable"
        assert note.text == ref[3]
        assert var.find("d:location", NS).get("fileid") == f.get("ID")
        assert var.find("d:labl", NS).text == var.get("name")
    animal, integer, double = variables[0], variables[1], variables[2]
    assert animal.find("d:varFormat", NS).get("type") == "character"
    assert animal.findall("d:sumStat", NS) == []  # Dataverse computes none for text
    assert (integer.get("intrvl"), double.get("intrvl")) == ("discrete", "contin")
    stats = {s.get("type"): s.text for s in integer.findall("d:sumStat", NS)}
    assert stats == PRECINCTS_NUMBER_STATS
    assert integer.find("d:varFormat", NS).get("type") == "numeric"


def test_dates_and_files_dataverse_does_not_ingest(tmp_path):
    (tmp_path / "a.csv").write_text("d,x\n2020-01-02,a&b\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("a,b\n1\n", encoding="utf-8")
    root = _ddi(str(tmp_path))
    assert [f.find("d:fileTxt/d:fileName", NS).text for f in root.findall("d:fileDscr", NS)] == ["a.tab"]
    d = root.find("d:dataDscr/d:var[@name='d']", NS)
    assert d.find("d:varFormat", NS).attrib == {
        "type": "character",
        "formatname": "yyyy-MM-dd",
        "category": "date",
    }
