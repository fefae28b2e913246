"""Rules about the header row: the variable names Dataverse will create."""

from __future__ import annotations

from collections import defaultdict

from tabcheck.hookspecs import hookimpl
from tabcheck.messages import Quoted, Rename
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.rules import layout
from tabcheck.rules.common import (
    SAMPLES,
    XLSX,
    header_rows_under,
    read_sheet,
    repeated_header,
    sheet_header,
    short_list,
    units_row_columns,
    usable_sheet,
    user_view,
    workbook_of,
    xlsx_units_row,
)

# The workbook checks import tabcheck.workbook.cells themselves: a check of CSV files never loads it.


def _titled(v) -> bool:
    """A title above the table: its first line is no header, title-or-notes-rows says so."""
    if v.preamble:
        return False  # the sniff skipped the title: this view's header is the table's own
    lay = layout.analyse(v)
    return bool(lay and lay.title_rows)


MAX_NAME = 255


@rule(
    code="TC301",
    name="empty-header",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    summary={
        "en": "A header cell is empty or holds only spaces.",
        "fr": "Une cellule d'en-tête est vide ou ne contient que des espaces.",
    },
    rationale={
        "en": "Every column needs a name. Dataverse refuses a CSV/TSV with an empty header cell "
        "(also a trailing delimiter on the header line, or an empty first line); a name "
        "made of spaces is kept as is and refused when the variable is saved.",
        "fr": "Chaque colonne doit avoir un nom. Dataverse refuse un CSV/TSV dont une cellule "
        "d'en-tête est vide (y compris un séparateur en fin d'en-tête, ou une première "
        "ligne vide) ; un nom fait d'espaces est gardé tel quel et refusé à l'enregistrement.",
    },
    how_to_fix={
        "en": "Give each column a short, unique name (letters, digits, _), or delete the empty column. "
        "`tabcheck fix` removes the empty cells a delimiter at the end of the lines leaves after the "
        "last column, when every one of them is empty, and names any other empty header cell by its "
        "column letter (A, B, …), as Dataverse names one in a sheet (an R or pandas row index).",
        "fr": "Donnez à chaque colonne un nom court et unique (lettres, chiffres, _), ou "
        "supprimez la colonne vide. `tabcheck fix` retire les cellules vides qu'un séparateur en fin "
        "de ligne laisse après la dernière colonne, quand toutes sont vides, et nomme toute autre "
        "cellule d'en-tête vide par la lettre de sa colonne (A, B, …), comme Dataverse le fait dans "
        "une feuille (un index de lignes écrit par R ou pandas).",
    },
    repair="drop-trailing-cells",
    messages={
        "default": {
            "en": "Header {count:plural:cell|cells} in {count:plural:column|columns} {columns} "
            "{count:plural:is|are} empty.",
            "fr": "{count:plural:La cellule|Les cellules} d'en-tête {count:plural:de la colonne|des "
            "colonnes} {columns} {count:plural:est vide|sont vides}.",
        },
        "blank": {
            "en": "Header {count:plural:cell|cells} in {count:plural:column|columns} {columns} "
            "{count:plural:holds|hold} only spaces.",
            "fr": "{count:plural:La cellule|Les cellules} d'en-tête {count:plural:de la colonne|des "
            "colonnes} {columns} ne {count:plural:contient|contiennent} que des espaces.",
        },
        "leading-blank-line": {
            "en": "The file starts with an empty line: Dataverse takes it as a header with one empty name.",
            "fr": "Le fichier commence par une ligne vide : Dataverse la prend pour un en-tête au nom vide.",
        },
    },
)
def empty_header(r, facts, ctx):
    v = user_view(facts)
    if v is None or (v.records == 0 and v.header in ([""], ["\ufeff"])) or _titled(v):
        return  # an empty file (no-data says it) or a title line (title-or-notes-rows says it)
    names = [h.lstrip("\ufeff") for h in v.header]
    if names == [""] and v.records:
        # fix drops the blank line (drop-blank-lines): the header is the next one
        yield r.finding(Location(row=1, line=1, column=1), variant="leading-blank-line", fixable=True)
        return
    empty = [i + 1 for i, h in enumerate(names) if h == ""]
    blank = [i + 1 for i, h in enumerate(names) if h and not h.strip()]
    if empty:
        yield r.finding(
            Location(row=1, line=1, column=empty[0]),
            count=len(empty),
            columns=short_list(empty),
            samples=[Location(row=1, line=1, column=c) for c in empty[:5]],
            # fix drops the empty cells at the end of the header when no value is under them, and
            # names the others by their column letter (header-named)
            fixable=True,
        )
    if blank:
        yield r.finding(
            Location(row=1, line=1, column=blank[0], column_name=names[blank[0] - 1]),
            variant="blank",
            count=len(blank),
            columns=short_list(blank),
            samples=[Location(row=1, line=1, column=c) for c in blank[:5]],
            fixable=False,
        )


@empty_header.check_for(
    "xlsx",
    messages={
        "xlsx-empty-header": {
            "en": 'Sheet "{sheet}": header {count:plural:cell|cells} {cells} {count:plural:is|are} '
            "empty; Dataverse will name {count:plural:it|them} {names}.",
            "fr": "Feuille « {sheet} » : {count:plural:la cellule|les cellules} d'en-tête {cells} "
            "{count:plural:est vide|sont vides} ; Dataverse {count:plural:la nommera|les nommera} "
            "{names}.",
        },
        "xlsx-blank-name": {
            "en": 'Sheet "{sheet}": header {count:plural:cell|cells} {cells} {count:plural:holds|hold} '
            "only spaces or underscores; the variable {count:plural:name becomes|names become} empty "
            "and the ingest is likely to fail when it is saved.",
            "fr": "Feuille « {sheet} » : {count:plural:la cellule|les cellules} d'en-tête {cells} ne "
            "{count:plural:contient|contiennent} que des espaces ou des tirets bas ; "
            "{count:plural:le nom de variable devient vide|les noms de variables deviennent vides} "
            "et l'enregistrement échouera sans doute.",
        },
    },
)
def _empty_header_xlsx(rule, facts, ctx):
    from tabcheck.workbook.cells import cell_ref, column_letters

    wb, sheet = usable_sheet(facts)
    found = sheet_header(wb, sheet) if sheet is not None else None
    if found is None:
        return
    row, header, last, view = found
    empty, blank = [], []
    for i in range(last):
        raw = header[i]
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
            view=view,
            fixable=True,  # fix's CSV names each by its column letter, as Dataverse would
        )
    if blank:
        yield rule.finding(
            blank[0][0],
            variant="xlsx-blank-name",
            count=len(blank),
            samples=[loc for loc, _ in blank[:SAMPLES]],
            sheet=sheet.name,
            cells=[loc.cell for loc, _ in blank[:20]],
            view=view,
            fixable=False,
        )


@rule(
    code="TC302",
    name="duplicate-header",
    severity="blocker",
    effect="fails",
    repair="header-deduplicated",
    formats=("csv", "tsv"),
    summary={
        "en": "Two or more columns have the same name.",
        "fr": "Plusieurs colonnes portent le même nom.",
    },
    rationale={
        "en": "Dataverse 6.7 and earlier refuse duplicate names; 6.8 keeps one column per name "
        "and then fails on every row, which has more cells than names.",
        "fr": "Dataverse 6.7 et antérieurs refusent les noms en double ; 6.8 ne garde qu'une "
        "colonne par nom puis échoue sur chaque ligne, qui a plus de cellules que de noms.",
    },
    how_to_fix={
        "en": "Rename the columns so that every name is unique (e.g. weight_2020, weight_2021). "
        "`tabcheck fix` writes the later ones name_2, name_3: rename them to say what they hold.",
        "fr": "Renommez les colonnes pour que chaque nom soit unique (par ex. poids_2020, poids_2021). "
        "`tabcheck fix` écrit les suivantes nom_2, nom_3 : renommez-les ensuite pour dire ce qu'elles "
        "contiennent.",
    },
    messages={
        "default": {
            "en": "The name “{name}” is used by columns {columns}.",
            "fr": "Le nom « {name} » est utilisé par les colonnes {columns}.",
        },
    },
)
def duplicate_header(r, facts, ctx):
    v = user_view(facts)
    if v is None or _titled(v):
        return
    where = defaultdict(list)
    for i, name in enumerate(v.header):
        if name.strip():
            where[name].append(i + 1)
    for name, cols in where.items():
        if len(cols) > 1:
            # 6.8 collapses the names: a file without data rows is then ingested (altered).
            collapsed = ctx.profile.duplicate_header_is_mismatch and v.records == 0
            yield r.finding(
                Location(row=1, line=1, column=cols[1], column_name=name),
                count=len(cols) - 1,
                effect=Effect.DEGRADES if collapsed else Effect.FAILS,
                name=name,
                columns=short_list(cols),
            )


@duplicate_header.check_for(
    "xlsx",
    messages={
        "xlsx-duplicate": {
            "en": 'Sheet "{sheet}": the name "{name}" is used by several columns ({cells}).',
            "fr": "Feuille « {sheet} » : le nom « {name} » est utilisé par plusieurs colonnes ({cells}).",
        },
        "xlsx-duplicate-after-renaming": {
            "en": 'Sheet "{sheet}": columns {originals} ({cells}) all become "{name}" once Dataverse '
            "removes spaces and underscores.",
            "fr": "Feuille « {sheet} » : les colonnes {originals} ({cells}) deviennent toutes « {name} » "
            "une fois les espaces et tirets bas supprimés par Dataverse.",
        },
    },
)
def _duplicate_header_xlsx(rule, facts, ctx):
    from tabcheck.dataverse.xlsx import variable_name
    from tabcheck.workbook.cells import cell_ref, column_letters

    wb, sheet = usable_sheet(facts)
    found = sheet_header(wb, sheet) if sheet is not None else None
    if found is None:
        return
    row, header, width, view = found
    groups: dict[str, list[tuple[int, str]]] = {}
    for i in range(width):
        name = variable_name(header[i], i)
        if name:
            groups.setdefault(name, []).append((i, header[i] or column_letters(i + 1)))
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
            fixable=variant == "xlsx-duplicate",  # the CSV fix writes keeps "my var" and "my_var" apart
            count=len(members),
            samples=locs[:SAMPLES],
            sheet=sheet.name,
            name=name,
            cells=[loc.cell for loc in locs[:20]],
            originals=[Quoted(r) for _, r in members[:20]],
            severity=Severity.WARNING,
            effect=Effect.DEGRADES,
            view=view,
        )


@rule(
    code="TC303",
    name="header-too-long",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    summary={
        "en": "A column name is longer than 255 characters.",
        "fr": "Un nom de colonne dépasse 255 caractères.",
    },
    rationale={
        "en": "Dataverse's reader accepts it, but variable names are stored in a 255-character "
        'database column: saving the ingested table fails ("Transaction aborted").',
        "fr": "Le lecteur de Dataverse l'accepte, mais les noms de variables sont stockés dans "
        "une colonne de 255 caractères : l'enregistrement échoue (« Transaction aborted »).",
    },
    how_to_fix={
        "en": "Shorten the name and put the full label in the codebook or data description.",
        "fr": "Raccourcissez le nom et mettez le libellé complet dans le dictionnaire des données.",
    },
    messages={
        "en": "Column {column}'s name has {length} characters (limit 255): “{start}…”.",
        "fr": "Le nom de la colonne {column} a {length} caractères (limite 255) : « {start}… ».",
    },
)
def header_too_long(r, facts, ctx):
    v = user_view(facts)
    if v is None:
        return
    for i, name in enumerate(v.header):
        length = v.header_lengths.get(i, len(name))  # a very long name is kept cut short
        if length > MAX_NAME:
            yield r.finding(
                Location(row=1, line=1, column=i + 1, column_name=name[:40]),
                column=i + 1,
                length=length,
                start=name[:40],
            )


@rule(
    code="TC305",
    name="second-header-row",
    severity="warning",
    effect="degrades",
    summary={
        "en": "A second header row (units, sub-titles) under the header, or the header repeated inside "
        "the table, makes columns of numbers text.",
        "fr": "Une deuxième ligne d'en-tête (unités, sous-titres) sous l'en-tête, ou l'en-tête répété "
        "dans le tableau, fait de colonnes de nombres des colonnes de texte.",
    },
    rationale={
        "en": "Dataverse reads one header row: the row under it is the first observation. A unit (°C, mm) "
        "or a sub-title written there becomes a value, the only one of its column that is not a number, "
        "and the whole column becomes text: no statistics, the values sorted as words. The header "
        "written again further down (tables put end to end, a report's pages) does the same.",
        "fr": "Dataverse lit une seule ligne d'en-tête : la ligne suivante est la première observation. "
        "Une unité (°C, mm) ou un sous-titre écrit là devient une valeur, la seule de sa colonne qui ne "
        "soit pas un nombre, et toute la colonne devient du texte\u00a0: pas de statistiques, un tri "
        "alphabétique. L'en-tête écrit de nouveau plus bas (des tableaux mis bout à bout, les pages "
        "d'un rapport) a le même effet.",
    },
    how_to_fix={
        "en": "Put the units in the names (temperature_C, rain_mm) or in the documentation, then delete "
        "the row (a survey tool's question texts go to the codebook). Delete the rows that repeat the "
        "header (tables put end to end). `tabcheck fix` leaves them: they are rows of the table.",
        "fr": "Mettez les unités dans les noms (temperature_C, pluie_mm) ou dans la documentation, puis "
        "supprimez la ligne (les intitulés des questions d'un outil d'enquête vont dans le "
        "dictionnaire des variables). Supprimez les lignes qui répètent l'en-tête (des tableaux mis "
        "bout à bout). `tabcheck fix` les laisse\u00a0: ce sont des lignes du tableau.",
    },
    messages={
        "default": {
            "en": "Row {row} looks like a second header row: {values} {count:plural:is the only value|are "
            "the only values} of {count:plural:column|columns} {columns} that {count:plural:is not a "
            "number|are not numbers}: {count:plural:the column|these columns} will be text.",
            "fr": "La ligne {row} ressemble à une deuxième ligne d'en-tête : {values} "
            "{count:plural:est la seule valeur|sont les seules valeurs} {count:plural:de la colonne|des "
            "colonnes} {columns} qui ne {count:plural:soit pas un nombre|soient pas des nombres} : "
            "{count:plural:la colonne sera|ces colonnes seront} du texte.",
        },
        "repeated-header": {
            "en": "{rows:plural:Row|Rows} {rows} {rows:plural:repeats|repeat} the header ({values}): tables "
            "put end to end? Dataverse takes {rows:plural:it for an observation|them for observations}, "
            "and {rows:plural:it makes|they make} columns {columns} text. Delete "
            "{rows:plural:it|them}.",
            "fr": "{rows:plural:La ligne|Les lignes} {rows} {rows:plural:répète|répètent} l'en-tête "
            "({values})\u00a0: des tableaux mis bout à bout\u202f? Dataverse {rows:plural:la prend pour "
            "une observation|les prend pour des observations}, et {rows:plural:elle fait|elles font} des "
            "colonnes {columns} du texte. {rows:plural:Supprimez-la|Supprimez-les}.",
        },
        "rows": {
            "en": "Rows {rows} look like more header rows (a survey tool's question texts, units): "
            "{values} and the values under them are the only values of columns {columns} that are not "
            "numbers: these columns will be text.",
            "fr": "Les lignes {rows} ressemblent à des lignes d'en-tête supplémentaires (les "
            "questions d'un outil d'enquête, des unités) : {values} et les valeurs en dessous sont les "
            "seules valeurs des colonnes {columns} qui ne soient pas des nombres : ces colonnes seront "
            "du texte.",
        },
    },
)
def second_header_row(r, facts, ctx):
    """Two columns at least whose only value Dataverse does not read as a number is in the row
    under the header, with numbers under it: a row of units or sub-titles. Text evidence elsewhere in
    those columns (a decimal comma, 12 %) does not count against it: those rules say it too."""
    v = user_view(facts)
    if v is None or not v.columns:
        return
    again, rows_again = repeated_header(v)
    if again:
        yield r.finding(
            Location(row=rows_again[0], column=again[0].index, column_name=again[0].name),
            variant="repeated-header",
            count=len(rows_again),
            samples=[Location(row=row) for row in rows_again],
            rows=rows_again,
            columns=short_list(c.index for c in again),
            values=[Quoted(c.name) for c in again[:SAMPLES]],
        )
    found = units_row_columns(v)
    if not found:
        return
    first = found[0].unexplained_text.first[0]
    rows = header_rows_under(found)
    yield r.finding(
        Location(row=first, column=found[0].index, column_name=found[0].name),
        variant="default" if rows == 1 else "rows",
        count=len(found),
        samples=[Location(row=first, column=c.index, column_name=c.name) for c in found[:SAMPLES]],
        row=first,
        rows=short_list(range(first, first + rows)),
        columns=short_list(c.index for c in found),
        values=[Quoted(c.unexplained_text.first[1]) for c in found[:SAMPLES]],
    )


@second_header_row.check_for(
    "xlsx",
    messages={
        "xlsx-repeated-header": {
            "en": 'Sheet "{sheet}": {rows:plural:row|rows} {rows} {rows:plural:repeats|repeat} the header '
            "({values}): tables put end to end? Dataverse takes {rows:plural:it for an observation|them "
            "for observations}, and {rows:plural:it makes|they make} columns {letters} text. Delete "
            "{rows:plural:it|them}.",
            "fr": "Feuille «\u00a0{sheet}\u00a0»\u00a0: {rows:plural:la ligne|les lignes} {rows} "
            "{rows:plural:répète|répètent} l'en-tête ({values})\u00a0: des tableaux mis bout à "
            "bout\u202f? Dataverse {rows:plural:la prend pour une observation|les prend pour des "
            "observations}, et {rows:plural:elle fait|elles font} des colonnes {letters} du texte. "
            "{rows:plural:Supprimez-la|Supprimez-les}.",
        },
        "xlsx-second-header": {
            "en": 'Sheet "{sheet}": row {row}, under the header, holds text where the rows below hold '
            "numbers ({values} in {cells}): a second header row (units?) makes these columns text.",
            "fr": "Feuille « {sheet} » : la ligne {row}, sous l'en-tête, contient du texte là où les lignes "
            "suivantes contiennent des nombres ({values} en {cells}) : une deuxième ligne d'en-tête (des "
            "unités ?) fait de ces colonnes du texte.",
        },
    },
)
def _second_header_row_xlsx(r, facts, ctx):
    """In the sheet Dataverse reads: two columns at least that it types as text, whose cell under
    the header is text and whose next cells (of the first rows kept, three at least) are numbers."""
    from tabcheck.rules.values import sheet_repeated_header
    from tabcheck.workbook.cells import cell_ref, column_letters

    wb, sheet = usable_sheet(facts)
    again, cells_again = sheet_repeated_header(wb, sheet)
    if again:
        first = cells_again[0]
        yield r.finding(
            Location(sheet=sheet.name, cell=first.cell, row=first.row, column=first.column),
            variant="xlsx-repeated-header",
            count=len(cells_again),
            samples=[
                Location(sheet=sheet.name, cell=c.cell, row=c.row, column=c.column) for c in cells_again
            ],
            sheet=sheet.name,
            rows=[c.row for c in cells_again],
            letters=short_list(column_letters(c) for c, _ in again),
            values=[Quoted(name) for _, name in again[:SAMPLES]],
        )
    found = xlsx_units_row(wb, sheet)
    if found is None:
        return
    under, columns = found
    cells = [cell_ref(c, under.number) for c, _ in columns]
    yield r.finding(
        Location(sheet=sheet.name, cell=cells[0], row=under.number, column=columns[0][0]),
        variant="xlsx-second-header",
        count=len(columns),
        samples=[
            Location(sheet=sheet.name, cell=cell, row=under.number, column=c)
            for cell, (c, _) in zip(cells[:SAMPLES], columns, strict=False)
        ],
        sheet=sheet.name,
        row=under.number,
        cells=cells[:SAMPLES],
        values=[Quoted(t.strip()) for _, t in columns[:SAMPLES]],
    )


@rule(
    code="TC304",
    name="header-renamed",
    severity="info",
    effect="degrades",
    formats=XLSX,
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
        "en": 'Sheet "{sheet}": Dataverse will rename {count_names} '
        "{count_names:plural:column|columns}: {renames}.",
        "fr": "Feuille « {sheet} » : Dataverse renommera {count_names} "
        "{count_names:plural:colonne|colonnes} : {renames}.",
    },
)
def header_renamed(rule_, facts, ctx):
    from tabcheck.dataverse.xlsx import variable_name
    from tabcheck.workbook.cells import cell_ref

    wb = workbook_of(facts)
    sheet = read_sheet(facts)
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
            renames.append(Rename(shown, new))
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


@hookimpl
def tabcheck_rules():
    return provide(globals())
