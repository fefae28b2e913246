"""Every xlsx row of the verdict corpus, for every version, predicted exactly."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tabcheck.dataverse.profiles import profile_for
from tabcheck.dataverse.xlsx import predict_xlsx
from tabcheck.workbook import read_workbook

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "dataverse-verdicts"
TYPES = {
    "num-int": "integer",
    "num-cont": "continuous",
    "char": "character",
    "char(date)": "date",
    "char(time)": "time",
}


def _rows():
    for line in (CORPUS / "verdicts.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        path, version, outcome = line.split("\t", 2)
        if path.startswith("xlsx/"):
            yield pytest.param(path, version, outcome, id=f"{path}@{version}")


@cache
def _facts(path: str):
    return read_workbook(CORPUS / path)


def _prefix_list(text: str, sep: str) -> tuple[list[str], bool]:
    """The verdict file shortens long lists with '...': compare the part that is shown."""
    truncated = text.endswith("...")
    items = text[:-3].split(sep) if truncated else text.split(sep)
    if truncated:
        items = items[:-1]  # the last item shown is cut in the middle
    return items, truncated


@pytest.mark.parametrize("path,version,outcome", list(_rows()))
def test_prediction_matches_dataverse(path, version, outcome):
    prediction = predict_xlsx(_facts(path), profile_for(version))
    if outcome.startswith("FAIL"):
        assert prediction.outcome.value == "fails"
        message = outcome.split(") ", 1)[1]
        if message.endswith("..."):  # FAIL(db-save): only the message's fixed prefix is given
            assert (prediction.message or "").startswith(message[:-3])
        else:
            assert prediction.message == message
        return
    head, names = outcome.split(" names=", 1)
    fields = dict(item.split("=", 1) for item in head.split(" ")[1:])
    assert prediction.outcome.value == "ingested"
    assert prediction.variables == int(fields["vars"])
    assert prediction.observations == int(fields["rows"])
    types, cut = _prefix_list(fields["types"], ",")
    got_types = [c.type for c in prediction.columns]
    assert len(got_types) == prediction.variables
    assert got_types[: len(types)] == [TYPES[t] for t in types]
    if not cut:
        assert len(got_types) == len(types)
    expected_names, cut = _prefix_list(names, "|")
    got_names = [c.name.replace("\t", " ") for c in prediction.columns]
    assert got_names[: len(expected_names)] == expected_names
    if not cut:
        assert got_names == expected_names
