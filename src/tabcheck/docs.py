"""Rule documentation, generated from the rules' metadata (the pages in rules/ and `tabcheck explain`)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from tabcheck.i18n import t
from tabcheck.rule import Rule

#: One real message per rule and variant, in English and French, from tabcheck's own fixtures
#: (scripts/generate_docs.py writes it): `explain` and the rule pages show what a user reads.
EXAMPLES = Path(__file__).with_name("rule_examples.json")
EXAMPLE_FOLDERS = ("csv", "xlsx", "sniff", "verdict")
_PLURAL = re.compile(r"\{\w+:plural:[^|}]*\|([^}]*)\}")
_PLACEHOLDER = re.compile(r"\{\w+(?::[^}]*)?\}")


@functools.cache
def examples() -> dict[str, dict[str, dict[str, str]]]:
    """rule name -> variant -> {"en": message, "fr": message} (empty when the file is missing)."""
    try:
        loaded: dict[str, dict[str, dict[str, str]]] = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded


def collect_examples(fixtures: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The first message of each rule and variant over the fixtures, in both languages."""
    from tabcheck.api import check

    found: dict[str, dict[str, dict[str, str]]] = {}
    run = check([fixtures / name for name in EXAMPLE_FOLDERS if (fixtures / name).is_dir()])
    for report in sorted(run.files, key=lambda r: r.path):
        for f in report.findings:
            variants = found.setdefault(f.rule, {})
            if f.variant not in variants:
                variants[f.variant] = {"en": f.text("en"), "fr": f.text("fr")}
    return {rule: dict(sorted(v.items())) for rule, v in sorted(found.items())}


def readable(template: str) -> str:
    """A message template without its machinery: plurals in their many form, values as "…"."""
    return _PLACEHOLDER.sub("…", _PLURAL.sub(r"\1", template))


HEADINGS = {
    "en": (
        "Severity",
        "Dataverse effect",
        "Applies to",
        "Fixable by `tabcheck fix`",
        "Why",
        "How to fix",
        "Messages",
        "yes",
        "no",
        "partly (see How to fix)",
    ),
    "fr": (
        "Gravité",
        "Effet dans Dataverse",
        "S'applique à",
        "Corrigé par `tabcheck fix`",
        "Pourquoi",
        "Comment corriger",
        "Messages",
        "oui",
        "non",
        "en partie (voir Comment corriger)",
    ),
}


def rule_page(rule: Rule, lang: str = "en") -> str:
    sev, eff, fmt, fix, why, how, msgs, yes, no, partly = HEADINGS[lang]
    colon = t(lang, "colon")
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        rule.summary[lang],
        "",
        f"- {sev}{colon} {t(lang, f'severity.{rule.severity.value}')}",
        f"- {eff}{colon} {t(lang, f'effect.{rule.effect.value}')}",
        f"- {fmt}{colon} {', '.join(sorted(rule.formats))}",
        f"- {fix}{colon} {(partly if rule.partly_fixable else yes) if rule.fixable else no}",
        "",
        f"## {why}",
        "",
        rule.rationale[lang],
        "",
        f"## {how}",
        "",
        rule.how_to_fix[lang],
        "",
        f"## {msgs}",
        "",
    ]
    known = examples().get(rule.name, {})
    for variant, texts in rule.messages.items():
        example = known.get(variant, {}).get(lang)
        lines.append(f"- `{variant}`{colon} {example if example else readable(texts[lang])}")
    return "\n".join(lines) + "\n"


def write_pages(rules: dict[str, Rule], folder: Path) -> list[Path]:
    """One page per rule, English then French, and an index."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = [
        "# tabcheck rules",
        "",
        "| code | name | severity | effect | fixable | summary |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules.values():
        page = folder / f"{r.code}-{r.name}.md"
        page.write_text(rule_page(r, "en") + "\n---\n\n" + rule_page(r, "fr"), encoding="utf-8")
        written.append(page)
        index.append(
            f"| {r.code} | [{r.name}]({page.name}) | {r.severity.value} | {r.effect.value} | "
            f"{('partly' if r.partly_fixable else 'yes') if r.fixable else 'no'} | {r.summary['en']} |"
        )
    (folder / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written
