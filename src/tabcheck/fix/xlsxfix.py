"""Saving each non-empty sheet of a workbook as a UTF-8 CSV (what the French deposit guide advises)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from tabcheck.fix.output import atomic_text

_BREAKS = re.compile(r"\r\n|\r|\n|\t")
_SAFE = re.compile(r"[^\w.-]+")


def fix_xlsx(path: Path, target: Path, result) -> None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ValueError(f"the workbook cannot be opened: {e}") from None
    try:
        sheets = [ws for ws in wb.worksheets if _extent(ws)[0]]
        for ws in sheets:
            out = (
                target
                if len(sheets) == 1
                else target.with_name(f"{target.stem}.{_SAFE.sub('_', ws.title).strip('_') or 'sheet'}.csv")
            )
            rows, width = _extent(ws)
            with atomic_text(out, path) as fh:
                writer = csv.writer(fh, lineterminator="\n")
                for i, values in enumerate(ws.iter_rows(values_only=True)):
                    if i >= rows:
                        break
                    cells = [_text(v) for v in values[:width]]
                    writer.writerow(cells + [""] * (width - len(cells)))
            result.outputs.append(out)
            result.changes.append(
                ("fix.sheet", {"sheet": ws.title, "file": out.name, "rows": rows, "columns": width})
            )
        if not sheets:
            result.skipped = "empty"
    finally:
        wb.close()


def _extent(ws) -> tuple[int, int]:
    """Rows up to the last non-empty one, columns up to the last non-empty cell (one streamed pass)."""
    rows = width = 0
    for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
        last = max((j for j, v in enumerate(values, start=1) if v not in (None, "")), default=0)
        if last:
            rows = i
            width = max(width, last)
    return rows, width


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return _BREAKS.sub(" ", str(v))
