"""The command line's help in French: `tabcheck --help` for a French-speaking user (a French
locale, `--lang fr` on the command line, or `lang = "fr"` in [tool.tabcheck]).

Keyed by the English text each command and option declares in tabcheck.cli, so that the English
stays next to the code it documents; tests/test_cli_help.py fails when one has no French here.
"""

from __future__ import annotations

import re

FRENCH: dict[str, str] = {
    "Preflight checks for tables deposited in Dataverse: finds what will make the ingest fail or alter your data, before you upload.": "Vérifie les tableaux à déposer dans Dataverse\xa0: trouve, avant le dépôt, ce qui fera échouer l'ingestion ou altérera vos données.",
    "Print the version and exit.": "Afficher la version et quitter.",
    "Check tables and predict what Dataverse's ingest will do with each.": "Vérifier des tableaux et prédire ce que l'ingestion de Dataverse fera de chacun.",
    "Files or folders (searched recursively).": "Fichiers ou dossiers (sous-dossiers compris).",
    "Output format: text, json, html, sarif, github, junit, markdown, or a plugin's.": "Format de sortie\xa0: text, json, html, sarif, github, junit, markdown, ou celui d'un plugin.",
    "Only these rules (names, codes or code prefixes; comma-separated).": "Seulement ces règles (noms, codes ou débuts de codes, séparés par des virgules).",
    "Skip these rules.": "Ignorer ces règles.",
    "Target Dataverse version: 6.8 (default), 6.7 or 6.6.": "Version de Dataverse visée\xa0: 6.8 (par défaut), 6.7 ou 6.6.",
    "The repository's tabular ingest size limit (default 500MB).": "Taille maximale des fichiers tabulaires ingérés par l'entrepôt (par défaut 500MB).",
    "Language of the messages (default: from the locale).": "Langue des messages (par défaut\xa0: celle du système).",
    "A known installation: recherche-data-gouv, harvard, borealis, dataverse-nl (sets its limits).": "Une installation connue\xa0: recherche-data-gouv, harvard, borealis, dataverse-nl (en fixe les limites).",
    "Write the report to this file (atomically) instead of standard output.": "Écrire le rapport dans ce fichier (de façon atomique) plutôt que sur la sortie standard.",
    "Also write the same run in another format to a file: FORMAT:FILE (repeatable), e.g. --also sarif:tabcheck.sarif --also markdown:summary.md.": "Écrire aussi le même rapport dans un autre format, dans un fichier\xa0: FORMAT:FICHIER (répétable), par ex. --also sarif:tabcheck.sarif --also markdown:resume.md.",
    "Replace the -o file if it already exists.": "Remplacer le fichier -o s'il existe déjà.",
    "No progress display on the terminal.": "Pas d'affichage de la progression dans le terminal.",
    "Files checked at once, in worker processes (default: one per core).": "Nombre de fichiers vérifiés en même temps, dans des processus séparés (par défaut\xa0: un par cœur).",
    "Exit 0 even when blockers are found (as ruff's --exit-zero).": "Code de sortie 0 même si des problèmes bloquants sont trouvés (comme --exit-zero de ruff).",
    "The tables' encoding, when tabcheck is not sure (cp1252, latin-1, utf-16, utf-8+cp1252…).": "L'encodage des tableaux, quand tabcheck n'en est pas sûr (cp1252, latin-1, utf-16, utf-8+cp1252…).",
    "The tables' delimiter, when tabcheck is not sure (';', tab…).": "Le séparateur des tableaux, quand tabcheck n'en est pas sûr (';', tab…).",
    "Also predict the codebook of the files Dataverse ingests: each variable's summary statistics and UNF, each file's UNF and the dataset's (a second pass over those files).": "Prédire aussi le dictionnaire des données des fichiers que Dataverse ingère\xa0: statistiques descriptives et UNF de chaque variable, UNF de chaque fichier et du jeu de données (une seconde lecture de ces fichiers).",
    "Rewrite tables as UTF-8 comma CSV files, verify each against its source, check them again.\n\nExit code: 0 every output verified and clean; 1 a file was refused (the message says what to\npass) or still has a blocker; 2 a file could not be read or an output failed its verification.": "Réécrire des tableaux en CSV UTF-8 à virgules, comparer chaque copie à sa source, puis la vérifier à nouveau.\n\nCode de sortie\xa0: 0 toutes les copies sont vérifiées et sans problème\u202f; 1 un fichier a été refusé (le\nmessage dit quoi indiquer) ou a encore un problème bloquant\u202f; 2 un fichier n'a pas pu être lu ou une\ncopie a échoué à la vérification.",
    "Where the fixed files and fix-manifest.json go (the originals are never changed).": "Où écrire les fichiers corrigés et fix-manifest.json (les originaux ne sont jamais modifiés).",
    "Replace outputs that already exist.": "Remplacer les copies qui existent déjà.",
    "Write line breaks inside cells as spaces (default: kept, as LF).": "Écrire les retours à la ligne dans les cellules comme des espaces (par défaut\xa0: gardés, en LF).",
    "Check tables, then upload to a Dataverse dataset those that will be ingested as predicted.\n\nThe API token is read from $DATAVERSE_API_TOKEN (or --token-env). Exit code: 0 every file\nuploaded and ingested as predicted; 1 a file refused or not ingested as predicted; 2 an error\n(token, permission, dataset, server, a file too large, an ingest still running).": "Vérifier des tableaux, puis déposer dans un jeu de données Dataverse ceux qui seront ingérés comme prévu.\n\nLe jeton d'API est lu dans $DATAVERSE_API_TOKEN (ou --token-env). Code de sortie\xa0: 0 tous les\nfichiers sont déposés et ingérés comme prévu\u202f; 1 un fichier est refusé ou n'est pas ingéré comme prévu\u202f;\n2 une erreur (jeton, droits, jeu de données, serveur, fichier trop gros, ingestion encore en cours).",
    "The Dataverse installation, e.g. https://entrepot.recherche.data.gouv.fr": "L'installation Dataverse, par ex. https://entrepot.recherche.data.gouv.fr",
    "The dataset's persistent identifier, e.g. doi:10.57745/ABCDEF": "L'identifiant pérenne du jeu de données, par ex. doi:10.57745/ABCDEF",
    "A file predicted to fail: refuse it (default), upload its fixed copy (fixed), or upload it with tabular ingest turned off (no-ingest).": "Un fichier dont l'ingestion échouerait\xa0: le refuser (par défaut), déposer sa copie corrigée (fixed), ou le déposer sans ingestion tabulaire (no-ingest).",
    "Check and show what would be sent; send nothing.": "Vérifier et montrer ce qui serait envoyé, sans rien envoyer.",
    "The environment variable holding the API token (never given on the command line).": "La variable d'environnement qui contient le jeton d'API (jamais donné sur la ligne de commande).",
    "Where deposit-receipt.json and deposit-receipt.html go.": "Où écrire deposit-receipt.json et deposit-receipt.html.",
    "Seconds to wait for Dataverse's ingest to finish.": "Secondes à attendre la fin de l'ingestion par Dataverse.",
    "The tables' encoding, when tabcheck is not sure.": "L'encodage des tableaux, quand tabcheck n'en est pas sûr.",
    "The tables' delimiter, when tabcheck is not sure.": "Le séparateur des tableaux, quand tabcheck n'en est pas sûr.",
    "Replace a receipt already in the folder.": "Remplacer un reçu déjà présent dans le dossier.",
    "List every rule: code, name, default severity, Dataverse effect, fixable.": "Lister toutes les règles\xa0: code, nom, gravité par défaut, effet dans Dataverse, correction possible.",
    "Language (default: from the locale).": "Langue (par défaut\xa0: celle du système).",
    "Explain a rule: why it matters for Dataverse and how to fix it.": "Expliquer une règle\xa0: pourquoi elle compte pour Dataverse et comment corriger.",
    "A rule name or code.": "Le nom ou le code d'une règle.",
    "Say whether the deposited data are the data you have: the UNFs Dataverse computed after\ningest, compared with the ones tabcheck predicts for your files (exit 0 all match, 1 not).": "Dire si les données déposées sont bien les vôtres\xa0: les UNF calculées par Dataverse après\nl'ingestion, comparées à celles que tabcheck prédit pour vos fichiers (code 0 si toutes concordent, 1 sinon).",
    "The files (or folder) you deposited.": "Les fichiers (ou le dossier) que vous avez déposés.",
    "A UNF Dataverse shows (file, variable or dataset; repeatable).": "Une UNF affichée par Dataverse (fichier, variable ou jeu de données\u202f; répétable).",
    "A JSON file (or text) of UNFs: a list, {name: UNF}, or the file list of Dataverse's API.": "Un fichier JSON (ou du texte) d'UNF\xa0: une liste, {nom: UNF}, ou la liste de fichiers de l'API de Dataverse.",
    "Open a page in your browser where you drop tables, read the report and download fixed copies.\n\nThe page runs on this computer only (127.0.0.1); the files are checked in a temporary folder,\nremoved afterwards. Ctrl+C stops it. Needs the serve extra: pip install 'tabcheck[serve]'.": "Ouvrir dans votre navigateur une page où déposer des tableaux, lire le rapport et télécharger les copies corrigées.\n\nLa page ne tourne que sur cet ordinateur (127.0.0.1)\u202f; les fichiers sont vérifiés dans un dossier\ntemporaire, supprimé ensuite. Ctrl+C l'arrête. Demande l'extra serve\xa0: pip install 'tabcheck[serve]'.",
    "The port on 127.0.0.1 (default: a free one).": "Le port sur 127.0.0.1 (par défaut\xa0: un port libre).",
    "Do not open the page in the browser.": "Ne pas ouvrir la page dans le navigateur.",
    "The largest drop the page accepts (default: the upload size limit, 50GB).": "Le plus gros dépôt que la page accepte (par défaut\xa0: la limite de téléversement, 50GB).",
    "A known installation: its Dataverse version and limits.": "Une installation connue\xa0: sa version de Dataverse et ses limites.",
    "The page's language when the browser asks for neither (default: the locale).": "La langue de la page quand le navigateur ne demande ni l'une ni l'autre (par défaut\xa0: celle du système).",
    "Show this message and exit.": "Afficher ce message et quitter.",
}

# What click and typer write around the texts (their own words, in English only).
_HEADINGS = (
    (re.compile(r"^Usage: ", re.MULTILINE), "Utilisation\u00a0: "),
    (re.compile(r"^Arguments:$", re.MULTILINE), "Arguments\u00a0:"),
    (re.compile(r"^Options:$", re.MULTILINE), "Options\u00a0:"),
    (re.compile(r"^Commands:$", re.MULTILINE), "Commandes\u00a0:"),
    (re.compile(r"\[default: "), "[par défaut\u00a0: "),
    (re.compile(r"\[required\]"), "[obligatoire]"),
)


def french(text: str | None) -> str | None:
    """The French of a help text (None and unknown texts stay as they are)."""
    return FRENCH.get(text, text) if text else text


def french_headings(help_text: str) -> str:
    """A whole help screen with click's and typer's headings in French."""
    for pattern, words in _HEADINGS:
        help_text = pattern.sub(words, help_text)
    return help_text
