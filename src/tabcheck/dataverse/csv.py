"""Dataverse's CSV/TSV ingest, modelled on the scanned facts, for one version profile.

The order of the checks is the reader's: the header as the CSV library builds it, Dataverse's own
empty-name check, then the whole file is parsed (a lexer error anywhere wins), then the first record
whose field count differs fails with a line number computed after the end of the file; then the
re-read of the .tab file (a CR inside a value breaks it from 6.7 on) and last the database save
(a blank name, or one over 255 characters) — see `saving`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tabcheck.dataverse.profiles import Profile
from tabcheck.dataverse.saving import db_save_failure, is_blank, reread_failure
from tabcheck.facts import FileFacts
from tabcheck.facts.table import MAX_WIDTHS, ViewFacts
from tabcheck.model import ColumnPrediction, Location, Outcome, Prediction

MISMATCH = "Reading mismatch, line {n} of the Data file: {e} delimited values expected, {f} found."
EMPTY_HEADER = "Invalid header row. One of the cells is empty."
MISSING_NAME = "A header name is missing in {cells}"
DUPLICATE_NAME = 'The header contains a duplicate name: "{name}" in {cells}'
UNCLOSED = "(startline {line}) EOF reached before encapsulated token finished"
INVALID_CHAR = "(line {line}) invalid char between encapsulated token and delimiter"
INVALID_CHAR_NEW = (
    "Invalid character between encapsulated token and delimiter at line: {line}, position: {position}"
)
CSV_EXCEPTION = "org.apache.commons.csv.CSVException: "


def _java_list(cells: list[str]) -> str:
    return "[" + ", ".join(cells) + "]"


def _fails(message: str, location: Location | None = None) -> Prediction:
    return Prediction(Outcome.FAILS, message=message, real_location=location)


def predict_csv(facts: FileFacts, profile: Profile) -> Prediction:
    t = facts.table
    assert t is not None and t.dataverse is not None, "read_table fills both for csv, tsv and tab files"
    v = t.dataverse
    tsv = facts.format in ("tsv", "tab")
    header = v.header
    if header is None:  # an empty file, or a TSV of blank lines
        return Prediction(Outcome.INGESTED, variables=0, observations=0, columns=[])
    if not profile.lenient_quotes and v.header_blanks_after_quote:  # a strict reader skips them
        header = [cell[: len(cell) - v.header_blanks_after_quote.get(i, 0)] for i, cell in enumerate(header)]

    strict_lexer = not profile.lenient_quotes or tsv

    def grouped(n: int) -> str:
        return f"{n:,}" if profile.grouped_positions else str(n)

    # A lexer error inside the header record is thrown while the parser is built.
    problems = sorted(v.bad_quoting.samples + v.unclosed_quote.samples, key=lambda s: (s[1], s[0]))
    lexer_error = _lexer_error(v, strict_lexer, tsv and profile.unchecked_io_wrapper, grouped)
    if lexer_error and problems and problems[0][0] == 1:
        return _fails(lexer_error[0].removeprefix(CSV_EXCEPTION), lexer_error[1])

    # The CSV library's header checks.
    # Blank is `String.trim()` empty; the header map keeps one entry per name, in first-seen order.
    if profile.tsv_header_missing_message and tsv and any(is_blank(cell) for cell in header):
        return _fails(MISSING_NAME.format(cells=_java_list(header)), Location(row=1, line=1))
    if not profile.duplicate_header_is_mismatch:  # 6.7 and earlier refuse a repeated name
        seen: set[str] = set()
        for cell in header:
            # Excel format allows missing column names: blank ones may repeat (and collapse).
            if cell in seen and not (not tsv and is_blank(cell)):
                return _fails(
                    DUPLICATE_NAME.format(name=cell, cells=_java_list(header)), Location(row=1, line=1)
                )
            seen.add(cell)
    names = list(dict.fromkeys(header))

    # Dataverse's own check.
    if any(name == "" for name in names):
        return _fails(EMPTY_HEADER, Location(row=1, line=1))

    if lexer_error:
        return _fails(*lexer_error)

    expected = len(names)
    first_bad = _first_mismatch(v, expected)
    if first_bad is not None:
        row, line, found = first_bad
        n = t.line_breaks - 1
        if profile.mismatch_counts_unterminated_last_line and t.size and not t.ends_with_line_break:
            n += 1
        return _fails(MISMATCH.format(n=n, e=expected, f=found), Location(row=row, line=line))

    typed = len(v.columns) == len(header)  # a header too wide has its values left untyped
    types = [c.type for c in v.columns] if typed else None
    if types is not None and len(names) != len(header):  # duplicates collapsed: the first column of each
        first_index: dict[str, int] = {}
        for i, name in enumerate(header):
            first_index.setdefault(name, i)
        types = [types[first_index[name]] for name in names]

    # Statistics re-read the .tab file (6.7+: a CR inside a value cuts its line).
    if profile.cr_in_cell_fails and v.cr_cuts.count:
        tail = [(s.row, s.fields) for s in v.tail]
        reread = reread_failure(v.records, types or ["character"] * len(names), v.cr_cuts, tail)
        if reread is not None:
            assert v.cr_cuts.first is not None, "set with the first CR counted"
            row, line, column = v.cr_cuts.first
            return _fails(reread, Location(row=row, line=line, column=column))

    # The database save refuses a blank name or one longer than the column holds.
    saved = db_save_failure(names, v.header_lengths if len(names) == len(header) else None)
    if saved is not None:
        return _fails(saved[0], Location(row=1, line=1, column=saved[1] + 1))

    if types is None:
        return Prediction(Outcome.INGESTED, variables=len(names), observations=v.records, columns=None)
    columns = [ColumnPrediction(name, typ) for name, typ in zip(names, types, strict=False)]
    return Prediction(Outcome.INGESTED, variables=len(names), observations=v.records, columns=columns)


def _lexer_error(
    v: ViewFacts, strict: bool, wrapped: bool, grouped: Callable[[int], str]
) -> tuple[str, Location] | None:
    """The first quote error a strict lexer throws (in file order), if the reader is strict."""
    if not strict:
        return None
    candidates: list[tuple[tuple[int, int], str, Location]] = []
    for row, line, column, kind, position in _quote_problems(v):
        if kind == "unclosed":
            msg = UNCLOSED.format(line=grouped(line) if wrapped else line)
        elif wrapped:
            msg = INVALID_CHAR_NEW.format(line=grouped(line), position=grouped(position))
        else:
            msg = INVALID_CHAR.format(line=line)
        if wrapped:
            msg = CSV_EXCEPTION + msg
        candidates.append(
            ((line, 0 if kind != "unclosed" else 1), msg, Location(row=row, line=line, column=column))
        )
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])
    return candidates[0][1], candidates[0][2]


def _quote_problems(v: ViewFacts) -> Iterator[tuple[int, int, int, str, int]]:
    """(row, line, column, kind, position) of each quote problem kept."""
    for sample in v.bad_quoting.samples:
        row, line, column, position = sample
        yield row, line, column, "after", position
    for sample in v.unclosed_quote.samples:
        row, line, column, position = sample
        yield row, line, column, "unclosed", position


def _first_mismatch(v: ViewFacts, expected: int) -> tuple[int, int, int] | None:
    """The first data record whose field count is not `expected` (row, line, fields)."""
    if expected == v.expected:
        return v.first_mismatch
    # Duplicate names collapsed: records as wide as the header are now wrong too.
    if v.records == 0:
        return None
    others = [(place.row, place.line, n) for n, place in v.first_by_width.items() if n != expected]
    if len(v.first_by_width) < MAX_WIDTHS or others:
        return min(others, default=None)
    first = v.first_mismatch  # too many widths to keep: the header's width is the likely one
    if first is not None and first[0] == 2:
        return first if first[2] != expected else None
    return (2, v.head[1][1] if len(v.head) > 1 else v.header_end_line + 1, v.expected)
