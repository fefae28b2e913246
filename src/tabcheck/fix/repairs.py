"""The repairs `tabcheck fix` makes, each declared by the rules it answers (`Rule.repair`).

`fix` is driven by the findings: for each finding whose rule names a repair, the repair notes in
the rewrite's plan what it needs (a column to convert, rows to move). Repairs without a `prepare`
are made by every rewrite (UTF-8, commas, no blank lines), so they need nothing from the finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tabcheck.model import Finding


@dataclass
class Plan:
    """What one CSV/TSV rewrite changes beyond re-encoding and re-delimiting."""

    decimal_columns: set[int] = field(default_factory=set)  # 0-based columns: decimal comma -> point
    null_columns: set[int] = field(default_factory=set)  # 0-based columns: `null` -> empty
    moved_rows: set[int] = field(default_factory=set)  # rows (header = 1) moved to NAME.notes.txt


@dataclass(frozen=True)
class Repair:
    name: str
    summary: str  # what the rewrite does, for contributors (users see the fix log)
    prepare: Callable[[Plan, Finding], None] | None = None


def _column(target: Callable[[Plan], set[int]]) -> Callable[[Plan, Finding], None]:
    def prepare(plan: Plan, finding: Finding) -> None:
        if finding.location.column:
            target(plan).add(finding.location.column - 1)

    return prepare


def _moved_rows(plan: Plan, finding: Finding) -> None:
    plan.moved_rows.update(int(r) for r in finding.params.get("rows") or ())


REPAIRS: dict[str, Repair] = {
    r.name: r
    for r in (
        Repair("transcode", "decode with the detected encoding, write UTF-8"),
        Repair("drop-bom", "write no byte order mark"),
        Repair("comma-delimiter", "write commas between values, quoting values where needed"),
        Repair("drop-blank-lines", "write no empty line"),
        Repair("line-breaks", "write line breaks inside cells as Dataverse accepts them"),
        Repair(
            "decimal-point",
            "decimal commas become points in the columns found",
            _column(lambda p: p.decimal_columns),
        ),
        Repair(
            "empty-null",
            "`null` becomes empty in the numeric columns found",
            _column(lambda p: p.null_columns),
        ),
        Repair("move-notes", "title and notes rows go to NAME.notes.txt", _moved_rows),
        Repair("sheets-to-csv", "each sheet of a workbook becomes a UTF-8 CSV"),
    )
}


def plan_for(findings: list[Finding]) -> tuple[Plan, set[str]]:
    """The rewrite's plan from a file's findings, and the names of the repairs they ask for."""
    from tabcheck.plugins import all_rules

    rules = all_rules()
    plan = Plan()
    asked: set[str] = set()
    for f in findings:
        rule = rules.get(f.rule)
        if rule is None or rule.repair is None:
            continue
        repair = REPAIRS[rule.repair]
        asked.add(repair.name)
        if repair.prepare is not None:
            repair.prepare(plan, f)
    return plan, asked
