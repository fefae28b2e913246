"""Reading Excel workbooks (.xlsx) from the package itself: structure, cells and Dataverse's view."""

from tabcheck.workbook.package import Limits
from tabcheck.workbook.reader import read_workbook

__all__ = ["Limits", "read_workbook"]
