"""DataFrames in notebooks and scripts: check one before it is written, write one Dataverse ingests.

The usual way to make a file Dataverse cannot ingest is `df.to_excel(...)` (a workbook without the
row spans Dataverse's reader needs) or `df.to_csv(...)` with a locale's separators. `write_csv`
writes the table the way Dataverse reads it best: UTF-8 without BOM, commas, a decimal point, one
header row, values quoted only where needed, LF line endings (a line break inside a value stays, as
LF, which Dataverse accepts), missing values empty, dates ISO 8601 — then checks the written file
and returns its report. `check_frame` does the same into a temporary folder: what Dataverse would
make of the frame, before anything is written where it matters. A pandas index is kept as a
column when it carries information (a name, or not the default 0, 1, 2 …), and dropped otherwise.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

    from tabcheck.checker import Settings
    from tabcheck.model import FileReport


def as_polars(frame: Any) -> pl.DataFrame:
    """A polars DataFrame from a polars DataFrame or LazyFrame, or a pandas DataFrame."""
    import polars as pl

    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame
    module = type(frame).__module__
    if module.startswith("pandas"):
        names = [str(c) for c in frame.columns]
        if len(set(names)) != len(names):
            raise ValueError(
                "the DataFrame has duplicate column names: Dataverse refuses such a header; rename them first"
            )
        index = frame.index
        default = (
            index.name is None
            and getattr(index, "nlevels", 1) == 1
            and list(index) == list(range(len(frame)))
        )
        table = frame if default else frame.reset_index()
        table = table.set_axis([str(c) for c in table.columns], axis=1)
        try:
            return pl.from_pandas(table)
        except ImportError:  # pandas' Arrow-backed columns without pyarrow: value by value
            return pl.DataFrame(
                {c: table[c].astype(object).where(table[c].notna(), None).tolist() for c in table.columns},
                strict=False,
            )
    raise TypeError(f"not a DataFrame tabcheck knows (polars or pandas): {type(frame).__name__}")


def _write(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(
        path,
        separator=",",
        line_terminator="\n",
        quote_style="necessary",
        null_value="",
        include_bom=False,
        date_format="%Y-%m-%d",
        datetime_format="%Y-%m-%dT%H:%M:%S%.f",
        time_format="%H:%M:%S%.f",
    )


def write_csv(
    frame: Any, path: str | Path, settings: Settings | None = None, *, force: bool = False
) -> FileReport:
    """Write `frame` as a CSV Dataverse ingests as intended, atomically; the written file's report.

    An existing file is replaced only with `force` (and never one being checked by this call).
    """
    from tabcheck.checker import Settings, check_file
    from tabcheck.guard import OutputGuard

    target = Path(path)
    table = as_polars(frame)
    guard = OutputGuard(force=force)
    guard.claim(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        _write(table, Path(tmp))
        guard.check_again(target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return check_file(target, settings or Settings())


def check_frame(frame: Any, settings: Settings | None = None, name: str = "dataframe.csv") -> FileReport:
    """What Dataverse would make of `frame` written by `write_csv`: its report, nothing kept on disk."""
    with tempfile.TemporaryDirectory(prefix="tabcheck-frame-") as folder:
        report = write_csv(frame, Path(folder) / name, settings)
    report.path = name
    return report
