"""What a rule is: metadata (sqlfluff-style) plus a pure check function of the scanned facts.

Rule modules declare rules with `@rule(...)` on a function `(rule, facts, ctx)` and hand them to pluggy with `provide(globals())`.
Texts exist in English and French; a message is looked up by rule, variant and language and filled
with the finding's params — never assembled in the check code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tabcheck.model import Effect, Finding, Location, Severity

LANGS = ("en", "fr")
Text = dict  # {"en": "...", "fr": "..."}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    effect: Effect
    summary: Text
    rationale: Text
    how_to_fix: Text
    messages: dict  # variant -> {"en": template, "fr": template}
    check: Callable[..., Iterable[Finding]] = field(compare=False, repr=False)
    formats: frozenset = frozenset({"csv", "tsv"})
    fixable: bool = False
    groups: tuple = ()

    def applies_to(self, fmt: str) -> bool:
        return "*" in self.formats or fmt in self.formats

    def finding(
        self,
        location: Location | None = None,
        *,
        variant: str = "default",
        count: int = 1,
        samples: list[Location] | None = None,
        severity: Severity | None = None,
        effect: Effect | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of this rule; severity and effect default to the rule's own."""
        if variant not in self.messages:
            raise KeyError(f"{self.name}: no message variant {variant!r}")
        params.setdefault("count", count)
        return Finding(
            rule=self.name,
            code=self.code,
            location=location or Location(),
            params=params,
            variant=variant,
            count=count,
            samples=samples or [],
            severity=severity or self.severity,
            effect=effect or self.effect,
            fixable=self.fixable,
        )

    def render(self, finding: Finding, lang: str) -> str:
        template = self.messages[finding.variant].get(lang) or self.messages[finding.variant]["en"]
        return template.format_map(_Params(finding.params, lang))


class _Params(dict):
    """Format parameters; lists print as short comma lists, missing keys stay visible."""

    def __init__(self, params: dict, lang: str):
        super().__init__({k: _show(v, lang) for k, v in params.items()})

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _show(value: Any, lang: str) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool) and lang == "fr" and abs(value) >= 10000:
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        return f"{value:,}"
    return value


def rule(
    *,
    code: str,
    name: str,
    severity: str,
    effect: str,
    summary: Text,
    rationale: Text,
    how_to_fix: Text,
    messages: dict,
    formats: Iterable[str] = ("csv", "tsv"),
    fixable: bool = False,
    groups: Iterable[str] = (),
) -> Callable[[Callable], Rule]:
    """Decorate a check function `(rule, facts, ctx) -> Iterable[Finding]` into a `Rule`."""
    if "en" in messages:  # a single variant given directly
        messages = {"default": messages}
    for variant, texts in messages.items():
        for lang in LANGS:
            if lang not in texts:
                raise ValueError(f"{name}: message {variant!r} has no {lang!r} text")

    def wrap(fn: Callable) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=Severity(severity),
            effect=Effect(effect),
            summary=summary,
            rationale=rationale,
            how_to_fix=how_to_fix,
            messages=messages,
            check=fn,
            formats=frozenset(formats),
            fixable=fixable,
            groups=tuple(groups),
        )

    return wrap


def provide(namespace: dict) -> list[Rule]:
    """The rules defined in a module, for its `tabcheck_rules` hook."""
    return [v for v in namespace.values() if isinstance(v, Rule)]
