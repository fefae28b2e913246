"""Small helpers the rule modules share."""

from __future__ import annotations

from tabcheck.model import Location

DELIMITER_NAMES = {",": ("comma", "virgule"), ";": ("semicolon", "point-virgule"),
                   "\t": ("TAB", "tabulation"), "|": ("pipe |", "barre verticale |")}


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return str(n)


def delimiter_name(d: str | None, lang: str) -> str:
    en, fr = DELIMITER_NAMES.get(d or ",", (repr(d), repr(d)))
    return fr if lang == "fr" else en


def user_view(facts):
    """The table as the user delimited it, or None for a file that is not CSV/TSV."""
    t = facts.table
    return t.user if t is not None and t.user is not None and t.user.header is not None else None


def column_location(view, index: int, row: int | None = None, line: int | None = None) -> Location:
    """A location in column `index` (1-based) of a CSV view."""
    names = view.header or []
    name = names[index - 1] if 0 < index <= len(names) else None
    return Location(row=row, line=line, column=index, column_name=name)


def rows_of(samples) -> list[int]:
    return [s[0] for s in samples]
