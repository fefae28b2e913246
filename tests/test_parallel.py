"""Folders checked in worker processes: the same reports as one process, in the same order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tabcheck.checker import Settings
from tabcheck.discover import Candidate, discover
from tabcheck.parallel import check_in_workers, worth_it

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TABCHECK_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "tabcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_workers_give_the_reports_of_one_process_in_the_same_order() -> None:
    """Differential: every fixture folder, -j 2 against -j 1, byte for byte in JSON."""
    folders = ["fixtures/csv", "fixtures/xlsx", "fixtures/sniff"]
    one = _cli("check", *folders, "--format", "json", "-j", "1", cwd=ROOT)
    two = _cli("check", *folders, "--format", "json", "-j", "2", cwd=ROOT)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    files = json.loads(two.stdout)["files"]
    assert len(files) > 100
    assert [f["path"] for f in files][:3] == sorted(f["path"] for f in files)[:3]


class _Crashing(Candidate):
    """A candidate whose arrival in a worker ends that process, as a native crash would."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os._exit, (3,))


def test_a_file_that_stops_its_worker_is_unreadable_and_the_others_are_checked(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"f{i}.csv").write_text("a,b\n1,2\n")
    found, _ = discover([tmp_path])
    bad = _Crashing(tmp_path / "f1.csv", "f1.csv", explicit=True)
    reports = check_in_workers([found[0], bad, found[2]], Settings(), jobs=2)
    assert [r.path for r in reports] == [found[0].display, "f1.csv", found[2].display]
    assert [r.status for r in reports] == ["ready", "unreadable", "ready"]
    assert reports[1].error is not None and "stopped its process" in reports[1].error


def test_small_runs_stay_in_one_process(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("a\n1\n")
    found, _ = discover([tmp_path])
    assert not worth_it(found, jobs=4)
    assert not worth_it(found * 20, jobs=1)
    assert worth_it(found * 20, jobs=2)


def test_jobs_must_be_a_whole_number(tmp_path: Path) -> None:
    out = _cli("check", ".", "-j", "0", cwd=tmp_path)
    assert out.returncode == 2
    assert "--jobs must be a whole number of 1 or more (got 0)" in out.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.tabcheck]\njobs = "many"\n')
    out = _cli("check", ".", cwd=tmp_path)
    assert out.returncode == 2
    assert "--jobs must be a whole number of 1 or more (got 'many')" in out.stderr
