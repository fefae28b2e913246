"""What a rule is: metadata (sqlfluff-style) plus one check function per file format.

A rule module declares a rule with `@rule(...)` on its check for CSV/TSV (or for the formats it
names), adds the checks of other formats with `@the_rule.check_for("xlsx", messages=...)`, and hands
its rules to pluggy with `provide(globals())`. A rule therefore owns all of its checks and messages,
whatever the format.

Findings carry language-neutral params; their text is rendered at the output, in the language the
output asks for (`render`), so one run can be shown in English and in French.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from tabcheck.messages import Lang, Texts, fill, plural_forms
from tabcheck.model import Effect, Finding, Location, Severity

if TYPE_CHECKING:
    from tabcheck.facts import Context, FileFacts

LANGS: tuple[Lang, ...] = ("en", "fr")
Check: TypeAlias = Callable[["Rule", "FileFacts", "Context"], Iterable[Finding] | None]
Messages: TypeAlias = Mapping[str, Texts]  # variant -> {"en": template, "fr": template}


@dataclass(frozen=True)
class Rule:
    """A rule's metadata, its messages and its checks by format (csv, tsv, xlsx, or `*` for any)."""

    code: str
    name: str
    severity: Severity
    effect: Effect
    summary: Texts
    rationale: Texts
    how_to_fix: Texts
    messages: dict[str, Texts]
    checks: dict[str, Check] = field(compare=False, repr=False)
    # The repair `tabcheck fix` applies to this rule's findings (a name in tabcheck.fix.repairs), if any.
    repair: str | None = None

    @property
    def fixable(self) -> bool:
        return self.repair is not None

    @property
    def partly_fixable(self) -> bool:
        """Its repair answers only some of its findings (each finding says whether it does)."""
        from tabcheck.fix.repairs import REPAIRS

        return self.repair is not None and REPAIRS[self.repair].partial

    @property
    def formats(self) -> frozenset[str]:
        return frozenset(self.checks)

    def applies_to(self, fmt: str) -> bool:
        return "*" in self.checks or fmt in self.checks

    def check(self, facts: FileFacts, ctx: Context) -> Iterator[Finding]:
        """The findings of this rule on one file (nothing when the rule has no check for its format)."""
        fmt = "tsv" if facts.format == "tab" else facts.format
        fn = self.checks.get(fmt) or self.checks.get("*")
        if fn is not None:
            yield from fn(self, facts, ctx) or ()

    def check_for(
        self, *formats: str, messages: Messages | None = None
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorate this rule's check for other formats (its messages may add variants)."""
        if messages:
            _validate(self.name, messages)
            clash = set(messages) & set(self.messages)
            if clash:
                raise ValueError(f"{self.name}: message variants declared twice: {sorted(clash)}")
            self.messages.update(messages)

        def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
            for fmt in formats:
                if fmt in self.checks:
                    raise ValueError(f"{self.name}: two checks for format {fmt!r}")
                self.checks[fmt] = fn
            return fn

        return wrap

    def finding(
        self,
        location: Location | None = None,
        *,
        variant: str = "default",
        count: int = 1,
        samples: list[Location] | None = None,
        severity: Severity | None = None,
        effect: Effect | None = None,
        view: str = "dataverse",
        fixable: bool | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of this rule; severity, effect and fixable default to the rule's own (a rule whose
        repair answers only some of its findings says which)."""
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
            fixable=self.fixable if fixable is None else fixable,
            view=view,
        )

    def render(self, finding: Finding, lang: str) -> str:
        """The finding's message in `lang` (English when the rule has no text in that language)."""
        texts = self.messages[finding.variant]
        template = texts.get(lang) or texts["en"]
        return fill(template, finding.params, lang)


def _validate(name: str, messages: Messages) -> None:
    for variant, texts in messages.items():
        for lang in LANGS:
            if lang not in texts:
                raise ValueError(f"{name}: message {variant!r} has no {lang!r} text")
            try:
                plural_forms(texts[lang])
            except ValueError as e:
                raise ValueError(f"{name}: message {variant!r} ({lang}): {e}") from None


def rule(
    *,
    code: str,
    name: str,
    severity: str,
    effect: str,
    summary: Texts,
    rationale: Texts,
    how_to_fix: Texts,
    messages: Messages | Texts,
    formats: Iterable[str] = ("csv", "tsv"),
    repair: str | None = None,
) -> Callable[[Check], Rule]:
    """Decorate a check function `(rule, facts, ctx) -> Iterable[Finding]` into a `Rule`.

    The function checks the `formats` given; `Rule.check_for` adds checks for other formats.
    """
    if "en" in messages:  # a single variant given directly
        variants: dict[str, Texts] = {"default": messages}  # type: ignore[dict-item]
    else:
        variants = dict(messages)  # type: ignore[arg-type]
    _validate(name, variants)

    def wrap(fn: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=Severity(severity),
            effect=Effect(effect),
            summary=summary,
            rationale=rationale,
            how_to_fix=how_to_fix,
            messages=variants,
            checks=dict.fromkeys(formats, fn),
            repair=repair,
        )

    return wrap


def provide(namespace: Mapping[str, object]) -> list[Rule]:
    """The rules defined in a module, for its `tabcheck_rules` hook."""
    return [v for v in namespace.values() if isinstance(v, Rule)]
