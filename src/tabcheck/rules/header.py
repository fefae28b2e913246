"""Rules about the header row: the variable names Dataverse will create."""

from __future__ import annotations

from collections import defaultdict

from tabcheck.hookspecs import hookimpl
from tabcheck.model import Effect, Location
from tabcheck.rule import provide, rule
from tabcheck.rules import layout, shared
from tabcheck.rules.common import short_list, user_view


def _titled(v) -> bool:
    """A title above the table: its first line is no header, title-or-notes-rows says so."""
    lay = layout.analyse(v)
    return bool(lay and lay.title_rows)


MAX_NAME = 255


@rule(
    code="TC301",
    name="empty-header",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv", "xlsx"),
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
        "ligne vide) ; un nom fait d'espaces est gardé tel quel et refusé à l'enregistrement.",
    },
    how_to_fix={
        "en": "Give each column a short, unique name (letters, digits, _), or delete the empty column.",
        "fr": "Donnez à chaque colonne un nom court et unique (lettres, chiffres, _), ou "
        "supprimez la colonne vide.",
    },
    messages={
        **shared.messages("empty-header"),
        "default": {
            "en": "Header cell(s) in column(s) {columns} are empty.",
            "fr": "Les cellules d'en-tête des colonnes {columns} sont vides.",
        },
        "blank": {
            "en": "Header cell(s) in column(s) {columns} hold only spaces.",
            "fr": "Les cellules d'en-tête des colonnes {columns} ne contiennent que des espaces.",
        },
        "leading-blank-line": {
            "en": "The file starts with an empty line: Dataverse takes it as a header with one empty name.",
            "fr": "Le fichier commence par une ligne vide : Dataverse la prend pour un en-tête au nom vide.",
        },
    },
)
def empty_header(r, facts, ctx):
    if facts.workbook is not None:
        yield from shared.check("empty-header", r, facts, ctx)
        return
    v = user_view(facts)
    if v is None or (v.records == 0 and v.header in ([""], ["\ufeff"])) or _titled(v):
        return  # an empty file (no-data says it) or a title line (title-or-notes-rows says it)
    names = [h.lstrip("\ufeff") for h in v.header]
    if names == [""] and v.records:
        yield r.finding(Location(row=1, line=1, column=1), variant="leading-blank-line")
        return
    empty = [i + 1 for i, h in enumerate(names) if h == ""]
    blank = [i + 1 for i, h in enumerate(names) if h and not h.strip()]
    if empty:
        yield r.finding(
            Location(row=1, line=1, column=empty[0]),
            count=len(empty),
            columns=short_list(empty),
            samples=[Location(row=1, line=1, column=c) for c in empty[:5]],
        )
    if blank:
        yield r.finding(
            Location(row=1, line=1, column=blank[0], column_name=names[blank[0] - 1]),
            variant="blank",
            count=len(blank),
            columns=short_list(blank),
            effect=Effect.DEGRADES,
            samples=[Location(row=1, line=1, column=c) for c in blank[:5]],
        )


@rule(
    code="TC302",
    name="duplicate-header",
    severity="blocker",
    effect="fails",
    formats=("csv", "tsv", "xlsx"),
    summary={
        "en": "Two or more columns have the same name.",
        "fr": "Plusieurs colonnes portent le même nom.",
    },
    rationale={
        "en": "Dataverse 6.7 and earlier refuse duplicate names; 6.8 keeps one column per name "
        "and then fails on every row, which has more cells than names.",
        "fr": "Dataverse 6.7 et antérieurs refusent les noms en double ; 6.8 ne garde qu'une "
        "colonne par nom puis échoue sur chaque ligne, qui a plus de cellules que de noms.",
    },
    how_to_fix={
        "en": "Rename the columns so that every name is unique (e.g. weight_2020, weight_2021).",
        "fr": "Renommez les colonnes pour que chaque nom soit unique (ex. poids_2020, poids_2021).",
    },
    messages={
        **shared.messages("duplicate-header"),
        "default": {
            "en": "The name “{name}” is used by columns {columns}.",
            "fr": "Le nom « {name} » est utilisé par les colonnes {columns}.",
        },
    },
)
def duplicate_header(r, facts, ctx):
    if facts.workbook is not None:
        yield from shared.check("duplicate-header", r, facts, ctx)
        return
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
        "une colonne de 255 caractères : l'enregistrement échoue (« Transaction aborted »).",
    },
    how_to_fix={
        "en": "Shorten the name and put the full label in the codebook or data description.",
        "fr": "Raccourcissez le nom et mettez le libellé complet dans le dictionnaire des données.",
    },
    messages={
        "en": "Column {column}'s name has {length} characters (limit 255): “{start}…”.",
        "fr": "Le nom de la colonne {column} a {length} caractères (limite 255) : « {start}… ».",
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


@hookimpl
def tabcheck_rules():
    return provide(globals())
