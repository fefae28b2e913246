"""The codebook fed during the check's own pass (`check --codebook`), so that a file is read once.

The scan's typer hands each chunk of Dataverse's values (no nulls, trimmed for TSV), in row order,
with the columns' types as they stand after that chunk. The variables are fed with those types
beside the scan, in lanes: each lane a thread that feeds its own variables chunk after chunk, so a
variable's chunks keep their order while one lane may run a chunk ahead of the other (no wait for
the slowest variable at every chunk). Variables are dealt to the lanes by their expected cost (the
compiled loops release the interpreter lock: lanes really run side by side). At most two chunks
wait for the lanes: memory stays bounded. The types are a
speculation: a column typed `integer` by its first chunks may turn out `character` at the last
row. The first chunk whose types differ from those the variables were made with ends the
speculation; so does a final prediction with other types or another number of observations. Then
`result` gives None and the file is read a second time (collect.codebook_for_csv), as without the
live pass. Real files settle their types in the first chunk, so the second pass is rare.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl

from tabcheck import kernels
from tabcheck.codebook.collect import THREADS, FileCodebook, _Variable, finished, variables_for

WAITING = 2  # chunks queued for the variables before the scan waits for them
# A variable's expected cost per value, by type (measured on the clean benchmark file): the lanes
# get equal shares of it.
_COST = {"integer": 3, "continuous": 4, "time": 3}  # character and date: 2


class LiveCodebook:
    """Variables fed chunk by chunk from the scan; `result` once the scan is done."""

    def __init__(self, warm: bool = False) -> None:
        self.types: list[str] | None = None
        self.variables: list[_Variable] = []
        self.rows = 0
        self.gave_up: str | None = None
        self._lanes: list[ThreadPoolExecutor] = []  # one thread each, its variables in row order
        self._share: list[list[int]] = []  # the variables of each lane
        self._pending: deque[list[Future[None]]] = deque()  # per chunk, its lanes' jobs
        if warm:  # a large file: the compiled loops load (about 0.7 s) while the scan starts
            threading.Thread(target=kernels.warm, name="tabcheck-warm", daemon=True).start()

    def feed(self, df: pl.DataFrame, types: list[str], casts: pl.DataFrame | None = None) -> None:
        """One chunk of values (columns c0, c1, ...) and the types after it; `casts`: the numeric
        columns' values the typer cast (n0, n1, ...), reused where their type still matches."""
        if self.gave_up is not None:
            return
        if self.types is None:
            self.types = list(types)
            self.variables = variables_for([(f"c{i}", t) for i, t in enumerate(types)])
            self._share = _deal(types, THREADS)
            self._lanes = [ThreadPoolExecutor(max_workers=1) for _ in self._share]
        elif types != self.types:
            self._give_up("a column's type changed after its first values")
            return
        self.rows += df.height
        while len(self._pending) >= WAITING:
            if not self._wait(self._pending.popleft()):
                return
        made = set(casts.columns) if casts is not None else set()
        columns = [df[n] for n in df.columns]
        cast = [casts[f"n{i}"] if casts is not None and f"n{i}" in made else None for i in range(df.width)]
        self._pending.append(
            [
                lane.submit(self._add, [(self.variables[i], columns[i], cast[i]) for i in share])
                for lane, share in zip(self._lanes, self._share, strict=True)
            ]
        )

    @staticmethod
    def _add(work: list[tuple[_Variable, pl.Series, pl.Series | None]]) -> None:
        for variable, values, cast in work:
            variable.add(values, cast)

    def _wait(self, jobs: list[Future[None]]) -> bool:
        try:
            for job in jobs:
                job.result()
        except Exception as e:  # noqa: BLE001 - a value the feed cannot read: the second pass says why
            self._give_up(f"the live feed failed: {type(e).__name__}")
            return False
        return True

    def _give_up(self, why: str) -> None:
        self.gave_up = why
        self.close()

    def result(self, columns: list[tuple[str, str]], observations: int | None) -> FileCodebook | None:
        """The codebook when the speculation held (the same types, every observation fed)."""
        try:
            while self._pending and self.gave_up is None:
                self._wait(self._pending.popleft())
            if self.gave_up is not None or self.types != [t for _, t in columns]:
                return None
            if observations is None or self.rows != observations or not self.rows:
                return None
            for v, (name, _) in zip(self.variables, columns, strict=True):
                v.name = name
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                return finished(list(pool.map(_Variable.result, self.variables)), self.rows)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the threads and drop the stored values (temporary files included)."""
        for jobs in self._pending:
            for job in jobs:
                job.cancel()
        self._pending.clear()
        for lane in self._lanes:
            lane.shutdown(wait=True)
        self._lanes = []
        for v in self.variables:
            if v.stats is not None:
                v.stats.close()
        self.variables = []


def _deal(types: list[str], lanes: int) -> list[list[int]]:
    """The variables (by index) of each lane, the costliest first to the least loaded lane; each
    lane's variables in column order. No lane is left empty when there are fewer variables."""
    load = [0] * max(1, min(lanes, len(types)))
    share: list[list[int]] = [[] for _ in load]
    for i in sorted(range(len(types)), key=lambda i: -_COST.get(types[i], 2)):
        lane = load.index(min(load))
        share[lane].append(i)
        load[lane] += _COST.get(types[i], 2)
    return [sorted(s) for s in share]
