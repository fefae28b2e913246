"""Writing a fixed file: into a temporary file beside the target, renamed when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_text(target: Path, source: Path | None = None):
    """Open a text file that appears at `target` only when the block ends without error."""
    target = Path(target)
    if source is not None and target.exists() and target.resolve() == Path(source).resolve():
        raise ValueError("the output would overwrite the original file; choose another output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
