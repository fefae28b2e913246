"""An exact, resumable record splitter that follows Apache Commons CSV's lexer, as Dataverse uses it.

It is the slow path: the scanner only hands it the chunks whose quoting is not plain (a quote inside
an unquoted value, text after a closing quote, a line break inside quotes, a lone CR) — the fast
path cannot split those the way Dataverse does. It tolerates everything (trailing text after a
closing quote is kept, an unclosed quote runs to the end of the file, as Dataverse 6.8 does) and
records each deviation, so the strict readers of 6.7 and earlier can be modelled from the same facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tabcheck.scan.budgets import BUDGETS

MAX_KEPT_VALUE = (
    BUDGETS.value_chars
)  # longer values are counted, not kept (an unclosed quote can swallow GBs)
# Java's Character.isWhitespace, which Commons CSV uses to trim TDF values and to allow blanks after
# a closing quote (the no-break spaces U+00A0, U+2007 and U+202F are not whitespace to Java).
JAVA_WHITESPACE = (
    " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2008\u2009\u200a\u2028\u2029\u205f\u3000"
)
TDF_BLANKS = JAVA_WHITESPACE.replace("\r", "").replace("\n", "")  # inside a line: what TDF trims
_BULK = 4096  # quoted text without a quote longer than this is taken whole, not line by line


@dataclass
class Record:
    fields: list[str]
    line: int  # physical line (1-based) where the record starts
    end_line: int  # physical line where it ends
    quoted_lf: int = 0
    quoted_cr: int = 0
    blank: bool = False  # an empty line (a record of one empty field, or skipped in TSV)
    unclosed: bool = False  # its last value was opened by a quote never closed (runs to the end)
    long_values: dict = field(default_factory=dict)  # field index -> full length, when cut short
    # field index -> blanks kept after its closing quote (a strict reader skips them)
    blanks_after_quote: dict = field(default_factory=dict)
    quoted: bool = False  # some value of it opened with a quote, or had blanks trimmed (TSV)


class _TooWide(Exception):
    """Raised by the lexer; `feed` turns it into RecordTooWide with the records done."""


@dataclass
class QuoteProblem:
    kind: str  # "after-closing-quote" | "unclosed"
    line: int  # the line Commons names in its message (line of the char, or the record's start)
    record_line: int
    column: int  # 1-based field index
    position: int = 0  # 1-based character position in the decoded file (6.8 TSV messages)
    row: int = 0  # the record's number, header = 1


@dataclass
class SplitterState:
    """What carries over from one chunk to the next: a record may span chunks."""

    line: int = 1  # current physical line
    fields: list[str] = field(default_factory=list)
    value: list[str] = field(default_factory=list)
    value_len: int = 0
    in_quotes: bool = False
    after_quote: bool = False  # just read a closing quote (trailing data may follow)
    record_line: int = 1
    at_record_start: bool = True
    at_value_start: bool = True
    pending_cr: bool = False  # chunk ended on CR: a following LF belongs to the same line break
    quoted_lf: int = 0
    quoted_cr: int = 0
    open_quote_line: int = 0
    trailing_flagged: bool = False  # one problem per closing quote, however long the trailing text
    record_had_quote: bool = False
    record_trimmed: bool = False  # blanks were trimmed around one of its values (TSV)
    long_values: dict = field(default_factory=dict)
    blanks_after_quote: dict = field(default_factory=dict)
    records: int = 0  # records completed so far (the header is record 1)
    char_offset: int = 0  # characters before the current piece of text (for 6.8 TSV positions)


class RecordTooWide(Exception):
    """A record has more values than the budget: the reading stops there (see scan.budgets).

    `records` are the records completed before it in the text fed; `partial` is the wide record
    itself, cut at the budget (the header, when it is the one).
    """

    def __init__(self, records: list[Record], partial: Record, fields: int) -> None:
        super().__init__(f"line {partial.line}: more than {fields:,} values in one record")
        self.records = records
        self.partial = partial
        self.fields = fields


class RecordSplitter:
    """Feeds text in pieces; yields complete records; `finish()` closes the last one.

    A record with more values than `max_fields` raises RecordTooWide (bounded memory and time).
    """

    def __init__(self, delimiter: str, skip_empty_lines: bool, trim: bool, max_fields: int | None = None):
        self.max_fields = BUDGETS.fields_per_record if max_fields is None else max_fields
        self.delimiter = delimiter
        self.skip_empty_lines = skip_empty_lines
        self.trim = trim
        self.state = SplitterState()
        self.problems: list[QuoteProblem] = []  # the first ones since the caller last took them
        self.problem_counts = {"after-closing-quote": 0, "unclosed": 0}  # all of them, likewise
        self._special = re.compile("[" + re.escape(delimiter) + '"\r\n]')
        self._in_quote_special = re.compile('["\r\n]')
        self._base = 0

    # -- helpers -------------------------------------------------------------------------------
    def _append(self, text: str) -> None:
        s = self.state
        if s.value_len < MAX_KEPT_VALUE:
            s.value.append(text[: MAX_KEPT_VALUE - s.value_len])
        s.value_len += len(text)

    def _end_value(self) -> None:
        s = self.state
        v = "".join(s.value)
        if s.value_len > MAX_KEPT_VALUE:
            s.long_values[len(s.fields)] = s.value_len
        if self.trim and not s.after_quote:
            trimmed = v.strip(TDF_BLANKS)  # TDF trims unquoted values
            if len(trimmed) != len(v):
                s.record_trimmed = True
            v = trimmed
        s.fields.append(v)
        if len(s.fields) > self.max_fields:
            raise _TooWide
        s.value = []
        s.value_len = 0
        s.after_quote = False
        s.trailing_flagged = False
        s.at_value_start = True

    def _problem(self, kind: str, line: int, position: int = 0) -> None:
        s = self.state
        self.problem_counts[kind] += 1
        if len(self.problems) < 20:
            self.problems.append(
                QuoteProblem(kind, line, s.record_line, len(s.fields) + 1, position, s.records + 1)
            )

    def _end_record(self, out: list[Record]) -> None:
        s = self.state
        blank = not s.fields and s.value_len == 0 and not s.record_had_quote
        self._end_value()
        out.append(
            Record(
                s.fields,
                s.record_line,
                s.line,
                s.quoted_lf,
                s.quoted_cr,
                blank,
                long_values=s.long_values,
                blanks_after_quote=s.blanks_after_quote,
                quoted=s.record_had_quote or s.record_trimmed,
            )
        )
        s.long_values = {}
        s.blanks_after_quote = {}
        s.record_had_quote = s.record_trimmed = False
        if not (blank and self.skip_empty_lines):
            s.records += 1
        s.fields = []
        s.quoted_lf = s.quoted_cr = 0
        s.at_record_start = True

    # -- the lexer -----------------------------------------------------------------------------
    def feed(self, text: str) -> list[Record]:
        self._base = self.state.char_offset
        try:
            return self._feed(text)
        finally:
            self.state.char_offset = self._base + len(text)

    def _feed(self, text: str) -> list[Record]:
        out: list[Record] = []
        try:
            self._lex(text, out)
        except _TooWide:
            raise self._too_wide(out) from None
        return out

    def _too_wide(self, out: list[Record]) -> RecordTooWide:
        s = self.state
        partial = Record(s.fields[: self.max_fields], s.record_line, s.line, long_values=s.long_values)
        s.fields = []  # nothing of the wide record stays held
        return RecordTooWide(out, partial, self.max_fields)

    def _lex(self, text: str, out: list[Record]) -> None:
        s = self.state
        i, n = 0, len(text)
        d = self.delimiter
        if s.pending_cr:
            s.pending_cr = False
            if text.startswith("\n"):
                i = 1  # the LF of a CRLF split across chunks
                if s.in_quotes:
                    self._append("\n")  # still the value's: one line break, two characters
        while i < n:
            if s.in_quotes:
                q = text.find('"', i)
                stop = n if q < 0 else q
                if stop == n and text.endswith("\r"):
                    stop -= 1  # the last CR: the lexer's own step settles a CRLF across pieces
                if stop - i > _BULK:
                    i = self._quoted_lines(text, i, stop)  # an unclosed quote's GBs
                    continue
                m = self._in_quote_special.search(text, i)
                if m is None:
                    self._append(text[i:])
                    return
                j = m.start()
                if j > i:
                    self._append(text[i:j])
                c = text[j]
                if c == '"':
                    # Chunks end on a line break, so a quote ending one is the file's last byte.
                    if j + 1 < n and text[j + 1] == '"':
                        self._append('"')
                        i = j + 2
                    else:
                        s.in_quotes = False
                        s.after_quote = True
                        i = j + 1
                    continue
                # A line break inside quotes: part of the value, still a physical line.
                if c == "\r":
                    s.quoted_cr += 1
                    if j + 1 < n and text[j + 1] == "\n":
                        self._append("\r\n")
                        i = j + 2
                    else:
                        self._append("\r")
                        i = j + 1
                        if j + 1 >= n:
                            s.pending_cr = True
                else:
                    s.quoted_lf += 1
                    self._append("\n")
                    i = j + 1
                s.line += 1
                continue

            if s.at_record_start:
                s.record_line = s.line
                s.at_record_start = False
                s.at_value_start = True
                if self.skip_empty_lines and text[i] in "\r\n":
                    i = self._line_break(text, i)
                    s.at_record_start = True
                    continue
            if s.at_value_start and not s.after_quote:
                j = i
                if self.trim:
                    while j < n and text[j] in TDF_BLANKS and text[j] != d:
                        j += 1
                if j < n and text[j] == '"':
                    s.in_quotes = True
                    s.record_had_quote = True  # `""` alone is a record of one empty value, not a blank line
                    s.open_quote_line = s.line
                    s.at_value_start = False
                    i = j + 1
                    continue
            m = self._special.search(text, i)
            if m is None:
                self._trailing_or_plain(text[i:], i)
                return
            j = m.start()
            if j > i:
                self._trailing_or_plain(text[i:j], i)
            c = text[j]
            if c == d:
                self._end_value()
                i = j + 1
            elif c == '"':
                # A quote inside an unquoted value is an ordinary character; after a closing
                # quote it is trailing data.
                self._trailing_or_plain('"', j)
                i = j + 1
            else:
                self._end_record(out)
                i = self._line_break(text, j)
        return

    def _quoted_lines(self, text: str, i: int, j: int) -> int:
        """Inside quotes, text[i:j] holds no quote: all of it is the value's, its line breaks counted
        at once (CR, LF and CRLF one line each)."""
        part = text[i:j]
        crlf = part.count("\r\n")
        cr, lf = part.count("\r"), part.count("\n")
        s = self.state
        s.quoted_cr += cr
        s.quoted_lf += lf - crlf
        s.line += cr + lf - crlf
        self._append(part)
        return j

    def _trailing_or_plain(self, text: str, start: int) -> None:
        s = self.state
        if s.after_quote:
            junk = len(text) - len(text.lstrip(TDF_BLANKS))
            if junk < len(text) and not s.trailing_flagged:
                self._problem("after-closing-quote", s.line, self._base + start + junk + 1)
                s.trailing_flagged = True
            elif junk == len(text):
                if self.trim:
                    return  # TDF skips blanks between a closing quote and the delimiter
                if not s.trailing_flagged:  # Excel format: only 6.8's lenient reader keeps them
                    column = len(s.fields)
                    s.blanks_after_quote[column] = s.blanks_after_quote.get(column, 0) + len(text)
        self._append(text)
        s.at_value_start = False

    def _line_break(self, text: str, j: int) -> int:
        s = self.state
        s.line += 1
        s.trailing_flagged = False
        if text[j] == "\r":
            if j + 1 < len(text):
                return j + 2 if text[j + 1] == "\n" else j + 1
            s.pending_cr = True
        return j + 1

    def finish(self) -> list[Record]:
        """End of file: close a pending record (an unclosed quote runs to here)."""
        out: list[Record] = []
        s = self.state
        try:
            if s.in_quotes:
                self._problem("unclosed", s.open_quote_line)
                self.problems[-1].record_line = s.record_line
                s.in_quotes = False
                self._end_record(out)
                out[-1].unclosed = True
            elif not s.at_record_start:
                self._end_record(out)
        except _TooWide:
            raise self._too_wide(out) from None
        return out
