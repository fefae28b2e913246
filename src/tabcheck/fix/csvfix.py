"""Rewriting a CSV/TSV/TXT table as UTF-8, comma-separated, with only the declared repairs.

The file is read in its author's reading (the check's sniff: encoding, delimiter, title lines),
strictly: a byte the encoding cannot read stops the rewrite and refuses the file, never a U+FFFD.
One streaming pass writes the output into a temporary file; `verify.verify_csv` then re-reads the
source and the output side by side before the output takes its name. Everything that is not a
declared transformation is copied as it is: spaces, empty values, long cells, quotes in values.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from tabcheck import kernels
from tabcheck.facts import FileFacts
from tabcheck.facts.table import named_width
from tabcheck.fix.dates import GREGORIAN, TIME, DateColumn, change_name, date_parts, written
from tabcheck.fix.manifest import MAX_EXAMPLES, FileManifest, LeftAsIs, Output, Refusal, Verification
from tabcheck.fix.names import OutputNames
from tabcheck.fix.output import OutputExists, PendingOutput, check_target
from tabcheck.fix.repairs import NULL_RE, NumberConvention, Plan, convert_number, number_kind, plan_for
from tabcheck.model import Finding, Severity
from tabcheck.patterns import two_readings

csv.field_size_limit(min(sys.maxsize, 2**62))  # a cell of any size is copied whole
MIXED_STRICT = "tabcheck-fix-cp1252"
BLOCK = 1 << 20
_HIGH = bytes(range(128, 256))


def _cp1252_strict(error: UnicodeError) -> tuple[str, int]:
    """`--encoding utf-8+cp1252`: bytes UTF-8 cannot read are read as Windows-1252, or refused."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = bytes(error.object[error.start : error.end])
    return bad.decode("cp1252"), error.end  # raises on the 5 bytes Windows-1252 leaves undefined


codecs.register_error(MIXED_STRICT, _cp1252_strict)


class TrailingCellsFilled(Exception):
    """A cell after the table's last named column holds a value: those cells are not only the trace
    of a delimiter at the end of the lines, and the rewrite starts again keeping them."""


class Refused(Exception):
    """The file cannot be rewritten without a guess or a loss: nothing is written."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@dataclass
class FixOptions:
    force: bool = False
    flatten_newlines: bool = False
    progress: Callable[[int, int], None] | None = None  # (bytes read, file size) of the current pass
    # The blockers tabcheck finds in an output, and what Dataverse will read otherwise than in the source.
    recheck: Callable[[Path], tuple[list[str], list[str], list[str]]] | None = None
    fast: bool = True  # the vectorised path (fix/fast.py) for regular tables
    # What was done: `path` (fast, or exact and why) and seconds per phase (rewrite, verify, recheck).
    record: dict[str, object] = field(default_factory=dict)


class _Counted(io.RawIOBase):
    """A raw file that counts the bytes read (progress, position of an undecodable byte)."""

    def __init__(
        self, raw: io.BufferedReader, size: int, progress: Callable[[int, int], None] | None
    ) -> None:
        self.raw = raw
        self.size = size
        self.done = 0
        self.high = 0  # bytes >= 0x80 (what a transcoding changes)
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        if n:
            view = memoryview(buffer)[:n]
            chunk = bytes(view)
            self.high += n - len(chunk.translate(None, _HIGH))
            self.done += n
            if self.progress is not None:
                self.progress(self.done, self.size)
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass
class Reading:
    """How a source is read: the rewrite and the verification read it exactly so."""

    codec: str  # a Python codec, strict
    errors: str  # "strict", or MIXED_STRICT for utf-8+cp1252
    delimiter: str
    bom: bool = False  # a byte order mark was found (and dropped) at the start
    bytes_high: int = 0  # non-ASCII bytes read

    def records(
        self, path: Path, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[tuple[int, int, list[str]]]:
        """(first line, last line, fields) of each record, physical lines counted as the check does."""
        size = path.stat().st_size
        counted = _Counted(open(path, "rb"), size, progress)  # noqa: SIM115 - closed below
        text = io.TextIOWrapper(
            io.BufferedReader(counted, BLOCK), encoding=self.codec, errors=self.errors, newline=""
        )
        try:
            lines: Iterator[str] = iter(text)
            first = next(lines, None)
            if first is None:
                return
            if first.startswith("\ufeff"):
                self.bom = True
                first = first[1:]
            reader = csv.reader(
                itertools.chain([first], lines), delimiter=self.delimiter, quotechar='"', strict=False
            )
            prev = 0
            for fields in reader:
                line = reader.line_num
                yield prev + 1, line, fields
                prev = line
        except UnicodeDecodeError as e:
            raise Refused(_undecodable(self, e, counted.done)) from None
        finally:
            self.bytes_high = counted.high
            text.close()


def reading_of(facts: FileFacts, given_encoding: str | None) -> Reading:
    """The author's reading, from the check's facts (see CsvFacts.reading)."""
    table = facts.table
    assert table is not None and table.reading is not None
    reading = table.reading
    if given_encoding == "utf-8+cp1252":
        codec, errors = "utf-8", MIXED_STRICT
    else:
        codec = codecs.lookup(reading.encoding.value or "utf-8").name
        errors = "strict"
        if codec == "utf-8-sig":
            codec = "utf-8"  # the BOM is dropped by the reading, and counted
    tsv = facts.format in ("tsv", "tab")
    delimiter = reading.delimiter.value or table.sniffed_delimiter or ("\t" if tsv else ",")
    return Reading(codec=codec, errors=errors, delimiter=delimiter)


def _undecodable(reading: Reading, e: UnicodeDecodeError, done: int) -> Refusal:
    byte = bytes(e.object[e.start : e.start + 1]).hex() if isinstance(e.object, bytes) else "?"
    name = "utf-8+cp1252" if reading.errors == MIXED_STRICT else reading.codec
    return Refusal(
        reason="undecodable",
        message=f"Byte 0x{byte} (near byte {done:,}) cannot be read as {name}: the file is not in "
        "that encoding. Pass the right `--encoding` (e.g. latin-1, cp850, mac_roman).",
        message_fr=f"L'octet 0x{byte} (vers l'octet {done:,}) ne se lit pas en {name}\u00a0: le fichier "
        "n'est pas dans cet encodage. Indiquez le bon `--encoding` (par ex. latin-1, cp850, mac_roman).",
        suggestion="--encoding latin-1",
    )


# -- deciding whether to rewrite --------------------------------------------------------------------


def refusal_for(facts: FileFacts, findings: list[Finding], given_encoding: str | None) -> Refusal | None:
    """Why the file must not be rewritten as the sniff reads it, or None (see README: `fix`)."""
    by_rule = {f.rule: f for f in findings}
    table = facts.table
    reading = table.reading if table is not None else None
    if facts.content == "empty" or (table is not None and table.size == 0):
        return Refusal(
            "no-data", "The file is empty: nothing to rewrite.", "Le fichier est vide\u00a0: rien à réécrire."
        )
    if table is None or reading is None or reading.kind not in (None, "text"):
        kind = (reading.kind_description if reading else None) or facts.content
        return Refusal(
            "not-a-table",
            f"The file is not a text table (its content looks like {kind}): give it its real "
            "extension, or decompress or export it as CSV first.",
            f"Le fichier n'est pas un tableau texte (son contenu ressemble à\u00a0: {kind})\u00a0: donnez-lui "
            "sa vraie extension, ou décompressez-le ou exportez-le d'abord en CSV.",
        )
    wide = (reading.encoding.value or "").lower().replace("_", "-").startswith(("utf-16", "utf-32"))
    if "not-tabular" in by_rule and not wide:  # NULs are the text of UTF-16 and UTF-32
        return Refusal(
            "not-a-table",
            "The file holds NUL bytes or binary content: export the table again as CSV.",
            "Le fichier contient des octets NUL ou des données binaires\u00a0: exportez de nouveau le "
            "tableau en CSV.",
        )
    if "record-too-wide" in by_rule or (table is not None and table.too_wide is not None):
        return Refusal(
            "record-too-wide",
            "A line holds more values than any table does (the file lost its line breaks?): where "
            "its rows end cannot be known. Export the table again, then run fix again.",
            "Une ligne contient plus de valeurs qu'aucun tableau (le fichier a perdu ses retours à la "
            "ligne\u00a0?)\u00a0: on ne peut pas savoir où ses lignes finissent. Exportez de nouveau "
            "le tableau, puis relancez fix.",
        )
    if "mixed-encodings" in by_rule and given_encoding != "utf-8+cp1252":
        line = by_rule["mixed-encodings"].params.get("line")
        return Refusal(
            "mixed-encodings",
            f"The file is UTF-8 with lines in Windows-1252 (from line {line}). Check those lines, "
            "then pass `--encoding utf-8+cp1252`.",
            f"Le fichier est en UTF-8 avec des lignes en Windows-1252 (à partir de la ligne {line}). "
            "Vérifiez ces lignes, puis indiquez `--encoding utf-8+cp1252`.",
            "--encoding utf-8+cp1252",
        )
    if "encoding-uncertain" in by_rule:
        p = by_rule["encoding-uncertain"].params
        if "read" in p:  # a word as each reading gives it: what tells which is right
            return Refusal(
                "encoding-uncertain",
                f"The encoding is uncertain: {p['encoding']} ({p['confidence']} %) reads “{p['read']}”, "
                f"{p['runner_up']} ({p['runner_up_confidence']} %) reads “{p['other']}”. If “{p['read']}” "
                f"is right, pass `--encoding {p['encoding']}`; if “{p['other']}” is, `--encoding "
                f"{p['runner_up']}`.",
                f"L'encodage est incertain\u00a0: {p['encoding']} ({p['confidence']}\u00a0%) lit "
                f"«\u00a0{p['read']}\u00a0», {p['runner_up']} ({p['runner_up_confidence']}\u00a0%) lit "
                f"«\u00a0{p['other']}\u00a0». Si «\u00a0{p['read']}\u00a0» est juste, indiquez `--encoding "
                f"{p['encoding']}`\u202f; si c'est «\u00a0{p['other']}\u00a0», `--encoding {p['runner_up']}`.",
                f"--encoding {p['encoding']}",
            )
        return Refusal(
            "encoding-uncertain",
            f"The encoding is uncertain: {p['encoding']} ({p['confidence']} %) or {p['runner_up']} "
            f"({p['runner_up_confidence']} %). Check an accented word, then pass `--encoding "
            f"{p['encoding']}` (or `--encoding {p['runner_up']}`).",
            f"L'encodage est incertain\u00a0: {p['encoding']} ({p['confidence']} %) ou {p['runner_up']} "
            f"({p['runner_up_confidence']} %). Vérifiez un mot accentué, puis indiquez `--encoding "
            f"{p['encoding']}` (ou `--encoding {p['runner_up']}`).",
            f"--encoding {p['encoding']}",
        )
    if "delimiter-uncertain" in by_rule:
        d = reading.delimiter
        first, second = _shown(d.value or ","), _shown(d.runner_up or ",")
        finding = by_rule["delimiter-uncertain"]
        if finding.variant == "with-columns":  # the header as each delimiter splits it: the check's words
            return Refusal(
                "delimiter-uncertain",
                f"{finding.text('en').removesuffix(' Pass `--delimiter` to say which.')} Pass "
                f"`--delimiter {first}` (or `--delimiter {second}`).",
                f"{finding.text('fr').removesuffix(' Indiquez-le avec `--delimiter`.')} Indiquez "
                f"`--delimiter {first}` (ou `--delimiter {second}`).",
                f"--delimiter {first}",
            )
        return Refusal(
            "delimiter-uncertain",
            f"The delimiter is uncertain: {first} ({round(100 * d.confidence)} %) or {second} "
            f"({round(100 * d.runner_up_confidence)} %). Pass `--delimiter {first}` (or "
            f"`--delimiter {second}`).",
            f"Le séparateur est incertain\u00a0: {first} ({round(100 * d.confidence)} %) ou {second} "
            f"({round(100 * d.runner_up_confidence)} %). Indiquez `--delimiter {first}` (ou "
            f"`--delimiter {second}`).",
            f"--delimiter {first}",
        )
    for name, what_en, what_fr in (
        ("unclosed-quote", "a quote is never closed", "un guillemet n'est jamais fermé"),
        ("bad-quoting", "text follows a closing quote", "du texte suit un guillemet fermant"),
    ):
        if name in by_rule:
            loc = by_rule[name].location
            where = loc.line or loc.row
            return Refusal(
                name,
                f"On line {where} {what_en}: where the value ends cannot be known. Correct the "
                "quotes by hand, then run fix again.",
                f"À la ligne {where}, {what_fr}\u00a0: on ne peut pas savoir où la valeur finit. "
                "Corrigez les guillemets à la main, puis relancez fix.",
            )
    return None


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def trailing_example(delimiter: str, cells: int) -> str:
    """What drop-trailing-cells removed from a line, as the manifest shows it: `';'`, `';' × 2`."""
    shown = _shown(delimiter)
    return shown if cells == 1 else f"{shown} × {cells}"


# -- the rewrite ----------------------------------------------------------------------------------


@dataclass
class Rewrite:
    """What the rewrite pass did (the verification checks the same facts independently)."""

    width: int = 0
    rows: int = 0  # records written, header included
    notes: list[str] = field(default_factory=list)
    conventions: dict[int, str] = field(default_factory=dict)  # decimal column -> comma/point/neutral
    examples: dict[tuple[str, int | None], list[tuple[str, str]]] = field(default_factory=dict)
    per_column: dict[tuple[str, int | None], int] = field(default_factory=dict)
    evidence: dict[int, NumberConvention] = field(default_factory=dict)
    dates: dict[int, DateColumn] = field(default_factory=dict)  # date column -> its order, its bad value
    # Planned changes withdrawn, and why (a date column holding a value that is not a date).
    left: list[LeftAsIs] = field(default_factory=list)

    def count(self, name: str, column: int | None, before: str, after: str) -> None:
        key = (name, column)
        self.per_column[key] = self.per_column.get(key, 0) + 1
        ex = self.examples.setdefault(key, [])
        if len(ex) < MAX_EXAMPLES and (before, after) not in ex:
            ex.append((before, after))


def empty_header_name(index: int) -> str:
    """The name fix gives the empty header cell at `index` (0-based): its column letter (A, B, …)."""
    from tabcheck.workbook.cells import column_letters

    return column_letters(index + 1)


def unique_names(
    names: list[str], made: set[int] | frozenset[int] = frozenset()
) -> tuple[list[str], list[int]]:
    """`names` made distinct, and the columns renamed: the first column holding each of the
    table's own names keeps it; a later one, and a name fix made up (columns `made`) that the table
    uses already, becomes name_2, name_3, … (the first one free). Dataverse refuses a header
    holding one name twice."""
    used = {n for i, n in enumerate(names) if i not in made}
    first: set[str] = set()
    out: list[str] = []
    renamed: list[int] = []
    for i, n in enumerate(names):
        if i not in made and (n not in first or not n.strip()):  # spaces only: TC301's, by hand
            first.add(n)
            out.append(n)
            continue
        if i in made and n not in used:
            new = n
        else:
            k = 2
            while f"{n}_{k}" in used:
                k += 1
            new = f"{n}_{k}"
            renamed.append(i)
        used.add(new)
        out.append(new)
    return out, renamed


def name_header(header: list[str]) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """The header with each empty cell named by its column letter (header-named) and every name
    made distinct (header-deduplicated), and the (before, after) of each change: the exact and the
    vectorised rewrite both name them so. A one-column header stays as it is."""
    if len(header) < 2:
        return header, [], []
    made = {i for i, h in enumerate(header) if h == ""}
    names, renamed = unique_names(
        [empty_header_name(i) if i in made else h for i, h in enumerate(header)], made
    )
    named = [(str(i + 1), names[i]) for i in sorted(made)]
    deduplicated = [(header[i], names[i]) for i in renamed if i not in made]
    return names, named, deduplicated


def is_blank(fields: list[str]) -> bool:
    """An empty line (or one of spaces only): no cell of the table."""
    return not fields or (len(fields) == 1 and not fields[0].strip(" \t"))


def note_text(fields: list[str], delimiter: str | None = None) -> tuple[int, str] | None:
    """(column, text) of a row whose only filled cell is `text` on one line, else None. Excel's
    `sep=;` line, split at its own `;`, keeps it (given the `delimiter`): its note is `sep=;`."""
    filled = [(i, v) for i, v in enumerate(fields) if v.strip()]
    if len(filled) != 1 or "\n" in filled[0][1] or "\r" in filled[0][1]:
        return None
    if delimiter and fields[1:] == [""] and _SEP_HINT.match(fields[0]):
        return 0, fields[0] + delimiter
    return filled[0]


_SEP_HINT = re.compile(r"^sep=$", re.IGNORECASE)


class Rewriter:
    """One pass: source records in, output records and notes out, every change counted."""

    def __init__(
        self, facts: FileFacts, plan: Plan, asked: set[str], options: FixOptions, reading: Reading
    ) -> None:
        self.plan = plan
        self.asked = asked
        self.options = options
        self.reading = reading
        self.facts = facts
        table = facts.table
        view = table.user if table is not None else None
        self.col1_notes_only = False
        if view is not None and view.columns and plan.note_rows:
            col = view.columns[0]
            occ = col.unexplained_text
            self.col1_notes_only = occ.count <= len(plan.note_rows) and all(
                s.row in plan.note_rows for s in occ.samples
            )

    def is_note(self, line: int, fields: list[str], width: int) -> str | None:
        """The note's text when this row lies outside the table and is not data, else None."""
        if line not in self.plan.note_lines:
            return None
        found = note_text(fields)
        if found is None:
            return None
        column, text = found
        if len(fields) != width:  # outside the table's columns: prose only, never a short value
            return (
                text if (" " in text.strip() or len(text) > 25) and any(c.isalpha() for c in text) else None
            )
        # A row that fits the columns: a note only when its text is what makes column 1 text.
        return text if column == 0 and self.col1_notes_only else None

    def run(self, path: Path, out: TextIO, conventions: dict[int, str]) -> Rewrite:
        rw = Rewrite(conventions=dict(conventions))
        writer = csv.writer(out, lineterminator="\n")
        quote_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        plan = self.plan
        decimal = sorted(plan.decimal_columns)
        nulls = sorted(plan.null_columns - plan.decimal_columns)
        for c in decimal:
            rw.evidence[c] = NumberConvention()
            rw.conventions.setdefault(c, "comma")
        rw.dates = {c: DateColumn(order) for c, order in sorted(plan.date_columns.items())}
        breaks = "line-breaks" in self.asked or self.options.flatten_newlines
        flatten = self.options.flatten_newlines
        header: list[str] | None = None
        width = 0
        pending: list[tuple[int, list[str], str]] = []  # candidate notes, moved only if nothing follows
        for start, end, fields in self.reading.records(path, self.options.progress):
            if header is None:
                if start in plan.title_lines and any(v.strip() for v in fields):
                    found = note_text(fields, self.reading.delimiter)
                    if found is None:
                        raise Refused(
                            Refusal(
                                "title-with-cells",
                                f"Line {start} above the header holds several cells: move it by hand.",
                                f"La ligne {start} au-dessus de l'en-tête contient plusieurs cellules\u00a0: "
                                "déplacez-la à la main.",
                            )
                        )
                    rw.notes.append(found[1])
                    rw.count("move-notes", None, found[1], "notes")
                    continue
                if not any(v.strip(" \t") for v in fields):  # an empty line or row above the header
                    rw.count("drop-blank-lines", None, repr("".join(fields)), "")
                    continue
                if plan.keep_from_header:
                    plan.keep_width = named_width(fields) or None
                header = fields = self._name_empty(rw, self._trim(rw, fields))
                width = rw.width = len(fields)
            elif width > 1 and (is_blank(fields) or (plan.drop_empty_rows and not any(fields))):
                rw.count("drop-blank-lines", None, repr("".join(fields)), "")
                continue
            elif plan.note_lines:
                text = self.is_note(start, fields, width)
                if text is not None:
                    pending.append((start, fields, text))
                    continue
                for line, row, _ in pending:  # data follows: they were rows of the table after all
                    row = self._trim(rw, row)
                    self._convert(rw, row, decimal, nulls, line)
                    self._write(rw, row, writer, quote_all, False, False)
                pending = []
            if fields is not header:
                fields = self._trim(rw, fields)
                self._convert(rw, fields, decimal, nulls, start)
                if not fields and width == 1:
                    fields = [""]  # an empty value of a one-column table, written `""`
            self._write(rw, fields, writer, quote_all, breaks and end > start, flatten)
        for _, _, text in pending:
            rw.notes.append(text)
            rw.count("move-notes", None, text, "notes")
        if header is None:
            raise Refused(
                Refusal("no-data", "The file holds no table.", "Le fichier ne contient aucun tableau.")
            )
        return rw

    def _trim(self, rw: Rewrite, fields: list[str]) -> list[str]:
        """The record without the empty cells after the table's last named column (drop-trailing-cells)."""
        keep = self.plan.keep_width
        if keep is None or len(fields) <= keep:
            return fields
        extra = fields[keep:]
        if any(extra):
            raise TrailingCellsFilled(f"a value after column {keep}: {next(v for v in extra if v)[:40]!r}")
        rw.count("drop-trailing-cells", None, trailing_example(self.reading.delimiter, len(extra)), "")
        return fields[:keep]

    @staticmethod
    def _name_empty(rw: Rewrite, header: list[str]) -> list[str]:
        """The header with each empty cell named by its column letter (header-named), as Dataverse
        names one in a sheet: an R or pandas row index (`"",x,y`), a column left unnamed; and a name
        used twice made distinct (`poids, poids` → `poids, poids_2`: header-deduplicated). Empty
        cells after the last named column whose values are all empty are gone already (_trim)."""
        header, named, deduplicated = name_header(header)
        for column, name in named:
            rw.count("header-named", None, column, name)
        for before, after in deduplicated:
            rw.count("header-deduplicated", None, before, after)
        return header

    def _convert(
        self, rw: Rewrite, fields: list[str], decimal: list[int], nulls: list[int], line: int
    ) -> None:
        n = len(fields)
        for c in decimal:
            if c >= n:
                continue
            v = fields[c]
            if not v or v.isdigit():
                continue
            if NULL_RE.match(v) and c in self.plan.null_columns:
                fields[c] = ""
                rw.count("empty-null", c, v, "")
                continue
            comma = v.find(",")
            if comma > 0 and v.count(",") == 1 and v.isascii() and v.replace(",", "", 1).isdigit():
                # 12,5 (the common case, without a regex): 1,234 reads two ways, 0,125 one
                kind = "ambiguous-comma" if comma <= 3 and len(v) - comma == 4 and v[0] != "0" else "comma"
            else:
                found = number_kind(v)
                if found is None:
                    continue
                kind = found
            rw.evidence[c].add(kind, v)
            if kind == "plain":
                continue
            new = convert_number(v, rw.conventions[c])
            if new != v:
                fields[c] = new
                rw.count("decimal-point", c, v, new)
        for c in nulls:
            if c < n and NULL_RE.match(fields[c]):
                rw.count("empty-null", c, fields[c], "")
                fields[c] = ""
        for c, column in rw.dates.items():
            if c >= n or not fields[c] or column.bad is not None:
                continue
            v = fields[c]
            new = written(v, column.order)
            if new is None:
                if v == self.plan.date_labels.get(c):
                    continue  # the total row's label (Moyenne): it stays, and total-row says the row
                column.bad = (line, v)  # the column is written again as it is (_exact_rewrite)
                continue
            if new != v:  # a value written yyyy-mm-dd already stays as it is
                fields[c] = new
                rw.count(change_name(column.order), c, v, new)

    def _write(
        self,
        rw: Rewrite,
        fields: list[str],
        writer: Any,
        quote_all: Any,
        breaks: bool,
        flatten: bool,
    ) -> None:
        raw_cr = False
        if breaks:
            for i, v in enumerate(fields):
                if "\r" in v or (flatten and "\n" in v):
                    new = v.replace("\r\n", "\n").replace("\r", "\n")
                    if flatten:
                        new = new.replace("\n", " ")
                    fields[i] = new
                    rw.count("flatten-newlines" if flatten else "line-breaks", i, v, new)
        else:
            raw_cr = any("\r" in v for v in fields)
        # Python's writer quotes a value holding LF, not one holding a lone CR: quote all then.
        (quote_all if raw_cr else writer).writerow(fields)
        rw.rows += 1


# -- one file ------------------------------------------------------------------------------------


def fix_csv(
    path: Path,
    facts: FileFacts,
    findings: list[Finding],
    names: OutputNames,
    manifest: FileManifest,
    options: FixOptions,
    given_encoding: str | None = None,
) -> None:
    """Rewrite one text table into `names.table(path)` (and its notes), verified, or refuse it."""
    from tabcheck.fix.verify import verify_csv

    table = facts.table
    reading_facts = table.reading if table is not None else None
    if reading_facts is not None:
        manifest.encoding = reading_facts.encoding.value
        manifest.encoding_confidence = reading_facts.encoding.confidence
        manifest.delimiter = reading_facts.delimiter.value
        manifest.delimiter_confidence = reading_facts.delimiter.confidence
    refusal = refusal_for(facts, findings, given_encoding)
    if refusal is not None:
        manifest.refused = refusal
        return
    plan, asked = plan_for(findings)
    view = table.user if table is not None else None
    # Rows of empty cells the check found (`;;`): Dataverse would count each as an observation.
    plan.drop_empty_rows = view is not None and view.empty_rows.count > 0
    # The view's header is the table's own unless a title above it was not skipped by the sniff.
    if view is not None and (view.preamble or not plan.title_lines):
        plan.keep_width = view.kept_width()
    elif view is not None:
        plan.keep_from_header = True
    reading = reading_of(facts, given_encoding)
    if given_encoding == "utf-8+cp1252":
        manifest.encoding = "utf-8+cp1252"
    target = names.table(path)
    notes_target = names.notes(target)
    try:
        check_target(target, path, options.force)
        check_target(notes_target, path, options.force)
    except OutputExists as e:
        manifest.refused = Refusal(
            "output-exists",
            f"{e} — or choose another output folder.",
            f"{target} existe déjà\u00a0: indiquez --force pour le remplacer, ou choisissez "
            "un autre dossier de sortie.",
            "--force",
        )
        return
    rewriter = Rewriter(facts, plan, asked, options, reading)
    pending = PendingOutput(target, path, options.force)
    notes_pending: PendingOutput | None = None
    try:
        verification: Verification | None = None
        if facts.size >= kernels.MIN_BYTES:
            kernels.give_back_memory()  # what the check freed, before the rewrite's own peak
        vectorised = _fast_fix(path, pending, facts, plan, reading, options)
        if vectorised is None:  # not regular: the exact path, from the start
            started, cpu = time.perf_counter(), time.process_time()
            rw = _exact_rewrite(path, pending, rewriter, facts, options)
            options.record["rewrite"] = time.perf_counter() - started
            options.record["rewrite cpu"] = time.process_time() - cpu
        else:
            rw, verification = vectorised
        if rw.notes:
            notes_pending = PendingOutput(notes_target, path, options.force)
            with notes_pending.open() as fh:
                fh.write("\n".join(rw.notes) + "\n")
        _record(manifest, rw, reading, facts, target, notes_target if rw.notes else None)
        manifest.left.extend(_numbers_left(findings, facts))
        if verification is None:
            started, cpu = time.perf_counter(), time.process_time()
            verification = verify_csv(
                path,
                pending.path,
                notes_pending.path if notes_pending else None,
                reading,
                rewriter,
                rw,
                options,
            )
            options.record["verify"] = time.perf_counter() - started
            options.record["verify cpu"] = time.process_time() - cpu
        out_record = Output(path=target, rows=rw.rows, columns=rw.width, verification=verification)
        manifest.outputs.append(out_record)
        if notes_pending is not None:
            manifest.outputs.append(
                Output(path=notes_target, rows=len(rw.notes), columns=1, verification=verification)
            )
        if not verification.ok:
            pending.discard()
            if notes_pending is not None:
                notes_pending.discard()
            return
        pending.commit()
        if notes_pending is not None:
            notes_pending.commit()
        if options.recheck is not None:
            if facts.size >= kernels.MIN_BYTES:
                kernels.give_back_memory()
            started, cpu = time.perf_counter(), time.process_time()
            verification.recheck, verification.changes, verification.altered = options.recheck(target)
            options.record["recheck"] = time.perf_counter() - started
            options.record["recheck cpu"] = time.process_time() - cpu
    except Refused as r:
        pending.discard()
        if notes_pending is not None:
            notes_pending.discard()
        manifest.refused = r.refusal
        manifest.transformations = []
    except BaseException:
        pending.discard()
        if notes_pending is not None:
            notes_pending.discard()
        raise


def _exact_rewrite(
    path: Path, pending: PendingOutput, rewriter: Rewriter, facts: FileFacts, options: FixOptions
) -> Rewrite:
    """The exact rewrite: once with decimal commas, again when a column's numbers all have points,
    or when a date column holds a value that is not a date in its order (then copied as it is)."""
    conventions: dict[int, str] = {}
    left: list[LeftAsIs] = []
    plan = rewriter.plan
    for _attempt in range(5):  # trailing cells, ambiguous columns, conventions, dates: each at most once
        try:
            with pending.open() as out:
                rw = rewriter.run(path, out, conventions)
        except TrailingCellsFilled:
            plan.keep_width = None  # they stay, and the findings about them too
            plan.keep_from_header = False
            continue
        decided = {c: ev.decision for c, ev in rw.evidence.items()}
        ambiguous = [c for c, d in decided.items() if d == "ambiguous"]
        if ambiguous:  # which mark is decimal cannot be known: those columns stay as written, whole
            for c in ambiguous:
                plan.decimal_columns.discard(c)
                plan.null_columns.discard(c)  # it stays text: so does its `null`
                left.append(_left_ambiguous(facts, c, rw.evidence[c]))
            conventions = {c: v for c, v in conventions.items() if c not in ambiguous}
            continue
        wrong = {c: d for c, d in decided.items() if d == "point" and rw.conventions[c] != "point"}
        bad_dates = {c: column.bad for c, column in rw.dates.items() if column.bad is not None}
        for c, (line, value) in bad_dates.items():
            del plan.date_columns[c]
            left.append(_not_a_date(facts, c, line, value, rw.dates[c].order))
        if not wrong and not bad_dates:
            break
        conventions = {c: ("point" if d == "point" else "comma") for c, d in decided.items()}
    rw.left = left
    return rw


# The check's findings of number columns fix leaves as written: which mark is decimal cannot be
# known (rules/values.py). Said again after the rewrite, since the copy reads them otherwise: a
# comma file, 1,234 is a thousands separator there; its decimals points, 25.000 is 25 there.
_UNDECIDED = {
    ("decimal-comma", "ambiguous"),
    ("decimal-comma", "mixed-conventions"),
    ("thousands-separators", "point-groups"),
}


def _numbers_left(findings: list[Finding], facts: FileFacts) -> list[LeftAsIs]:
    return [
        LeftAsIs(
            "decimal-point",
            _column_name(facts, f.location.column - 1) if f.location.column else None,
            f.text("en"),
            f.text("fr"),
            code=f.code,
            blocker=f.severity is Severity.BLOCKER,
        )
        for f in findings
        if (f.rule, f.variant) in _UNDECIDED
    ]


def _not_a_date(facts: FileFacts, column: int, line: int, value: str, order: str) -> LeftAsIs:
    name = _column_name(facts, column)
    if value != value.strip(" \t") and written(value.strip(" \t"), order) is not None:
        return LeftAsIs(
            change_name(order),
            name,
            f"Column {column + 1} “{name}”: “{value}” (line {line}) has spaces around it, so the column's "
            "dates stay as written; take them out and run fix again.",
            f"Colonne {column + 1} «\u00a0{name}\u00a0»\u00a0: «\u00a0{value}\u00a0» (ligne {line}) est "
            "entourée d'espaces, les dates de la colonne restent donc telles quelles\u202f; retirez-les et "
            "relancez fix.",
        )
    if order == TIME:
        return LeftAsIs(
            "iso-time",
            name,
            f"Column {column + 1} “{name}”: “{value}” (line {line}) is not a date and time fix can write "
            "(yyyy-mm-dd hh:mm or hh:mm:ss, no time zone nor fraction of a second), so the column stays as "
            "written.",
            f"Colonne {column + 1} «\u00a0{name}\u00a0»\u00a0: «\u00a0{value}\u00a0» (ligne {line}) n'est pas "
            "une date et heure que fix sait écrire (aaaa-mm-jj hh:mm ou hh:mm:ss, sans fuseau horaire ni "
            "fraction de seconde), la colonne reste donc telle quelle.",
        )
    parts = date_parts(value, order)
    if parts is not None and parts[0] < GREGORIAN:
        return LeftAsIs(
            "iso-date",
            name,
            f"Column {column + 1} “{name}”: “{value}” (line {line}) is a date before 1583, when the calendar "
            "Dataverse reads dates with was not ours: the column's dates stay as written.",
            f"Colonne {column + 1} «\u00a0{name}\u00a0»\u00a0: «\u00a0{value}\u00a0» (ligne {line}) est une date "
            "antérieure à 1583, d'un calendrier autre que celui avec lequel Dataverse lit les dates\u00a0: "
            "les dates de la colonne restent telles quelles.",
        )
    en_order, fr_order = {
        "dmy": ("day/month/year", "jour/mois/année"),
        "mdy": ("month/day/year", "mois/jour/année"),
        "ymd": ("year/month/day", "année/mois/jour"),
    }[order]
    return LeftAsIs(
        "iso-date",
        name,
        f"Column {column + 1} “{name}”: “{value}” (line {line}) is not a date read {en_order}, so the "
        "column's dates stay as written; correct it and run fix again to write them yyyy-mm-dd.",
        f"Colonne {column + 1} «\u00a0{name}\u00a0»\u00a0: «\u00a0{value}\u00a0» (ligne {line}) n'est pas "
        f"une date lue {fr_order}, les dates de la colonne restent donc telles quelles\u202f; "
        "corrigez-la et relancez fix pour les écrire aaaa-mm-jj.",
    )


def _fast_fix(
    path: Path, pending: PendingOutput, facts: FileFacts, plan: Plan, reading: Reading, options: FixOptions
) -> tuple[Rewrite, Verification] | None:
    """The vectorised rewrite and verification when the table is regular (fix/fast.py), else None:
    the exact path rewrites the file from the start."""
    from tabcheck.fix import fast

    why = fast.not_regular(facts, plan, reading, options.flatten_newlines) if options.fast else "not asked"
    if why is None:
        cpu = time.process_time()
        try:
            done, verification = fast.fix(path, pending.path, plan, reading, facts, options.progress)
        except fast.NotRegular as e:
            why = str(e)
            reading.bom, reading.bytes_high = False, 0
        except OSError:
            raise
        except Exception as e:  # noqa: BLE001 - the exact path is the reference: it reads every file
            why = f"internal: {type(e).__name__}: {e}"[:300]
            reading.bom, reading.bytes_high = False, 0
        else:
            options.record.update(
                path="fast",
                loops=f"{done.looped}/{len(done.cuts)} chunks rewritten, {done.verified_by_loop} verified",
                rewrite=done.rewrite_seconds,
                verify=done.verify_seconds,
                **{"rewrite+verify": done.wall_seconds, "rewrite+verify cpu": time.process_time() - cpu},
            )
            return done.rw, verification
    options.record["path"] = f"exact ({why})"
    return None


def _left_ambiguous(facts: FileFacts, column: int, ev: NumberConvention) -> LeftAsIs:
    """A decimal column whose numbers do not say which mark is decimal: left as written, whole (the
    rest of the file is fixed), still to fix by hand."""
    name = _column_name(facts, column)
    a, b = ev.conflict()
    if "comma" not in ev.kinds and "point" not in ev.kinds:
        # Only numbers such as 1,234 or 2.500: nothing in the column says which mark is decimal.
        decimal, plain = two_readings(a)
        en = (
            f"Column {column + 1} “{name}”: “{a}” may be {decimal} or {plain}, and no "
            "number of the column says which mark is the decimal one: the column stays as written. "
            "Write them one way by hand (3,125 as 3.125, or 3125 without a separator)."
        )
        fr = (
            f"Colonne {column + 1} «\u00a0{name}\u00a0»\u00a0: «\u00a0{a}\u00a0» peut valoir "
            f"{decimal} ou {plain}, et aucun nombre de la colonne ne dit quel signe est "
            "décimal\u00a0: la colonne reste telle quelle. Écrivez-les d'une seule façon à la main "
            "(3,125 en 3.125, ou 3125 sans séparateur)."
        )
    else:
        en = (
            f"Column {column + 1} “{name}”: the numbers do not agree on one convention (“{a}” and “{b}”): "
            "which mark is the decimal one cannot be known, so the column stays as written. Write them "
            "one way by hand."
        )
        fr = (
            f"Colonne {column + 1} «\u00a0{name}\u00a0»\u00a0: les nombres ne suivent pas une seule "
            f"convention («\u00a0{a}\u00a0» et «\u00a0{b}\u00a0»)\u00a0: on ne peut pas savoir quel signe est "
            "décimal, la colonne reste donc telle quelle. Écrivez-les d'une seule façon à la main."
        )
    return LeftAsIs("decimal-point", name, en, fr, code="TC401", blocker=True)


def _column_name(facts: FileFacts, column: int) -> str:
    """The column's name in the output (two columns named alike are told apart there)."""
    view = facts.table.user if facts.table is not None else None
    if view is not None and view.header is not None and column < len(view.header):
        return name_header(view.header)[0][column]
    return str(column + 1)


def _record(
    manifest: FileManifest,
    rw: Rewrite,
    reading: Reading,
    facts: FileFacts,
    target: Path,
    notes: Path | None,
) -> None:
    """The declared transformations, with counts and samples, into the manifest."""
    if reading.codec not in ("utf-8", "ascii") or reading.errors == MIXED_STRICT:
        t = manifest.transformation("transcode")
        t.add(manifest.encoding or reading.codec, "utf-8", n=0)
        t.count = reading.bytes_high
    if reading.bom:
        manifest.transformation("drop-bom").add("BOM", "", n=1)
    if reading.delimiter != ",":
        t = manifest.transformation("comma-delimiter")
        t.add(_shown(reading.delimiter), "','", n=0)
        t.count = rw.rows
    manifest.left.extend(rw.left)
    for (name, column), n in rw.per_column.items():
        where = None if column is None else _column_name(facts, column)
        t = manifest.transformation(name, where)
        for before, after in rw.examples.get((name, column), []):
            t.add(before, after, n=0)
        if name == "move-notes" and notes is not None:
            t.examples = [(b, notes.name) for b, _ in t.examples]
        t.count += n
