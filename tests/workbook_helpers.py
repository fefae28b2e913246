"""Building FileFacts/Context for the workbook tests, and running one rule on a fixture."""

from __future__ import annotations

from pathlib import Path

from tabcheck.dataverse.profiles import profile_for
from tabcheck.facts import Context, FileFacts
from tabcheck.model import Target
from tabcheck.rule import rule as make_rule
from tabcheck.rules import workbook as workbook_rules
from tabcheck.rules import workbook_shared
from tabcheck.workbook import read_workbook

ROOT = Path(__file__).resolve().parent.parent
XLSX = ROOT / "fixtures" / "xlsx"
_cache: dict = {}


def facts_for(name: str) -> FileFacts:
    path = XLSX / name
    if path not in _cache:
        _cache[path] = FileFacts(
            path=path,
            display_path=name,
            size=path.stat().st_size,
            extension=".xlsx",
            format="xlsx",
            content="zip",
            workbook=read_workbook(path),
        )
    return _cache[path]


def context(version: str = "6.8", lang: str = "en") -> Context:
    return Context(target=Target(dataverse=version), profile=profile_for(version), lang=lang)


def rule_by_name(name: str):
    for r in workbook_rules.tabcheck_rules():
        if r.name == name:
            return r
    # a shared rule: a stand-in carrying only the workbook variants, as the lead's rule merges them
    check = workbook_shared.CHECKS[name]
    text = {"en": name, "fr": name}
    return make_rule(
        code="TC999",
        name=name,
        severity="warning",
        effect="degrades",
        summary=text,
        rationale=text,
        how_to_fix=text,
        messages=workbook_shared.MESSAGES[name],
        formats=("xlsx",),
    )(check)


def run(name: str, fixture: str, lang: str = "en"):
    r = rule_by_name(name)
    findings = list(r.check(r, facts_for(fixture), context(lang=lang)))
    for f in findings:
        assert r.render(f, "en") and r.render(f, "fr")
    return findings
