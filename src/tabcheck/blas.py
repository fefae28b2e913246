"""OpenBLAS without its worker threads, and scipy.linalg not loaded, in tabcheck's own processes.

tabcheck does no linear algebra, but numpy loads OpenBLAS, and numba (the codebook's and fix's
compiled loops) probed for scipy's by importing scipy.linalg: each starts a worker thread per extra
core, and those threads spin before they sleep. Loading numba (and scipy.linalg) took 0.91-0.96 CPU
s with them, 0.63-0.85 s without, on two cores. The probe itself now fails at once (numba then
does without a BLAS, which no loop of tabcheck calls): `check --codebook` of the clean gigabyte
7.53 s against 7.68 s (medians of four, in turn). Called first by the command line and by each
worker process (parallel.py), before numpy is imported; a library user's process keeps its BLAS
and its scipy as they are, and OPENBLAS_NUM_THREADS, when set, wins.
"""

from __future__ import annotations

import os
import sys


def single_threaded_blas() -> bool:
    """Ask OpenBLAS for no worker thread; whether it was asked (False when the environment already
    says how many)."""
    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return False
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    return True


# numba's first compiled function loads its array functions, which probe for a BLAS by importing
# scipy.linalg (with numpy.f2py and OpenBLAS behind it): 0.15-0.25 CPU s holding the interpreter
# lock, while a large file's scan starts beside it. tabcheck's loops use no linear algebra.
_BLAS_PROBE = "scipy.linalg.cython_blas"


def without_scipy_linalg() -> bool:
    """Make numba's BLAS probe fail at once in this process (a None entry in sys.modules makes
    that import raise ImportError, which numba expects when scipy is missing); whether it was done
    (False when the module is loaded already). Only for tabcheck's own processes: a library
    user's process may need scipy.linalg."""
    if _BLAS_PROBE in sys.modules:
        return False
    sys.modules[_BLAS_PROBE] = None  # type: ignore[assignment]
    return True
