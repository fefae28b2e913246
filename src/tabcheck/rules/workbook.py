"""Rules that exist only for Excel workbooks: sheets, row spans, merged cells, cell contents."""

from __future__ import annotations

import re

from tabcheck.hookspecs import hookimpl
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.workbook.cells import cell_ref, column_letters, parse_ref

XLSX = ("xlsx",)
SAMPLES = 5


def _workbook(facts):
    wb = getattr(facts, "workbook", None)
    return None if wb is None or wb.corrupt is not None else wb


def _read_sheet(facts):
    wb = _workbook(facts)
    return wb.read_sheet if wb else None


def _loc(sheet, sample) -> Location:
    return Location(
        sheet=sheet.name,
        cell=sample.cell,
        row=sample.row,
        column=sample.column,
        column_name=_header_name(sheet, sample.column),
    )


def _header_name(sheet, column: int) -> str | None:
    if sheet.first_rows:
        return sheet.first_rows[0].values.get(column)
    return None


def _tally_finding(rule_, sheet, tally, **params):
    samples = [_loc(sheet, s) for s in tally.samples[:SAMPLES]]
    cells = [s.cell for s in tally.samples[:SAMPLES]]
    return rule_.finding(
        samples[0],
        count=tally.count,
        samples=samples,
        sheet=sheet.name,
        cells=cells,
        count_cells=tally.count,
        **params,
    )


@rule(
    code="TC210",
    name="tab-in-cell",
    severity="blocker",
    effect="fails",
    formats=XLSX,
    fixable=True,
    summary={"en": "A cell contains a TAB character.", "fr": "Une cellule contient une tabulation."},
    rationale={
        "en": "Dataverse turns the sheet into TAB-separated text; a TAB inside a cell adds a "
        'column to that row and the ingest fails ("Reading mismatch … during the second pass").',
        "fr": "Dataverse convertit la feuille en texte séparé par des tabulations ; une tabulation "
        "dans une cellule ajoute une colonne à la ligne et l'ingestion échoue.",
    },
    how_to_fix={
        "en": "Replace the TAB characters in these cells by spaces, or let `tabcheck fix` write "
        "the sheet as a UTF-8 CSV file.",
        "fr": "Remplacez les tabulations de ces cellules par des espaces, ou laissez "
        "`tabcheck fix` enregistrer la feuille en CSV UTF-8.",
    },
    messages={
        "en": 'Sheet "{sheet}": {count_cells} cell(s) contain a TAB character ({cells}); '
        "Dataverse's ingest will fail.",
        "fr": "Feuille « {sheet} » : {count_cells} cellule(s) contiennent une tabulation ({cells}) ; "
        "l'ingestion par Dataverse échouera.",
    },
)
def tab_in_cell(rule_, facts, ctx):
    sheet = _read_sheet(facts)
    if sheet is None:
        return
    tally = _data_only(sheet, sheet.tab_cells)
    if tally.count:
        yield _tally_finding(rule_, sheet, tally)


def _data_only(sheet, tally):
    """Occurrences below the header row (in the header, Dataverse removes TAB and line breaks)."""
    from tabcheck.workbook.facts import CellTally

    if sheet.header_row is None:
        return tally
    in_header = sum(1 for s in tally.samples if s.row == sheet.header_row)
    if not in_header:
        return tally
    return CellTally(tally.count - in_header, [s for s in tally.samples if s.row != sheet.header_row])


@rule(
    code="TC211",
    name="cells-outside-header",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=False,
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
        "(si elles sont en haut) ou font échouer l'ingestion (« Index … out of bounds »).",
    },
    how_to_fix={
        "en": "Give every column with data a name in the header row, or delete the stray cells.",
        "fr": "Donnez un nom dans la ligne d'en-tête à chaque colonne contenant des données, "
        "ou supprimez les cellules isolées.",
    },
    messages={
        "default": {
            "en": 'Sheet "{sheet}": {count_cells} cell(s) lie right of the header (last header '
            "column {last}): {cells}. Dataverse will add variables named by column letter.",
            "fr": "Feuille « {sheet} » : {count_cells} cellule(s) sont à droite de l'en-tête "
            "(dernière colonne d'en-tête {last}) : {cells}. Dataverse ajoutera des "
            "variables nommées par la lettre de colonne.",
        },
        "fails": {
            "en": 'Sheet "{sheet}": {count_cells} cell(s) lie right of the header (last header '
            "column {last}): {cells}. Dataverse's ingest will fail at {first}.",
            "fr": "Feuille « {sheet} » : {count_cells} cellule(s) sont à droite de l'en-tête "
            "(dernière colonne d'en-tête {last}) : {cells}. L'ingestion par Dataverse "
            "échouera en {first}.",
        },
    },
)
def cells_outside_header(rule_, facts, ctx):
    sheet = _read_sheet(facts)
    if sheet is None or not sheet.wide_cells.count:
        return
    trace = facts.workbook.trace
    fails = bool(trace and trace.failure and trace.failure.startswith("Index ") and trace.failure_cell)
    if fails:
        yield _tally_finding(
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
        yield _tally_finding(rule_, sheet, sheet.wide_cells, last=column_letters(sheet.header_width))


@rule(
    code="TC304",
    name="header-renamed",
    severity="info",
    effect="degrades",
    formats=XLSX,
    fixable=False,
    summary={
        "en": "Dataverse will change some column names.",
        "fr": "Dataverse modifiera certains noms de colonnes.",
    },
    rationale={
        "en": "The XLSX reader removes spaces, underscores, TAB and line breaks from the names in "
        "the header row, and names an empty header cell by its column letter.",
        "fr": "Le lecteur XLSX supprime les espaces, les tirets bas, tabulations et retours à la "
        "ligne des noms de l'en-tête, et nomme une cellule d'en-tête vide par sa lettre de "
        "colonne.",
    },
    how_to_fix={
        "en": "Rename the columns yourself (e.g. `Nom de famille` → `nom_famille` is changed "
        "too: prefer `NomFamille`), or deposit a CSV file, whose names are kept.",
        "fr": "Renommez vous-même les colonnes (par ex. `NomFamille`), ou déposez un fichier "
        "CSV, dont les noms sont conservés.",
    },
    messages={
        "en": 'Sheet "{sheet}": Dataverse will rename {count_names} column(s): {renames}.',
        "fr": "Feuille « {sheet} » : Dataverse renommera {count_names} colonne(s) : {renames}.",
    },
)
def header_renamed(rule_, facts, ctx):
    from tabcheck.dataverse.xlsx import variable_name

    wb = _workbook(facts)
    sheet = _read_sheet(facts)
    trace = wb.trace if wb else None
    if sheet is None or not trace or not trace.declared_width or trace.failure:
        return
    renames, samples = [], []
    for i in range(min(trace.declared_width, len(trace.header))):
        raw = trace.header[i]
        if raw in (None, ""):
            continue  # reported by empty-header
        new = variable_name(raw, i)
        if new != raw:
            shown = raw.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            renames.append(f'"{shown}" → "{new}"')
            samples.append(
                Location(
                    sheet=sheet.name,
                    cell=cell_ref(i + 1, sheet.header_row or 1),
                    row=sheet.header_row,
                    column=i + 1,
                    column_name=raw,
                )
            )
    if renames:
        yield rule_.finding(
            samples[0],
            count=len(renames),
            samples=samples[:SAMPLES],
            sheet=sheet.name,
            count_names=len(renames),
            renames=renames[:20],
        )


@rule(
    code="TC406",
    name="dates-as-numbers",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=True,
    summary={"en": "Dates will become numbers.", "fr": "Les dates deviendront des nombres."},
    rationale={
        "en": "Excel stores a date as a day count; Dataverse's XLSX reader keeps that number "
        "(25/12/2020 becomes 44190.0) and loses the date format.",
        "fr": "Excel enregistre une date comme un nombre de jours ; le lecteur XLSX de Dataverse "
        "garde ce nombre (25/12/2020 devient 44190.0) et perd le format de date.",
    },
    how_to_fix={
        "en": "Convert the sheet to CSV with `tabcheck fix` (dates are written as 2020-12-25), "
        "or format the column as text in YYYY-MM-DD form.",
        "fr": "Convertissez la feuille en CSV avec `tabcheck fix` (les dates sont écrites "
        "2020-12-25), ou mettez la colonne au format texte AAAA-MM-JJ.",
    },
    messages={
        "en": 'Sheet "{sheet}", column {letter} ("{name}"): {count_cells} date(s) will be '
        "ingested as day numbers (first: {cells}).",
        "fr": "Feuille « {sheet} », colonne {letter} (« {name} ») : {count_cells} date(s) seront "
        "ingérées comme des nombres de jours (premières : {cells}).",
    },
)
def dates_as_numbers(rule_, facts, ctx):
    sheet = _read_sheet(facts)
    if sheet is None:
        return
    for column in sorted(sheet.date_cells):
        tally = sheet.date_cells[column]
        yield _tally_finding(
            rule_, sheet, tally, letter=column_letters(column), name=_header_name(sheet, column) or ""
        )


@rule(
    code="TC407",
    name="formula-without-value",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=False,
    summary={"en": "Formulas have no saved result.", "fr": "Des formules n'ont pas de résultat enregistré."},
    rationale={
        "en": "Dataverse does not compute formulas: it reads the result saved in the file. "
        "Files written by programs (openpyxl, pandas) keep no result, so these cells "
        "arrive empty.",
        "fr": "Dataverse ne calcule pas les formules : il lit le résultat enregistré dans le "
        "fichier. Les fichiers écrits par des programmes (openpyxl, pandas) n'en gardent "
        "pas : ces cellules arriveront vides.",
    },
    how_to_fix={
        "en": "Open the file in Excel or LibreOffice and save it again, or replace the formulas "
        "by their values (Paste special → Values).",
        "fr": "Ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le de nouveau, ou "
        "remplacez les formules par leurs valeurs (Collage spécial → Valeurs).",
    },
    messages={
        "en": 'Sheet "{sheet}": {count_cells} formula cell(s) have no saved value and will be '
        "empty ({cells}).",
        "fr": "Feuille « {sheet} » : {count_cells} formule(s) n'ont pas de valeur enregistrée et "
        "seront vides ({cells}).",
    },
)
def formula_without_value(rule_, facts, ctx):
    sheet = _read_sheet(facts)
    if sheet is not None and sheet.formulas_without_value.count:
        yield _tally_finding(rule_, sheet, sheet.formulas_without_value)


@rule(
    code="TC408",
    name="error-cells",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=False,
    summary={
        "en": "Cells show a formula error (#DIV/0!, #N/A, …).",
        "fr": "Des cellules affichent une erreur de formule (#DIV/0!, #N/A, …).",
    },
    rationale={
        "en": "Dataverse ingests the error text itself, which turns the whole column into text.",
        "fr": "Dataverse ingère le texte de l'erreur, ce qui transforme toute la colonne en texte.",
    },
    how_to_fix={
        "en": "Correct the formulas, or empty these cells if the value is missing.",
        "fr": "Corrigez les formules, ou videz ces cellules si la valeur est manquante.",
    },
    messages={
        "en": 'Sheet "{sheet}": {count_cells} error cell(s) ({cells}), e.g. {first_value}.',
        "fr": "Feuille « {sheet} » : {count_cells} cellule(s) en erreur ({cells}), par ex. {first_value}.",
    },
)
def error_cells(rule_, facts, ctx):
    sheet = _read_sheet(facts)
    if sheet is not None and sheet.error_cells.count:
        yield _tally_finding(rule_, sheet, sheet.error_cells, first_value=sheet.error_cells.samples[0].value)


@rule(
    code="TC501",
    name="multiple-sheets",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=True,
    summary={
        "en": "The workbook has several sheets; Dataverse keeps only one.",
        "fr": "Le classeur a plusieurs feuilles ; Dataverse n'en garde qu'une.",
    },
    rationale={
        "en": "Only the sheet stored first in the file (relationship rId1) is ingested; the "
        "other sheets, hidden ones included, are invisible to users of the ingested file.",
        "fr": "Seule la feuille enregistrée en premier dans le fichier (relation rId1) est "
        "ingérée ; les autres, y compris les feuilles masquées, seront invisibles pour les "
        "utilisateurs du fichier ingéré.",
    },
    how_to_fix={
        "en": "Deposit one file per sheet (`tabcheck fix` writes one CSV per sheet), and put "
        "notes in a README or the dataset description.",
        "fr": "Déposez un fichier par feuille (`tabcheck fix` écrit un CSV par feuille), et "
        "mettez les notes dans un README ou la description du jeu de données.",
    },
    messages={
        "default": {
            "en": '{count_sheets} sheets: Dataverse will read only "{read}" and drop {dropped}.',
            "fr": "{count_sheets} feuilles : Dataverse ne lira que « {read} » et ignorera {dropped}.",
        },
        "none-read": {
            "en": "{count_sheets} sheets, and none is where Dataverse looks (rId1): all are "
            "dropped ({dropped}).",
            "fr": "{count_sheets} feuilles, et aucune n'est là où Dataverse regarde (rId1) : "
            "toutes sont ignorées ({dropped}).",
        },
    },
)
def multiple_sheets(rule_, facts, ctx):
    wb = _workbook(facts)
    if wb is None or len(wb.sheets) < 2:
        return
    read = wb.read_sheet
    others = [s for s in wb.sheets if s is not read]
    dropped = [
        f'"{s.name}"' + (" (hidden)" if s.hidden else "") + ("" if s.has_data else " (empty)") for s in others
    ]
    samples = [Location(sheet=s.name) for s in others[:SAMPLES]]
    if read is None:
        yield rule_.finding(
            samples[0],
            variant="none-read",
            count=len(others),
            samples=samples,
            count_sheets=len(wb.sheets),
            dropped=dropped,
        )
    else:
        yield rule_.finding(
            Location(sheet=read.name),
            count=len(others),
            samples=samples,
            count_sheets=len(wb.sheets),
            read=read.name,
            dropped=dropped,
        )


@rule(
    code="TC502",
    name="xlsx-sheet-order",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=True,
    summary={
        "en": "Dataverse will not read the first tab.",
        "fr": "Dataverse ne lira pas le premier onglet.",
    },
    rationale={
        "en": "Dataverse reads the sheet stored at relationship rId1, not the first tab you see. "
        "LibreOffice stores the styles there, so Dataverse finds no sheet at all.",
        "fr": "Dataverse lit la feuille enregistrée à la relation rId1, pas le premier onglet "
        "visible. LibreOffice y place les styles : Dataverse ne trouve alors aucune feuille.",
    },
    how_to_fix={
        "en": "Convert the sheet you want to deposit to CSV (`tabcheck fix`), or save the "
        "workbook from Excel with that sheet alone.",
        "fr": "Convertissez la feuille à déposer en CSV (`tabcheck fix`), ou enregistrez le "
        "classeur depuis Excel avec cette seule feuille.",
    },
    messages={
        "default": {
            "en": 'Dataverse will read sheet "{read}" (tab {position}), not the first tab "{first}".',
            "fr": "Dataverse lira la feuille « {read} » (onglet {position}), pas le premier "
            "onglet « {first} ».",
        },
        "hidden": {
            "en": 'Dataverse will read the hidden sheet "{read}", not the first visible tab "{first}".',
            "fr": "Dataverse lira la feuille masquée « {read} », pas le premier onglet visible « {first} ».",
        },
        "no-sheet": {
            "en": "No sheet is at relationship rId1 (it holds the {what}): Dataverse will "
            "find no rows and the ingest will fail.",
            "fr": "Aucune feuille n'est à la relation rId1 (elle contient : {what}) : Dataverse "
            "ne trouvera aucune ligne et l'ingestion échouera.",
        },
    },
)
def xlsx_sheet_order(rule_, facts, ctx):
    wb = _workbook(facts)
    if wb is None or not wb.sheets:
        return
    read = wb.read_sheet
    first_visible = next((s for s in wb.sheets if not s.hidden), wb.sheets[0])
    if read is None or read.kind not in ("worksheet",):
        what = wb.rid1_type or "nothing"
        yield rule_.finding(
            Location(sheet=first_visible.name),
            variant="no-sheet",
            severity=Severity.BLOCKER,
            effect=Effect.FAILS,
            what=what,
        )
    elif read.hidden:
        yield rule_.finding(
            Location(sheet=read.name), variant="hidden", read=read.name, first=first_visible.name
        )
    elif read is not first_visible:
        yield rule_.finding(
            Location(sheet=read.name), read=read.name, position=read.position + 1, first=first_visible.name
        )


@rule(
    code="TC503",
    name="xlsx-no-row-spans",
    severity="blocker",
    effect="fails",
    formats=XLSX,
    fixable=True,
    summary={
        "en": 'The rows carry no "spans" attribute: Dataverse (6.4 and later) cannot read the file.',
        "fr": "Les lignes n'ont pas d'attribut « spans » : Dataverse (6.4 et suivants) ne peut pas "
        "lire le fichier.",
    },
    rationale={
        "en": 'Excel writes, on each row, the range of its columns ("spans"); Dataverse\'s reader '
        "needs it on the first row. openpyxl, pandas, LibreOffice and others do not write it, "
        'and the ingest fails ("spansAttribute is null").',
        "fr": "Excel écrit sur chaque ligne l'étendue de ses colonnes (« spans ») ; le lecteur de "
        "Dataverse en a besoin sur la première ligne. openpyxl, pandas, LibreOffice et "
        "d'autres ne l'écrivent pas, et l'ingestion échoue (« spansAttribute is null »).",
    },
    how_to_fix={
        "en": "Run `tabcheck fix` to write the sheet as a UTF-8 CSV file (recommended), or open "
        "and save the file in Microsoft Excel.",
        "fr": "Lancez `tabcheck fix` pour enregistrer la feuille en CSV UTF-8 (recommandé), ou "
        "ouvrez et enregistrez le fichier dans Microsoft Excel.",
    },
    messages={
        "en": 'Sheet "{sheet}": row {row} has no "spans" attribute (file written by {program}); '
        "Dataverse's ingest will fail.",
        "fr": "Feuille « {sheet} » : la ligne {row} n'a pas d'attribut « spans » (fichier écrit par "
        "{program}) ; l'ingestion par Dataverse échouera.",
    },
)
def xlsx_no_row_spans(rule_, facts, ctx):
    wb = _workbook(facts)
    sheet = _read_sheet(facts)
    if sheet is None or not sheet.first_rows or sheet.first_rows[0].spans is not None:
        return
    row = sheet.first_rows[0].number
    yield rule_.finding(
        Location(sheet=sheet.name, row=row),
        sheet=sheet.name,
        row=row,
        program=_program(wb.application, ctx.lang),
    )


def _program(application: str | None, lang: str = "en") -> str:
    if not application:
        return "un logiciel inconnu" if lang == "fr" else "an unknown program"
    if "openpyxl" in application.lower():
        return "openpyxl (utilisé aussi par pandas)" if lang == "fr" else "openpyxl (also used by pandas)"
    return re.sub(r"\$.*|/.*", "", application).strip() or application


@rule(
    code="TC504",
    name="merged-cells",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    fixable=False,
    summary={"en": "The sheet has merged cells.", "fr": "La feuille contient des cellules fusionnées."},
    rationale={
        "en": "Only the top-left cell of a merged range keeps its value; the other cells of the "
        "range arrive empty. A merge in the header leaves columns without a name.",
        "fr": "Seule la cellule en haut à gauche d'une plage fusionnée garde sa valeur ; les "
        "autres arrivent vides. Une fusion dans l'en-tête laisse des colonnes sans nom.",
    },
    how_to_fix={
        "en": "Unmerge the cells and repeat the value in every row it applies to; give each "
        "column its own name.",
        "fr": "Annulez la fusion et répétez la valeur sur chaque ligne concernée ; donnez un nom "
        "à chaque colonne.",
    },
    messages={
        "default": {
            "en": 'Sheet "{sheet}": {count_ranges} merged range(s): {ranges}.',
            "fr": "Feuille « {sheet} » : {count_ranges} plage(s) fusionnée(s) : {ranges}.",
        },
        "header": {
            "en": 'Sheet "{sheet}": {count_ranges} merged range(s) in the header row: {ranges}; '
            "the columns after the first of each range get no name.",
            "fr": "Feuille « {sheet} » : {count_ranges} plage(s) fusionnée(s) dans l'en-tête : "
            "{ranges} ; les colonnes après la première de chaque plage n'auront pas de nom.",
        },
    },
)
def merged_cells(rule_, facts, ctx):
    wb = _workbook(facts)
    if wb is None:
        return
    for sheet in wb.sheets:
        if not sheet.merged:
            continue
        header, body = [], []
        for ref in sheet.merged:
            first, _, last = ref.partition(":")
            start, end = parse_ref(first), parse_ref(last or first)
            if start is None or end is None:
                continue
            loc = Location(sheet=sheet.name, cell=ref, row=start[1], column=start[0])
            touches_header = sheet.header_row is not None and start[1] <= sheet.header_row <= end[1]
            (header if touches_header else body).append((ref, loc))
        degrade = Severity.WARNING if sheet is wb.read_sheet else Severity.INFO
        for variant, items in (("header", header), ("default", body)):
            if items:
                yield rule_.finding(
                    items[0][1],
                    variant=variant,
                    count=len(items),
                    samples=[loc for _, loc in items[:SAMPLES]],
                    severity=degrade,
                    sheet=sheet.name,
                    count_ranges=len(items),
                    ranges=[r for r, _ in items[:20]],
                )


@hookimpl
def tabcheck_rules():
    return provide(globals())
