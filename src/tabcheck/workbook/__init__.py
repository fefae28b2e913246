"""Reading Excel workbooks (.xlsx) from the package itself: structure, cells and Dataverse's view."""

from tabcheck.workbook.facts import (
    CellSample,
    CellTally,
    Corruption,
    IngestTrace,
    RowInfo,
    SheetFacts,
    WorkbookFacts,
)
from tabcheck.workbook.package import Limits
from tabcheck.workbook.reader import read_workbook

__all__ = [
    "CellSample",
    "CellTally",
    "Corruption",
    "IngestTrace",
    "Limits",
    "RowInfo",
    "SheetFacts",
    "WorkbookFacts",
    "read_workbook",
]
