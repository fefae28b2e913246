"""How `tabcheck fix` writes one workbook cell into a CSV, and the independent check that proves it.

A cell is written as its user sees it in Excel, in a form Dataverse reads: numbers with Excel's 15
significant digits (0.1+0.2 stored as 0.30000000000000004 is written 0.3), dates and times in ISO
8601 with their fractions of a second (`2024-03-01 10:30:00.250`), durations (`[h]:mm:ss` formats)
as `36:00:00`, booleans as 1 and 0 (what Dataverse's own XLSX ingest stores; a declared change),
text as it is (Excel's `_x000D_` escapes decoded) except CR and CRLF, which become LF (a CR in a cell fails Dataverse's re-read).

`agrees` checks a written text against the source value by parsing the text back (a number, a date,
a duration) rather than by formatting the value again, so a fault in the formatting is caught.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from tabcheck.workbook.cells import decode_escapes

EXCEL_DIGITS = 15  # Excel shows and keeps 15 significant digits

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class Written:
    """A cell's text in the CSV and the declared change that made it differ from what Excel shows."""

    text: str
    change: str | None = None  # a transformation name (see xlsxfix) or None
    shown: str = ""  # what the user sees in Excel, for the manifest's examples


def number_text(value: int | float) -> str:
    """A number as Excel keeps it: 15 significant digits, no float noise, no exponent when short."""
    if isinstance(value, int) and abs(value) < 10**EXCEL_DIGITS:
        return str(value)
    f = float(value)
    if not math.isfinite(f):
        return str(f)
    short = f"{f:.{EXCEL_DIGITS}g}"
    d = Decimal(short)
    if d == 0:
        return "0"
    if -10 <= d.adjusted() < 21:
        text = format(d, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return short.replace("e", "E")


def _fraction(microseconds: int) -> str:
    if not microseconds:
        return ""
    return f".{microseconds // 1000:03d}" if microseconds % 1000 == 0 else f".{microseconds:06d}"


def time_text(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}{_fraction(t.microsecond)}"


def datetime_text(v: dt.datetime) -> str:
    """`2024-03-01` at midnight, else `2024-03-01 10:30:00.250` (Dataverse's date and time forms)."""
    if v.time() == dt.time(0) and v.tzinfo is None:
        return v.date().isoformat()
    return f"{v.date().isoformat()} {time_text(v.time())}"


def duration_text(v: dt.timedelta) -> str:
    """`[h]:mm:ss`: 1 day 12 hours is `36:00:00` (not Python's `1 day, 12:00:00`)."""
    total = (v.days * 86400 + v.seconds) * 1_000_000 + v.microseconds
    sign = "-" if total < 0 else ""
    total = abs(total)
    seconds, micro = divmod(total, 1_000_000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}{_fraction(micro)}"


def normalise_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def write_cell(value: CellValue) -> Written:
    """The CSV text of a cell value (as openpyxl or calamine gives it) and the change, if any."""
    if value is None:
        return Written("")
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
        return Written("1" if value else "0", "boolean-as-number", shown)
    if isinstance(value, (int, float)):
        text = number_text(value)
        if isinstance(value, float) and repr(value) != text and float(text) != value:
            return Written(text, "excel-precision", repr(value))
        return Written(text)
    if isinstance(value, dt.datetime):
        return Written(datetime_text(value), "date-iso")
    if isinstance(value, dt.date):
        return Written(value.isoformat(), "date-iso")
    if isinstance(value, dt.time):
        return Written(time_text(value), "date-iso")
    if isinstance(value, dt.timedelta):
        return Written(duration_text(value), "duration-hms", str(value))
    text = decode_escapes(str(value))  # Excel shows `_x000D_` as the character it stands for
    fixed = normalise_breaks(text)
    if fixed != text:
        return Written(fixed, "line-breaks", text)
    return Written(text)


_DURATION = re.compile(r"(-?)(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?")


def _parse_duration(text: str) -> dt.timedelta | None:
    m = _DURATION.fullmatch(text)
    if not m:
        return None
    micro = int((m.group(5) or "0").ljust(6, "0"))
    td = dt.timedelta(
        hours=int(m.group(2)), minutes=int(m.group(3)), seconds=int(m.group(4)), microseconds=micro
    )
    return -td if m.group(1) else td


def agrees(value: CellValue, text: str, blanked: bool = False) -> bool:
    """Does the CSV text hold the source value, after the declared changes? (parsed back, not re-made)."""
    if blanked or value is None:
        return text == ""
    try:
        if isinstance(value, bool):
            return text == ("1" if value else "0")
        if isinstance(value, (int, float)):
            if not math.isfinite(float(value)):
                return text == str(float(value))
            # the text is the value to Excel's 15 digits, and has no more digits than it needs
            digits = len(text.lstrip("-").replace(".", "").lstrip("0").split("E")[0].rstrip("0"))
            return float(text) == float(f"{float(value):.{EXCEL_DIGITS}g}") and digits <= EXCEL_DIGITS
        if isinstance(value, dt.datetime):
            if len(text) == 10:
                return dt.date.fromisoformat(text) == value.date() and value.time() == dt.time(0)
            return dt.datetime.fromisoformat(text) == value
        if isinstance(value, dt.date):
            return dt.date.fromisoformat(text) == value
        if isinstance(value, dt.time):
            return dt.time.fromisoformat(text) == value
        if isinstance(value, dt.timedelta):
            return _parse_duration(text) == value
    except ValueError:
        return False
    return text == normalise_breaks(decode_escapes(str(value)))


def csv_field(text: str) -> str:
    """A CSV field as Dataverse's reader (Commons CSV, Excel format) reads it back exactly.

    Quoted when it holds a comma, a quote, a line break or a TAB (a TAB needs no quotes in a CSV,
    but quoting shows it is meant, and every CSV reader keeps it).
    """
    if any(ch in text for ch in ',"\n\r\t'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(fields: list[str]) -> str:
    return ",".join(csv_field(f) for f in fields) + "\n"
