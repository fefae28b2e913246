"""Compiled loops (numba) for the codebook's per-value work and the fix of regular tables, for chunks
large enough to pay for them.

The UNF of a numeric variable needs each value's normalised text, and its statistics need sums taken
left to right: numpy does both in several passes over temporary arrays (about 50 ns a value), these
loops in one (a few ns), without the interpreter lock, so the two feeding threads really run side by
side (codebook/_jit.py). Each loop has a twin in numpy or polars, used for small chunks (a loop is
compiled at its first use: about 3 s for all of them, once, then loaded from a disk cache in 0.7 s) and
as the reference of the differential tests (tests/test_codebook_kernels.py).

`fix` rewrites and verifies each chunk of a regular table in a loop (fix/_jit.py) instead of with
polars expressions, which parse and copy every value several times: the polars path stays for small
files and for any chunk the loops give back (tests/test_fix_kernels.py). `fix` loads them before it
checks a large file; its scan then transcodes each chunk of a single-byte file, makes CRLF line
ends LF and counts plain chunks in loops too (scan/_jit.py; so does a codebook's scan once its
loops are loaded), which `check` alone never loads numba for (`loaded`).

Memory: numba and the loaded loops take about 130 MB; they are loaded only when a file's codebook
gets chunks large enough for them (`check --codebook` on a file of 8 MB or more), or when `fix`
rewrites a table of MIN_BYTES or more.

`available()` says whether numba can be used; without it (an interpreter it does not support yet,
TABCHECK_NO_JIT set) every caller takes the numpy twin: same results, slower.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

# Smaller chunks take the twins: loading the loops would cost more than they save.
# TABCHECK_JIT_MIN_VALUES=0 sends every chunk to the loops (tests run whole files through them).
MIN_VALUES = int(os.environ.get("TABCHECK_JIT_MIN_VALUES", str(1 << 16)))
# Smaller files are fixed without the loops (loading them takes about 0.7 s, and 130 MB).
# TABCHECK_JIT_MIN_BYTES=0 sends every file's chunks (after the first) to the loops.
MIN_BYTES = int(os.environ.get("TABCHECK_JIT_MIN_BYTES", str(32 << 20)))

_lock = threading.Lock()
_loaded: dict[str, dict[str, Any] | None] = {}  # "kernels": the loops, or None when numba cannot be used


def available() -> bool:
    """Whether the compiled loops can be used (numba importable, not switched off)."""
    return _kernels() is not None


def kernel(name: str) -> Callable[..., Any] | None:
    """The compiled loop `name`, None when numba cannot be used."""
    k = _kernels()
    return None if k is None else k[name]


def _kernels() -> dict[str, Any] | None:
    if "kernels" not in _loaded:
        with _lock:
            if "kernels" not in _loaded:
                _loaded["kernels"] = _load()
    return _loaded["kernels"]


def _load() -> dict[str, Any] | None:
    if os.environ.get("TABCHECK_NO_JIT") or sys.byteorder != "little":  # the loops store LE words
        return None
    try:
        from tabcheck.codebook import _jit as codebook_loops
        from tabcheck.fix import _jit as fix_loops
        from tabcheck.scan import _jit as scan_loops
    except Exception:  # noqa: BLE001 - numba missing, unsupported or broken here: the twins, same results
        return None
    return {**codebook_loops.KERNELS, **fix_loops.KERNELS, **scan_loops.KERNELS}


def loaded(name: str) -> Callable[..., Any] | None:
    """The compiled loop `name` when numba is loaded already (never loads it), else None."""
    k = _loaded.get("kernels")
    return None if k is None else k[name]


def warm(part: str = "codebook") -> None:
    """Load numba and each compiled loop of `part` ("codebook"; "fix", with the scan's transcoding
    loop), from the disk cache or compiled, ahead of their first chunk (the codebook's load in a
    thread of its own when a large file starts: it overlaps the scan's start)."""
    k = _kernels()
    if k is None:
        return
    import importlib

    try:
        for module in ("fix", "scan") if part == "fix" else (part,):
            importlib.import_module(f"tabcheck.{module}._jit").warm_up()
    except Exception:  # noqa: BLE001 - a loop that cannot be compiled or loaded here: the twins, same results
        with _lock:
            _loaded["kernels"] = None


_scratch = threading.local()


def scratch(name: str, size: int, dtype: type = np.uint8) -> np.ndarray:
    """A buffer of at least `size` items, this thread's own, reused from call to call: a new buffer
    per chunk would be fresh memory, and the system's first touch of each page costs more than
    the loops' own work. Its content is valid until the next call with this name in this thread."""
    buffers: dict[str, np.ndarray] = _scratch.__dict__.setdefault("buffers", {})
    b = buffers.get(name)
    if b is None or len(b) < size or b.dtype != dtype:
        b = buffers[name] = np.empty(max(size, 2 * len(b) if b is not None else 0), dtype=dtype)
    return b[:size]


def give_back_memory() -> None:
    """Hand the C allocator's free pages back to the system between a large file's phases (glibc
    only; elsewhere nothing): the check leaves tens of MB freed but held, which the next phase's
    peak, numba's 130 MB included, would otherwise be added to."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, from the symbols the process already has (no library search)."""
    import ctypes

    if not sys.platform.startswith("linux"):  # ctypes.CDLL(None) is refused on Windows
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError, TypeError):
        return None
