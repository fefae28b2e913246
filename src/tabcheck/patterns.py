"""Value patterns shared by the checks and by `fix` (one definition each).

Regular expressions over a cell's text, in the dialect both Python's `re` and polars' (Rust) regex
engine accept. Dataverse reads none of the text ones as numbers.
"""

from __future__ import annotations

import re

DECIMAL_COMMA = (
    r"^[ \t]*[+-]?(?:[0-9]{1,3}(?:[ \u00a0\u202f.][0-9]{3})+|[0-9]+),[0-9]+(?:[eE][+-]?[0-9]+)?[ \t]*$"
)
# 1,234: a decimal comma (1.234) or a thousands separator (1234), nothing in the value says which.
# Not 0,125: no one writes a thousands group after a lone 0, so that is a decimal comma.
COMMA_ONE_GROUP = r"^[ \t]*[+-]?[1-9][0-9]{0,2},[0-9]{3}[ \t]*$"
# 12,345,678 or 1,234.5: commas that can only group thousands (tried after COMMA_ONE_GROUP).
COMMA_GROUPED = r"^[ \t]*[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?[ \t]*$"
SPACE_GROUPED = r"^[ \t]*[+-]?[0-9]{1,3}(?:[ \u00a0\u202f'][0-9]{3})+(?:[.,][0-9]+)?[ \t]*$"  # 1 234,5
# 1.234.567: points that can only group thousands (two or more), no decimals; Java reads no number.
POINT_GROUPED = r"^[ \t]*[+-]?[0-9]{1,3}(?:\.[0-9]{3}){2,}[ \t]*$"
# (12.5) or −12.5 (a typographic minus, an en dash): negatives as accounting and word processors write them.
ODD_NEGATIVE = r"^[ \t]*(?:\([0-9][0-9 ,.\u00a0\u202f']*\)|[\u2212\u2013][0-9][0-9 ,.\u00a0\u202f']*(?:[eE][+-]?[0-9]+)?)[ \t]*$"
# 12,5- or 1 234.50-: a minus after the number, as SAP and some accounting exports write a negative.
TRAILING_MINUS = r"^[ \t]*[0-9][0-9 ,.\u00a0\u202f']*-[ \t]*$"
PERCENT = r"^[ \t]*[+-]?[0-9]+(?:[.,][0-9]+)?[ \u00a0\u202f]?%[ \t]*$"
CURRENCY = (
    r"^[ \t]*(?:[$€£¥][ \u00a0]?[+-]?[0-9][0-9 ,.\u00a0\u202f]*|[+-]?[0-9][0-9 ,.\u00a0\u202f]*[ \u00a0\u202f]?(?:[$€£¥]|EUR|USD))"
    r"[ \t]*$"
)
BOOLEAN = r"^(?i:true|false|vrai|faux)$"
# ="00123": the formula a spreadsheet export writes to keep a code's leading zeros in Excel; in a
# CSV it is only text, which Dataverse stores as written, the = and the quotes with it.
FORMULA_TEXT = r'^[ \t]*="[^"]*"[ \t]*$'
# <0.5, < 0,5, >1000, ≤0.5, <LQ, <LOD: a value below or above a limit (a laboratory's detection or
# quantification limit, a sensor's range), which Dataverse reads as text.
LIMIT_VALUE = (
    r"^[ \t]*(?:<=|>=|[<>\u2264\u2265])[ \u00a0\u202f]?"
    r"(?:[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?|(?i:lq|ld|lod|loq|dl|ql|lmd|lmq|mdl))[ \t]*$"
)
MISSING_CODE = r"^(?i:\.|-|--|\?|n/a|n\.a\.|nd|n\.d\.|missing|manquant|none|nil|#n/a|#na|na\.)$"
# A month's name or abbreviation, in French or English (déc., Dec, janvier, August).
_MONTH_NAME = (
    r"(?i:janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept?(?:embre)?"
    r"|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may"
    r"|june?|july?|aug(?:ust)?|september|october|november|december)"
)
DATE_LIKE = (
    # 25-déc-2020, 1er janvier 2020, 25 Dec 20, Dec 25, 2020: a month written as a word
    rf"^[ \t]*(?:[0-9]{{1,2}}(?:er)?[ .\-/]{_MONTH_NAME}\.?[ .\-/](?:[0-9]{{4}}|[0-9]{{2}})"
    rf"|{_MONTH_NAME}\.? [0-9]{{1,2}},? [0-9]{{4}})[ \t]*$"
    r"|^[ \t]*(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{2}|[0-9]{4})"
    r"|[0-9]{4}[/.][0-9]{1,2}[/.][0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?[ \t]*$"
    # yyyy-mm-dd with a time, in a column Dataverse reads as text (2020-12-25 14:30:00 beside
    # 2020-12-25T14:30:00: the first sets the time format, the second fails it)
    r"|^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$"
)
# Dates of day, month and four-digit year (one separator, / . or -, twice), split by what tells
# their order: a first number above 12 is a day (25/12/2020), a second one is a day too
# (12/25/2020), neither says nothing (05/04/2020); a year first is read year, month, day. Unpadded
# and without a time: the shapes `fix` writes as yyyy-mm-dd (fix/dates.py), once a column's order
# is known. Every other date-like value stays DATE_LIKE.
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_BIG_DAY = r"(?:1[3-9]|2[0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"


_TIME = r" [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"  # 25/12/2020 14:30, as a spreadsheet writes a date-time


def _date_shapes(first: str, second: str, then: str = "") -> str:
    return "^(?:" + "|".join(f"{first}{s}{second}{s}[0-9]{{4}}" for s in ("/", r"\.", "-")) + f"){then}$"


DAY_FIRST_DATE = _date_shapes(_BIG_DAY, _MONTH)
MONTH_FIRST_DATE = _date_shapes(_MONTH, _BIG_DAY)
EITHER_ORDER_DATE = _date_shapes(_MONTH, _MONTH)
# The same followed by a time of day: `fix` writes them yyyy-mm-dd hh:mm:ss.
DAY_FIRST_DATE_TIME = _date_shapes(_BIG_DAY, _MONTH, _TIME)
MONTH_FIRST_DATE_TIME = _date_shapes(_MONTH, _BIG_DAY, _TIME)
EITHER_ORDER_DATE_TIME = _date_shapes(_MONTH, _MONTH, _TIME)
YEAR_FIRST_DATE = "^(?:" + "|".join(f"[0-9]{{4}}{s}{_MONTH}{s}{_DAY}" for s in ("/", r"\.")) + ")$"
# What a spreadsheet writes for a formula that failed, exported as text: Excel in English, French,
# German and Spanish (#N/A, #DIV/0!, #VALEUR!, #WERT!, #¡VALOR!, …), LibreOffice's Err:502.
SPREADSHEET_ERROR = (
    r"^[ \t]*(?:#(?:N/A|NV|DIV/0!|¡DIV/0!|VALUE!|VALEUR!|WERT!|¡VALOR!|REF!|BEZUG!|¡REF!|NAME\?|NOM\?"
    r"|¿NOMBRE\?|NUM!|NOMBRE!|ZAHL!|¡NUM!|NULL!|NUL!|¡NULO!|SPILL!|PROPAGATION!|ÜBERLAUF!|CALC!|CALCUL!"
    r"|BERECHNEN!|GETTING_DATA)|Err:[0-9]{3})[ \t]*$"
)
NULL_WORD = r"^(?i:null)$"
LEADING_ZERO = r"^[+-]?0[0-9]+$"


# The thousands separators a decimal-comma number may hold, removed when it is rewritten with a point.
GROUPING = r"[ \u00a0\u202f.]"

DECIMAL_COMMA_RE = re.compile(DECIMAL_COMMA)
GROUPING_RE = re.compile(GROUPING)


def two_readings(value: str) -> tuple[str, str]:
    """The two numbers an ambiguous `1,234` (or `2.500`) may be: `("1.234", "1234")`; a sign stays."""
    whole, _, fraction = value.strip(" \t").replace(".", ",").partition(",")
    return f"{whole}.{fraction}", whole + fraction


def decimal_point(value: str) -> str:
    """`1 234,5` -> `1234.5`: a decimal-comma number (DECIMAL_COMMA) written as Dataverse reads it."""
    return GROUPING_RE.sub("", value.strip()).replace(",", ".")


# A text counts for the first shape it matches: "1,234" is comma-one-group (beside a decimal comma
# it is one too: decimal-comma adds them), "12,345,678" comma-grouped, "1 234,5" a decimal comma, "1 234" space-grouped
# and "1.234.567" point-grouped (thousands-separators says them, or decimal-comma beside its own).
# Read by the CSV check's typer (rules/values.py) and by the workbook's text cells
# (workbook/textcells.py).
TEXT_SHAPES = {
    "comma-one-group": COMMA_ONE_GROUP,
    "comma-grouped": COMMA_GROUPED,
    "decimal-comma": DECIMAL_COMMA,
    "space-grouped": SPACE_GROUPED,
    "point-grouped": POINT_GROUPED,
    "odd-negative": ODD_NEGATIVE,
    "trailing-minus": TRAILING_MINUS,
    "percent": PERCENT,
    "currency": CURRENCY,
    "boolean": BOOLEAN,
    "spreadsheet-error": SPREADSHEET_ERROR,
    "missing-code": MISSING_CODE,
    "limit": LIMIT_VALUE,
    "formula-text": FORMULA_TEXT,
    # Dates by what tells their order, before the other date-like values.
    "date-day-first": DAY_FIRST_DATE,
    "date-month-first": MONTH_FIRST_DATE,
    "date-either-order": EITHER_ORDER_DATE,
    "date-year-first": YEAR_FIRST_DATE,
    "date-time-day-first": DAY_FIRST_DATE_TIME,
    "date-time-month-first": MONTH_FIRST_DATE_TIME,
    "date-time-either-order": EITHER_ORDER_DATE_TIME,
    "date-like": DATE_LIKE,
}
