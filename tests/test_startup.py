"""A check of CSV files never loads the workbook reader, the HTML templates or the process pool."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from tabcheck.cli import main
sys.argv = ["tabcheck", "check", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return set(json.loads(out.stderr.strip().splitlines()[-1]))


def test_a_csv_run_imports_no_workbook_reader_no_pool_no_templates() -> None:
    loaded = _modules("fixtures/csv/good.csv", "fixtures/csv/ragged-row-short.bad.csv", "--format", "json")
    heavy = {
        "tabcheck.workbook.reader",
        "tabcheck.workbook.sheet",
        "tabcheck.workbook.package",
        "openpyxl",
        "jinja2",
        "multiprocessing",
        "concurrent.futures.process",
        "charset_normalizer",
    }
    assert loaded & heavy == set()
    assert "tabcheck.scan.csv" in loaded  # the probe did check the files


def test_a_workbook_run_loads_the_workbook_reader() -> None:
    assert "tabcheck.workbook.reader" in _modules("fixtures/xlsx/cols_702.xlsx", "--format", "json")
