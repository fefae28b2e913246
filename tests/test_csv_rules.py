"""Every CSV/TSV rule on its fixtures in fixtures/csv, through the public API, with exact findings.

A bad fixture must give exactly the listed findings (rule, code, severity, row, line, column,
column_name, count) and the predicted ingest outcome; a good fixture must give no finding at all.
The tests after the per-rule tables pin details that were once wrong (see each docstring).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tabcheck.api import check
from tabcheck.plugins import all_rules

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures" / "csv"


def report(name: str | Path, **kw):
    path = name if isinstance(name, Path) else FIX / name
    run = check([path], **kw)
    assert len(run.files) == 1
    r = run.files[0]
    assert r.error is None, r.error
    return r


def F(rule, code, severity, row=None, line=None, column=None, column_name=None, count=1):
    """An expected finding: the fields a user (or the JSON output) sees."""
    return (rule, code, severity, row, line, column, column_name, count)


def seen(r) -> list[tuple]:
    return [
        (
            f.rule,
            f.code,
            f.severity.value,
            f.location.row,
            f.location.line,
            f.location.column,
            f.location.column_name,
            f.count,
        )
        for f in r.findings
    ]


# fixture, api keyword arguments, expected findings, predicted outcome
CASES = [
    # TC001 file-too-large
    (
        "file-too-large.bad.csv",
        {"max_ingest_size": 100},
        [F("file-too-large", "TC001", "blocker")],
        "skipped-size",
    ),
    # TC002 upload-too-large
    (
        "upload-too-large.bad.csv",
        {"max_upload_size": 100},
        [F("upload-too-large", "TC002", "blocker")],
        "ingested",
    ),
    # TC003 no-data
    ("no-data-empty.bad.csv", {}, [F("no-data", "TC003", "blocker", 1, 1)], "ingested"),
    ("no-data-header-only.bad.csv", {}, [F("no-data", "TC003", "blocker", 1, 1)], "ingested"),
    ("no-data-header-only.bad.tsv", {}, [F("no-data", "TC003", "blocker", 1, 1)], "ingested"),
    # TC004 not-tabular
    ("not-tabular-zip.bad.csv", {}, [F("not-tabular", "TC004", "blocker")], "ingested"),
    ("not-tabular-nul.bad.csv", {}, [F("not-tabular", "TC004", "warning", None, 3, count=2)], "ingested"),
    # TC005 unsupported-format
    ("unsupported-format.bad.xls", {}, [F("unsupported-format", "TC005", "warning")], "not-ingested"),
    ("unsupported-format.bad.ods", {}, [F("unsupported-format", "TC005", "warning")], "not-ingested"),
    ("unsupported-format-tab.bad.txt", {}, [F("unsupported-format", "TC005", "warning")], "not-ingested"),
    ("unsupported-format-utf16.bad.txt", {}, [F("unsupported-format", "TC005", "warning")], "not-ingested"),
    (
        "unsupported-format-semicolon.bad.txt",
        {},
        [F("unsupported-format", "TC005", "warning")],
        "not-ingested",
    ),
    # TC101 encoding-not-utf8
    (
        "encoding-not-utf8-cp1252.bad.csv",
        {},
        [F("encoding-not-utf8", "TC101", "blocker", None, 3, count=4)],
        "ingested",
    ),
    ("encoding-not-utf8-utf16.bad.csv", {}, [F("encoding-not-utf8", "TC101", "blocker", None, 1)], "fails"),
    # TC103 encoding-uncertain: Irène (Windows-1252) or Irčne (Windows-1250)? tabcheck says it does not know
    (
        "encoding-uncertain.bad.csv",
        {},
        [F("encoding-not-utf8", "TC101", "blocker", None, 2), F("encoding-uncertain", "TC103", "warning")],
        "ingested",
    ),
    # TC104 mixed-encodings: UTF-8, then Windows-1252 from line 4 (one finding, not also TC101)
    ("mixed-encodings.bad.csv", {}, [F("mixed-encodings", "TC104", "blocker", None, 4)], "ingested"),
    # TC105 delimiter-uncertain: `;` and `,` both split the rows into two columns of text
    ("delimiter-uncertain.bad.csv", {}, [F("delimiter-uncertain", "TC105", "warning")], "ingested"),
    # TC102 utf8-bom (Dataverse will name the first variable "\ufeffid"; the user knows it as "id")
    ("utf8-bom.bad.csv", {}, [F("utf8-bom", "TC102", "warning", 1, 1, 1, "id")], "ingested"),
    # TC201 delimiter-not-comma
    (
        "delimiter-not-comma-semicolon.bad.csv",
        {},
        [F("delimiter-not-comma", "TC201", "blocker", 1, 1)],
        "ingested",
    ),
    (
        "delimiter-not-comma-pipe.bad.csv",
        {},
        [F("delimiter-not-comma", "TC201", "blocker", 1, 1)],
        "ingested",
    ),
    # TC202 delimiter-not-tab
    ("delimiter-not-tab-comma.bad.tsv", {}, [F("delimiter-not-tab", "TC202", "blocker", 1, 1)], "ingested"),
    (
        "delimiter-not-tab-semicolon.bad.tsv",
        {},
        [F("delimiter-not-tab", "TC202", "blocker", 1, 1)],
        "ingested",
    ),
    # TC401 decimal-comma (with the semicolon delimiter that usually comes with it)
    (
        "decimal-comma-semicolon.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 2, None, 2, "weight", 2),
        ],
        "fails",
    ),
    (
        "decimal-comma-quoted.bad.csv",
        {},
        [F("decimal-comma", "TC401", "blocker", 2, None, 2, "weight", 2)],
        "ingested",
    ),
    # TC212 total-row
    ("total-row.bad.csv", {}, [F("total-row", "TC212", "warning", 4, None, 1, "commune")], "ingested"),
    (
        "dates-as-text-month-names.bad.csv",
        {},
        [F("dates-as-text", "TC404", "warning", 2, None, 2, "prélèvement", 3)],
        "ingested",
    ),
    (
        "dates-as-text-total-row.bad.csv",
        {},
        [
            F("title-or-notes-rows", "TC204", "blocker", 6, 6),
            F("total-row", "TC212", "warning", 5, None, 1, "date"),
            F("dates-as-text", "TC404", "warning", 2, None, 1, "date", 3),
        ],
        "ingested",
    ),
    # TC305 second-header-row
    (
        "second-header-row.bad.csv",
        {},
        [F("second-header-row", "TC305", "warning", 2, None, 2, "temperature", 2)],
        "ingested",
    ),
    (
        # The header again inside the table: one finding, not a word among numbers per column.
        "second-header-row-repeated.bad.csv",
        {},
        [F("second-header-row", "TC305", "warning", 4, None, 2, "date", 1)],
        "ingested",
    ),
    (
        # Two rows of names under the names: one finding, not a word among numbers per column.
        "second-header-row-survey.bad.csv",
        {},
        [F("second-header-row", "TC305", "warning", 2, None, 2, "Q1", 2)],
        "ingested",
    ),
    (
        # Its decimal commas are said too (and fixed): the units are the row's, not the column's.
        "second-header-row-decimal-comma.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 3, None, 2, "temperature", 2),
            F("decimal-comma", "TC401", "blocker", 3, None, 3, "rain", 2),
            F("second-header-row", "TC305", "warning", 2, None, 2, "temperature", 2),
        ],
        "fails",
    ),
    (
        "decimal-comma-below-one.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 2, None, 2, "conc", 3),
        ],
        "fails",
    ),
    (
        "decimal-comma-ambiguous.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 2, None, 2, "conc", 2),
        ],
        "fails",
    ),
    (
        "decimal-comma-mixed-conventions.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 2, None, 2, "montant", 1),
        ],
        "fails",
    ),
    (
        "thousands-separators-comma.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("thousands-separators", "TC409", "warning", 2, None, 2, "montant", 2),
        ],
        "fails",
    ),
    (
        "numbers-as-text-formula-text.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 2, None, 1, "code", 3)],
        "ingested",
    ),
    (
        "numbers-as-text-trailing-minus.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 3, None, 2, "montant", 2),
            F("numbers-as-text", "TC402", "warning", 2, None, 2, "montant", 2),
        ],
        "fails",
    ),
    (
        "thousands-separators-point-groups.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 2, None, 3, "taux", 2),
            F("thousands-separators", "TC409", "warning", 2, None, 2, "effectif", 3),
        ],
        "fails",
    ),
    # TC402 numbers-as-text
    (
        "numbers-as-text-thousands-comma.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 2, None, 2, "population", 2)],
        "ingested",
    ),
    # TC409 thousands-separators
    (
        "thousands-separators.bad.csv",
        {},
        [F("thousands-separators", "TC409", "warning", 3, None, 2, "population", 2)],
        "ingested",
    ),
    (
        "numbers-as-text-percent.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 3, None, 2, "rate", 2)],
        "ingested",
    ),
    (
        "numbers-as-text-currency.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 2, None, 2, "price", 2)],
        "ingested",
    ),
    (
        "numbers-as-text-boolean.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 2, None, 2, "flag", 3)],
        "ingested",
    ),
    (
        "numbers-as-text-missing-code.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 3, None, 2, "score", 2)],
        "ingested",
    ),
    (
        "numbers-as-text-limit.bad.csv",
        {},
        [F("numbers-as-text", "TC402", "warning", 3, None, 2, "nitrate", 2)],
        "ingested",
    ),
    (
        "decimal-comma-kept-as-text.bad.csv",
        {},
        [
            F("delimiter-not-comma", "TC201", "blocker", 1, 1),
            F("decimal-comma", "TC401", "blocker", 2, None, 2, "rate", 2),
            F("numbers-as-text", "TC402", "warning", 3, None, 2, "rate"),
        ],
        "fails",
    ),
    # TC408 error-cells: #N/A, #DIV/0! exported as text
    (
        "error-cells.bad.csv",
        {},
        [
            F("error-cells", "TC408", "warning", 3, None, 2, "mass", 2),
            F("error-cells", "TC408", "warning", 3, None, 3, "ratio", 2),
        ],
        "ingested",
    ),
    # TC203 ragged-row
    ("ragged-row-short.bad.csv", {}, [F("ragged-row", "TC203", "blocker", 3, 3)], "fails"),
    ("ragged-row-long.bad.csv", {}, [F("ragged-row", "TC203", "blocker", 3, 3, 4)], "fails"),
    ("ragged-row-several.bad.csv", {}, [F("ragged-row", "TC203", "blocker", 3, 3, count=4)], "fails"),
    (
        "ragged-row-decimal-comma.bad.csv",
        {},
        [F("ragged-row", "TC203", "blocker", 2, 2, 4, count=3)],
        "fails",
    ),
    ("ragged-row-row-names.bad.csv", {}, [F("ragged-row", "TC203", "blocker", 2, 2, 4, count=3)], "fails"),
    (
        "ragged-row-trailing-delimiter.bad.csv",
        {},
        [F("ragged-row", "TC203", "blocker", 2, 2, 3, count=2)],
        "fails",
    ),
    # TC204 title-or-notes-rows
    ("title-or-notes-rows-title.bad.csv", {}, [F("title-or-notes-rows", "TC204", "blocker", 1, 1)], "fails"),
    (
        "title-or-notes-rows-title-rows-trailing.bad.csv",
        {},
        [F("ragged-row", "TC203", "blocker", 2), F("title-or-notes-rows", "TC204", "blocker", 1, 1)],
        "fails",
    ),
    (
        "title-or-notes-rows-excel-separator.bad.csv",
        {},
        [F("title-or-notes-rows", "TC204", "blocker", 1, 1)],
        "fails",
    ),
    (
        "title-or-notes-rows-padded-title.bad.csv",
        {},
        [F("title-or-notes-rows", "TC204", "blocker", 1, 1)],
        "fails",
    ),
    (
        "title-or-notes-rows-notes.bad.csv",
        {},
        [
            F("title-or-notes-rows", "TC204", "blocker", 8, 8, count=2),
            F("blank-line", "TC205", "blocker", 7, 7),
        ],
        "fails",
    ),
    # TC205 blank-line
    ("blank-line-middle.bad.csv", {}, [F("blank-line", "TC205", "blocker", 3, 3)], "fails"),
    ("blank-line-trailing.bad.csv", {}, [F("blank-line", "TC205", "blocker", 4, 4)], "fails"),
    ("blank-line-whitespace-last.bad.csv", {}, [F("blank-line", "TC205", "blocker", 4, 4)], "fails"),
    ("blank-line-empty-cells.bad.csv", {}, [F("blank-line", "TC205", "warning", 3, 3, count=2)], "ingested"),
    # TC206 embedded-newline
    (
        "embedded-newline-lf.bad.csv",
        {},
        [F("embedded-newline", "TC206", "warning", 3, 3, 2, "text")],
        "ingested",
    ),
    (
        "embedded-newline-crlf.bad.csv",
        {},
        [F("embedded-newline", "TC206", "blocker", 3, 3, 2, "text")],
        "fails",
    ),
    (
        "embedded-newline-crlf.bad.csv",
        {"dataverse": "6.7"},
        [F("embedded-newline", "TC206", "blocker", 3, 3, 2, "text")],
        "fails",
    ),
    (
        "embedded-newline-crlf.bad.csv",
        {"dataverse": "6.6"},
        [F("embedded-newline", "TC206", "warning", 3, 3, 2, "text")],
        "ingested",
    ),
    # TC207 unclosed-quote
    ("unclosed-quote.bad.csv", {}, [F("unclosed-quote", "TC207", "blocker", 3, 3, 2, "text")], "ingested"),
    (
        "unclosed-quote.bad.csv",
        {"dataverse": "6.7"},
        [F("unclosed-quote", "TC207", "blocker", 3, 3, 2, "text")],
        "fails",
    ),
    ("unclosed-quote.bad.tsv", {}, [F("unclosed-quote", "TC207", "blocker", 3, 3, 2, "text")], "fails"),
    (
        "unclosed-quote-midfile.bad.csv",
        {},
        [F("unclosed-quote", "TC207", "blocker", 2, 2, 2, "text")],
        "ingested",
    ),
    # TC208 bad-quoting
    (
        "bad-quoting-text-after-quote.bad.csv",
        {},
        [F("bad-quoting", "TC208", "blocker", 3, 3, 2, "text")],
        "ingested",
    ),
    (
        "bad-quoting-backslash.bad.csv",
        {},
        [F("bad-quoting", "TC208", "blocker", 3, 3, 2, "text")],
        "ingested",
    ),
    (
        "bad-quoting-backslash.bad.csv",
        {"dataverse": "6.6"},
        [F("bad-quoting", "TC208", "blocker", 3, 3, 2, "text")],
        "fails",
    ),
    # TC301 empty-header
    ("empty-header-empty.bad.csv", {}, [F("empty-header", "TC301", "blocker", 1, 1, 2)], "fails"),
    (
        "empty-header-whitespace.bad.csv",
        {},
        [F("empty-header", "TC301", "blocker", 1, 1, 2, "  ")],
        "fails",  # the reader keeps a name of spaces; the database save refuses it
    ),
    ("empty-header-trailing-comma.bad.csv", {}, [F("empty-header", "TC301", "blocker", 1, 1, 3)], "fails"),
    (
        "empty-header-leading-blank-line.bad.csv",
        {},
        [F("empty-header", "TC301", "blocker", 1, 1, 1)],
        "fails",
    ),
    # TC302 duplicate-header
    ("duplicate-header.bad.csv", {}, [F("duplicate-header", "TC302", "blocker", 1, 1, 3, "x")], "fails"),
    ("duplicate-header.bad.tsv", {}, [F("duplicate-header", "TC302", "blocker", 1, 1, 3, "x")], "fails"),
    # TC303 header-too-long (the finding names the column by its first 40 characters)
    (
        "header-too-long.bad.csv",
        {},
        [F("header-too-long", "TC303", "blocker", 1, 1, 2, "Soil organic carbon content measured by ")],
        "fails",  # over 255 characters: the database save refuses the variable name
    ),
    # TC403 null-becomes-zero
    (
        "null-becomes-zero.bad.csv",
        {},
        [F("null-becomes-zero", "TC403", "blocker", 3, None, 2, "score", 2)],
        "ingested",
    ),
    # TC404 dates-as-text
    (
        "dates-as-text-dmy.bad.csv",
        {},
        [F("dates-as-text", "TC404", "warning", 2, None, 2, "sampled", 3)],
        "ingested",
    ),
    (
        "dates-as-text-impossible.bad.csv",
        {},
        [F("dates-as-text", "TC404", "warning", 3, None, 2, "sampled")],
        "ingested",
    ),
    (
        "dates-as-text-either-order.bad.csv",
        {},
        [F("dates-as-text", "TC404", "warning", 2, None, 2, "sampled", 3)],
        "ingested",
    ),
    (
        "dates-as-text-mixed-order.bad.csv",
        {},
        [F("dates-as-text", "TC404", "warning", 2, None, 2, "sampled", 3)],
        "ingested",
    ),
    # TC405 leading-zeros
    ("leading-zeros.bad.csv", {}, [F("leading-zeros", "TC405", "warning", 2, None, 2, "zip", 2)], "ingested"),
    # TC411 text-among-numbers
    (
        "text-among-numbers.bad.csv",
        {},
        [F("text-among-numbers", "TC411", "warning", 5, None, 2, "dose", 2)],
        "ingested",
    ),
    # TC410 times-as-dates
    (
        "times-as-dates.bad.csv",
        {},
        [F("times-as-dates", "TC410", "warning", 2, None, 2, "sampled", 2)],
        "ingested",
    ),
]


def _ids(case) -> str:
    name, kw = case[0], case[1]
    return name + "".join(f"[{k}={v}]" for k, v in kw.items())


@pytest.mark.parametrize("name,kw,expected,outcome", CASES, ids=[_ids(c) for c in CASES])
def test_bad_fixture_gives_exactly_these_findings(name, kw, expected, outcome):
    r = report(name, **kw)
    assert seen(r) == expected
    assert r.dataverse.outcome.value == outcome


GOOD = sorted(p.name for p in FIX.iterdir() if ".good." in p.name or p.name.startswith("good."))


@pytest.mark.parametrize("name", GOOD)
def test_good_fixture_gives_no_finding(name):
    kw = {"max_ingest_size": 100, "max_upload_size": 100} if "too-large" in name else {}
    assert seen(report(name, **kw)) == []


def test_every_bad_fixture_is_tested_and_every_csv_rule_has_one():
    tested = {c[0] for c in CASES}
    on_disk = {p.name for p in FIX.iterdir() if ".bad." in p.name}
    assert on_disk == tested
    # too-many-columns: tmp_path below; a wide record and a file that changes: test_csv_budgets.py
    covered = {e[0] for c in CASES for e in c[2]} | {"too-many-columns"}
    csv_rules_elsewhere = {"record-too-wide", "file-changed-while-read"}
    csv_rules = {
        r.name
        for r in all_rules().values()
        if (r.applies_to("csv") or r.applies_to("tsv")) and r.name != "rule-crashed"
    }
    assert csv_rules | {"unsupported-format"} == covered | csv_rules_elsewhere
    for name in covered - {"too-many-columns"}:  # each rule also has a good fixture
        assert any(g.startswith(name + ".") or g.startswith(name + "-") for g in GOOD), name


def test_fixtures_are_what_the_script_writes():
    import importlib.util

    script = ROOT / "fixtures" / "make_csv_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_csv_fixtures", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.FIXTURES) == sorted(p.name for p in FIX.iterdir())
    for name, data in module.FIXTURES.items():
        assert (FIX / name).read_bytes() == data, name


# -- effects: what Dataverse does, per version ------------------------------------------------------

EFFECTS = [
    ("delimiter-not-comma-semicolon.bad.csv", "6.8", "delimiter-not-comma", "degrades"),
    ("decimal-comma-semicolon.bad.csv", "6.8", "delimiter-not-comma", "fails"),
    ("decimal-comma-semicolon.bad.csv", "6.8", "decimal-comma", "degrades"),
    ("not-tabular-nul.bad.csv", "6.8", "not-tabular", "degrades"),
    ("encoding-not-utf8-cp1252.bad.csv", "6.8", "encoding-not-utf8", "degrades"),
    ("encoding-not-utf8-utf16.bad.csv", "6.8", "encoding-not-utf8", "fails"),
    ("embedded-newline-lf.bad.csv", "6.8", "embedded-newline", "advice"),
    ("embedded-newline-crlf.bad.csv", "6.8", "embedded-newline", "fails"),
    ("embedded-newline-crlf.bad.csv", "6.6", "embedded-newline", "advice"),
    ("unclosed-quote.bad.csv", "6.8", "unclosed-quote", "degrades"),
    ("unclosed-quote.bad.csv", "6.7", "unclosed-quote", "fails"),
    ("unclosed-quote.bad.tsv", "6.8", "unclosed-quote", "fails"),
    ("bad-quoting-text-after-quote.bad.csv", "6.8", "bad-quoting", "degrades"),
    ("bad-quoting-text-after-quote.bad.csv", "6.6", "bad-quoting", "fails"),
    ("empty-header-empty.bad.csv", "6.8", "empty-header", "fails"),
    ("empty-header-whitespace.bad.csv", "6.8", "empty-header", "fails"),
    ("delimiter-not-tab-comma.bad.tsv", "6.8", "delimiter-not-tab", "degrades"),
    ("delimiter-not-tab-semicolon.bad.tsv", "6.8", "delimiter-not-tab", "degrades"),
]


@pytest.mark.parametrize("name,version,rule,effect", EFFECTS)
def test_effect(name, version, rule, effect):
    found = [f for f in report(name, dataverse=version).findings if f.rule == rule]
    assert [f.effect.value for f in found] == [effect]


# -- sizes -----------------------------------------------------------------------------------------


def test_file_too_large_at_the_limit_and_below():
    size = (FIX / "file-too-large.bad.csv").stat().st_size
    assert size == 132
    r = report("file-too-large.bad.csv", max_ingest_size=size)
    assert [f.text() for f in r.findings] == [
        "The file is 132 bytes; the ingest limit is 132 bytes: Dataverse will store it without ingesting it."
    ]
    # stored without ingest (skipped-size): `not-ingested`, no longer counted as `fails`; it still blocks
    assert (r.status, r.verdict.blocking) == ("not-ingested", True)
    r = report("file-too-large.bad.csv", max_ingest_size=size + 1)
    assert r.findings == []
    assert r.dataverse.outcome.value == "ingested"


def test_file_too_large_understands_units():
    r = report("file-too-large.bad.csv", max_ingest_size="0.1KB")  # 102 bytes
    assert [f.text() for f in r.findings] == [
        "The file is 132 bytes; the ingest limit is 102 bytes: Dataverse will store it without ingesting it."
    ]


def test_upload_too_large_only_above_the_limit():
    size = (FIX / "upload-too-large.bad.csv").stat().st_size
    assert size == 125
    assert report("upload-too-large.bad.csv", max_upload_size=size).findings == []
    r = report("upload-too-large.bad.csv", max_upload_size=size - 1)
    assert [(f.rule, f.text()) for f in r.findings] == [
        ("upload-too-large", "The file is 125 bytes; the upload limit is 124 bytes.")
    ]


def test_upload_limit_applies_to_every_format():
    r = report("unsupported-format.bad.xls", max_upload_size=100)
    assert [f.rule for f in r.findings] == ["upload-too-large", "unsupported-format"]


def test_plain_text_file_is_not_ingested_and_says_nothing():
    r = report("unsupported-format-readme.good.txt")
    assert (r.findings, r.dataverse.outcome.value) == ([], "not-ingested")
    assert (r.encoding, r.delimiter) == (None, None)


def test_plain_text_file_is_not_counted_as_failing():
    """Was: a README.txt with no finding had status 'fails' and counted as 'will fail'."""
    run = check([FIX / "unsupported-format-readme.good.txt"])
    assert run.files[0].status != "fails"
    assert run.summary["blocked"] == 0


# -- messages --------------------------------------------------------------------------------------

MESSAGES = [
    (
        "no-data-empty.bad.csv",
        "no-data",
        "The file is empty: Dataverse will ingest it with no variable and no observation.",
    ),
    ("no-data-header-only.bad.csv", "no-data", "The table has a header (3 columns) and no data row."),
    (
        "not-tabular-zip.bad.csv",
        "not-tabular",
        "The file is not text: its content looks like a zip archive (an .xlsx workbook?).",
    ),
    (
        "not-tabular-nul.bad.csv",
        "not-tabular",
        "2 NUL bytes, first on line 3: they will be kept inside values.",
    ),
    (
        "unsupported-format.bad.xls",
        "unsupported-format",
        "This is the old Excel format (.xls): Dataverse will store it without ingesting it. Save it as CSV "
        "UTF-8 or .xlsx to have it ingested.",
    ),
    (
        "unsupported-format-tab.bad.txt",
        "unsupported-format",
        "This text file looks like a table separated by TABs: rename it to .tsv to have it ingested.",
    ),
    (
        "unsupported-format-utf16.bad.txt",
        "unsupported-format",
        "This text file looks like a table separated by TABs (encoded in utf-16-le, not UTF-8): renaming it "
        "is not enough to have it ingested; `tabcheck fix` writes it as a UTF-8 CSV.",
    ),
    (
        "unsupported-format-semicolon.bad.txt",
        "unsupported-format",
        "This text file looks like a table separated by semicolons (not by commas or tabs): renaming it is "
        "not enough to have it ingested; `tabcheck fix` writes it as a UTF-8 CSV.",
    ),
    (
        "encoding-not-utf8-cp1252.bad.csv",
        "encoding-not-utf8",
        "The file is not valid UTF-8 (it looks like windows-1252); first invalid byte on line 3 (byte 35). "
        "Accented letters will become '\ufffd'.",
    ),
    (
        "encoding-not-utf8-utf16.bad.csv",
        "encoding-not-utf8",
        "The file is encoded in UTF-16-LE: Dataverse reads it as UTF-8 and the ingest fails.",
    ),
    (
        "delimiter-not-comma-semicolon.bad.csv",
        "delimiter-not-comma",
        "Values are separated by semicolons (3 columns), not commas: Dataverse will read the whole table as "
        "one text variable.",
    ),
    (
        "decimal-comma-semicolon.bad.csv",
        "delimiter-not-comma",
        "Values are separated by semicolons (2 columns), not commas: Dataverse will fail to ingest it.",
    ),
    (
        "delimiter-not-tab-comma.bad.tsv",
        "delimiter-not-tab",
        "Values are separated by commas, not TAB: Dataverse will read each line as one value.",
    ),
    (
        "decimal-comma-quoted.bad.csv",
        "decimal-comma",
        "Column 2 “weight”: 2 values with a decimal comma (e.g. “3,5”, rows 2, 4): the column will be text.",
    ),
    (
        "decimal-comma-ambiguous.bad.csv",
        "decimal-comma",
        "Column 2 “conc”: 2 values such as “3,125” (rows 2, 3) will be text, and “3,125” may be 3.125 or "
        "3125. `tabcheck fix` leaves them as written, since no number of the column says which mark is the "
        "decimal one: write them one way by hand.",
    ),
    (
        "decimal-comma-mixed-conventions.bad.csv",
        "decimal-comma",
        "Column 2 “montant”: 1 value with a decimal comma (e.g. “3,5”, row 2) beside numbers with commas "
        "between the thousands (“67,750,000”, row 3): the column will be text. `tabcheck fix` leaves them "
        "as written, since which mark is the decimal one cannot be known: write them one way by hand.",
    ),
    (
        "numbers-as-text-formula-text.bad.csv",
        "numbers-as-text",
        'Column 1 “code”: 3 values are written as an Excel formula that keeps text (e.g. “="01004"”, rows '
        "2, 3, 4): Dataverse will store them as written, with the = and the quotes.",
    ),
    (
        "thousands-separators-comma.bad.csv",
        "thousands-separators",
        "Column 2 “montant”: 2 values with thousands separators (e.g. “2,500,000.25”, rows 2, 3): the column "
        "will be text.",
    ),
    (
        "numbers-as-text-trailing-minus.bad.csv",
        "numbers-as-text",
        "Column 2 “montant”: 2 values with a minus after the number for a negative (e.g. “475,88-”, rows 2, "
        "5): the column will be text.",
    ),
    (
        "thousands-separators-point-groups.bad.csv",
        "thousands-separators",
        "Column 2 “effectif”: its 3 numbers are all written with three digits after a point (e.g. “1.000”, "
        "rows 2, 3, 5), while column 3 “taux” writes decimals with a comma (“3,5”): if that point separates "
        "thousands, Dataverse will read them a thousand times too small (1.000 as 1, not 1000). Write them "
        "without a separator (1000), or leave them as they are if they are decimals.",
    ),
    (
        "numbers-as-text-thousands-comma.bad.csv",
        "numbers-as-text",
        "Column 2 “population”: 2 values with thousands separators (e.g. “12,345,678”, rows 2, 4): the "
        "column will be text.",
    ),
    (
        "numbers-as-text-missing-code.bad.csv",
        "numbers-as-text",
        "Column 2 “score”: 2 values with a missing-value code Dataverse does not know (e.g. “.”, rows 3, 5): "
        "the column will be text.",
    ),
    (
        "ragged-row-several.bad.csv",
        "ragged-row",
        "4 rows do not have 3 cells like the header: row 3 has 2 (rows 3, 5, 6, 10).",
    ),
    (
        "ragged-row-decimal-comma.bad.csv",
        "ragged-row",
        "3 rows do not have 3 cells like the header: row 2 has 5 (rows 2, 3, 4). Its values (“1,60,5,1,75”) may "
        "be numbers written with a comma and not between quotes, which the comma splits in two (3,5 read as 3 "
        "and 5): write decimals with a point, or put such numbers between quotes.",
    ),
    (
        "ragged-row-long.bad.csv",
        "ragged-row",
        "1 row does not have 3 cells like the header: row 3 has 4.",
    ),
    (
        "second-header-row-repeated.bad.csv",
        "second-header-row",
        'Row 4 repeats the header ("date", "temperature", "rain"): tables put end to end? Dataverse takes it '
        "for an observation, and it makes columns 2, 3, 4 text. Delete it.",
    ),
    (
        "delimiter-uncertain.bad.csv",
        "delimiter-uncertain",
        'The delimiter is uncertain: commas (45 % sure) or semicolons (45 %). With commas, the header\'s names are "code;nom", '
        '"prenom"; with semicolons, "code", "nom,prenom". Pass `--delimiter` to say which.',
    ),
    (
        "encoding-uncertain.bad.csv",
        "encoding-uncertain",
        "The encoding is uncertain: windows-1252 (50 % sure) reads “Irène”, windows-1250 (43 %) reads “Irčne”. "
        "If “Irène” is right, pass `--encoding windows-1252`; if “Irčne” is, `--encoding windows-1250`.",
    ),
    (
        "ragged-row-row-names.bad.csv",
        "ragged-row",
        "3 rows do not have 3 cells like the header: row 2 has 4 (rows 2, 3, 4). Every row starts with its "
        "number (“1”) and the header has no name for it, as R's write.table() writes row names: add a name at "
        "the start of the header (e.g. “row”), or write the table with row.names = FALSE.",
    ),
    (
        "title-or-notes-rows-title.bad.csv",
        "title-or-notes-rows",
        "Row 1 above the header looks like a title: “Soil samples from Brittany (2021)”. The header seems "
        "to be row 2.",
    ),
    (
        "title-or-notes-rows-notes.bad.csv",
        "title-or-notes-rows",
        "Rows 8, 9 below the table look like notes or a legend: “Source: field survey 2021”.",
    ),
    ("blank-line-trailing.bad.csv", "blank-line", "1 empty line: line 4."),
    (
        "embedded-newline-lf.bad.csv",
        "embedded-newline",
        "1 line break inside a cell, in row 3, column 2 (text).",
    ),
    (
        "embedded-newline-crlf.bad.csv",
        "embedded-newline",
        "1 carriage return (CR) inside a cell, in row 3, column 2 (text): the ingest will fail when "
        "the table is saved.",
    ),
    (
        "unclosed-quote.bad.csv",
        "unclosed-quote",
        "The quote opened on line 3 (row 3, column 2) is never closed: everything after it is read as one "
        "value.",
    ),
    (
        "bad-quoting-backslash.bad.csv",
        "bad-quoting",
        "1 value has text after its closing quote, on line 3 (row 3, column 2).",
    ),
    (
        "empty-header-leading-blank-line.bad.csv",
        "empty-header",
        "The file starts with an empty line: Dataverse takes it as a header with one empty name.",
    ),
    ("empty-header-whitespace.bad.csv", "empty-header", "Header cell in column 2 holds only spaces."),
    ("duplicate-header.bad.csv", "duplicate-header", "The name “x” is used by columns 2, 3."),
    (
        "header-too-long.bad.csv",
        "header-too-long",
        "Column 2's name has 275 characters (limit 255): “Soil organic carbon content measured by …”.",
    ),
    (
        "null-becomes-zero.bad.csv",
        "null-becomes-zero",
        "Column 2 “score”: 2 “null” values will be stored as 0 (rows 3, 4).",
    ),
    (
        "dates-as-text-dmy.bad.csv",
        "dates-as-text",
        "Column 2 “sampled”: 3 dates like “25/12/2020” (rows 2, 3, 4) will be read as text.",
    ),
    (
        "dates-as-text-either-order.bad.csv",
        "dates-as-text",
        "Column 2 “sampled”: 3 dates like “05/04/2020” (rows 2, 3, 4) will be read as text; nothing tells "
        "whether the day or the month comes first (no number above 12): write them yyyy-mm-dd.",
    ),
    (
        "times-as-dates.bad.csv",
        "times-as-dates",
        "Column 2 “sampled”: 2 values like “2020-12-25 14:30” (rows 2, 4) will be read as dates: Dataverse "
        "leaves out the time of day (it reads one only in yyyy-mm-dd hh:mm:ss).",
    ),
    (
        "text-among-numbers.bad.csv",
        "text-among-numbers",
        'Column 2 “dose”: 2 values are not numbers ("5-10", "~3", rows 5, 12) among 20 numbers: the column '
        "will be text.",
    ),
    (
        "total-row.bad.csv",
        "total-row",
        'Row 4 looks like a row of totals ("Total" in column 1): Dataverse will count it as an observation, in '
        "every statistic.",
    ),
    (
        "second-header-row.bad.csv",
        "second-header-row",
        'Row 2 looks like a second header row: "°C", "mm" are the only values of columns 2, 3 that are not '
        "numbers: these columns will be text.",
    ),
    (
        "second-header-row-survey.bad.csv",
        "second-header-row",
        'Rows 2, 3 look like more header rows (a survey tool\'s question texts, units): "Age", "Satisfaction" '
        "and the values under them are the only values of columns 2, 3 that are not numbers: these columns "
        "will be text.",
    ),
    (
        "numbers-as-text-limit.bad.csv",
        "numbers-as-text",
        "Column 2 “nitrate”: 2 values with a limit sign, < or > (e.g. “<0.5”, rows 3, 5): the column will be text.",
    ),
    (
        "decimal-comma-kept-as-text.bad.csv",
        "decimal-comma",
        "Column 2 “rate”: 2 values with a decimal comma (e.g. “1,5”, rows 2, 4): the column will be text. "
        "`tabcheck fix` leaves them as written while “12,5 %” (row 3) keeps the column text: correct that "
        "value first.",
    ),
    (
        "leading-zeros.bad.csv",
        "leading-zeros",
        "Column 2 “zip”: 2 values with leading zeros (e.g. “01234”, rows 2, 4) will be read as numbers.",
    ),
]


@pytest.mark.parametrize("name,rule,message", MESSAGES, ids=[f"{m[1]}:{m[0]}" for m in MESSAGES])
def test_message(name, rule, message):
    assert [f.text() for f in report(name).findings if f.rule == rule] == [message]


def test_embedded_cr_message_for_66():
    r = report("embedded-newline-crlf.bad.csv", dataverse="6.6")
    assert [f.text() for f in r.findings] == [
        "1 carriage return (CR) inside a cell, in row 3, column 2 (text): accepted by this Dataverse "
        "version, refused from 6.7 on."
    ]


FRENCH = [
    (
        "ragged-row-short.bad.csv",
        "ragged-row",
        "1 ligne n'a pas 3 cellules comme l'en-tête : la ligne 3 en a 2.",
    ),
    (
        "delimiter-uncertain.bad.csv",
        "delimiter-uncertain",
        "Le séparateur est incertain\u00a0: des virgules (sûr à 45\u00a0%) ou des points-virgules (45\u00a0%). Avec "
        "des virgules, les noms de l'en-tête sont «\u00a0code;nom\u00a0», «\u00a0prenom\u00a0»\u202f; avec des "
        "points-virgules, «\u00a0code\u00a0», «\u00a0nom,prenom\u00a0». Indiquez-le avec `--delimiter`.",
    ),
    (
        "encoding-uncertain.bad.csv",
        "encoding-uncertain",
        "L'encodage est incertain : windows-1252 (sûr à 50 %) lit « Irène », windows-1250 "
        "(43 %) lit « Irčne ». Si « Irène » est juste, indiquez `--encoding "
        "windows-1252` ; si c'est « Irčne », `--encoding windows-1250`.",
    ),
    (
        "ragged-row-decimal-comma.bad.csv",
        "ragged-row",
        "3 lignes n'ont pas 3 cellules comme l'en-tête : la ligne 2 en a 5 (lignes 2, 3, 4). Ses valeurs "
        "(« 1,60,5,1,75 ») sont peut-être des nombres écrits avec une virgule et sans guillemets, que la "
        "virgule coupe en deux (3,5 lu comme 3 et 5) : écrivez les décimales avec un point, ou mettez ces "
        "nombres entre guillemets.",
    ),
    ("blank-line-middle.bad.csv", "blank-line", "1 ligne vide : ligne physique 3."),
    (
        "decimal-comma-quoted.bad.csv",
        "decimal-comma",
        "Colonne 2 « weight » : 2 valeurs avec une virgule décimale (par ex. « 3,5 », lignes 2, "
        "4) : la colonne sera du texte.",
    ),
    (
        "delimiter-not-comma-semicolon.bad.csv",
        "delimiter-not-comma",
        "Les valeurs sont séparées par des points-virgules (3 colonnes), pas par des virgules : Dataverse lira "
        "tout le tableau comme une seule variable texte.",
    ),
    (
        "not-tabular-zip.bad.csv",
        "not-tabular",
        "Le fichier n'est pas du texte : son contenu ressemble à une archive zip (un classeur .xlsx ?).",
    ),
    (
        "no-data-header-only.bad.csv",
        "no-data",
        "Le tableau a un en-tête (3 colonnes) et aucune ligne de données.",
    ),
]


@pytest.mark.parametrize("name,rule,french", FRENCH, ids=[f[1] for f in FRENCH])
def test_french_message_differs_from_english(name, rule, french):
    en = [f.text() for f in report(name, lang="en").findings if f.rule == rule]
    fr = [f.text("fr") for f in report(name).findings if f.rule == rule]
    assert fr == [french]
    assert len(en) == 1 and en != fr


def test_large_numbers_are_grouped_per_language(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id," + "n" * 12000 + "\n1,2\n")
    (en,) = report(path).findings
    (fr,) = report(path, lang="fr").findings
    assert en.text().startswith("Column 2's name has 12,000 characters (limit 255)")
    assert fr.text("fr").startswith("Le nom de la colonne 2 a 12\u202f000 caractères (limite 255)")


def test_french_sizes_are_french():
    """Was: human_size had no language ('132 bytes' in French messages)."""
    r = report("file-too-large.bad.csv", max_ingest_size=100)
    assert [f.text("fr") for f in r.findings] == [
        "Le fichier fait 132 octets ; la limite d'ingestion est de 100 octets : Dataverse le conservera sans "
        "l'ingérer."
    ]


# -- details ---------------------------------------------------------------------------------------


def test_ragged_row_samples_are_the_first_five_bad_rows(tmp_path):
    path = tmp_path / "many.csv"
    rows = ["a,b,c"] + [f"{i},x" if i % 3 == 0 else f"{i},x,y" for i in range(1, 31)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (f,) = report(path).findings
    assert (f.rule, f.count, f.location.row, f.location.line) == ("ragged-row", 10, 4, 4)
    assert [s.row for s in f.samples] == [4, 7, 10, 13, 16]
    assert f.text() == "10 rows do not have 3 cells like the header: row 4 has 2 (rows 4, 7, 10, 13, 16)."


def test_ragged_row_points_at_the_real_row_not_dataverse_line():
    r = report("ragged-row-several.bad.csv")
    assert r.dataverse.message == (
        "Reading mismatch, line 11 of the Data file: 3 delimited values expected, 2 found."
    )
    assert (r.dataverse.real_location.row, r.dataverse.real_location.line) == (3, 3)


def test_blank_lines_in_a_tsv_are_skipped():
    r = report("blank-line.good.tsv")
    assert (r.dataverse.outcome.value, r.dataverse.variables, r.dataverse.observations) == ("ingested", 2, 2)


def test_blank_line_in_a_one_column_csv_is_a_missing_value(tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(b"n\n1\n\n3\n")
    r = report(path)
    assert r.findings == []
    assert (r.dataverse.outcome.value, r.dataverse.observations, [c.type for c in r.dataverse.columns]) == (
        "ingested",
        3,
        ["integer"],
    )


def test_whitespace_only_line_in_a_one_column_csv_is_reported_by_the_exact_splitter(tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(b'n\n"1\n2"\n  \n3\n')  # the quoted line break sends the chunk to RecordSplitter
    found = [f for f in seen(report(path)) if f[0] == "blank-line"]
    assert found == [F("blank-line", "TC205", "blocker", 3, 4)]


def test_whitespace_only_line_in_a_one_column_csv_is_reported(tmp_path):
    """Was: missed by the fast path (no per-line frame when the delimiter count is right)."""
    path = tmp_path / "one.csv"
    path.write_bytes(b"n\n12\n  \n3\n")
    assert seen(report(path)) == [F("blank-line", "TC205", "blocker", 3, 3)]


def test_too_many_columns(tmp_path):
    bad, good = tmp_path / "wide.csv", tmp_path / "ok.tsv"
    bad.write_text(",".join(f"c{i}" for i in range(1, 1026)) + "\n" + ",".join("1" * 1025) + "\n")
    good.write_text("\t".join(f"c{i}" for i in range(1, 1025)) + "\n" + "\t".join("1" * 1024) + "\n")
    (f,) = report(bad).findings
    loc = f.location
    assert (f.rule, f.code, f.severity.value, loc.row, loc.line, loc.column, f.count) == (
        "too-many-columns",
        "TC209",
        "blocker",
        1,
        1,
        1025,
        1,
    )
    assert f.text() == "The table has 1025 columns; the limit is 1024."
    r = report(good)
    assert r.findings == []
    assert (r.dataverse.variables, r.dataverse.observations) == (1024, 1)


def test_too_many_columns_names_the_column(tmp_path):
    """Was: column 1025 located without its name."""
    bad = tmp_path / "wide.csv"
    bad.write_text(",".join(f"c{i}" for i in range(1, 1026)) + "\n" + ",".join("1" * 1025) + "\n")
    (f,) = report(bad).findings
    assert (f.location.column, f.location.column_name) == (1025, "c1025")


def test_semicolon_file_with_a_bom_names_the_column_without_it(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfid;name\n1;alice\n")
    (bom,) = [f for f in report(path).findings if f.rule == "utf8-bom"]
    assert bom.text() == "The first variable will be named '\\ufeffid' (with an invisible BOM character)."


def test_bom_message_shows_the_bom_once():
    """Was: a comma file kept the BOM in the name, printed after '\\ufeff' (the BOM twice)."""
    (f,) = report("utf8-bom.bad.csv").findings
    assert f.text() == "The first variable will be named '\\ufeffid' (with an invisible BOM character)."


def test_pipe_delimiter_message_is_readable():
    """Was: 'separated by pipe |s' (an 's' added to the delimiter's name)."""
    (f,) = report("delimiter-not-comma-pipe.bad.csv").findings
    assert f.text() == (
        "Values are separated by pipes (|) (3 columns), not commas: Dataverse will read the "
        "whole table as one text variable."
    )
    (f,) = report("delimiter-not-comma-pipe.bad.csv").findings
    assert f.text("fr") == (
        "Les valeurs sont séparées par des barres verticales « | » (3 colonnes), pas par des "
        "virgules : Dataverse lira tout le tableau comme une seule variable texte."
    )


def test_encoding_count_counts_the_bad_lines(tmp_path):
    """Was: the count was the number of 32 MB chunks holding a bad byte."""
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,ville\n1,Orléans\n2,Paris\n3,Béziers\n".encode("latin-1"))
    (f,) = report(path).findings
    assert (f.rule, f.location.line, f.count) == ("encoding-not-utf8", 2, 2)


@pytest.mark.parametrize(
    "body,expected",
    [
        ("id,v\n1,abc\n2,3\n3,4\n", []),  # one column: a word among (too few) numbers, no header
        ("id,v\n1,3\n2,abc\n3,4\n", []),  # not under the header: a value like others
        ("id,v\n1,abc\n2,def\n3,4\n", []),  # two text values: a text column
        ("id,v\n1,abc\n2,\n3,\n", []),  # no number under it
        ("id,v,w\n1,kg,12 %\n2,3,4\n", [("numbers-as-text", 2, 3)]),
        ("id,v,w\n1,kg,m\n2,3,4\n", [("second-header-row", 2, 2)]),
    ],
)
def test_second_header_row_is_the_first_rows_lone_text(tmp_path, body, expected):
    path = tmp_path / "t.csv"
    path.write_text(body)
    assert [(f.rule, f.location.row, f.location.column) for f in report(path).findings] == expected


@pytest.mark.parametrize(
    "body,expected",
    [
        ("a,n\nx,1\ny,2\nTOTAL :,3\n", [("total-row", 4)]),
        ("a,n\nx,1\ny,2\nSous-total,3\nz,4\nTotal général,10\n", [("total-row", 6)]),  # the last one
        ("stat,value\nmean,5.2\nsd,1.1\nn,30\n", []),  # a table of statistics: data under "mean"
        ("a,n\nx,1\ny,2\nMoyenne,1.5\n,\nSource : INSEE,\n", [("total-row", 4)]),  # notes below
        ("a,n\nx,1\ny,2\nTotal,\n", []),  # no number beside the label
        ("a,n\nx,1\ny,2\nTotalement,3\n", []),  # a word that only starts like one
        ("a,n\nTotal,3\nx,1\ny,2\nz,4\nw,5\n", []),  # far above the last rows
        ("a,b,n\nx,Total,1\ny,Total,2\n", []),  # a label in a later column, the first one filled
    ],
    ids=[
        "total-colon",
        "grand-total",
        "statistics-table",
        "mean-above-notes",
        "no-number",
        "longer-word",
        "far-above",
        "second-column",
    ],
)
def test_a_total_row_is_a_label_and_a_number_in_the_last_rows(tmp_path, body, expected):
    path = tmp_path / "t.csv"
    path.write_text(body)
    found = [(f.rule, f.location.row) for f in report(path).findings if f.rule == "total-row"]
    assert found == expected


def _numbers(n: int, *odd: tuple[int, str], delimiter: str = ",", comma: bool = False) -> str:
    values = [str(i + 0.5).replace(".", "," if comma else ".") for i in range(n)]
    for at, text in odd:
        values.insert(at, text)
    return f"id{delimiter}v\n" + "".join(f"{i}{delimiter}{v}\n" for i, v in enumerate(values, 1))


@pytest.mark.parametrize(
    "body,expected",
    [
        (_numbers(10, (3, "abc")), [("text-among-numbers", 5, 2)]),
        (_numbers(9, (3, "abc")), []),  # fewer than ten numbers a word: too few to tell
        (_numbers(40, (3, "a"), (9, "b"), (20, "c")), [("text-among-numbers", 5, 2)]),
        (_numbers(40, (3, "a"), (9, "b"), (20, "c"), (30, "d")), []),  # four words: a text column
        (_numbers(30, (3, "a"), (9, "12 %")), [("numbers-as-text", 11, 2), ("text-among-numbers", 5, 2)]),
        # Decimal commas are numbers to the user: said, and converted by fix, beside the word.
        (
            _numbers(30, (3, "1,2,3"), delimiter=";", comma=True),
            [("delimiter-not-comma", 1, None), ("decimal-comma", 2, 2), ("text-among-numbers", 5, 2)],
        ),
        (_numbers(30, (0, "refused")), [("text-among-numbers", 2, 2)]),  # one column: no header row
    ],
    ids=["one", "too-few", "three", "four", "beside-percent", "decimal-commas", "units-row"],
)
def test_text_among_numbers_is_a_few_words_among_many_numbers(tmp_path, body, expected):
    path = tmp_path / "t.csv"
    path.write_text(body)
    assert sorted((f.rule, f.location.row, f.location.column) for f in report(path).findings) == sorted(
        expected
    )


def test_second_header_row_under_a_title_is_the_row_under_the_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Relevés 2021\nstation,temperature,rain\n,°C,mm\nBrest,12.5,3.2\nRennes,13.1,0.0\n")
    found = [(f.rule, f.location.row) for f in report(path).findings]
    assert found == [("title-or-notes-rows", 1), ("second-header-row", 3)]


def test_one_value_is_reported_by_one_rule(tmp_path):
    """Was: "1,234" in a comma file was both a decimal comma and a thousands separator."""
    path = tmp_path / "ambiguous.csv"
    path.write_bytes(b'id,n\n1,"1,234"\n2,5\n')
    assert seen(report(path)) == [F("numbers-as-text", "TC402", "warning", 2, None, 2, "n")]


def test_notes_below_a_short_table(tmp_path):
    """Was: blank lines and notes (one cell each) outnumbered the data rows and set the table width."""
    path = tmp_path / "short.csv"
    path.write_bytes(b"id,depth,ph\n1,10,6.5\n2,20,6.8\n\nSource: field survey 2021\nNote: pH in water\n")
    assert [(f.rule, f.location.row) for f in report(path).findings] == [
        ("title-or-notes-rows", 5),
        ("blank-line", 4),
    ]


def test_same_file_same_findings(tmp_path):
    """Was: on a tie the table width came from an unordered polars group_by: two answers, run to run."""
    path = tmp_path / "tie.csv"
    path.write_bytes(
        b"id,depth,ph\n1,10,6.5\n2,20,6.8\n3,30,7.1\n\nSource: field survey 2021\n"
        b"Note: pH measured in water\n"
    )
    outcomes = Counter(tuple(f.rule for f in report(path).findings) for _ in range(40))
    assert outcomes == Counter({("title-or-notes-rows", "blank-line"): 40})


@pytest.mark.parametrize(
    "header,rule,count,message",
    [
        (
            "a" + "," * 3000,
            "empty-header",
            3000,
            "Header cells in columns 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (+2990) are empty.",
        ),
        (
            ",".join(["x"] * 3000),
            "duplicate-header",
            2999,
            "The name “x” is used by columns 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (+2990).",
        ),
    ],
    ids=["empty", "duplicate"],
)
def test_messages_stay_short_for_wide_headers(tmp_path, header, rule, count, message):
    """Was: every column listed (3000 columns: a message of ~15,000 characters)."""
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n")
    assert [(f.count, f.text()) for f in report(path).findings if f.rule == rule] == [(count, message)]


# -- defects found by these tests, since fixed ----------------------------------------------------------

CORPUS = ROOT / "fixtures" / "dataverse-verdicts" / "csv-tsv"


def test_a_file_with_a_blocker_is_not_ready():
    r = report(CORPUS / "21_cols_1100.csv")
    assert [(f.rule, f.severity.value) for f in r.findings] == [("too-many-columns", "blocker")]
    assert r.status != "ready"


def test_utf16_real_location_is_inside_the_file():
    r = report("encoding-not-utf8-utf16.bad.csv")
    assert r.dataverse.message == (
        "Reading mismatch, line 3 of the Data file: 2 delimited values expected, 1 found."
    )
    loc = r.dataverse.real_location
    assert loc is None or loc.row <= 3


def test_binary_file_has_no_encoding_or_delimiter():
    r = report("not-tabular-zip.bad.csv")
    assert (r.encoding, r.delimiter) == (None, None)


def test_duplicate_header_without_rows_degrades_in_68():
    r = report(CORPUS / "13_duplicate_header_norows.csv")
    assert r.dataverse.outcome.value == "ingested"
    assert [f.effect.value for f in r.findings if f.rule == "duplicate-header"] == ["degrades"]


def test_whitespace_only_line_in_a_tsv_is_explained(tmp_path):
    path = tmp_path / "spaces.tsv"
    path.write_bytes(b"a\tb\n1\t2\n  \n3\t4\n")
    r = report(path)
    assert r.dataverse.message == (
        "Reading mismatch, line 3 of the Data file: 2 delimited values expected, 1 found."
    )
    assert [(f.severity.value, f.location.row) for f in r.findings] == [("blocker", 3)]


def test_semicolon_file_with_quoted_header_fails_in_67(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_bytes(b'"id";"name"\n1;alice\n')
    r = report(path, dataverse="6.7")
    assert r.dataverse.message == "(line 1) invalid char between encapsulated token and delimiter"
    (f,) = r.findings
    assert (f.rule, f.effect.value) == ("delimiter-not-comma", "fails")
    assert f.text() == (
        "Values are separated by semicolons (2 columns), not commas: Dataverse will fail to ingest it."
    )


def _column_made_text(tmp_path: Path, body: bytes, expected: tuple, english: str, silent: bytes):
    """The one finding of a column Dataverse will make text (column 2), exact, its English text, the
    predicted type; and no finding on `silent`, a table whose like values are no number's."""
    path = tmp_path / "table.csv"
    path.write_bytes(body)
    r = report(path)
    assert seen(r) == [expected]
    assert r.findings[0].text("en") == english
    assert r.dataverse.columns[1].type == "character"
    quiet = tmp_path / "quiet.csv"
    quiet.write_bytes(silent)
    assert report(quiet).findings == []
    return r.findings[0]


def test_points_grouping_thousands_make_the_column_text(tmp_path):
    """Was: "1.234.567" matched no evidence, so its column counted as genuine text: no finding, and
    `fix` left it for Dataverse to store as text. One point ("12.345") is a decimal: a number."""
    f = _column_made_text(
        tmp_path,
        b"id,pop\n1,1.234.567\n2,12.345\n3,999\n4,-1.000.000\n",
        F("thousands-separators", "TC409", "warning", 2, None, 2, "pop", 2),
        "Column 2 “pop”: 2 values with thousands separators (e.g. “1.234.567”, rows 2, 5): the column will be text.",
        b"id,pop\n1,12.345\n2,1.5\n",
    )
    assert f.text("fr") == (
        "Colonne 2 «\u00a0pop\u00a0»\u00a0: 2 valeurs avec un séparateur de milliers (par ex. "
        "«\u00a01.234.567\u00a0», lignes 2, 5)\u00a0: la colonne sera du texte."
    )


def test_points_grouping_thousands_count_with_the_decimal_commas_of_their_column(tmp_path):
    """Was: beside "12,5", a "1.234.567" hid the column's decimal commas (TC401 missing): `fix` then
    left both as text. Both are one convention: decimal-comma says them, thousands-separators does not."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"id;pop\n1;1.234.567\n2;12,5\n3;999\n4;3,25\n")
    assert seen(report(path)) == [
        F("delimiter-not-comma", "TC201", "blocker", 1, 1),
        F("decimal-comma", "TC401", "blocker", 3, None, 2, "pop", 3),
    ]


def test_negatives_in_parentheses_or_with_a_typographic_minus_make_the_column_text(tmp_path):
    """Was: "ready, no problem found" for a column Dataverse makes text: Java reads neither
    (12.5), as accounting formats write a negative, nor −12.5 or –4 (U+2212, U+2013), as word
    processors do. A column of labels such as "(a)" is text anyway: nothing to say."""
    _column_made_text(
        tmp_path,
        "id,solde\n1,(12.5)\n2,3\n3,\u22121.5e-3\n4,\u20134\n5,(1 234)\n".encode(),
        F("numbers-as-text", "TC402", "warning", 2, None, 2, "solde", 4),
        "Column 2 “solde”: 4 values with parentheses or a typographic minus for a negative "
        "(e.g. “(12.5)”, rows 2, 4, 5, 6): the column will be text.",
        b"id,label\n1,(a)\n2,(1)\n3,x\n",
    )


def test_missing_codes_beside_decimal_commas_are_said(tmp_path):
    """Was: '-' and 'n/a' beside 12,5 were not said ('a column of dashes only'): once its decimal
    commas are points, they still make the column text."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"id;v;w\n1;12,5;a\n2;-;b\n3;3,25;c\n4;n/a;d\n")
    assert seen(report(path)) == [
        F("delimiter-not-comma", "TC201", "blocker", 1, 1),
        F("decimal-comma", "TC401", "blocker", 2, None, 2, "v", 2),
        F("numbers-as-text", "TC402", "warning", 3, None, 2, "v", 2),
    ]
