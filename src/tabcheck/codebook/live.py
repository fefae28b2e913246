"""The codebook fed during the check's own pass (`check --codebook`), so that a file is read once.

The scan's typer hands each chunk of Dataverse's values (no nulls, trimmed for TSV), in row order,
with the columns' types as they stand after that chunk. The variables are fed with those types in
two threads beside the scan (at most two chunks wait: memory stays bounded). The types are a
speculation: a column typed `integer` by its first chunks may turn out `character` at the last
row. The first chunk whose types differ from those the variables were made with ends the
speculation; so does a final prediction with other types or another number of observations. Then
`result` gives None and the file is read a second time (collect.codebook_for_csv), as without the
live pass. Real files settle their types in the first chunk, so the second pass is rare.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl

from tabcheck.codebook.collect import THREADS, FileCodebook, _Variable, finished, variables_for

WAITING = 2  # chunks queued for the variables before the scan waits for them


class LiveCodebook:
    """Variables fed chunk by chunk from the scan; `result` once the scan is done."""

    def __init__(self) -> None:
        self.types: list[str] | None = None
        self.variables: list[_Variable] = []
        self.rows = 0
        self.gave_up: str | None = None
        self._chunks: ThreadPoolExecutor | None = None  # one chunk at a time, in row order
        self._columns: ThreadPoolExecutor | None = None  # its variables side by side
        self._pending: deque[Future[None]] = deque()

    def feed(self, df: pl.DataFrame, types: list[str], casts: pl.DataFrame | None = None) -> None:
        """One chunk of values (columns c0, c1, ...) and the types after it; `casts`: the numeric
        columns' values the typer cast (n0, n1, ...), reused where their type still matches."""
        if self.gave_up is not None:
            return
        if self.types is None:
            self.types = list(types)
            self.variables = variables_for([(f"c{i}", t) for i, t in enumerate(types)])
            self._chunks = ThreadPoolExecutor(max_workers=1)
            self._columns = ThreadPoolExecutor(max_workers=THREADS)
        elif types != self.types:
            self._give_up("a column's type changed after its first values")
            return
        assert self._chunks is not None, "made with the first chunk"
        self.rows += df.height
        while len(self._pending) >= WAITING:
            if not self._wait(self._pending.popleft()):
                return
        self._pending.append(self._chunks.submit(self._add, df, casts))

    def _add(self, df: pl.DataFrame, casts: pl.DataFrame | None) -> None:
        assert self._columns is not None, "made with the first chunk"
        made = set(casts.columns) if casts is not None else set()
        cast = [casts[f"n{i}"] if casts is not None and f"n{i}" in made else None for i in range(df.width)]
        list(self._columns.map(_Variable.add, self.variables, [df[n] for n in df.columns], cast))

    def _wait(self, job: Future[None]) -> bool:
        try:
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
            assert self._columns is not None, "made with the first chunk"
            for v, (name, _) in zip(self.variables, columns, strict=True):
                v.name = name
            return finished(list(self._columns.map(_Variable.result, self.variables)), self.rows)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the threads and drop the stored values (temporary files included)."""
        for job in self._pending:
            job.cancel()
        self._pending.clear()
        for pool in (self._chunks, self._columns):
            if pool is not None:
                pool.shutdown(wait=True)
        self._chunks = self._columns = None
        for v in self.variables:
            if v.stats is not None:
                v.stats.close()
        self.variables = []
