"""The vectorised path of `tabcheck fix` for regular text tables: the same output, at disk speed.

Used only when the author's view is regular (fix/csvfix.py says when): every record as wide as the
header, one line per record, quotes only around whole values, nothing to drop or move. The file is
read in bounded chunks cut at line ends; each chunk is decoded strictly in the author's encoding
(Python codecs), split by polars, changed by polars expressions that make the same declared
transformations as the exact path (`Rewriter`), and written with the same quoting as Python's csv
writer. Every transformation is counted with its first samples exactly as the exact path counts
them, so the manifest is the same. Anything the chunk shows that is not regular (a lone CR, a quote
inside a value, a record of another width, a byte the encoding cannot read, numbers that do not
agree on one convention) raises `NotRegular`: the exact path then rewrites the file from the start,
and refuses it as it always did.

`verify` re-reads the source and the output chunk by chunk, parses the source again without the
rewrite's parser (quote-free chunks: polars with no quote handling and byte counts of delimiters and
lines; quoted chunks: quote parity over each line), and compares every cell: equal, or changed as a
declared transformation says, each checked by its own expression (a decimal conversion keeps every
digit, the sign, the padding and the decimals). Counts must equal the rewrite's, the records the
check's own splitter counted, and the transcoding must give back the original bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tabcheck.facts import FileFacts
from tabcheck.fix.csvfix import MIXED_STRICT, Reading, Rewrite
from tabcheck.fix.manifest import MAX_EXAMPLES, Verification
from tabcheck.fix.repairs import _GROUP_CHARS, _KINDS, Plan

CHUNK = 8 << 20  # bytes of source per chunk (cut at a line end): memory stays flat in file size
_HIGH = bytes(range(128, 256))
_NULL = r"^(?i:null)$"
# 12,5 (the exact path's common case, `12,` included): a decimal comma, or the ambiguous 1,234
_COMMON = r"^[0-9]+,[0-9]*$"
_AMBIGUOUS_COMMON = r"^[0-9]{1,3},[0-9]{3}$"
_DIGITS = r"^[0-9]+$"
_QUOTED = r'"(?:[^"]|"")*"'
_PLACEHOLDERS = "\x00\x1f\x1e\x1d\x1c\ue000\ue001\ue002"


class NotRegular(Exception):
    """The file is not (or no longer) one the vectorised path rewrites as the exact path would."""


# -- when the fast path applies -------------------------------------------------------------------


@cache
def _ascii_compatible(codec: str) -> bool:
    """Each byte is one character, ASCII bytes are ASCII (UTF-8 too: its bytes < 0x80 are ASCII and
    never inside a longer character), so lines, quotes and delimiters can be found in the bytes."""
    if codec in ("utf-8", "ascii"):
        return True
    if codec.startswith(("utf-16", "utf-32", "utf-7")):
        return False
    for b in range(256):
        try:
            ch = bytes([b]).decode(codec)
        except UnicodeDecodeError:
            continue  # an undefined byte: refused when met (by the exact path)
        except Exception:  # noqa: BLE001 - a multi-byte codec wants more bytes
            return False
        if len(ch) != 1 or (b < 0x80 and ch != chr(b)) or (b >= 0x80 and ord(ch) < 0x80):
            return False
    return True


def not_regular(facts: FileFacts, plan: Plan, reading: Reading) -> str | None:
    """Why the vectorised path cannot rewrite this file (None: it can; each chunk checks again)."""
    table = facts.table
    view = table.user if table is not None else None
    if table is None or view is None or view.header is None or table.reading is None:
        return "no author's view"
    width = len(view.header)
    if width < 2:
        return "one column"
    if table.reading.preamble_lines or plan.title_lines or plan.note_lines or plan.moved_rows:
        return "lines to move"
    if set(view.field_counts) - {width} or view.ragged.count or view.first_mismatch is not None:
        return "records of another width"
    if view.blank_lines.count or view.whitespace_lines.count:
        return "blank lines"
    if view.quoted_lf.count or view.quoted_cr.count:
        return "line breaks in values"
    if view.unclosed_quote.count or view.bad_quoting.count:
        return "quote anomalies"
    if table.line_ending not in ("LF", "CRLF", None):
        return f"{table.line_ending} line ends"
    d = reading.delimiter
    if len(d) != 1 or not d.isascii() or d in '"\r\n':
        return "delimiter"
    if not _ascii_compatible(reading.codec):
        return f"encoding {reading.codec}"
    return None


# -- chunks ---------------------------------------------------------------------------------------


def _chunks(fh: BinaryIO, size: int, progress: Callable[[int, int], None] | None) -> Iterator[bytes]:
    """The file in pieces of about CHUNK bytes, each ending at a line end (the last one maybe not)."""
    carry = b""
    done = 0
    while True:
        block = fh.read(CHUNK)
        done += len(block)
        if not block:
            if carry:
                yield carry
            return
        buf = carry + block if carry else block
        cut = buf.rfind(b"\n") + 1
        if cut == 0:
            carry = buf  # a line longer than a chunk: read on
            continue
        carry = buf[cut:]
        yield buf[:cut]
        if progress is not None:
            progress(done, size)


def _decode(chunk: bytes, reading: Reading, first: bool) -> tuple[str, bytes, bool]:
    """(text, the text in UTF-8, BOM dropped): strictly, as the exact path decodes; NotRegular on an
    undecodable byte."""
    try:
        text = chunk.decode(reading.codec, reading.errors)
    except UnicodeDecodeError as e:
        raise NotRegular("undecodable byte") from e
    bom = first and text.startswith("\ufeff")
    if bom:
        text = text[1:]
    if reading.codec == "utf-8" and reading.errors == "strict":
        return text, chunk[3:] if bom else chunk, bom  # strictly UTF-8 already
    return text, text.encode("utf-8"), bom


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _schema(width: int) -> dict[str, type[pl.DataType]]:
    return {f"c{i}": pl.String for i in range(width)}


def _class(ch: str) -> str:
    """`ch` as a regex character-class member."""
    return "\\" + ch if ch in "\\]^-[" else ch


def _well_formed(d: str) -> str:
    """A line of fields, each unquoted without any quote, or quoted whole with quotes doubled."""
    c = _class(d)
    one = f'(?:[^"{c}]*|"(?:[^"]|"")*")'
    return f"^{one}(?:[{c}]{one})*$"


def _line_series(data: bytes, n: int) -> pl.Series:
    """The lines of a chunk (UTF-8 bytes) as they are, CRs of CRLF dropped."""
    sep = next((chr(b) for b in b"\x1f\x1e\x1d\x1c\x01\x02\x03\x04" if bytes([b]) not in data), None)
    if sep is None:
        lines = data.decode("utf-8").split("\n")
        if data.endswith(b"\n"):
            lines.pop()
        return pl.Series("l", lines, dtype=pl.String).str.strip_suffix("\r")
    lines = pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator=sep,
        quote_char=None,
        schema={"l": pl.String},
        raise_if_empty=False,
    )["l"].fill_null("")
    if lines.len() != n:
        raise NotRegular("polars read another number of lines")
    return lines.str.strip_suffix("\r")


def _check_lines(data: bytes, d: str, width: int) -> int:
    """The number of records of a chunk (its text in UTF-8); NotRegular unless each is one line of
    `width` fields, quoted values quoted whole."""
    n = _lines(data)
    if data.count(b"\r") != data.count(b"\r\n"):
        raise NotRegular("a CR alone")
    if b'"' not in data:
        if data.count(d.encode()) != (width - 1) * n:
            raise NotRegular("a record of another width")
        return n
    lines = _line_series(data, n)
    has = lines.str.contains('"', literal=True)
    quoted, plain = lines.filter(has), lines.filter(~has)
    if not quoted.str.contains(_well_formed(d)).all():
        raise NotRegular("a quote inside a value")
    fields = pl.concat(
        [
            plain.str.count_matches(d, literal=True),
            quoted.str.replace_all(_QUOTED, "").str.count_matches(d, literal=True),
        ]
    )
    if (fields != width - 1).any():
        raise NotRegular("a record of another width")
    return n


def _read(data: bytes, d: str, width: int, n: int) -> pl.DataFrame:
    """A chunk's fields, all text, empty values empty (polars reads them as null)."""
    try:
        df = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=d,
            quote_char='"',
            schema=_schema(width),
            raise_if_empty=False,
        )
    except Exception as e:
        raise NotRegular(f"polars: {e}") from e
    if df.height != n:
        raise NotRegular("polars read another number of records")
    return df.fill_null("")


# -- the rewrite ----------------------------------------------------------------------------------


def _comma_number(s: pl.Expr) -> pl.Expr:
    """convert_number(value, "comma"), vectorised: padding kept, separators dropped, `,` → `.`."""
    lead = s.str.extract(r"^([ \t]*)", 1)
    trail = s.str.extract(r"([ \t]*)$", 1)
    core = s.str.strip_chars(" \t")
    for ch in _GROUP_CHARS:
        core = core.str.replace_all(ch, "", literal=True)
    return pl.concat_str([lead, core.str.replace_all(",", ".", literal=True), trail])


def _kind(s: pl.Expr) -> pl.Expr:
    """number_kind(value), vectorised: the first of the kinds whose grammar matches, else null."""
    expr: pl.Expr | None = None
    chain = None
    for name, pattern in _KINDS:
        cond = s.str.contains(pattern.pattern)
        chain = pl.when(cond).then(pl.lit(name)) if chain is None else chain.when(cond).then(pl.lit(name))
    assert chain is not None
    expr = chain.otherwise(pl.lit(None, dtype=pl.String))
    return expr


def _quoted(s: pl.Expr) -> pl.Expr:
    """The value as Python's csv writer writes it (QUOTE_MINIMAL, `,`, LF): quoted when it holds a
    comma, a quote or a LF (never the case here) — a lone CR is not quoted by it, and never met here."""
    need = s.str.contains(r'[,"\n]')
    return (
        pl.when(need)
        .then(pl.concat_str([pl.lit('"'), s.str.replace_all('"', '""', literal=True), pl.lit('"')]))
        .otherwise(s)
    )


@dataclass
class _Tally:
    """One (transformation, column): its count, first samples and first row (for the manifest order)."""

    count: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)
    first_row: int = -1

    def take(self, before: pl.Series, after: pl.Series, changed: pl.Series, row0: int) -> None:
        n = int(changed.sum())
        if not n:
            return
        if self.first_row < 0:
            self.first_row = row0 + int(changed.arg_max() or 0)
        self.count += n
        if len(self.examples) < MAX_EXAMPLES:
            pairs = pl.DataFrame({"b": before.filter(changed), "a": after.filter(changed)})
            for b, a in pairs.unique(maintain_order=True).head(MAX_EXAMPLES).iter_rows():
                if len(self.examples) < MAX_EXAMPLES and (b, a) not in self.examples:
                    self.examples.append((b, a))


@dataclass
class FastRewrite:
    rw: Rewrite
    cuts: list[tuple[int, int, int]]  # per chunk: source bytes, output bytes, records
    seconds: float = 0.0  # the rewrite's wall time
    seconds_verify: float = 0.0


def rewrite(
    path: Path, out: BinaryIO, plan: Plan, reading: Reading, progress: Callable[[int, int], None] | None
) -> FastRewrite:
    """Rewrite `path` into `out` as `Rewriter.run` would with the comma convention; NotRegular when
    the file is not regular or a decimal column is not all commas (the exact path decides then)."""
    t0 = time.perf_counter()
    decimal = sorted(plan.decimal_columns)
    nulls = sorted(plan.null_columns - plan.decimal_columns)
    order = {c: i for i, c in enumerate(decimal + nulls)}  # the exact path's order within a row
    tallies: dict[tuple[str, int], _Tally] = {}
    seen: dict[int, set[str]] = {c: set() for c in decimal}  # the kinds each decimal column holds
    d = reading.delimiter
    rw = Rewrite(conventions={c: "comma" for c in decimal})
    cuts: list[tuple[int, int, int]] = []
    width = 0
    high = 0
    rows = 0  # data records before the chunk
    size = path.stat().st_size
    reading.bom = False
    with open(path, "rb") as fh:
        for k, chunk in enumerate(_chunks(fh, size, progress)):
            high += len(chunk) - len(chunk.translate(None, _HIGH))
            _text, data, bom = _decode(chunk, reading, k == 0)
            reading.bom = reading.bom or bom
            before = out.tell()
            if k == 0:
                nl = data.find(b"\n")
                first = data[: nl + 1] if nl >= 0 else data
                line = first.decode("utf-8").removesuffix("\n").removesuffix("\r")
                header = next(csv.reader([line], delimiter=d, quotechar='"', strict=False), [])
                width = rw.width = len(header)
                if width < 2:
                    raise NotRegular("one column")
                _check_lines(first, d, width)
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerow(header)
                out.write(buf.getvalue().encode("utf-8"))
                data = data[len(first) :]
                if not data:
                    cuts.append((len(chunk), out.tell() - before, 1))
                    continue
            n = _check_lines(data, d, width)
            df = _read(data, d, width, n)
            new: dict[str, pl.Series] = {}
            for c in decimal:
                new[f"c{c}"] = _decimal_column(df[f"c{c}"], c, c in plan.null_columns, rows, seen[c], tallies)
            for c in nulls:
                s = df[f"c{c}"]
                hit = s.str.contains(_NULL)
                if hit.any():
                    after = pl.select(pl.when(hit).then(pl.lit("")).otherwise(s)).to_series()
                    tallies.setdefault(("empty-null", c), _Tally()).take(s, after, hit, rows)
                    new[f"c{c}"] = after
            if new:
                df = df.with_columns(**new)
            df.select(_quoted(pl.col(c)).alias(c) for c in df.columns).write_csv(
                out, include_header=False, separator=",", quote_style="never", line_terminator="\n"
            )
            rows += n
            cuts.append((len(chunk), out.tell() - before, n + (1 if k == 0 else 0)))
    if width == 0:
        raise NotRegular("no header")
    for c, kinds in seen.items():
        if "comma" not in kinds and kinds & {"ambiguous-comma", "ambiguous-point"}:
            raise NotRegular(f"column {c + 1}: ambiguous numbers")
    rw.rows = rows + 1
    reading.bytes_high = high
    for (name, c), t in sorted(tallies.items(), key=lambda kv: (kv[1].first_row, order[kv[0][1]])):
        if t.count:
            rw.per_column[(name, c)] = t.count
            rw.examples[(name, c)] = list(t.examples)
    return FastRewrite(rw, cuts, time.perf_counter() - t0)


def _decimal_column(
    s: pl.Series, c: int, nulls: bool, row0: int, seen: set[str], tallies: dict[tuple[str, int], _Tally]
) -> pl.Series:
    """Rewriter._convert on one decimal column of a chunk (comma convention)."""
    frame = pl.DataFrame({"v": s}).with_columns(
        common=pl.col("v").str.contains(_COMMON),
        skip=(pl.col("v") == "") | pl.col("v").str.contains(_DIGITS),
    )
    common, skip = frame["common"], frame["skip"]
    if common.any():
        ambiguous = s.filter(common).str.contains(_AMBIGUOUS_COMMON)
        if ambiguous.any():
            seen.add("ambiguous-comma")
        if not ambiguous.all():
            seen.add("comma")
    rare = ~(common | skip)
    after = pl.select(pl.when(common).then(s.str.replace(",", ".", literal=True)).otherwise(s)).to_series()
    null_hit = None
    if rare.any():
        idx = rare.arg_true()
        values = s.filter(rare)
        extra = pl.DataFrame({"v": values}).with_columns(
            null=pl.col("v").str.contains(_NULL) if nulls else pl.lit(False),
            kind=_kind(pl.col("v")),
        )
        kinds = set(extra.filter(~pl.col("null"))["kind"].drop_nulls().unique().to_list())
        if "point" in kinds:
            raise NotRegular(f"column {c + 1}: decimal points")
        seen.update(kinds)
        extra = extra.with_columns(
            new=pl.when(pl.col("null"))
            .then(pl.lit(""))
            .when(pl.col("kind").is_not_null() & (pl.col("kind") != "plain"))
            .then(_comma_number(pl.col("v")))
            .otherwise(pl.col("v"))
        )
        after = after.scatter(idx, extra["new"])
        if nulls and extra["null"].any():
            null_hit = pl.Series(values=[False] * s.len(), dtype=pl.Boolean).scatter(
                idx.filter(extra["null"]), True
            )
    changed = after != s
    if null_hit is not None:
        tallies.setdefault(("empty-null", c), _Tally()).take(s, after, null_hit, row0)
        changed = changed & ~null_hit
    tallies.setdefault(("decimal-point", c), _Tally()).take(s, after, changed, row0)
    return after


# -- the verification -----------------------------------------------------------------------------

_DATAVERSE_NUMBER = r"^[ \t]*[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[ \t]*$"
_NUMBER_PARTS = r"^([ \t]*)([+-]?)(.*?)((?:[eE][+-]?[0-9]+)?)([ \t]*)$"
_SEPARATORS = " \u00a0\u202f'."  # verify._decimal_ok's, comma convention


class Mismatch(Exception):
    pass


def _decimal_ok(before: pl.Series, after: pl.Series) -> pl.Series:
    """verify._decimal_ok(before, after, "comma"), vectorised (written apart from the rewrite)."""
    f = pl.DataFrame({"b": before, "a": after})
    simple = f["b"].str.contains(r"^[0-9]*,[0-9]*$") & (f["b"].str.len_chars() > 1)
    ok = simple & (f["a"] == f["b"].str.replace(",", ".", literal=True))
    rest = ~simple
    if not rest.any():
        return ok
    g = f.filter(rest)
    bp = g["b"].str.extract_groups(_NUMBER_PARTS)
    ap = g["a"].str.extract_groups(_NUMBER_PARTS)
    b3, a3 = bp.struct.field("3").fill_null(""), ap.struct.field("3").fill_null("")
    has_mark = b3.str.contains(",", literal=True)
    b_int = pl.select(pl.when(has_mark).then(b3.str.extract(r"^(.*),", 1)).otherwise(b3)).to_series()
    b_dec = pl.select(
        pl.when(has_mark).then(b3.str.extract(r",([^,]*)$", 1)).otherwise(pl.lit(""))
    ).to_series()
    a_int = a3.str.extract(r"^([^.]*)", 1)
    a_dec = a3.str.extract(r"^[^.]*\.(.*)$", 1).fill_null("")
    stripped = b_int
    for ch in _SEPARATORS:
        stripped = stripped.str.replace_all(ch, "", literal=True)
    good = (
        g["a"].str.contains(_DATAVERSE_NUMBER)
        & bp.struct.field("1").is_not_null()
        & ap.struct.field("1").is_not_null()
    ).fill_null(False)
    for part in ("1", "2", "4", "5"):
        good = good & (bp.struct.field(part) == ap.struct.field(part)).fill_null(False)
    good = good & (b_dec == a_dec).fill_null(False)
    good = (
        good
        & (stripped == a_int).fill_null(False)
        & (b_int.str.strip_chars(_SEPARATORS) == b_int).fill_null(False)
    )
    return ok.scatter(rest.arg_true(), good)


def _source_fields(data: bytes, d: str, width: int) -> pl.DataFrame:
    """A source chunk (its text in UTF-8) split again, without the rewrite's parser: quote-free
    chunks by polars with no quote handling, after the delimiters and lines are counted in the
    bytes; the lines holding quotes by quote parity (delimiters between an odd and an even quote
    are inside a value). Mismatch unless every record is one line of `width` fields."""
    n = _lines(data)
    if data.count(b"\r") != data.count(b"\r\n"):
        raise Mismatch("a CR alone in the source")
    if b'"' not in data:
        if data.count(d.encode()) != (width - 1) * n:
            raise Mismatch("a source record of another width")
        df = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=d,
            quote_char=None,
            schema=_schema(width),
            raise_if_empty=False,
        ).fill_null("")
        if df.height != n:
            raise Mismatch("the source lines were not all read")
        last = df.columns[-1]
        return df.with_columns(pl.col(last).str.strip_suffix("\r"))
    try:
        lines = _line_series(data, n)
    except NotRegular as e:
        raise Mismatch(str(e)) from e
    has = lines.str.contains('"', literal=True)
    quoted = lines.filter(has)
    if not quoted.str.contains(_well_formed(d)).all():
        raise Mismatch("a quote inside a source value")
    ph = next((p for p in _PLACEHOLDERS if p.encode() not in data), None)
    if ph is None:
        raise Mismatch("no free character to split quoted values")
    hidden = (
        pl.DataFrame({"l": quoted})
        .select(
            pl.col("l")
            .str.split('"')
            .list.eval(
                pl.when(pl.int_range(pl.len()) % 2 == 1)
                .then(pl.element().str.replace_all(d, ph, literal=True))
                .otherwise(pl.element())
            )
            .list.join('"')
        )
        .to_series()
    )
    lines = lines.scatter(has.arg_true(), hidden)
    if (lines.str.count_matches(d, literal=True) != width - 1).any():
        raise Mismatch("a source record of another width")
    parts = lines.str.split_exact(d, width - 1).struct.unnest()
    out = {}
    for i, name in enumerate(parts.columns):
        v = pl.col(name)
        unquoted = v.str.slice(1, v.str.len_chars() - 2).str.replace_all('""', '"', literal=True)
        out[f"c{i}"] = (
            pl.when(v.str.starts_with('"')).then(unquoted).otherwise(v).str.replace_all(ph, d, literal=True)
        )
    return parts.select(**out)


def _output_fields(data: bytes, width: int, n: int) -> pl.DataFrame:
    try:
        df = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator=",",
            quote_char='"',
            schema=_schema(width),
            raise_if_empty=False,
        ).fill_null("")
    except Exception as e:
        raise Mismatch(f"the output cannot be re-read: {e}") from e
    if df.height != n or data.count(b"\n") != n or (n and not data.endswith(b"\n")):
        raise Mismatch("the output holds another number of records")
    return df


def _round_trip_chunk(chunk: bytes, text: str, reading: Reading, bom: bool) -> bool:
    if reading.errors == MIXED_STRICT:
        return mixed_round_trip(chunk)
    codec = codecs.lookup(reading.codec).name
    if codec == "utf-8":
        return True  # strict UTF-8 decoding is one-to-one
    return (("\ufeff" if bom else "") + text).encode(codec) == chunk


def mixed_round_trip(data: bytes) -> bool:
    """utf-8+cp1252: each line, read as UTF-8 or (failing that) as Windows-1252, gives back its bytes,
    and the mixed reading read it so (a line mixing both encodings is not one-to-one)."""
    for line in data.splitlines(keepends=True):
        try:
            line.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        try:
            text = line.decode("cp1252")
        except UnicodeDecodeError:
            return False
        if text.encode("cp1252") != line or line.decode("utf-8", MIXED_STRICT) != text:
            return False
    return True


def verify(
    source: Path,
    output: Path,
    reading: Reading,
    plan: Plan,
    fast: FastRewrite,
    facts: FileFacts,
    progress: Callable[[int, int], None] | None,
) -> Verification:
    """Re-read `output` beside `source`, chunk by chunk; the first difference fails (see the module)."""
    t0 = time.perf_counter()
    v = Verification(ok=False)
    rw = fast.rw
    width = rw.width
    d = reading.delimiter
    decimal = set(plan.decimal_columns)
    nulls = set(plan.null_columns)
    counts: dict[tuple[str, int], int] = {}
    again = Reading(reading.codec, reading.errors, reading.delimiter)
    round_trip = True
    size = source.stat().st_size
    try:
        with open(source, "rb") as src, open(output, "rb") as out:
            k = -1
            for k, chunk in enumerate(_chunks(src, size, progress)):
                if k >= len(fast.cuts):
                    raise Mismatch("the source has more records than the output")
                src_bytes, out_bytes, n = fast.cuts[k]
                if len(chunk) != src_bytes:
                    raise Mismatch("the source changed while it was fixed")
                try:
                    text, utf8, bom = _decode(chunk, again, k == 0)
                except NotRegular as e:
                    raise Mismatch("the source cannot be decoded again") from e
                round_trip = round_trip and _round_trip_chunk(chunk, text, again, bom)
                src_df = _source_fields(utf8, d, width)
                data = out.read(out_bytes)
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise Mismatch("the output is not UTF-8") from e
                out_df = _output_fields(data, width, n)
                if src_df.height != n:
                    raise Mismatch(f"chunk {k + 1}: {src_df.height} source records, {n} output records")
                header = k == 0
                for i in range(width):
                    s, o = src_df[f"c{i}"], out_df[f"c{i}"]
                    diff = s != o
                    if header and diff[0]:
                        raise Mismatch(f"the header's column {i + 1} differs: {s[0]!r} → {o[0]!r}")
                    if not diff.any():
                        continue
                    left = diff
                    if i in decimal:
                        ok = _decimal_ok(s.filter(left), o.filter(left))
                        hit = pl.Series(values=[False] * n, dtype=pl.Boolean).scatter(left.arg_true(), ok)
                        counts[("decimal-point", i)] = counts.get(("decimal-point", i), 0) + int(hit.sum())
                        left = left & ~hit
                    if i in nulls and left.any():
                        hit = left & s.str.contains(_NULL) & (o == "")
                        counts[("empty-null", i)] = counts.get(("empty-null", i), 0) + int(hit.sum())
                        left = left & ~hit
                    if left.any():
                        j = int(left.arg_max() or 0)
                        raise Mismatch(
                            f"column {i + 1}: the source value {s[j]!r} became {o[j]!r}, not a declared "
                            "transformation"
                        )
                v.rows += n
                v.cells += n * width
            if len(fast.cuts) != k + 1:
                raise Mismatch("the output has records the source does not")
            if out.read(1):
                raise Mismatch("the output has bytes the source does not explain")
        expected = {key: n for key, n in rw.per_column.items() if n}
        if {key: n for key, n in counts.items() if n} != expected:
            raise Mismatch(f"counts differ: rewrite {expected}, verification {counts}")
        view = facts.table.user if facts.table is not None else None
        if view is not None and (view.records + 1 != v.rows or set(view.field_counts) - {width}):
            raise Mismatch(
                f"the check counted {view.records + 1} records of {sorted(view.field_counts)} fields, "
                f"the fix {v.rows} of {width}"
            )
        v.round_trip = round_trip
        if not round_trip:
            raise Mismatch(f"the {reading.codec} transcoding does not give back the original bytes")
        v.ok = True
    except Mismatch as e:
        v.detail = str(e)
    fast.seconds_verify = time.perf_counter() - t0
    return v
