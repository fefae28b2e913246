"""Progress on a terminal only: shown on a real pseudo-terminal, never in a pipe or with --quiet."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest


def _folder(tmp_path: Path) -> Path:
    data = tmp_path / "données"
    data.mkdir()
    for i in range(25):
        (data / f"t{i:02d}.csv").write_text("id;valeur\n" + "".join(f"{r};{r},5\n" for r in range(1500)))
    return data


def _stderr_on_a_terminal(*args: str, cwd: Path, show_after: str = "0") -> bytes:
    """Run tabcheck with its stderr on a pseudo-terminal; what that terminal received."""
    master, slave = pty.openpty()
    # The bar shows from the first file: a fast machine ends this folder within the usual half-second.
    env = {
        **os.environ,
        "TERM": "xterm",
        "COLUMNS": "120",
        "TABCHECK_LANG": "fr",
        "TABCHECK_PROGRESS_AFTER": show_after,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tabcheck", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    received = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    proc.wait(timeout=60)
    os.close(master)
    return received


@pytest.mark.parametrize("command", [["check", "-j", "1"], ["fix", "-o", "sortie"]])
def test_progress_is_shown_on_a_terminal_in_french(tmp_path: Path, command: list[str]) -> None:
    data = _folder(tmp_path)
    shown = _stderr_on_a_terminal(command[0], str(data), *command[1:], cwd=tmp_path).decode(
        "utf-8", "replace"
    )
    if command[0] == "check":
        assert "/25 fichiers · " in shown and " Mo/s" in shown
    else:
        assert " Mo / " in shown and " Mo/s" in shown


def test_no_progress_with_quiet_nor_in_a_pipe_nor_for_short_work(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    assert b"fichiers" not in _stderr_on_a_terminal(
        "check", str(data), "-j", "1", cwd=tmp_path, show_after="600"
    )
    assert b"fichiers" not in _stderr_on_a_terminal("check", str(data), "-j", "1", "--quiet", cwd=tmp_path)
    piped = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", str(data), "-j", "1"], capture_output=True, check=False
    )
    assert piped.stderr == b""


def test_a_workbooks_fix_shows_its_rows_on_a_terminal(tmp_path: Path) -> None:
    """Was: `fix` of a 5,000,000-cell workbook ran 110 s in silence (its progress counted bytes of
    text tables only). Now each pass over a sheet's rows (survey, writing, verification) moves it."""
    import xlsxwriter  # type: ignore[import-untyped]

    data = tmp_path / "données"
    data.mkdir()
    wb = xlsxwriter.Workbook(str(data / "mesures.xlsx"))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["id", "valeur"])
    for r in range(1, 10_001):
        ws.write_row(r, 0, [r, r / 4])
    wb.close()
    shown = _stderr_on_a_terminal("fix", str(data), "-o", "sortie", cwd=tmp_path).decode("utf-8", "replace")
    assert " / 30\u202f003 lignes · " in shown and " lignes/s" in shown
