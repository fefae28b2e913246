"""OpenBLAS's worker threads left out of tabcheck's own processes (blas.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tabcheck.blas import single_threaded_blas

# In a fresh process: numpy not loaded before the command line starts (else the setting would
# come too late for its OpenBLAS), then what the environment says once it has run.
_CHILD = """
import os, sys
from tabcheck.cli import main
assert "numpy" not in sys.modules, "numpy loaded before the command line starts"
sys.argv = ["tabcheck", "check", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
print(os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def _child(tmp_path, env: dict[str, str]) -> str:
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(table)], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_command_line_asks_for_no_blas_thread_before_numpy_loads(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert _child(tmp_path, env) == "1"


def test_the_environment_wins(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _child(tmp_path, {**os.environ, "OPENBLAS_NUM_THREADS": "3"}) == "3"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert single_threaded_blas() is False
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"
    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    assert single_threaded_blas() is True
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"


_CODEBOOK_CHILD = """
import os, sys
from tabcheck.cli import main
sys.argv = ["tabcheck", "check", sys.argv[1], "--codebook", "--format", "json"]
os.environ["TABCHECK_JIT_MIN_VALUES"] = "0"
try:
    main()
except SystemExit:
    pass
from tabcheck import kernels
print(kernels.loaded("encode_floats") is not None, "scipy.linalg" in sys.modules, file=sys.stderr)
"""


def test_the_command_line_loads_numba_without_scipy_linalg(tmp_path) -> None:
    """numba's array functions probe for a BLAS by importing scipy.linalg (0.15-0.25 CPU s, with
    numpy.f2py): the command line makes the probe fail at once; the compiled loops still load."""
    pytest.importorskip("numba")
    table = tmp_path / "t.csv"
    table.write_text("a,b\n" + "".join(f"{i},{i / 3}\n" for i in range(200)))
    from tabcheck import kernels

    kernels.warm()  # compiled (or read from the cache) here first: the child only loads them
    done = subprocess.run(
        [sys.executable, "-c", _CODEBOOK_CHILD, str(table)], capture_output=True, text=True, check=True
    )
    assert done.stderr.strip().splitlines()[-1] == "True False"


def test_a_library_user_keeps_scipy_linalg() -> None:
    from tabcheck.blas import without_scipy_linalg

    before = sys.modules.setdefault("scipy.linalg.cython_blas", sys)  # loaded, as by the user
    try:
        assert without_scipy_linalg() is False
        assert sys.modules["scipy.linalg.cython_blas"] is before
    finally:
        if sys.modules.get("scipy.linalg.cython_blas") is sys:
            del sys.modules["scipy.linalg.cython_blas"]
