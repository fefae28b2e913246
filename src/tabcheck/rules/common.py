"""Small helpers the rule modules share."""

from __future__ import annotations

from tabcheck.model import Location

DELIMITER_NAMES = {
    ",": ("commas", "virgules"),
    ";": ("semicolons", "points-virgules"),
    "\t": ("TABs", "tabulations"),
    "|": ("pipes (|)", "barres verticales (|)"),
}
# Contents a CSV reader reads as garbage: rules about rows and values have nothing to say on them.
NOT_TEXT = ("zip", "ole2", "binary", "utf16")
MAX_LISTED = 10


def human_size(n: int, lang: str = "en") -> str:
    units = ("octets", "Ko", "Mo", "Go", "To") if lang == "fr" else ("bytes", "KB", "MB", "GB", "TB")
    for i, unit in enumerate(units):
        if n < 1024 or i == len(units) - 1:
            if i == 0:
                return f"{int(n)} {unit}"
            text = f"{n:.1f}".removesuffix(".0")
            return f"{text.replace('.', ',') if lang == 'fr' else text} {unit}"
        n /= 1024
    return str(n)


def short_list(items, limit: int = MAX_LISTED) -> str:
    """The first items of a long list, and how many more: messages stay one line."""
    items = list(items)
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f", … (+{len(items) - limit})" if len(items) > limit else "")


def delimiter_name(d: str | None, lang: str) -> str:
    """The plural name of a delimiter, as messages use it ("separated by semicolons")."""
    en, fr = DELIMITER_NAMES.get(d or ",", (repr(d), repr(d)))
    return fr if lang == "fr" else en


def user_view(facts):
    """The table as the user delimited it, or None for a file that is not CSV/TSV."""
    t = facts.table
    if t is None or facts.content in NOT_TEXT or t.user is None or t.user.header is None:
        return None
    return t.user


def column_location(view, index: int, row: int | None = None, line: int | None = None) -> Location:
    """A location in column `index` (1-based) of a CSV view."""
    names = view.header or []
    name = names[index - 1] if 0 < index <= len(names) else None
    return Location(row=row, line=line, column=index, column_name=name)


def rows_of(samples) -> list[int]:
    return [s[0] for s in samples]
