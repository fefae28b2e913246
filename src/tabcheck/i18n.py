"""The words of the interface (not of the rules, which carry their own), in English and French."""

from __future__ import annotations

import locale
import os

UI = {
    "en": {
        "ready": "ready", "altered": "will be altered", "fails": "will fail", "error": "error",
        "summary": "{files} file(s): {ready} ready, {altered} will be altered, {blocked} will fail, "
                   "{errors} could not be checked",
        "outcome.ingested": "ingested: {variables} variable(s), {observations} observation(s)",
        "outcome.fails": "ingest fails: “{message}”",
        "outcome.fails-unknown": "ingest fails",
        "outcome.not-ingested": "stored without ingest (format not ingested)",
        "outcome.skipped-size": "stored without ingest (over the size limit)",
        "real-row": "the real problem is at {where}",
        "dataverse": "Dataverse {version}",
        "no-findings": "no problem found",
        "no-files": "No table found in the given paths (.csv .tsv .tab .xlsx .xls .xlsm .xlsb .ods .txt).",
        "row": "row", "line": "line", "column": "column", "sheet": "sheet", "cell": "cell",
        "columns": "columns",
    },
    "fr": {
        "ready": "prêt", "altered": "sera altéré", "fails": "échouera", "error": "erreur",
        "summary": "{files} fichier(s) : {ready} prêt(s), {altered} seront altérés, {blocked} "
                   "échoueront, {errors} n'ont pas pu être vérifiés",
        "outcome.ingested": "ingéré : {variables} variable(s), {observations} observation(s)",
        "outcome.fails": "l'ingestion échoue : « {message} »",
        "outcome.fails-unknown": "l'ingestion échoue",
        "outcome.not-ingested": "conservé sans ingestion (format non ingéré)",
        "outcome.skipped-size": "conservé sans ingestion (taille au-dessus de la limite)",
        "real-row": "le vrai problème est {where}",
        "dataverse": "Dataverse {version}",
        "no-findings": "aucun problème trouvé",
        "no-files": "Aucun tableau trouvé dans les chemins donnés (.csv .tsv .tab .xlsx .xls .xlsm "
                    ".xlsb .ods .txt).",
        "row": "ligne", "line": "ligne du fichier", "column": "colonne", "sheet": "feuille",
        "cell": "cellule", "columns": "colonnes",
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
