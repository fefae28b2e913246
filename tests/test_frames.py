"""DataFrames: check_frame says what Dataverse would make of one; write_csv writes one it ingests."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest

from tabcheck.api import check_frame, write_csv
from tabcheck.guard import OutputRefused


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "site": ["Brest", "Quimper"],
            "température": [11.25, None],
            "date": [datetime.date(2024, 3, 4), datetime.date(2024, 3, 11)],
            "remarque": ["sec, puis\npluie", 'dit "humide"'],
        }
    )


def test_write_csv_writes_what_dataverse_reads_and_reports_it(tmp_path: Path) -> None:
    target = tmp_path / "out" / "mesures.csv"
    report = write_csv(_frame(), target)
    assert (
        target.read_bytes()
        == (
            "site,température,date,remarque\n"
            'Brest,11.25,2024-03-04,"sec, puis\npluie"\n'
            'Quimper,,2024-03-11,"dit ""humide"""\n'
        ).encode()
    )
    assert report.status == "ready" and report.dataverse is not None
    assert (report.dataverse.variables, report.dataverse.observations) == (4, 2)
    assert [c.type for c in report.dataverse.columns or []] == [
        "character",
        "continuous",
        "date",
        "character",
    ]
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_write_csv_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mesures.csv"
    target.write_text("mine\n")
    with pytest.raises(OutputRefused, match="already exists"):
        write_csv(_frame(), target)
    assert target.read_text() == "mine\n"
    assert write_csv(_frame(), target, force=True).status == "ready"


def test_check_frame_finds_what_would_block_and_keeps_nothing(tmp_path: Path) -> None:
    wide = pl.DataFrame({f"v{i}": [i] for i in range(1100)})
    report = check_frame(wide, dataverse="6.7")
    assert report.path == "dataframe.csv" and report.status == "fails"
    assert [f.rule for f in report.findings] == ["too-many-columns"]
    nulls = check_frame(pl.DataFrame({"n": ["1", "null", "3"]}), name="n.csv")
    assert nulls.path == "n.csv" and [f.rule for f in nulls.findings] == ["null-becomes-zero"]


def test_a_report_shows_itself_in_a_notebook() -> None:
    html = check_frame(_frame(), name="mesures.csv")._repr_html_()
    assert html.startswith("<!doctype html>") and "mesures.csv" in html


def test_pandas_frames_keep_a_meaningful_index_and_refuse_duplicate_names(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    plain = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    write_csv(plain, tmp_path / "plain.csv")
    assert (tmp_path / "plain.csv").read_text() == "a,b\n1,x\n2,y\n"
    named = plain.set_index(pd.Index(["p1", "p2"], name="parcelle"))
    write_csv(named, tmp_path / "named.csv")
    assert (tmp_path / "named.csv").read_text() == "parcelle,a,b\np1,1,x\np2,2,y\n"
    twice = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(ValueError, match="duplicate column names"):
        check_frame(twice)
