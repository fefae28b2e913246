"""The limits every workbook reader works within, shared by `check` and `fix`.

A workbook is a zip of XML parts whose sizes and widths are *declared*: a 2 KB file can claim a row
2,147,483,647 columns wide, a cell at column XFD and row 1,048,576, a part that expands 1,000 times.
Each reader of tabcheck (the package, the shared strings, the sheet scanner, and `fix`, which
streams sheets through openpyxl) checks what it is about to hold or produce against one of these
budgets, and a workbook over a budget becomes a finding (`corrupt-file`, kind `limit` or `bomb`: a `PackageError`)
in bounded time and memory, never a traceback, never gigabytes.

How the values are chosen: the largest legitimate input is a workbook at the 500 MB upload limit
(`:TabularIngestSizeLimit` at Recherche Data Gouv). Such a file, written by Excel, LibreOffice or a
library, expands about 4 to 15 times (166 MB of sheet XML for 26 MB of zip on the 5-million-cell
benchmark), and what it holds is bounded by Excel's own limits: 16,384 columns (XFD), 1,048,576
rows, 32,767 characters in a cell. Every budget below sits well above what such a file needs, and
far below what would exhaust a laptop; each says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from tabcheck.workbook.cells import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS

MB = 1024 * 1024
UPLOAD_LIMIT = 500 * 1000 * 1000  # Recherche Data Gouv's tabular ingest limit, in bytes


@dataclass(frozen=True)
class Budgets:
    """Named limits of the workbook readers (see the module's docstring for the principle)."""

    # -- the package (zip) ------------------------------------------------------------------------
    # All parts together, expanded. A 500 MB workbook at the usual ratio (≤ 15) expands to at most
    # 7.5 GB; 10 GiB leaves room and is still scanned in a few minutes, in constant memory.
    max_total_expanded: int = 10 * 1024 * MB
    # One part, expanded: the same bound (a workbook of one big sheet).
    max_part_expanded: int = 10 * 1024 * MB
    # Expansion ratio of one part, above `ratio_applies_above`. Sheet XML compresses 4 to 15 times;
    # very regular sheets (the same empty styled cell repeated) reach about 100. Deflate's own
    # maximum is about 1,030: 200 refuses the bombs (typically 1,000) and no real sheet.
    max_ratio: float = 200.0
    # Small parts may compress far better (a sheet of one repeated row): the ratio is not judged
    # below 8 MiB, which no bomb can turn into more than 8 MiB.
    ratio_applies_above: int = 8 * MB
    # Parts parsed whole into a tree (workbook.xml, styles.xml, relationships, app.xml). Excel's
    # 64,000 cell formats take about 10 MB of styles.xml; a tree of 16 MiB of XML takes about
    # 250 MB of memory, openpyxl's copy of the styles as much again.
    max_small_part: int = 16 * MB
    # Sheets in a workbook: Excel has no fixed limit, real deposits have a few dozen; 4,096 is far
    # beyond any, and each sheet costs a scan.
    max_sheets: int = 4096

    # -- declared widths ------------------------------------------------------------------------
    # Excel's grid: XFD = 16,384 columns, 1,048,576 rows. A cell reference, a `spans` attribute or a
    # `dimension` beyond it is written by no spreadsheet program; its numbers are never used to
    # size anything (a reference of 5,000 letters is a 7,000-digit column number).
    max_columns: int = EXCEL_MAX_COLUMNS
    max_rows: int = EXCEL_MAX_ROWS

    # -- rows and cells -------------------------------------------------------------------------
    # Cells in one row element: a row of Excel's grid has 16,384 cells at most.
    max_cells_per_row: int = EXCEL_MAX_COLUMNS
    # Bytes of one row element held at once. The widest real row (702 columns Dataverse reads, each
    # an inline string of 32,767 characters, as xlsxwriter's constant-memory mode writes them) is
    # about 23 MB; 64 MiB is three times that.
    max_row_bytes: int = 64 * MB
    # Bytes of one shared string (or cell value) held. Excel keeps 32,767 characters in a cell (at
    # most 128 KiB of UTF-8); 4 MiB is 32 times that and holds any text a library may have written.
    max_value_bytes: int = 4 * MB

    # Merged ranges of a sheet, each kept (for the rules and for fix): a report formatted with a
    # few merges on each of 100,000 rows has 300,000; a million is beyond any table.
    max_merged_ranges: int = 1_000_000

    # -- shared strings -------------------------------------------------------------------------
    # Number of shared strings: one per distinct text. A 500 MB workbook holds at most about 100
    # million cells (5 million in 26 MB); 64 million distinct texts is beyond any real table.
    # `check` and openpyxl hold every shared string as a Python string (about 60 bytes each, plus
    # its text): at these two limits that is a few GB, the one budget here that is about memory
    # a legitimate file may really need (a string table kept on disk would lift it).
    max_shared_strings: int = 64_000_000
    # Their characters together (decoded): 1 GiB, twice what a 500 MB upload can hold in practice.
    max_shared_string_bytes: int = 1024 * MB

    # -- what `fix` writes ----------------------------------------------------------------------
    # A sheet's CSV holds every cell of the table's rectangle, empty ones as a bare separator.
    # A rectangle far larger than the cells actually filled is a stray value far from the table
    # (a value in XFD20000 makes a 3-cell table 328 million cells wide), not data: refused when
    # it holds more than `output_density` times its filled cells, and more than
    # `output_cells_floor` cells (below that the CSV is a few MB whatever it holds).
    # 100: even a sparse survey table (most questions skipped) fills more than 1 cell in 100.
    output_density: int = 100
    output_cells_floor: int = 10_000_000
    # Whatever the density: each cell costs at least one byte, so 500 million cells make a CSV over
    # the 500 MB ingest limit, of no use for a deposit.
    max_output_cells: int = UPLOAD_LIMIT


DEFAULT = Budgets()


__all__ = ["DEFAULT", "UPLOAD_LIMIT", "Budgets"]
