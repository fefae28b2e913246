"""What the CSV/TSV reader may hold in memory at once, defined once.

Every legitimate table up to the repository's upload limit (500 MB at Recherche Data Gouv) is read
whole under these limits; a hostile or broken file (a line of millions of values, a file without a
line break) becomes a finding in bounded time and memory, never gigabytes or a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budgets:
    """The reader's limits (sizes in bytes of the file, or characters once decoded)."""

    chunk_bytes: int = 12 * 1024 * 1024
    """Bytes read at a time with the codebook (its compiled loops want 65,536 values a chunk); half
    of it otherwise. Chunks are cut after a line break, so a chunk is a few lines more or less than
    this: large enough that polars and bytes methods do the work, small enough that the chunks read
    ahead in threads (READ_AHEAD) and their copies stay within some hundreds of MB."""

    line_chunks: int = 4
    """Chunks of one physical line held before it is handed over in pieces to the exact splitter
    (48 MB). A line that long is no row of a table; in pieces it costs no more than a chunk."""

    fields_per_record: int = 65_536
    """Values of one record (row) that are read: 64 times the 1,024 columns the repository accepts
    and 4 times Excel's 16,384, so a real table, however wide, is read whole. A record with more is a
    line that lost its line breaks or a file that is no table: the file is not read past it, and
    `record-too-wide` says so (was: 26 million values in one 50 MB line, 11 GB and more)."""

    value_chars: int = 1 << 20
    """Characters of one value that are kept (1 Mi); longer values are counted, not kept (an
    unclosed quote can swallow the rest of the file). The typing and the reports need no more."""

    polars_wider_first_line: int = 4_096
    """Values that the first line of a chunk handed to polars may have beyond the header's width.
    polars makes a column per value of that line before it refuses it (about 450 bytes per value:
    1.5 GB for a 6.5 MB line); a wider first line goes to the exact splitter, which counts it."""


BUDGETS = Budgets()
