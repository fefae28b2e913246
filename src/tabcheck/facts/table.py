"""CSV/TSV facts: the bytes, the records as one delimiter splits them, and each column's values."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from tabcheck.facts.common import (
    CellPlace,
    FieldCount,
    Occurrences,
    QuotePlace,
    RecordSample,
    RowLine,
    ValueSample,
)

EDGE_RECORDS = 12  # records kept from the top and bottom of the table, for title/notes analysis
RAGGED_KEPT = 3  # ragged records kept whole (their first values), for the ragged-row rule's reason
RAGGED_VALUES = 64  # values kept of each
RAGGED_VALUE_CHARS = 40  # characters kept of each value


def keep_ragged(kept: list[RecordSample], row: int, line: int, fields: list[str]) -> None:
    """Keep a ragged record's first values (bounded: a few records, values cut short)."""
    if len(kept) < RAGGED_KEPT:
        kept.append(RecordSample(row, line, [v[:RAGGED_VALUE_CHARS] for v in fields[:RAGGED_VALUES]]))


MAX_WIDTHS = 64  # distinct record widths whose first record is kept


# The scan counts a column's values (ColumnFacts.numbers, .texts) while at most this many are
# unexplained: a column of numbers with a few stray words (text-among-numbers).
STRAY_TEXTS = 3


@dataclass
class ColumnFacts:
    """One column as Dataverse types it, with the value evidence rules asked the scan to count."""

    index: int  # 1-based
    name: str
    type: str  # Dataverse's: integer, continuous, character, date, time
    had_numbers: bool = False  # some values are numbers (a text column may still hold some)
    # Values that make the column text and that no evidence explains.
    unexplained_text: Occurrences[ValueSample] = field(default_factory=Occurrences)
    evidence: dict[str, Occurrences[ValueSample]] = field(default_factory=dict)  # evidence name -> hits
    # In a date column, values with a time of day after the date (2020-12-25 14:30): Dataverse reads
    # them as dates, the time left out of its type and fingerprint.
    dated_times: Occurrences[ValueSample] = field(default_factory=Occurrences)
    # Non-empty values that keep a column numeric (numbers, NA, null) and the others, counted while
    # few values are unexplained (STRAY_TEXTS; past it, the counts stop).
    numbers: int = 0
    texts: int = 0
    # In a numeric column whose every number is written 1.234 (one point, three digits after): the
    # numbers, which may hold a thousands separator (thousands-separators asks when the file's
    # decimals are commas). Empty otherwise.
    point_groups: Occurrences[ValueSample] = field(default_factory=Occurrences)


@dataclass
class TabLineCuts:
    """CRs inside values, and where they cut the lines of the .tab file Dataverse writes (6.7+ re-reads it).

    The .tab file has one line per observation, values separated by TAB; each CR inside a value is
    written as it is and adds a line to the re-read. Lines are numbered as if every CR cut; a bare CR
    ending a record's last value cuts nothing when that column is not quoted (not character), as the
    record's own LF follows it: `merges_before` counts those CRs before a line, to renumber it then.
    """

    count: int = 0  # CRs inside the values of data records (an unclosed quote's value too)
    records: int = 0  # data records holding some
    by_column: dict[int, int] = field(default_factory=dict)  # 0-based column -> CRs
    # fields in a cut line -> (line, merges_before) of the first cut line with that many fields
    first_piece: dict[int, tuple[int, int]] = field(default_factory=dict)
    ends_with_cr: int = 0  # records whose last value ends with a bare CR
    first_end_piece: tuple[int, int] | None = None  # the line after the first such CR
    first: CellPlace | None = None  # the first value holding a CR (column 1-based)


def named_width(header: list[str]) -> int:
    """The header's width without its empty cells at the end (0 when no cell is named)."""
    keep = len(header)
    while keep and header[keep - 1].lstrip("\ufeff") == "":
        keep -= 1
    return keep


@dataclass
class ViewFacts:
    """The file as split by one delimiter (Dataverse's, or the one the author used)."""

    delimiter: str
    skip_empty_lines: bool  # TSV: Commons CSV's TDF format skips empty lines
    trim: bool  # TSV: values are trimmed
    header: list[str] | None = None
    header_end_line: int = 0  # last physical line of the header record
    header_lengths: dict[int, int] = field(default_factory=dict)  # column index -> length, names cut short
    # column index -> blanks after a name's closing quote, kept in `header` (6.8's Excel reader keeps
    # them, the strict readers of 6.7 and earlier skip them)
    header_blanks_after_quote: dict[int, int] = field(default_factory=dict)
    records: int = 0  # data records after the header (blank lines count in CSV, not in TSV)
    ragged: Occurrences[FieldCount] = field(default_factory=Occurrences)  # not blank records
    # The first RAGGED_KEPT of those records, their first values each cut to RAGGED_VALUE_CHARS: what
    # the ragged-row rule reads to say why (numbers whose decimal comma is not quoted).
    ragged_records: list[RecordSample] = field(default_factory=list)
    first_mismatch: FieldCount | None = None  # the first record of another width, blank ones included
    field_counts: Counter[int] = field(default_factory=Counter)  # fields per data record -> records
    # fields per data record -> the first record with that many (at most MAX_WIDTHS of them): where
    # the first mismatch is when duplicate names shrink the header
    first_by_width: dict[int, RowLine] = field(default_factory=dict)
    blank_lines: Occurrences[RowLine] = field(default_factory=Occurrences)
    whitespace_lines: Occurrences[RowLine] = field(default_factory=Occurrences)
    # Records of two cells or more, every one empty (`;;`): Dataverse counts each as an observation
    # whose values are all missing.
    empty_rows: Occurrences[RowLine] = field(default_factory=Occurrences)
    quoted_lf: Occurrences[CellPlace] = field(default_factory=Occurrences)  # LF inside a quoted cell
    quoted_cr: Occurrences[CellPlace] = field(default_factory=Occurrences)  # CR inside a quoted cell
    cr_cuts: TabLineCuts = field(default_factory=TabLineCuts)  # the same CRs, as the .tab re-read meets them
    unclosed_quote: Occurrences[QuotePlace] = field(default_factory=Occurrences)
    bad_quoting: Occurrences[QuotePlace] = field(default_factory=Occurrences)  # text after a closing quote
    # The author's view only: title or preamble lines above the header (row, line, [text]).
    preamble: list[RecordSample] = field(default_factory=list)
    head: list[RecordSample] = field(default_factory=list)  # the first records, header included
    tail: deque[RecordSample] = field(default_factory=lambda: deque(maxlen=EDGE_RECORDS))
    columns: list[ColumnFacts] = field(default_factory=list)
    max_fields: int = 0
    longest_value: int = 0

    @property
    def expected(self) -> int:
        """The number of fields every record should have: the header's."""
        return len(self.header or [])

    def kept_width(self) -> int | None:
        """The table's width without the cells after its last named column, when they look like the
        trace of a delimiter at the end of the lines: empty header cells at the end, or records
        wider than the header (None when there are no such cells, or no named column). Whether
        each of those cells is empty is known once every record is read: `fix` checks it as it
        rewrites (drop-trailing-cells), `trailing_cells_seen_empty` on the records kept here."""
        header = self.header or []
        keep = named_width(header)
        if not keep or (keep == len(header) and not any(w > keep for w in self.field_counts)):
            return None
        return keep

    def trailing_cells_seen_empty(self) -> bool:
        """Whether the cells after the last named column are empty in every record kept (the
        first and last ones): then `fix` can most likely drop them."""
        keep = self.kept_width()
        if keep is None:
            return False
        return not any(any(r.fields[keep:]) for r in (*self.head, *self.tail))


@dataclass
class CsvFacts:
    """A CSV/TSV file's bytes and its two views."""

    size: int
    encoding: str
    bom: bool  # a UTF-8 byte order mark
    line_ending: str | None  # LF, CRLF, CR
    sniffed_delimiter: str | None  # the delimiter the author used
    line_breaks: int = 0  # CR, LF and CRLF each count one, as Commons CSV counts lines
    ends_with_line_break: bool = True
    bad_utf8: tuple[int, int] | None = None  # (line, byte offset) of the first invalid byte
    bad_utf8_count: int = 0
    nul: Occurrences[int] = field(default_factory=Occurrences)  # NUL bytes; samples: lines
    dataverse: ViewFacts | None = None  # as Dataverse splits it
    user: ViewFacts | None = None  # as the file is really delimited (same object when equal)
    physical_lines: int = 0
    reading: ReadingFacts | None = None  # how the author's view was read, and how sure tabcheck is
    # The record with more values than the reader's budget (scan.budgets), the file unread past it.
    too_wide: FieldCount | None = None
    bytes_read: int | None = None  # the bytes the pass read to the end of the file (it may have grown)
    codebook: Any = None  # the codebook fed by the pass (codebook.live.LiveCodebook), when asked


@dataclass(frozen=True)
class Guess:
    """One of tabcheck's readings of a file, with its confidence (0..1) and what else it could be."""

    value: str | None
    confidence: float
    runner_up: str | None = None
    runner_up_confidence: float = 0.0
    reason: str = ""  # a short code from tabcheck.sniffing (single-byte, tie, decimal-comma, ...)
    given: bool = False  # passed by the user (--encoding, --delimiter): certain
    example: tuple[str, str] | None = None  # a word as `value` and as `runner_up` read it


@dataclass(frozen=True)
class ReadingFacts:
    """How the author's view of a text table was read (never a silent guess)."""

    encoding: Guess  # the author's encoding (a Python codec name)
    delimiter: Guess  # the author's delimiter
    preamble_lines: int = 0  # title or preamble lines above the header, skipped in the author's view
    mixed_from_line: int | None = None  # UTF-8 with Windows-1252 lines from this line on
    kind: str | None = None  # what the bytes are when they are not text (gzip, zip, pdf, …)
    kind_description: str | None = None
