"""The repairs `tabcheck fix` makes, each declared by the rules it answers (`Rule.repair`).

`fix` is driven by the findings: for each finding whose rule names a repair, the repair notes in
the rewrite's plan what it needs (a column to convert, lines to move). Repairs without a `prepare`
are made by every rewrite that needs them (UTF-8, commas, no blank lines), and are counted there.

Numbers: a column with decimal commas is converted only when all its numbers agree on one
convention (`NumberConvention`); the grammars extend those of `tabcheck.patterns` (which the checks
use) with the cases a rewrite must tell apart: `1,234` and `1.000` read two ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tabcheck.model import Finding
from tabcheck.patterns import GROUPING_RE, NULL_WORD

NULL_RE = re.compile(NULL_WORD)

# A number's grouping separators: the patterns' (space, NBSP, narrow NBSP, point) and the Swiss `'`.
_SPACES = " \u00a0\u202f'"  # separators that never mark decimals
_GROUP_CHARS = "".join(c for c in "\u0020\u00a0\u202f." if GROUPING_RE.match(c)) + "'"
_EXP = r"(?:[eE][+-]?[0-9]+)?"
_PAD = r"[ \t]*"

# Each value of a decimal column is one of these kinds (the first that matches):
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(f"^{_PAD}[+-]?(?:{body}){_PAD}$"))
    for name, body in (
        ("plain", rf"[0-9]+{_EXP}"),  # 12, 1e-05: the same in both conventions
        ("space-grouped", rf"[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+"),  # 1 234: the same too
        # 1,234: 1.234 or 1234; 1.000: 1.0 or 1000. Not 0,125 nor 0.125: no one writes a thousands
        # group after a lone 0, so those are decimals.
        ("ambiguous-comma", r"[1-9][0-9]{0,2},[0-9]{3}"),
        ("ambiguous-point", r"[1-9][0-9]{0,2}\.[0-9]{3}"),
        # Decimal comma: 3,5  1.234,5  1 234,5  1,5e-3 ; several point groups: 1.234.567
        ("comma", rf"(?:[0-9]{{1,3}}(?:[{_GROUP_CHARS}][0-9]{{3}})+|[0-9]+),[0-9]+{_EXP}"),
        ("comma", r"[0-9]{1,3}(?:\.[0-9]{3}){2,}"),
        # Decimal point: 3.5  1,234.5  1 234.5 ; several comma groups: 67,750,000
        ("point", rf"(?:[0-9]{{1,3}}(?:[,{_SPACES}][0-9]{{3}})+|[0-9]*)\.[0-9]+{_EXP}"),
        ("point", r"[0-9]{1,3}(?:,[0-9]{3}){2,}"),
    )
)
_COMMA_SEPARATORS = re.compile(f"[{re.escape(_GROUP_CHARS)}]")
_POINT_SEPARATORS = re.compile(f"[,{re.escape(_SPACES)}]")


def number_kind(value: str) -> str | None:
    """The kind of a number as written (plain, space-grouped, ambiguous-comma, …), None if not one."""
    for name, pattern in _KINDS:
        if pattern.match(value):
            return name
    return None


def convert_number(value: str, convention: str) -> str:
    """A number written in `convention` ("comma" or "point") as Dataverse reads it: `1.234,5` → `1234.5`.

    Spaces around the number are kept (Dataverse reads padded numbers).
    """
    core = value.strip(" \t")
    lead = value[: len(value) - len(value.lstrip(" \t"))]
    trail = value[len(value.rstrip(" \t")) :]
    if convention == "comma":
        core = _COMMA_SEPARATORS.sub("", core).replace(",", ".")
    else:
        core = _POINT_SEPARATORS.sub("", core)
    return lead + core + trail


@dataclass
class NumberConvention:
    """What one decimal column's numbers say about its convention, counted over the whole column."""

    kinds: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)  # kind -> first value

    def add(self, kind: str, value: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.examples.setdefault(kind, value)

    @property
    def decision(self) -> str:
        """`comma`, `point`, `neutral` (only grouped integers) or `ambiguous`."""
        comma, point = self.kinds.get("comma", 0), self.kinds.get("point", 0)
        if comma and point:
            return "ambiguous"
        if comma:
            return "comma"
        if point:
            return "point"
        if self.kinds.get("ambiguous-comma") or self.kinds.get("ambiguous-point"):
            return "ambiguous"
        return "neutral"

    def conflict(self) -> tuple[str, str]:
        """Two values that disagree (for the refusal's message)."""
        ex = self.examples
        first = ex.get("comma") or ex.get("ambiguous-comma") or ex.get("ambiguous-point") or ""
        second = ex.get("point") or ex.get("ambiguous-point") or ex.get("ambiguous-comma") or ""
        return first, second


@dataclass
class Plan:
    """What one CSV/TSV rewrite changes beyond re-encoding and re-delimiting."""

    decimal_columns: set[int] = field(default_factory=set)  # 0-based columns: decimal comma -> point
    null_columns: set[int] = field(default_factory=set)  # 0-based columns: `null` -> empty
    # 0-based columns whose dates are written yyyy-mm-dd, with the order of their day and month
    # (dmy, mdy, ymd), or "time" for dates with a time of day written yyyy-mm-dd hh:mm:ss: dropped
    # from the plan when one of their values is not one (fix/dates.py).
    date_columns: dict[int, str] = field(default_factory=dict)
    # 0-based date column -> the label of the table's total row in it (Moyenne), left as written
    date_labels: dict[int, str] = field(default_factory=dict)
    title_lines: set[int] = field(default_factory=set)  # physical lines above the header -> notes
    note_lines: set[int] = field(default_factory=set)  # physical lines below the table -> notes
    note_rows: set[int] = field(default_factory=set)  # the notes, as rows (header = 1)
    moved_rows: set[int] = field(default_factory=set)  # titles and notes, as rows (header = 1)
    # The table's width once the empty cells after its last named column are dropped (a delimiter
    # at the end of each line), None when there are none; withdrawn when one of them holds a value.
    keep_width: int | None = None
    drop_empty_rows: bool = False  # rows of empty cells (`;;`) are dropped with the blank lines
    # Below a title the check did not skip, that width is the header's, taken when the rewrite meets it.
    keep_from_header: bool = False


@dataclass(frozen=True)
class Repair:
    name: str
    summary: str  # what the rewrite does, for contributors (users see the fix log)
    prepare: Callable[[Plan, Finding], None] | None = None
    # Planned from the table's own view when its file is rewritten (csvfix), not from the findings.
    from_view: bool = False
    # It answers only some shapes of its rules' findings: each finding says whether it is one
    # (Finding.fixable), and the rule's page says "partly".
    partial: bool = False


def _column(target: Callable[[Plan], set[int]]) -> Callable[[Plan, Finding], None]:
    def prepare(plan: Plan, finding: Finding) -> None:
        if finding.fixable and finding.location.column:
            target(plan).add(finding.location.column - 1)

    return prepare


def _dates(plan: Plan, finding: Finding) -> None:
    """A column of dates the check can tell the order of (TC404's fixable findings)."""
    order = finding.params.get("order")  # dmy, mdy, ymd; dmy-time … for dates with a time
    if finding.fixable and finding.location.column and order:
        plan.date_columns[finding.location.column - 1] = str(order)
        label = finding.params.get("total_label")  # a total row's Moyenne under the dates: it stays
        if label:
            plan.date_labels[finding.location.column - 1] = str(label)


def _times(plan: Plan, finding: Finding) -> None:
    """A date column whose values carry a time of day (TC410's fixable findings)."""
    if finding.fixable and finding.location.column:
        from tabcheck.fix.dates import TIME

        plan.date_columns[finding.location.column - 1] = TIME


def _moved_lines(plan: Plan, finding: Finding) -> None:
    lines = {s.line for s in finding.samples if s.line} or {finding.location.line or 0} - {0}
    plan.moved_rows.update(int(r) for r in finding.params.get("rows") or ())
    from tabcheck.rules.structure import TITLE_VARIANTS

    above = finding.variant in TITLE_VARIANTS
    (plan.title_lines if above else plan.note_lines).update(lines)
    if not above:
        plan.note_rows.update(s.row for s in finding.samples if s.row)


REPAIRS: dict[str, Repair] = {
    r.name: r
    for r in (
        Repair("transcode", "decode with the author's encoding (strictly), write UTF-8"),
        Repair("drop-bom", "write no byte order mark"),
        Repair("comma-delimiter", "write commas between values, quoting values where needed"),
        Repair("drop-blank-lines", "write no empty line (a one-column table keeps its empty values)"),
        Repair("line-breaks", "write CR and CRLF inside cells as LF (spaces with --flatten-newlines)"),
        Repair(
            "decimal-point",
            "decimal commas become points in the columns found, when every number agrees",
            _column(lambda p: p.decimal_columns),
            partial=True,  # not beside 12 % (kept as text), nor beside a sheet's numbers with decimals
        ),
        Repair(
            "empty-null",
            "`null` becomes empty in the numeric columns found, and in those decimal-point makes numeric",
            _column(lambda p: p.null_columns),
        ),
        Repair(
            "iso-date",
            "dates written day/month/year (or month/day/year) become yyyy-mm-dd in the columns "
            "whose order is known, when every value is a real date",
            _dates,
            partial=True,
        ),
        Repair(
            "iso-time",
            "dates with a time of day (2020-12-25 14:30, 2020-12-25T14:30) become yyyy-mm-dd hh:mm:ss, "
            "when every value of the column is one",
            _times,
            partial=True,
        ),
        Repair("move-notes", "title and notes outside the table go to NAME.notes.txt", _moved_lines),
        Repair(
            "drop-trailing-cells",
            "empty cells after the last named column (a delimiter at the end of the lines) are not "
            "written, when every one of them is empty",
            from_view=True,
            partial=True,
        ),
        Repair(
            "header-deduplicated",
            "a name several columns hold is written name_2, name_3, … in the later ones (every rewrite)",
            from_view=True,
            partial=True,
        ),
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
        if repair.from_view:
            continue
        asked.add(repair.name)
        if repair.prepare is not None:
            repair.prepare(plan, f)
    # A column whose decimal commas become points turns numeric, and Dataverse stores a `null` in a
    # numeric column as 0: emptied in the same run, as in the columns that were numeric already.
    # Not in a column keeping text that numbers-as-text found (12 %, 5 €): it stays text, `null` too.
    still_text = {
        f.location.column - 1 for f in findings if f.rule == "numbers-as-text" and f.location.column
    }
    if plan.decimal_columns - still_text - plan.null_columns:
        plan.null_columns |= plan.decimal_columns - still_text
        asked.add("empty-null")
    return plan, asked
