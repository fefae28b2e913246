"""The contributor guide's example plugin, installed as a user would, runs like a built-in rule."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tabcheck-unnamed-columns"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    source = tmp_path_factory.mktemp("src") / EXAMPLE.name
    shutil.copytree(EXAMPLE, source)  # the build writes beside its sources: keep the repository clean
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        check=True,
    )  # fmt: skip
    assert (target / "tabcheck_unnamed_columns" / "__init__.py").is_file()
    return target


def _check(site: Path, *paths: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", "--format", "json", *map(str, paths)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def test_the_installed_plugin_checks_csv_and_xlsx(installed: Path, tmp_path: Path) -> None:
    csv = tmp_path / "export.csv"
    csv.write_text("Unnamed: 0,site,ph\n0,Brest,7.1\n1,Rennes,6.9\n", encoding="utf-8")
    xlsx = tmp_path / "export.xlsx"
    with xlsxwriter.Workbook(str(xlsx)) as wb:
        ws = wb.add_worksheet("Data")
        for r, row in enumerate([["site", "Unnamed: 1", "ph"], ["Brest", 0, 7.1], ["Rennes", 1, 6.9]]):
            ws.write_row(r, 0, row)
    report = _check(installed, csv, xlsx)
    found = {
        Path(f["path"]).name: [(x["code"], x["sheet"], x["row"], x["column"], x["message"]) for x in f["findings"]
                               if x["rule"] == "unnamed-column"]
        for f in report["files"]
    }  # fmt: skip
    assert found == {
        "export.csv": [("TC901", None, 1, 1, "Column 1 is pandas' index.")],
        "export.xlsx": [("TC901", "Data", 1, 2, "Column 2 is pandas' index.")],
    }


def test_without_the_plugin_the_rule_is_absent(tmp_path: Path) -> None:
    csv = tmp_path / "export.csv"
    csv.write_text("Unnamed: 0,site\n0,Brest\n", encoding="utf-8")
    report = _check(tmp_path, csv)
    assert [x["rule"] for x in report["files"][0]["findings"] if x["code"] == "TC901"] == []
