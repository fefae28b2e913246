"""Progress on long work, on a terminal only: files and bytes done, throughput, time left.

Nothing is shown when standard error is not a terminal (a pipe, CI logs, pre-commit), with
`--quiet`, or for work that ends within half a second; the line disappears when the work is done,
so the report that follows starts on a clean screen. `NO_COLOR` is honoured (by rich itself).
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any

SHOW_AFTER = 0.5  # seconds: shorter work shows nothing (TABCHECK_PROGRESS_AFTER overrides it)


def _show_after() -> float:
    """Seconds of work before the bar appears; the tests set 0 so a fast machine still shows it."""
    try:
        return max(0.0, float(os.environ.get("TABCHECK_PROGRESS_AFTER", SHOW_AFTER)))
    except ValueError:
        return SHOW_AFTER


def wanted(quiet: bool) -> bool:
    """Should progress be shown: a terminal on stderr, not --quiet, not a dumb terminal."""
    return not quiet and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class TerminalProgress:
    """One transient bar on stderr; `files(done, total, name)` and `bytes(name, done, total)` feed it."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.started = time.monotonic()  # the run's start: nothing shown before `show_after`
        self.show_after = _show_after()
        self._file_started = self.started  # the current file's start (its speed)
        self._progress: Any = None
        self._task: Any = None
        self._sizes: dict[str, int] = {}
        self._bytes_done = 0
        self._bytes_total = 0
        self._current = ""

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _ensure(self) -> bool:
        if self._progress is not None:
            return True
        if time.monotonic() - self.started < self.show_after:
            return False
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("", total=None, detail="")
        self._progress.start()
        return True

    def _megabytes(self, n: float) -> str:
        text = f"{n / 1e6:,.1f}"
        if self.lang == "fr":
            text = text.replace(",", "\u202f").replace(".", ",")
        return text + (" Mo" if self.lang == "fr" else " MB")

    def _speed(self, done: int, since: float | None = None) -> str:
        seconds = max(time.monotonic() - (self.started if since is None else since), 1e-6)
        return self._megabytes(done / seconds) + "/s"

    def files(self, done: int, total: int, name: str) -> None:
        """A run over many files: `done` of `total` finished, `name` the current (or last) one."""
        if name and name not in self._sizes:
            try:
                self._sizes[name] = os.stat(name).st_size
            except OSError:
                self._sizes[name] = 0
            if done:
                self._bytes_done = sum(self._sizes.values()) - self._sizes[name]
        if not self._ensure():
            return
        word = "fichiers" if self.lang == "fr" else "files"
        detail = (
            f"{done}/{total} {word} · {self._megabytes(self._bytes_done)} · {self._speed(self._bytes_done)}"
        )
        self._progress.update(
            self._task, description=_short(name), total=total, completed=done, detail=detail
        )

    def bytes(self, name: str, done: int, total: int) -> None:
        """Within one file: `done` of its `total` bytes read (fix, and long checks)."""
        if name != self._current:
            self._current = name
            self._file_started = time.monotonic()
        if not self._ensure():
            return
        speed = self._speed(done, self._file_started)
        detail = f"{self._megabytes(done)} / {self._megabytes(total)} · {speed}"
        self._progress.update(
            self._task, description=_short(name), total=total, completed=done, detail=detail
        )

    def rows(self, name: str, done: int, total: int) -> None:
        """Within one workbook: `done` of `total` rows streamed (fix reads each sheet three times:
        to survey it, to write it, to verify it)."""
        if name != self._current:
            self._current = name
            self._file_started = time.monotonic()
        if not self._ensure():
            return
        seconds = max(time.monotonic() - self._file_started, 1e-6)
        word = "lignes" if self.lang == "fr" else "rows"
        detail = f"{self._count(done)} / {self._count(total)} {word} · {self._count(round(done / seconds))} {word}/s"
        self._progress.update(
            self._task, description=_short(name), total=total or None, completed=done, detail=detail
        )

    def _count(self, n: int) -> str:
        text = f"{n:,}"
        return text.replace(",", "\u202f") if self.lang == "fr" else text


def _short(name: str) -> str:
    return name if len(name) <= 40 else "…" + name[-39:]
