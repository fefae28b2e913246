"""OpenBLAS without its worker threads in tabcheck's own processes.

tabcheck does no linear algebra, but numpy loads OpenBLAS, and numba (the codebook's and fix's
compiled loops) loads scipy's too: each starts a worker thread per extra core, and those threads
spin before they sleep. Loading numba cost 0.15-0.2 CPU s more with them (0.59-0.66 CPU s against
0.40-0.62 s without, on two cores). Called first by the command line and by each worker process
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
