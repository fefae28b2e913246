"""Rules about the structure of a CSV/TSV file: delimiter, records, quotes, line breaks."""

from __future__ import annotations

from tabcheck.hookspecs import hookimpl
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.rules import layout, shared
from tabcheck.rules.common import NOT_TEXT, column_location, delimiter_name, rows_of, user_view


@rule(
    code="TC201",
    name="delimiter-not-comma",
    severity="blocker",
    effect="fails",
    formats=("csv",),
    fixable=True,
    summary={
        "en": "A .csv file whose values are not separated by commas.",
        "fr": "Un fichier .csv dont les valeurs ne sont pas séparées par des virgules.",
    },
    rationale={
        "en": "Dataverse splits .csv files on commas only. A semicolon file (Excel's 'CSV' in "
        "French) fails as soon as a comma appears in the data (decimal commas, text); "
        "otherwise the whole table becomes one text variable named after the header line.",
        "fr": "Dataverse ne découpe les .csv que sur la virgule. Un fichier à points-virgules (le "
        "« CSV » d'Excel en français) échoue dès qu'une virgule apparaît dans les données "
        "(décimales, texte) ; sinon tout le tableau devient une seule variable texte.",
    },
    how_to_fix={
        "en": "Run `tabcheck fix` (it rewrites the file with commas and decimal points), or "
        "export again as 'CSV UTF-8 (comma delimited)'.",
        "fr": "Lancez `tabcheck fix` (il réécrit le fichier avec des virgules et des points "
        "décimaux), ou exportez de nouveau en « CSV UTF-8 (délimité par des virgules) ».",
    },
    messages={
        "en": "Values are separated by {found} ({columns} columns), not commas: Dataverse will {outcome}.",
        "fr": "Les valeurs sont séparées par des {found} ({columns} colonnes), pas par des "
        "virgules : Dataverse {outcome}.",
    },
)
def delimiter_not_comma(r, facts, ctx):
    t = facts.table
    if t is None or facts.content in NOT_TEXT or not t.sniffed_delimiter or t.sniffed_delimiter == ",":
        return
    dv = t.dataverse
    strict_quotes = not ctx.profile.lenient_quotes and (dv.bad_quoting or dv.unclosed_quote)
    fails = dv.first_mismatch is not None or bool(strict_quotes)
    outcome = {
        ("en", True): "fail to ingest it",
        ("fr", True): "échouera à l'ingérer",
        ("en", False): "read the whole table as one text variable",
        ("fr", False): "lira tout le tableau comme une seule variable texte",
    }[(ctx.lang, fails)]
    yield r.finding(
        Location(row=1, line=1),
        effect=Effect.FAILS if fails else Effect.DEGRADES,
        found=delimiter_name(t.sniffed_delimiter, ctx.lang),
        columns=len(t.user.header or []),
        outcome=outcome,
    )


@rule(
    code="TC202",
    name="delimiter-not-tab",
    severity="blocker",
    effect="fails",
    formats=("tsv",),
    fixable=True,
    summary={
        "en": "A .tsv or .tab file whose values are not separated by TAB.",
        "fr": "Un fichier .tsv ou .tab dont les valeurs ne sont pas séparées par des tabulations.",
    },
    rationale={
        "en": "Dataverse splits .tsv and .tab files on TAB only: a comma or semicolon file "
        "with that extension becomes one text variable, or fails.",
        "fr": "Dataverse ne découpe les .tsv et .tab que sur la tabulation : un fichier à "
        "virgules ou points-virgules portant cette extension devient une seule variable "
        "texte, ou échoue.",
    },
    how_to_fix={
        "en": "Rename a comma-separated file to .csv, or run `tabcheck fix`.",
        "fr": "Renommez un fichier séparé par des virgules en .csv, ou lancez `tabcheck fix`.",
    },
    messages={
        "en": "Values are separated by {found}, not TAB: Dataverse will read each line as one value.",
        "fr": "Les valeurs sont séparées par des {found}, pas par des tabulations : Dataverse "
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
        found=delimiter_name(t.sniffed_delimiter, ctx.lang),
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
        "Usual causes: an unquoted comma in a text, a missing cell, a trailing delimiter.",
        "fr": "Dataverse refuse tout le fichier dès la première ligne dont le nombre de cellules "
        "diffère de celui de l'en-tête, et son message cite la dernière ligne du fichier, "
        "pas celle-là. Causes habituelles : une virgule non protégée dans un texte, une "
        "cellule manquante, un séparateur en fin de ligne.",
    },
    how_to_fix={
        "en": "Put texts that contain the delimiter between double quotes, add the missing "
        "cells, remove trailing delimiters.",
        "fr": "Mettez entre guillemets les textes qui contiennent le séparateur, ajoutez les "
        "cellules manquantes, supprimez les séparateurs en fin de ligne.",
    },
    messages={
        "default": {
            "en": "{count} row(s) do not have {expected} cells like the header: row {row} has {found} "
            "(rows {rows}).",
            "fr": "{count} ligne(s) n'ont pas {expected} cellules comme l'en-tête : la ligne "
            "{row} en a {found} (lignes {rows}).",
        },
        "after-title": {
            "en": "{count} row(s) of the table do not have {expected} cells.",
            "fr": "{count} ligne(s) du tableau n'ont pas {expected} cellules.",
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
        )
        if odd > 0:
            yield r.finding(Location(), variant="after-title", count=odd, expected=lay.width)
        return
    notes = {row for row, _, _ in lay.note_rows} if lay else set()
    samples = [s for s in v.ragged.samples if s[0] not in notes]
    count = v.ragged.count - sum(1 for s in v.ragged.samples if s[0] in notes)
    if count <= 0 or not samples:
        return
    row, line, found = samples[0]
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
    )


@rule(
    code="TC204",
    name="title-or-notes-rows",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv", "xlsx"),
    fixable=True,
    summary={
        "en": "A title above the header, or notes / a legend below the table.",
        "fr": "Un titre au-dessus de l'en-tête, ou des notes / une légende sous le tableau.",
    },
    rationale={
        "en": "Dataverse takes the first line as the header and every other line as data: a "
        "title becomes the only variable name and the ingest fails; notes become rows.",
        "fr": "Dataverse prend la première ligne comme en-tête et toutes les autres comme "
        "données : un titre devient le seul nom de variable et l'ingestion échoue ; les "
        "notes deviennent des lignes.",
    },
    how_to_fix={
        "en": "Delete the title and notes rows; put that information in the dataset's "
        "description or in a README file.",
        "fr": "Supprimez les lignes de titre et de notes ; mettez ces informations dans la "
        "description du jeu de données ou dans un fichier README.",
    },
    messages={
        **shared.messages("title-or-notes-rows"),
        "title": {
            "en": "Row(s) {rows} above the header look like a title: “{text}”. The header "
            "seems to be row {header_row}.",
            "fr": "La ou les lignes {rows} au-dessus de l'en-tête ressemblent à un titre : "
            "« {text} ». L'en-tête semble être la ligne {header_row}.",
        },
        "notes": {
            "en": "Row(s) {rows} below the table look like notes or a legend: “{text}”.",
            "fr": "La ou les lignes {rows} sous le tableau ressemblent à des notes ou une "
            "légende : « {text} ».",
        },
    },
)
def title_or_notes_rows(r, facts, ctx):
    if facts.workbook is not None:
        yield from shared.check("title-or-notes-rows", r, facts, ctx)
        return
    v = user_view(facts)
    lay = layout.analyse(v) if v is not None else None
    if lay is None:
        return
    if lay.title_rows:
        row, line, text = lay.title_rows[0]
        yield r.finding(
            Location(row=row, line=line),
            variant="title",
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


@rule(
    code="TC205",
    name="blank-line",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    fixable=True,
    summary={
        "en": "Empty (or whitespace-only) lines in a CSV file.",
        "fr": "Des lignes vides (ou faites d'espaces) dans un fichier CSV.",
    },
    rationale={
        "en": "Dataverse reads an empty CSV line as a row with a single cell, and the ingest "
        "fails — even for one extra empty line at the end of the file. (TSV files may "
        "have them: they are skipped.)",
        "fr": "Dataverse lit une ligne vide d'un CSV comme une ligne d'une seule cellule, et "
        "l'ingestion échoue — même pour une seule ligne vide en fin de fichier. (Les TSV "
        "peuvent en avoir : elles sont ignorées.)",
    },
    how_to_fix={
        "en": "Delete the empty lines (`tabcheck fix` does it).",
        "fr": "Supprimez les lignes vides (`tabcheck fix` le fait).",
    },
    messages={
        "en": "{count} empty line(s): line(s) {lines}.",
        "fr": "{count} ligne(s) vide(s) : ligne(s) {lines}.",
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


@rule(
    code="TC206",
    name="embedded-newline",
    severity="warning",
    effect="advice",
    formats=("csv", "tsv", "xlsx"),
    fixable=True,
    summary={"en": "Line breaks inside cells.", "fr": "Des retours à la ligne dans des cellules."},
    rationale={
        "en": "A line break (LF) inside a quoted CSV value is ingested, but the French deposit "
        "guide asks for none; a carriage return (CR, as in Windows line breaks) makes the "
        "save of the ingested table fail since Dataverse 6.7; in Excel any line break "
        "fails the ingest.",
        "fr": "Un retour à la ligne (LF) dans une valeur CSV entre guillemets est accepté, mais "
        "le guide de dépôt demande de l'éviter ; un retour chariot (CR, comme dans les sauts "
        "de ligne Windows) fait échouer l'enregistrement depuis Dataverse 6.7 ; dans Excel, "
        "tout retour à la ligne fait échouer l'ingestion.",
    },
    how_to_fix={
        "en": "Replace line breaks inside cells by a space or ' / ' (`tabcheck fix` does it).",
        "fr": "Remplacez les retours à la ligne dans les cellules par une espace ou « / » "
        "(`tabcheck fix` le fait).",
    },
    messages={
        **shared.messages("embedded-newline"),
        "lf": {
            "en": "{count} line break(s) inside cells, first in row {row}, column {column} ({column_name}).",
            "fr": "{count} retour(s) à la ligne dans des cellules, le premier ligne {row}, "
            "colonne {column} ({column_name}).",
        },
        "cr": {
            "en": "{count} carriage return(s) (CR) inside cells, first in row {row}, column "
            "{column} ({column_name}): {consequence}",
            "fr": "{count} retour(s) chariot (CR) dans des cellules, le premier ligne {row}, "
            "colonne {column} ({column_name}) : {consequence}",
        },
    },
)
def embedded_newline(r, facts, ctx):
    if facts.workbook is not None:
        yield from shared.check("embedded-newline", r, facts, ctx)
        return
    v = user_view(facts)
    if v is None:
        return
    if v.quoted_cr:
        row, line, col = v.quoted_cr.first
        fails = ctx.profile.cr_in_cell_fails
        consequence = {
            ("en", True): "the ingest will fail when the table is saved.",
            ("fr", True): "l'ingestion échouera à l'enregistrement du tableau.",
            ("en", False): "accepted by this Dataverse version, refused from 6.7 on.",
            ("fr", False): "accepté par cette version de Dataverse, refusé à partir de 6.7.",
        }
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
            consequence=consequence[(ctx.lang, fails)],
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
        "fr": "Dataverse 6.7 et antérieurs (et toutes les versions pour un TSV) échouent ; 6.8 "
        "avale tout le reste du fichier dans cette cellule et ingère moins de lignes sans "
        "rien dire.",
    },
    how_to_fix={
        "en": 'Close the quote, or double it ("") if it is part of the text.',
        "fr": 'Refermez le guillemet, ou doublez-le ("") s\'il fait partie du texte.',
    },
    messages={
        "en": "The quote opened on line {line} (row {row}, column {column}) is never closed: "
        "everything after it is read as one value.",
        "fr": "Le guillemet ouvert ligne {line} (ligne de tableau {row}, colonne {column}) n'est "
        "jamais refermé : tout ce qui suit est lu comme une seule valeur.",
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
        'oblique inverse (\\").',
    },
    rationale={
        "en": 'CSV escapes a quote by doubling it (""). Dataverse 6.7 and earlier fail on '
        '`"abc"def` or `\\"`; 6.8 glues the pieces together and alters the text.',
        "fr": 'En CSV, un guillemet s\'échappe en le doublant (""). Dataverse 6.7 et antérieurs '
        'échouent sur `"abc"def` ou `\\"` ; 6.8 recolle les morceaux et altère le texte.',
    },
    how_to_fix={
        "en": 'Write quotes inside quoted values as ""; export again with a CSV writer that '
        "follows RFC 4180.",
        "fr": 'Écrivez les guillemets internes sous la forme "" ; exportez de nouveau avec un '
        "outil qui respecte la RFC 4180.",
    },
    messages={
        "en": "{count} value(s) have text after their closing quote, first on line {line} (row "
        "{row}, column {column}).",
        "fr": "{count} valeur(s) ont du texte après leur guillemet fermant, la première ligne "
        "{line} (ligne de tableau {row}, colonne {column}).",
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
    formats=("csv", "tsv", "xlsx"),
    summary={
        "en": "More columns than the repository accepts (1024 for CSV/TSV, 702 for Excel).",
        "fr": "Plus de colonnes que l'entrepôt n'en accepte (1024 en CSV/TSV, 702 en Excel).",
    },
    rationale={
        "en": "The Recherche Data Gouv guide refuses tables of more than 1024 columns; "
        "Dataverse's Excel reader fails beyond column ZZ (702).",
        "fr": "Le guide de Recherche Data Gouv refuse les tableaux de plus de 1024 colonnes ; "
        "le lecteur Excel de Dataverse échoue au-delà de la colonne ZZ (702).",
    },
    how_to_fix={
        "en": "Reshape the table to a long format (one row per observation and variable), or "
        "split it into several files sharing an identifier column.",
        "fr": "Passez le tableau au format long (une ligne par observation et variable), ou "
        "découpez-le en plusieurs fichiers partageant une colonne identifiant.",
    },
    messages={
        **shared.messages("too-many-columns"),
        "default": {
            "en": "The table has {columns} columns; the limit is {limit}.",
            "fr": "Le tableau a {columns} colonnes ; la limite est de {limit}.",
        },
    },
)
def too_many_columns(r, facts, ctx):
    if facts.workbook is not None:
        yield from shared.check("too-many-columns", r, facts, ctx)
        return
    v = user_view(facts)
    if v is not None and v.expected > 1024:
        yield r.finding(column_location(v, 1025, row=1, line=1), columns=v.expected, limit=1024)


@hookimpl
def tabcheck_rules():
    return provide(globals())
