"""Message params that stay language-neutral until the output renders them.

A check never picks words for a language: it puts numbers, names and these small values in a
finding's params, and each output shows them in its own language (`show`). So the same run can be
rendered in English and in French.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from tabcheck.model import Finding

Lang: TypeAlias = Literal["en", "fr"]
Texts: TypeAlias = Mapping[str, str]  # {"en": "...", "fr": "..."}

NNBSP = "\u202f"  # French thousands separator (narrow no-break space)


@dataclass(frozen=True)
class Words:
    """A phrase given in each language (e.g. what kind of binary file this is)."""

    en: str
    fr: str

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Size:
    """A size in bytes, shown in the language's units (KB / Ko)."""

    bytes: int

    def __str__(self) -> str:
        return human_size(self.bytes, "en")


@dataclass(frozen=True)
class DelimiterName:
    """A delimiter, shown by its plural name ("semicolons" / "points-virgules")."""

    delimiter: str

    def __str__(self) -> str:
        return delimiter_name(self.delimiter, "en")


_DELIMITER_NAMES = {
    ",": ("commas", "virgules"),
    ";": ("semicolons", "points-virgules"),
    "\t": ("TABs", "tabulations"),
    "|": ("pipes (|)", "barres verticales (|)"),
}


def delimiter_name(d: str | None, lang: str) -> str:
    en, fr = _DELIMITER_NAMES.get(d or ",", (repr(d), repr(d)))
    return fr if lang == "fr" else en


def human_size(n: float, lang: str = "en") -> str:
    units = ("octets", "Ko", "Mo", "Go", "To") if lang == "fr" else ("bytes", "KB", "MB", "GB", "TB")
    for i, unit in enumerate(units):
        if n < 1024 or i == len(units) - 1:
            if i == 0:
                return f"{int(n)} {unit}"
            text = f"{n:.1f}".removesuffix(".0")
            return f"{text.replace('.', ',') if lang == 'fr' else text} {unit}"
        n /= 1024
    return str(n)


def show(value: Any, lang: str) -> Any:
    """One param as `lang` shows it: lists as short comma lists, big integers grouped."""
    if isinstance(value, Words):
        return value.fr if lang == "fr" else value.en
    if isinstance(value, Size):
        return human_size(value.bytes, lang)
    if isinstance(value, DelimiterName):
        return delimiter_name(value.delimiter, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(show(v, lang)) for v in value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        grouped = f"{value:,}"
        return grouped.replace(",", NNBSP) if lang == "fr" else grouped
    return value


def plain(value: Any) -> Any:
    """A param as JSON carries it (language-neutral)."""
    if isinstance(value, Words):
        return {"en": value.en, "fr": value.fr}
    if isinstance(value, Size):
        return value.bytes
    if isinstance(value, DelimiterName):
        return value.delimiter
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def render(finding: Finding, lang: str) -> str:
    """A finding's message in `lang`, from its rule's templates."""
    from tabcheck.plugins import all_rules

    rule = all_rules().get(finding.rule)
    if rule is None:  # a finding of a rule that is no longer loaded: say what is known
        return f"{finding.rule}: {finding.params}"
    return rule.render(finding, lang)
