"""Dates written 25/12/2020: the check tells whether their order is known (TC404), `fix` writes them
yyyy-mm-dd when it is and every value is a real date, verified value by value, or says why not."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabcheck import api
from tabcheck.checker import Settings
from tabcheck.fix import fix_paths
from tabcheck.fix.dates import iso_date
from tabcheck.fix.verify import _date_ok


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name, data in files.items():
        (src / name).write_bytes(data)
    return src


FRENCH = (
    "id;prélèvement;poids;remarque\r\n1;25/12/2020;12,5;été\r\n2;05/01/2021;13,1;\r\n3;5/3/2021;;RAS\r\n"
).encode("cp1252")


def test_a_french_export_gets_its_dates_decimals_and_commas_in_one_run(tmp_path):
    src = _folder(tmp_path, {"export.csv": FRENCH})
    run = fix_paths([src], tmp_path / "out", Settings())
    out = tmp_path / "out" / "export.csv"
    assert out.read_text(encoding="utf-8") == (
        "id,prélèvement,poids,remarque\n1,2020-12-25,12.5,été\n2,2021-01-05,13.1,\n3,2021-03-05,,RAS\n"
    )
    m = run.files[0]
    done = {(t.name, t.where): (t.count, t.examples) for t in m.transformations}
    assert done[("iso-date", "prélèvement")] == (
        3,
        [("25/12/2020", "2020-12-25"), ("05/01/2021", "2021-01-05"), ("5/3/2021", "2021-03-05")],
    )
    assert done[("decimal-point", "poids")] == (2, [("12,5", "12.5"), ("13,1", "13.1")])
    assert m.verified and m.left == [] and run.exit_code == 0
    assert m.outputs[0].verification.altered == []  # nothing left that Dataverse reads otherwise
    report = api.check([out]).files[0]
    assert [c.type for c in report.dataverse.columns] == ["integer", "date", "continuous", "character"]


def test_month_first_dates_and_year_first_ones(tmp_path):
    src = _folder(
        tmp_path,
        {
            "us.csv": b"id,when\n1,12/25/2020\n2,01/05/2021\n",
            "ymd.csv": b"id,when\n1,2020/12/25\n2,2021.1.5\n3,2021-02-03\n",
        },
    )
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "us.csv").read_text() == "id,when\n1,2020-12-25\n2,2021-01-05\n"
    # a value written yyyy-mm-dd already stays as it is, and is not counted
    assert (tmp_path / "out" / "ymd.csv").read_text() == "id,when\n1,2020-12-25\n2,2021-01-05\n3,2021-02-03\n"
    counts = {Path(m.source).name: [(t.name, t.count) for t in m.transformations] for m in run.files}
    assert counts == {"us.csv": [("iso-date", 2)], "ymd.csv": [("iso-date", 2)]}
    assert all(m.verified for m in run.files)


def test_a_value_that_is_not_a_date_leaves_the_column_as_written_and_says_why(tmp_path):
    src = _folder(tmp_path, {"bad.csv": b"id,when,n\n1,25/12/2020,1\n2,31/04/2021,2\n3,01/02/2021,3\n"})
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "tabcheck", "fix", str(src), "-o", str(out), "--lang", "fr"],
        capture_output=True,
        text=True,
    )
    assert (out / "bad.csv").read_bytes() == b"id,when,n\n1,25/12/2020,1\n2,31/04/2021,2\n3,01/02/2021,3\n"
    lines = proc.stdout.splitlines()
    assert lines[1] == (
        "  - Colonne 2 «\u00a0when\u00a0»\u00a0: «\u00a031/04/2021\u00a0» (ligne 3) n'est pas une date lue "
        "jour/mois/année, les dates de la colonne restent donc telles quelles\u202f; corrigez-la et relancez "
        "fix pour les écrire aaaa-mm-jj."
    )
    assert lines[2].startswith("  vérifié\u00a0: 4 lignes, 12 cellules")
    assert proc.returncode == 0  # a warning left, said: not a blocker
    manifest = json.loads((out / "fix-manifest.json").read_text(encoding="utf-8"))
    (left,) = manifest["files"][0]["left"]
    assert (left["repair"], left["where"]) == ("iso-date", "when")
    assert left["message"] == (
        "Column 2 “when”: “31/04/2021” (line 3) is not a date read day/month/year, so the column's dates "
        "stay as written; correct it and run fix again to write them yyyy-mm-dd."
    )
    assert manifest["files"][0]["transformations"] == []


def test_a_date_before_1583_leaves_the_column_and_says_why(tmp_path):
    """Dataverse's calendar is Julian before October 1582 (29/02/1500 is a date there, 10/10/1582 is
    not): fix writes no date before 1583."""
    src = _folder(tmp_path, {"h.csv": b"id,when\n1,25/12/1700\n2,29/02/1500\n"})
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "h.csv").read_bytes() == b"id,when\n1,25/12/1700\n2,29/02/1500\n"
    (left,) = run.files[0].left
    assert left.message_fr == (
        "Colonne 2 «\u00a0when\u00a0»\u00a0: «\u00a029/02/1500\u00a0» (ligne 3) est une date antérieure à 1583, "
        "d'un calendrier autre que celui avec lequel Dataverse lit les dates\u00a0: les dates de la colonne "
        "restent telles quelles."
    )


def test_the_check_says_when_the_order_of_day_and_month_cannot_be_known(tmp_path):
    src = _folder(
        tmp_path,
        {
            "either.csv": b"id,when\n1,05/04/2020\n2,01/05/2021\n",
            "mixed.csv": b"id,when\n1,12/25/2020\n2,01/05/2021\n3,25/12/2021\n",
            "times.csv": b"id,when\n1,25/12/2020 10:00\n2,26/12/2020 11:30\n",
            "known.csv": b"id,when\n1,05/04/2020\n2,13/05/2021\n",
            # NA keeps a date column text for Dataverse: the dates written yyyy-mm-dd would too
            "na.csv": b"id,when\n1,25/12/2020\n2,NA\n3,13/01/2021\n",
            # Dataverse's date-time, then one with a T: the first sets the time format, the second
            # fails it, and the column is text (was: no finding)
            "mixed-times.csv": b"id,when\n1,2000-01-01 0:00:00\n2,2000-01-01T12:49:18\n",
        },
    )
    run = api.check([src])
    found = {
        Path(r.path).name: [
            (f.code, f.variant, f.location.row, f.location.column, f.fixable) for f in r.findings
        ]
        for r in run.files
    }
    assert found == {
        "either.csv": [("TC404", "either-order", 2, 2, False)],
        "mixed.csv": [("TC404", "mixed-order", 2, 2, False)],
        "times.csv": [("TC404", "default", 2, 2, True)],  # with their time: written yyyy-mm-dd hh:mm:ss
        "known.csv": [("TC404", "default", 2, 2, True)],
        "na.csv": [("TC404", "default", 2, 2, False)],
        "mixed-times.csv": [("TC404", "default", 2, 2, False)],
    }
    mixed = next(r for r in run.files if r.path.endswith("mixed.csv")).findings[0]
    assert mixed.text("en") == (
        "Column 2 “when”: 3 dates like “12/25/2020” (rows 2, 3, 4) will be read as text; some put the day "
        "first (“25/12/2021”), others the month (“12/25/2020”): write them yyyy-mm-dd."
    )
    fixed = fix_paths([src], tmp_path / "out", Settings())
    converted = {
        Path(m.source).name for m in fixed.files if any(t.name == "iso-date" for t in m.transformations)
    }
    assert converted == {"known.csv"}  # times.csv's is iso-time
    assert (tmp_path / "out" / "either.csv").read_bytes() == b"id,when\n1,05/04/2020\n2,01/05/2021\n"


@pytest.mark.parametrize("fast", [False, True])
def test_a_wrong_conversion_fails_the_verification_and_the_output_is_removed(tmp_path, monkeypatch, fast):
    """The verification checks each date apart from the rewrite, on either path: a rewrite that
    wrote one date a day off is caught, its output removed, and the exit code says so."""
    import polars as pl

    from tabcheck.fix import csvfix
    from tabcheck.fix import fast as vectorised

    def a_day_off(value: str, order: str) -> str | None:
        return "2021-01-06" if value == "05/01/2021" else iso_date(value, order)

    right = vectorised.iso_dates

    def a_day_off_vectorised(s: pl.Series, order: str) -> pl.Series:
        return right(s, order).replace("2021-01-05", "2021-01-06")

    monkeypatch.setattr(csvfix, "written", a_day_off)
    monkeypatch.setattr(vectorised, "iso_dates", a_day_off_vectorised)
    src = _folder(tmp_path, {"d.csv": b"id,when\n1,13/12/2020\n2,05/01/2021\n"})
    run = fix_paths([src], tmp_path / "out", Settings(), fast=fast)
    assert str(next(iter(run.records.values()))["path"]).startswith("fast" if fast else "exact")
    verification = run.files[0].outputs[0].verification
    assert not verification.ok
    assert verification.detail == (
        "column 2: the source value '05/01/2021' became '2021-01-06', not a declared transformation"
        if fast
        else "line 3 of the source (['2', '05/01/2021']) is not in the output (next: ['2', '2021-01-06'])"
    )
    assert not (tmp_path / "out" / "d.csv").exists() and run.exit_code == 2


# -- the conversion and its check, on every date -------------------------------------------------

DATES = st.dates(datetime.date(1583, 1, 1), datetime.date(9999, 12, 31))


def _written(d: datetime.date, order: str, sep: str, pad: bool) -> str:
    fmt = "02d" if pad else "d"
    if order == "ymd":
        return f"{d.year:04d}{sep}{d.month:{fmt}}{sep}{d.day:{fmt}}"
    first, second = (d.day, d.month) if order == "dmy" else (d.month, d.day)
    return f"{first:{fmt}}{sep}{second:{fmt}}{sep}{d.year:04d}"


@given(DATES, st.sampled_from(["dmy", "mdy"]), st.sampled_from("/.-"), st.booleans())
def test_every_date_is_written_iso_and_checked(d, order, sep, pad):
    text = _written(d, order, sep, pad)
    assert iso_date(text, order) == d.isoformat()
    assert _date_ok(text, d.isoformat(), order)
    other = "mdy" if order == "dmy" else "dmy"
    if d.day != d.month:  # read in the other order: another date, or none
        assert iso_date(text, other) != d.isoformat()
        assert not _date_ok(text, d.isoformat(), other)


@given(DATES, st.sampled_from("/."), st.booleans(), st.sampled_from(["dmy", "mdy"]))
def test_year_first_dates_whatever_the_column_order(d, sep, pad, order):
    text = _written(d, "ymd", sep, pad)
    assert iso_date(text, order) == d.isoformat()
    assert _date_ok(text, d.isoformat(), order)


@pytest.mark.parametrize(
    "before, after, order",
    [
        ("25/12/2020", "2020-12-26", "dmy"),  # another day
        ("25/12/2020", "2021-12-25", "dmy"),  # another year
        ("25/12/2020", "2020-12-25 ", "dmy"),  # a space added
        ("05/04/2020", "2020-05-04", "dmy"),  # day and month swapped
        ("31/04/2020", "2020-04-31", "dmy"),  # no such day
        ("25/12/20", "2020-12-25", "dmy"),  # a century guessed
        ("25/12/2020", "25/12/2020", "dmy"),  # not written yyyy-mm-dd
    ],
)
def test_the_verification_refuses_what_is_not_the_same_date(before, after, order):
    assert not _date_ok(before, after, order)


@pytest.mark.parametrize(
    "value",
    [
        "29/02/1500",
        "10/10/1582",
        "31/12/1582",
        "31/04/2020",
        "29/02/2021",
        "25/12/20",
        " 25/12/2020",
        "25/12-2020",
        "2021-02-30",
    ],
)
def test_values_that_are_not_dates_in_the_order_are_not_converted(value):
    assert iso_date(value, "dmy") is None


def test_a_large_export_gets_every_chunk_s_dates_converted_the_fast_way(tmp_path, monkeypatch):
    """Over several chunks, with the compiled loops asked for every file: each chunk after the
    header's goes through them, and not one date is left as written."""
    from tabcheck import kernels

    monkeypatch.setattr(kernels, "MIN_BYTES", 0)
    rows = 700_000
    lines = [
        f"{i};{(i % 28) + 1:02d}/{(i % 12) + 1:02d}/{2000 + i % 25};{i % 97},{i % 10}\r\n"
        for i in range(rows)
    ]
    src = _folder(tmp_path, {"big.csv": ("id;jour;mesure\r\n" + "".join(lines)).encode("ascii")})
    run = fix_paths([src], tmp_path / "out", Settings())
    record = next(iter(run.records.values()))
    assert str(record["path"]) == "fast"
    looped, chunks = (int(x) for x in str(record["loops"]).split(" chunks")[0].split("/"))
    if kernels.available():
        assert chunks > 1 and looped == chunks - 1 and str(record["loops"]).endswith(f"{chunks - 1} verified")
    m = run.files[0]
    assert m.verified
    done = {(t.name, t.where): t.count for t in m.transformations}
    assert done[("iso-date", "jour")] == rows
    out = (tmp_path / "out" / "big.csv").read_bytes()
    assert b"/" not in out
    assert (
        out.splitlines()[-1]
        == f"{rows - 1},{2000 + (rows - 1) % 25}-{((rows - 1) % 12) + 1:02d}-{((rows - 1) % 28) + 1:02d},{(rows - 1) % 97}.{(rows - 1) % 10}".encode()
    )


@pytest.mark.parametrize("fast", [True, False])
def test_a_mean_under_the_dates_stays_and_the_dates_are_written_iso(tmp_path, fast):
    """Was: a total row's Moyenne under the dates hid them from the check (a text column) and fix
    left 25/12/2020 as written, with no word."""
    src = _folder(
        tmp_path,
        {
            "piezo.csv": "date;niveau\r\n28/01/2023;205,5\r\n09/10/2023;238\r\nMoyenne;221,7\r\n".encode(
                "cp1252"
            )
        },
    )
    run = fix_paths([src], tmp_path / "out", Settings(), fast=fast)
    out = tmp_path / "out" / "piezo.csv"
    assert out.read_text() == "date,niveau\n2023-01-28,205.5\n2023-10-09,238\nMoyenne,221.7\n"
    m = run.files[0]
    done = {(t.name, t.where): t.count for t in m.transformations}
    assert done[("iso-date", "date")] == 2
    assert m.verified and m.left == []
    assert [line.split()[0] for line in m.outputs[0].verification.altered] == ["TC212"]
    assert str(next(iter(run.records.values()))["path"]).startswith("fast" if fast else "exact")


def test_a_mean_under_a_large_export_s_dates_stays_through_the_compiled_loops(tmp_path, monkeypatch):
    from tabcheck import kernels

    monkeypatch.setattr(kernels, "MIN_BYTES", 0)
    rows = 400_000
    lines = [f"{(i % 28) + 1:02d}/{(i % 12) + 1:02d}/2023;{i % 97},{i % 10}\r\n" for i in range(rows)]
    src = _folder(
        tmp_path, {"big.csv": ("jour;mesure\r\n" + "".join(lines) + "Total;1234,5\r\n").encode("ascii")}
    )
    run = fix_paths([src], tmp_path / "out", Settings())
    m = run.files[0]
    assert m.verified and m.left == []
    assert {(t.name, t.where): t.count for t in m.transformations}[("iso-date", "jour")] == rows
    out = (tmp_path / "out" / "big.csv").read_bytes()
    assert b"/" not in out and out.endswith(b"\n" + _last(rows) + b"\nTotal,1234.5\n")


def _last(rows: int) -> bytes:
    i = rows - 1
    return f"2023-{(i % 12) + 1:02d}-{(i % 28) + 1:02d},{i % 97}.{i % 10}".encode()


# -- dates with a time of day (TC410) -------------------------------------------------------------


@pytest.mark.parametrize("fast", [True, False])
def test_dates_with_their_time_are_written_as_dataverse_reads_a_date_time(tmp_path, fast):
    src = _folder(
        tmp_path,
        {"capteur.csv": b"id;mesure;valeur\n1;2020-12-25 14:30;1,5\n2;2020-12-26T08:05:10;2,5\n3;;3\n"},
    )
    run = fix_paths([src], tmp_path / "out", Settings(), fast=fast)
    out = tmp_path / "out" / "capteur.csv"
    assert out.read_text() == "id,mesure,valeur\n1,2020-12-25 14:30:00,1.5\n2,2020-12-26 08:05:10,2.5\n3,,3\n"
    done = {(t.name, t.where): (t.count, t.examples) for t in run.files[0].transformations}
    assert done[("iso-time", "mesure")] == (
        2,
        [("2020-12-25 14:30", "2020-12-25 14:30:00"), ("2020-12-26T08:05:10", "2020-12-26 08:05:10")],
    )
    assert str(next(iter(run.records.values()))["path"]).startswith("fast" if fast else "exact")
    assert run.files[0].verified and run.exit_code == 0
    assert [c.type for c in api.check([out]).files[0].dataverse.columns] == ["integer", "time", "continuous"]


def test_a_date_without_its_time_leaves_the_column_and_says_why(tmp_path):
    src = _folder(tmp_path, {"t.csv": b"id,t\n1,2020-12-25 14:30\n2,2020-12-26\n"})
    before = api.check([src]).files[0]
    assert [(f.code, f.location.row, f.location.column, f.fixable) for f in before.findings] == [
        ("TC410", 2, 2, True)
    ]
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "t.csv").read_bytes() == b"id,t\n1,2020-12-25 14:30\n2,2020-12-26\n"
    (left,) = run.files[0].left
    assert (left.repair, left.message) == (
        "iso-time",
        "Column 2 “t”: “2020-12-26” (line 3) is not a date and time fix can write (yyyy-mm-dd hh:mm or "
        "hh:mm:ss, no time zone nor fraction of a second), so the column stays as written.",
    )
    assert [line[:5] for line in run.files[0].outputs[0].verification.altered] == ["TC410"]


@pytest.mark.parametrize("fast", [True, False])
def test_a_time_written_wrong_fails_the_verification(tmp_path, monkeypatch, fast):
    from tabcheck.fix import csvfix
    from tabcheck.fix import fast as vectorised
    from tabcheck.fix.dates import written

    right = vectorised.iso_dates
    monkeypatch.setattr(
        csvfix, "written", lambda v, order: (written(v, order) or "").replace(":30:", ":31:") or None
    )
    monkeypatch.setattr(
        vectorised, "iso_dates", lambda s, order: right(s, order).str.replace(":30:", ":31:", literal=True)
    )
    src = _folder(tmp_path, {"t.csv": b"id,t\n1,2020-12-25 14:30\n2,2020-12-26 10:00\n"})
    run = fix_paths([src], tmp_path / "out", Settings(), fast=fast)
    verification = run.files[0].outputs[0].verification
    assert not verification.ok and "14:31:00" in verification.detail
    assert not (tmp_path / "out" / "t.csv").exists() and run.exit_code == 2


@pytest.mark.parametrize("fast", [True, False])
def test_a_french_spreadsheet_s_date_times_are_written_yyyy_mm_dd_hh_mm_ss(tmp_path, fast):
    src = _folder(
        tmp_path,
        {
            "releves.csv": b"id;horodatage;valeur\r\n1;25/12/2020 14:30;3,5\r\n2;26/12/2020 08:05:09;4,5\r\n3;;1\r\n",
            "us.csv": b"id,t\n1,12/25/2020 14:30\n2,01/02/2021 9:05\n",
        },
    )
    run = fix_paths([src], tmp_path / "out", Settings(), fast=fast)
    assert (tmp_path / "out" / "releves.csv").read_text() == (
        "id,horodatage,valeur\n1,2020-12-25 14:30:00,3.5\n2,2020-12-26 08:05:09,4.5\n3,,1\n"
    )
    assert (tmp_path / "out" / "us.csv").read_text() == "id,t\n1,2020-12-25 14:30:00\n2,2021-01-02 9:05:00\n"
    done = {Path(m.source).name: {t.name: t.count for t in m.transformations} for m in run.files}
    assert done["releves.csv"]["iso-time"] == 2 and done["us.csv"] == {"iso-time": 2}
    assert all(m.verified for m in run.files)
    types = [c.type for c in api.check([tmp_path / "out" / "releves.csv"]).files[0].dataverse.columns]
    assert types == ["integer", "time", "continuous"]


def test_dates_with_and_without_a_time_in_one_column_are_not_fixable(tmp_path):
    src = _folder(tmp_path, {"t.csv": b"id,t\n1,25/12/2020 14:30\n2,26/12/2020\n"})
    (finding,) = api.check([src]).files[0].findings
    assert (finding.code, finding.variant, finding.fixable) == ("TC404", "default", False)
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "t.csv").read_bytes() == b"id,t\n1,25/12/2020 14:30\n2,26/12/2020\n"
    assert run.files[0].left == []  # not planned: nothing withdrawn


def test_a_date_with_spaces_around_it_says_so(tmp_path):
    """A TSV's values are trimmed by Dataverse (the check reads 26/12/2020), not by fix's rewrite."""
    src = _folder(tmp_path, {"pad.tsv": b"id\tdate\n1\t25/12/2020\n2\t 26/12/2020 \n"})
    run = fix_paths([src], tmp_path / "out", Settings())
    assert (tmp_path / "out" / "pad.tsv.csv").read_text() == "id,date\n1,25/12/2020\n2, 26/12/2020 \n"
    (left,) = run.files[0].left
    assert left.message_fr == (
        "Colonne 2 «\u00a0date\u00a0»\u00a0: «\u00a0 26/12/2020 \u00a0» (ligne 3) est entourée d'espaces, les "
        "dates de la colonne restent donc telles quelles\u202f; retirez-les et relancez fix."
    )
