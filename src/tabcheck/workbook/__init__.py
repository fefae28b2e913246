"""Reading Excel workbooks (.xlsx) from the package itself: structure, cells and Dataverse's view.

`read_workbook` and `Limits` are imported on first use: rules import `tabcheck.workbook.cells`,
and a run over CSV files never needs the workbook reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabcheck.workbook.package import Limits
    from tabcheck.workbook.reader import read_workbook

__all__ = ["Limits", "read_workbook"]


def __getattr__(name: str) -> Any:
    if name == "read_workbook":
        from tabcheck.workbook.reader import read_workbook

        return read_workbook
    if name == "Limits":
        from tabcheck.workbook.package import Limits

        return Limits
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
