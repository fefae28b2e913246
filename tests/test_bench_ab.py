"""benchmarks/ab.py: the earlier commit and the working tree run in turn, each run measured."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ab():
    spec = importlib.util.spec_from_file_location("ab", ROOT / "benchmarks" / "ab.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ab"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def _in_git() -> bool:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True)
    except OSError:  # no git on this machine
        return False
    return done.returncode == 0


@pytest.mark.skipif(not _in_git(), reason="a checkout without git history")
def test_both_sides_run_in_turn_and_their_outputs_are_compared(tmp_path, capsys) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a;b\n1,5;2\n")  # a finding: exit 1 on both sides
    rc = _ab().main(
        ["HEAD", "--runs", "2", "--no-warm", "--same-output", "--", "check", str(table), "--format", "json"]
    )
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and line[2].isdigit()]
    # ABBA: the earlier commit, now, now, the earlier commit.
    assert [r.split("|")[2].strip() for r in rows] == ["HEAD", "now", "now", "HEAD"]
    assert all(r.split("|")[6].strip() == "1" for r in rows)
    assert "standard output: the same on both sides" in out
    assert rc == 0


def test_tabcheck_arguments_come_after_a_double_dash() -> None:
    with pytest.raises(SystemExit):
        _ab().main(["HEAD", "check", "x.csv"])
