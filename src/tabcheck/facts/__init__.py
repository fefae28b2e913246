"""The facts contract: everything the scan learns about a file, and all a rule may read.

A rule is a pure function of these facts. They are declared here, with their types and a one-line
meaning each, so that writing a rule never means reading a scanner:

- `common`: `FileFacts` (one per file), `Context` (the run's settings and the Dataverse profile),
  `Occurrences` (the one counter: how many times, and the first few places), the sample tuples.
- `table`: CSV/TSV facts — `CsvFacts` (bytes, encoding, line breaks), `ViewFacts` (the file as split
  by one delimiter: Dataverse's view and the author's view), `ColumnFacts` (per-column typing and
  value evidence).
- `workbook`: XLSX facts — `WorkbookFacts`, `SheetFacts`, `IngestTrace` (what Dataverse's reader
  sees), `RowInfo`, `CellSample`, `Corruption`.
"""

from tabcheck.dataverse.profiles import Profile
from tabcheck.facts.common import (
    CellPlace,
    Context,
    FieldCount,
    FileFacts,
    Occurrences,
    QuotePlace,
    RecordSample,
    RowLine,
    ValueSample,
)
from tabcheck.facts.table import ColumnFacts, CsvFacts, Guess, ReadingFacts, ViewFacts
from tabcheck.facts.workbook import (
    CellSample,
    Corruption,
    IngestTrace,
    RowInfo,
    SheetFacts,
    WorkbookFacts,
)

__all__ = [
    "CellPlace",
    "CellSample",
    "ColumnFacts",
    "Context",
    "Corruption",
    "CsvFacts",
    "FieldCount",
    "FileFacts",
    "Guess",
    "IngestTrace",
    "Occurrences",
    "Profile",
    "QuotePlace",
    "ReadingFacts",
    "RecordSample",
    "RowInfo",
    "RowLine",
    "SheetFacts",
    "ValueSample",
    "ViewFacts",
    "WorkbookFacts",
]
