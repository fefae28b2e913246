"""Streaming scan of one sheet's XML: facts for the rules, and Dataverse's view of the sheet.

The sheet is decompressed in chunks and cut at row boundaries; rows and cells are found with
byte regexes (the XML of a sheet is regular: rows of `<c>` elements), so no tree is ever built and
memory stays bounded by one chunk plus the shared strings. Rows are read three ways, which give
the same facts (tests compare them): runs of *narrow* rows, which the scanner's state lets through
unchecked, by one regex match and a few counts over their bytes; *plain* rows in bulk, after checks
over their bytes; any other row cell by cell (tabcheck.workbook.plainrows has the vocabularies).
Expat reads the same bytes alongside, without handlers, only to catch malformed XML and refuse a
DOCTYPE; runs of plain rows, well-formed by construction, are skipped (tabcheck.workbook.wellformed).

Over 400 lines on purpose: one state machine whose hot loop and state stay together (splitting it
would put a call per cell between them).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from functools import lru_cache

from tabcheck.facts.common import Occurrences
from tabcheck.facts.workbook import TURNED_KEPT, CellSample, IngestTrace, RowInfo, SheetFacts
from tabcheck.workbook.budgets import DEFAULT, Budgets
from tabcheck.workbook.cells import (
    EXCEL_MAX_ROWS,
    MAX_DATAVERSE_COLUMNS,
    cell_ref,
    column_index,
    column_letters,
    dataverse_numeric,
    parse_ref,
    xml_text,
)
from tabcheck.workbook.package import Package, PackageError
from tabcheck.workbook.plainrows import (
    MAX_CELLS,
    PLAIN_CELL,
    PLAIN_ROW,
    SPANS_BOUND,
    letters_pattern,
    narrow_rows,
)
from tabcheck.workbook.wellformed import Validator

FIRST_ROWS_KEPT = 30
LAST_ROWS_KEPT = 15
BROKEN_ROWS_KEPT = 200
GAPS_KEPT = 50
FAST_PATH = True  # plain rows counted in bulk; False reads every row the exact way (tests compare)
NARROW_PATH = True  # runs of narrow rows at once (with FAST_PATH); False: plain rows only (tests compare)

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]*)"')
_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_V = re.compile(rb"<v(?:\s[^>]*)?(?:/>|>([^<]*)</v>)")
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")
_LEADING_LETTERS = re.compile(rb"[^0-9]*")
_COLUMNS: dict[bytes, int] = {}
_UNREAD = "\0unread"  # in the spans of a kept row: not read yet (see SheetScanner._read_kept)
ROOT_SEARCH_LIMIT = 1 << 20  # bytes searched for the root element of a sheet part
_END_OF_ROWS = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s/>]")
_MERGE_REF = re.compile(rb"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?")
_EMPTY_CELL = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,9}")?/>')
_EMPTY_NEAR_CELL = re.compile(rb'<c r="[A-Z]{1,2}[0-9]{1,7}"(?: s="[0-9]{1,9}")?/>')


def _count_dates(dates: dict[int, int], references: list[bytes]) -> None:
    """Add the date cells found (their column letters) to the counts per column."""
    for letters, k in Counter(references).items():
        col = _column_of(letters)
        dates[col] = dates.get(col, 0) + k


def _dates_sampled(f: SheetFacts, dates: dict[int, int]) -> bool:
    """Every column with dates in these rows has its samples already: the bulk paths may count them."""
    for col in dates:
        tally = f.date_cells.get(col)
        if tally is None or len(tally.samples) < 3:
            return False
    return True


def _column_of(letters: bytes) -> int:
    """Column number of a reference's letters, memoised (a sheet has few distinct columns)."""
    n = _COLUMNS.get(letters)
    if n is None:
        n = column_index(letters.decode("ascii", "replace"))
        if len(_COLUMNS) < 20000:
            _COLUMNS[letters] = n
    return n


# -- the bulk path's vocabulary ---------------------------------------------------------------
# A "plain" row (tabcheck.workbook.plainrows): `r` first, `spans` (optional) second, simple
# attributes, and only plain cells, one at least with a value: a reference of one or two letters,
# an optional canonical style, then a number (`t` absent or "n"), a shared-string index (`t="s"`),
# or nothing at all (`<c .../>`). No formulas, errors, booleans, inline strings, entities, CR or
# whitespace between elements: rows like that take the exact path.
_PLAIN_CELL = PLAIN_CELL
_PLAIN_ROW = PLAIN_ROW
# Rows as the exact path finds them (groups attrs, inner), with plain rows recognised first (group
# plain): the matches are the same as those of the exact row pattern, plain or not. (Possessive
# quantifiers: the plain vocabulary never needs to backtrack, and the regex runs faster without.)
_DRIVER = re.compile(
    rb"(?P<plain>" + _PLAIN_ROW + rb")|<row(?P<attrs>\s[^>]*?)?\s*(?:/>|>(?P<inner>.*?)</row>)", re.S
)
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
_ROW_WITH_SPANS = re.compile(rb'<row r="[0-9]+" spans="')
_ANY_CELL_COLUMN = re.compile(rb'<c r="([A-Z]+)')
_FILLED_CELL_COLUMN = re.compile(rb'<c r="([A-Z]+)[0-9]+"(?: s="[0-9]+")?(?: t="[sn]")?>')
_STRING_INDEX = re.compile(rb't="s"><v>([0-9]+)<')
_STYLED_NUMBER = re.compile(rb'<c r="([A-Z]+)[0-9]+" s="([0-9]+)"(?: t="n")?>')
BULK_MIN_ROWS = 8  # smaller runs take the exact path
NARROW_COMPILES = 64  # narrow-row regexes compiled for one sheet at most (one per state met)
NARROW_BACKOFF = 4096  # rows read the other ways, at most, between two tries that found no narrow row
FEW_STRINGS = 64  # shared strings a narrow-row regex names (those that stop the bulk paths, ...)

# Per shared string, computed when first needed: 1 keeps a column numeric for Dataverse, 2 has a
# TAB, 4 has LF or CR, 8 is empty; UNKNOWN until computed.
NUMERIC, HAS_TAB, HAS_BREAK, EMPTY, UNKNOWN = 1, 2, 4, 8, 128


_letters_pattern = letters_pattern


@lru_cache(maxsize=64)
def _beyond(limit: int) -> re.Pattern[bytes] | None:
    """A filled plain cell (one or two letters) whose column is right of `limit`."""
    if limit >= MAX_DATAVERSE_COLUMNS:
        return None
    letters = _letters_pattern(range(max(limit, 0) + 1, MAX_DATAVERSE_COLUMNS + 1))
    return re.compile(rb'<c r="' + letters + rb'[0-9]+"(?: s="[0-9]+")?(?: t="[sn]")?>')


def _patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    p = re.escape(prefix)
    row = re.compile(rb"<" + p + rb"row(\s[^>]*?)?\s*(?:/>|>(.*?)</" + p + rb"row>)", re.S)
    cell = re.compile(rb"<" + p + rb"c(\s[^>]*?)?\s*(?:/>|>(.*?)</" + p + rb"c>)", re.S)
    return row, cell


def _attrs(raw: bytes | None) -> dict[bytes, bytes]:
    if not raw:
        return {}
    return {m[0]: (m[1] if m[1] or not m[2] else m[2]) for m in _ATTR.findall(raw)}


def _add_plain(plain: list[tuple[int, int]], seg: bytes, start: int, end: int) -> None:
    """Note rows seg[start:end] as plain for the validator, joined to the run before when only
    XML white space lies between."""
    if plain:
        first, last = plain[-1]
        if last == start or (start - last <= 64 and not seg[last:start].strip(b" \t\r\n")):
            plain[-1] = (first, end)
            return
    plain.append((start, end))


class SheetScanner:
    """Feeds one sheet part through the regexes; fills a SheetFacts (and an IngestTrace if given)."""

    def __init__(
        self,
        facts: SheetFacts,
        strings: list[str],
        string_flags: bytearray,
        date_styles: set[int],
        trace: IngestTrace | None,
        budgets: Budgets = DEFAULT,
        shared: dict[str, list[int] | None] | None = None,
    ) -> None:
        """`shared`: what the scanners of one workbook find once for all (see _few_strings)."""
        self.f = facts
        self.budgets = budgets
        self.part = ""
        self.strings = strings
        self.flags = string_flags  # per shared string: 1 numeric for Dataverse, 2 has TAB, 4 has LF/CR
        self.date_styles = date_styles
        self.trace = trace
        # Set by _start once the root element is found (its prefix is in the element names).
        self.row_re: re.Pattern[bytes] | None = None
        self.cell_re: re.Pattern[bytes] | None = None
        self.prev_row = 0
        self.row_count = 0
        # Rows kept raw, read into RowInfo at the end: (row number, spans, the row's inner XML).
        self.first_raw: list[tuple[int, str | None, bytes]] = []
        # (Narrow rows are kept as (number, _UNREAD, their offset in the segment) until its end.)
        self.last_raw: deque[tuple[int, str | None, bytes | int]] = deque(maxlen=LAST_ROWS_KEPT)
        self.unread = False
        self.header_done = False
        self.last_value_row = 0
        self.trace_live = trace is not None
        if len(self.flags) != len(strings):
            self.flags = bytearray([UNKNOWN]) * len(strings)
        self.fast = False  # plain rows in bulk (set by _start for unprefixed sheets)
        self.date_re: re.Pattern[bytes] | None = None
        self.numeric_res: dict[tuple[int, ...], re.Pattern[bytes]] = {}
        self.validator = Validator()
        # Narrow rows: the regex for the state it was compiled in (see _narrow_key), what it lets
        # through, and when to try it again after it found nothing.
        self.narrow_on = NARROW_PATH
        self.narrow_rx: re.Pattern[bytes] | None = None
        self.narrow_key: tuple[object, ...] | None = None
        self.narrow_dated: tuple[int, ...] = ()
        self.narrow_spans_required = False
        self.narrow_compiles = 0
        self.narrow_wait = 0  # rows to read the other ways before the next try
        self.narrow_backoff = 1
        self.shared = shared if shared is not None else {}
        self.narrow_stopping_checked = False  # stopping strings are checked by _narrow_bulk
        self.narrow_texts_checked = False  # texts in numeric columns are checked by _narrow_bulk
        self.date_column_res: dict[int, re.Pattern[bytes]] = {}

    def _row_pattern(self) -> re.Pattern[bytes]:
        assert self.row_re is not None, "rows are only met after _start found the root element"
        return self.row_re

    def _cell_pattern(self) -> re.Pattern[bytes]:
        assert self.cell_re is not None, "rows are only met after _start found the root element"
        return self.cell_re

    def _live_trace(self) -> IngestTrace | None:
        """The trace while Dataverse's handler still reads rows: no prefix seen, no failure yet."""
        trace = self.trace
        return trace if trace is not None and self.trace_live and trace.failure is None else None

    # -- driving -------------------------------------------------------------------------------
    def scan(self, pkg: Package, part: str) -> None:
        validator = self.validator = Validator()
        head = b""  # the part's first bytes (its XML declaration)
        buf = b""
        offset = 0  # of buf[0] in the part
        started = False
        self.part = part
        after_rows = False  # past the end of sheetData: what is left holds no row
        # Chunks of one long row, kept apart until it ends (not copied into buf chunk after chunk).
        pending: list[bytes] = []
        held = 0
        for chunk in pkg.stream(part):
            if not head:
                head = chunk[:1024]
            if not validator.reduced:  # then the scanner hands expat its rows (in _segment)
                validator.feed(chunk)
                if validator.doctype:
                    raise PackageError(
                        "doctype",
                        f"{part} declares a DTD: refused (external entities are never resolved)",
                        part,
                    )
            if started and not after_rows and self._inside_row(pending[-1] if pending else buf, chunk):
                pending.append(chunk)
                held += len(chunk)
                if len(buf) + held > self.budgets.max_row_bytes:
                    raise PackageError("limit", self._long_row(buf, offset), part)
                continue
            if pending:
                buf = b"".join([buf, *pending, chunk])
                pending, held = [], 0
            else:
                buf += chunk
            if not started:
                if not self._start(buf):
                    if len(buf) > ROOT_SEARCH_LIMIT:  # no XML root in the first MiB: not a sheet
                        break
                    continue
                started = True
            if not validator.reduced:
                validator.reduce(head)
            # Rows before the new chunk were cut off last time: look for a row start in it only (a
            # row of many chunks is not searched again and again).
            cut = -1 if after_rows else self._last_row_start(buf, max(0, len(buf) - len(chunk) - 16))
            if cut > 0:
                self._segment(buf[:cut], offset)
                offset += cut
                buf = buf[cut:]
            if len(buf) > self.budgets.max_row_bytes:
                # More held than one row may take: the rows are over (the part's tail, read on in
                # pieces), or one row is beyond the budget.
                end = _END_OF_ROWS.search(buf) if not after_rows else None
                if end is not None:
                    after_rows = True
                    cut = end.end()
                elif after_rows:
                    cut = buf.rfind(b"<")
                else:
                    raise PackageError("limit", self._long_row(buf, offset), part)
                if cut > 0:
                    self._segment(buf[:cut], offset, tail=True)
                    offset += cut
                    buf = buf[cut:]
        if pending:
            buf = b"".join([buf, *pending])
        if not validator.reduced:
            validator.feed(b"", True)
            if validator.doctype:
                raise PackageError("doctype", f"{part} declares a DTD: refused", part)
        if not started and not self._start(buf[:ROOT_SEARCH_LIMIT]):
            self.f.problem = f"{part}: no XML root element (the part is empty or is not XML)"
            if self.trace is not None:  # the parser fails at once: Dataverse's message is not known
                self.trace.failure = None
                self.trace.failure_offset = 0
                self.trace.failure_cell = None
                self.trace.failure_row = None
            return
        self._segment(buf, offset, final=True)
        validator.finish(pkg.stream(part, counted=False))
        if validator.error:
            self.f.problem = f"{part}: {validator.error}"
            assert validator.error_offset is not None, "set with the error"
            if self.trace is not None and (
                self.trace.failure_offset is None or validator.error_offset < self.trace.failure_offset
            ):
                self.trace.failure = None  # the parse error comes first: Dataverse's message unknown
                self.trace.failure_offset = validator.error_offset
                self.trace.failure_cell = None
                self.trace.failure_row = None
        self._finish()

    def _start(self, buf: bytes) -> bool:
        pos = 0
        while True:
            m = _ROOT.search(buf, pos)
            if not m:
                return False
            if buf[m.start() + 1 : m.start() + 2] in (b"?", b"!"):
                pos = m.end()
                continue
            break
        prefix = m.group(1) or b""
        self.f.element_prefix = prefix.decode("ascii", "replace")
        root = m.group(2)
        self.f.kind = {b"worksheet": "worksheet", b"chartsheet": "chartsheet"}.get(root, "other")
        self.row_re, self.cell_re = _patterns(prefix)
        # Plain rows stay within Excel's grid; tighter budgets are enforced row by row.
        roomy = self.budgets.max_columns >= SPANS_BOUND and self.budgets.max_cells_per_row >= MAX_CELLS
        self.fast = FAST_PATH and not prefix and roomy
        if self.date_styles and len(self.date_styles) <= 200:
            alts = b"|".join(str(i).encode() for i in sorted(self.date_styles) if i >= 0)
            self.date_re = re.compile(rb'<c r="([A-Z]+)[0-9]+" s="(?:' + alts + rb')"(?: t="n")?>')
        if prefix:
            self.trace_live = False  # Dataverse matches element names without prefix: sees nothing
        d = _DIMENSION.search(buf)
        if d:
            self.f.dimension = d.group(1).decode("ascii", "replace")
        return True

    def _inside_row(self, before: bytes, chunk: bytes) -> bool:
        """Does `chunk` only carry on the row held (no row starts in it, nor the end of the rows)?"""
        tag = b"<" + self.f.element_prefix.encode() + b"row"
        seam = before[-16:] + chunk[:16]
        return tag not in chunk and tag not in seam and b"sheetData" not in chunk and b"sheetData" not in seam

    def _last_row_start(self, buf: bytes, lo: int = 0) -> int:
        tag = b"<" + self.f.element_prefix.encode() + b"row"
        i = len(buf)
        while True:
            i = buf.rfind(tag, lo, i)
            if i < 0:
                return -1
            nxt = buf[i + len(tag) : i + len(tag) + 1]
            if nxt in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
                return i
            if nxt == b"":
                return i

    # -- rows ----------------------------------------------------------------------------------
    def _segment(self, seg: bytes, offset: int, final: bool = False, tail: bool = False) -> None:
        """The rows of `seg`; the end of sheetData and the merged cells too when it is the part's
        last segment (`final`) or holds its end (`tail`: the last rows and what follows them)."""
        plain: list[tuple[int, int]] = []  # runs of plain rows, which the validator may skip
        if not self.fast:
            if self.row_re is None:
                # _start found no root element (an empty or non-XML part): the scan stops here, as it
                # always has, and the file is reported as not checked (an internal error).
                raise AttributeError("the sheet part has no root element: no row pattern to read it with")
            for m in self.row_re.finditer(seg):
                self._row(m.group(1), m.group(2) or b"", offset + m.start())
        else:
            self._rows(seg, 0, len(seg), offset, plain, self.narrow_on)
            if self.unread:
                self._read_kept(seg)
        if final or tail:
            if self.trace is not None and self.trace_live:
                if re.search(rb"</sheetData>|<sheetData\s*/>", seg):
                    self.trace.has_sheet_data = True
            self._merges(_MERGE.findall(seg))
        self.validator.rows(seg, offset, plain)

    def _read_kept(self, seg: bytes) -> None:
        """The narrow rows of `seg` still among the last rows kept, read as _bulk reads them."""
        for k, (number, spans, inner) in enumerate(self.last_raw):
            if spans is _UNREAD:
                assert isinstance(inner, int), "an offset in the segment"
                m = self._row_pattern().match(seg, inner)
                assert m is not None, "a narrow row is a row to the exact pattern too"
                value = _attrs(m.group(1)).get(b"spans")
                text = value.decode("ascii", "replace") if value is not None else None
                self.last_raw[k] = (number, text, m.group(2) or b"")
        self.unread = False

    def _rows(
        self, seg: bytes, lo: int, hi: int, offset: int, plain: list[tuple[int, int]], narrow: bool
    ) -> None:
        """The rows of seg[lo:hi] on the fast path: runs of narrow rows at once (when `narrow`),
        runs of plain rows in bulk, other rows one by one; plain rows are noted in `plain`."""
        run: list[re.Match[bytes]] = []  # plain rows back to back, for the bulk path
        pos = lo
        while True:
            if narrow and self.narrow_wait <= 0 and self._warm():
                end = self._narrow_end(seg, pos, hi)
                if end > pos:
                    if run:
                        self._run(seg, run, 0, len(run), offset)
                        run = []
                    if self._narrow_bulk(seg, pos, end):
                        _add_plain(plain, seg, pos, end)
                        self.narrow_backoff = 1
                    else:  # an event the counts cannot tell: the rows are read the other ways
                        self._rows(seg, pos, end, offset, plain, False)
                        self._narrow_later()
                    pos = end
                    continue
                if not self.narrow_on:
                    narrow = False
            m = _DRIVER.search(seg, pos, hi)
            if m is None:
                break
            pos = m.end()
            self.narrow_wait -= 1
            is_plain = m.group("plain") is not None
            if is_plain:
                _add_plain(plain, seg, m.start(), pos)
                if run or self._warm():
                    if run and m.start() != run[-1].end():
                        self._run(seg, run, 0, len(run), offset)
                        run = []
                    run.append(m)
                    continue
            if run:
                self._run(seg, run, 0, len(run), offset)
                run = []
            if is_plain:
                exact = self._row_pattern().match(seg, m.start())
                assert exact is not None, "a plain row is a row to the exact pattern too"
                self._row(exact.group(1), exact.group(2) or b"", offset + exact.start())
            else:
                self._row(m.group("attrs"), m.group("inner") or b"", offset + m.start())
        if run:
            self._run(seg, run, 0, len(run), offset)

    # -- narrow rows at once ---------------------------------------------------------------------
    def _narrow_key(self) -> tuple[object, ...] | None:
        """The state narrow rows are made for: the last column a filled cell may be in, the columns
        refusing shared strings (Dataverse still takes them as numeric), the columns where dates
        may be (their samples are kept), whether every row must declare `spans`. As rows are read,
        the first only grows, the second only shrinks, the third only grows, the last turns False
        once: a regex made for an earlier state lets through nothing the current one would not.
        None: narrow rows are not used for this sheet."""
        if self.date_styles and self.date_re is None:
            return None  # hundreds of date styles: plain rows only
        f = self.f
        trace = self._live_trace()
        width = trace.declared_width if trace is not None else None
        limit = f.header_width if width is None else min(f.header_width, width)
        limit = max(0, min(limit, MAX_DATAVERSE_COLUMNS))
        numeric = tuple(trace.numeric[:limit]) if trace is not None else ()  # of each column
        dated: tuple[int, ...] = ()
        if self.date_styles:
            dated = tuple(
                sorted(c for c, tally in f.date_cells.items() if c <= limit and len(tally.samples) >= 3)
            )
        return (limit, numeric, dated, f.first_row_without_spans is None)

    def _narrow_compile(self, key: tuple[object, ...]) -> None:
        limit, numeric_columns, dated, spans_required = key
        assert isinstance(limit, int) and isinstance(numeric_columns, tuple) and isinstance(dated, tuple)
        live = [i + 1 for i, still in enumerate(numeric_columns) if still]
        stopping = self._few_strings("stopping", _stops)
        numeric = self._few_strings("numeric", _numeric_text) if live else []
        self.narrow_stopping_checked = stopping is None
        self.narrow_texts_checked = numeric is None
        self.narrow_rx = narrow_rows(
            limit,
            live,
            dated,
            sorted(self.date_styles),
            bool(spans_required),
            len(self.strings),
            stopping or (),
            numeric,
        )
        self.narrow_key = key
        self.narrow_dated = dated
        self.narrow_spans_required = bool(spans_required)
        self.narrow_compiles += 1

    def _narrow_end(self, seg: bytes, pos: int, hi: int) -> int:
        """Where the run of narrow rows at `pos` ends (`pos` when there is none)."""
        key = None
        if self.narrow_rx is None:
            key = self._narrow_key()
            if key is None:
                self.narrow_on = False
                return pos
            self._narrow_compile(key)
        assert self.narrow_rx is not None, "compiled above"
        m = self.narrow_rx.match(seg, pos, hi)
        if m is None:
            key = key or self._narrow_key()
            if key is not None and key != self.narrow_key and self.narrow_compiles < NARROW_COMPILES:
                self._narrow_compile(key)
                m = self.narrow_rx.match(seg, pos, hi)
        if m is None:
            self._narrow_later()
            return pos
        return m.end()

    def _narrow_later(self) -> None:
        """No narrow rows here (or none the counts could take): the next rows are read the other
        ways, as many as the tries that found none in a row allow (1, 2, 4, ... NARROW_BACKOFF)."""
        self.narrow_wait = self.narrow_backoff
        self.narrow_backoff = min(2 * self.narrow_backoff, NARROW_BACKOFF)

    def _few_strings(self, name: str, test: Callable[[str], bool]) -> list[int] | None:
        """The shared strings passing `test` when they are few (the regex names them), None when
        there are more than FEW_STRINGS (the flags of the strings met are looked at instead).
        Found once for the workbook (in `shared`), never held whole: at most FEW_STRINGS indexes."""
        if name not in self.shared:
            found: list[int] | None = []
            for i, text in enumerate(self.strings):
                if test(text):
                    assert found is not None
                    found.append(i)
                    if len(found) > FEW_STRINGS:
                        found = None
                        break
            self.shared[name] = found
        return self.shared[name]

    def _numeric_texts(self, seg: bytes, lo: int, hi: int, trace: IngestTrace) -> bool:
        """Are the shared strings of seg[lo:hi] in columns Dataverse still takes as numeric all
        read as numbers (as _bulk checks them)?"""
        numeric = trace.numeric
        live = tuple(i + 1 for i in range(min(len(numeric), MAX_DATAVERSE_COLUMNS)) if numeric[i])
        if not live:
            return True
        pattern = self.numeric_res.get(live)
        if pattern is None:
            pattern = re.compile(
                rb'<c r="' + _letters_pattern(live) + rb'[0-9]+"(?: s="[0-9]+")? t="s"><v>([0-9]+)<'
            )
            self.numeric_res[live] = pattern
        return all(self._flag(int(raw)) & NUMERIC for raw in set(pattern.findall(seg, lo, hi)))

    def _date_column_re(self, col: int) -> re.Pattern[bytes]:
        pattern = self.date_column_res.get(col)
        if pattern is None:
            alts = b"|".join(str(i).encode() for i in sorted(self.date_styles) if i >= 0)
            pattern = re.compile(
                rb'<c r="' + column_letters(col).encode() + rb'[0-9]+" s="(?:' + alts + rb')"(?: t="n")?>'
            )
            self.date_column_res[col] = pattern
        return pattern

    def _narrow_bulk(self, seg: bytes, lo: int, hi: int) -> bool:
        """The facts of the narrow rows of seg[lo:hi], as _row would give them, from a few counts.

        The regex let through no filled cell right of the table, no shared string in a column
        still numeric for Dataverse, none that is empty, out of range or holds TAB/LF/CR (the
        latter when they are few), no date outside the columns whose samples are kept, no row
        without `spans` while none was seen. What it cannot see is checked here, as _bulk does:
        row numbers that skip while blank gaps are still noted, numbers beyond the budget, the
        stopping strings when they are many. Returns False, changing nothing, if a row needs
        another way.
        """
        f = self.f
        trace = self._live_trace()
        if hi - lo > self.budgets.max_row_bytes:
            return False  # each row is shorter: the exact path would not refuse one
        numbers = list(map(int, _ROW_NUMBER.findall(seg, lo, hi)))
        n = len(numbers)
        first = self.prev_row + 1
        if not n or (len(f.blank_gaps) < GAPS_KEPT and numbers != list(range(first, first + n))):
            return False
        top = max(numbers)
        if top > self.budgets.max_rows:
            return False  # the exact path refuses it
        with_spans = n if self.narrow_spans_required else seg.count(b'" spans="', lo, hi)
        if with_spans < n and f.first_row_without_spans is None:
            return False
        if self.narrow_stopping_checked:
            for raw in set(_STRING_INDEX.findall(seg, lo, hi)):
                if self._flag(int(raw)) & (EMPTY | HAS_TAB | HAS_BREAK):
                    return False
        if self.narrow_texts_checked and trace is not None and not self._numeric_texts(seg, lo, hi, trace):
            return False
        dates: dict[int, int] = {}
        if self.date_styles and self.narrow_dated:
            if len(self.narrow_dated) <= 2:
                for col in self.narrow_dated:
                    k = len(self._date_column_re(col).findall(seg, lo, hi))
                    if k:
                        dates[col] = k
            else:
                assert self.date_re is not None, "narrow rows are not used without it"
                _count_dates(dates, self.date_re.findall(seg, lo, hi))
            if not _dates_sampled(f, dates):
                return False
        filled = seg.count(b"<v>", lo, hi)  # one per filled cell

        # every check passed: count as _row would, row by row
        f.rows += n
        self.row_count += n
        f.max_row = max(f.max_row, top)
        f.rows_without_spans += n - with_spans
        f.value_rows += n  # a narrow row has a filled cell
        f.value_cells += filled
        for col, k in dates.items():
            f.date_cells[col].count += k
        if trace is not None:
            trace.rows += n
            trace.cases += n
        kept = min(n, LAST_ROWS_KEPT)
        starts = []
        at = hi
        for _ in range(kept):
            at = seg.rfind(b"<row ", lo, at)
            starts.append(at)
        for i, start in enumerate(reversed(starts)):  # read at the segment's end if still kept
            self.last_raw.append((numbers[n - kept + i], _UNREAD, start))
        self.unread = True
        self.prev_row = numbers[-1]
        self.last_value_row = numbers[-1]
        return True

    # -- plain rows in bulk ----------------------------------------------------------------------
    def _warm(self) -> bool:
        """The header and the first rows (kept whole) are read; later plain rows may go in bulk."""
        return self.header_done and self.row_count >= FIRST_ROWS_KEPT

    def _run(self, seg: bytes, run: list[re.Match[bytes]], lo: int, hi: int, offset: int) -> None:
        """Plain rows run[lo:hi]: in bulk when nothing in them needs a row-by-row look, else halved."""
        while hi - lo >= BULK_MIN_ROWS:
            if self._bulk(seg, run, lo, hi):
                return
            mid = (lo + hi) // 2
            self._run(seg, run, lo, mid, offset)
            lo = mid
        for plain in run[lo:hi]:
            m = self._row_pattern().match(seg, plain.start())
            assert m is not None, "a plain row is a row to the exact pattern too"
            self._row(m.group(1), m.group(2) or b"", offset + m.start())

    def _flag(self, index: int) -> int:
        flag = self.flags[index]
        if flag == UNKNOWN:
            text = self.strings[index]
            flag = 0
            if not text:
                flag = EMPTY
            elif dataverse_numeric(text.encode("utf-8")):
                flag = NUMERIC
            if "\t" in text:
                flag |= HAS_TAB
            if "\n" in text or "\r" in text:
                flag |= HAS_BREAK
            self.flags[index] = flag
        return flag

    def _bulk(self, seg: bytes, run: list[re.Match[bytes]], lo: int, hi: int) -> bool:
        """The facts of plain rows run[lo:hi] from counts over their bytes, as _row would give them.

        Returns False, changing nothing, when a row needs the exact path: a gap in row numbers, a
        first row without spans, a cell right of the header (while samples are wanted) or of the
        declared width, a shared string that is empty, out of range or holds TAB/LF/CR, a text in
        a column Dataverse still takes as numeric, a date while its column wants samples.
        """
        f = self.f
        trace = self._live_trace()
        width = trace.declared_width if trace is not None else None
        assert trace is None or width is not None, "the header row set it (or failed the trace)"
        if run[hi - 1].end() - run[lo].start() > self.budgets.max_row_bytes:
            return False  # then each row is shorter: the exact path would not refuse one
        piece = seg[run[lo].start() : run[hi - 1].end()]
        numbers = list(map(int, _ROW_NUMBER.findall(piece)))
        n = len(numbers)
        first = self.prev_row + 1
        if len(f.blank_gaps) < GAPS_KEPT and numbers != list(range(first, first + n)):
            return False
        with_spans = len(_ROW_WITH_SPANS.findall(piece))
        if with_spans < n and f.first_row_without_spans is None:
            return False
        filled = piece.count(b"<v>")  # one per filled plain cell
        limit = f.header_width if width is None else min(f.header_width, width)
        beyond = _beyond(limit)
        max_column = wide = 0
        if beyond is not None and beyond.search(piece):
            # `/>` in plain rows closes empty cells only
            column_re = _FILLED_CELL_COLUMN if b"/>" in piece else _ANY_CELL_COLUMN
            by_column: Counter[int] = Counter()
            for letters, k in Counter(column_re.findall(piece)).items():
                by_column[_column_of(letters)] += k
            max_column = max(by_column)
            if max_column > f.header_width:
                wide = sum(k for col, k in by_column.items() if col > f.header_width)
                if len(f.wide_cells.samples) < 10:
                    return False
            if width is not None and max_column > width:
                return False
        texts = False
        strings = len(self.strings)
        for raw in set(_STRING_INDEX.findall(piece)):
            index = int(raw)
            if index >= strings:
                return False
            flag = self._flag(index)
            if flag & (EMPTY | HAS_TAB | HAS_BREAK):
                return False
            if not flag & NUMERIC:
                texts = True
        if texts and trace is not None:
            numeric = trace.numeric
            live = tuple(i + 1 for i in range(min(len(numeric), MAX_DATAVERSE_COLUMNS)) if numeric[i])
            if live:
                pattern = self.numeric_res.get(live)
                if pattern is None:
                    pattern = re.compile(
                        rb'<c r="' + _letters_pattern(live) + rb'[0-9]+"(?: s="[0-9]+")? t="s"><v>([0-9]+)<'
                    )
                    self.numeric_res[live] = pattern
                for raw in set(pattern.findall(piece)):
                    if not self._flag(int(raw)) & NUMERIC:
                        return False
        dates: dict[int, int] = {}
        if self.date_styles:
            if self.date_re is not None:
                _count_dates(dates, self.date_re.findall(piece))
            else:
                styled = _STYLED_NUMBER.findall(piece)
                _count_dates(dates, [letters for letters, style in styled if int(style) in self.date_styles])
            if not _dates_sampled(f, dates):
                return False

        if max(numbers) > self.budgets.max_rows:
            return False  # the exact path refuses it
        # every check passed: count as _row would, row by row
        f.rows += n
        self.row_count += n
        f.max_row = max(f.max_row, *numbers)
        f.rows_without_spans += n - with_spans
        f.value_rows += n
        f.value_cells += filled
        f.max_column = max(f.max_column, max_column)
        f.wide_cells.count += wide
        for col, k in dates.items():
            f.date_cells[col].count += k
        if trace is not None:
            trace.rows += n
            trace.cases += n
        for i in range(max(lo, hi - LAST_ROWS_KEPT), hi):
            m = self._row_pattern().match(seg, run[i].start())
            assert m is not None, "a plain row is a row to the exact pattern too"
            spans = _attrs(m.group(1)).get(b"spans")
            self.last_raw.append(
                (
                    numbers[i - lo],
                    spans.decode("ascii", "replace") if spans is not None else None,
                    m.group(2) or b"",
                )
            )
        self.prev_row = numbers[-1]
        self.last_value_row = numbers[-1]
        return True

    def _long_row(self, buf: bytes, offset: int) -> str:
        """What the finding says of a row longer than the budget (or of no row at all)."""
        limit = f"{self.budgets.max_row_bytes:,}"
        m = re.match(rb'<(?:\w+:)?row\b[^>]{0,200}?\br="([0-9]{1,12})"', buf)
        if m is not None:
            return f"{self.part}: row {int(m.group(1)):,} is longer than {limit} bytes"
        if _ROW_START.match(buf):
            return f"{self.part}: a row at byte {offset:,} is longer than {limit} bytes"
        return f"{self.part}: {limit} bytes without a row"

    def _row(self, raw_attrs: bytes | None, inner: bytes, where: int) -> None:
        f = self.f
        attrs = _attrs(raw_attrs)
        raw_number = attrs.get(b"r")
        number = _row_number(raw_number) if raw_number and raw_number.isdigit() else self.prev_row + 1
        spans = attrs.get(b"spans")
        spans_text = spans.decode("ascii", "replace") if spans is not None else None
        if spans is not None and len(spans) > 7:
            self._check_spans(spans_text or "", number)
        if number > self.budgets.max_rows:
            shown = (
                f"{number:,}" if number < EXCEL_MAX_ROWS * 1000 else f"of {len(raw_number or b''):,} digits"
            )
            raise PackageError(
                "limit",
                f"{self.part}: a row number {shown} is beyond Excel's last row ({self.budgets.max_rows:,})",
                self.part,
            )
        if len(inner) > self.budgets.max_row_bytes:
            raise PackageError(
                "limit",
                f"{self.part}: row {number:,} is longer than {self.budgets.max_row_bytes:,} bytes",
                self.part,
            )
        if len(inner) >= 4 * self.budgets.max_cells_per_row:
            self._check_cells(inner, number)
        if len(inner) > 4096 and not self.f.element_prefix:
            inner = self._without_empty_cells(inner, self._live_trace() is not None)
        if number > self.prev_row + 1 and self.header_done and len(f.blank_gaps) < GAPS_KEPT:
            f.blank_gaps.append((self.prev_row + 1, number - self.prev_row - 1))
        self.prev_row = number
        self.row_count += 1
        f.rows += 1
        f.max_row = max(f.max_row, number)
        if spans is None:
            f.rows_without_spans += 1
            if f.first_row_without_spans is None:
                f.first_row_without_spans = number
        if self.row_count <= FIRST_ROWS_KEPT:
            self.first_raw.append((number, spans_text, inner))

        trace = self._live_trace()
        header = not self.header_done
        if trace is not None:
            trace.rows += 1
            if header:
                trace.header_row = number
                trace.first_row_spans = spans_text
                if not self._trace_header_start(trace, spans_text, number, where):
                    trace = None
        values: list[str | None] | None = None
        if trace is not None:
            # Wider than ZZ, the header row fails the trace as it ends: no later row is traced.
            values = [None] * min(trace.declared_width or 0, MAX_DATAVERSE_COLUMNS)

        filled = 0
        prev_col = 0
        for cm in self._cell_pattern().finditer(inner):
            cattrs = _attrs(cm.group(1))
            cinner = cm.group(2) or b""
            ref = cattrs.get(b"r")
            if ref:
                col = _column_of(ref.rstrip(b"0123456789")) or prev_col + 1
            else:
                col = prev_col + 1
            prev_col = col
            if col > self.budgets.max_columns:
                shown = ref.decode("ascii", "replace") if ref else "?"
                shown = shown if len(shown) <= 20 else f"{shown[:12]}… ({len(shown):,} characters)"
                raise PackageError(
                    "limit",
                    f"{self.part}: the cell reference {shown} is beyond Excel's last column "
                    f"(XFD, {self.budgets.max_columns:,})",
                    self.part,
                )
            ctype = cattrs.get(b"t", b"n")
            vm = _V.search(cinner) if cinner else None
            v = vm.group(1) if vm else None
            if v is None and vm is not None:
                v = b""
            has_formula = b"<f" in cinner
            text = self._cell_text(ctype, v, cinner)
            if trace is not None and values is not None:
                if not self._trace_cell(trace, values, ref, ctype, v, vm, cinner, number, col, where, header):
                    trace = None
            if has_formula:
                self._formula(ctype, v, text, number, col)
            if text is None or text == "":
                continue
            filled += 1
            f.value_cells += 1
            if col > f.max_column:
                f.max_column = col
            if ctype == b"e":
                f.error_cells.add_lazy(lambda: CellSample(cell_ref(col, number), number, col, text))
            elif ctype == b"n" and b"s" in cattrs and self.date_styles:
                try:
                    style = int(cattrs[b"s"])
                except ValueError:
                    style = -1
                if style in self.date_styles and not header:
                    f.date_cells.setdefault(col, Occurrences(limit=3)).add_lazy(
                        lambda: CellSample(cell_ref(col, number), number, col, text)
                    )
            if "\n" in text or "\r" in text:
                f.newline_cells.add_lazy(lambda: CellSample(cell_ref(col, number), number, col, text[:80]))
            if "\t" in text:
                f.tab_cells.add_lazy(lambda: CellSample(cell_ref(col, number), number, col, text[:80]))
            if self.header_done and col > f.header_width:
                f.wide_cells.add_lazy(lambda: CellSample(cell_ref(col, number), number, col, text[:80]))
            if header and col > f.header_width:
                f.header_width = col

        if trace is not None and values is not None:  # values are set whenever the trace is
            self._trace_row_end(trace, values, header, where, number)
        if header:
            self.header_done = True
            f.header_row = number
        if filled:
            f.value_rows += 1
            self.last_raw.append((number, spans_text, inner))
            self.last_value_row = number
        elif self.header_done and not header and len(f.blank_gaps) < GAPS_KEPT:
            f.blank_gaps.append((number, 1))

    @staticmethod
    def _without_empty_cells(inner: bytes, traced: bool) -> bytes:
        """The row without its empty self-closing cells (`<c r="XFD7" s="3"/>`), which say nothing
        to the facts: a row of 16,384 of them is read in one regex pass, not cell by cell.

        Only when every cell has its reference (a cell without one takes its column from the
        previous cell); while Dataverse's view is traced, cells of three letters stay (its reader
        fails on them).
        """
        if inner.count(b"<c") != inner.count(b'<c r="'):
            return inner
        return (_EMPTY_NEAR_CELL if traced else _EMPTY_CELL).sub(b"", inner)

    def _merges(self, refs: list[bytes]) -> None:
        """Merged ranges, each within Excel's grid, at most `max_merged_ranges` of them."""
        merged = self.f.merged
        if len(merged) + len(refs) > self.budgets.max_merged_ranges:
            raise PackageError(
                "limit",
                f"{self.part} has more than {self.budgets.max_merged_ranges:,} merged ranges",
                self.part,
            )
        for raw in refs:
            if not _MERGE_REF.fullmatch(raw) or any(
                (p := parse_ref(side)) is None
                or p[0] > self.budgets.max_columns
                or p[1] > self.budgets.max_rows
                for side in raw.decode("ascii").split(":")
            ):
                shown = raw.decode("ascii", "replace")
                shown = shown if len(shown) <= 24 else f"{shown[:16]}… ({len(shown):,} characters)"
                raise PackageError(
                    "limit", f"{self.part}: the merged range {shown} is not within Excel's grid", self.part
                )
            merged.append(raw.decode("ascii"))

    def _check_spans(self, spans: str, number: int) -> None:
        """A `spans` beyond Excel's 16,384 columns is refused: no program writes it, and Dataverse
        would size its table by it."""
        for bound in spans.replace(" ", ":").split(":"):
            digits = bound.strip().lstrip("+-0")
            if digits.isdigit() and (len(digits) > 9 or int(digits) > self.budgets.max_columns):
                shown = spans if len(spans) <= 24 else f"{spans[:16]}… ({len(spans):,} characters)"
                raise PackageError(
                    "limit",
                    f'{self.part}: row {number:,} declares spans="{shown}", beyond Excel\'s '
                    f"{self.budgets.max_columns:,} columns",
                    self.part,
                )

    def _check_cells(self, inner: bytes, number: int) -> None:
        tag = b"<" + self.f.element_prefix.encode() + b"c"
        cells = inner.count(tag + b" ") + inner.count(tag + b">") + inner.count(tag + b"/")
        if cells > self.budgets.max_cells_per_row:
            raise PackageError(
                "limit",
                f"{self.part}: row {number:,} has {cells:,} cells, beyond Excel's "
                f"{self.budgets.max_cells_per_row:,} columns",
                self.part,
            )

    def _formula(self, ctype: bytes, v: bytes | None, text: str | None, row: int, col: int) -> None:
        """A formula cell: counted, and by what it stores (no result, or the number 0)."""
        f = self.f
        f.formula_cells.add_lazy(lambda: CellSample(cell_ref(col, row), row, col, text or ""))
        f.formula_area.add(row, col)
        if (v is None or v == b"") and ctype != b"inlineStr":
            f.formulas_without_value.add_lazy(lambda: CellSample(cell_ref(col, row), row, col))
            f.formulas_without_value_area.add(row, col)
        elif ctype == b"n" and v is not None and _is_zero(v):
            f.formula_zero_values.add_lazy(lambda: CellSample(cell_ref(col, row), row, col, text or ""))
            f.formula_zero_area.add(row, col)

    def _cell_text(self, ctype: bytes, v: bytes | None, cinner: bytes) -> str | None:
        """The cell's text as a user sees it (shared strings resolved, inline strings read)."""
        if ctype == b"s":
            if not v:
                return None
            try:
                return self.strings[int(v)]
            except (ValueError, IndexError):
                return None
        if ctype == b"inlineStr":
            parts = _T.findall(cinner)
            return xml_text(b"".join(p or b"" for p in parts)) if parts else None
        if v is None:
            return None
        if ctype == b"b":
            return "TRUE" if v.strip() == b"1" else "FALSE"
        if b"&" in v or b"\r" in v:
            return xml_text(v)
        return v.decode("utf-8", "replace")

    # -- Dataverse's handler -------------------------------------------------------------------
    def _fail(self, trace: IngestTrace, message: str, where: int, row: int, cell: str | None) -> None:
        trace.failure = message
        trace.failure_offset = where
        trace.failure_row = row
        trace.failure_cell = cell

    def _trace_header_start(self, trace: IngestTrace, spans: str | None, number: int, where: int) -> bool:
        if spans is None:
            self._fail(
                trace,
                'Cannot invoke "String.indexOf(int)" because "spansAttribute" is null',
                where,
                number,
                None,
            )
            return False
        self._check_spans(spans, number)
        colon = spans.find(":")
        width = _java_long(spans[colon + 1 :])
        if width is None or not -(2**31) <= width < 2**31 or width < 1:
            # intValue() of a long beyond int range wraps; a huge positive width is refused as well.
            self._fail(
                trace,
                "Could not establish column count, or invalid column count encountered.",
                where,
                number,
                None,
            )
            return False
        trace.declared_width = width
        trace.header = [None] * min(width, 100_000)
        return True

    def _trace_cell(
        self,
        trace: IngestTrace,
        values: list[str | None],
        ref: bytes | None,
        ctype: bytes,
        v: bytes | None,
        vm: re.Match[bytes] | None,
        cinner: bytes,
        number: int,
        col: int,
        where: int,
        header: bool,
    ) -> bool:
        if ref is None:
            self._fail(
                trace,
                'Cannot invoke "String.matches(String)" because "indexAttribute" is null',
                where,
                number,
                None,
            )
            return False
        leading = _LEADING_LETTERS.match(ref)
        assert leading is not None, "[^0-9]* matches at the start of any reference"
        letters = leading.group()
        index = _column_of(letters) if 1 <= len(letters) <= 2 else 0
        if index < 1 or index > MAX_DATAVERSE_COLUMNS:
            self._fail(
                trace,
                "Could not establish position index of a cell element unambiguously!",
                where,
                number,
                ref.decode("ascii", "replace"),
            )
            return False
        index -= 1
        cell = ref.decode("ascii", "replace")
        if ctype == b"s":
            # The handler resolves the index at the first end tag after <c t="s">.
            if vm is not None and cinner.lstrip().startswith(b"<v"):
                first = v or b""
            elif not cinner.strip():
                first = b""
            else:
                fm = re.search(rb">([^<]*)<", cinner)
                first = fm.group(1) if fm else b""
            try:
                idx = _java_int(first)
            except ValueError:
                self._fail(trace, f'For input string: "{xml_text(first)}"', where, number, cell)
                return False
            if not 0 <= idx < len(self.strings):
                self._fail(
                    trace, f"Index {idx} out of bounds for length {len(self.strings)}", where, number, cell
                )
                return False
        if vm is None:
            return True
        if ctype == b"s":
            value = self.strings[idx]
        else:
            value = xml_text(v) if v else ""
        width = trace.declared_width
        assert width is not None, "the header row set it (or failed the trace)"
        if index >= width:
            self._fail(trace, f"Index {index} out of bounds for length {width}", where, number, cell)
            return False
        if header:
            if index < len(trace.header):
                trace.header[index] = value
        else:
            values[index] = value
        return True

    def _trace_row_end(
        self, trace: IngestTrace, values: list[str | None], header: bool, where: int, number: int
    ) -> None:
        width = trace.declared_width
        assert width is not None, "the header row set it (or failed the trace)"
        if header:
            if width > MAX_DATAVERSE_COLUMNS:
                for i in range(MAX_DATAVERSE_COLUMNS, width):
                    name = trace.header[i] if i < len(trace.header) else None
                    if not name:
                        assert trace.header_row is not None, "set as the header row started"
                        self._fail(
                            trace,
                            f"Could not establish variable name for column {i}",
                            where,
                            trace.header_row,
                            None,
                        )
                        return
            trace.numeric = [True] * min(width, 100_000)
            return
        numeric = trace.numeric
        broken = False
        for i, value in enumerate(values):
            if value:
                if numeric[i] and not dataverse_numeric(value.encode("utf-8")):
                    numeric[i] = False
                    if len(trace.turned) < TURNED_KEPT:
                        trace.turned.append(i)
                if not broken and ("\t" in value or "\n" in value or "\r" in value):
                    broken = True
        if broken:
            if len(trace.broken_rows) < BROKEN_ROWS_KEPT:
                trace.broken_rows.append((trace.cases, list(values)))
            else:
                trace.broken_rows_truncated = True
        trace.cases += 1

    # -- after the last row --------------------------------------------------------------------
    def _finish(self) -> None:
        f = self.f
        f.first_rows = [self._row_info(*r) for r in self.first_raw]
        f.last_rows = []
        for number, spans, inner in self.last_raw:
            assert isinstance(inner, bytes), "narrow rows are read at the end of their segment"
            f.last_rows.append(self._row_info(number, spans, inner))
        # blank rows after the last filled row are not "between" anything
        f.blank_gaps = [g for g in f.blank_gaps if g[0] < self.last_value_row]

    def _row_info(self, number: int, spans: str | None, inner: bytes) -> RowInfo:
        values: dict[int, str] = {}
        prev = 0
        for cm in self._cell_pattern().finditer(inner):
            cattrs = _attrs(cm.group(1))
            cinner = cm.group(2) or b""
            ref = cattrs.get(b"r")
            col = (
                column_index(ref.rstrip(b"0123456789").decode("ascii", "replace")) if ref else 0
            ) or prev + 1
            prev = col
            vm = _V.search(cinner) if cinner else None
            v = vm.group(1) if vm else None
            text = self._cell_text(cattrs.get(b"t", b"n"), v, cinner)
            if text is not None and text != "":
                values[col] = text
        return RowInfo(number, spans, values)


def _stops(text: str) -> bool:
    """A shared string that stops the bulk paths: empty, or with TAB, LF or CR (see _flag)."""
    return not text or "\t" in text or "\n" in text or "\r" in text


def _numeric_text(text: str) -> bool:
    """A shared string Dataverse reads as a number (or a missing value) in a numeric column."""
    return bool(text) and dataverse_numeric(text.encode("utf-8"))


def _is_zero(v: bytes) -> bool:
    """A stored number equal to 0 (xlsxwriter writes `0` for every formula it was given no result for)."""
    try:
        return float(v) == 0.0
    except ValueError:
        return False


def _row_number(raw: bytes) -> int:
    """A row's `r` (ASCII digits): beyond Excel's last row, one number past it whatever its digits."""
    digits = raw.lstrip(b"0") or b"0"
    return int(digits) if len(digits) <= 9 else EXCEL_MAX_ROWS * 1000


def _java_long(text: str) -> int | None:
    """Long.valueOf: an optional sign and ASCII digits, nothing else."""
    if re.fullmatch(r"[+-]?[0-9]+", text or "") and len(text.lstrip("+-").lstrip("0")) <= 19:
        value = int(text)
        return value if -(2**63) <= value < 2**63 else None
    return None


def _java_int(raw: bytes) -> int:
    text = raw.decode("utf-8", "replace")
    if not re.fullmatch(r"[+-]?[0-9]+", text) or len(text.lstrip("+-").lstrip("0")) > 10:
        raise ValueError(text[:40])
    value = int(text)
    if not -(2**31) <= value < 2**31:
        raise ValueError(text)
    return value


def light_scan(pkg: Package, part: str, facts: SheetFacts) -> None:
    """Counts only, for sheets Dataverse does not read and that are too big to scan fully."""
    rows = values = 0
    carry = b""
    tail = b""
    row_tag = re.compile(rb"<(?:\w+:)?row[\s>/]")
    for chunk in pkg.stream(part):
        data = carry + chunk
        rows += len(row_tag.findall(data))
        values += data.count(b"<v>") + data.count(b"<is>")
        # a tag cut at the chunk's end is counted with the next chunk
        cut = data.rfind(b"<")
        carry = data[cut:] if cut >= 0 and len(data) - cut < 16 else b""
        if carry:
            rows -= len(row_tag.findall(carry))
            values -= carry.count(b"<v>") + carry.count(b"<is>")
        if facts.dimension is None:
            d = _DIMENSION.search(data)
            if d:
                facts.dimension = d.group(1).decode("ascii", "replace")
        tail = (tail + chunk)[-2_000_000:]
    facts.merged = [r.decode("ascii", "replace") for r in _MERGE.findall(tail)]
    facts.rows = rows
    facts.value_cells = values
    facts.scanned = "light"
