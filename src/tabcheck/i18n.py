"""The words of the interface (not of the rules, which carry their own), in English and French."""

from __future__ import annotations

import locale
import os

from tabcheck.messages import fill

UI = {
    "en": {
        "ready": "ready",
        "altered": "will be altered",
        "fails": "will fail",
        "error": "error",
        "path.not-found": "no such file or folder",
        "rules.header": "code|name|severity|effect|fix|what it finds",
        "rules.fixable": "yes",
        "rules.partly": "partly",
        "markdown.header": "file|status|blockers|Dataverse",
        "markdown.blockers": "Blockers",
        "path.not-a-file": "not a regular file (a FIFO, a device…): not read",
        "path.unreadable": "cannot be read (permission denied?)",
        "usage.size": "cannot read the size {text!r} (try 500MB, 150MB or 2GB)",
        "usage.config-unreadable": "{path}: {detail}",
        "usage.config-keys": "{path}: unknown {count:plural:key|keys} in [tool.tabcheck]: {keys}",
        "usage.config-files": "each [[tool.tabcheck.files]] entry needs a `pattern` and may give `encoding` and "
        "`delimiter` (got {keys})",
        "usage.no-rule": "--{option}: no rule is named or coded {key!r} (see `tabcheck rules`)",
        "usage.unknown-rule": "unknown rule {rule!r} (see `tabcheck rules`)",
        "usage.encoding": "unknown encoding {given!r} (e.g. utf-8, cp1252, latin-1, utf-16, utf-8+cp1252)",
        "usage.delimiter": "a delimiter is one character (or 'tab'), not {given!r}",
        "usage.instance": "unknown instance {name!r} (one of: {known})",
        "usage.version": "unknown Dataverse version {version!r} (try {known})",
        "usage.version-newer": "Dataverse {version} is newer than the versions tabcheck models ({known}): its "
        "readers may behave differently; to check against the newest model anyway, ask for {newest}",
        "usage.version-older": "Dataverse {version} is not modelled: tabcheck models {known}",
        "usage.jobs": "--jobs must be a whole number of 1 or more (got {given})",
        "usage.jobs-api": "jobs must be 1 or more (got {given})",
        "usage.lang": "unknown language {given!r} (en or fr)",
        "usage.format": "--format: unknown output format {name!r} (one of: {known})",
        "usage.also": "--also takes FORMAT:FILE with FORMAT one of {known} (got {given!r})",
        "usage.port": "port {port} cannot be used: {detail}",
        "usage.cannot-write": "cannot write {path}: {detail}",
        "path.broken-link": "a link to a file that is not there (or a loop of links): not read",
        "err.gone-before": "the file disappeared before it could be read",
        "err.gone-during": "the file disappeared while it was being read",
        "err.permission": "permission denied: the file cannot be read",
        "err.os": "cannot read the file: {detail}",
        "err.memory": "not enough memory to check this file",
        "err.internal": "internal error while checking this file: {detail} (please report it, with `--debug` "
        "for the details)",
        "err.worker": "internal error: the check of this file stopped its process (a crash or the memory "
        "limit); please report it with the file if you can",
        "not-ingested": "not ingested",
        "unreadable": "could not be checked",
        "status.blocking": "to fix before depositing",
        "status.refused": "but it will not be accepted as it is: {rules}",
        "summary": "{files} {files:plural:file|files}: {ready} ready, {altered} will be altered, "
        "{fails} will fail, {not_ingested} not ingested, {unreadable} could not be checked; "
        "{blocked} to fix before depositing",
        "outcome.ingested": "ingested: {variables} {variables:plural:variable|variables}, {observations} "
        "{observations:plural:observation|observations}",
        "outcome.fails": "ingest fails: “{message}”",
        "outcome.fails-unknown": "ingest fails",
        "outcome.not-ingested": "stored without ingest (format not ingested)",
        "outcome.skipped-size": "stored without ingest (over the size limit)",
        "real-row": "the real problem is at {where}",
        "dataverse": "Dataverse {version}",
        "no-findings": "no problem found",
        "view.author": "(as the author laid the table out; Dataverse does not read it this way yet)",
        "no-files": "No table found in the given paths (.csv .tsv .tab .xlsx .xls .xlsm .xlsb .ods .txt).",
        "row": "row",
        "line": "line",
        "column": "column",
        "sheet": "sheet",
        "cell": "cell",
        "columns": "columns",
        "severity.blocker": "blocker",
        "severity.warning": "warning",
        "severity.info": "info",
        "effect.fails": "fails",
        "effect.degrades": "degrades",
        "effect.advice": "advice",
        "colon": ":",
        "guard.report-in-walk": "{path} is inside a folder being checked, and its name is a table's: "
        "the next check would read the report as a table (name it .html, .json… or write it elsewhere)",
        "fix.encoding": "encoding {encoding} → UTF-8",
        "fix.bom": "byte order mark removed",
        "fix.delimiter": "delimiter {delimiter} → comma",
        "fix.blank": "{count} {count:plural:line|lines} without any value removed",
        "fix.decimal": "{count} decimal {count:plural:comma|commas} → point",
        "fix.null": "{count} null {count:plural:value|values} emptied",
        "fix.newline": "{count} line {count:plural:break in a cell|breaks in cells} → space",
        "fix.moved": "{count} title/notes {count:plural:row|rows} moved to the .notes.txt file",
        "fix.sheet": "sheet “{sheet}” → {file} ({rows} {rows:plural:row|rows}, {columns} "
        "{columns:plural:column|columns})",
        "fix.nothing": "rewritten as UTF-8 CSV, nothing else to change",
        "fix.skipped": "not a table tabcheck can rewrite: skipped",
        "fix.remaining": "still to fix by hand:",
        "fix.altered": "Dataverse will still alter the copy (to look at before the deposit):",
        "fix.changes": "Dataverse will read the copy otherwise than the original (the values are the same):",
        "fix.type-change": "column “{column}”: {after} in the copy, {before} in the original",
        "fix.type-change-tsv": "column “{column}”: {after} in the copy, {before} in the original (spaces "
        "around values are trimmed by Dataverse's TSV reader, kept by its CSV reader)",
        "type.integer": "integer",
        "type.continuous": "continuous",
        "type.character": "text",
        "type.date": "date",
        "type.time": "date-time",
        "fix.line-breaks": "{count} {count:plural:cell|cells} with CR line breaks → LF",
        "fix.decimal-column": "column “{column}”: {count} {count:plural:number|numbers} written as Dataverse "
        "reads {count:plural:it|them} (e.g. {example})",
        "fix.null-column": "column “{column}”: {count} null {count:plural:value|values} emptied",
        "fix.deduplicated": "{count} column {count:plural:name|names} used twice made distinct with a number "
        "(e.g. {example}){where}",
        "fix.time-column": "column “{column}”: {count} {count:plural:date|dates} with {count:plural:its|their} "
        "time written yyyy-mm-dd hh:mm:ss, as Dataverse reads {count:plural:it|them} (e.g. {example})",
        "fix.date-column": "column “{column}”: {count} {count:plural:date|dates} written yyyy-mm-dd, as "
        "Dataverse reads {count:plural:it|them} (e.g. {example})",
        "fix.transformation": "{name}: {count}",
        "fix.in-sheet": "sheet “{sheet}”, ",
        "fix.tx.merged-cells": "{count} merged {count:plural:range|ranges}{where}: the value kept in the first cell",
        "fix.tx.header-named": "{count} empty header {count:plural:cell|cells} named by {count:plural:its|their} "
        "column letter, as Dataverse names {count:plural:it|them} in a sheet{where}",
        "fix.tx.drop-trailing-cells": "empty cells after the last column removed (delimiters at the end of "
        "{count} {count:plural:line|lines}){where}",
        "fix.tx.hidden-sheet": "{count} hidden {count:plural:sheet|sheets} written too{where}",
        "fix.tx.empty-sheet-skipped": "{count} empty {count:plural:sheet|sheets} skipped{where}",
        "fix.tx.text-sheet": "{count} {count:plural:sheet|sheets} of text lines (notes, a read-me) written as "
        "a text file, not as a table{where}",
        "fix.tx.tab-kept": "{count} {count:plural:cell|cells} with a tab kept as it is{where}",
        "fix.tx.line-break-kept": "{count} {count:plural:cell|cells} with a line break kept (LF){where}",
        "fix.tx.formula-without-value": "{count} {count:plural:formula|formulas} without a saved result "
        "written empty{where}",
        "fix.tx.boolean-as-number": "{count} {count:plural:boolean|booleans} written 1/0{where}",
        "fix.tx.date-iso": "{count} {count:plural:date|dates} written as ISO 8601{where}",
        "fix.tx.duration-hms": "{count} {count:plural:duration|durations} written as h:mm:ss{where}",
        "fix.tx.excel-precision": "{count} {count:plural:number|numbers} written with Excel's 15 digits{where}",
        "fix.refused": "refused: {message}",
        "fix.verified": "verified: {rows} {rows:plural:row|rows}, {cells} {cells:plural:cell|cells} equal to "
        "the source after the changes above",
        "fix.verify-failed": "verification failed, output removed: {detail}",
        "fix.manifest": "manifest: {path}",
        "fix.summary": "{files} {files:plural:file|files}: {fixed} verified, {refused} refused, {failed} "
        "failed",
        "fix.attention": "{count} verified {count:plural:file needs|files need} a look (see above): exit code 1",
        "run.interrupted": "interrupted; temporary files removed",
        "run.terminated": "terminated; temporary files removed",
        "run.internal-error": "internal error: {detail}\nPlease report it (with the command and, if you can, "
        "the file); --debug shows the traceback.",
    },
    "fr": {
        "ready": "prêt",
        "altered": "sera altéré",
        "fails": "échouera",
        "error": "erreur",
        "path.not-found": "fichier ou dossier introuvable",
        "rules.header": "code|nom|gravité|effet|fix|ce qu'elle détecte",
        "rules.fixable": "oui",
        "rules.partly": "en partie",
        "markdown.header": "fichier|statut|bloquants|Dataverse",
        "markdown.blockers": "Bloquants",
        "path.not-a-file": "pas un fichier ordinaire (tube nommé, périphérique…)\u00a0: non lu",
        "path.unreadable": "illisible (droits d'accès\u00a0?)",
        "usage.size": "taille illisible\u00a0: {text!r} (essayez 500MB, 150MB ou 2GB)",
        "usage.config-unreadable": "{path}\u00a0: {detail}",
        "usage.config-keys": "{path}\u00a0: {count:plural:clé inconnue|clés inconnues} dans [tool.tabcheck]\u00a0: {keys}",
        "usage.config-files": "chaque entrée [[tool.tabcheck.files]] demande un `pattern` et peut donner "
        "`encoding` et `delimiter` (reçu\u00a0: {keys})",
        "usage.no-rule": "--{option}\u00a0: aucune règle ne porte le nom ou le code {key!r} (voir `tabcheck rules`)",
        "usage.unknown-rule": "règle inconnue\u00a0: {rule!r} (voir `tabcheck rules`)",
        "usage.encoding": "encodage inconnu\u00a0: {given!r} (par ex. utf-8, cp1252, latin-1, utf-16, utf-8+cp1252)",
        "usage.delimiter": "un séparateur est un seul caractère (ou 'tab'), pas {given!r}",
        "usage.instance": "entrepôt inconnu\u00a0: {name!r} (au choix\u00a0: {known})",
        "usage.version": "version de Dataverse inconnue\u00a0: {version!r} (essayez {known})",
        "usage.version-newer": "Dataverse {version} est plus récent que les versions que tabcheck modélise "
        "({known})\u00a0: ses lecteurs peuvent se comporter autrement\u00a0; pour vérifier malgré tout avec le "
        "modèle le plus récent, demandez {newest}",
        "usage.version-older": "Dataverse {version} n'est pas modélisé\u00a0: tabcheck modélise {known}",
        "usage.jobs": "--jobs attend un nombre entier, 1 ou plus (reçu\u00a0: {given})",
        "usage.jobs-api": "jobs vaut 1 ou plus (reçu\u00a0: {given})",
        "usage.lang": "langue inconnue\u00a0: {given!r} (en ou fr)",
        "usage.format": "--format\u00a0: format de sortie inconnu\u00a0: {name!r} (au choix\u00a0: {known})",
        "usage.also": "--also attend FORMAT:FICHIER, FORMAT parmi {known} (reçu\u00a0: {given!r})",
        "usage.port": "le port {port} ne peut pas être utilisé\u00a0: {detail}",
        "usage.cannot-write": "impossible d'écrire {path}\u00a0: {detail}",
        "path.broken-link": "un lien vers un fichier absent (ou une boucle de liens)\u00a0: non lu",
        "err.gone-before": "le fichier a disparu avant d'avoir pu être lu",
        "err.gone-during": "le fichier a disparu pendant sa lecture",
        "err.permission": "accès refusé\u00a0: le fichier ne peut pas être lu",
        "err.os": "lecture du fichier impossible\u00a0: {detail}",
        "err.memory": "pas assez de mémoire pour vérifier ce fichier",
        "err.internal": "erreur interne pendant la vérification de ce fichier\u00a0: {detail} (merci de la "
        "signaler, avec `--debug` pour le détail)",
        "err.worker": "erreur interne\u00a0: la vérification de ce fichier a arrêté son processus (un plantage "
        "ou la limite de mémoire)\u00a0; merci de la signaler, avec le fichier si possible",
        "not-ingested": "non ingéré",
        "unreadable": "n'a pas pu être vérifié",
        "status.blocking": "à corriger avant le dépôt",
        "status.refused": "mais il ne sera pas accepté tel quel : {rules}",
        "summary": "{files} {files:plural:fichier|fichiers} : {ready} {ready:plural:prêt|prêts}, "
        "{altered} {altered:plural:sera altéré|seront altérés}, {fails} "
        "{fails:plural:échouera|échoueront}, {not_ingested} {not_ingested:plural:non ingéré|non "
        "ingérés}, {unreadable} {unreadable:plural:n'a pas pu être vérifié|n'ont pas pu être "
        "vérifiés} ; {blocked} à corriger avant le dépôt",
        "outcome.ingested": "ingéré : {variables} {variables:plural:variable|variables}, "
        "{observations} {observations:plural:observation|observations}",
        "outcome.fails": "l'ingestion échoue : « {message} »",
        "outcome.fails-unknown": "l'ingestion échoue",
        "outcome.not-ingested": "conservé sans ingestion (format non ingéré)",
        "outcome.skipped-size": "conservé sans ingestion (taille au-dessus de la limite)",
        "real-row": "le problème se trouve en réalité {where}",
        "dataverse": "Dataverse {version}",
        "no-findings": "aucun problème trouvé",
        "view.author": "(selon le tableau tel que l'auteur l'a conçu\u00a0; Dataverse ne le lit pas encore ainsi)",
        "no-files": "Aucun tableau trouvé dans les chemins donnés (.csv .tsv .tab .xlsx .xls .xlsm "
        ".xlsb .ods .txt).",
        "row": "ligne",
        "line": "ligne physique",
        "column": "colonne",
        "sheet": "feuille",
        "cell": "cellule",
        "columns": "colonnes",
        "severity.blocker": "bloquant",
        "severity.warning": "avertissement",
        "severity.info": "information",
        "effect.fails": "échec",
        "effect.degrades": "altération",
        "effect.advice": "conseil",
        "colon": " :",
        "guard.report-in-walk": "{path} est dans un dossier vérifié et porte un nom de tableau\u00a0: la "
        "prochaine vérification lirait le rapport comme un tableau (nommez-le .html, .json… ou "
        "écrivez-le ailleurs)",
        "fix.encoding": "encodage {encoding} → UTF-8",
        "fix.bom": "marque d'ordre des octets (BOM) retirée",
        "fix.delimiter": "séparateur « {delimiter} » → virgule",
        "fix.blank": "{count} {count:plural:ligne sans aucune valeur retirée|lignes sans aucune valeur retirées}",
        "fix.decimal": "{count} {count:plural:virgule décimale|virgules décimales} → point",
        "fix.null": "{count} {count:plural:valeur null vidée|valeurs null vidées}",
        "fix.newline": "{count} {count:plural:retour à la ligne dans une cellule|retours à la ligne "
        "dans des cellules} → espace",
        "fix.moved": "{count} {count:plural:ligne|lignes} de titre ou de notes "
        "{count:plural:déplacée|déplacées} dans le fichier .notes.txt",
        "fix.sheet": "feuille « {sheet} » → {file} ({rows} {rows:plural:ligne|lignes}, {columns} "
        "{columns:plural:colonne|colonnes})",
        "fix.nothing": "réécrit en CSV UTF-8, rien d'autre à changer",
        "fix.skipped": "pas un tableau que tabcheck sait réécrire : ignoré",
        "fix.remaining": "reste à corriger à la main :",
        "fix.altered": "Dataverse modifiera encore la copie (à regarder avant le dépôt)\u00a0:",
        "fix.changes": "Dataverse lira la copie autrement que l'original (les valeurs sont les mêmes)\u00a0:",
        "fix.type-change": "colonne «\u00a0{column}\u00a0»\u00a0: {after} dans la copie, {before} dans "
        "l'original",
        "fix.type-change-tsv": "colonne «\u00a0{column}\u00a0»\u00a0: {after} dans la copie, {before} dans "
        "l'original (le lecteur TSV de Dataverse retire les espaces autour des valeurs, son lecteur CSV les "
        "garde)",
        "type.integer": "entier",
        "type.continuous": "continu",
        "type.character": "texte",
        "type.date": "date",
        "type.time": "date et heure",
        "fix.line-breaks": "{count} {count:plural:cellule|cellules} aux retours CR → LF",
        "fix.decimal-column": "colonne «\u00a0{column}\u00a0»\u00a0: {count} {count:plural:nombre écrit|nombres écrits} "
        "comme Dataverse {count:plural:le lit|les lit} (par ex. {example})",
        "fix.null-column": "colonne « {column} » : {count} {count:plural:valeur null vidée|valeurs null "
        "vidées}",
        "fix.deduplicated": "{count} {count:plural:nom de colonne répété rendu distinct|noms de colonnes répétés "
        "rendus distincts} par un numéro (par ex. {example}){where}",
        "fix.time-column": "colonne «\u00a0{column}\u00a0»\u00a0: {count} {count:plural:date écrite|dates "
        "écrites} avec {count:plural:son|leur} heure aaaa-mm-jj hh:mm:ss, comme Dataverse {count:plural:la lit|les lit} "
        "(par ex. {example})",
        "fix.date-column": "colonne «\u00a0{column}\u00a0»\u00a0: {count} {count:plural:date écrite|dates "
        "écrites} aaaa-mm-jj, comme Dataverse {count:plural:la lit|les lit} (par ex. {example})",
        "fix.transformation": "{name} : {count}",
        "fix.in-sheet": "feuille «\u00a0{sheet}\u00a0», ",
        "fix.tx.merged-cells": "{count} {count:plural:plage fusionnée|plages fusionnées}{where}\u00a0: la "
        "valeur gardée dans la première cellule",
        "fix.tx.header-named": "{count} {count:plural:cellule|cellules} d'en-tête {count:plural:vide nommée|vides "
        "nommées} par la lettre de {count:plural:sa|leur} colonne, comme Dataverse le fait dans une feuille{where}",
        "fix.tx.drop-trailing-cells": "cellules vides après la dernière colonne retirées (séparateurs en fin "
        "de {count} {count:plural:ligne|lignes}){where}",
        "fix.tx.hidden-sheet": "{count} {count:plural:feuille masquée écrite|feuilles masquées écrites} "
        "aussi{where}",
        "fix.tx.empty-sheet-skipped": "{count} {count:plural:feuille vide ignorée|feuilles vides "
        "ignorées}{where}",
        "fix.tx.text-sheet": "{count} {count:plural:feuille de lignes de texte (notes, lisez-moi) écrite|"
        "feuilles de lignes de texte (notes, lisez-moi) écrites} en fichier texte, pas en tableau{where}",
        "fix.tx.tab-kept": "{count} {count:plural:cellule|cellules} avec une tabulation gardée telle "
        "quelle{where}",
        "fix.tx.line-break-kept": "{count} {count:plural:cellule|cellules} avec un retour à la ligne "
        "gardé (LF){where}",
        "fix.tx.formula-without-value": "{count} {count:plural:formule sans résultat enregistré écrite "
        "vide|formules sans résultat enregistré écrites vides}{where}",
        "fix.tx.boolean-as-number": "{count} {count:plural:booléen écrit|booléens écrits} 1/0{where}",
        "fix.tx.date-iso": "{count} {count:plural:date écrite|dates écrites} en ISO 8601{where}",
        "fix.tx.duration-hms": "{count} {count:plural:durée écrite|durées écrites} en h:mm:ss{where}",
        "fix.tx.excel-precision": "{count} {count:plural:nombre écrit|nombres écrits} avec les 15 chiffres "
        "d'Excel{where}",
        "fix.refused": "refusé : {message}",
        "fix.verified": "vérifié : {rows} {rows:plural:ligne|lignes}, {cells} "
        "{cells:plural:cellule égale|cellules égales} à la source après les changements ci-dessus",
        "fix.verify-failed": "vérification échouée, sortie supprimée : {detail}",
        "fix.manifest": "manifeste : {path}",
        "fix.summary": "{files} {files:plural:fichier|fichiers} : {fixed} {fixed:plural:vérifié|vérifiés}, "
        "{refused} {refused:plural:refusé|refusés}, {failed} en échec",
        "fix.attention": "{count} {count:plural:fichier vérifié demande|fichiers vérifiés demandent} encore "
        "votre attention (voir ci-dessus)\u00a0: code de sortie 1",
        "run.interrupted": "interrompu\u202f; fichiers temporaires supprimés",
        "run.terminated": "arrêté\u202f; fichiers temporaires supprimés",
        "run.internal-error": "erreur interne\u00a0: {detail}\nMerci de la signaler (avec la commande et, si "
        "possible, le fichier)\u202f; --debug affiche la pile d'appels.",
    },
}


class UsageError(ValueError):
    """A mistake in what the user asked (an option, the configuration): `str()` says it in English,
    `text(lang)` in the user's language."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(t("en", key, **params))

    def text(self, lang: str) -> str:
        return t(lang, self.key, **self.params)


def t(lang: str, key: str, /, **params) -> str:
    """The interface text `key` in `lang`, filled with `params` (plurals: see tabcheck.messages)."""
    text = UI.get(lang, UI["en"]).get(key) or UI["en"][key]
    return fill(text, params, lang) if params else text


def default_lang() -> str:
    """French when the user's locale is French, English otherwise."""
    for var in ("TABCHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "fr" if loc.lower().startswith("fr") else "en"
