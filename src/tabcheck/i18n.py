"""The words of the interface (not of the rules, which carry their own), in English and French."""

from __future__ import annotations

import locale
import os

UI = {
    "en": {
        "ready": "ready",
        "altered": "will be altered",
        "fails": "will fail",
        "error": "error",
        "not-ingested": "not ingested",
        "unreadable": "could not be checked",
        "status.blocking": "to fix before depositing",
        "status.refused": "but it will not be accepted as it is: {rules}",
        "summary": "{files} file(s): {ready} ready, {altered} will be altered, {fails} will fail, "
        "{not_ingested} not ingested, {unreadable} could not be checked; {blocked} to fix before depositing",
        "outcome.ingested": "ingested: {variables} variable(s), {observations} observation(s)",
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
        "fix.encoding": "encoding {encoding} → UTF-8",
        "fix.bom": "byte order mark removed",
        "fix.delimiter": "delimiter {delimiter} → comma",
        "fix.blank": "{count} empty line(s) removed",
        "fix.decimal": "{count} decimal comma(s) → point",
        "fix.null": "{count} null value(s) emptied",
        "fix.newline": "{count} line break(s) in cells → space",
        "fix.moved": "{count} title/notes row(s) moved to the .notes.txt file",
        "fix.sheet": "sheet “{sheet}” → {file} ({rows} rows, {columns} columns)",
        "fix.nothing": "rewritten as UTF-8 CSV, nothing else to change",
        "fix.skipped": "not a table tabcheck can rewrite: skipped",
        "fix.remaining": "still to fix by hand:",
    },
    "fr": {
        "ready": "prêt",
        "altered": "sera altéré",
        "fails": "échouera",
        "error": "erreur",
        "not-ingested": "non ingéré",
        "unreadable": "n'a pas pu être vérifié",
        "status.blocking": "à corriger avant le dépôt",
        "status.refused": "mais il ne sera pas accepté tel quel : {rules}",
        "summary": "{files} fichier(s) : {ready} prêt(s), {altered} seront altérés, {fails} "
        "échoueront, {not_ingested} non ingéré(s), {unreadable} n'ont pas pu être vérifiés ; {blocked} "
        "à corriger avant le dépôt",
        "outcome.ingested": "ingéré : {variables} variable(s), {observations} observation(s)",
        "outcome.fails": "l'ingestion échoue : « {message} »",
        "outcome.fails-unknown": "l'ingestion échoue",
        "outcome.not-ingested": "conservé sans ingestion (format non ingéré)",
        "outcome.skipped-size": "conservé sans ingestion (taille au-dessus de la limite)",
        "real-row": "le vrai problème est {where}",
        "dataverse": "Dataverse {version}",
        "no-findings": "aucun problème trouvé",
        "view.author": "(selon le tableau tel que l'auteur l'a conçu\u00a0; Dataverse ne le lit pas encore ainsi)",
        "no-files": "Aucun tableau trouvé dans les chemins donnés (.csv .tsv .tab .xlsx .xls .xlsm "
        ".xlsb .ods .txt).",
        "row": "ligne",
        "line": "ligne du fichier",
        "column": "colonne",
        "sheet": "feuille",
        "cell": "cellule",
        "columns": "colonnes",
        "severity.blocker": "bloquant",
        "severity.warning": "attention",
        "severity.info": "info",
        "fix.encoding": "encodage {encoding} → UTF-8",
        "fix.bom": "marque d'ordre des octets (BOM) retirée",
        "fix.delimiter": "séparateur {delimiter} → virgule",
        "fix.blank": "{count} ligne(s) vide(s) retirée(s)",
        "fix.decimal": "{count} virgule(s) décimale(s) → point",
        "fix.null": "{count} valeur(s) null vidée(s)",
        "fix.newline": "{count} retour(s) à la ligne dans des cellules → espace",
        "fix.moved": "{count} ligne(s) de titre ou de notes déplacée(s) dans le fichier .notes.txt",
        "fix.sheet": "feuille « {sheet} » → {file} ({rows} lignes, {columns} colonnes)",
        "fix.nothing": "réécrit en CSV UTF-8, rien d'autre à changer",
        "fix.skipped": "pas un tableau que tabcheck sait réécrire : ignoré",
        "fix.remaining": "reste à corriger à la main :",
    },
}


def t(lang: str, key: str, **params) -> str:
    text = UI.get(lang, UI["en"]).get(key) or UI["en"][key]
    return text.format(**params) if params else text


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
