"""Workbook halves of the rules that CSV and XLSX share (the lead's rules merge these).

`MESSAGES[name]` adds message variants (all prefixed `xlsx-`); `CHECKS[name](rule, facts, ctx)` yields
the findings for a workbook and is called when `facts.workbook` is set.
"""

from __future__ import annotations

from tabcheck.model import Effect, Location, Severity
from tabcheck.workbook.cells import MAX_DATAVERSE_COLUMNS, cell_ref, column_letters

SAMPLES = 5

MESSAGES = {
    "empty-header": {
        "xlsx-empty-header": {
            "en": 'Sheet "{sheet}": header cell(s) {cells} are empty; Dataverse will name them {names}.',
            "fr": "Feuille « {sheet} » : cellule(s) d'en-tête {cells} vides ; Dataverse les nommera {names}.",
        },
        "xlsx-blank-name": {
            "en": 'Sheet "{sheet}": header cell(s) {cells} hold only spaces or underscores; the variable '
            "name becomes empty and the ingest is likely to fail when it is saved.",
            "fr": "Feuille « {sheet} » : cellule(s) d'en-tête {cells} ne contiennent que des espaces ou "
            "tirets bas ; le nom de variable devient vide et l'enregistrement échouera sans doute.",
        },
    },
    "duplicate-header": {
        "xlsx-duplicate": {
            "en": 'Sheet "{sheet}": the name "{name}" is used by several columns ({cells}).',
            "fr": "Feuille « {sheet} » : le nom « {name} » est utilisé par plusieurs colonnes ({cells}).",
        },
        "xlsx-duplicate-after-renaming": {
            "en": 'Sheet "{sheet}": columns {originals} ({cells}) all become "{name}" once Dataverse '
            "removes spaces and underscores.",
            "fr": "Feuille « {sheet} » : les colonnes {originals} ({cells}) deviennent toutes « {name} » "
            "une fois les espaces et tirets bas supprimés par Dataverse.",
        },
    },
    "embedded-newline": {
        "xlsx-data": {
            "en": 'Sheet "{sheet}": {count_cells} cell(s) contain a line break ({cells}); Dataverse\'s '
            "ingest will fail.",
            "fr": "Feuille « {sheet} » : {count_cells} cellule(s) contiennent un retour à la ligne ({cells}) ; "
            "l'ingestion par Dataverse échouera.",
        },
        "xlsx-header": {
            "en": 'Sheet "{sheet}": header cell(s) {cells} contain a line break; Dataverse joins the '
            'lines ("first\\nsecond" becomes "firstsecond").',
            "fr": "Feuille « {sheet} » : cellule(s) d'en-tête {cells} avec un retour à la ligne ; Dataverse "
            "colle les lignes (« premier\\nsecond » devient « premiersecond »).",
        },
    },
    "too-many-columns": {
        "xlsx-too-many": {
            "en": 'Sheet "{sheet}" has {columns} columns; Dataverse\'s XLSX reader stops at 702 (column ZZ) '
            "and the ingest will fail.",
            "fr": "La feuille « {sheet} » a {columns} colonnes ; le lecteur XLSX de Dataverse s'arrête à 702 "
            "(colonne ZZ) et l'ingestion échouera.",
        },
    },
    "title-or-notes-rows": {
        "xlsx-title": {
            "en": 'Sheet "{sheet}": row {row} looks like a title ("{text}") above the table; Dataverse '
            "will take it as the header row.",
            "fr": "Feuille « {sheet} » : la ligne {row} ressemble à un titre (« {text} ») au-dessus du "
            "tableau ; Dataverse la prendra comme ligne d'en-tête.",
        },
        "xlsx-notes": {
            "en": 'Sheet "{sheet}": row(s) {rows} below the table look like notes or a legend '
            '("{text}"); Dataverse will ingest them as observations.',
            "fr": "Feuille « {sheet} » : la/les ligne(s) {rows} sous le tableau ressemblent à des notes ou "
            "une légende (« {text} ») ; Dataverse les ingérera comme des observations.",
        },
        "xlsx-blank-rows": {
            "en": 'Sheet "{sheet}": {count_rows} blank row(s) inside the table (from row {row}).',
            "fr": "Feuille « {sheet} » : {count_rows} ligne(s) vide(s) dans le tableau (à partir de la "
            "ligne {row}).",
        },
    },
    "no-data": {
        "xlsx-header-only": {
            "en": 'Sheet "{sheet}" has a header row but no data; Dataverse\'s ingest will fail.',
            "fr": "La feuille « {sheet} » a une ligne d'en-tête mais aucune donnée ; l'ingestion par "
            "Dataverse échouera.",
        },
        "xlsx-empty-sheet": {
            "en": 'Sheet "{sheet}" is empty; Dataverse\'s ingest will fail.',
            "fr": "La feuille « {sheet} » est vide ; l'ingestion par Dataverse échouera.",
        },
    },
    "corrupt-file": {
        "xlsx-not-zip": {
            "en": "This is not an Excel .xlsx file ({detail}).",
            "fr": "Ce n'est pas un fichier Excel .xlsx ({detail}).",
        },
        "xlsx-truncated": {
            "en": "The workbook is damaged or incomplete ({detail}). Save it again from Excel, or upload "
            "it again if it was cut during a transfer.",
            "fr": "Le classeur est endommagé ou incomplet ({detail}). Enregistrez-le de nouveau depuis "
            "Excel, ou renvoyez-le s'il a été tronqué pendant un transfert.",
        },
        "xlsx-encrypted": {
            "en": "The workbook is protected by a password (encrypted): Dataverse cannot read it. Remove "
            "the password (File → Info → Protect workbook) and save again.",
            "fr": "Le classeur est protégé par un mot de passe (chiffré) : Dataverse ne peut pas le lire. "
            "Retirez le mot de passe (Fichier → Informations → Protéger le classeur) et "
            "enregistrez de nouveau.",
        },
        "xlsx-bomb": {
            "en": "The workbook was not read: {detail}.",
            "fr": "Le classeur n'a pas été lu : {detail}.",
        },
        "xlsx-malformed": {
            "en": "A part of the workbook is not valid XML ({detail}).",
            "fr": "Une partie du classeur n'est pas du XML valide ({detail}).",
        },
        "xlsx-doctype": {
            "en": "The workbook contains a DTD/entity declaration, which no normal spreadsheet has; it "
            "was not read ({detail}).",
            "fr": "Le classeur contient une déclaration DTD/d'entité, absente de tout tableur normal ; il "
            "n'a pas été lu ({detail}).",
        },
        "xlsx-missing-part": {
            "en": "The package is not a complete workbook ({detail}).",
            "fr": "Le paquet n'est pas un classeur complet ({detail}).",
        },
    },
    "unsupported-format": {
        "xlsx-macros": {
            "en": "This workbook contains macros (.xlsm or a VBA project): Dataverse does not ingest it. "
            "Save the data sheet as .xlsx without macros, or as a UTF-8 CSV (`tabcheck fix`).",
            "fr": "Ce classeur contient des macros (.xlsm ou projet VBA) : Dataverse ne l'ingère pas. "
            "Enregistrez la feuille de données en .xlsx sans macros, ou en CSV UTF-8 (`tabcheck fix`).",
        },
        "xlsx-old-excel": {
            "en": "This is an old Excel 97-2003 file: Dataverse stores it without ingesting it. Save it as "
            ".xlsx or as a UTF-8 CSV.",
            "fr": "C'est un ancien fichier Excel 97-2003 : Dataverse le stocke sans l'ingérer. "
            "Enregistrez-le en .xlsx ou en CSV UTF-8.",
        },
    },
}


def _usable(facts):
    wb = getattr(facts, "workbook", None)
    if wb is None or wb.corrupt is not None:
        return None, None
    sheet = wb.read_sheet
    if sheet is not None and sheet.problem:
        return wb, None  # malformed XML: cell-level facts are not trustworthy
    return wb, sheet


def check_empty_header(rule, facts, ctx):
    wb, sheet = _usable(facts)
    trace = wb.trace if wb else None
    if sheet is None or not trace or not trace.declared_width or not trace.header or trace.failure:
        return
    row = trace.header_row or 1
    empty, blank = [], []
    last = min(trace.declared_width, len(trace.header))
    for i in range(last):
        raw = trace.header[i]
        loc = Location(sheet=sheet.name, cell=cell_ref(i + 1, row), row=row, column=i + 1)
        if raw in (None, ""):
            empty.append((loc, column_letters(i + 1)))
        elif not raw.replace(" ", "").replace("_", "").replace("\t", "").replace("\n", "").replace("\r", ""):
            blank.append((loc, ""))
    if empty:
        yield rule.finding(
            empty[0][0],
            variant="xlsx-empty-header",
            count=len(empty),
            samples=[loc for loc, _ in empty[:SAMPLES]],
            sheet=sheet.name,
            cells=[loc.cell for loc, _ in empty[:20]],
            names=[n for _, n in empty[:20]],
            severity=Severity.WARNING,
            effect=Effect.DEGRADES,
        )
    if blank:
        yield rule.finding(
            blank[0][0],
            variant="xlsx-blank-name",
            count=len(blank),
            samples=[loc for loc, _ in blank[:SAMPLES]],
            sheet=sheet.name,
            cells=[loc.cell for loc, _ in blank[:20]],
        )


def check_duplicate_header(rule, facts, ctx):
    from tabcheck.dataverse.xlsx import variable_name

    wb, sheet = _usable(facts)
    trace = wb.trace if wb else None
    if sheet is None or not trace or not trace.declared_width or trace.failure:
        return
    row = trace.header_row or 1
    groups: dict[str, list[tuple[int, str]]] = {}
    for i in range(min(trace.declared_width, len(trace.header))):
        name = variable_name(trace.header[i], i)
        if name:
            groups.setdefault(name, []).append((i, trace.header[i] or column_letters(i + 1)))
    for name, members in groups.items():
        if len(members) < 2:
            continue
        locs = [
            Location(sheet=sheet.name, cell=cell_ref(i + 1, row), row=row, column=i + 1, column_name=raw)
            for i, raw in members
        ]
        originals = {raw for _, raw in members}
        variant = "xlsx-duplicate" if len(originals) == 1 else "xlsx-duplicate-after-renaming"
        yield rule.finding(
            locs[0],
            variant=variant,
            count=len(members),
            samples=locs[:SAMPLES],
            sheet=sheet.name,
            name=name,
            cells=[loc.cell for loc in locs[:20]],
            originals=[f'"{r}"' for _, r in members[:20]],
            severity=Severity.WARNING,
            effect=Effect.DEGRADES,
        )


def check_embedded_newline(rule, facts, ctx):
    _wb, sheet = _usable(facts)
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


def check_too_many_columns(rule, facts, ctx):
    wb, sheet = _usable(facts)
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


def check_title_or_notes_rows(rule, facts, ctx):
    _wb, sheet = _usable(facts)
    if sheet is None or not sheet.first_rows:
        return
    rows = [r for r in sheet.first_rows if r.filled]
    if len(rows) >= 2:
        first, second = rows[0], rows[1]
        if first.filled == 1 and second.filled >= 2:
            text = next(iter(first.values.values()))
            yield rule.finding(
                Location(sheet=sheet.name, row=first.number, cell=cell_ref(min(first.values), first.number)),
                variant="xlsx-title",
                sheet=sheet.name,
                row=first.number,
                text=text[:60],
                severity=Severity.WARNING,
                effect=Effect.DEGRADES,
            )
            header_width = second.filled
        else:
            header_width = first.filled
    else:
        return
    notes = _notes_rows(sheet, header_width)
    if notes:
        text = next(iter(notes[0].values.values()))
        locs = [
            Location(sheet=sheet.name, row=r.number, cell=cell_ref(min(r.values), r.number)) for r in notes
        ]
        yield rule.finding(
            locs[0],
            variant="xlsx-notes",
            count=len(notes),
            samples=locs[:SAMPLES],
            sheet=sheet.name,
            rows=[r.number for r in notes[:10]],
            text=text[:60],
            severity=Severity.WARNING,
            effect=Effect.DEGRADES,
        )
    gaps = [g for g in sheet.blank_gaps if not notes or g[0] < notes[0].number]
    if gaps:
        total = sum(n for _, n in gaps)
        yield rule.finding(
            Location(sheet=sheet.name, row=gaps[0][0]),
            variant="xlsx-blank-rows",
            count=total,
            sheet=sheet.name,
            count_rows=total,
            row=gaps[0][0],
            samples=[Location(sheet=sheet.name, row=r) for r, _ in gaps[:SAMPLES]],
            severity=Severity.INFO,
            effect=Effect.DEGRADES,
        )


def _notes_rows(sheet, header_width: int) -> list:
    """Trailing rows that hold one text cell where the table has several columns (after a gap, or
    where the table's rows are full)."""
    if header_width < 2 or len(sheet.last_rows) < 2:
        return []
    notes = []
    for r in reversed(sheet.last_rows):
        if r.number == sheet.header_row:
            break
        text_cells = [v for v in r.values.values() if v.strip()]
        if len(text_cells) == 1 and not _numberish(text_cells[0]) and len(text_cells[0]) >= 3:
            notes.append(r)
        else:
            break
    notes.reverse()
    if notes and len(notes) >= len(sheet.last_rows) - 1:
        return []  # the whole tail is one-cell rows: a one-column table, not notes
    return notes


def _numberish(text: str) -> bool:
    try:
        float(text.replace(",", "."))
        return True
    except ValueError:
        return False


def check_no_data(rule, facts, ctx):
    _wb, sheet = _usable(facts)
    if sheet is None:
        return
    if sheet.value_cells == 0:
        yield rule.finding(
            Location(sheet=sheet.name),
            variant="xlsx-empty-sheet",
            sheet=sheet.name,
            severity=Severity.BLOCKER,
            effect=Effect.FAILS,
        )
    elif sheet.value_rows == 1:
        yield rule.finding(
            Location(sheet=sheet.name, row=sheet.header_row),
            variant="xlsx-header-only",
            sheet=sheet.name,
            severity=Severity.BLOCKER,
            effect=Effect.FAILS,
        )


_CORRUPT_VARIANTS = {
    "not-zip": "xlsx-not-zip",
    "truncated": "xlsx-truncated",
    "encrypted": "xlsx-encrypted",
    "bomb": "xlsx-bomb",
    "malformed-xml": "xlsx-malformed",
    "doctype": "xlsx-doctype",
    "missing-part": "xlsx-missing-part",
    "unreadable": "xlsx-truncated",
}


def check_corrupt_file(rule, facts, ctx):
    wb = getattr(facts, "workbook", None)
    if wb is None:
        return
    problems = ([wb.corrupt] if wb.corrupt else []) + list(wb.problems)
    for problem in problems:
        severity = (
            Severity.BLOCKER if problem is wb.corrupt or _is_read_part(wb, problem.part) else Severity.WARNING
        )
        yield rule.finding(
            Location(),
            variant=_CORRUPT_VARIANTS.get(problem.kind, "xlsx-truncated"),
            detail=problem.detail,
            kind=problem.kind,
            part=problem.part,
            severity=severity,
            effect=Effect.FAILS if severity == Severity.BLOCKER else Effect.ADVICE,
        )


def _is_read_part(wb, part) -> bool:
    sheet = wb.read_sheet
    return part is not None and sheet is not None and sheet.part == part


CHECKS = {
    "empty-header": check_empty_header,
    "duplicate-header": check_duplicate_header,
    "embedded-newline": check_embedded_newline,
    "too-many-columns": check_too_many_columns,
    "title-or-notes-rows": check_title_or_notes_rows,
    "no-data": check_no_data,
    "corrupt-file": check_corrupt_file,
}
