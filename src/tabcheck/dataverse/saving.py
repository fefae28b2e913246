"""What happens after a reader succeeded: the post-ingest re-read of the .tab file, then the database save.

Both steps are the same for every reader (IngestServiceBean): statistics and UNF are computed from the
.tab file the reader wrote (6.7+ re-reads it with `BufferedReader.readLine`, which also ends a line at
a lone CR), then the DataTable and its DataVariables are saved. A variable name that the database or
the entity's `@NotBlank` refuses fails there, in every version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tabcheck.facts.table import TabLineCuts

# IngestServiceBean: the database save failed (its exception's message sits in the middle).
DB_SAVE = "Ingest produced tabular data, but failed to save it in the database; {0} No further information is available."
# The exception's message varies with the server; this is what a rolled-back EJB transaction says.
DB_SAVE_DETAIL = "Transaction aborted"
# Bundle key file.ingest.saveFailed.detail.message, then the RuntimeException's message.
POST_INGEST = "Ingest succeeded, but failed to save the ingested tabular data in the database: {0}"
COLUMN_OUT_OF_BOUNDS = "Column index out of bounds"
MORE_ROWS = "Tab file has more nonempty rows than the stored number of cases ({0})!"

# datavariable.name is varchar(255) (JPA's default length); PostgreSQL counts characters.
MAX_NAME_LENGTH = 255

NUMERIC_TYPES = ("integer", "continuous")


def java_trim(text: str) -> str:
    """String.trim(): every character up to U+0020 removed at both ends."""
    start, end = 0, len(text)
    while start < end and text[start] <= " ":
        start += 1
    while end > start and text[end - 1] <= " ":
        end -= 1
    return text[start:end]


def is_blank(name: str) -> bool:
    """Hibernate Validator's @NotBlank (the one Payara 6 ships): `name.trim().length() > 0` must hold."""
    return java_trim(name) == ""


def db_save_failure(names: Iterable[str], lengths: dict[int, int] | None = None) -> tuple[str, int] | None:
    """The database save's message and the 0-based index of the first variable it refuses, if any.

    `lengths` gives the full length of names the scan kept cut short (column index -> length)."""
    for i, name in enumerate(names):
        length = max(len(name), (lengths or {}).get(i, 0))
        if is_blank(name) or length > MAX_NAME_LENGTH:
            return DB_SAVE.format(DB_SAVE_DETAIL), i
    return None


def sweep_order(types: Sequence[str]) -> list[int]:
    """The order statistics visit the variables: integers, then continuous ones, then the others."""
    order = [i for i, t in enumerate(types) if t == "integer"]
    order += [i for i, t in enumerate(types) if t == "continuous"]
    order += [i for i, t in enumerate(types) if t not in NUMERIC_TYPES]
    return order


def tab_value(value: str, typ: str) -> str:
    """A value as CSVFileReader writes it into the .tab file."""
    if typ in NUMERIC_TYPES:
        low = value.lower()
        if value == "" or low == "na":
            return ""
        if low == "nan":
            return "NaN"
        if low in ("inf", "+inf"):
            return "Inf"
        if low == "-inf":
            return "-Inf"
        if low == "null":
            return "0" if typ == "integer" else "0.0"
        return value
    if typ in ("date", "time"):
        return value.lstrip('"').rstrip('"')
    return '"' + value.replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def tab_lines(fields: Sequence[str], types: Sequence[str]) -> list[str]:
    """The lines `readLine` gives for one observation's line of the .tab file (CR, LF, CRLF end one)."""
    text = "\t".join(tab_value(v, t) for v, t in zip(fields, types, strict=False)) + "\n"
    lines, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r" or c == "\n":
            lines.append(text[start:i])
            i += 2 if c == "\r" and i + 1 < n and text[i + 1] == "\n" else 1
            start = i
        else:
            i += 1
    return lines


def reread_failure(
    observations: int,
    types: Sequence[str],
    breaks: TabLineCuts,
    tail: Iterable[tuple[int, Sequence[str]]],
) -> str | None:
    """The message of the 6.7+ re-read of the .tab file, or None when every variable is read back.

    For each variable in `sweep_order`, TabularSubsetGenerator reads lines while `readLine` gives one
    and fewer than N (observations) were taken, so line N+1 is read and dropped; every taken line is
    split at TAB, keeping trailing empty fields (`split("\\t", -1)`), and must have a field at the
    variable's index. Then every further line must be blank after `trim()`.
    `tail`: the last records of the table as (row, fields), to tell whether those lines are blank.
    """
    if not breaks.count or not types:
        return None
    n = observations
    merging = types[-1] != "character"  # the last value is not quoted: a CR ending it meets the LF
    cuts = breaks.count - (breaks.ends_with_cr if merging else 0)
    if cuts <= 0:
        return None

    def line_of(place: tuple[int, int]) -> int:
        line, merges_before = place
        return line - (merges_before if merging else 0)

    # The first line (1-based) holding a piece with at most k fields, for every k.
    shortest: dict[int, int] = {}
    places = list(breaks.first_piece.items())
    if breaks.first_end_piece is not None and not merging:
        places.append((1, breaks.first_end_piece))
    for fields, place in places:
        shortest[fields] = min(shortest.get(fields, line_of(place)), line_of(place))
    extra = cuts >= 2 and _nonblank_beyond(n, cuts, types, tail)
    for column in sweep_order(types):
        if any(k <= column and line <= n for k, line in shortest.items()):
            return POST_INGEST.format(COLUMN_OUT_OF_BOUNDS)
        if extra:
            return POST_INGEST.format(MORE_ROWS.format(n))
    return None


def _nonblank_beyond(
    n: int, cuts: int, types: Sequence[str], tail: Iterable[tuple[int, Sequence[str]]]
) -> bool:
    """Whether one of the lines N+2 .. N+cuts (the last cuts-1 lines of the file) is not blank.

    Lines are rebuilt from the last records, backwards; lines older than those records are taken as
    not blank (a line holding a character value holds its quotes)."""
    to_check = cuts - 1
    records = sorted(((row, fields) for row, fields in tail if row >= 2), key=lambda r: r[0], reverse=True)
    expected_row = n + 1
    for row, fields in records:
        if row != expected_row:
            break
        for line in reversed(tab_lines(fields, types)):
            if to_check <= 0:
                return False
            if java_trim(line):
                return True
            to_check -= 1
        expected_row -= 1
    return to_check > 0
