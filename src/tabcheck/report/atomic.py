"""Writing outputs atomically: a reader never sees half a file, a crash never leaves one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tabcheck.guard import OutputGuard


def write_text(path: Path, content: str, guard: OutputGuard | None = None) -> Path:
    """Write `content` at `path` through a temporary file; with a guard, only where it allows
    (tabcheck/guard.py: never an input, never over a file this run did not write, without --force)."""
    path = Path(path)
    if guard is not None:
        guard.claim(path, inside_walk_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would create it
        if guard is not None:
            guard.check_again(path)
        os.replace(tmp, path)
        if guard is not None:
            guard.wrote(path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if guard is not None:
            guard.release(path)
        raise
    return path
