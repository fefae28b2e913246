"""Writing a fixed file: into a temporary file beside the target, renamed when complete and verified.

Every path goes through the run's output guard (tabcheck/guard.py) when one is active, as it is
during `tabcheck fix`: an input is never overwritten, even with `--force`, and an existing file only
with `--force`. Without a guard (a library call), the same two rules hold for the given source.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tabcheck.fix.names import MANIFEST
from tabcheck.guard import OutputRefused, current


class OutputExists(FileExistsError):
    """The output file is already there and --force was not given."""


def _own_manifest(target: Path) -> bool:
    """`target` is a fix-manifest.json an earlier run wrote: tabcheck's record, replaced freely."""
    if target.name != MANIFEST or not target.is_file() or target.stat().st_size > 1 << 30:
        return False
    try:
        with open(target, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "tabcheck" in data and isinstance(data.get("files"), list)


def check_target(
    target: Path, source: Path | None = None, force: bool = False, *, reserve: bool = False
) -> None:
    """Raise when writing `target` would overwrite an input or, without `force`, any existing file."""
    target = Path(target)
    guard = current()
    if guard is not None:
        if source is not None:
            guard.add_inputs([source])
        try:
            guard.claim(target, reserve=reserve, replaceable=_own_manifest(target))
        except OutputRefused as e:
            if e.forceable:
                raise OutputExists(str(e)) from None
            raise  # the output is an input, or holds one: fix_paths refuses the file, in both languages
        return
    if source is not None and target.exists() and target.resolve() == Path(source).resolve():
        raise ValueError("the output would overwrite the original file; choose another output folder")
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists (pass --force to replace it)")


class PendingOutput:
    """A temporary file beside `target`: `commit()` renames it into place, `discard()` removes it."""

    def __init__(self, target: Path, source: Path | None = None, force: bool = False) -> None:
        self.target = Path(target)
        check_target(self.target, source, force, reserve=True)
        self.force = force
        self.source = source
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        except BaseException:
            self._release()
            raise
        os.close(fd)
        self.path = Path(tmp)

    def open(self) -> TextIO:
        return open(self.path, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        guard = current()
        try:
            if guard is not None:
                if not _own_manifest(self.target):
                    guard.check_again(self.target)
            else:
                check_target(self.target, self.source, self.force)  # nothing appeared meanwhile
        except OutputRefused as e:
            self.discard()
            if e.forceable:
                raise OutputExists(str(e)) from None
            raise  # the output is an input, or holds one: fix_paths refuses the file, in both languages
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o666 & ~umask)
        os.replace(self.path, self.target)
        if guard is not None:
            guard.wrote(self.target)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        self._release()

    def _release(self) -> None:
        guard = current()
        if guard is not None:
            guard.release(self.target)


@contextlib.contextmanager
def atomic_text(target: Path, source: Path | None = None, force: bool = False) -> Iterator[TextIO]:
    """Open a text file that appears at `target` only when the block ends without error."""
    pending = PendingOutput(target, source, force)
    try:
        with pending.open() as fh:
            yield fh
        pending.commit()
    except BaseException:
        pending.discard()
        raise
