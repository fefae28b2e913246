"""A second, streaming pass over a CSV/TSV file predicted `ingested`: each variable's values as
Dataverse stores them, then their UNF and summary statistics.

What Dataverse stores (CSVFileReader writes a .tab file, TabularSubsetGenerator reads it back):

- integer: the value as written, read by Long.parseLong; `null` is written `0`; empty and values
  beyond 64 bits are missing.
- continuous: empty and `NA` are missing; `NaN` is written `NaN`, then lowercased and not read back
  (missing); `Inf`/`+Inf`/`-Inf` are infinities; `null` (any case) is 0.0; any other value is
  lowercased and read by Double.parseDouble (`Infinity` written in full is then missing).
- character: wrapped in quotes with `"`, LF and TAB escaped, then read back: backslash sequences
  already in the value are unescaped on the way (`\\t` becomes a TAB, `\\\\` one backslash); an
  empty value is the empty string, not a missing value.
- date and time: quotes at both ends dropped; empty is missing; the UNF library then writes dates
  `yyyy-MM-dd` and date-times `yyyy-MM-ddTHH:mm:ss` (UTC with `Z` when the values carry a zone).

Reading, in chunks of whole records so that memory stays bounded: a CSV file whose quoting is
regular by polars (every column as text, invalid UTF-8 replaced as Java's decoder does); a TSV file
as Dataverse's TDF reader reads it (empty lines skipped, Java's whitespace trimmed around unquoted
values only): polars splits the chunks whose quotes enclose no tab or line break, tabcheck's exact
splitter the others; a file whose quoting is irregular (text after a closing quote, a quote left
open, CR line ends) by the exact splitter, as Dataverse 6.8 reads it. Statistics spill to disk past
their budget (see stats.py). When the re-read does not find the predicted number of observations,
no codebook is given.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tabcheck.codebook.stats import NumericStats, memory_budget
from tabcheck.codebook.unf import VariableUnf, combine, normalised_dates
from tabcheck.dataverse import javatext as jt
from tabcheck.scan.records import TDF_BLANKS, RecordSplitter, RecordTooWide

CHUNK_BYTES = 16 << 20  # the chunks of whole records read when the quoting is regular (8 MB: 14 % slower)
# polars' reading of the values: all text, as Java's decoder reads invalid UTF-8.
_AS_TEXT: dict[str, Any] = {
    "infer_schema": False,
    "quote_char": '"',
    "encoding": "utf8-lossy",
    "empty_string_is_null": False,
    "raise_if_empty": False,
}
THREADS = min(2, os.cpu_count() or 1)  # variables fed side by side
NUMERIC = ("integer", "continuous")
_JAVA_DOUBLE = re.compile(jt.DOUBLE_RE)


@dataclass
class ColumnCodebook:
    name: str
    type: str
    unf: str | None = None
    stats: dict[str, str] | None = None


@dataclass
class FileCodebook:
    columns: list[ColumnCodebook] = field(default_factory=list)
    unf: str | None = None
    observations: int = 0
    note: str | None = None  # why no codebook could be predicted


def java_parse_double(s: str) -> float | None:
    """Double.parseDouble, None where Java throws NumberFormatException."""
    t = s.strip(jt.JAVA_TRIM)
    if not _JAVA_DOUBLE.match(t):
        return None
    if t[-1] in "fFdD":  # the grammar was checked: a last f or d is the type suffix
        t = t[:-1]
    body = t.lstrip("+-")
    if body in ("NaN", "Infinity"):
        v = float("nan") if body == "NaN" else float("inf")
        return -v if t.startswith("-") else v
    if body[:2].lower() == "0x":
        return float.fromhex(t)
    return float(t)


def _unescape(value: str | None) -> str | None:
    """What TabularSubsetGenerator reads back from a value written as it is (no backslash added)."""
    if value is None or "\\" not in value:
        return value
    tokens = value.split("\\\\")
    tokens = [
        t.replace('\\"', '"').replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r") for t in tokens
    ]
    return "\\".join(tokens)


def _stored_text(values: pl.Series) -> pl.Series:
    odd = values.str.contains("\\", literal=True).fill_null(False)
    if not odd.any():
        return values
    idx = odd.arg_true()
    return values.scatter(idx, [_unescape(v) for v in values.gather(idx).to_list()])


def stored_integers(raw: pl.Series, cast: pl.Series | None = None) -> pl.Series:
    """`cast`: raw already cast (non-strict) to Int64, by the typer."""
    out = raw.cast(pl.Int64, strict=False) if cast is None else cast
    if out.null_count():
        odd = out.is_null().arg_true()
        out = out.scatter(odd, raw.gather(odd).replace("null", "0").cast(pl.Int64, strict=False))
    return out


def stored_doubles(raw: pl.Series, cast: pl.Series | None = None) -> pl.Series:
    """`cast`: raw already cast (non-strict) to Float64, by the typer."""
    # Plain numbers first (polars' parser); the rest (tokens, missing, Java's own forms) after.
    out = raw.cast(pl.Float64, strict=False) if cast is None else cast
    with np.errstate(invalid="ignore"):
        odd = np.flatnonzero(~np.isfinite(out.to_numpy()))  # missing (NaN there), NaN or infinite
    if len(odd):
        rest = raw.gather(odd)
        if (rest == "").all():
            return out  # empty values only: missing, as the cast left them
        out = out.scatter(odd, _odd_doubles(rest))
    return out


def _odd_doubles(raw: pl.Series) -> pl.Series:
    low = raw.str.to_lowercase()
    frame = low.to_frame("v")
    v = pl.col("v")
    plain = ~v.str.contains("[in]") & (v != "")
    out = frame.select(
        pl.when(v.is_in(["inf", "+inf"]))
        .then(float("inf"))
        .when(v == "-inf")
        .then(float("-inf"))
        .when(v == "null")
        .then(0.0)
        .when(plain)
        .then(v.cast(pl.Float64, strict=False))
        .otherwise(None)
        .alias("x")
    ).to_series()
    odd = frame.select((plain & v.cast(pl.Float64, strict=False).is_null()).arg_true()).to_series()
    if odd.len():
        out = out.scatter(odd, [java_parse_double(s) for s in low.gather(odd).to_list()])
    return out


def _stored_dates(raw: pl.Series, kind: str, time_format: str | None) -> pl.Series:
    v = raw.str.strip_chars('"')
    v = pl.select(pl.when(v == "").then(None).otherwise(v)).to_series() if v.len() else v
    return normalised_dates(_stored_text(v), kind, time_format)


class _Variable:
    def __init__(self, name: str, type_: str, budget: int, candidates: int | None = None):
        self.name, self.type = name, type_
        numeric = type_ in NUMERIC
        self.unf = VariableUnf("numeric" if numeric else "character")
        self.stats = NumericStats(budget, candidates) if numeric else None
        self.time_format: str | None = None

    def add(self, raw: pl.Series, cast: pl.Series | None = None) -> None:
        """A chunk of raw values; `cast`: the same values cast by the typer (Int64 or Float64),
        used when it is the cast this variable's type makes."""
        if self.type == "integer":
            x = stored_integers(raw, cast if cast is not None and cast.dtype == pl.Int64 else None)
        elif self.type == "continuous":
            x = stored_doubles(raw, cast if cast is not None and cast.dtype == pl.Float64 else None)
        elif self.type == "date" and self.unf.add_plain_dates(raw):
            return
        elif self.type in ("date", "time"):
            if self.type == "time" and self.time_format is None:
                first = raw.filter(raw != "").head(1).to_list()
                if first:
                    self.time_format = jt.time_format(first[0].strip('"'))
            x = _stored_dates(raw, self.type, self.time_format)
        elif self.unf.add_plain_text(raw):
            return
        else:
            x = _stored_text(raw)
        self.add_stored(x)

    def add_stored(self, x: pl.Series) -> None:
        """Values as Dataverse reads them back from its .tab file (numbers or text; null: missing)."""
        if self.stats is not None:
            self.stats.add(x)
            self.unf.add_numbers(x)
        else:
            self.unf.add_strings(x)

    def result(self) -> ColumnCodebook:
        stats = None
        if self.stats is not None:
            stats = self.stats.result() if self.unf.count else None
            self.stats.close()
        return ColumnCodebook(self.name, self.type, self.unf.result(), stats)


def variables_for(columns: list[tuple[str, str]]) -> list[_Variable]:
    """The variables (name, type) to feed, the memory budget shared by the numeric ones. Their
    results are computed THREADS at a time, once the values are all in: each may then take a
    quarter of the file's budget (or its own share, when larger) for its median's candidates,
    so that a narrow range of values (a whole column between 36 and 38) needs no selection passes
    over a spilled store. At most 1.5 times the budget in all."""
    total = memory_budget()
    budget = total // max(1, sum(t in NUMERIC for _, t in columns))
    candidates = max(budget, total // (2 * THREADS))
    return [_Variable(n, t, budget, candidates) for n, t in columns]


def codebook_for_csv(
    path: Path,
    columns: list[tuple[str, str]],
    delimiter: str,
    trim: bool,
    observations: int | None,
    on_batch: Callable[[int], None] | None = None,
    regular_quoting: bool = False,
    quoted_breaks: bool = True,
) -> FileCodebook:
    """The codebook of a CSV/TSV file whose variables (name, type) Dataverse will create.

    `regular_quoting` (the scan found no text after a closing quote, no quote left open, and LF or
    CRLF line ends): the file is read in chunks of whole records, in bounded memory, cut at every
    line end when no value holds a line break (`quoted_breaks` False), else where the structural
    pass says; a TSV file (`trim`) as Dataverse's TDF reader reads it (`_tsv_frames`). Otherwise,
    or when a record turns out irregular, tabcheck's exact splitter reads the file as Dataverse
    6.8's lenient reader does (text after a closing quote kept, a quote left open running to the
    end), about 6 MB/s.
    """
    if not columns:
        return FileCodebook(note="no variables")
    names = [f"c{i}" for i in range(len(columns))]
    try:
        if regular_quoting:
            frames = (
                _tsv_frames(path, names, quoted_breaks)
                if trim
                else _chunk_frames(path, delimiter, names, quoted_breaks)
            )
            try:
                return _read_book(frames, columns, observations, on_batch)
            except _Irregular:
                pass
        return _read_book(_split_file(path, delimiter, trim, names), columns, observations, on_batch)
    except RecordTooWide:
        return FileCodebook(note="the re-read failed: RecordTooWide")


def _read_book(
    batches: Iterator[pl.DataFrame],
    columns: list[tuple[str, str]],
    observations: int | None,
    on_batch: Callable[[int], None] | None,
) -> FileCodebook:
    """The variables fed with the batches of values, in row order."""
    book = FileCodebook()
    variables = variables_for(columns)
    width = len(columns)
    rows = 0
    pool = ThreadPoolExecutor(max_workers=THREADS)
    try:
        for batch in batches:
            if batch.width != width:
                book.note = f"the re-read found {batch.width} columns, not {width}"
                return book
            batch = batch.select(pl.col(c).fill_null("") for c in batch.columns)
            columns_of = [batch[name] for name in batch.columns]
            # Each variable on its own: numpy, polars and hashlib release the GIL on whole chunks.
            list(pool.map(_Variable.add, variables, columns_of))
            rows += batch.height
            if on_batch:
                on_batch(rows)
    except (pl.exceptions.PolarsError, OSError) as e:
        book.note = f"the re-read failed: {type(e).__name__}"
        return book
    finally:
        results = list(pool.map(_Variable.result, variables))  # the statistics' passes side by side
        pool.shutdown()
    if observations is not None and rows != observations:
        book.note = f"the re-read found {rows} observations, not {observations}"
        return book
    return finished(results, rows)


def finished(results: list[ColumnCodebook], rows: int) -> FileCodebook:
    """The file's codebook from its variables' (the file UNF when every variable has one)."""
    unfs = [c.unf for c in results]
    unf = combine([u for u in unfs if u is not None]) if all(u is not None for u in unfs) else None
    return FileCodebook(columns=results, unf=unf, observations=rows)


class _Irregular(Exception):
    """A record the quotes alone cannot delimit: the exact splitter reads the file instead."""


def _record_chunks(path: Path, delimiter: str, quoted_breaks: bool, trim: bool = False) -> Iterator[bytes]:
    """The file in chunks of about CHUNK_BYTES, each ending after a record's line break.

    A chunk without quotes and line breaks inside them ends at its last line break; otherwise the
    vectorised structural pass tells the line breaks outside quotes, and `_Irregular` is raised
    at a quote Commons CSV reads otherwise than quote parity (a quote inside a value, text after a
    closing quote) or a CR alone: polars would split such records otherwise than Dataverse.
    """
    db = delimiter.encode()
    pending = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(max(CHUNK_BYTES, len(pending)))  # a long record: doubling, not rescanning
            buf = pending + block if pending else block
            checked = quoted_breaks or b'"' in buf
            if not block:  # the file's last records: all of them regular, or the splitter reads the file
                if buf and checked and (_irregular_at(buf, db, trim)[1] < len(buf) or buf.count(b'"') % 2):
                    raise _Irregular
                if buf:
                    yield buf
                return
            if checked:
                end, odd = _irregular_at(buf, db, trim)
                if end == 0 and odd < len(buf) - 2:  # an irregular record, not a cut CRLF or quote
                    raise _Irregular
            else:
                end = buf.rfind(b"\n") + 1
            if end == 0:
                pending = buf  # one record longer than the chunk: read on
                continue
            yield buf[:end]
            pending = buf[end:]


def _irregular_at(buf: bytes, db: bytes, trim: bool) -> tuple[int, int]:
    """scan.structure.last_record_end (numpy: loaded only for chunks with quotes)."""
    from tabcheck.scan.structure import last_record_end

    return last_record_end(buf, db, trim)


def _chunk_frames(
    path: Path, delimiter: str, names: list[str], quoted_breaks: bool
) -> Iterator[pl.DataFrame]:
    """polars' values of each chunk of whole records, read one chunk ahead in a thread."""
    schema = dict.fromkeys(names, pl.String)

    def parse(chunk: bytes, first: bool) -> pl.DataFrame:
        named: dict[str, Any] = {"new_columns": names} if first else {"schema": schema}
        return pl.read_csv(io.BytesIO(chunk), separator=delimiter, has_header=first, **named, **_AS_TEXT)

    with ThreadPoolExecutor(max_workers=1) as reader:
        ahead: Future[pl.DataFrame] | None = None
        for k, chunk in enumerate(_record_chunks(path, delimiter, quoted_breaks)):
            job = reader.submit(parse, chunk, k == 0)
            if ahead is not None:
                yield ahead.result()
            ahead = job
        if ahead is not None:
            yield ahead.result()


# -- TSV, and irregular files: Dataverse's own reading ------------------------------------------
# Commons CSV's TDF format skips empty lines, trims Java's whitespace around unquoted values (not
# only spaces and tabs) and unquotes quoted values without trimming their inside: polars keeps the
# empty lines and cannot tell a quoted value from an unquoted one once read.
_QUOTED_WHOLE = r'^"(?:[^"]|"")*"$'
_LONE_CR = re.compile(rb"\r(?!\n)")
SPLIT_BYTES = 1 << 20  # text fed to the exact splitter at a time (its records are Python lists)


def _tsv_frames(path: Path, names: list[str], quoted_breaks: bool) -> Iterator[pl.DataFrame]:
    """The values of a TSV file whose quoting is regular, in chunks of whole records, the header
    left out: polars splits a chunk whose quotes enclose no tab or line break (`_plain_tsv`), the
    exact splitter the others (`_split_tsv`); _Irregular as `_record_chunks`."""
    header = True
    for chunk in _record_chunks(path, "\t", quoted_breaks, trim=True):
        df = _plain_tsv(chunk, names)
        if df is None:
            df = _split_tsv(chunk, names)
        if header and df.height:
            df, header = df.slice(1), False
        yield df


def _plain_tsv(data: bytes, names: list[str]) -> pl.DataFrame | None:
    """The records of a chunk (whole records) as the TDF reader gives them, split by polars; None
    when quotes enclose a tab or a line break, a CR stands alone, a quoted value does not end at
    its closing quote, or a record has another width: the exact splitter reads the chunk then."""
    if _LONE_CR.search(data):
        return None
    if b'"' in data:
        import numpy as np

        from tabcheck.scan.structure import quoted_positions

        b = np.frombuffer(data, dtype=np.uint8)
        quotes = np.flatnonzero(b == ord('"'))
        if len(quotes) % 2 or any(len(quoted_positions(b, quotes, x)) for x in b"\t\n\r"):
            return None
    data = _without_empty_lines(data)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    if data.count(b"\t") != (len(names) - 1) * lines:
        return None
    try:
        df = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator="\t",
            quote_char=None,
            schema=dict.fromkeys(names, pl.String),
            encoding="utf8-lossy",
            raise_if_empty=False,
        ).fill_null("")
    except pl.exceptions.PolarsError:  # records whose widths compensate (a tab short, one more)
        return None
    if df.height != lines:
        return None
    df = df.with_columns(pl.col(names[-1]).str.strip_suffix("\r")).select(
        pl.col(n).str.strip_chars(TDF_BLANKS) for n in names
    )
    quoted = [
        n for n, has in zip(names, df.select(pl.all().str.starts_with('"').any()).row(0), strict=True) if has
    ]
    if not quoted:
        return df
    v = pl.col("v")
    for n in quoted:
        if (
            not df.select(pl.col(n).alias("v"))
            .select((~v.str.starts_with('"') | v.str.contains(_QUOTED_WHOLE)).all())
            .item()
        ):
            return None
    return df.with_columns(
        pl.when(pl.col(n).str.starts_with('"'))
        .then(pl.col(n).str.slice(1, pl.col(n).str.len_chars() - 2).str.replace_all('""', '"', literal=True))
        .otherwise(pl.col(n))
        .alias(n)
        for n in quoted
    )


def _without_empty_lines(data: bytes) -> bytes:
    """A chunk of whole lines without its empty ones (the TDF reader skips them)."""
    if not (data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data):
        return data
    lines = data.split(b"\n")
    last = lines.pop()  # after the last LF: b"" when the chunk ends a line
    kept = [x for x in lines if x not in (b"", b"\r")]
    return b"".join(x + b"\n" for x in kept) + (last if last.strip(b"\r") else b"")


def _split_tsv(data: bytes, names: list[str]) -> pl.DataFrame:
    """The records of a chunk of whole records, by the exact splitter."""
    splitter = RecordSplitter("\t", skip_empty_lines=True, trim=True)
    records = splitter.feed(data.decode("utf-8", errors="replace")) + splitter.finish()
    return _rows_frame([r.fields for r in records if not r.blank], names)


def _split_file(path: Path, delimiter: str, trim: bool, names: list[str]) -> Iterator[pl.DataFrame]:
    """The values of a file whose quoting is irregular (a quote left open, text after a closing
    quote, CR line ends), by the exact splitter, as Dataverse 6.8 reads them (TSV: `trim`, empty
    lines skipped; CSV: an empty line is a record); the header left out."""
    splitter = RecordSplitter(delimiter, skip_empty_lines=trim, trim=trim)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    header = True
    with open(path, "rb") as fh:
        while True:
            block = fh.read(SPLIT_BYTES)
            records = splitter.feed(decoder.decode(block, final=not block))
            if not block:
                records += splitter.finish()
            rows = [r.fields for r in records if not (trim and r.blank)]
            if header and rows:
                rows, header = rows[1:], False
            if rows:
                yield _rows_frame(rows, names)
            if not block:
                return


def _rows_frame(rows: list[list[str]], names: list[str]) -> pl.DataFrame:
    """Records as a frame of the variables' width: a record of another width is padded or cut (the
    number of observations or the types then tell the prediction was not this file's)."""
    return pl.DataFrame(
        {n: [r[i] if i < len(r) else "" for r in rows] for i, n in enumerate(names)},
        schema=dict.fromkeys(names, pl.String),
    )


def codebook_for_path(path: str | Path) -> FileCodebook:
    """Check one CSV/TSV file, then predict its codebook (tests and the API)."""
    from tabcheck.checker import Settings, check_file

    report = check_file(Path(path), Settings())
    pred = report.dataverse
    assert pred is not None and pred.columns is not None, "the file is not predicted ingested"
    delimiter = "\t" if report.format in ("tsv", "tab") else ","
    return codebook_for_csv(
        Path(path),
        [(c.name, c.type) for c in pred.columns],
        delimiter,
        trim=delimiter == "\t",
        observations=pred.observations,
    )
