"""Rules about the file as a whole: size, format, content that is not a table (TC0xx).

Over 400 lines because each rule carries its texts in two languages; the checks are short.
"""

from __future__ import annotations

import codecs

from tabcheck.hookspecs import hookimpl
from tabcheck.messages import DelimiterName, Size, Words
from tabcheck.model import Effect, Location, Severity
from tabcheck.rule import provide, rule
from tabcheck.rules.common import NOT_TEXT, usable_sheet


@rule(
    code="TC001",
    name="file-too-large",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv", "xlsx"),
    summary={
        "en": "The file is at or above the installation's tabular ingest size limit.",
        "fr": "Le fichier atteint ou dépasse la taille maximale d'ingestion tabulaire de l'entrepôt.",
    },
    rationale={
        "en": "Dataverse skips ingest for files at or above `:TabularIngestSizeLimit` (500 MB at "
        "Recherche Data Gouv, 150 MB at Harvard): the file is stored, with no variables, "
        "no preview and no subsetting, and only a server log says why.",
        "fr": "Dataverse n'ingère pas les fichiers dont la taille atteint `:TabularIngestSizeLimit` "
        "(500 Mo à Recherche Data Gouv, 150 Mo à Harvard) : le fichier est conservé tel quel, "
        "sans variables ni aperçu, et seul un journal du serveur le signale.",
    },
    how_to_fix={
        "en": "Split the table into several files (by year, site, …) or compress columns "
        "(codes instead of long labels). Use `--max-ingest-size` to match your repository.",
        "fr": "Découpez le tableau en plusieurs fichiers (par année, par site…) ou allégez-le (des "
        "codes au lieu de longs libellés). Réglez `--max-ingest-size` selon votre entrepôt.",
    },
    messages={
        "en": "The file is {size}; the ingest limit is {limit}: Dataverse will store it without "
        "ingesting it.",
        "fr": "Le fichier fait {size} ; la limite d'ingestion est de {limit} : Dataverse le "
        "conservera sans l'ingérer.",
    },
)
def file_too_large(r, facts, ctx):
    limit = ctx.target.max_ingest_size
    if facts.size >= limit:
        yield r.finding(size=Size(facts.size), limit=Size(limit))


@rule(
    code="TC002",
    name="upload-too-large",
    severity="blocker",
    effect="fails",
    formats=("*",),
    summary={
        "en": "The file is larger than the repository accepts for one upload.",
        "fr": "Le fichier dépasse la taille maximale acceptée pour un dépôt.",
    },
    rationale={
        "en": "Recherche Data Gouv accepts at most 50 GB per file; larger uploads are refused.",
        "fr": "Recherche Data Gouv accepte au plus 50 Go par fichier ; au-delà, le dépôt est refusé.",
    },
    how_to_fix={
        "en": "Split the file, or ask the repository's support team for a large-file transfer.",
        "fr": "Découpez le fichier, ou demandez à l'assistance de l'entrepôt un transfert de gros fichiers.",
    },
    messages={
        "en": "The file is {size}; the upload limit is {limit}.",
        "fr": "Le fichier fait {size} ; la limite de dépôt est de {limit}.",
    },
)
def upload_too_large(r, facts, ctx):
    limit = ctx.target.max_upload_size
    if facts.size > limit:
        yield r.finding(size=Size(facts.size), limit=Size(limit))


@rule(
    code="TC003",
    name="no-data",
    severity="blocker",
    effect="degrades",
    formats=("csv", "tsv"),
    summary={
        "en": "The table is empty or has a header and no data rows.",
        "fr": "Le tableau est vide, ou n'a qu'une ligne d'en-tête sans données.",
    },
    rationale={
        "en": "An empty CSV or a header-only CSV is 'ingested' with 0 observations (header-only "
        "columns typed as numbers); a header-only or empty Excel sheet fails to ingest.",
        "fr": "Un CSV vide ou réduit à son en-tête est « ingéré » avec 0 observation (colonnes "
        "typées numériques) ; une feuille Excel vide ou réduite à l'en-tête échoue.",
    },
    how_to_fix={
        "en": "Export the table again with its data, or leave this file out of the deposit.",
        "fr": "Exportez de nouveau le tableau avec ses données, ou retirez ce fichier du dépôt.",
    },
    messages={
        "empty": {
            "en": "The file is empty: Dataverse will ingest it with no variable and no observation.",
            "fr": "Le fichier est vide : Dataverse l'ingérera sans variable ni observation.",
        },
        "header-only": {
            "en": "The table has a header ({columns} {columns:plural:column|columns}) and no data row.",
            "fr": "Le tableau a un en-tête ({columns} {columns:plural:colonne|colonnes}) et aucune ligne "
            "de données.",
        },
    },
)
def no_data(r, facts, ctx):
    t = facts.table
    if t is None or facts.content in NOT_TEXT:
        return
    v = t.user
    if t.too_wide is not None:
        return  # not read to its end: record-too-wide says so
    if v.header is None or (len(v.header) == 1 and v.header[0].strip("\ufeff \t") == "" and not v.records):
        yield r.finding(Location(row=1, line=1), variant="empty")
    elif v.records == 0:
        yield r.finding(Location(row=1, line=1), variant="header-only", columns=len(v.header))


@no_data.check_for(
    "xlsx",
    messages={
        "xlsx-header-only": {
            "en": 'Sheet "{sheet}" has a header row but no data; Dataverse\'s ingest will fail.',
            "fr": "La feuille « {sheet} » a une ligne d'en-tête mais aucune donnée ; l'ingestion par "
            "Dataverse échouera.",
        },
        "xlsx-empty-sheet": {
            "en": 'Sheet "{sheet}" is empty; Dataverse\'s ingest will fail.',
            "fr": "La feuille « {sheet} » est vide ; l'ingestion par Dataverse échouera.",
        },
    },
)
def _no_data_xlsx(rule, facts, ctx):
    _wb, sheet = usable_sheet(facts)
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


@rule(
    code="TC004",
    name="not-tabular",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    summary={
        "en": "The file holds binary content or NUL bytes, not text.",
        "fr": "Le fichier contient des données binaires ou des octets NUL, pas du texte.",
    },
    rationale={
        "en": "Dataverse reads a .csv or .tsv as UTF-8 text whatever it holds: a workbook, a PDF "
        "or an archive renamed .csv is read as garbage; NUL bytes end up inside values.",
        "fr": "Dataverse lit un .csv ou un .tsv comme du texte UTF-8 quoi qu'il contienne : un "
        "classeur, un PDF ou une archive renommés en .csv sont lus comme du charabia ; les "
        "octets NUL se retrouvent dans les valeurs.",
    },
    how_to_fix={
        "en": "Give the file its real extension (.xlsx, .zip, …), or export the table again as "
        "CSV from the program that made it.",
        "fr": "Redonnez au fichier sa vraie extension (.xlsx, .zip…), ou exportez de nouveau le "
        "tableau en CSV depuis le logiciel d'origine.",
    },
    messages={
        "binary": {
            "en": "The file is not text: its content looks like {kind}.",
            "fr": "Le fichier n'est pas du texte : son contenu ressemble à {kind}.",
        },
        "nul": {
            "en": "{count} NUL {count:plural:byte|bytes}, {count:plural:on|first on} line {line}: "
            "{count:plural:it|they} will be kept inside values.",
            "fr": "{count} {count:plural:octet|octets} NUL, {count:plural:à la|le premier à la} ligne "
            "physique {line} : {count:plural:il restera|ils resteront} dans les valeurs.",
        },
    },
)
def not_tabular(r, facts, ctx):
    kinds = {
        "zip": ("a zip archive (an .xlsx workbook?)", "une archive zip (un classeur .xlsx ?)"),
        "ole2": ("an old Excel (.xls) or encrypted workbook", "un ancien classeur Excel (.xls) ou chiffré"),
        "binary": ("binary data", "des données binaires"),
    }
    if facts.content in kinds:
        reading = facts.table.reading if facts.table else None
        kind = Words(*kinds[facts.content])
        if reading is not None and reading.kind in _COMPRESSED:
            kind = Words(*_COMPRESSED[reading.kind])
        yield r.finding(variant="binary", kind=kind)
        return
    t = facts.table
    wide = facts.content == "utf16" or (t is not None and (t.encoding or "").startswith(("utf-16", "utf-32")))
    if t is not None and t.nul and not wide:
        yield r.finding(
            Location(line=t.nul.first),
            variant="nul",
            count=t.nul.count,
            severity=Severity.WARNING,
            effect=Effect.DEGRADES,
            line=t.nul.first,
        )


_COMPRESSED = {
    "gzip": (
        "a gzip-compressed file (.gz): decompress it first",
        "un fichier compressé gzip (.gz) : décompressez-le d'abord",
    ),
    "bzip2": (
        "a bzip2-compressed file: decompress it first",
        "un fichier compressé bzip2 : décompressez-le d'abord",
    ),
    "xz": ("an xz-compressed file: decompress it first", "un fichier compressé xz : décompressez-le d'abord"),
    "7z": ("a 7-Zip archive: extract the table first", "une archive 7-Zip : extrayez-en d'abord le tableau"),
    "xlsx": (
        "an Excel workbook (.xlsx): rename it .xlsx",
        "un classeur Excel (.xlsx) : renommez-le en .xlsx",
    ),
    "pdf": ("a PDF document", "un document PDF"),
    "parquet": ("a Parquet file", "un fichier Parquet"),
    "sqlite": ("an SQLite database", "une base SQLite"),
}

_UNSUPPORTED = {
    ".xls": ("the old Excel format (.xls)", "l'ancien format Excel (.xls)"),
    ".xlsm": ("an Excel workbook with macros (.xlsm)", "un classeur Excel avec macros (.xlsm)"),
    ".xlsb": ("a binary Excel workbook (.xlsb)", "un classeur Excel binaire (.xlsb)"),
    ".ods": ("an OpenDocument spreadsheet (.ods)", "un classeur OpenDocument (.ods)"),
    ".txt": ("a plain text file (.txt)", "un fichier texte (.txt)"),
}


@rule(
    code="TC005",
    name="unsupported-format",
    severity="warning",
    effect="fails",
    formats=("xls", "xlsm", "xlsb", "ods", "txt", "unknown"),
    repair="sheets-to-csv",
    summary={
        "en": "Dataverse stores this format as it is and never ingests it.",
        "fr": "Dataverse conserve ce format tel quel et ne l'ingère jamais.",
    },
    rationale={
        "en": "Only .csv, .tsv/.tab and .xlsx files are ingested into tabular data (variables, "
        "preview, subsetting). .xls, .xlsm, .xlsb, .ods and .txt files are kept as plain "
        "files.",
        "fr": "Seuls les fichiers .csv, .tsv/.tab et .xlsx sont ingérés comme données tabulaires "
        "(variables, aperçu, extraction). Les .xls, .xlsm, .xlsb, .ods et .txt restent de "
        "simples fichiers.",
    },
    how_to_fix={
        "en": "Open it in Excel or LibreOffice and save it as .xlsx or as 'CSV UTF-8 (comma "
        "delimited)', one sheet at a time (`tabcheck fix` converts .xlsm workbooks and .txt "
        "tables, not .xls, .xlsb or .ods files); rename a tab-separated .txt to .tsv.",
        "fr": "Ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx ou au format « CSV "
        "UTF-8 (délimité par des virgules) », une feuille à la fois (`tabcheck fix` convertit "
        "les classeurs .xlsm et les tableaux .txt, pas les fichiers .xls, .xlsb ou .ods) ; "
        "renommez un .txt séparé par des tabulations en .tsv.",
    },
    messages={
        "default": {
            "en": "This is {kind}: Dataverse will store it without ingesting it. Save "
            "it as CSV UTF-8 or .xlsx to have it ingested.",
            "fr": "C'est {kind} : Dataverse le conservera sans l'ingérer. Enregistrez-le "
            "en CSV UTF-8 ou en .xlsx pour qu'il soit ingéré.",
        },
        "txt-table": {
            "en": "This text file looks like a table separated by {delimiter}: rename "
            "it to {suggestion} to have it ingested.",
            "fr": "Ce fichier texte ressemble à un tableau séparé par des {delimiter} : "
            "renommez-le en {suggestion} pour qu'il soit ingéré.",
        },
        "txt-table-to-rewrite": {
            "en": "This text file looks like a table separated by {delimiter} ({why}): renaming it is "
            "not enough to have it ingested; `tabcheck fix` writes it as a UTF-8 CSV.",
            "fr": "Ce fichier texte ressemble à un tableau séparé par des {delimiter} ({why}) : le "
            "renommer ne suffit pas pour qu'il soit ingéré ; `tabcheck fix` l'écrit en CSV UTF-8.",
        },
    },
)
def unsupported_format(r, facts, ctx):
    kind = _UNSUPPORTED.get(
        facts.extension, ("a format Dataverse does not ingest", "un format que Dataverse n'ingère pas")
    )
    if facts.extension == ".txt":
        found = _txt_reading(facts)
        if found is None:
            return  # a plain text file (a README): nothing to say
        delimiter, encoding = found
        # Renamed .csv or .tsv, Dataverse reads it only if it is UTF-8 and split as it splits them.
        if encoding not in ("utf-8", "ascii"):
            from tabcheck.sniff import display_name

            shown = display_name(encoding)
            why = Words(f"encoded in {shown}, not UTF-8", f"encodé en {shown}, et non en UTF-8")
        elif delimiter not in ("\t", ","):
            why = Words("not by commas or tabs", "et non par des virgules ou des tabulations")
        else:
            suggestion = ".tsv" if delimiter == "\t" else ".csv"
            yield r.finding(variant="txt-table", delimiter=DelimiterName(delimiter), suggestion=suggestion)
            return
        yield r.finding(variant="txt-table-to-rewrite", delimiter=DelimiterName(delimiter), why=why)
        return
    yield r.finding(kind=Words(*kind))


def _txt_reading(facts) -> tuple[str, str] | None:
    """The delimiter and encoding of a .txt table, read as its author wrote it (encoding and body
    sniffed); None when it is no table."""
    from tabcheck.sniff import SAMPLE_SIZE, sniff_bytes, sniff_text

    try:
        with open(facts.path, "rb") as fh:
            head = fh.read(SAMPLE_SIZE)
        s = sniff_text(facts.path, head, sniff_bytes(head))
    except (OSError, ValueError):
        return None
    guess = s.delimiter_guess
    if s.kind not in (None, "text") or guess is None or guess.delimiter is None or guess.fields < 2:
        return None
    return guess.delimiter, codecs.lookup(s.encoding or "utf-8").name


@rule(
    code="TC006",
    name="corrupt-file",
    severity="blocker",
    effect="fails",
    formats=(),
    summary={
        "en": "The file cannot be opened: damaged, encrypted, or not what its extension says.",
        "fr": "Le fichier ne peut pas être ouvert : il est endommagé, chiffré, ou d'un autre format "
        "que ne l'indique son extension.",
    },
    rationale={
        "en": "Dataverse's ingest fails on a workbook it cannot unpack or parse.",
        "fr": "L'ingestion de Dataverse échoue sur un classeur qu'elle ne peut ni décompresser ni lire.",
    },
    how_to_fix={
        "en": "Open the file in Excel or LibreOffice and save it again as .xlsx or as CSV UTF-8 (remove any "
        "password first); a text file named .xlsx only needs the right extension (.csv or .tsv).",
        "fr": "Ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le de nouveau en .xlsx ou en "
        "CSV UTF-8 (retirez d'abord tout mot de passe) ; un fichier texte nommé .xlsx n'a besoin que "
        "de la bonne extension (.csv ou .tsv).",
    },
    messages={
        "default": {
            "en": "The file cannot be read. Technical detail: {detail}.",
            "fr": "Le fichier ne peut pas être lu. Détail technique : {detail}.",
        },
    },
)
def corrupt_file(r, facts, ctx):
    return ()  # CSV/TSV: a binary file named .csv is not-tabular's concern


@corrupt_file.check_for(
    "xlsx",
    messages={
        "xlsx-not-zip": {
            "en": "This is not an Excel .xlsx file: an .xlsx is a zip package, and this file is neither "
            "that nor text.",
            "fr": "Ce n'est pas un fichier Excel .xlsx : un .xlsx est un paquet zip, et ce fichier n'est "
            "ni cela ni du texte.",
        },
        "xlsx-is-xls": {
            "en": "This is an old binary Excel file (.xls) named .xlsx: Dataverse cannot read it. Open it "
            "in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8.",
            "fr": "C'est un ancien classeur Excel binaire (.xls) nommé .xlsx : Dataverse ne peut pas le "
            "lire. Ouvrez-le dans Excel et enregistrez-le au format Classeur Excel (.xlsx) ou CSV UTF-8.",
        },
        "xlsx-is-empty": {
            "en": "The file is empty: it holds no workbook.",
            "fr": "Le fichier est vide : il ne contient aucun classeur.",
        },
        "xlsx-is-text": {
            "en": "This file is text, not an Excel workbook (a CSV named .xlsx?): rename it after its "
            "content (.csv or .tsv) and check it again.",
            "fr": "Ce fichier est du texte, pas un classeur Excel (un CSV nommé .xlsx ?) : renommez-le "
            "selon son contenu (.csv ou .tsv) et vérifiez-le de nouveau.",
        },
        "xlsx-truncated": {
            "en": "The workbook is damaged or incomplete: save it again from Excel, or upload it again if "
            "it was cut during a transfer. Technical detail: {detail}.",
            "fr": "Le classeur est endommagé ou incomplet : enregistrez-le de nouveau depuis Excel, ou "
            "renvoyez-le s'il a été tronqué pendant un transfert. Détail technique : {detail}.",
        },
        "xlsx-encrypted": {
            "en": "The workbook is protected by a password (encrypted): Dataverse cannot read it. Remove "
            "the password (File → Info → Protect workbook) and save again.",
            "fr": "Le classeur est protégé par un mot de passe (chiffré) : Dataverse ne peut pas le lire. "
            "Retirez le mot de passe (Fichier → Informations → Protéger le classeur) et "
            "enregistrez de nouveau.",
        },
        "xlsx-bomb": {
            "en": "The workbook was not read: it would expand far beyond what a spreadsheet holds (a guard "
            "against zip bombs). Technical detail: {detail}.",
            "fr": "Le classeur n'a pas été lu : il se décompresserait bien au-delà de ce que contient un "
            "tableur (une protection contre les « bombes zip »). Détail technique : {detail}.",
        },
        "xlsx-malformed": {
            "en": "A part of the workbook is not valid XML: save it again from Excel. Technical detail: "
            "{detail}.",
            "fr": "Une partie du classeur n'est pas du XML valide : enregistrez-le de nouveau depuis Excel. "
            "Détail technique : {detail}.",
        },
        "xlsx-doctype": {
            "en": "The workbook contains a DTD/entity declaration, which no normal spreadsheet has; it "
            "was not read. Technical detail: {detail}.",
            "fr": "Le classeur contient une déclaration DTD/d'entité, absente de tout tableur normal ; il "
            "n'a pas été lu. Détail technique : {detail}.",
        },
        "xlsx-missing-part": {
            "en": "The package is not a complete workbook: save it again from Excel. Technical detail: "
            "{detail}.",
            "fr": "Le paquet n'est pas un classeur complet : enregistrez-le de nouveau depuis Excel. "
            "Détail technique : {detail}.",
        },
        "xlsx-limit": {
            "en": "The workbook goes beyond what a spreadsheet holds: no spreadsheet program writes this, "
            "and it was not read further. Open it in Excel or LibreOffice, delete the stray content and "
            "save it again. Technical detail: {detail}.",
            "fr": "Le classeur dépasse ce que contient un tableur : aucun tableur n'écrit cela, et il n'a "
            "pas été lu plus loin. Ouvrez-le dans Excel ou LibreOffice, supprimez le contenu en trop et "
            "enregistrez-le de nouveau. Détail technique : {detail}.",
        },
    },
)
def _corrupt_file_xlsx(rule, facts, ctx):
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
            variant=_NOT_ZIP_VARIANTS.get(problem.container or "", "xlsx-not-zip")
            if problem.kind == "not-zip"
            else _CORRUPT_VARIANTS.get(problem.kind, "xlsx-truncated"),
            detail=problem.detail,
            kind=problem.kind,
            part=problem.part,
            severity=severity,
            effect=Effect.FAILS if severity == Severity.BLOCKER else Effect.ADVICE,
        )


@rule(
    code="TC007",
    name="file-changed-while-read",
    severity="blocker",
    effect="advice",
    formats=("*",),
    summary={
        "en": "The file changed while tabcheck read it: the report describes no single state of it.",
        "fr": "Le fichier a été modifié pendant sa lecture : le rapport ne décrit aucun de ses états.",
    },
    rationale={
        "en": "A file still being copied, exported or appended to is read half old, half new: its "
        "size, its rows and its verdict would be wrong (a file that grows was reported ready, with "
        "twice its rows). The deposit must be checked as it will be sent.",
        "fr": "Un fichier encore en cours de copie, d'export ou d'écriture est lu moitié ancien, moitié "
        "nouveau : sa taille, ses lignes et son verdict seraient faux (un fichier qui grossissait "
        "était déclaré prêt, avec deux fois ses lignes). Le dépôt doit être vérifié tel qu'il sera "
        "envoyé.",
    },
    how_to_fix={
        "en": "Wait until the copy or the program writing the file has finished, then check it again.",
        "fr": "Attendez la fin de la copie ou du programme qui écrit le fichier, puis vérifiez-le de "
        "nouveau.",
    },
    messages={
        "grew": {
            "en": "The file grew from {before} to {after} while it was read: check it again once nothing "
            "writes to it any more.",
            "fr": "Le fichier est passé de {before} à {after} pendant sa lecture : vérifiez-le de nouveau "
            "quand plus rien n'y écrit.",
        },
        "shrank": {
            "en": "The file shrank from {before} to {after} while it was read: check it again once nothing "
            "writes to it any more.",
            "fr": "Le fichier est passé de {before} à {after} pendant sa lecture : vérifiez-le de nouveau "
            "quand plus rien n'y écrit.",
        },
        "replaced": {
            "en": "The file was replaced by another while it was read: check it again once nothing writes "
            "to it any more.",
            "fr": "Le fichier a été remplacé par un autre pendant sa lecture : vérifiez-le de nouveau quand "
            "plus rien n'y écrit.",
        },
        "modified": {
            "en": "The file was modified while it was read (same size, {before}): check it again once "
            "nothing writes to it any more.",
            "fr": "Le fichier a été modifié pendant sa lecture (même taille, {before}) : vérifiez-le de "
            "nouveau quand plus rien n'y écrit.",
        },
    },
)
def file_changed_while_read(r, facts, ctx):
    if facts.changed is not None:
        how, before, after = facts.changed
        yield r.finding(variant=how, before=Size(before), after=Size(after))


@rule(
    code="TC008",
    name="record-too-wide",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv"),
    summary={
        "en": "A record holds more values than any table has: the file is not read past it.",
        "fr": "Un enregistrement contient plus de valeurs qu'aucun tableau n'en a : le fichier n'est "
        "pas lu au-delà.",
    },
    rationale={
        "en": "A row of tens of thousands of values is a file that lost its line breaks, or no table "
        "at all: Dataverse cannot ingest it, and reading it whole would take gigabytes of memory. "
        "tabcheck reads at most 65,536 values per record (64 times the 1,024 columns the "
        "repository accepts) and stops there.",
        "fr": "Une ligne de dizaines de milliers de valeurs est un fichier qui a perdu ses sauts de "
        "ligne, ou n'est pas un tableau : Dataverse ne peut pas l'ingérer, et le lire en entier "
        "demanderait des gigaoctets de mémoire. tabcheck lit au plus 65 536 valeurs par "
        "enregistrement (64 fois les 1 024 colonnes qu'accepte l'entrepôt) et s'arrête là.",
    },
    how_to_fix={
        "en": "Open the file in a text editor: if its lines run together, export the table again "
        "from the program that made it (CSV UTF-8); if it is not a table, leave it out of the deposit.",
        "fr": "Ouvrez le fichier dans un éditeur de texte : si ses lignes sont collées, exportez de "
        "nouveau le tableau depuis le logiciel d'origine (CSV UTF-8) ; si ce n'est pas un tableau, "
        "retirez-le du dépôt.",
    },
    messages={
        "en": "The record on line {line} has more than {limit} values: this is not a table (line breaks "
        "lost?). The file was not read past it.",
        "fr": "L'enregistrement de la ligne physique {line} a plus de {limit} valeurs : ce n'est pas un tableau "
        "(sauts de ligne perdus ?). Le fichier n'a pas été lu au-delà.",
    },
)
def record_too_wide(r, facts, ctx):
    t = facts.table
    if t is not None and t.too_wide is not None:
        row, line, found = t.too_wide
        yield r.finding(Location(row=row, line=line), line=line, limit=found - 1)


@rule(
    code="TC009",
    name="rule-crashed",
    severity="warning",
    effect="advice",
    formats=("*",),
    summary={
        "en": "A rule failed on this file; its verdict is missing.",
        "fr": "Une règle a échoué sur ce fichier ; son verdict manque.",
    },
    rationale={
        "en": "A rule's error is reported as a finding so the other rules and files go on.",
        "fr": "L'erreur d'une règle est signalée comme un constat pour que les autres règles et "
        "fichiers continuent.",
    },
    how_to_fix={
        "en": "Report the problem to the rule's authors with the file, if you can share it.",
        "fr": "Signalez le problème aux auteurs de la règle avec le fichier, si vous pouvez le partager.",
    },
    messages={"en": "The rule {rule} failed: {error}", "fr": "La règle {rule} a échoué : {error}"},
)
def rule_crashed(r, facts, ctx):
    return ()


_NOT_ZIP_VARIANTS = {"ole2": "xlsx-is-xls", "empty": "xlsx-is-empty", "text": "xlsx-is-text"}
_CORRUPT_VARIANTS = {
    "not-zip": "xlsx-not-zip",
    "truncated": "xlsx-truncated",
    "encrypted": "xlsx-encrypted",
    "bomb": "xlsx-bomb",
    "malformed-xml": "xlsx-malformed",
    "doctype": "xlsx-doctype",
    "missing-part": "xlsx-missing-part",
    "limit": "xlsx-limit",
    "unreadable": "xlsx-truncated",
}


def _is_read_part(wb, part) -> bool:
    sheet = wb.read_sheet
    return part is not None and sheet is not None and sheet.part == part


@hookimpl
def tabcheck_rules():
    return provide(globals())
