"""Fixes belong to rules: every repair `fix` makes is declared by the rules it answers."""

from __future__ import annotations

from tabcheck.fix.repairs import REPAIRS, plan_for
from tabcheck.model import Finding, Location
from tabcheck.plugins import all_rules


def test_every_declared_repair_exists_and_every_repair_is_declared() -> None:
    declared = {r.repair for r in all_rules().values() if r.repair is not None}
    assert declared == set(REPAIRS)
    for r in all_rules().values():
        assert r.fixable == (r.repair is not None)


def test_the_plan_follows_the_findings_not_rule_names() -> None:
    findings = [
        Finding(rule="decimal-comma", location=Location(row=2, column=3), fixable=True),
        Finding(rule="null-becomes-zero", location=Location(row=5, column=1), fixable=True),
        Finding(rule="title-or-notes-rows", params={"rows": [1, 40]}),
        # Its repair (drop-trailing-cells) is planned from the table itself when fix rewrites it.
        Finding(rule="ragged-row", location=Location(row=7)),
    ]
    plan, asked = plan_for(findings)
    # Column 3 turns numeric once its decimal commas are points: its `null` would be stored as 0.
    assert (plan.decimal_columns, plan.null_columns, plan.moved_rows) == ({2}, {0, 2}, {1, 40})
    assert asked == {"decimal-point", "empty-null", "move-notes"}


def test_a_decimal_column_keeping_text_keeps_its_null() -> None:
    """Was: `fix` made a column numeric (its decimal commas) and left its `null`, stored as 0 by
    Dataverse. A column numbers-as-text says stays text (12 %): its `null` is text too."""
    findings = [
        Finding(rule="decimal-comma", location=Location(row=2, column=3), fixable=True),
        Finding(rule="decimal-comma", location=Location(row=2, column=4), fixable=True),
        Finding(rule="numbers-as-text", location=Location(row=4, column=4)),
    ]
    plan, asked = plan_for(findings)
    assert (plan.decimal_columns, plan.null_columns) == ({2, 3}, {2})
    assert asked == {"decimal-point", "empty-null"}
    assert plan_for(findings[2:]) == (plan_for([])[0], set())
