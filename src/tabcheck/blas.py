"""OpenBLAS without its worker threads in tabcheck's own processes.

tabcheck does no linear algebra, but numpy loads OpenBLAS, and numba (the codebook's and fix's
compiled loops) loads scipy's too: each starts a worker thread per extra core, and those threads
spin before they sleep. Loading numba (and scipy.linalg, which it loads) took 0.91-0.96 CPU s with
them, 0.63-0.85 s without, on two cores; `check --codebook` of the clean gigabyte is not measurably
faster for it (the machine's noise is larger). Called first by the command line and by each worker process
(parallel.py), before numpy is imported; a library user's process keeps its BLAS as it is, and
OPENBLAS_NUM_THREADS, when set, wins.
"""

from __future__ import annotations

import os


def single_threaded_blas() -> bool:
    """Ask OpenBLAS for no worker thread; whether it was asked (False when the environment already
    says how many)."""
    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return False
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    return True
