"""Rule documentation, generated from the rules' metadata (the pages in rules/ and `tabcheck explain`)."""

from __future__ import annotations

from pathlib import Path

from tabcheck.i18n import t
from tabcheck.rule import Rule

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
    ),
}


def rule_page(rule: Rule, lang: str = "en") -> str:
    sev, eff, fmt, fix, why, how, msgs, yes, no = HEADINGS[lang]
    colon = t(lang, "colon")
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        rule.summary[lang],
        "",
        f"- {sev}{colon} {t(lang, f'severity.{rule.severity.value}')}",
        f"- {eff}{colon} {t(lang, f'effect.{rule.effect.value}')}",
        f"- {fmt}{colon} {', '.join(sorted(rule.formats))}",
        f"- {fix}{colon} {yes if rule.fixable else no}",
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
    for variant, texts in rule.messages.items():
        lines.append(f"- `{variant}`{colon} {texts[lang]}")
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
            f"{'yes' if r.fixable else 'no'} | {r.summary['en']} |"
        )
    (folder / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written
