"""Every CSV/TSV row of the verdict corpus, for every version, predicted exactly (through the API).

verdicts.tsv holds what Dataverse's own readers did with each file: `FAIL(stage) <message>` or
`OK rows=N vars=M types=... names=a|b|...`. Long lists are cut with `...`, and so are the messages of
`FAIL(db-save)` lines (only their fixed prefix is certain): only the part shown is compared. Names
holding a TAB are shown with a space.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from tabcheck.api import check

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "dataverse-verdicts"
CSV_FOLDERS = ("csv-tsv/", "dataverse-tests/")
VERSIONS = ("6.8", "6.7", "6.6")
TYPES = {
    "integer": "num-int",
    "continuous": "num-cont",
    "character": "char",
    "date": "char(date)",
    "time": "char(time)",
}
NOTE = re.compile(r" \[var \d+ [^\]]*\]$")  # the harness's remark after the names (24_bigint)


def _truth() -> list[tuple[str, str, str]]:
    rows = []
    lines = (CORPUS / "verdicts.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file\tdataverse\toutcome"
    for line in lines[1:]:
        path, version, outcome = line.split("\t", 2)
        if path.startswith(CSV_FOLDERS):
            rows.append((path, version, outcome))
    return rows


TRUTH = _truth()


@cache
def _predictions(version: str) -> dict:
    run = check([CORPUS / folder for folder in CSV_FOLDERS], dataverse=version)
    out = {}
    for r in run.files:
        assert r.error is None, (r.path, r.error)
        out[Path(r.path).relative_to(CORPUS).as_posix()] = r.dataverse
    return out


def _shown(text: str) -> tuple[str, bool]:
    """The text as shown, and whether it was cut short."""
    return (text[:-3], True) if text.endswith("...") else (text, False)


def _compare(got: str, shown: str) -> None:
    expected, cut = _shown(shown)
    if cut:
        assert got.startswith(expected), (got[:200], expected[:200])
        assert len(got) > len(expected)
    else:
        assert got == expected


def test_the_corpus_has_every_csv_file_for_every_version():
    on_disk = {
        p.relative_to(CORPUS).as_posix() for folder in CSV_FOLDERS for p in (CORPUS / folder).iterdir()
    }
    assert len(on_disk) == 78
    per_file: dict[str, set] = {}
    for path, version, _ in TRUTH:
        per_file.setdefault(path, set()).add(version)
    assert set(per_file) == on_disk
    assert all(versions == set(VERSIONS) for versions in per_file.values())


@pytest.mark.parametrize(
    "path,version,outcome", [pytest.param(*row, id=f"{row[0]}@{row[1]}") for row in TRUTH]
)
def test_prediction_matches_dataverse(path, version, outcome):
    prediction = _predictions(version)[path]
    assert prediction is not None
    if outcome.startswith("FAIL("):
        message = outcome.split(") ", 1)[1]
        assert prediction.outcome.value == "fails"
        _compare(prediction.message or "", message)  # FAIL(db-save) lines show only the fixed prefix
        assert prediction.variables is None and prediction.observations is None
        return
    assert outcome.startswith("OK ")
    head, names = outcome.split(" names=", 1)
    fields = dict(item.split("=", 1) for item in head.split(" ")[1:])
    assert set(fields) == {"rows", "vars", "types"}
    assert prediction.outcome.value == "ingested"
    assert prediction.message is None
    assert prediction.variables == int(fields["vars"])
    assert prediction.observations == int(fields["rows"])
    assert len(prediction.columns) == prediction.variables
    _compare(",".join(TYPES[c.type] for c in prediction.columns), fields["types"])
    _compare("|".join(c.name.replace("\t", " ") for c in prediction.columns), NOTE.sub("", names))


def test_mismatch_points_at_the_real_row():
    """Dataverse names the last line; the prediction also says where the bad row really is."""
    p = _predictions("6.8")["csv-tsv/61_ragged_early_of_100.csv"]
    assert p.message == "Reading mismatch, line 99 of the Data file: 2 delimited values expected, 1 found."
    assert (p.real_location.row, p.real_location.line) == (2, 2)
    p = _predictions("6.7")["csv-tsv/34_unclosed_quote.csv"]
    assert (p.real_location.row, p.real_location.line, p.real_location.column) == (2, 2, 2)
