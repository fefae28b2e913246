"""The C allocator's arenas, capped for tabcheck's own processes (glibc only; elsewhere nothing).

glibc gives each thread that allocates an arena of its own, up to eight per core, and each arena
keeps the chunks freed in it. The scan's read-ahead threads, the encoding judgement's, the
rewrite's writer each allocate megabytes per chunk (numpy arrays, bytes): `fix` of the 1 GB
French export peaked at 481-486 MB with them, 437-442 MB with two arenas, at the same speed.
Called first by the command line and by each worker process (parallel.py); a library user's
process keeps its allocator as it is, and MALLOC_ARENA_MAX, when set, wins.
"""

from __future__ import annotations

import os
import sys

ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the number of malloc arenas; whether it was done (False off glibc, or when the
    environment sets MALLOC_ARENA_MAX)."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (musl): its allocator left as it is
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))
