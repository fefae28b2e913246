"""Rules about how the text is encoded."""

from __future__ import annotations

from tabcheck.hookspecs import hookimpl
from tabcheck.messages import DelimiterName, Quoted
from tabcheck.model import Effect, Location
from tabcheck.rule import provide, rule

# Below this confidence tabcheck says it is not sure, and `fix` refuses the file.
UNSURE = 0.75


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
        "given": {
            "en": "The file is encoded in {encoding} (as you said), not UTF-8; first byte Dataverse cannot "
            "read on line {line} (byte {offset}). Accented letters will become '\ufffd'.",
            "fr": "Le fichier est encodé en {encoding} (comme indiqué), pas en UTF-8\u00a0; premier octet "
            "illisible pour Dataverse à la ligne physique {line} (octet {offset}). Les lettres "
            "accentuées deviendront «\u00a0\ufffd\u00a0».",
        },
        "utf16-garbled": {
            "en": "The file is encoded in {encoding}: Dataverse reads it as UTF-8, with NUL bytes beside "
            "every character, and ingests a garbled table.",
            "fr": "Le fichier est encodé en {encoding}\u00a0: Dataverse le lit comme de l'UTF-8, avec des "
            "octets NUL à côté de chaque caractère, et ingère un tableau illisible.",
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
    reading = t.reading
    if reading is not None and reading.mixed_from_line is not None:
        return  # mixed-encodings says it, with the line where the other encoding starts
    if facts.content == "utf16" or (t.encoding or "").startswith(("utf-16", "utf-32")):
        fails = t.dataverse is not None and t.dataverse.first_mismatch is not None
        yield r.finding(
            Location(line=1),
            variant="utf16" if fails else "utf16-garbled",
            effect=Effect.FAILS if fails else Effect.DEGRADES,
            encoding=t.encoding.upper(),
        )
    elif t.bad_utf8 is not None:
        line, offset = t.bad_utf8
        given = reading is not None and reading.encoding.given
        yield r.finding(
            Location(line=line),
            variant="given" if given else "default",
            count=t.bad_utf8_count,
            encoding=t.encoding,
            line=line,
            offset=offset,
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


def _percent(confidence: float) -> int:
    return round(100 * confidence)


@rule(
    code="TC103",
    name="encoding-uncertain",
    severity="warning",
    effect="advice",
    summary={
        "en": "tabcheck is not sure how the file is encoded.",
        "fr": "tabcheck n'est pas sûr de l'encodage du fichier.",
    },
    rationale={
        "en": "Two encodings read the file's accented letters differently and both are plausible. "
        "tabcheck never picks one silently: the messages quote the text as read by the likelier one, "
        "and `tabcheck fix` refuses the file until you say which is right.",
        "fr": "Deux encodages lisent différemment les lettres accentuées du fichier, et tous deux sont "
        "plausibles. tabcheck n'en choisit jamais un en silence\u00a0: les messages citent le texte lu "
        "avec le plus probable, et `tabcheck fix` refuse le fichier tant que vous n'avez pas dit lequel "
        "est le bon.",
    },
    how_to_fix={
        "en": "Open the file, look at an accented word, and pass `--encoding NAME` (e.g. cp1252, "
        "iso-8859-15, mac_roman, cp850), or set `encoding` for these files in [tool.tabcheck].",
        "fr": "Ouvrez le fichier, regardez un mot accentué et indiquez `--encoding NOM` (par ex. "
        "cp1252, iso-8859-15, mac_roman, cp850), ou réglez `encoding` pour ces fichiers dans "
        "[tool.tabcheck].",
    },
    messages={
        "default": {
            "en": "The encoding is uncertain: {encoding} ({confidence} % sure) or {runner_up} "
            "({runner_up_confidence} %). Check an accented word, then pass `--encoding {encoding}` (or "
            "`{runner_up}`).",
            "fr": "L'encodage est incertain\u00a0: {encoding} (sûr à {confidence}\u00a0%) ou {runner_up} "
            "({runner_up_confidence}\u00a0%). Vérifiez un mot accentué, puis indiquez "
            "`--encoding {encoding}` (ou `{runner_up}`).",
        },
        "with-example": {
            "en": "The encoding is uncertain: {encoding} ({confidence} % sure) reads “{read}”, {runner_up} "
            "({runner_up_confidence} %) reads “{other}”. If “{read}” is right, pass `--encoding "
            "{encoding}`; if “{other}” is, `--encoding {runner_up}`.",
            "fr": "L'encodage est incertain\u00a0: {encoding} (sûr à {confidence}\u00a0%) lit «\u00a0{read}\u00a0», "
            "{runner_up} ({runner_up_confidence}\u00a0%) lit «\u00a0{other}\u00a0». Si «\u00a0{read}\u00a0» est "
            "juste, indiquez `--encoding {encoding}`\u202f; si c'est «\u00a0{other}\u00a0», `--encoding "
            "{runner_up}`.",
        },
    },
)
def encoding_uncertain(r, facts, ctx):
    reading = facts.table.reading if facts.table else None
    if reading is not None and reading.mixed_from_line is None:
        yield from _unsure(r, reading.encoding, "encoding", lambda name: name)


@rule(
    code="TC104",
    name="mixed-encodings",
    severity="blocker",
    effect="degrades",
    summary={
        "en": "The file mixes two encodings (UTF-8 and Windows-1252).",
        "fr": "Le fichier mélange deux encodages (UTF-8 et Windows-1252).",
    },
    rationale={
        "en": "Lines pasted from another file kept their own encoding. Dataverse reads everything "
        "as UTF-8: the accented letters of those lines become '\ufffd'. No single encoding reads the "
        "whole file right.",
        "fr": "Des lignes collées depuis un autre fichier ont gardé leur propre encodage. Dataverse "
        "lit tout en UTF-8\u00a0: les lettres accentuées de ces lignes deviennent «\u00a0\ufffd\u00a0». "
        "Aucun encodage unique ne lit correctement tout le fichier.",
    },
    how_to_fix={
        "en": "Re-type or re-paste the lines concerned in a UTF-8 editor, or run `tabcheck fix "
        "--encoding utf-8+cp1252` after checking them.",
        "fr": "Ressaisissez ou recollez les lignes concernées dans un éditeur en UTF-8, ou lancez "
        "`tabcheck fix --encoding utf-8+cp1252` après les avoir vérifiées.",
    },
    messages={
        "en": "The file is UTF-8 but some lines are in Windows-1252 (from line {line}): their "
        "accented letters will become '\ufffd' in Dataverse.",
        "fr": "Le fichier est en UTF-8, mais certaines lignes sont en Windows-1252 (à partir de la "
        "ligne physique {line})\u00a0: leurs lettres accentuées deviendront «\u00a0\ufffd\u00a0» dans "
        "Dataverse.",
    },
)
def mixed_encodings(r, facts, ctx):
    reading = facts.table.reading if facts.table else None
    if reading is not None and reading.mixed_from_line is not None:
        yield r.finding(Location(line=reading.mixed_from_line), line=reading.mixed_from_line)


@rule(
    code="TC105",
    name="delimiter-uncertain",
    severity="warning",
    effect="advice",
    formats=("csv", "tsv"),
    summary={
        "en": "tabcheck is not sure which delimiter separates the values.",
        "fr": "tabcheck n'est pas sûr du séparateur des valeurs.",
    },
    rationale={
        "en": "Two delimiters split the table's rows into the same number of cells. Read with the "
        "wrong one, values are cut in two or glued together; tabcheck says so instead of guessing, "
        "and `tabcheck fix` refuses the file until you say which is right.",
        "fr": "Deux séparateurs découpent les lignes du tableau en autant de cellules. Lues avec le "
        "mauvais, les valeurs sont coupées en deux ou collées\u00a0; tabcheck le dit au lieu de "
        "deviner, et `tabcheck fix` refuse le fichier tant que vous n'avez pas dit lequel est le bon.",
    },
    how_to_fix={
        "en": "Pass `--delimiter ';'` (or the right one), or set `delimiter` for these files in "
        "[tool.tabcheck].",
        "fr": "Indiquez `--delimiter ';'` (ou le bon séparateur), ou réglez `delimiter` pour ces "
        "fichiers dans [tool.tabcheck].",
    },
    messages={
        "default": {
            "en": "The delimiter is uncertain: {delimiter} ({confidence} % sure) or {runner_up} "
            "({runner_up_confidence} %). Pass `--delimiter` to say which.",
            "fr": "Le séparateur est incertain\u00a0: des {delimiter} (sûr à {confidence}\u00a0%) ou des "
            "{runner_up} ({runner_up_confidence}\u00a0%). Indiquez-le avec `--delimiter`.",
        },
        "with-columns": {
            "en": "The delimiter is uncertain: {delimiter} ({confidence} % sure) or {runner_up} "
            "({runner_up_confidence} %). With {delimiter}, the header's names are {names}; with "
            "{runner_up}, {other_names}. Pass `--delimiter` to say which.",
            "fr": "Le séparateur est incertain\u00a0: des {delimiter} (sûr à {confidence}\u00a0%) ou des "
            "{runner_up} ({runner_up_confidence}\u00a0%). Avec des {delimiter}, les noms de l'en-tête "
            "sont {names}\u202f; avec des {runner_up}, {other_names}. Indiquez-le avec `--delimiter`.",
        },
    },
)
def delimiter_uncertain(r, facts, ctx):
    reading = facts.table.reading if facts.table else None
    if reading is None:
        return
    for f in _unsure(r, reading.delimiter, "delimiter", lambda d: DelimiterName(d or ",")):
        header = facts.table.user.header if facts.table.user is not None else None
        if header and reading.delimiter.value and reading.delimiter.runner_up:
            # The header as each delimiter splits it (its line rebuilt from the names: a quoted
            # name holding a delimiter would show otherwise, which is the point of asking)
            line = reading.delimiter.value.join(header)
            f.variant = "with-columns"
            f.params["names"] = _names(header)
            f.params["other_names"] = _names(line.split(reading.delimiter.runner_up))
        yield f


_NAMES_SHOWN = 4


def _names(names: list[str]) -> list:
    """A header's first names, quoted, and "…" when there are more."""
    shown: list = [Quoted(n) for n in names[:_NAMES_SHOWN]]
    return [*shown, "…"] if len(names) > _NAMES_SHOWN else shown


def _unsure(r, guess, what: str, shown):
    """A finding when tabcheck's reading is below UNSURE and something else is plausible."""
    if guess.given or not guess.runner_up or guess.confidence >= UNSURE:
        return
    example = (
        {"variant": "with-example", "read": guess.example[0], "other": guess.example[1]}
        if guess.example
        else {}
    )
    yield r.finding(
        Location(),
        **{what: shown(guess.value)},
        confidence=_percent(guess.confidence),
        runner_up=shown(guess.runner_up),
        runner_up_confidence=_percent(guess.runner_up_confidence),
        **example,
    )


@hookimpl
def tabcheck_rules():
    return provide(globals())
