"""Checking many files on every core: one process per core, reports in the order of the walk.

Why processes: a check is CPU-bound Python and polars, and threads would share one interpreter
lock. Why `spawn`: polars runs threads, and forking a process that runs threads is unsafe. Each
worker checks one file at a time with the chunk budget of a single run (polars gets its share of
the cores), so memory stays bounded by `jobs` × one file's budget. A worker that dies (a native
crash, the address-space limit) costs the files it held a retry each in a fresh worker of their
own; a file that stops its worker again is reported `unreadable` with an internal error, and the
run goes on. Small runs stay in the calling process: starting workers costs about half a second.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # multiprocessing is imported when a pool is started, not by one-file runs
    from concurrent.futures import Future, ProcessPoolExecutor

    from tabcheck.checker import Settings
    from tabcheck.discover import Candidate
    from tabcheck.model import FileReport

MIN_FILES = 8  # fewer files are checked in the calling process ...
MIN_BYTES = 64 * 1024 * 1024  # ... unless they are this big together


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worth_it(candidates: Sequence[Candidate], jobs: int) -> bool:
    """Is a pool of workers faster than this process alone?"""
    if jobs <= 1 or len(candidates) < 2:
        return False
    if len(candidates) >= MIN_FILES:
        return True
    total = 0
    for cand in candidates:
        try:
            total += cand.path.stat().st_size
        except OSError:
            continue
    return total >= MIN_BYTES


def _start_worker(polars_threads: int) -> None:
    """In each worker, before polars is imported: its share of the cores, the allocator's arenas
    capped and OpenBLAS's threads left out as in the parent (allocator.py, blas.py); Ctrl+C is the
    parent's."""
    from tabcheck.allocator import limit_arenas
    from tabcheck.blas import single_threaded_blas, without_scipy_linalg

    limit_arenas()
    single_threaded_blas()
    without_scipy_linalg()
    os.environ.setdefault("POLARS_MAX_THREADS", str(polars_threads))
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_one(cand: Candidate, settings: Settings) -> FileReport:
    from tabcheck.checker import check_file

    return check_file(cand, settings)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: cancel what has not started and end the workers (interrupt, error)."""
    pool.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


def _pool(jobs: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    share = max(1, default_jobs() // jobs)
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(share,)
    )


def check_in_workers(
    candidates: Sequence[Candidate],
    settings: Settings,
    jobs: int,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[FileReport]:
    """The reports of `candidates`, in their order, checked by `jobs` worker processes."""
    from concurrent.futures.process import BrokenProcessPool

    total = len(candidates)
    reports: list[FileReport | None] = [None] * total
    lost: list[int] = []
    pool = _pool(jobs)
    try:
        futures: list[Future[FileReport]] = [pool.submit(_check_one, c, settings) for c in candidates]
        for i, future in enumerate(futures):
            try:
                reports[i] = future.result()
            except BrokenProcessPool:
                lost.append(i)
            if progress is not None:
                progress(i + 1, total, candidates[i].display)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)  # every file is done: the workers leave on their own
    for i in lost:  # each alone in a fresh worker: the file that stopped a worker is found out
        reports[i] = _alone(candidates[i], settings)
    return [r for r in reports if r is not None]


def _alone(cand: Candidate, settings: Settings) -> FileReport:
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(1)
    try:
        report = pool.submit(_check_one, cand, settings).result()
    except BrokenProcessPool:
        from tabcheck.checker import shown_path
        from tabcheck.discover import format_of
        from tabcheck.model import FileReport

        _stop(pool)
        report = FileReport(path=shown_path(cand.display), format=format_of(cand.path))
        report.fail("err.worker")
        return report
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return report
