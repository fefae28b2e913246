"""Rules about the structure of a table: delimiter, records, titles and notes, blank lines (TC201–TC205).

Over 400 lines because each rule carries its texts in two languages; the checks are short.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tabcheck.hookspecs import hookimpl
from tabcheck.messages import DelimiterName, Words
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.rules import layout
from tabcheck.rules.common import (
    NOT_TEXT,
    SAMPLES,
    column_location,
    rows_of,
    sheet_layout,
    usable_sheet,
    user_view,
)

if TYPE_CHECKING:
    from tabcheck.facts.common import RecordSample

# The workbook checks import tabcheck.workbook.cells themselves: a check of CSV files never loads it.


@rule(
    code="TC201",
    name="delimiter-not-comma",
    severity="blocker",
    effect="fails",
    formats=("csv",),
    repair="comma-delimiter",
    summary={
        "en": "A .csv file whose values are not separated by commas.",
        "fr": "Un fichier .csv dont les valeurs ne sont pas séparées par des virgules.",
    },
    rationale={
        "en": "Dataverse splits .csv files on commas only. A semicolon file (Excel's 'CSV' in "
        "French) fails as soon as a comma appears in the data (decimal commas, text); "
        "otherwise the whole table becomes one text variable named after the header line.",
        "fr": "Dataverse ne découpe les .csv que sur la virgule. Un fichier à points-virgules (le "
        "« CSV » d'Excel en français) échoue dès qu'une virgule apparaît dans les données "
        "(décimales, texte) ; sinon tout le tableau devient une seule variable texte.",
    },
    how_to_fix={
        "en": "Run `tabcheck fix` (it rewrites the file with commas and decimal points), or "
        "export again as 'CSV UTF-8 (comma delimited)'.",
        "fr": "Lancez `tabcheck fix` (il réécrit le fichier avec des virgules et des points "
        "décimaux), ou exportez de nouveau en « CSV UTF-8 (délimité par des virgules) ».",
    },
    messages={
        "en": "Values are separated by {found} ({columns} {columns:plural:column|columns}), not commas: "
        "Dataverse will {outcome}.",
        "fr": "Les valeurs sont séparées par des {found} ({columns} {columns:plural:colonne|colonnes}), "
        "pas par des virgules : Dataverse {outcome}.",
    },
)
def delimiter_not_comma(r, facts, ctx):
    t = facts.table
    if t is None or facts.content in NOT_TEXT or not t.sniffed_delimiter or t.sniffed_delimiter == ",":
        return
    dv = t.dataverse
    strict_quotes = not ctx.profile.lenient_quotes and (dv.bad_quoting or dv.unclosed_quote)
    fails = dv.first_mismatch is not None or bool(strict_quotes)
    if fails:
        outcome = Words("fail to ingest it", "échouera à l'ingérer")
    elif dv.expected <= 1:
        outcome = Words(
            "read the whole table as one text variable", "lira tout le tableau comme une seule variable texte"
        )
    else:  # commas inside the values cut every row the same way: wrong variables, silently
        outcome = Words(
            f"cut the rows at the commas inside the values instead ({dv.expected} wrong variables)",
            f"coupera plutôt les lignes aux virgules des valeurs ({dv.expected} variables erronées)",
        )
    # Below a title the sniff did not skip, the table's columns are the header's below it, not the title's
    lay = layout.analyse(t.user) if t.user is not None else None
    if lay is not None and lay.title_rows:
        columns = lay.narrower_header or lay.width
    else:
        columns = len(t.user.header or [])
    yield r.finding(
        Location(row=1, line=1),
        effect=Effect.FAILS if fails else Effect.DEGRADES,
        found=DelimiterName(t.sniffed_delimiter),
        columns=columns,
        outcome=outcome,
    )


@rule(
    code="TC202",
    name="delimiter-not-tab",
    severity="blocker",
    effect="fails",
    formats=("tsv",),
    repair="comma-delimiter",
    summary={
        "en": "A .tsv or .tab file whose values are not separated by TAB.",
        "fr": "Un fichier .tsv ou .tab dont les valeurs ne sont pas séparées par des tabulations.",
    },
    rationale={
        "en": "Dataverse splits .tsv and .tab files on TAB only: a comma or semicolon file "
        "with that extension becomes one text variable, or fails.",
        "fr": "Dataverse ne découpe les .tsv et .tab que sur la tabulation : un fichier à "
        "virgules ou points-virgules portant cette extension devient une seule variable "
        "texte, ou échoue.",
    },
    how_to_fix={
        "en": "Rename a comma-separated file to .csv, or run `tabcheck fix`.",
        "fr": "Renommez un fichier séparé par des virgules en .csv, ou lancez `tabcheck fix`.",
    },
    messages={
        "en": "Values are separated by {found}, not TAB: Dataverse will read each line as one value.",
        "fr": "Les valeurs sont séparées par des {found}, pas par des tabulations : Dataverse "
        "lira chaque ligne comme une seule valeur.",
    },
)
def delimiter_not_tab(r, facts, ctx):
    t = facts.table
    if t is None or not t.sniffed_delimiter or t.sniffed_delimiter == "\t":
        return
    fails = t.dataverse.first_mismatch is not None
    yield r.finding(
        Location(row=1, line=1),
        effect=Effect.FAILS if fails else Effect.DEGRADES,
        found=DelimiterName(t.sniffed_delimiter),
    )


@rule(
    code="TC203",
    name="ragged-row",
    severity="blocker",
    effect="fails",
    summary={
        "en": "Rows with more or fewer cells than the header.",
        "fr": "Des lignes ont plus ou moins de cellules que l'en-tête.",
    },
    rationale={
        "en": "Dataverse refuses the whole file at the first row whose number of cells differs "
        "from the header's, and its message names the last line of the file, not that row. "
        "Usual causes: an unquoted comma in a text or in a number (3,5), a missing cell, a trailing "
        "delimiter, R's row names (write.table() writes them without a header cell).",
        "fr": "Dataverse refuse tout le fichier dès la première ligne dont le nombre de cellules "
        "diffère de celui de l'en-tête, et son message d'erreur indique la dernière ligne du "
        "fichier, pas la ligne fautive. Causes habituelles : une virgule hors guillemets dans "
        "un texte ou dans un nombre (3,5), une cellule manquante, un séparateur en fin de ligne, les "
        "noms de lignes de R (write.table() les écrit sans cellule d'en-tête).",
    },
    how_to_fix={
        "en": "Put texts that contain the delimiter between double quotes, add the missing "
        "cells, remove trailing delimiters. `tabcheck fix` removes the empty cells a delimiter at "
        "the end of the lines leaves after the last column, when every one of them is empty.",
        "fr": "Mettez entre guillemets les textes qui contiennent le séparateur, ajoutez les "
        "cellules manquantes, supprimez les séparateurs en fin de ligne. `tabcheck fix` retire les "
        "cellules vides qu'un séparateur en fin de ligne laisse après la dernière colonne, quand "
        "toutes sont vides.",
    },
    repair="drop-trailing-cells",
    messages={
        "default": {
            "en": "{count} {count:plural:row does|rows do} not have {expected} "
            "{expected:plural:cell|cells} like the header: row {row} has {found}"
            "{count:plural:| (rows {rows})}.",
            "fr": "{count} {count:plural:ligne n'a|lignes n'ont} pas {expected} "
            "{expected:plural:cellule|cellules} comme l'en-tête : la ligne {row} en a {found}"
            "{count:plural:| (lignes {rows})}.",
        },
        "unquoted-number-commas": {
            "en": "{count} {count:plural:row does|rows do} not have {expected} "
            "{expected:plural:cell|cells} like the header: row {row} has {found}"
            "{count:plural:| (rows {rows})}. Its values (“{record}”) may be numbers written with a "
            "comma and not between quotes, which the comma splits in two (3,5 read as 3 and 5): write "
            "decimals with a point, or put such numbers between quotes.",
            "fr": "{count} {count:plural:ligne n'a|lignes n'ont} pas {expected} "
            "{expected:plural:cellule|cellules} comme l'en-tête\u00a0: la ligne {row} en a {found}"
            "{count:plural:| (lignes {rows})}. Ses valeurs («\u00a0{record}\u00a0») sont peut-être des "
            "nombres écrits avec une virgule et sans guillemets, que la virgule coupe en deux (3,5 lu "
            "comme 3 et 5)\u00a0: écrivez les décimales avec un point, ou mettez ces nombres entre "
            "guillemets.",
        },
        "row-names": {
            "en": "{count} {count:plural:row does|rows do} not have {expected} "
            "{expected:plural:cell|cells} like the header: row {row} has {found}"
            "{count:plural:| (rows {rows})}. Every row starts with its number (“{first}”) and the "
            "header has no name for it, as R's write.table() writes row names: add a name at the "
            "start of the header (e.g. “row”), or write the table with row.names = FALSE.",
            "fr": "{count} {count:plural:ligne n'a|lignes n'ont} pas {expected} "
            "{expected:plural:cellule|cellules} comme l'en-tête\u00a0: la ligne {row} en a {found}"
            "{count:plural:| (lignes {rows})}. Chaque ligne commence par son numéro («\u00a0{first}\u00a0») "
            "et l'en-tête n'a pas de nom pour lui, comme write.table() de R écrit les noms de "
            "lignes\u00a0: ajoutez un nom au début de l'en-tête (par ex. «\u00a0ligne\u00a0»), ou "
            "écrivez le tableau avec row.names = FALSE.",
        },
        "after-title": {
            "en": "{count} {count:plural:row|rows} of the table {count:plural:does|do} not have "
            "{expected} {expected:plural:cell|cells}.",
            "fr": "{count} {count:plural:ligne du tableau n'a|lignes du tableau n'ont} pas {expected} "
            "{expected:plural:cellule|cellules}.",
        },
        "after-title-trailing": {
            "en": "Below the title, the header (row {header_row}) has {named} cells and the rows {expected}: "
            "a delimiter at the end of each data line leaves an empty cell after the last column.",
            "fr": "Sous le titre, l'en-tête (ligne {header_row}) a {named} cellules et les lignes {expected} : "
            "un séparateur en fin de chaque ligne de données laisse une cellule vide après la dernière "
            "colonne.",
        },
    },
)
def ragged_row(r, facts, ctx):
    v = user_view(facts)
    if v is None or not any(name.strip("\ufeff \t") for name in v.header):
        return  # no header at all (an empty first line): empty-header says it
    lay = layout.analyse(v)
    if lay and lay.title_rows:
        extra = {row for row, _, _ in lay.title_rows} | {row for row, _, _ in lay.note_rows}
        odd = (
            sum(v.field_counts.values())
            - v.field_counts[lay.width]
            - v.blank_lines.count
            - v.whitespace_lines.count
            - len(extra - {1})
            - (lay.narrower_header is not None)  # the header: said below
        )
        if odd > 0:
            yield r.finding(Location(), variant="after-title", count=odd, expected=lay.width, fixable=False)
        if lay.narrower_header is not None:
            yield r.finding(
                Location(row=lay.header_row),
                variant="after-title-trailing",
                header_row=lay.header_row,
                named=lay.narrower_header,
                expected=lay.width,
            )
        return
    notes = {row for row, _, _ in lay.note_rows} if lay else set()
    samples = [s for s in v.ragged.samples if s[0] not in notes]
    count = v.ragged.count - sum(1 for s in v.ragged.samples if s[0] in notes)
    if count <= 0 or not samples:
        return
    row, line, found = samples[0]
    keep = v.kept_width()
    names = _row_names(v, samples)
    split = None if names else _split_numbers(v, samples)
    extra: dict[str, object] = {}
    if names:
        extra = {"variant": "row-names", "first": names}
    elif split:
        extra = {"variant": "unquoted-number-commas", "record": _shown(split.fields)}
    yield r.finding(
        column_location(v, min(found, v.expected) + (1 if found > v.expected else 0), row, line)
        if found > v.expected
        else Location(row=row, line=line),
        count=count,
        samples=[Location(row=s[0], line=s[1]) for s in samples],
        expected=v.expected,
        row=row,
        found=found,
        rows=rows_of(samples),
        # Rows that only differ by empty cells after the last named column: fix drops them.
        fixable=not extra
        and keep is not None
        and all(s[2] >= keep for s in samples)
        and v.trailing_cells_seen_empty(),
        **extra,
    )


def _row_names(v, samples) -> str | None:
    """The first record's row name when every record has one cell more than the header and the
    kept ones (two at least) start with their own number (row 2 with 1, …): R's write.table() with
    its default row names (a header without a name for them)."""
    if set(v.field_counts) != {v.expected + 1} or len(v.ragged_records) < 2:
        return None  # two rows numbered 1 and 2 at least: one row alone says little
    kept = {rec.row: rec for rec in v.ragged_records}
    if any(s[0] not in kept for s in samples[: len(kept)]):
        return None
    if any(rec.fields[0].strip('"') != str(rec.row - 1) or not rec.fields[-1] for rec in v.ragged_records):
        return None  # not numbered so, or an empty last cell: a delimiter at the end of the lines
    return v.ragged_records[0].fields[0]


_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DIGITS = re.compile(r"^[0-9]+$")


def _split_numbers(v, samples) -> RecordSample | None:
    """The first kept ragged record when the rows look split at the commas of numbers (60,5 or
    1,234 not between quotes, in a comma file): each of them has more cells than the header, and
    at least as many neighbouring pairs of an integer and digits as cells too many. A header
    missing a name over a column of integers would pass too, hence "may be" in the message."""
    if v.delimiter != ",":
        return None
    kept = {rec.row: rec for rec in v.ragged_records}
    records = [kept[s[0]] for s in samples if s[0] in kept]
    if not records:
        return None
    for rec in records:
        fields = rec.fields
        while fields and fields[-1] == "":  # a delimiter at the end of the line: not a split number
            fields = fields[:-1]
        too_many = len(fields) - v.expected
        if too_many <= 0 or _number_pairs(fields) < too_many:
            return None
    return records[0]


def _number_pairs(fields: list[str]) -> int:
    """How many disjoint neighbouring pairs (an integer, then digits) `fields` holds."""
    pairs, i = 0, 0
    while i + 1 < len(fields):
        if _INTEGER.match(fields[i]) and _DIGITS.match(fields[i + 1]):
            pairs, i = pairs + 1, i + 2
        else:
            i += 1
    return pairs


def _shown(fields: list[str], limit: int = 60) -> str:
    """A record's values as the file writes them, cut short."""
    text = ",".join(fields)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The variants of title-or-notes-rows for lines above the header (fix moves them out alike).
TITLE_VARIANTS = frozenset({"title", "excel-separator"})
# `sep=;`: the first line Excel reads as the delimiter to use (and some programs write for it).
_EXCEL_SEPARATOR = re.compile(r"^\ufeff?sep=.?$", re.IGNORECASE)  # "sep=" when split at its own ";"


@rule(
    code="TC204",
    name="title-or-notes-rows",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    repair="move-notes",
    summary={
        "en": "A title above the header, or notes / a legend below the table.",
        "fr": "Un titre au-dessus de l'en-tête, ou des notes / une légende sous le tableau.",
    },
    rationale={
        "en": "Dataverse takes the first line as the header and every other line as data: a "
        "title becomes the only variable name and the ingest fails; notes become rows.",
        "fr": "Dataverse prend la première ligne comme en-tête et toutes les autres comme "
        "données : un titre devient le seul nom de variable et l'ingestion échoue ; les "
        "notes deviennent des lignes.",
    },
    how_to_fix={
        "en": "Delete the title and notes rows; put that information in the dataset's "
        "description or in a README file.",
        "fr": "Supprimez les lignes de titre et de notes ; mettez ces informations dans la "
        "description du jeu de données ou dans un fichier README.",
    },
    messages={
        "title": {
            "en": "{rows:plural:Row|Rows} {rows} above the header {rows:plural:looks|look} like a "
            "title: “{text}”. The header seems to be row {header_row}.",
            "fr": "{rows:plural:La ligne|Les lignes} {rows} au-dessus de l'en-tête "
            "{rows:plural:ressemble|ressemblent} à un titre : « {text} ». L'en-tête semble être "
            "la ligne {header_row}.",
        },
        "excel-separator": {
            "en": "Row {rows} (“{text}”) is the delimiter hint Excel reads, not data: Dataverse would take "
            "it for the header. The header is row {header_row}.",
            "fr": "La ligne {rows} (« {text} ») est l'indication de séparateur destinée à Excel, pas une "
            "donnée : Dataverse la prendrait pour l'en-tête. L'en-tête est la ligne {header_row}.",
        },
        "notes": {
            "en": "{rows:plural:Row|Rows} {rows} below the table {rows:plural:looks|look} like notes "
            "or a legend: “{text}”.",
            "fr": "{rows:plural:La ligne|Les lignes} {rows} sous le tableau "
            "{rows:plural:ressemble|ressemblent} à des notes ou à une légende : « {text} ».",
        },
    },
)
def title_or_notes_rows(r, facts, ctx):
    v = user_view(facts)
    lay = layout.analyse(v) if v is not None else None
    if lay is None:
        return
    if lay.title_rows:
        row, line, text = lay.title_rows[0]
        excel_hint = len(lay.title_rows) == 1 and _EXCEL_SEPARATOR.match(text) is not None
        yield r.finding(
            Location(row=row, line=line),
            variant="excel-separator" if excel_hint else "title",
            count=len(lay.title_rows),
            samples=[Location(row=t[0], line=t[1]) for t in lay.title_rows],
            rows=[t[0] for t in lay.title_rows],
            text=text,
            header_row=lay.header_row,
        )
    if lay.note_rows:
        row, line, text = lay.note_rows[0]
        yield r.finding(
            Location(row=row, line=line),
            variant="notes",
            count=len(lay.note_rows),
            samples=[Location(row=t[0], line=t[1]) for t in lay.note_rows],
            rows=[t[0] for t in lay.note_rows],
            text=text,
        )


@title_or_notes_rows.check_for(
    "xlsx",
    messages={
        "xlsx-title": {
            "en": 'Sheet "{sheet}": row {row} looks like a title ("{text}") above the table; Dataverse '
            "will take it as the header row.",
            "fr": "Feuille « {sheet} » : la ligne {row} ressemble à un titre (« {text} ») au-dessus du "
            "tableau ; Dataverse la prendra comme ligne d'en-tête.",
        },
        "xlsx-notes": {
            "en": 'Sheet "{sheet}": {rows:plural:row|rows} {rows} below the table '
            '{rows:plural:looks|look} like notes or a legend ("{text}"); Dataverse will ingest '
            "{rows:plural:it as an observation|them as observations}.",
            "fr": "Feuille « {sheet} » : {rows:plural:la ligne|les lignes} {rows} sous le tableau "
            "{rows:plural:ressemble|ressemblent} à des notes ou à une légende (« {text} ») ; "
            "Dataverse {rows:plural:l'ingérera comme une observation|les ingérera comme des "
            "observations}.",
        },
        "xlsx-blank-rows": {
            "en": 'Sheet "{sheet}": {count_rows} blank {count_rows:plural:row|rows} inside the table '
            "({count_rows:plural:row|from row} {row}).",
            "fr": "Feuille « {sheet} » : {count_rows} {count_rows:plural:ligne vide|lignes vides} dans le "
            "tableau ({count_rows:plural:ligne|à partir de la ligne} {row}).",
        },
    },
)
def _title_or_notes_rows_xlsx(rule, facts, ctx):
    from tabcheck.workbook.cells import cell_ref

    _wb, sheet = usable_sheet(facts)
    layout = sheet_layout(sheet)
    if layout is None:
        return
    first = layout.title
    if first is not None:
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
    notes = layout.notes
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


@rule(
    code="TC205",
    name="blank-line",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    repair="drop-blank-lines",
    summary={
        "en": "Empty (or whitespace-only) lines, or rows of empty cells, in a CSV or TSV file.",
        "fr": "Des lignes vides (ou faites d'espaces), ou des lignes de cellules vides, dans un CSV ou un TSV.",
    },
    rationale={
        "en": "Dataverse reads an empty CSV line as a row with a single cell, and the ingest "
        "fails — even for one extra empty line at the end of the file. (TSV files may "
        "have them: they are skipped.) A row of empty cells (`;;`: an empty row of a "
        "spreadsheet, exported) is read as an observation whose values are all missing: the "
        "number of observations is wrong.",
        "fr": "Dataverse lit une ligne vide d'un CSV comme une ligne de données d'une seule cellule, et "
        "l'ingestion échoue — même pour une seule ligne vide en fin de fichier. (Les TSV "
        "peuvent en avoir : elles sont ignorées.) Une ligne de cellules vides (`;;` : une ligne "
        "vide d'un tableur, exportée) devient une observation dont toutes les valeurs manquent : "
        "le nombre d'observations est faux.",
    },
    how_to_fix={
        "en": "Delete the empty lines and the rows of empty cells (`tabcheck fix` does it).",
        "fr": "Supprimez les lignes vides et les lignes de cellules vides (`tabcheck fix` le fait).",
    },
    messages={
        "default": {
            "en": "{count} empty {count:plural:line|lines}: {lines:plural:line|lines} {lines}.",
            "fr": "{count} {count:plural:ligne vide|lignes vides} : {lines:plural:ligne physique|lignes "
            "physiques} {lines}.",
        },
        "empty-cells": {
            "en": "{count} {count:plural:row holds|rows hold} only empty cells ({lines:plural:line|lines} "
            "{lines}): Dataverse will count {count:plural:it|each} as an observation whose values are all "
            "missing.",
            "fr": "{count} {count:plural:ligne ne contient|lignes ne contiennent} que des cellules vides "
            "({lines:plural:ligne physique|lignes physiques} {lines}) : Dataverse {count:plural:la "
            "comptera|les comptera chacune} comme une observation dont toutes les valeurs manquent.",
        },
    },
)
def blank_line(r, facts, ctx):
    v = user_view(facts)
    if v is None or (v.expected < 2 and not v.whitespace_lines):
        return
    # A TSV's empty lines are skipped by Dataverse; its lines of spaces are not (they become a
    # record of one empty value).
    blank = v.blank_lines if facts.format == "csv" else type(v.blank_lines)()
    samples = sorted(blank.samples + v.whitespace_lines.samples)[:5]
    count = blank.count + v.whitespace_lines.count
    if count:
        row, line = samples[0]
        yield r.finding(
            Location(row=row, line=line),
            count=count,
            samples=[Location(row=s[0], line=s[1]) for s in samples],
            lines=[s[1] for s in samples],
        )
    empty = v.empty_rows
    if empty.count and v.expected > 1:
        row, line = empty.samples[0]
        yield r.finding(
            Location(row=row, line=line),
            variant="empty-cells",
            count=empty.count,
            samples=[Location(row=s[0], line=s[1]) for s in empty.samples],
            lines=[s[1] for s in empty.samples],
            severity=Severity.WARNING,
            effect=Effect.DEGRADES,
        )


@hookimpl
def tabcheck_rules():
    return provide(globals())
