"""How Dataverse's CSV reader (Java) judges one value: number, integer, date, time.

Each test exists twice: as a regular expression polars applies to whole columns, and as a Python
function for the rare values the expression cannot settle (dates before 1582 or beyond year 9999,
non-ASCII digits). See docs: Double.parseDouble, SimpleDateFormat lenient/strict parsing.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from typing import Any

# Double.parseDouble: trims chars <= U+0020 at both ends, then Java's FloatingDecimal grammar.
JAVA_TRIM = "".join(chr(c) for c in range(33))
DOUBLE_BODY = (
    r"[+-]?(?:NaN|Infinity|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)"
)
DOUBLE_RE = rf"^{DOUBLE_BODY}$"  # on a value already trimmed of JAVA_TRIM
# The same on UTF-8 bytes, the trimming included (the workbook reader works on bytes): DOUBLE_BYTES_RE,
# compiled on first use (below), as are the date and time patterns: a CSV check seldom needs them.
_DOUBLE_BYTES = rf"[\x00-\x20]*{DOUBLE_BODY}[\x00-\x20]*".encode()
# Tokens a numeric column accepts besides numbers (case-insensitive): missing, NaN, infinities, null.
NUMERIC_TOKENS_RE = r"^(?i:nan|na|inf|\+inf|-inf|null)$"
INTEGER_RE = r"^[+-]?[0-9]+$"
# SimpleDateFormat("yyyy-MM-dd"), lenient false, parse(String): only a prefix has to match.
DATE_PREFIX_RE = r"^[ \t]*(-?[0-9]+)-[ \t]*(-?[0-9]+)-[ \t]*(-?[0-9]+)"
DATE_PREFIX_UNICODE_RE = r"^[ \t]*(-?\d+)-[ \t]*(-?\d+)-[ \t]*(-?\d+)"
# SimpleDateFormat("yyyy-MM-dd HH:mm:ss[ z]"), lenient: fields roll over, the whole value must match.
_N = r"[ \t]*-?\d+"
TIME_NOTZ_RE = rf"^{_N}-{_N}-{_N} {_N}:{_N}:{_N}$"
_ZONE = (
    r"(?:(?i:gmt|utc|ut)(?:[+-]\d{1,2}(?::\d{2})?)?|[A-Z]{2,5}|[+-](?:[01][0-9]|2[0-3])[0-5][0-9]"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)* Time)"
)
TIME_TZ_RE = rf"^{_N}-{_N}-{_N} {_N}:{_N}:{_N} +{_ZONE}$"

_integer = re.compile(INTEGER_RE)
GREGORIAN_START = _dt.date(1582, 10, 15)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def __getattr__(name: str) -> Any:
    if name == "DOUBLE_BYTES_RE":
        return _double_bytes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _double_bytes() -> re.Pattern[bytes]:
    return re.compile(_DOUBLE_BYTES)


def is_integer(v: str) -> bool:
    return v == "" or v == "null" or bool(_integer.match(v))


def _digits(s: str) -> int:
    neg = s.startswith("-")
    body = s[1:] if neg else s
    n = int("".join(str(unicodedata.digit(c)) for c in body))
    return -n if neg else n


def is_date(v: str) -> bool:
    """Strict yyyy-MM-dd at the start of the value, Java's Julian/Gregorian calendar."""
    m = _compiled(DATE_PREFIX_UNICODE_RE).match(v)
    if not m:
        return False
    try:
        y, mo, d = (_digits(g) for g in m.groups())
    except ValueError:
        return False
    if not (1 <= y <= 2**31 - 1 and 1 <= mo <= 12 and d >= 1):
        return False
    if y > 9999:
        # Beyond Python's calendar: the proleptic Gregorian rules hold there.
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        return d <= days
    if (y, mo) < (1582, 10) or ((y, mo) == (1582, 10) and d < 15):
        # Julian calendar: every fourth year is a leap year; 5-14 October 1582 never existed.
        if (y, mo) == (1582, 10) and 5 <= d <= 14:
            return False
        leap = y % 4 == 0
        days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        return d <= days
    try:
        _dt.date(y, mo, d)
        return True
    except ValueError:
        return False


def time_format(v: str) -> str | None:
    """Which of Dataverse's two date-time patterns the value fully matches: 'tz', 'notz' or None."""
    if _compiled(TIME_TZ_RE).match(v):
        return "tz"
    if _compiled(TIME_NOTZ_RE).match(v):
        return "notz"
    return None


def matches_time(v: str, fmt: str) -> bool:
    return bool(_compiled(TIME_TZ_RE if fmt == "tz" else TIME_NOTZ_RE).match(v))
