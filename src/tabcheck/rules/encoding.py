"""Rules about how the text is encoded."""

from __future__ import annotations

from tabcheck.hookspecs import hookimpl
from tabcheck.model import Effect, Location
from tabcheck.rule import provide, rule


@rule(
    code="TC101",
    name="encoding-not-utf8",
    severity="blocker",
    effect="degrades",
    repair="transcode",
    summary={"en": "The file is not encoded in UTF-8.", "fr": "Le fichier n'est pas encodé en UTF-8."},
    rationale={
        "en": "Dataverse decodes every CSV/TSV as UTF-8. Accented letters written in Windows-1252 "
        "or Latin-1 (Excel's default 'CSV' on Windows) silently become '\ufffd'; a UTF-16 "
        "file ('Unicode text') fails to ingest.",
        "fr": "Dataverse décode chaque CSV/TSV en UTF-8. Les lettres accentuées écrites en "
        "Windows-1252 ou Latin-1 (le « CSV » par défaut d'Excel sous Windows) deviennent "
        "« \ufffd » sans avertissement ; un fichier UTF-16 (« texte Unicode ») échoue.",
    },
    how_to_fix={
        "en": "Run `tabcheck fix`, or save again as 'CSV UTF-8 (comma delimited)' in Excel / "
        "choose UTF-8 in LibreOffice's export dialog.",
        "fr": "Lancez `tabcheck fix`, ou enregistrez de nouveau en « CSV UTF-8 (délimité par des "
        "virgules) » dans Excel / choisissez UTF-8 dans la boîte d'export de LibreOffice.",
    },
    messages={
        "default": {
            "en": "The file is not valid UTF-8 (it looks like {encoding}); first invalid byte on "
            "line {line} (byte {offset}). Accented letters will become '\ufffd'.",
            "fr": "Le fichier n'est pas en UTF-8 valide (il semble encodé en {encoding}) ; "
            "premier octet invalide à la ligne physique {line} (octet {offset}). Les lettres "
            "accentuées deviendront « \ufffd ».",
        },
        "utf16": {
            "en": "The file is encoded in {encoding}: Dataverse reads it as UTF-8 and the ingest fails.",
            "fr": "Le fichier est encodé en {encoding} : Dataverse le lit comme de l'UTF-8 et "
            "l'ingestion échoue.",
        },
    },
)
def encoding_not_utf8(r, facts, ctx):
    t = facts.table
    if t is None or facts.content in ("zip", "ole2", "binary"):
        return  # not text at all: not-tabular says it
    if facts.content == "utf16":
        yield r.finding(Location(line=1), variant="utf16", effect=Effect.FAILS, encoding=t.encoding.upper())
    elif t.bad_utf8 is not None:
        line, offset = t.bad_utf8
        yield r.finding(
            Location(line=line), count=t.bad_utf8_count, encoding=t.encoding, line=line, offset=offset
        )


@rule(
    code="TC102",
    name="utf8-bom",
    severity="warning",
    effect="degrades",
    repair="drop-bom",
    summary={
        "en": "The file starts with a UTF-8 byte order mark (BOM).",
        "fr": "Le fichier commence par une marque d'ordre des octets UTF-8 (BOM).",
    },
    rationale={
        "en": "Dataverse keeps the invisible BOM character: the first variable's name starts with "
        "U+FEFF, so scripts that use the name 'id' will not find it.",
        "fr": "Dataverse garde le caractère invisible BOM : le nom de la première variable "
        "commence par U+FEFF, et les scripts qui cherchent « id » ne le trouvent pas.",
    },
    how_to_fix={
        "en": "Run `tabcheck fix`, or save as UTF-8 without BOM (in LibreOffice or a text editor).",
        "fr": "Lancez `tabcheck fix`, ou enregistrez en UTF-8 sans BOM (LibreOffice ou un éditeur de texte).",
    },
    messages={
        "en": "The first variable will be named '\\ufeff{name}' (with an invisible BOM character).",
        "fr": "La première variable s'appellera « \\ufeff{name} » (avec un caractère BOM invisible).",
    },
)
def utf8_bom(r, facts, ctx):
    t = facts.table
    if t is not None and t.bom:
        name = (t.user.header or [""])[0].lstrip("\ufeff")
        yield r.finding(Location(row=1, line=1, column=1, column_name=name), name=name)


@hookimpl
def tabcheck_rules():
    return provide(globals())
