"""The README's first command: the showcase folder, one file per typical problem, one screen."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tabcheck.api import check

ROOT = Path(__file__).resolve().parent.parent
SHOWCASE = ROOT / "examples" / "showcase"


def _made() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("make_showcase", ROOT / "examples" / "make_showcase.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.showcase()  # type: ignore[no-any-return]


def test_the_committed_showcase_is_what_its_script_makes() -> None:
    made = _made()
    assert sorted(p.name for p in SHOWCASE.iterdir()) == sorted(made)
    for name, data in made.items():
        assert (SHOWCASE / name).read_bytes() == data, name


def test_each_showcase_file_shows_its_problem() -> None:
    run = check([SHOWCASE])
    found = {Path(f.path).name: (f.status, sorted({x.rule for x in f.findings})) for f in run.files}
    assert found == {
        "01-clean_measurements.csv": ("ready", []),
        "02-export-excel-francais.csv": (
            "fails",
            ["decimal-comma", "delimiter-not-comma", "encoding-not-utf8"],
        ),
        "03-survey_answers.csv": ("fails", ["ragged-row"]),
        "04-releves-avec-titre.csv": ("fails", ["title-or-notes-rows"]),
        "05-entretiens.csv": ("fails", ["embedded-newline"]),
        "06-duplicate_names.csv": ("fails", ["duplicate-header", "empty-header"]),
        "07-codes-postaux.csv": ("altered", ["leading-zeros"]),
        "08-dates-francaises.csv": ("altered", ["dates-as-text"]),
        "09-missing_values.csv": ("altered", ["null-becomes-zero"]),
        "10-classeur-deux-feuilles.xlsx": (
            "altered",
            [
                "cells-outside-header",
                "empty-header",
                "header-renamed",
                "merged-cells",
                "multiple-sheets",
                "title-or-notes-rows",
            ],
        ),
        "11-wide_table.csv": ("fails", ["too-many-columns"]),
        "12-vieux-format.xls": ("not-ingested", ["unsupported-format"]),
    }
    assert sum(3 + len(f.findings) for f in run.files) + 1 <= 60  # one screen of text output
