"""pandas' index column (`Unnamed: 0`) in a CSV, TSV or workbook: an example tabcheck rule."""

from collections.abc import Iterator

from tabcheck.plugin import Context, FileFacts, Finding, Location, Rule, hookimpl, rule

WHAT = {"en": "A column is pandas' index.", "fr": "Une colonne est l'index de pandas."}
FIX = {"en": "Save the table with index=False.", "fr": "Enregistrez le tableau avec index=False."}
SAY = {"en": "Column {column} is pandas' index.", "fr": "La colonne {column} est l'index de pandas."}


@rule(code="TC901", name="unnamed-column", severity="warning", effect="degrades", formats=("csv", "tsv", "xlsx"),
      summary=WHAT, rationale=WHAT, how_to_fix=FIX, messages=SAY)  # fmt: skip
def unnamed_column(r: Rule, facts: FileFacts, ctx: Context) -> Iterator[Finding]:
    view, sheet = (facts.table.user if facts.table else None), None
    names = dict(enumerate(view.header or [], 1)) if view else {}
    if facts.workbook and (sheet := facts.workbook.read_sheet) and sheet.first_rows:
        names = sheet.first_rows[0].values
    for column, name in names.items():
        if name.startswith("Unnamed: "):
            where = Location(sheet=sheet.name if sheet else None, row=1, column=column)
            yield r.finding(where, column=column, name=name)


@hookimpl
def tabcheck_rules() -> list[Rule]:
    return [unnamed_column]
