"""The CSV/TSV reader's budgets (scan.budgets), and a file that changes while it is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabcheck.api import check
from tabcheck.scan import csv as scan_csv
from tabcheck.scan.budgets import BUDGETS

# glibc reserves 64 MB of address space per thread arena (about 800 MB with polars' threads), none
# of it memory: two arenas keep the 1 GiB address-space limit a limit on what the reader uses.
LIMITED_ENV = {**os.environ, "MALLOC_ARENA_MAX": "2"}


def _check_limited(path: Path) -> tuple[dict, float, int]:
    """`tabcheck check --format json` under a 1 GiB address space: (file's report, seconds, peak RSS)."""
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "p = subprocess.run([sys.executable, '-m', 'tabcheck', 'check', sys.argv[1], '--format', 'json'],"
        " capture_output=True, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)))\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.stderr.write(f'{time.monotonic() - t} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n"
        "sys.exit(p.returncode)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, check=False, env=LIMITED_ENV
    )
    assert out.returncode in (0, 1), out.stderr[-2000:]
    seconds, kib = out.stderr.decode().split()[-2:]
    return json.loads(out.stdout)["files"][0], float(seconds), int(kib) * 1024


def _rules(report: dict) -> list[str]:
    return [f["rule"] for f in report["findings"]]


def test_a_line_of_millions_of_values_is_a_finding_in_bounded_memory(tmp_path: Path) -> None:
    """Was: a 6.5 MB line of 3.25 M values took 1.7 GB (polars sized a column per value), 50 MB, 11 GB."""
    path = tmp_path / "wide.csv"
    path.write_bytes(b"a,b\n" + b"1," * 3_250_000 + b"\n2,3\n")
    report, seconds, rss = _check_limited(path)
    assert report["status"] == "fails" and "error" not in report
    (finding,) = [f for f in report["findings"] if f["rule"] == "record-too-wide"]
    assert (finding["row"], finding["line"]) == (2, 2)
    assert "more than 65,536 values" in finding["message"]
    assert "no-data" not in _rules(report)  # the rows below it were not read: nothing said of them
    assert rss < 400 << 20 and seconds < 30, (rss, seconds)


def test_a_line_of_millions_of_values_inside_a_chunk_is_counted(tmp_path: Path) -> None:
    """polars reads it as a ragged row (its width counted by bytes methods): the exact finding.
    (A line longer than a chunk, 6 MB, goes to the exact splitter: record-too-wide.)"""
    path = tmp_path / "wide.csv"
    path.write_bytes(b"a,b\n1,2\n" + b"1," * 2_500_000 + b"\n2,3\n")
    report, seconds, rss = _check_limited(path)
    (finding,) = [f for f in report["findings"] if f["rule"] == "ragged-row"]
    assert "row 3 has 2,500,001" in finding["message"]
    assert rss < 400 << 20 and seconds < 30, (rss, seconds)


def test_a_file_without_line_breaks_is_a_finding_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """Was: 60 MB of `a,` without a line break, 36 s and 1.75 GB (1.5 GB: 4.9 GB and still running)."""
    path = tmp_path / "flat.csv"
    path.write_bytes(b"a," * 30_000_000)
    report, seconds, rss = _check_limited(path)
    assert "record-too-wide" in _rules(report) and report["status"] == "fails"
    assert report["dataverse"]["outcome"] == "fails"
    assert rss < 600 << 20 and seconds < 30, (rss, seconds)


def test_a_header_beyond_the_budget_keeps_its_first_names(tmp_path: Path) -> None:
    path = tmp_path / "wide-header.tsv"
    path.write_bytes(b"\t".join(b"c%d" % i for i in range(100_000)) + b"\n1\t2\n")
    (report,) = check([path]).files
    assert [f.rule for f in report.findings if f.rule in ("record-too-wide", "too-many-columns")] == [
        "record-too-wide",
        "too-many-columns",
    ]
    wide = next(f for f in report.findings if f.rule == "record-too-wide")
    assert (wide.location.row, wide.location.line) == (1, 1)


def test_a_wide_table_within_the_budget_is_read_whole(tmp_path: Path) -> None:
    """20,000 columns: beyond the repository's limit, but a table: every row is read and counted."""
    width = 20_000
    path = tmp_path / "wide-table.csv"
    rows = [",".join(f"v{i}" for i in range(width))] + [",".join(["1"] * width)] * 3
    path.write_text("\n".join(rows) + "\n")
    (report,) = check([path]).files
    assert "record-too-wide" not in {f.rule for f in report.findings}
    (too_many,) = [f for f in report.findings if f.rule == "too-many-columns"]
    assert too_many.params["columns"] == width
    assert report.dataverse is not None and report.dataverse.observations == 3


def test_a_wide_first_line_of_a_chunk_is_counted_without_polars(tmp_path: Path, monkeypatch) -> None:
    """A ragged row wider than polars' allowance opening a chunk: counted exactly by the splitter."""
    monkeypatch.setattr(scan_csv, "CHUNK_SIZE", 4096)
    path = tmp_path / "ragged.csv"
    extra = BUDGETS.polars_wider_first_line + 10
    rows = ["a,b,c"] + ["1,2,3"] * 1000 + [",".join(["9"] * (3 + extra))] + ["1,2,3"] * 1000
    path.write_text("\n".join(rows) + "\n")
    (report,) = check([path]).files
    (ragged,) = [f for f in report.findings if f.rule == "ragged-row"]
    assert ragged.location.row == 1002 and "record-too-wide" not in {f.rule for f in report.findings}


def test_the_budgets_are_named_and_explained() -> None:
    import dataclasses

    from tabcheck.scan import budgets

    for f in dataclasses.fields(budgets.Budgets):
        assert f.name in (budgets.Budgets.__doc__ or "") or f.name in Path(budgets.__file__).read_text()
    with pytest.raises(dataclasses.FrozenInstanceError):
        BUDGETS.fields_per_record = 1  # type: ignore[misc]


# -- a file that changes while it is read ---------------------------------------------------------


def _table(rows: int) -> bytes:
    return b"id,valeur\n" + b"".join(b"%d,%d\n" % (i, i * 7) for i in range(rows))


def _change_when_scanned(monkeypatch, change) -> None:
    """Run `change(path)` once, when the scan opens the file: after check's stat, before its reading."""
    opened = scan_csv.CsvScanner._open
    done: list[bool] = []

    def open_after_change(self):
        if not done:
            done.append(True)
            change(self.path)
        return opened(self)

    monkeypatch.setattr(scan_csv.CsvScanner, "_open", open_after_change)


@pytest.mark.parametrize("how", ["grew", "shrank", "replaced"])
def test_a_file_that_changes_while_it_is_read_is_not_ready(tmp_path: Path, monkeypatch, how: str) -> None:
    """Was: a file that grew was reported ready with its stat size and twice its rows."""
    path = tmp_path / "mesures.csv"
    original = _table(2000)
    path.write_bytes(original)

    def change(p: Path) -> None:
        if how == "grew":
            with open(p, "ab") as fh:
                fh.write(original.split(b"\n", 1)[1])
        elif how == "shrank":
            os.truncate(p, len(original) // 2)
        else:
            fresh = p.with_name("fresh.csv")
            fresh.write_bytes(original)
            os.replace(fresh, p)

    _change_when_scanned(monkeypatch, change)
    (report,) = check([path]).files
    (finding,) = [f for f in report.findings if f.rule == "file-changed-while-read"]
    assert report.status != "ready" and finding.severity.value == "blocker"
    text = finding.text("en")
    assert {"grew": "grew from", "shrank": "shrank from", "replaced": "replaced by another"}[how] in text
    assert "pendant sa lecture" in finding.text("fr")


def test_a_file_appended_to_by_another_process_is_caught(tmp_path: Path) -> None:
    """A real writer in another process, appending while `tabcheck check` reads the file."""
    path = tmp_path / "journal.csv"
    path.write_bytes(_table(300_000))
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "end = time.monotonic() + 60\n"
            "with open(sys.argv[1], 'ab', buffering=0) as fh:\n"
            "    while time.monotonic() < end:\n"
            "        fh.write(b'1,2\\n' * 1000); time.sleep(0.001)\n",
            str(path),
        ]
    )
    try:
        time.sleep(0.2)
        out = subprocess.run(
            [sys.executable, "-m", "tabcheck", "check", str(path), "--format", "json"],
            capture_output=True,
            check=False,
        )
    finally:
        writer.kill()
        writer.wait()
    report = json.loads(out.stdout)["files"][0]
    assert "file-changed-while-read" in _rules(report) and report["status"] != "ready"
    assert out.returncode == 1


def test_an_unchanged_file_has_no_such_finding(tmp_path: Path) -> None:
    path = tmp_path / "calme.csv"
    path.write_bytes(_table(100))
    (report,) = check([path]).files
    assert report.status == "ready" and report.findings == []


def test_a_value_of_a_million_letters_in_windows_1252_is_sniffed_quickly(tmp_path: Path) -> None:
    """Was: 8.5 s (a mutated fixture: one 1 MB value, no space; the sniffer scored it whole, 12 times)."""
    path = tmp_path / "long.csv"
    path.write_bytes(b"id,note\n1," + ("abcdé" * 200_000).encode("cp1252") + b"\n2,x\n")
    start = time.monotonic()
    (report,) = check([path]).files
    assert time.monotonic() - start < 5
    assert report.encoding == "windows-1252" and "encoding-not-utf8" in {f.rule for f in report.findings}


def test_the_sniffers_valid_runs_are_those_of_the_loop_it_replaced() -> None:
    """Valid UTF-8 runs between ASCII bytes, found by regular expressions in slices (was: a Python
    loop per run, 1 MB/s and a set of every run's start on short accented words)."""
    import random
    import re

    from tabcheck.sniffing import encoding

    seq = re.compile(rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+")

    def by_loop(data: bytes) -> bytes:
        valid = bytearray()
        for m in seq.finditer(data):
            s, e = m.span()
            if (s == 0 or data[s - 1] < 0x80) and (e == len(data) or data[e] < 0x80):
                valid += m.group()
        rest = sorted(data.translate(None, bytes(range(128))))
        for b in valid:
            rest.remove(b)
        return bytes(rest)

    rng = random.Random(5)
    pieces = [
        b"a",
        b" ",
        b"\n",
        "é".encode(),
        "€".encode(),
        "😀".encode(),
        b"\xe9",
        b"\x80",
        b"\xc3",
        b"\xff",
    ]
    for size in (0, 1, 5, 50, 400):
        for _ in range(60):
            data = b"".join(rng.choice(pieces) for _ in range(size))
            assert sorted(encoding._outside_valid_runs(data)) == sorted(by_loop(data)), data
    slices = encoding._SLICE
    try:
        encoding._SLICE = 7  # cut everywhere: the slices end after an ASCII byte
        for _ in range(200):
            data = b"".join(rng.choice(pieces) for _ in range(80))
            assert sorted(encoding._outside_valid_runs(data)) == sorted(by_loop(data)), data
    finally:
        encoding._SLICE = slices
