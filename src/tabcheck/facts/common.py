"""Facts every file has, the run's context, and the one occurrence counter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from tabcheck.dataverse.profiles import Profile
from tabcheck.model import Target

if TYPE_CHECKING:
    from tabcheck.facts.table import CsvFacts
    from tabcheck.facts.workbook import WorkbookFacts

MAX_SAMPLES = 5
T = TypeVar("T")


class RowLine(NamedTuple):
    """A record: `row` as a spreadsheet user counts (header = 1), `line` the physical line."""

    row: int
    line: int


class FieldCount(NamedTuple):
    """A record with `found` fields where the header has another number."""

    row: int
    line: int
    found: int


class CellPlace(NamedTuple):
    """A cell of a CSV/TSV record (`column` 1-based)."""

    row: int
    line: int
    column: int


class QuotePlace(NamedTuple):
    """Where a quoting problem starts: the cell, and the character position in the file."""

    row: int
    line: int
    column: int
    position: int


class ValueSample(NamedTuple):
    """A value of a column and its row."""

    row: int
    value: str


class RecordSample(NamedTuple):
    """A whole record, kept from the top or bottom of a table (titles, notes)."""

    row: int
    line: int
    fields: list[str]


@dataclass
class Occurrences(Generic[T]):
    """Many occurrences of one condition: the count of all of them and the first few samples."""

    count: int = 0
    samples: list[T] = field(default_factory=list)
    limit: int = MAX_SAMPLES

    def add(self, sample: T, n: int = 1) -> None:
        self.count += n
        if len(self.samples) < self.limit:
            self.samples.append(sample)

    def add_lazy(self, make_sample: Callable[[], T]) -> None:
        """Count one; build the sample only while samples are still kept (hot loops)."""
        self.count += 1
        if len(self.samples) < self.limit:
            self.samples.append(make_sample())

    def extend(self, samples: list[T], total: int) -> None:
        """Add `total` occurrences of which `samples` are the first ones."""
        self.count += total
        room = self.limit - len(self.samples)
        if room > 0:
            self.samples.extend(samples[:room])

    @property
    def first(self) -> T | None:
        return self.samples[0] if self.samples else None

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class FileFacts:
    """What is known of one file before and after its scan."""

    path: Path
    display_path: str
    size: int
    extension: str  # lower case, with the dot: ".csv"
    format: str  # how Dataverse treats it, from the extension: csv, tsv, tab, xlsx, xls, ods, ...
    content: str  # what the first bytes are: text, zip, ole2, binary, empty, utf16
    table: CsvFacts | None = None  # for csv, tsv and tab files
    workbook: WorkbookFacts | None = None  # for xlsx files
    # How the file changed while it was read (grew, shrank, replaced, modified), with its sizes
    # before and after the reading: then no fact here describes one state of the file.
    changed: tuple[str, int, int] | None = None
    # `check --codebook` on a file Dataverse may ingest: the scan feeds the codebook as it reads.
    feed_codebook: bool = False


@dataclass
class Context:
    """The run's settings as the rules see them."""

    target: Target
    profile: Profile  # the Dataverse version's reader behaviour
