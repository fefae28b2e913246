"""Message params that stay language-neutral until the output renders them.

A check never picks words for a language: it puts numbers, names and these small values in a
finding's params, and each output shows them in its own language (`show`). So the same run can be
rendered in English and in French.

Templates are `str.format` templates (`fill`) with one addition, plurals:
`{count:plural:row|rows}` shows the word that agrees with the param `count` (a number, or a list by
its length), and not the number itself: `"{count} {count:plural:ligne vide|lignes vides}"`. English
takes the singular for 1 only; French for 0 and 1 ("0 ligne", "1,5 ligne").
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
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
    "|": ("pipes (|)", "barres verticales « | »"),
}


@dataclass(frozen=True)
class Quoted:
    """A name between quotes ("Notes" / « Notes »), with an optional remark after it."""

    text: str
    remark: Words | None = None

    def show(self, lang: str) -> str:
        quoted = f"«\u00a0{self.text}\u00a0»" if lang == "fr" else f'"{self.text}"'
        if self.remark is None:
            return quoted
        return f"{quoted} {self.remark.fr if lang == 'fr' else self.remark.en}"

    def __str__(self) -> str:
        return self.show("en")


@dataclass(frozen=True)
class Rename:
    """A name and what it becomes ("a b" → "ab")."""

    old: str
    new: str

    def show(self, lang: str) -> str:
        return f"{Quoted(self.old).show(lang)} → {Quoted(self.new).show(lang)}"

    def __str__(self) -> str:
        return self.show("en")


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
    if isinstance(value, (Quoted, Rename)):
        return value.show(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(show(v, lang)) for v in value)
    if isinstance(value, float) and lang == "fr":
        return str(value).replace(".", ",")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        if abs(value) >= 10**30:  # a hostile file's number: never thousands of digits in a message
            digits = len(str(abs(value))) if abs(value) < 10**4000 else None
            return f"{'-' if value < 0 else ''}10^{(digits or 4000) - 1}+"
        grouped = f"{value:,}"
        return grouped.replace(",", NNBSP) if lang == "fr" else grouped
    if isinstance(value, str):
        return shorten(value, lang)
    return value


MAX_SHOWN = 200  # characters of a value quoted in a message (a cell may hold a whole book)


def shorten(text: str, lang: str = "en") -> str:
    """A long value cut for a message, saying how long it really is (never 400 MB in a report)."""
    if len(text) <= MAX_SHOWN:
        return text
    more = len(text) - MAX_SHOWN
    count = f"{more:,}".replace(",", NNBSP if lang == "fr" else ",")
    return text[:MAX_SHOWN] + (f"… (+{count} caractères)" if lang == "fr" else f"… (+{count} characters)")


PLURAL = "plural:"


def is_singular(n: Any, lang: str) -> bool:
    """Whether `n` (a number, or a list counted by its length) takes the singular in `lang`.

    French uses the singular below 2 (0 and 1, and 1,5); English for exactly 1.
    """
    if isinstance(n, (Sequence, Mapping)) and not isinstance(n, str):
        n = len(n)
    elif isinstance(n, str) and n.strip().lstrip("-").isdigit():
        n = int(n)
    if not isinstance(n, (int, float)):
        return False
    return abs(n) < 2 if lang == "fr" else abs(n) == 1


def split_forms(forms: str) -> tuple[str, str]:
    """("singular", "plural") from "singular|plural"; a form may hold fields ("|rows {rows}")."""
    depth = 0
    bars = []
    for i, ch in enumerate(forms):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "|" and depth == 0:
            bars.append(i)
    if len(bars) != 1:
        raise ValueError(f"plural forms {forms!r}: give two forms, singular|plural")
    return forms[: bars[0]], forms[bars[0] + 1 :]


def plural(n: Any, forms: str, lang: str) -> str:
    """The form of `forms` ("singular|plural") that agrees with `n` in `lang`."""
    singular, other = split_forms(forms)
    return singular if is_singular(n, lang) else other


_PARSER = string.Formatter()


def plural_forms(template: str) -> list[tuple[str, str]]:
    """(param, forms) of the plural fields of a template; raises ValueError on a malformed one."""
    found = []
    for _, name, spec, _ in _PARSER.parse(template):
        if name is not None and spec and spec.startswith(PLURAL):
            forms = spec[len(PLURAL) :]
            for form in split_forms(forms):
                plural_forms(form)
            found.append((name, forms))
    return found


def fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    """A template filled with `params` as `lang` shows them (see the module's docstring).

    As `str.format`, plus: plural fields pick a form (which is filled in turn), and a param that
    is missing stays visible as `{name}` instead of raising.
    """
    out = []
    for literal, name, spec, conversion in _PARSER.parse(template):
        out.append(literal)
        if name is None:
            continue
        spec = spec or ""
        if name not in params:
            out.append(
                "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            )
        elif spec.startswith(PLURAL):
            out.append(fill(plural(params[name], spec[len(PLURAL) :], lang), params, lang))
        else:
            value = _PARSER.convert_field(show(params[name], lang), conversion)
            out.append(format(value, fill(spec, params, lang) if "{" in spec else spec))
    return "".join(out)


def plain(value: Any) -> Any:
    """A param as JSON carries it (language-neutral)."""
    if isinstance(value, Words):
        return {"en": value.en, "fr": value.fr}
    if isinstance(value, (Quoted, Rename)):
        return str(value)
    if isinstance(value, Size):
        return value.bytes
    if isinstance(value, DelimiterName):
        return value.delimiter
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def render(finding: Finding, lang: str) -> str:
    """A finding's message in `lang`, from its rule's templates."""
    from tabcheck.plugins import all_rules

    rule = all_rules().get(finding.rule)
    if rule is None:  # a finding of a rule that is no longer loaded: say what is known
        return f"{finding.rule}: {finding.params}"
    return rule.render(finding, lang)
