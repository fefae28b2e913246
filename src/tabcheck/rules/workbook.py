"""Rules that exist only for Excel workbooks: sheets, row spans, merged cells, cell contents."""

from __future__ import annotations

import re

from tabcheck.hookspecs import hookimpl
from tabcheck.messages import Quoted, Words
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.rules.common import SAMPLES, XLSX, read_sheet, workbook_of

# The workbook checks import tabcheck.workbook.cells themselves: a check of CSV files never loads it.


@rule(
    code="TC501",
    name="multiple-sheets",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    repair="sheets-to-csv",
    summary={
        "en": "The workbook has several sheets; Dataverse keeps only one.",
        "fr": "Le classeur a plusieurs feuilles ; Dataverse n'en garde qu'une.",
    },
    rationale={
        "en": "Only the sheet stored first in the file (relationship rId1) is ingested; the "
        "other sheets, hidden ones included, are invisible to users of the ingested file.",
        "fr": "Seule la feuille enregistrée en premier dans le fichier (relation rId1) est "
        "ingérée ; les autres, y compris les feuilles masquées, seront invisibles pour les "
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
            "fr": "{count_sheets} feuilles : Dataverse ne lira que « {read} » et ignorera {dropped}.",
        },
        "none-read": {
            "en": "{count_sheets} sheets, and none is where Dataverse looks (rId1): all are "
            "dropped ({dropped}).",
            "fr": "{count_sheets} feuilles, et aucune n'est là où Dataverse regarde (rId1) : "
            "toutes sont ignorées ({dropped}).",
        },
    },
)
def multiple_sheets(rule_, facts, ctx):
    wb = workbook_of(facts)
    if wb is None or len(wb.sheets) < 2:
        return
    read = wb.read_sheet
    others = [s for s in wb.sheets if s is not read]
    dropped = [Quoted(s.name, _remark(s)) for s in others]
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


def _remark(sheet) -> Words | None:
    """What the list of dropped sheets says about one: hidden, empty."""
    words = []
    if sheet.hidden:
        words.append(("(hidden)", "(masquée)"))
    if not sheet.has_data:
        words.append(("(empty)", "(vide)"))
    if not words:
        return None
    return Words(" ".join(en for en, _ in words), " ".join(fr for _, fr in words))


@rule(
    code="TC502",
    name="xlsx-sheet-order",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    repair="sheets-to-csv",
    summary={
        "en": "Dataverse will not read the first tab.",
        "fr": "Dataverse ne lira pas le premier onglet.",
    },
    rationale={
        "en": "Dataverse reads the sheet stored at relationship rId1, not the first tab you see. "
        "LibreOffice stores the styles there, so Dataverse finds no sheet at all.",
        "fr": "Dataverse lit la feuille enregistrée à la relation rId1, pas le premier onglet "
        "visible. LibreOffice y place les styles : Dataverse ne trouve alors aucune feuille.",
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
            "fr": "Dataverse lira la feuille « {read} » (onglet {position}), pas le premier "
            "onglet « {first} ».",
        },
        "hidden": {
            "en": 'Dataverse will read the hidden sheet "{read}", not the first visible tab "{first}".',
            "fr": "Dataverse lira la feuille masquée « {read} », pas le premier onglet visible « {first} ».",
        },
        "no-sheet": {
            "en": "No sheet is at relationship rId1 (it holds: {what}): Dataverse will "
            "find no rows and the ingest will fail.",
            "fr": "Aucune feuille n'est à la relation rId1 (elle contient : {what}) : Dataverse "
            "ne trouvera aucune ligne et l'ingestion échouera.",
        },
    },
)
def xlsx_sheet_order(rule_, facts, ctx):
    wb = workbook_of(facts)
    if wb is None or not wb.sheets:
        return
    read = wb.read_sheet
    first_visible = next((s for s in wb.sheets if not s.hidden), wb.sheets[0])
    if read is None or read.kind not in ("worksheet",):
        what = wb.rid1_type or Words("nothing", "rien")
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
    repair="sheets-to-csv",
    summary={
        "en": 'The rows carry no "spans" attribute: Dataverse (6.4 and later) cannot read the file.',
        "fr": "Les lignes n'ont pas d'attribut « spans » : Dataverse (versions 6.4 et suivantes) ne "
        "peut pas lire le fichier.",
    },
    rationale={
        "en": 'Excel writes, on each row, the range of its columns ("spans"); Dataverse\'s reader '
        "needs it on the first row. openpyxl, pandas, LibreOffice and others do not write it, "
        'and the ingest fails ("spansAttribute is null").',
        "fr": "Excel écrit sur chaque ligne l'étendue de ses colonnes (« spans ») ; le lecteur de "
        "Dataverse en a besoin sur la première ligne. openpyxl, pandas, LibreOffice et "
        "d'autres ne l'écrivent pas, et l'ingestion échoue (« spansAttribute is null »).",
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
        "fr": "Feuille « {sheet} » : la ligne {row} n'a pas d'attribut « spans » (fichier écrit par "
        "{program}) ; l'ingestion par Dataverse échouera.",
    },
)
def xlsx_no_row_spans(rule_, facts, ctx):
    wb = workbook_of(facts)
    sheet = read_sheet(facts)
    if sheet is None or not sheet.first_rows or sheet.first_rows[0].spans is not None:
        return
    row = sheet.first_rows[0].number
    yield rule_.finding(
        Location(sheet=sheet.name, row=row),
        sheet=sheet.name,
        row=row,
        program=_program(wb.application),
    )


def _program(application: str | None) -> Words | str:
    if not application:
        return Words("an unknown program", "un logiciel inconnu")
    if "openpyxl" in application.lower():
        return Words("openpyxl (also used by pandas)", "openpyxl (utilisé aussi par pandas)")
    return re.sub(r"\$.*|/.*", "", application).strip() or application


@rule(
    code="TC504",
    name="merged-cells",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    summary={"en": "The sheet has merged cells.", "fr": "La feuille contient des cellules fusionnées."},
    rationale={
        "en": "Only the top-left cell of a merged range keeps its value; the other cells of the "
        "range arrive empty. A merge in the header leaves columns without a name.",
        "fr": "Seule la cellule en haut à gauche d'une plage fusionnée garde sa valeur ; les "
        "autres arrivent vides. Une fusion dans l'en-tête laisse des colonnes sans nom.",
    },
    how_to_fix={
        "en": "Unmerge the cells and repeat the value in every row it applies to; give each "
        "column its own name.",
        "fr": "Annulez la fusion et répétez la valeur sur chaque ligne concernée ; donnez un nom "
        "à chaque colonne.",
    },
    messages={
        "default": {
            "en": 'Sheet "{sheet}": {count_ranges} merged {count_ranges:plural:range|ranges}: {ranges}.',
            "fr": "Feuille « {sheet} » : {count_ranges} {count_ranges:plural:plage fusionnée|plages "
            "fusionnées} : {ranges}.",
        },
        "header": {
            "en": 'Sheet "{sheet}": {count_ranges} merged {count_ranges:plural:range|ranges} in the '
            "header row: {ranges}; the columns after the first of {count_ranges:plural:the range|each "
            "range} get no name.",
            "fr": "Feuille « {sheet} » : {count_ranges} {count_ranges:plural:plage fusionnée|plages "
            "fusionnées} dans l'en-tête : {ranges} ; les colonnes après la première de "
            "{count_ranges:plural:la plage|chaque plage} n'auront pas de nom.",
        },
    },
)
def merged_cells(rule_, facts, ctx):
    from tabcheck.workbook.cells import parse_ref

    wb = workbook_of(facts)
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
