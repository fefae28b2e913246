"""Hostile and broken input: no traceback, no original overwritten, nothing written raw to a terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabcheck.api import check


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tabcheck", *args], capture_output=True, cwd=cwd, check=False
    )


def test_a_thousand_nested_folders_are_walked(tmp_path: Path) -> None:
    """Was: RecursionError."""
    folder = tmp_path
    for _ in range(1000):
        folder = folder / "d"
        folder.mkdir()
    (folder / "deep.csv").write_text("a,b\n1,2\n")
    try:
        (report,) = check([tmp_path]).files
        assert report.path.endswith("deep.csv") and report.status == "ready"
    finally:  # pytest's own clean-up recurses: take the tree down from the bottom
        (folder / "deep.csv").unlink()
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(tmp_path: Path) -> None:
    """Was: UnicodeEncodeError with -o, and a raw byte in the JSON on standard output."""
    name = os.fsdecode(b"donn\xe9es.csv")
    (tmp_path / name).write_text("a,b\n1,2\n")
    for fmt in ("text", "json", "html"):
        out = _cli("check", ".", "--format", fmt, "-o", f"report.{fmt}", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert b"Traceback" not in out.stderr
        written = (tmp_path / f"report.{fmt}").read_text(encoding="utf-8")
        shown = json.loads(written)["files"][0]["path"] if fmt == "json" else written
        assert "donn\\xe9es.csv" in shown
    data = json.loads(_cli("check", ".", "--format", "json", cwd=tmp_path).stdout.decode("utf-8"))
    assert data["files"][0]["path"].endswith("donn\\xe9es.csv")


def test_control_characters_in_a_name_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """Was: a name with ESC sequences recoloured the terminal, one with a newline broke the lines."""
    (tmp_path / "a\x1b[31mred\nb.csv").write_text("a,b\n1,2\n")
    out = _cli("check", ".", cwd=tmp_path).stdout.decode("utf-8")
    assert "\x1b" not in out
    assert "a\\x1b[31mred\\x0ab.csv" in out


def test_a_report_never_replaces_a_checked_file(tmp_path: Path) -> None:
    """Was: `tabcheck check d --format html -o d/a.csv` replaced the input with the report."""
    data = tmp_path / "d"
    data.mkdir()
    (data / "a.csv").write_bytes(b"a,b\n1,2\n")
    (data / "link.csv").symlink_to("a.csv")
    for target in ("d/a.csv", "d/../d/a.csv", "d/link.csv"):
        out = _cli("check", "d", "--format", "html", "-o", target, cwd=tmp_path)
        assert out.returncode == 2 and b"one of the files being checked" in out.stderr
    assert (data / "a.csv").read_bytes() == b"a,b\n1,2\n"


def test_a_sheet_part_that_is_empty_is_a_finding_not_an_internal_error(tmp_path: Path) -> None:
    """Was: "could not be checked … internal error" (exit 2)."""
    import zipfile

    import xlsxwriter

    good = tmp_path / "good.xlsx"
    with xlsxwriter.Workbook(str(good)) as wb:
        wb.add_worksheet("Data").write_row(0, 0, ["a", "b"])
    bad = tmp_path / "empty-sheet.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = b"" if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename)
            zout.writestr(item, data)
    (report,) = check([bad]).files
    assert report.error is None and report.status == "fails"
    assert [(f.rule, f.params["detail"]) for f in report.findings if f.rule == "corrupt-file"] == [
        ("corrupt-file", "xl/worksheets/sheet1.xml: no XML root element (the part is empty or is not XML)")
    ]


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_fix_leaves_nothing_behind(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    """Was: SIGTERM left a hidden partial `.name.csv.XXXX.tmp`; SIGINT exited 130, undocumented."""
    source = tmp_path / "mesures.csv"
    rows = "".join(f"{i};site {i};{i},5;2024-03-{i % 28 + 1:02d}\n" for i in range(800_000))
    source.write_text("id;site;valeur;date\n" + rows, encoding="utf-8")
    for attempt in range(3):  # a run that got past its commit before the signal proves nothing: again
        out = tmp_path / f"out{attempt}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "tabcheck", "fix", str(source), "-o", str(out), "--lang", "fr"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(out.glob(".*.tmp")):  # wait until it writes
            time.sleep(0.05)
        assert any(out.glob(".*.tmp")), "fix never started writing: the signal would test nothing"
        mid_run = not (out / "mesures.csv").exists()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        if mid_run:
            break
    assert mid_run, "every run was past its output before the signal (a loaded machine?)"
    assert proc.returncode == code, err
    said = "interrompu" if sig == signal.SIGINT else "arrêté"
    assert f"tabcheck\u00a0: {said}\u202f; fichiers temporaires supprimés\n" in err.decode(), err
    assert list(out.glob(".*.tmp")) == [] and not (out / "mesures.csv").exists() and b"Traceback" not in err
    assert source.read_text(encoding="utf-8").startswith("id;site;valeur;date\n")


@pytest.mark.parametrize(
    "args,cwd",
    [(["fix", "d", "-o", "d"], "."), (["fix", "d", "-o", "d/sub"], "."), (["fix", "a.tsv", "-o", "."], "d")],
)
def test_fix_never_writes_among_its_inputs(tmp_path: Path, args: list[str], cwd: str) -> None:
    """Was: `fix d -o d` wrote a.tsv's output over d/a.csv; `fix data -o data/sub` skipped data/sub/b.csv."""
    data = tmp_path / "d"
    (data / "sub").mkdir(parents=True)
    files = {"a.csv": b"a;b\n1;2,5\n", "a.tsv": b"a\tb\n1\t2\n", "sub/b.csv": b"x,y\n1,2\n"}
    for name, content in files.items():
        (data / name).write_bytes(content)
    out = _cli(*args, cwd=tmp_path / cwd if cwd != "." else tmp_path)
    assert out.returncode == 2 and b"write the fixed copies elsewhere" in out.stderr
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()) == sorted(files)
    assert all((data / name).read_bytes() == content for name, content in files.items())


def test_a_huge_value_is_summarised_in_every_report(tmp_path: Path) -> None:
    """Was: a 400 MB shared string gave a 419 MB JSON report (the full value, repeated)."""
    path = tmp_path / "long.csv"
    path.write_text('id,valeur\n1,"' + "9" * 300_000 + ',5"\n2,"2,5"\n', encoding="utf-8")
    out = _cli("check", str(path), "--format", "json", cwd=tmp_path)
    assert len(out.stdout) < 20_000
    (finding,) = [f for f in json.loads(out.stdout)["files"][0]["findings"] if f["rule"] == "decimal-comma"]
    assert "… (+299,802 characters)" in finding["message"] and len(finding["message"]) < 600
    assert len(finding["params"]["example"]) < 300


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_is_read_as_text(tmp_path: Path, codec: str) -> None:
    """Was: UTF-32 was taken for UTF-16, or (without a BOM) for binary data."""
    path = tmp_path / "u32.csv"
    path.write_bytes("id,ville\n1,Orléans\n2,Brest\n".encode(codec))
    (report,) = check([path]).files
    assert report.encoding is not None and report.encoding.startswith("utf-32")
    assert "not-tabular" not in {f.rule for f in report.findings}
    assert "encoding-not-utf8" in {f.rule for f in report.findings}


def test_an_error_outside_any_file_is_an_internal_error_not_a_traceback(tmp_path: Path) -> None:
    """Was: an exception while rendering the report printed a traceback and exited 1 ("blockers").

    A real plugin, installed as an entry point, adds an output format that breaks."""
    (tmp_path / "a.csv").write_text("a,b\n1,2\n")
    site = tmp_path / "site"
    (site / "broken_format-1.0.dist-info").mkdir(parents=True)
    (site / "broken_format-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: broken-format\nVersion: 1.0\n"
    )
    (site / "broken_format-1.0.dist-info" / "entry_points.txt").write_text(
        "[tabcheck]\nbroken = broken_format\n"
    )
    (site / "broken_format.py").write_text(
        "from tabcheck.plugin import hookimpl\n\n"
        "def _render(run, options):\n    raise RuntimeError('renderer broke')\n\n"
        "@hookimpl\ndef tabcheck_renderers():\n    return {'broken': _render}\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "TABCHECK_LANG": "en"}
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", ".", "--format", "broken"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert out.returncode == 2, out.stderr
    assert b"Traceback" not in out.stderr
    assert b"tabcheck: internal error: RuntimeError: renderer broke" in out.stderr
    french = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", ".", "--format", "broken", "--lang", "fr"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert french.returncode == 2
    assert "tabcheck\u00a0: erreur interne\u00a0: RuntimeError: renderer broke\nMerci de la signaler" in (
        french.stderr.decode()
    )
    debug = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", ".", "--format", "broken", "--debug"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert b"Traceback" in debug.stderr


_LATE_SIGNAL = """
import os, signal, sys, threading, time
from tabcheck.cli import main

done = threading.Event()
path, sig = sys.argv[1], int(sys.argv[2])


def late():  # a thread Python waits for at exit, and a signal while it waits
    done.wait()
    time.sleep(0.2)
    os.kill(os.getpid(), sig)
    time.sleep(5)


threading.Thread(target=late).start()
sys.argv = ["tabcheck", "check", path]
try:
    main()
finally:
    done.set()
"""


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_once_the_run_is_over_still_exits_as_interrupted(tmp_path: Path, sig, code) -> None:
    """Was: a Ctrl+C that came as Python waited for its threads at exit (fix's outputs written) made it
    die of the signal, exit -2 and no word (CI met it once, under load)."""
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    done = subprocess.run(
        [sys.executable, "-c", _LATE_SIGNAL, str(table), str(int(sig))], capture_output=True, timeout=60
    )
    assert done.returncode == code, done.stderr
