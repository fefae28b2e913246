"""Rules about rows that are not observations: a total (or a mean) written under the data (TC212)."""

from __future__ import annotations

import re

from tabcheck.hookspecs import hookimpl
from tabcheck.messages import Quoted
from tabcheck.model import Location
from tabcheck.rule import provide, rule
from tabcheck.rules.common import column_location, first_data_row, read_sheet, sheet_layout, user_view

# The words that open a row of totals or means in French and English exports (a label cell).
TOTAL_LABEL = re.compile(
    r"^\s*(?:grand\s+|sous[\s-]*)?(?:total|totaux|sum|subtotal|somme|ensemble|moyenne|mean|average|"
    r"moy\.?)(?:\s+(?:général|générale|generale|general|g[ée]n[ée]ral))?\s*:?\s*$",
    re.IGNORECASE,
)
_LAST_ROWS = 3  # rows looked at from the bottom of the table (notes under the total)


@rule(
    code="TC212",
    name="total-row",
    severity="warning",
    effect="degrades",
    summary={
        "en": "A row of totals or means under the data (Total, Moyenne).",
        "fr": "Une ligne de totaux ou de moyennes sous les données (Total, Moyenne).",
    },
    rationale={
        "en": "Dataverse takes every row under the header as an observation: a total row is counted "
        "as one more case, in the number of observations and in every statistic (its mean, its "
        "maximum), and it stays in the data that others download and analyse.",
        "fr": "Dataverse prend chaque ligne sous l'en-tête pour une observation : une ligne de total "
        "compte comme un cas de plus, dans le nombre d'observations et dans chaque statistique (la "
        "moyenne, le maximum), et reste dans les données que d'autres téléchargent et analysent.",
    },
    how_to_fix={
        "en": "Delete the row: totals and means are computed from the data. `tabcheck fix` leaves it "
        "(it is a row of the table).",
        "fr": "Supprimez la ligne : les totaux et les moyennes se calculent à partir des données. "
        "`tabcheck fix` la laisse (c'est une ligne du tableau).",
    },
    messages={
        "en": "Row {row} looks like a row of totals ({label} in column {column}): Dataverse will count it "
        "as an observation, in every statistic.",
        "fr": "La ligne {row} ressemble à une ligne de totaux ({label} en colonne {column}) : Dataverse "
        "la comptera comme une observation, dans chaque statistique.",
    },
)
def total_row(r, facts, ctx):
    v = user_view(facts)
    found = view_total_row(v) if v is not None else None
    if found is not None:
        row, column, label = found
        yield r.finding(
            column_location(v, column, row=row),
            row=row,
            column=column,
            label=Quoted(label.strip()),
        )


@total_row.check_for(
    "xlsx",
    messages={
        "xlsx-total": {
            "en": 'Sheet "{sheet}": row {row} looks like a row of totals ({label} in {cell}): Dataverse will '
            "count it as an observation, in every statistic.",
            "fr": "Feuille « {sheet} » : la ligne {row} ressemble à une ligne de totaux ({label} en {cell}) : "
            "Dataverse la comptera comme une observation, dans chaque statistique.",
        },
    },
)
def _total_row_xlsx(r, facts, ctx):
    from tabcheck.workbook.cells import cell_ref

    sheet = read_sheet(facts)
    found = total_row_of(sheet)
    if found is not None:
        row, column, label = found
        cell = cell_ref(column, row)
        yield r.finding(
            Location(sheet=sheet.name, cell=cell, row=row, column=column),
            variant="xlsx-total",
            sheet=sheet.name,
            row=row,
            cell=cell,
            label=Quoted(label.strip()),
        )


def view_total_row(v) -> tuple[int, int, str] | None:
    """(row, column, label) of a CSV/TSV table's total row (its label as written)."""
    if v.expected < 2 or not v.records:
        return None
    rows = [rec for rec in v.tail if rec.row >= first_data_row(v) and len(rec.fields) == v.expected]
    return _total((rec.row, dict(enumerate(rec.fields, 1))) for rec in reversed(rows))


def total_row_of(sheet) -> tuple[int, int, str] | None:
    """(row, column, label) of the sheet's total row, under its author's header (a title above
    the table does not hide it)."""
    layout = sheet_layout(sheet)
    if layout is None or layout.header.filled < 2:
        return None
    rows = [row for row in sheet.last_rows if row.number > layout.header.number]
    return _total((row.number, row.values) for row in reversed(rows))


def _total(rows) -> tuple[int, int, str] | None:
    """(row, column, label) of the table's last row (bottom up, rows of one cell passed over: the
    notes under it) when its first filled cell is a total's label and it holds a number too. Only
    the last one: a label further up, with data under it, is a category ("mean", "sd", "n" in a
    table of statistics)."""
    for seen, (row, values) in enumerate(rows):
        if seen >= _LAST_ROWS:
            return None
        filled = [(c, t) for c, t in sorted(values.items()) if t and t.strip()]
        if len(filled) < 2:
            continue  # an empty row or a note: the table's last rows are above it
        column, label = filled[0]
        if TOTAL_LABEL.match(label) and any(_number(t) for _, t in filled[1:]):
            return row, column, label
        return None
    return None


def _number(text: str) -> bool:
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return bool(re.fullmatch(r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?%?", t))


@hookimpl
def tabcheck_rules():
    return provide(globals())
