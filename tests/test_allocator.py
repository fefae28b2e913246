"""The allocator's arenas capped for tabcheck's own processes (allocator.py)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from tabcheck.allocator import limit_arenas

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)


@glibc
def test_the_arenas_are_capped_unless_the_environment_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_arenas() is True
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_arenas() is False


@glibc
def test_the_command_line_caps_them_before_its_threads_start(tmp_path) -> None:
    # `tabcheck check` runs first (or not), then eight threads that each allocate and free: with
    # the cap, no more than two arenas exist.
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    script = """
import ctypes, sys, threading
if sys.argv[1] == "cli":
    from tabcheck.cli import main
    sys.argv = ["tabcheck", "check", sys.argv[2]]
    try:
        main()
    except SystemExit:
        pass
# All alive at once (a thread's arena goes to the next thread once it ends), each allocating.
ready, hold = threading.Barrier(8), threading.Barrier(8)
def work():
    ready.wait()
    kept = [bytearray(10_000) for _ in range(100)]  # under the mmap threshold: from an arena
    hold.wait()
    del kept
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fflush.argtypes = [ctypes.c_void_p]
f = libc.fopen(b"/dev/stderr", b"w")
libc.malloc_info(0, f)
libc.fflush(f)
"""

    def arenas(mode: str) -> int:
        env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
        run = subprocess.run(
            [sys.executable, "-c", script, mode, str(tmp_path / "t.csv")],
            capture_output=True,
            text=True,
            env=env,
        )
        assert run.returncode == 0, run.stderr
        return run.stderr.count("<heap nr=")

    assert arenas("cli") <= 2 < arenas("alone")


def test_off_linux_the_allocator_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # ctypes.CDLL(None) is refused on Windows: the command line must start there all the same.
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    for platform_name in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform_name)
        assert limit_arenas() is False
