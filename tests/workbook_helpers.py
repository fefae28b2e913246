"""Building FileFacts/Context for the workbook tests, and running one rule on a fixture."""

from __future__ import annotations

from pathlib import Path

from tabcheck.dataverse.profiles import profile_for
from tabcheck.facts import Context, FileFacts
from tabcheck.model import Target
from tabcheck.plugins import all_rules
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
    return Context(target=Target(dataverse=version), profile=profile_for(version))


def rule_by_name(name: str):
    return all_rules()[name]


def run(name: str, fixture: str, lang: str = "en"):
    r = rule_by_name(name)
    findings = list(r.check(facts_for(fixture), context()))
    for f in findings:
        assert r.render(f, "en") and r.render(f, "fr")
    return findings
