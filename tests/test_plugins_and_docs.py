"""The plugin contract and the generated rule pages."""

from __future__ import annotations

import types
from importlib import metadata
from pathlib import Path

import pytest

from tabcheck import api, plugins
from tabcheck.docs import rule_page
from tabcheck.hookspecs import hookimpl
from tabcheck.model import Location
from tabcheck.rule import rule

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "fixtures" / "dataverse-verdicts" / "csv-tsv" / "01_good.csv"


def test_builtin_rules_come_from_the_entry_point_group():
    names = {ep.name for ep in metadata.entry_points(group="tabcheck")}
    assert {"files", "encoding", "structure", "header", "values", "workbook"} <= names
    registered = {getattr(p, "__name__", "") for p in plugins.plugin_manager().get_plugins()}
    assert set(plugins.BUILTIN_MODULES) <= registered


def test_codes_are_unique_and_well_formed_and_texts_bilingual():
    rules = plugins.all_rules()
    assert len({r.code for r in rules.values()}) == len(rules)
    for r in rules.values():
        assert r.code.startswith("TC") and len(r.code) == 5 and r.code[2:].isdigit()
        for text in (r.summary, r.rationale, r.how_to_fix, *r.messages.values()):
            assert text["en"] and text["fr"] and text["en"] != text["fr"], r.name


def _third_party_plugin(crash: bool):
    @rule(
        code="TC901",
        name="no-column-named-x",
        severity="warning",
        effect="advice",
        summary={"en": "A column is named x.", "fr": "Une colonne s'appelle x."},
        rationale={"en": "x says nothing.", "fr": "x ne dit rien."},
        how_to_fix={"en": "Rename it.", "fr": "Renommez-la."},
        messages={"en": "Column {column} is named {name}.", "fr": "La colonne {column} s'appelle {name}."},
    )
    def check(r, facts, ctx):
        if crash:
            raise RuntimeError("boom")
        for i, name in enumerate(facts.table.user.header or []):
            if name == "name":
                yield r.finding(Location(row=1, column=i + 1), column=i + 1, name=name)

    module = types.ModuleType("third_party_rules")
    module.tabcheck_rules = hookimpl(lambda: [check])
    return module


@pytest.fixture
def registered():
    pm = plugins.plugin_manager()
    added = []

    def add(module):
        pm.register(module)
        added.append(module)
        plugins.all_rules.cache_clear()

    yield add
    for module in added:
        pm.unregister(module)
    plugins.all_rules.cache_clear()


def test_a_third_party_rule_runs_like_a_builtin_one(registered):
    registered(_third_party_plugin(crash=False))
    report = api.check([GOOD], lang="fr").files[0]
    found = [f for f in report.findings if f.code == "TC901"]
    assert [(f.rule, f.location.column, f.text("fr")) for f in found] == [
        ("no-column-named-x", 2, "La colonne 2 s'appelle name.")
    ]


def test_a_crashing_plugin_becomes_a_finding_and_the_run_goes_on(registered):
    registered(_third_party_plugin(crash=True))
    report = api.check([GOOD]).files[0]
    crashed = [f for f in report.findings if f.rule == "rule-crashed"]
    assert [f.params["rule"] for f in crashed] == ["no-column-named-x"]
    assert "RuntimeError: boom" in crashed[0].text()
    assert report.dataverse.outcome.value == "ingested"


def test_committed_rule_pages_match_the_rules():
    for r in plugins.all_rules().values():
        page = ROOT / "rules" / f"{r.code}-{r.name}.md"
        assert page.read_text(encoding="utf-8") == rule_page(r, "en") + "\n---\n\n" + rule_page(r, "fr"), (
            f"{page.name} is stale: run python scripts/generate_docs.py"
        )


def test_committed_rule_examples_are_the_messages_the_fixtures_give():
    """`explain` and the rule pages show real messages (not {placeholders}); they must not drift."""
    import json

    from tabcheck.docs import EXAMPLES, collect_examples

    committed = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    assert committed == collect_examples(ROOT / "fixtures"), "stale: run python scripts/generate_docs.py"
    assert committed["ragged-row"]["default"] == {
        "en": "1 row does not have 3 cells like the header: row 3 has 4.",
        "fr": "1 ligne n'a pas 3 cellules comme l'en-tête\u00a0: la ligne 3 en a 4.",
    }
