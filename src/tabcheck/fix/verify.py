"""Verifying a rewrite: the output and its source re-read side by side, cell by cell, streaming.

Every source record must be, in order, either the next output record — each cell equal to the
source cell, or changed exactly as a declared transformation says — or a blank line dropped, or a
title/note moved to the notes file (its text equal to the next note). The checks of each
transformation are written apart from the rewrite's code: a decimal conversion keeps every digit,
the sign, the padding and the decimals; an emptied `null` was `null`; a cell's line breaks are the
same breaks written as LF. Counts must equal the rewrite's. The transcoding must give back the
original bytes. Memory stays bounded: records are compared as they come.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
from collections import Counter
from pathlib import Path

from tabcheck.fix.csvfix import (
    MIXED_STRICT,
    FixOptions,
    Reading,
    Refused,
    Rewrite,
    Rewriter,
    empty_header_name,
    is_blank,
    note_text,
)
from tabcheck.fix.dates import TIME, change_name, date_order
from tabcheck.fix.manifest import Verification

_BREAK = re.compile(r"\r\n|\r|\n")
_DATAVERSE_NUMBER = re.compile(r"^[ \t]*[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[ \t]*$")
_NUMBER_PARTS = re.compile(r"^([ \t]*)([+-]?)(.*?)((?:[eE][+-]?[0-9]+)?)([ \t]*)$")
_NULL = re.compile(r"^[Nn][Uu][Ll][Ll]$")
BLOCK = 1 << 20


class _Mismatch(Exception):
    pass


def _decimal_ok(before: str, after: str, convention: str) -> bool:
    """`after` is `before` written with a decimal point: the same digits, sign, padding, decimals."""
    if convention == "comma" and before.count(",") == 1 and before.replace(",", "").isdigit():
        return before.isascii() and after == before.replace(",", ".")  # 12,5: the common case
    if not _DATAVERSE_NUMBER.match(after):
        return False
    b, a = _NUMBER_PARTS.match(before), _NUMBER_PARTS.match(after)
    if b is None or a is None or b.group(1, 2, 4, 5) != a.group(1, 2, 4, 5):
        return False
    mark = "," if convention == "comma" else "."
    b_int, _, b_dec = b.group(3).rpartition(mark) if mark in b.group(3) else (b.group(3), "", "")
    a_int, _, a_dec = a.group(3).partition(".")
    if b_dec != a_dec:
        return False
    separators = {"comma": " \u00a0\u202f'.", "point": " \u00a0\u202f',"}[convention]
    return "".join(ch for ch in b_int if ch not in separators) == a_int and b_int.strip(separators) == b_int


def _date_ok(before: str, after: str, order: str) -> bool:
    """`after` is the date `before` written yyyy-mm-dd: the same three numbers, day and month read
    in `order` (a four-digit first number is the year), and a real date."""
    parts = re.fullmatch(r"([0-9]+)[/.\-]([0-9]+)[/.\-]([0-9]+)", before)
    if parts is None or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", after):
        return False
    a, b, c = parts.groups()
    if len(a) == 4:
        year, month, day = a, b, c
    else:
        year, (day, month) = c, ((b, a) if order == "mdy" else (a, b))
    try:
        date = datetime.date.fromisoformat(after)
    except ValueError:
        return False
    return len(year) == 4 and (date.year, date.month, date.day) == (int(year), int(month), int(day))


def header_renames(source: list[str], output: list[str]) -> dict[int, str]:
    """The header cells the output names otherwise, each by its declared change: an empty cell
    named by its column letter (or letter_N, the letter being a name of the table), a name the
    source used in an earlier column written name_N (header-deduplicated)."""
    found: dict[int, str] = {}
    if len(source) < 2 or len(source) != len(output):
        return found
    for i, (s, o) in enumerate(zip(source, output, strict=True)):
        if s == o:
            continue
        if s == "":
            letter = empty_header_name(i)
            if o == letter or re.fullmatch(re.escape(letter) + "_[0-9]+", o):
                found[i] = "header-named"
        elif s in source[:i] and re.fullmatch(re.escape(s) + "_[0-9]+", o):
            found[i] = "header-deduplicated"
    return found


def header_changes(source: list[str], output: list[str]) -> list[str]:
    """The declared change of each header cell that differs; ValueError at one changed otherwise."""
    renames = header_renames(source, output)
    for i, (s, o) in enumerate(zip(source, output, strict=True)):
        if s != o and i not in renames:
            raise ValueError(f"the header's column {i + 1} differs: {s!r} → {o!r}")
    return list(renames.values())


def _time_ok(before: str, after: str) -> bool:
    """`after` is the date-time `before` written yyyy-mm-dd hh:mm:ss: its date, a space for the space
    or T, its hours and minutes, and its seconds or `:00`."""
    m = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?", before)
    if m is None or not after.isascii():
        return False
    date, hours, minutes, seconds = m.groups()
    return after == f"{date} {hours}:{minutes}:{seconds or '00'}"


def _dated_ok(before: str, after: str, order: str) -> bool:
    """A date column's value written as its declared change says (see _date_ok, _time_ok)."""
    if order == TIME:
        return _time_ok(before, after)
    base = date_order(order)
    if base is None:
        return _date_ok(before, after, order)
    b_date, _, b_clock = before.partition(" ")
    a_date, _, a_clock = after.partition(" ")
    parts = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?", b_clock)
    if parts is None or not _date_ok(b_date, a_date, base):
        return False
    hours, minutes, seconds = parts.groups()
    return a_clock == f"{hours}:{minutes}:{seconds or '00'}"


def verify_csv(
    source: Path,
    output: Path,
    notes: Path | None,
    reading: Reading,
    rewriter: Rewriter,
    rw: Rewrite,
    options: FixOptions,
) -> Verification:
    """Re-read `output` (and `notes`) beside `source` in the author's reading; the first difference fails."""
    v = Verification(ok=False)
    try:
        counts = _compare(source, output, notes, reading, rewriter, rw, options, v)
        expected: Counter[str] = Counter()
        for (name, _col), n in rw.per_column.items():
            expected[name] += n
        if +counts != +expected:
            raise _Mismatch(f"counts differ: rewrite {dict(+expected)}, verification {dict(+counts)}")
        v.round_trip = _round_trip(source, reading)
        if v.round_trip is False:
            raise _Mismatch(f"the {reading.codec} transcoding does not give back the original bytes")
        v.ok = True
    except _Mismatch as e:
        v.detail = str(e)
    except (Refused, UnicodeDecodeError) as e:
        v.detail = f"the output or its source cannot be re-read: {e}"
    return v


def _compare(
    source: Path,
    output: Path,
    notes: Path | None,
    reading: Reading,
    rewriter: Rewriter,
    rw: Rewrite,
    options: FixOptions,
    v: Verification,
) -> Counter[str]:
    plan = rewriter.plan
    moved = plan.title_lines | plan.note_lines
    decimal = plan.decimal_columns
    nulls = plan.null_columns
    dates = plan.date_columns
    keep = plan.keep_width
    flatten = options.flatten_newlines
    joiner = " " if flatten else "\n"
    noted = (notes.read_text(encoding="utf-8").split("\n")[:-1]) if notes is not None else []
    counts: Counter[str] = Counter()
    again = Reading(reading.codec, reading.errors, reading.delimiter)
    with open(output, encoding="utf-8", errors="strict", newline="") as fh:
        out_records = csv.reader(fh, strict=True)
        nxt = next(out_records, None)
        header = True
        renames: dict[int, str] = {}
        n_note = 0
        for start, _end, src in again.records(source, options.progress):
            if not header and rw.width > 1 and (is_blank(src) or (plan.drop_empty_rows and not any(src))):
                # Rewriter.run drops it before it looks at its cells: never matched with an output
                # row that a declared change emptied (`null;` → `,`)
                counts["drop-blank-lines"] += 1
                continue
            if nxt is not None:
                if not src and nxt == [""] and rw.width == 1:
                    src = [""]
                trimmed = keep is not None and len(src) > keep == len(nxt) and not any(src[keep:])
                if trimmed:
                    src = src[:keep]  # the empty cells after the last named column: drop-trailing-cells
                if len(src) == len(nxt):
                    changes: list[tuple[str, int]] = []
                    if header:
                        renames = header_renames(src, nxt)
                    for i, (s, o) in enumerate(zip(src, nxt, strict=True)):
                        if s == o:
                            continue
                        if "\r" in s or (flatten and "\n" in s):
                            if "\r" in o or joiner.join(_BREAK.split(s)) != o:
                                break
                            changes.append(("flatten-newlines" if flatten else "line-breaks", i))
                        elif (
                            not header and i in decimal and _decimal_ok(s, o, rw.conventions.get(i, "comma"))
                        ):
                            changes.append(("decimal-point", i))
                        elif not header and i in nulls and _NULL.match(s) and o == "":
                            changes.append(("empty-null", i))
                        elif not header and i in dates and _dated_ok(s, o, dates[i]):
                            changes.append((change_name(dates[i]), i))
                        elif header and i in renames:
                            changes.append((renames[i], i))
                        else:
                            break
                    else:
                        counts.update(name for name, _ in changes)
                        counts["drop-trailing-cells"] += trimmed
                        v.rows += 1
                        v.cells += len(src)
                        header = False
                        nxt = next(out_records, None)
                        continue
            if is_blank(src) or (header and not any(v.strip(" \t") for v in src)):
                counts["drop-blank-lines"] += 1
                continue
            if start in moved and n_note < len(noted):
                note = note_text(src, reading.delimiter if start in plan.title_lines else None)
                if note is not None and note[1] == noted[n_note]:
                    n_note += 1
                    counts["move-notes"] += 1
                    continue
            shown = nxt if nxt is None else nxt[:8]
            raise _Mismatch(f"line {start} of the source ({src[:8]}) is not in the output (next: {shown})")
        if nxt is not None:
            raise _Mismatch(f"the output has rows the source does not: {nxt[:8]}")
        if n_note != len(noted):
            raise _Mismatch("the notes file holds lines the source does not")
    return counts


def mixed_line_round_trip(line: bytes) -> bool:
    """utf-8+cp1252: the line, read as UTF-8 or (failing that) as Windows-1252, gives back its bytes,
    and the mixed reading read it so (a line mixing both encodings would not be one-to-one)."""
    try:
        line.decode("utf-8")
        return True  # strict UTF-8 decoding is one-to-one
    except UnicodeDecodeError:
        pass
    try:
        text = line.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return text.encode("cp1252") == line and line.decode("utf-8", MIXED_STRICT) == text


def _round_trip(source: Path, reading: Reading) -> bool | None:
    """The source's bytes, decoded and encoded back, are the same bytes (None: not defined)."""
    if reading.errors == MIXED_STRICT:
        with open(source, "rb") as fh:
            return all(mixed_line_round_trip(line) for line in fh)
    codec = codecs.lookup(reading.codec).name
    if codec == "utf-8":
        return True  # strict UTF-8 decoding is one-to-one: the re-read decoded every byte so
    with open(source, "rb") as fh:
        if codec in ("utf-16", "utf-32"):
            head = fh.read(4)
            fh.seek(0)
            big = head.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))
            codec = f"{codec}-{'be' if big else 'le'}"
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        encoder = codecs.getincrementalencoder(codec)(errors="strict")
        pending = b""
        while True:
            block = fh.read(BLOCK)
            text = decoder.decode(block, final=not block)
            again = encoder.encode(text, final=not block)
            pending += block
            if not pending.startswith(again):
                return False
            pending = pending[len(again) :]
            if not block:
                return not pending
