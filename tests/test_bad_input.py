"""Inputs that are not what a table should be: the run must go on, report clearly, and stay bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabcheck.api import check
from tabcheck.checker import Settings, check_paths
from tabcheck.report import RenderOptions, render

GOOD = b"id,name\n1,alice\n2,bob\n"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry below folder (hidden ones too): path -> (size, mtime_ns)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return out


def statuses(run) -> list[tuple[str, str, str | None]]:
    return [(Path(r.path).name, r.status, r.error) for r in run.files]


# -- files that cannot be read ---------------------------------------------------------------------


@pytest.mark.skipif(ROOT_USER, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    locked = tmp_path / "locked.csv"
    locked.write_bytes(GOOD)
    (tmp_path / "ok.csv").write_bytes(GOOD)
    locked.chmod(0)
    try:
        run = check([tmp_path])
    finally:
        locked.chmod(0o644)
    assert statuses(run) == [
        ("locked.csv", "unreadable", "permission denied: the file cannot be read"),
        ("ok.csv", "ready", None),
    ]
    assert run.summary["unreadable"] == 1  # the status `unreadable` (tabcheck.status) was `error`


@pytest.mark.skipif(ROOT_USER, reason="root reads folders whatever their permissions")
def test_unreadable_folder(tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "inside.csv").write_bytes(GOOD)
    (tmp_path / "ok.csv").write_bytes(GOOD)
    closed.chmod(0)
    try:
        run = check([tmp_path])
    finally:
        closed.chmod(0o755)
    assert sorted(statuses(run)) == [
        ("closed", "unreadable", "cannot be read (permission denied?)"),
        ("ok.csv", "ready", None),
    ]


def test_missing_path_among_good_ones(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(GOOD)
    b.write_bytes(GOOD)
    run = check([a, tmp_path / "missing.csv", b, tmp_path / "no-folder"])
    by_name = {Path(r.path).name: r for r in run.files}
    assert sorted(statuses(run)) == [
        ("a.csv", "ready", None),
        ("b.csv", "ready", None),
        ("missing.csv", "unreadable", "no such file or folder"),
        ("no-folder", "unreadable", "no such file or folder"),
    ]
    assert by_name["a.csv"].dataverse.observations == 2
    # one count per status of tabcheck.status (`errors` became `unreadable`), and the blocking files
    assert run.summary == {
        "files": 4,
        "ready": 2,
        "altered": 0,
        "fails": 0,
        "not-ingested": 0,
        "unreadable": 2,
        "blocked": 0,
    }


def test_binary_file_named_csv(tmp_path):
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (r,) = check([png]).files
    assert r.error is None
    assert (r.status, r.size) == ("fails", 8 + 256 * 40)
    binary = [(f.rule, f.severity.value, f.text()) for f in r.findings if f.rule == "not-tabular"]
    assert binary == [("not-tabular", "blocker", "The file is not text: its content looks like binary data.")]


def test_random_bytes_with_nul_named_tsv(tmp_path):
    blob = tmp_path / "dump.tsv"
    blob.write_bytes(bytes((i * 7919) % 256 for i in range(20000)))
    (r,) = check([blob]).files
    assert r.error is None
    assert [f.rule for f in r.findings if f.rule == "not-tabular"] == ["not-tabular"]
    assert r.status == "fails"


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    (r,) = check([empty]).files
    assert r.error is None
    assert [(f.rule, f.variant) for f in r.findings] == [("no-data", "empty")]
    assert (r.dataverse.outcome.value, r.dataverse.variables, r.dataverse.observations) == ("ingested", 0, 0)


def test_file_vanishing_between_discovery_and_reading(tmp_path):
    for name in ("a.csv", "b.csv", "c.csv"):
        (tmp_path / name).write_bytes(GOOD)
    calls = []

    def progress(done: int, total: int, name: str) -> None:
        calls.append((done, total, Path(name).name))
        if name.endswith("b.csv"):
            os.remove(name)

    run = check_paths([tmp_path], Settings(), progress=progress)
    assert calls == [(0, 3, "a.csv"), (1, 3, "b.csv"), (2, 3, "c.csv"), (3, 3, "")]
    assert statuses(run) == [
        ("a.csv", "ready", None),
        ("b.csv", "unreadable", "the file disappeared before it could be read"),
        ("c.csv", "ready", None),
    ]
    # Each output says it in its language (was: English in a French report).
    vanished = run.files[1]
    assert vanished.error_text("fr") == "le fichier a disparu avant d'avoir pu être lu"
    assert "le fichier a disparu avant d&#39;avoir pu être lu" in render(
        run, "html", RenderOptions(lang="fr")
    )
    assert "  erreur\u00a0: le fichier a disparu avant d'avoir pu être lu\n" in render(
        run, "text", RenderOptions(lang="fr")
    )
    assert json.loads(render(run, "json", RenderOptions(lang="fr")))["files"][1][
        "error"
    ] == vanished.error_text("fr")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_in_a_folder_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "ok.csv").write_bytes(GOOD)
    p = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=5,
        cwd=tmp_path,
    )
    report = json.loads(p.stdout)
    # Said, never opened (was: skipped without a word, the user left believing it checked).
    assert [(Path(f["path"]).name, f["status"], f.get("error")) for f in report["files"]] == [
        ("pipe.csv", "unreadable", "not a regular file (a FIFO, a device…): not read"),
        ("ok.csv", "ready", None),
    ]
    assert p.returncode == 2


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_link_to_nothing_in_a_folder_is_said_in_each_language(tmp_path):
    """Was: a link to a moved file, or a loop of links, named like a table was skipped silently."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.csv").write_bytes(GOOD)
    os.symlink(tmp_path / "moved" / "mesures.csv", data / "mesures.csv")
    os.symlink("b.csv", data / "a.csv")
    os.symlink("a.csv", data / "b.csv")
    for lang, said in (
        ("en", "a link to a file that is not there (or a loop of links): not read"),
        ("fr", "un lien vers un fichier absent (ou une boucle de liens)\u00a0: non lu"),
    ):
        p = subprocess.run(
            [sys.executable, "-m", "tabcheck", "check", "--format", "json", "--lang", lang, str(data)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        report = json.loads(p.stdout)
        assert [(Path(f["path"]).name, f["status"], f.get("error")) for f in report["files"]] == [
            ("a.csv", "unreadable", said),
            ("b.csv", "unreadable", said),
            ("mesures.csv", "unreadable", said),
            ("ok.csv", "ready", None),
        ]
        assert p.returncode == 2
    p = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", "--lang", "fr", str(data / "mesures.csv")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"  erreur\u00a0: {said}\n" in p.stdout
    assert p.returncode == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_file_that_could_not_be_checked_is_not_exit_0(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    p = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", str(tmp_path / "pipe.csv")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "error: not a regular file" in p.stdout
    assert p.returncode == 2


# -- sizes and shapes ------------------------------------------------------------------------------


def test_50mb_without_a_line_break(tmp_path):
    path = tmp_path / "one-line.csv"
    size = 50 * 1024 * 1024
    path.write_bytes(b"x" * size)
    start = time.monotonic()
    (r,) = check([path]).files
    assert time.monotonic() - start < 20
    assert r.error is None
    # One 50 MB name: the reader accepts it, the database save refuses it (over 255 characters).
    assert r.dataverse.outcome.value == "fails"
    assert r.dataverse.message.startswith(
        "Ingest produced tabular data, but failed to save it in the database;"
    )
    assert [f.rule for f in r.findings] == ["no-data", "header-too-long"]


def test_50mb_name_length_is_exact(tmp_path):
    """Was: the length of the 1 MiB the splitter keeps of a value (1,048,576)."""
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"x" * (50 * 1024 * 1024))
    (r,) = check([path]).files
    (f,) = [f for f in r.findings if f.rule == "header-too-long"]
    assert f.params["length"] == 50 * 1024 * 1024


def test_50mb_line_with_delimiters_finishes_in_bounded_time(tmp_path):
    """Was: ~3 minutes (Python state for each of the 5 million header fields), then 15 s. A record
    beyond the budget of values (scan.budgets) stops the reading: record-too-wide, in about a
    second. A subprocess, so a regression fails at the timeout instead of holding the suite."""
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"abcdefghi," * (5 * 1024 * 1024))
    code = (
        "import json, sys, tabcheck.api as tc; r = tc.check([sys.argv[1]]).files[0]; "
        "print(json.dumps([r.error, r.dataverse.outcome.value, r.dataverse.message, "
        "[(f.rule, f.text()) for f in r.findings]]))"
    )
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=90)
    assert p.returncode == 0, p.stderr
    error, outcome, message, findings = json.loads(p.stdout)
    assert (error, outcome, message) == (None, "fails", None)
    assert findings == [
        [
            "record-too-wide",
            "The record on line 1 has more than 65,536 values: this is not a table (line breaks lost?). "
            "The file was not read past it.",
        ],
        ["too-many-columns", "The table has 65,536 columns; the limit is 1024."],
        [
            "duplicate-header",
            "The name “abcdefghi” is used by columns 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (+65526).",
        ],
    ]


def test_10mb_cell(tmp_path):
    path = tmp_path / "long-cell.csv"
    path.write_bytes(b'id,text\n1,"' + b"abc " * (10 * 1024 * 1024 // 4) + b'"\n2,short\n')
    start = time.monotonic()
    (r,) = check([path]).files
    assert time.monotonic() - start < 20
    assert (r.error, r.findings) == (None, [])
    assert (r.dataverse.outcome.value, r.dataverse.variables, r.dataverse.observations) == ("ingested", 2, 2)
    assert [c.type for c in r.dataverse.columns] == ["integer", "character"]


# -- folders ---------------------------------------------------------------------------------------


def test_symlink_loop(tmp_path):
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.csv").write_bytes(GOOD)
    (data / "sub" / "b.csv").write_bytes(GOOD)
    os.symlink("..", data / "sub" / "up")  # sub/up -> data: a loop
    os.symlink(data / "sub", data / "sub" / "self")
    run = check([data])
    assert statuses(run) == [("a.csv", "ready", None), ("b.csv", "ready", None)]
    assert [r.path for r in run.files] == [str(data / "a.csv"), str(data / "sub" / "b.csv")]


def test_same_file_given_twice_is_checked_once(tmp_path):
    a = tmp_path / "a.csv"
    a.write_bytes(GOOD)
    os.symlink(a, tmp_path / "link.csv")
    run = check([a, tmp_path, tmp_path / "link.csv"])
    assert [r.path for r in run.files] == [str(a)]


def test_hidden_folders_and_files_are_skipped(tmp_path):
    for rel in (
        ".git/x.csv",
        ".ipynb_checkpoints/y.csv",
        "data/.cache/z.csv",
        ".hidden.csv",
        "data/visible.csv",
        "data/notes.md",
    ):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(GOOD)
    run = check([tmp_path])
    assert [r.path for r in run.files] == [str(tmp_path / "data" / "visible.csv")]


def test_hidden_file_named_explicitly_is_checked(tmp_path):
    hidden = tmp_path / ".hidden.csv"
    hidden.write_bytes(GOOD)
    assert statuses(check([hidden])) == [(".hidden.csv", "ready", None)]


def test_nothing_is_written_next_to_the_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.csv").write_bytes(GOOD)
    (data / "bad.csv").write_bytes(b"id;name\n1;a,b\n\n")
    (data / "sheet.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (data / "latin1.tsv").write_bytes("id\tville\n1\tOrléans\n".encode("latin-1"))
    before = snapshot(tmp_path)
    check([data])
    for args, cwd in (
        (["check", str(data)], data),
        (["check", "--format", "json", str(data)], data),
        (["check", "data"], tmp_path),
    ):
        p = subprocess.run(
            [sys.executable, "-m", "tabcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=120
        )
        assert p.returncode == 1, p.stderr
    assert snapshot(tmp_path) == before
