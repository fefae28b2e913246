"""Writing a fixed file: into a temporary file beside the target, renamed when complete and verified.

An existing file is never overwritten unless the user said `--force`, and an input is never
overwritten at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


class OutputExists(FileExistsError):
    """The output file is already there and --force was not given."""


def check_target(target: Path, source: Path | None = None, force: bool = False) -> None:
    """Raise when writing `target` would overwrite the input or, without `force`, any existing file."""
    target = Path(target)
    if source is not None and target.exists() and target.resolve() == Path(source).resolve():
        raise ValueError("the output would overwrite the original file; choose another output folder")
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists (pass --force to replace it)")


class PendingOutput:
    """A temporary file beside `target`: `commit()` renames it into place, `discard()` removes it."""

    def __init__(self, target: Path, source: Path | None = None, force: bool = False) -> None:
        self.target = Path(target)
        check_target(self.target, source, force)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        os.close(fd)
        self.path = Path(tmp)
        self.force = force
        self.source = source

    def open(self) -> TextIO:
        return open(self.path, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        check_target(self.target, self.source, self.force)  # nothing appeared meanwhile
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o666 & ~umask)
        os.replace(self.path, self.target)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)


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
