"""Dates written day/month/year (or month/day/year, year/month/day) as Dataverse reads them: yyyy-mm-dd.

Dataverse types a column as dates only when every value is yyyy-mm-dd; `25/12/2020` stays text. A
column is converted only when the check knows its order (TC404: a first number above 12 somewhere
says day first, a second one month first; a four-digit year first is read year, month, day), and
only if every value is then a real date: one that is not (31/04/2020, or 12/25/2020 in a column
read day first) leaves the whole column as written, and `fix` says why. So does a date before 1583:
Dataverse's calendar is Julian before October 1582 (29/02/1500 is a date there), Python's is not.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_YEAR_LAST = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})([/.])([0-9]{1,2})\2([0-9]{1,2})")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A date with its time of day, as Dataverse reads a date only (TC410): the time after a space or a T,
# hours and minutes, seconds or not.
_DATE_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}:[0-9]{2})(:[0-9]{2})?")
TIME = "time"  # a date column's "order" when its values are yyyy-mm-dd dates with a time of day
_THEN_TIME = "-time"  # dmy-time, mdy-time, ymd-time: dates in that order, then their time
GREGORIAN = 1583  # the first whole year of the Gregorian calendar, in which Dataverse and Python agree


def date_parts(value: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a value in one of the shapes fix writes, its day and month read in
    `order` (a four-digit first number is the year); None for any other shape. Not checked against
    the calendar."""
    if _ISO.fullmatch(value):
        return int(value[:4]), int(value[5:7]), int(value[8:])
    m = _YEAR_LAST.fullmatch(value)
    if m is not None:
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day, month = (second, first) if order == "mdy" else (first, second)
        return year, month, day
    m = _YEAR_FIRST.fullmatch(value)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(3)), int(m.group(4))


def iso_date(value: str, order: str) -> str | None:
    """`value` written yyyy-mm-dd, its day and month read in `order`; None when it is not a day of
    the calendar so, or one before 1583 (Dataverse's calendar is Julian before October 1582)."""
    parts = date_parts(value, order)
    if parts is None or parts[0] < GREGORIAN:
        return None
    try:
        return datetime.date(*parts).isoformat()
    except ValueError:
        return None  # 31/04/2020, 29/02/2021, 2021-02-30


def iso_time(value: str) -> str | None:
    """A date and its time of day written yyyy-mm-dd hh:mm:ss, as Dataverse reads a date-time:
    `2020-12-25 14:30` → `2020-12-25 14:30:00`, `2020-12-25T14:30:15` → `2020-12-25 14:30:15`
    (hours as written); None for any other value (a date alone, fractions of a second, a zone)."""
    m = _DATE_TIME.fullmatch(value)
    if m is None:
        return None
    return f"{m.group(1)} {m.group(2)}{m.group(3) or ':00'}"


_CLOCK = re.compile(r"([0-9]{1,2}:[0-9]{2})(:[0-9]{2})?")


def written(value: str, order: str) -> str | None:
    """A date column's value as fix writes it: iso_time for yyyy-mm-dd dates with their time
    (`time`), a date in `order` and its time for `dmy-time` (25/12/2020 14:30 → 2020-12-25
    14:30:00), else iso_date."""
    if order == TIME:
        return iso_time(value)
    base = date_order(order)
    if base is None:
        return iso_date(value, order)
    date, _, clock = value.partition(" ")
    m = _CLOCK.fullmatch(clock)
    day = iso_date(date, base)
    if m is None or day is None:
        return None
    return f"{day} {m.group(1)}{m.group(2) or ':00'}"


def date_order(order: str) -> str | None:
    """The day and month order of a column of dates followed by their time (dmy-time → dmy), the
    check's TC404 order for 25/12/2020 14:30; None for the other orders."""
    return order.removesuffix(_THEN_TIME) if order.endswith(_THEN_TIME) else None


def is_time(order: str) -> bool:
    """Whether a date column's values carry a time of day."""
    return order == TIME or date_order(order) is not None


def change_name(order: str) -> str:
    """The declared change of a date column: iso-time for date-times, iso-date for dates."""
    return "iso-time" if is_time(order) else "iso-date"


@dataclass
class DateColumn:
    """A column being rewritten with its dates as yyyy-mm-dd, and the first value that was not a
    date in its order (then the column is written again as it is)."""

    order: str
    bad: tuple[int, str] | None = None  # (line, value)
