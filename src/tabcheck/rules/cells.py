"""Rules about cells: line breaks, quotes, columns, tabs, cells outside the header (TC206–TC211).

Over 400 lines because each rule carries its texts in two languages (about 40 lines a rule); the
checks themselves are short.
"""

from __future__ import annotations

from tabcheck.facts.common import Occurrences
from tabcheck.hookspecs import hookimpl
from tabcheck.messages import Words
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.rules.common import (
    SAMPLES,
    XLSX,
    column_location,
    read_sheet,
    tally_finding,
    usable_sheet,
    user_view,
)

# The workbook checks import tabcheck.workbook.cells themselves: a check of CSV files never loads it.


@rule(
    code="TC206",
    name="embedded-newline",
    severity="warning",
    effect="advice",
    formats=("csv", "tsv"),
    repair="line-breaks",
    summary={"en": "Line breaks inside cells.", "fr": "Des retours à la ligne dans des cellules."},
    rationale={
        "en": "A line break (LF) inside a quoted CSV value is ingested, but the French deposit "
        "guide asks for none; a carriage return (CR, as in Windows line breaks) makes the "
        "save of the ingested table fail since Dataverse 6.7; in Excel any line break "
        "fails the ingest.",
        "fr": "Un retour à la ligne (LF) dans une valeur CSV entre guillemets est accepté, mais "
        "le guide de dépôt demande de l'éviter ; un retour chariot (CR, comme dans les sauts "
        "de ligne Windows) fait échouer l'enregistrement depuis Dataverse 6.7 ; dans Excel, "
        "tout retour à la ligne fait échouer l'ingestion.",
    },
    how_to_fix={
        "en": "Replace line breaks inside cells by a space or ' / ' (`tabcheck fix` does it).",
        "fr": "Remplacez les retours à la ligne dans les cellules par une espace ou « / » "
        "(`tabcheck fix` le fait).",
    },
    messages={
        "lf": {
            "en": "{count} line {count:plural:break inside a cell|breaks inside cells}, "
            "{count:plural:in|first in} row {row}, column {column} ({column_name}).",
            "fr": "{count} {count:plural:retour à la ligne dans une cellule|retours à la ligne dans "
            "des cellules}, {count:plural:à la|le premier à la} ligne {row}, colonne {column} "
            "« {column_name} ».",
        },
        "cr": {
            "en": "{count} carriage {count:plural:return (CR) inside a cell|returns (CR) inside "
            "cells}, {count:plural:in|first in} row {row}, column {column} ({column_name}): "
            "{consequence}",
            "fr": "{count} {count:plural:retour chariot (CR) dans une cellule|retours chariot (CR) "
            "dans des cellules}, {count:plural:à la|le premier à la} ligne {row}, colonne {column} "
            "« {column_name} » : {consequence}",
        },
    },
)
def embedded_newline(r, facts, ctx):
    v = user_view(facts)
    if v is None:
        return
    if v.quoted_cr:
        row, line, col = v.quoted_cr.first
        fails = ctx.profile.cr_in_cell_fails
        consequence = (
            Words(
                "the ingest will fail when the table is saved.",
                "l'ingestion échouera à l'enregistrement du tableau.",
            )
            if fails
            else Words(
                "accepted by this Dataverse version, refused from 6.7 on.",
                "cette version de Dataverse l'accepte, les versions 6.7 et suivantes le refusent.",
            )
        )
        yield r.finding(
            column_location(v, col, row, line),
            variant="cr",
            count=v.quoted_cr.count,
            severity=Severity.BLOCKER if fails else Severity.WARNING,
            effect=Effect.FAILS if fails else Effect.ADVICE,
            samples=[column_location(v, s[2], s[0], s[1]) for s in v.quoted_cr.samples],
            row=row,
            column=col,
            column_name=column_location(v, col).column_name,
            consequence=consequence,
        )
    if v.quoted_lf:
        row, line, col = v.quoted_lf.first
        yield r.finding(
            column_location(v, col, row, line),
            variant="lf",
            count=v.quoted_lf.count,
            samples=[column_location(v, s[2], s[0], s[1]) for s in v.quoted_lf.samples],
            row=row,
            column=col,
            column_name=column_location(v, col).column_name,
        )


@embedded_newline.check_for(
    "xlsx",
    messages={
        "xlsx-data": {
            "en": 'Sheet "{sheet}": {count_cells} {count_cells:plural:cell contains|cells contain} a '
            "line break ({cells}); Dataverse's ingest will fail.",
            "fr": "Feuille « {sheet} » : {count_cells} {count_cells:plural:cellule contient|cellules "
            "contiennent} un retour à la ligne ({cells}) ; l'ingestion par Dataverse échouera.",
        },
        "xlsx-header": {
            "en": 'Sheet "{sheet}": header {count:plural:cell|cells} {cells} {count:plural:contains|'
            'contain} a line break; Dataverse joins the lines ("first\\nsecond" becomes "firstsecond").',
            "fr": "Feuille « {sheet} » : {count:plural:la cellule|les cellules} d'en-tête {cells} "
            "{count:plural:contient|contiennent} un retour à la ligne ; Dataverse le supprime sans le "
            "remplacer (« premier\\nsecond » devient « premiersecond »).",
        },
    },
)
def _embedded_newline_xlsx(rule, facts, ctx):
    _wb, sheet = usable_sheet(facts)
    if sheet is None or not sheet.newline_cells.count:
        return
    header = [s for s in sheet.newline_cells.samples if s.row == sheet.header_row]
    data = [s for s in sheet.newline_cells.samples if s.row != sheet.header_row]
    data_count = sheet.newline_cells.count - len(header)
    if header:
        locs = [Location(sheet=sheet.name, cell=s.cell, row=s.row, column=s.column) for s in header]
        yield rule.finding(
            locs[0],
            variant="xlsx-header",
            count=len(locs),
            samples=locs[:SAMPLES],
            sheet=sheet.name,
            cells=[s.cell for s in header[:20]],
            severity=Severity.INFO,
            effect=Effect.DEGRADES,
        )
    if data_count > 0:
        locs = [Location(sheet=sheet.name, cell=s.cell, row=s.row, column=s.column) for s in data]
        first = locs[0] if locs else Location(sheet=sheet.name)
        yield rule.finding(
            first,
            variant="xlsx-data",
            count=data_count,
            samples=locs[:SAMPLES],
            sheet=sheet.name,
            count_cells=data_count,
            cells=[s.cell for s in data[:SAMPLES]],
            severity=Severity.BLOCKER,
            effect=Effect.FAILS,
        )


@rule(
    code="TC207",
    name="unclosed-quote",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    summary={
        "en": "A double quote opens a value and is never closed.",
        "fr": "Un guillemet ouvre une valeur et n'est jamais refermé.",
    },
    rationale={
        "en": "Dataverse 6.7 and earlier (and every version for TSV) fail on it; 6.8 swallows "
        "the rest of the file into that one cell and ingests fewer rows without a word.",
        "fr": "Dataverse 6.7 et antérieurs (et toutes les versions pour un TSV) échouent ; 6.8 "
        "avale tout le reste du fichier dans cette cellule et ingère moins de lignes sans "
        "rien dire.",
    },
    how_to_fix={
        "en": 'Close the quote, or double it ("") if it is part of the text.',
        "fr": 'Refermez le guillemet, ou doublez-le (`""`) s\'il fait partie du texte.',
    },
    messages={
        "en": "The quote opened on line {line} (row {row}, column {column}) is never closed: "
        "everything after it is read as one value.",
        "fr": "Le guillemet ouvert à la ligne physique {line} (ligne {row}, colonne {column}) "
        "n'est jamais refermé : tout ce qui suit est lu comme une seule valeur.",
    },
)
def unclosed_quote(r, facts, ctx):
    v = user_view(facts)
    if v is None or not v.unclosed_quote:
        return
    row, line, col, _ = v.unclosed_quote.first
    yield r.finding(
        column_location(v, col, row, line), effect=_quote_effect(facts, ctx), line=line, row=row, column=col
    )


def _quote_effect(facts, ctx) -> Effect:
    """6.8 reads quoting errors in a CSV leniently (and alters the text); strict readers fail."""
    return Effect.DEGRADES if ctx.profile.lenient_quotes and facts.format == "csv" else Effect.FAILS


@rule(
    code="TC208",
    name="bad-quoting",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    summary={
        "en": 'Text after a closing quote, or quotes escaped with a backslash (\\").',
        "fr": "Du texte après un guillemet fermant, ou des guillemets échappés par une barre "
        'oblique inverse (`\\"`).',
    },
    rationale={
        "en": 'CSV escapes a quote by doubling it (""). Dataverse 6.7 and earlier fail on '
        '`"abc"def` or `\\"`; 6.8 glues the pieces together and alters the text.',
        "fr": 'En CSV, un guillemet s\'échappe en le doublant (`""`). Dataverse 6.7 et antérieurs '
        'échouent sur `"abc"def` ou `\\"` ; 6.8 recolle les morceaux et altère le texte.',
    },
    how_to_fix={
        "en": 'Write quotes inside quoted values as ""; export again with a CSV writer that '
        "follows RFC 4180.",
        "fr": 'Écrivez les guillemets internes sous la forme `""` ; exportez de nouveau avec un '
        "outil qui respecte la RFC 4180.",
    },
    messages={
        "en": "{count} {count:plural:value has|values have} text after {count:plural:its|their} "
        "closing quote, {count:plural:on|first on} line {line} (row {row}, column {column}).",
        "fr": "{count} {count:plural:valeur a|valeurs ont} du texte après {count:plural:son|leur} "
        "guillemet fermant, {count:plural:à la|la première à la} ligne physique {line} (ligne "
        "{row}, colonne {column}).",
    },
)
def bad_quoting(r, facts, ctx):
    v = user_view(facts)
    if v is None or not v.bad_quoting:
        return
    row, line, col, _ = v.bad_quoting.first
    yield r.finding(
        column_location(v, col, row, line),
        count=v.bad_quoting.count,
        effect=_quote_effect(facts, ctx),
        samples=[column_location(v, s[2], s[0], s[1]) for s in v.bad_quoting.samples],
        line=line,
        row=row,
        column=col,
    )


@rule(
    code="TC209",
    name="too-many-columns",
    severity="blocker",
    effect="advice",
    formats=("csv", "tsv"),
    summary={
        "en": "More columns than the repository accepts (1024 for CSV/TSV, 702 for Excel).",
        "fr": "Plus de colonnes que l'entrepôt n'en accepte (1024 en CSV/TSV, 702 en Excel).",
    },
    rationale={
        "en": "The Recherche Data Gouv guide refuses tables of more than 1024 columns; "
        "Dataverse's Excel reader fails beyond column ZZ (702).",
        "fr": "Le guide de Recherche Data Gouv refuse les tableaux de plus de 1024 colonnes ; "
        "le lecteur Excel de Dataverse échoue au-delà de la colonne ZZ (702).",
    },
    how_to_fix={
        "en": "Reshape the table to a long format (one row per observation and variable), or "
        "split it into several files sharing an identifier column.",
        "fr": "Passez le tableau au format long (une ligne par observation et variable), ou "
        "découpez-le en plusieurs fichiers partageant une colonne d'identifiants.",
    },
    messages={
        "default": {
            "en": "The table has {columns} columns; the limit is {limit}.",
            "fr": "Le tableau a {columns} colonnes ; la limite est de {limit}.",
        },
    },
)
def too_many_columns(r, facts, ctx):
    v = user_view(facts)
    if v is not None and v.expected > 1024:
        yield r.finding(column_location(v, 1025, row=1, line=1), columns=v.expected, limit=1024)


@too_many_columns.check_for(
    "xlsx",
    messages={
        "xlsx-too-many": {
            "en": 'Sheet "{sheet}" has {columns} columns; Dataverse\'s XLSX reader stops at 702 (column ZZ) '
            "and the ingest will fail.",
            "fr": "La feuille « {sheet} » a {columns} colonnes ; le lecteur XLSX de Dataverse s'arrête à 702 "
            "(colonne ZZ) et l'ingestion échouera.",
        },
    },
)
def _too_many_columns_xlsx(rule, facts, ctx):
    from tabcheck.workbook.cells import MAX_DATAVERSE_COLUMNS, cell_ref

    wb, sheet = usable_sheet(facts)
    if sheet is None:
        return
    trace = wb.trace
    columns = max(sheet.max_column, trace.declared_width or 0 if trace else 0)
    if columns > MAX_DATAVERSE_COLUMNS:
        yield rule.finding(
            Location(
                sheet=sheet.name,
                column=MAX_DATAVERSE_COLUMNS + 1,
                cell=cell_ref(MAX_DATAVERSE_COLUMNS + 1, sheet.header_row or 1),
            ),
            variant="xlsx-too-many",
            sheet=sheet.name,
            columns=columns,
            severity=Severity.BLOCKER,
            effect=Effect.FAILS,
        )


@rule(
    code="TC210",
    name="tab-in-cell",
    severity="blocker",
    effect="fails",
    formats=XLSX,
    repair="sheets-to-csv",
    summary={"en": "A cell contains a TAB character.", "fr": "Une cellule contient une tabulation."},
    rationale={
        "en": "Dataverse turns the sheet into TAB-separated text; a TAB inside a cell adds a "
        'column to that row and the ingest fails ("Reading mismatch … during the second pass").',
        "fr": "Dataverse convertit la feuille en texte séparé par des tabulations ; une tabulation "
        "dans une cellule ajoute une colonne à la ligne et l'ingestion échoue.",
    },
    how_to_fix={
        "en": "Replace the TAB characters in these cells by spaces, or let `tabcheck fix` write "
        "the sheet as a UTF-8 CSV file.",
        "fr": "Remplacez les tabulations de ces cellules par des espaces, ou laissez "
        "`tabcheck fix` enregistrer la feuille en CSV UTF-8.",
    },
    messages={
        "en": 'Sheet "{sheet}": {count_cells} {count_cells:plural:cell contains|cells contain} a TAB '
        "character ({cells}); Dataverse's ingest will fail.",
        "fr": "Feuille « {sheet} » : {count_cells} {count_cells:plural:cellule contient|cellules "
        "contiennent} une tabulation ({cells}) ; l'ingestion par Dataverse échouera.",
    },
)
def tab_in_cell(rule_, facts, ctx):
    sheet = read_sheet(facts)
    if sheet is None:
        return
    tally = _data_only(sheet, sheet.tab_cells)
    if tally.count:
        yield tally_finding(rule_, sheet, tally)


def _data_only(sheet, tally):
    """Occurrences below the header row (in the header, Dataverse removes TAB and line breaks)."""
    if sheet.header_row is None:
        return tally
    in_header = sum(1 for s in tally.samples if s.row == sheet.header_row)
    if not in_header:
        return tally
    return Occurrences(tally.count - in_header, [s for s in tally.samples if s.row != sheet.header_row])


@rule(
    code="TC211",
    name="cells-outside-header",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    summary={
        "en": "Cells hold data to the right of the header row.",
        "fr": "Des cellules contiennent des données à droite de la ligne d'en-tête.",
    },
    rationale={
        "en": "Dataverse sizes the table from the header row. Data further right either becomes "
        "an extra variable named by its column letter (when it is near the top) or makes "
        'the ingest fail ("Index … out of bounds").',
        "fr": "Dataverse dimensionne le tableau d'après la ligne d'en-tête. Des données plus à "
        "droite deviennent une variable supplémentaire nommée par sa lettre de colonne "
        "(si elles sont en haut) ou font échouer l'ingestion (« Index … out of bounds »).",
    },
    how_to_fix={
        "en": "Give every column with data a name in the header row, or delete the stray cells.",
        "fr": "Donnez un nom dans la ligne d'en-tête à chaque colonne contenant des données, "
        "ou supprimez les cellules isolées.",
    },
    messages={
        "default": {
            "en": 'Sheet "{sheet}": {count_cells} {count_cells:plural:cell lies|cells lie} right of the '
            "header (last header column {last}): {cells}. Dataverse will add variables named by "
            "column letter.",
            "fr": "Feuille « {sheet} » : {count_cells} {count_cells:plural:cellule est|cellules sont} à "
            "droite de l'en-tête (dernière colonne d'en-tête {last}) : {cells}. Dataverse ajoutera "
            "des variables nommées d'après la lettre de leur colonne.",
        },
        "fails": {
            "en": 'Sheet "{sheet}": {count_cells} {count_cells:plural:cell lies|cells lie} right of the '
            "header (last header column {last}): {cells}. Dataverse's ingest will fail at {first}.",
            "fr": "Feuille « {sheet} » : {count_cells} {count_cells:plural:cellule est|cellules sont} à "
            "droite de l'en-tête (dernière colonne d'en-tête {last}) : {cells}. L'ingestion par "
            "Dataverse échouera à la cellule {first}.",
        },
    },
)
def cells_outside_header(rule_, facts, ctx):
    from tabcheck.workbook.cells import column_letters

    sheet = read_sheet(facts)
    if sheet is None or not sheet.wide_cells.count:
        return
    trace = facts.workbook.trace
    fails = bool(trace and trace.failure and trace.failure.startswith("Index ") and trace.failure_cell)
    if fails:
        yield tally_finding(
            rule_,
            sheet,
            sheet.wide_cells,
            variant="fails",
            last=column_letters(sheet.header_width),
            first=trace.failure_cell,
            severity=Severity.BLOCKER,
            effect=Effect.FAILS,
        )
    else:
        yield tally_finding(rule_, sheet, sheet.wide_cells, last=column_letters(sheet.header_width))


@hookimpl
def tabcheck_rules():
    return provide(globals())
