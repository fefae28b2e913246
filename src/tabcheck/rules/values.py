"""Rules about the values in CSV/TSV columns: what Dataverse's typing will make of them.

The evidence they need is counted during the scan (hook `tabcheck_column_evidence`), so no rule
reads the file again. Over 400 lines because each rule carries its texts in two languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tabcheck.facts.common import Occurrences
from tabcheck.facts.table import STRAY_TEXTS
from tabcheck.hookspecs import hookimpl
from tabcheck.messages import Quoted, Words
from tabcheck.model import Location
from tabcheck.patterns import (
    LEADING_ZERO,
    NULL_WORD,
    TEXT_SHAPES,
    two_readings,
)
from tabcheck.rule import provide, rule
from tabcheck.rules.common import (
    STRAY_RATIO,
    XLSX,
    header_name,
    numbers_in,
    read_sheet,
    stray_text_column,
    tally_finding,
    units_row_column,
    user_view,
    workbook_of,
)
from tabcheck.scan.evidence import Evidence

# The workbook checks import tabcheck.workbook.cells themselves: a check of CSV files never loads it.
if TYPE_CHECKING:
    from tabcheck.facts import CellSample, Context, FileFacts, SheetFacts, WorkbookFacts
    from tabcheck.facts.workbook import CellBox
    from tabcheck.model import Finding
    from tabcheck.rule import Rule

TEXT_EVIDENCE = TEXT_SHAPES  # patterns.py: the shapes in the order they are tried
_DATE_TIMES = ("date-time-day-first", "date-time-month-first", "date-time-either-order")
_PLAIN_DATES = ("date-day-first", "date-month-first", "date-either-order", "date-year-first")
_DATES = (*_PLAIN_DATES, *_DATE_TIMES, "date-like")
_GROUPED = ("space-grouped", "point-grouped")  # thousands separators that never mark decimals
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@hookimpl
def tabcheck_column_evidence():
    ev = {name: Evidence(lambda c, p=pattern: c.str.contains(p)) for name, pattern in TEXT_EVIDENCE.items()}
    # yyyy-mm-dd values in a column Dataverse leaves as text: impossible ones, and the valid ones
    # that only keep them company (so the column still counts as a date column).
    ev["impossible-date"] = Evidence(
        lambda c: c.str.contains(ISO_DATE) & c.str.to_date("%Y-%m-%d", strict=False, cache=False).is_null()
    )
    ev["iso-date"] = Evidence(lambda c: c.str.contains(ISO_DATE))
    ev["null-word"] = Evidence(lambda c: c.str.contains(NULL_WORD), scope="numeric")
    ev["leading-zero"] = Evidence(
        lambda c: c.str.contains(LEADING_ZERO),
        scope="integer",
        prefilter=lambda c: c.str.starts_with("0") | c.str.starts_with("-0") | c.str.starts_with("+0"),
    )
    return ev


def _columns_with(facts, names: tuple[str, ...], require_numeric_like: bool = True):
    """(view, column, evidence name, occurrences) for columns showing the evidence."""
    v = user_view(facts)
    if v is None:
        return
    for col in v.columns:
        if (
            require_numeric_like
            and col.unexplained_text
            and not units_row_column(v, col)
            and not stray_text_column(v, col)
        ):
            continue  # a genuine text column: these values do not change its type
        for name in names:
            occ = col.evidence.get(name)
            if occ:
                yield v, col, name, occ


def _finding(r, v, col, occ, **params):
    row, value = occ.first
    return r.finding(
        Location(row=row, column=col.index, column_name=col.name),
        count=occ.count,
        samples=[Location(row=s[0], column=col.index, column_name=col.name) for s in occ.samples],
        column=col.index,
        column_name=col.name,
        rows=[s[0] for s in occ.samples],
        example=value,
        **params,
    )


@rule(
    code="TC401",
    name="decimal-comma",
    severity="blocker",
    effect="degrades",
    repair="decimal-point",
    summary={
        "en": "Numbers written with a decimal comma (3,5).",
        "fr": "Des nombres écrits avec une virgule décimale (3,5).",
    },
    rationale={
        "en": "Dataverse reads numbers with a decimal point only: a column holding 3,5 becomes "
        "text, so no statistics, no numeric subsetting, and the values sort as words. In a workbook, "
        "a number typed as text (3,5 pasted from a French CSV) is stored as text too.",
        "fr": "Dataverse ne lit que les nombres à point décimal : une colonne contenant 3,5 "
        "devient du texte — pas de statistiques, pas d'extraction numérique, un tri "
        "alphabétique. Dans un classeur, un nombre saisi comme du texte (3,5 collé depuis un CSV français) est lui aussi "
        "enregistré comme du texte.",
    },
    how_to_fix={
        "en": "Run `tabcheck fix` (it writes 3.5), or export with a decimal point (set the "
        "system or LibreOffice locale to English for the export). `tabcheck fix` leaves a column as "
        "written while another value keeps it text (12,5 %), when its numbers do not agree on one "
        "convention (1,5 beside 2.5 or 12,345,678), when nothing says which mark is decimal (3,125 "
        "alone: 3.125 or 3125?), and, in a workbook, when the numbers typed as text stand beside "
        "number cells with decimals: type them as numbers there.",
        "fr": "Lancez `tabcheck fix` (il écrit 3.5), ou exportez avec un point décimal "
        "(paramètres régionaux anglais le temps de l'export). `tabcheck fix` laisse une colonne telle "
        "quelle tant qu'une autre valeur la garde en texte (12,5\u00a0%), quand ses nombres ne suivent pas "
        "une seule convention (1,5 à côté de 2.5 ou de 12,345,678), quand rien ne dit quel signe est "
        "décimal (3,125 seul\u00a0: 3.125 ou 3125\u202f?) et, dans un classeur, quand les nombres saisis comme "
        "du texte côtoient des cellules de nombres à décimales\u00a0: saisissez-les alors comme des "
        "nombres.",
    },
    messages={
        "default": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with a decimal comma "
            "(e.g. “{example}”, {rows:plural:row|rows} {rows}): the column will be text.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} avec une virgule décimale "
            "(par ex. « {example} », {rows:plural:ligne|lignes} {rows}) : la colonne sera du texte.",
        },
        "kept-as-text": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with a decimal comma "
            "(e.g. “{example}”, {rows:plural:row|rows} {rows}): the column will be text. "
            "`tabcheck fix` leaves {count:plural:it|them} as written while “{other}” (row {other_row}) "
            "keeps the column text: correct that value first.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} avec une virgule décimale "
            "(par ex. « {example} », {rows:plural:ligne|lignes} {rows}) : la colonne sera du texte. "
            "`tabcheck fix` {count:plural:la laisse telle qu'elle est écrite|les laisse telles qu'elles "
            "sont écrites} tant que « {other} » (ligne {other_row}) garde la colonne en texte : "
            "corrigez d'abord cette valeur.",
        },
        "ambiguous": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} such as “{example}” "
            "({rows:plural:row|rows} {rows}) will be text, and “{example}” may be {decimal} or {plain}. "
            "`tabcheck fix` leaves {count:plural:it|them} as written, since no number of the column says "
            "which mark is the decimal one: write them one way by hand.",
            "fr": "Colonne {column} «\u00a0{column_name}\u00a0»\u00a0: {count} {count:plural:valeur|valeurs} "
            "{count:plural:telle|telles} que «\u00a0{example}\u00a0» ({rows:plural:ligne|lignes} {rows}) "
            "{count:plural:sera|seront} du texte, "
            "et «\u00a0{example}\u00a0» peut valoir {decimal} ou {plain}. `tabcheck fix` {count:plural:la "
            "laisse telle qu'elle est écrite|les laisse telles qu'elles sont écrites}, car aucun "
            "nombre de la colonne ne dit quel signe est décimal\u00a0: écrivez-les d'une seule façon à la "
            "main.",
        },
        "mixed-conventions": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with a decimal comma "
            "(e.g. “{example}”, {rows:plural:row|rows} {rows}) beside numbers with commas between the "
            "thousands (“{other}”, row {other_row}): the column will be text. `tabcheck fix` leaves "
            "them as written, since which mark is the decimal one cannot be known: write them one way "
            "by hand.",
            "fr": "Colonne {column} «\u00a0{column_name}\u00a0»\u00a0: {count} {count:plural:valeur|valeurs} avec une "
            "virgule décimale (par ex. «\u00a0{example}\u00a0», {rows:plural:ligne|lignes} {rows}) à côté de "
            "nombres à virgules entre les milliers («\u00a0{other}\u00a0», ligne {other_row})\u00a0: la colonne sera "
            "du texte. `tabcheck fix` les laisse telles qu'elles sont écrites, car on ne peut pas savoir "
            "quel signe est décimal\u00a0: écrivez-les d'une seule façon à la main.",
        },
    },
)
def decimal_comma(r, facts, ctx):
    """One finding per column of decimal commas, as `fix` will decide it (fix/repairs.py
    NumberConvention): 1,234 counts with them (it is 1.234 beside 3,5); alone it may be 1.234 or
    1234, and beside 12,345,678 (commas between thousands) nothing says which mark is decimal:
    fix leaves those columns as written, and says so here first."""
    comma_file = facts.table.user.delimiter == "," if facts.table else False
    for v, col, name, occ in _columns_with(facts, ("decimal-comma", "comma-one-group")):
        decimals, grouped = col.evidence.get("decimal-comma"), col.evidence.get("comma-grouped")
        if name == "comma-one-group":
            if comma_file or decimals or grouped:
                continue  # English thousands (numbers-as-text), or counted with the others
            decimal, plain = two_readings(occ.first[1])
            f = _finding(r, v, col, occ, variant="ambiguous", decimal=decimal, plain=plain)
            f.fixable = False
            yield f
            continue
        if grouped:  # 3,5 beside 12,345,678 or 1,234.5: fix refuses to choose
            other = {"other": grouped.first[1], "other_row": grouped.first[0]}
            f = _finding(r, v, col, occ, variant="mixed-conventions", **other)
            f.fixable = False
            yield f
            continue
        keeper = _kept_as_text(col)
        # Converting the others would leave the column half converted: none is, the user is told why.
        extra = {"other": keeper.first[1], "other_row": keeper.first[0]} if keeper else {}
        # The column's other numbers of the same convention, which `fix` converts with it.
        # 12,345 too, in a comma file as in a semicolon one: beside 1,5 it is 12.345.
        others = [g for n in (*_GROUPED, "comma-one-group") if (g := col.evidence.get(n))]
        f = _finding(r, v, col, occ, variant="kept-as-text" if keeper else "default", **extra)
        if others:  # counted, and their rows listed, with the decimal commas (the example stays one)
            both = _together(occ, *others)
            f.count = f.params["count"] = both.count
            f.params["rows"] = [s[0] for s in both.samples]
            f.samples = [Location(row=s[0], column=col.index, column_name=col.name) for s in both.samples]
        if keeper:
            f.fixable = False
        yield f


def _together(*found: Occurrences) -> Occurrences:
    """Occurrences of several shapes as one: every count, and the first samples of them all."""
    merged: Occurrences = Occurrences()
    merged.extend(sorted((s for occ in found for s in occ.samples), key=lambda s: s[0]), 0)
    merged.count = sum(occ.count for occ in found)
    return merged


def _sheet_keeper(col, kept):
    """As _kept_as_text for a sheet's column of text cells: the first cell whose shape no repair
    converts (12 %, <0,5, VRAI; not a missing-value code), or `kept` (a total row's label fix keeps),
    whichever comes first; None when there is none."""
    firsts = [
        occ.first
        for k, occ in col.kinds.items()
        if k in _NUMBERS_AS_TEXT and k not in ("missing-code", "comma-one-group", "comma-grouped")
    ] + ([kept] if kept is not None else [])
    return min(firsts, key=lambda c: c.row) if firsts else None


def _kept_as_text(col):
    """The first of the column's values that no repair converts (12,5 %, 5 €, (12,5), <0,5, VRAI),
    or None: such a column stays text whatever fix does, so its other numbers stay as written too,
    never half converted. A missing-value code does not count: the numbers are all converted
    beside it, and the user empties it."""
    found = [
        occ
        for n in _NUMBERS_AS_TEXT
        if n not in ("missing-code", "comma-one-group", "comma-grouped") and (occ := col.evidence.get(n))
    ]
    return min(found, key=lambda occ: occ.first[0]) if found else None


_XLSX_DECIMAL_COMMA = {
    "xlsx-decimal-comma": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:number|numbers} '
        "typed as text with a decimal comma (e.g. “{example}” in {cell}) will be stored as text; "
        "`tabcheck fix` writes {count:plural:it|them} with a decimal point in a CSV, where "
        "Dataverse reads {count:plural:it as a number|them as numbers}.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:nombre saisi|nombres saisis} comme du texte avec une virgule "
        "décimale (par ex. «\u00a0{example}\u00a0» en {cell}) {count:plural:sera "
        "enregistré|seront enregistrés} comme du texte\u202f; `tabcheck fix` "
        "{count:plural:l'écrit|les écrit} avec un point décimal dans un CSV, où Dataverse "
        "{count:plural:le lit comme un nombre|les lit comme des nombres}.",
    },
    "xlsx-decimal-comma-kept": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:number|numbers} '
        "typed as text with a decimal comma (e.g. “{example}” in {cell}) will be stored as text. "
        "`tabcheck fix` leaves {count:plural:it|them} as written while “{other}” (in "
        "{other_cell}) keeps the column text: correct that value first.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:nombre saisi|nombres saisis} comme du texte avec une virgule "
        "décimale (par ex. «\u00a0{example}\u00a0» en {cell}) {count:plural:sera "
        "enregistré|seront enregistrés} comme du texte. `tabcheck fix` {count:plural:le laisse "
        "tel qu'il est écrit|les laisse tels qu'ils sont écrits} tant que «\u00a0{other}\u00a0» "
        "(en {other_cell}) garde la colonne en texte\u00a0: corrigez d'abord cette valeur.",
    },
    "xlsx-decimal-comma-ambiguous": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} '
        "{count:plural:number|numbers} typed as text such as “{example}” (in {cell}) will be "
        "stored as text, and “{example}” may be {decimal} or {plain}: type them as numbers in "
        "the workbook; `tabcheck fix` cannot tell which mark is decimal and leaves "
        "{count:plural:it|them} as written.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: {count} "
        "{count:plural:nombre saisi|nombres saisis} comme du texte, {count:plural:tel|tels} que "
        "«\u00a0{example}\u00a0» (en {cell}), {count:plural:sera enregistré|seront enregistrés} comme "
        "du texte, et "
        "«\u00a0{example}\u00a0» peut valoir {decimal} ou {plain}\u00a0: saisissez-les comme des nombres "
        "dans le classeur\u202f; `tabcheck fix` ne peut pas savoir quel signe est décimal et "
        "{count:plural:le laisse tel quel|les laisse tels quels}.",
    },
    "xlsx-decimal-comma-beside-numbers": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:number|numbers} '
        "typed as text with a decimal comma (e.g. “{example}” in {cell}) will be stored as text; "
        "type {count:plural:it as a number|them as numbers}: beside numbers with decimals (such "
        "as {other} in {other_cell}), `tabcheck fix` cannot tell for sure which mark is decimal "
        "in a text, and leaves {count:plural:it|them} as written.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:nombre saisi|nombres saisis} comme du texte avec une virgule "
        "décimale (par ex. «\u00a0{example}\u00a0» en {cell}) {count:plural:sera "
        "enregistré|seront enregistrés} comme du texte\u202f; {count:plural:saisissez-le comme un "
        "nombre|saisissez-les comme des nombres}\u00a0: à côté de nombres à décimales (comme "
        "{other} en {other_cell}), `tabcheck fix` ne peut pas savoir à coup sûr quel signe est "
        "décimal dans un texte, et {count:plural:le laisse tel quel|les laisse tels quels}.",
    },
}


@decimal_comma.check_for("xlsx", messages=_XLSX_DECIMAL_COMMA)
def _decimal_comma_xlsx(r, facts, ctx):
    """Numbers typed as text with a decimal comma in the sheet Dataverse reads (tabcheck.workbook
    .textcells): stored as text there, numbers once `fix` writes the sheet as a CSV, unless another
    text keeps the column text (12 %, <0,5): then fix leaves them all as written."""
    for sheet, trace, layout, col, kept in _text_columns(facts):
        commas = {
            k: occ for k, occ in col.kinds.items() if k in ("decimal-comma", "comma-one-group", *_GROUPED)
        }
        if "decimal-comma" not in commas:
            one = col.kinds.get("comma-one-group")
            if one and "comma-grouped" not in col.kinds:  # 79,261 alone: 79.261 or 79261?
                decimal, plain = two_readings(one.first.value)
                yield _text_cells_finding(
                    r,
                    sheet,
                    trace,
                    layout,
                    col,
                    {"comma-one-group": one},
                    "xlsx-decimal-comma-ambiguous",
                    fixable=False,
                    decimal=decimal,
                    plain=plain,
                )
            continue
        keeper = _sheet_keeper(col, kept)
        if keeper is not None:
            variant, other = "xlsx-decimal-comma-kept", keeper
        elif col.fraction is not None:  # fix/sheet_repairs.py leaves them as written
            variant, other = "xlsx-decimal-comma-beside-numbers", col.fraction
        else:
            variant, other = "xlsx-decimal-comma", None
        extra = {"other": other.value, "other_cell": other.cell} if other is not None else {}
        fixable = variant == "xlsx-decimal-comma"
        yield _text_cells_finding(r, sheet, trace, layout, col, commas, variant, fixable=fixable, **extra)


_NUMBERS_AS_TEXT = {
    "comma-one-group": ("thousands separators", "un séparateur de milliers"),
    "comma-grouped": ("thousands separators", "un séparateur de milliers"),
    "odd-negative": (
        "parentheses or a typographic minus for a negative",
        "des parenthèses ou un signe moins typographique pour un négatif",
    ),
    "trailing-minus": (
        "a minus after the number for a negative",
        "un signe moins après le nombre pour un négatif",
    ),
    "percent": ("percent signs", "un signe %"),
    "currency": ("currency signs", "un symbole monétaire"),
    "boolean": ("TRUE/FALSE", "VRAI/FAUX"),
    "missing-code": (
        "a missing-value code Dataverse does not know",
        "un code de valeur manquante inconnu de Dataverse",
    ),
    "limit": ("a limit sign, < or >", "un signe de limite, < ou >"),
    "formula-text": ('the text of an Excel formula (="…")', 'le texte d\'une formule Excel (="…")'),
}


@rule(
    code="TC402",
    name="numbers-as-text",
    severity="warning",
    effect="degrades",
    summary={
        "en": "Numbers written with commas between the thousands (12,345,678), %, currency signs, (12.5) "
        'or 12.5- for a negative, a limit sign (<0.5), TRUE/FALSE, or as an Excel formula (`="00123"`).',
        "fr": "Des nombres écrits avec des virgules entre les milliers (12,345,678), %, symboles "
        "monétaires, (12,5) ou 12,5- pour un négatif, un signe de limite (<0,5), VRAI/FAUX, ou comme "
        'une formule Excel (`="00123"`).',
    },
    rationale={
        "en": "Dataverse reads plain numbers only: 12,345,678, 12%, $5, (12.5), −12.5 (a typographic minus), "
        "<0.5 (a detection limit) or TRUE make the whole column text. Only empty cells and NA are missing "
        "values: '.', '-' or 'n/a' are text. A CSV holds no formulas: `=\"00123\"`, which some exports "
        "write so that Excel keeps a code's leading zeros, is stored as written, the = and the quotes "
        "with it.",
        "fr": "Dataverse ne lit que des nombres simples : 12,345,678, 12 %, 5 €, (12,5), −12,5 (un "
        "signe moins typographique), <0,5 (une limite de détection) ou VRAI font de toute la colonne du "
        "texte. Seules les cellules vides et la valeur NA comptent comme valeurs manquantes : « . », "
        '« - » ou « n/a » sont du texte. Un CSV ne contient pas de formules : `="00123"`, que certains '
        "exports écrivent pour qu'Excel garde les zéros initiaux d'un code, est enregistré tel quel, "
        "avec le = et les guillemets.",
    },
    how_to_fix={
        "en": "Write plain numbers (1234, 0.12 or 12 with the unit in the column name, -12.5 with "
        "the keyboard's minus, 1/0 for booleans) and leave missing values empty or NA. A value below a "
        "detection limit goes in a column of its own (e.g. below_limit = 1, with the limit or nothing "
        'in the measure\'s column): the measures stay numbers. Write `="00123"` as 00123 (Dataverse then '
        "reads a code of digits as a number: see TC405).",
        "fr": "Écrivez des nombres simples (1234, 0.12 ou 12 avec l'unité dans le nom de "
        "colonne, -12.5 avec le signe moins du clavier, 1/0 pour les booléens) et laissez les "
        "valeurs manquantes vides ou NA. Une valeur sous une limite de détection se note dans une "
        "colonne à part (par ex. sous_limite = 1, avec la limite ou rien dans la colonne de la "
        'mesure) : les mesures restent des nombres. Écrivez `="00123"` sous la forme 00123 (Dataverse '
        "lit alors un code fait de chiffres comme un nombre : voir TC405).",
    },
    messages={
        "default": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with {what} (e.g. "
            "“{example}”, {rows:plural:row|rows} {rows}): the column will be text.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} avec {what} "
            "(par ex. « {example} », {rows:plural:ligne|lignes} {rows}) : la colonne sera du texte.",
        },
        "formula-text": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value is|values are} written as "
            "an Excel formula that keeps text (e.g. “{example}”, {rows:plural:row|rows} {rows}): "
            "Dataverse will store {count:plural:it|them} as written, with the = and the quotes.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur est écrite|valeurs "
            "sont écrites} comme une formule Excel qui garde du texte (par ex. « {example} », "
            "{rows:plural:ligne|lignes} {rows}) : Dataverse {count:plural:l'enregistrera telle "
            "quelle|les enregistrera telles quelles}, avec le = et les guillemets.",
        },
    },
)
def numbers_as_text(r, facts, ctx):
    comma_file = facts.table.user.delimiter == "," if facts.table else False
    for v, col, name, occ in _columns_with(facts, tuple(_NUMBERS_AS_TEXT)):
        one_group = col.evidence.get("comma-one-group")
        if name in ("comma-one-group", "comma-grouped"):
            if not comma_file or col.evidence.get("decimal-comma"):
                # In a semicolon file, or beside 1,5 in a comma file: decimal-comma or
                # thousands-separators says them, as fix reads them
                continue
            if name == "comma-one-group" and col.evidence.get("comma-grouped"):
                continue  # said with 12,345,678 below, one finding for both
            if name == "comma-grouped" and one_group:
                yield _finding(r, v, col, _together(occ, one_group), what=Words(*_NUMBERS_AS_TEXT[name]))
                continue
        if (
            name == "missing-code"
            and not any(
                col.evidence.get(n) for n in (*_NUMBERS_AS_TEXT, *_GROUPED, "decimal-comma") if n != name
            )
            and not col.had_numbers
        ):
            continue  # a column of dashes only: nothing numeric to lose
        if name == "formula-text":
            yield _finding(r, v, col, occ, variant="formula-text")
            continue
        yield _finding(r, v, col, occ, what=Words(*_NUMBERS_AS_TEXT[name]))


@numbers_as_text.check_for(
    "xlsx",
    messages={
        "xlsx-numbers-as-text": {
            "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:value|values} '
            "typed as text with {what} (e.g. “{example}” in {cell}): the column will be stored as "
            "text.",
            "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
            "{count} {count:plural:valeur saisie|valeurs saisies} comme du texte avec {what} (par ex. "
            "«\u00a0{example}\u00a0» en {cell})\u00a0: la colonne sera enregistrée comme du texte.",
        },
    },
)
def _numbers_as_text_xlsx(r, facts, ctx):
    """Numbers typed as text with a sign Dataverse does not read (12 %, 5 €, <0,5, (12,5), VRAI) in
    the sheet Dataverse reads (tabcheck.workbook.textcells); not in a column text-among-numbers
    says (a few such texts among numbers are its). 1,234 is left out: in a workbook nothing tells
    a thousands separator from a decimal comma."""
    from tabcheck.rules.common import sheet_layout, usable_sheet

    wb, sheet = usable_sheet(facts)
    trace = wb.trace if wb is not None else None
    if sheet is None or trace is None or trace.failure:
        return
    said = {stray.column for stray, *_ in _said_strays(wb, sheet, trace, sheet_layout(sheet))}
    numeric_kinds = (*_NUMBERS_AS_TEXT, *_GROUPED, "decimal-comma")
    for sheet_, trace_, layout, col, _ in _text_columns(facts):
        if col.column in said:
            continue
        for name in _NUMBERS_AS_TEXT:
            occ = col.kinds.get(name)
            if not occ or name in ("comma-one-group", "comma-grouped"):
                continue
            if (
                name == "missing-code"
                and not col.numbers
                and not any(k in col.kinds for k in numeric_kinds if k != name)
            ):
                continue  # a column of dashes only, or of dates with n/a: nothing numeric to lose
            f = _text_cells_finding(
                r, sheet_, trace_, layout, col, {name: occ}, "xlsx-numbers-as-text", fixable=False
            )
            f.params["what"] = Words(*_NUMBERS_AS_TEXT[name])
            yield f


@rule(
    code="TC409",
    name="thousands-separators",
    severity="warning",
    effect="degrades",
    repair="decimal-point",
    summary={
        "en": "Numbers written with thousands separators that cannot mark decimals (1 234, 1.234.567; "
        "12,345,678 or 1,234.5 outside a comma file).",
        "fr": "Des nombres écrits avec des séparateurs de milliers qui ne peuvent pas marquer les décimales "
        "(1\u202f234, 1.234.567\u202f; 12,345,678 ou 1,234.5 hors d'un fichier à virgules).",
    },
    rationale={
        "en": "Dataverse reads plain numbers only: 1 234 (a space, a no-break space or an apostrophe "
        "between the thousands) or 1.234.567 make the whole column text: no statistics, and the values "
        "sort as words. These separators cannot mark decimals (nor can several commas, or a comma "
        "before a decimal point), so taking them out changes no value.",
        "fr": "Dataverse ne lit que des nombres simples : 1 234 (une espace, une espace insécable ou "
        "une apostrophe entre les milliers) ou 1.234.567 font de toute la colonne du texte : pas de "
        "statistiques, un tri alphabétique. Ces séparateurs ne peuvent pas marquer les décimales (pas "
        "plus que plusieurs virgules, ou une virgule avant un point décimal)\u00a0: les retirer ne change "
        "aucune valeur.",
    },
    how_to_fix={
        "en": "Run `tabcheck fix` (it writes 1234), or export the numbers without thousands separators. "
        "`tabcheck fix` refuses a column whose numbers do not agree on one convention (1.234.567 beside "
        "3.5): write them one way by hand. A column of numbers all written 25.000 in a file whose "
        "decimals are commas is only said, never changed: if the point separates thousands, write "
        "25000.",
        "fr": "Lancez `tabcheck fix` (il écrit 1234), ou exportez les nombres sans séparateur de milliers. "
        "`tabcheck fix` refuse une colonne dont les nombres ne suivent pas une seule convention "
        "(1.234.567 à côté de 3.5)\u00a0: écrivez-les d'une seule façon à la main. Une colonne de "
        "nombres tous écrits 25.000 dans un fichier aux décimales à virgule est seulement signalée, "
        "jamais modifiée\u00a0: si le point sépare les milliers, écrivez 25000.",
    },
    messages={
        "default": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with thousands separators "
            "(e.g. “{example}”, {rows:plural:row|rows} {rows}): the column will be text.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} avec un séparateur de milliers "
            "(par ex. « {example} », {rows:plural:ligne|lignes} {rows}) : la colonne sera du texte.",
        },
        "kept-as-text": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with thousands separators "
            "(e.g. “{example}”, {rows:plural:row|rows} {rows}): the column will be text. "
            "`tabcheck fix` leaves {count:plural:it|them} as written while “{other}” (row {other_row}) "
            "keeps the column text: correct that value first.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} avec un séparateur de milliers "
            "(par ex. « {example} », {rows:plural:ligne|lignes} {rows}) : la colonne sera du texte. "
            "`tabcheck fix` {count:plural:la laisse telle qu'elle est écrite|les laisse telles qu'elles "
            "sont écrites} tant que « {other} » (ligne {other_row}) garde la colonne en texte : "
            "corrigez d'abord cette valeur.",
        },
        "point-groups": {
            "en": "Column {column} “{column_name}”: its {count} numbers are all written with three digits "
            "after a point (e.g. “{example}”, {rows:plural:row|rows} {rows}), while column {other_column} "
            "“{other_name}” writes decimals with a comma (“{other}”): if that point separates "
            "thousands, Dataverse will read them a thousand times too small ({example} as {as_read}, "
            "not {plain}). Write them without a separator ({plain}), or leave them as they are if they "
            "are decimals.",
            "fr": "Colonne {column} «\u00a0{column_name}\u00a0»\u00a0: ses {count} nombres sont tous écrits avec trois "
            "chiffres après un point (par ex. «\u00a0{example}\u00a0», {rows:plural:ligne|lignes} {rows}), alors que la colonne "
            "{other_column} «\u00a0{other_name}\u00a0» écrit les décimales avec une virgule («\u00a0{other}\u00a0»)\u00a0: "
            "si ce point sépare les milliers, Dataverse les lira mille fois trop petits ({example} "
            "comme {as_read}, et non {plain}). Écrivez-les sans séparateur ({plain}), ou laissez-les tels quels s'il s'agit "
            "de décimales.",
        },
    },
)
def thousands_separators(r, facts, ctx):
    """One finding per column, its first grouped number the example; none where decimal commas
    are (decimal-comma counts these numbers with them, and `fix` converts them together)."""
    v = user_view(facts)
    comma_file = facts.table.user.delimiter == "," if facts.table else False
    for col in v.columns if v is not None else ():
        found = [col.evidence[n] for n in _GROUPED if col.evidence.get(n)]
        one_group = col.evidence.get("comma-one-group")
        if not comma_file and col.evidence.get("comma-grouped"):
            # 12,345,678 or 1,234.5 outside a comma file: commas between thousands (fix writes
            # 12345678 and 1234.5), and 1,234 beside them is 1234
            found += [col.evidence["comma-grouped"], *([one_group] if one_group else [])]
            one_group = None
        if not found or col.unexplained_text or col.evidence.get("decimal-comma"):
            continue
        keeper = _kept_as_text(col)
        extra = {"other": keeper.first[1], "other_row": keeper.first[0]} if keeper else {}
        f = _finding(r, v, col, _together(*found), variant="kept-as-text" if keeper else "default", **extra)
        if keeper or (one_group and not comma_file):
            f.fixable = False  # 1 234 beside 1,234 (1.234 or 1234?): decimal-comma says it
        yield f
    yield from _point_groups(r, v)


def _point_groups(r, v):
    """A column of numbers all written 25.000 in a file whose decimals are commas elsewhere:
    Dataverse reads 25, the author may have meant 25000. Nothing in the value says which: said,
    never changed (fix leaves them and says it again)."""
    if v is None:
        return
    commas = next((c for c in v.columns if c.evidence.get("decimal-comma")), None)
    if commas is None:
        return
    for col in v.columns:
        occ = col.point_groups
        if occ.count < 2 or col.type != "continuous":
            continue  # one value says little
        example = occ.first[1]
        whole, _, fraction = example.partition(".")
        as_read = whole if fraction == "000" else f"{whole}.{fraction.rstrip('0')}"
        other = commas.evidence["decimal-comma"].first[1]
        f = _finding(
            r,
            v,
            col,
            occ,
            variant="point-groups",
            other=other,
            other_column=commas.index,
            other_name=commas.name,
            as_read=as_read,
            plain=whole + fraction,
        )
        f.fixable = False
        yield f


_XLSX_THOUSANDS = {
    "xlsx-thousands-separators": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} '
        "{count:plural:number|numbers} typed as text with thousands separators (e.g. "
        "“{example}” in {cell}) will be stored as text; `tabcheck fix` writes "
        "{count:plural:it|them} without separators in a CSV, where Dataverse reads "
        "{count:plural:it as a number|them as numbers}.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: {count} "
        "{count:plural:nombre saisi|nombres saisis} comme du texte avec un séparateur de "
        "milliers (par ex. «\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistré|seront "
        "enregistrés} comme du texte\u202f; `tabcheck fix` {count:plural:l'écrit|les écrit} sans "
        "séparateur dans un CSV, où Dataverse {count:plural:le lit comme un nombre|les lit "
        "comme des nombres}.",
    },
    "xlsx-thousands-separators-kept": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} '
        "{count:plural:number|numbers} typed as text with thousands separators (e.g. "
        "“{example}” in {cell}) will be stored as text. `tabcheck fix` leaves "
        "{count:plural:it|them} as written while “{other}” (in {other_cell}) keeps the column "
        "text: type them as numbers in the workbook.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: {count} "
        "{count:plural:nombre saisi|nombres saisis} comme du texte avec un séparateur de "
        "milliers (par ex. «\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistré|seront "
        "enregistrés} comme du texte. `tabcheck fix` {count:plural:le laisse tel qu'il est "
        "écrit|les laisse tels qu'ils sont écrits} tant que «\u00a0{other}\u00a0» (en {other_cell}) "
        "garde la colonne en texte\u00a0: saisissez-les comme des nombres dans le "
        "classeur.",
    },
    "xlsx-thousands-separators-beside-numbers": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} '
        "{count:plural:number|numbers} typed as text with thousands separators (e.g. "
        "“{example}” in {cell}) will be stored as text; type {count:plural:it as a "
        "number|them as numbers}: beside numbers with decimals (such as {other} in "
        "{other_cell}), `tabcheck fix` cannot tell a point between thousands from a decimal "
        "one, and leaves {count:plural:it|them} as written.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: {count} "
        "{count:plural:nombre saisi|nombres saisis} comme du texte avec un séparateur de "
        "milliers (par ex. «\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistré|seront "
        "enregistrés} comme du texte\u202f; {count:plural:saisissez-le comme un "
        "nombre|saisissez-les comme des nombres}\u00a0: à côté de nombres à décimales (comme "
        "{other} en {other_cell}), `tabcheck fix` ne distingue pas un point entre les "
        "milliers d'un point décimal, et {count:plural:le laisse tel quel|les laisse tels "
        "quels}.",
    },
}


@thousands_separators.check_for("xlsx", messages=_XLSX_THOUSANDS)
def _thousands_separators_xlsx(r, facts, ctx):
    """Numbers typed as text with thousands separators that cannot mark decimals (95 467,
    1.234.567) in the sheet Dataverse reads (tabcheck.workbook.textcells), no decimal comma beside
    them (decimal-comma says those): fix writes them plain, unless another text keeps the column
    text (12 %), or number cells with decimals stand beside them (the sheet's repairs leave those
    columns as written: fix/sheet_repairs.py)."""
    for sheet, trace, layout, col, kept in _text_columns(facts):
        grouped = {k: occ for k, occ in col.kinds.items() if k in _GROUPED}
        if not grouped or any(k in col.kinds for k in ("decimal-comma", "comma-one-group", "comma-grouped")):
            continue
        keeper = _sheet_keeper(col, kept)
        if keeper is None and col.fraction is None:
            yield _text_cells_finding(
                r, sheet, trace, layout, col, grouped, "xlsx-thousands-separators", fixable=True
            )
            continue
        variant = (
            "xlsx-thousands-separators-kept"
            if keeper is not None
            else "xlsx-thousands-separators-beside-numbers"
        )
        other = keeper if keeper is not None else col.fraction
        assert other is not None
        yield _text_cells_finding(
            r,
            sheet,
            trace,
            layout,
            col,
            grouped,
            variant,
            fixable=False,
            other=other.value,
            other_cell=other.cell,
        )


@rule(
    code="TC403",
    name="null-becomes-zero",
    severity="blocker",
    effect="degrades",
    repair="empty-null",
    summary={
        "en": "The word null in a numeric column: Dataverse stores it as 0.",
        "fr": "Le mot null dans une colonne numérique : Dataverse l'enregistre comme 0.",
    },
    rationale={
        "en": "In a numeric column Dataverse stores 'null' (any case) as the number 0 — a silent "
        "change of value that biases every statistic. Empty cells and NA are missing.",
        "fr": "Dans une colonne numérique, Dataverse enregistre « null » (quelle que soit la "
        "casse) comme le nombre 0 — un changement silencieux qui fausse les statistiques. "
        "Les cellules vides et NA sont des valeurs manquantes.",
    },
    how_to_fix={
        "en": "Replace null by an empty cell or NA (`tabcheck fix` does it).",
        "fr": "Remplacez null par une cellule vide ou NA (`tabcheck fix` le fait).",
    },
    messages={
        "en": "Column {column} “{column_name}”: {count} “{example}” {count:plural:value|values} will "
        "be stored as 0 ({rows:plural:row|rows} {rows}).",
        "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} « {example} » "
        "{count:plural:sera enregistrée|seront enregistrées} comme 0 ({rows:plural:ligne|lignes} "
        "{rows}).",
    },
)
def null_becomes_zero(r, facts, ctx):
    yield from _numeric_evidence(r, facts, "null-word", ("integer", "continuous"))


@rule(
    code="TC404",
    name="dates-as-text",
    severity="warning",
    effect="degrades",
    repair="iso-date",
    summary={
        "en": "Dates not written as yyyy-mm-dd, or impossible dates.",
        "fr": "Des dates qui ne sont pas au format aaaa-mm-jj, ou des dates impossibles.",
    },
    rationale={
        "en": "Dataverse recognises dates written yyyy-mm-dd only (and yyyy-mm-dd hh:mm:ss for "
        "times). 25/12/2020 or 2020/12/25 stay text; one impossible date (2021-02-30) turns "
        "the whole column into text. In a workbook, a date typed as text is stored as text, whatever "
        "its form: its XLSX reader reads no date from a text cell.",
        "fr": "Dataverse ne reconnaît que les dates aaaa-mm-jj (et aaaa-mm-jj hh:mm:ss pour les "
        "heures). 25/12/2020 ou 2020/12/25 restent du texte ; une seule date impossible "
        "(2021-02-30) fait de toute la colonne du texte. Dans un classeur, une date saisie comme du "
        "texte est enregistrée comme du texte, quelle que soit sa forme\u00a0: son lecteur XLSX ne lit "
        "aucune date dans une cellule de texte.",
    },
    how_to_fix={
        "en": "Write dates as 2020-12-25 (ISO 8601); check impossible dates. `tabcheck fix` writes "
        "a column of day/month/year dates so when its order is known (a day above 12 somewhere) "
        "and every value is a real date (with its time of day, 25/12/2020 14:30 becomes "
        "2020-12-25 14:30:00), the label of a total row under them (Moyenne) left as written. A date "
        "written with the month's name (25-déc-2020, Dec 25, 2020) is said, not converted.",
        "fr": "Écrivez les dates sous la forme 2020-12-25 (ISO 8601) ; corrigez les dates impossibles. "
        "`tabcheck fix` récrit ainsi une colonne de dates jour/mois/année quand leur ordre est connu "
        "(un jour au-dessus de 12 quelque part) et que chaque valeur est une vraie date (avec son heure, "
        "25/12/2020 14:30 devient 2020-12-25 14:30:00), l'intitulé d'une ligne de total sous elles "
        "(Moyenne) restant tel quel. Une date écrite avec le nom du mois (25-déc-2020, Dec 25, 2020) "
        "est signalée, pas convertie.",
    },
    messages={
        "default": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:date|dates} like "
            "“{example}” ({rows:plural:row|rows} {rows}) will be read as text.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:date|dates} comme "
            "« {example} » ({rows:plural:ligne|lignes} {rows}) {count:plural:sera lue|seront lues} "
            "comme du texte.",
        },
        "either-order": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:date|dates} like "
            "“{example}” ({rows:plural:row|rows} {rows}) will be read as text; nothing tells whether "
            "the day or the month comes first (no number above 12): write them yyyy-mm-dd.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:date|dates} comme "
            "« {example} » ({rows:plural:ligne|lignes} {rows}) {count:plural:sera lue|seront lues} "
            "comme du texte ; rien n'indique si le jour ou le mois vient en premier (aucun nombre "
            "au-dessus de 12) : écrivez-les aaaa-mm-jj.",
        },
        "mixed-order": {
            "en": "Column {column} “{column_name}”: {count} {count:plural:date|dates} like "
            "“{example}” ({rows:plural:row|rows} {rows}) will be read as text; some put the day "
            "first (“{day_first}”), others the month (“{month_first}”): write them yyyy-mm-dd.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:date|dates} comme "
            "« {example} » ({rows:plural:ligne|lignes} {rows}) {count:plural:sera lue|seront lues} "
            "comme du texte ; certaines mettent le jour en premier (« {day_first} »), d'autres le "
            "mois (« {month_first} ») : écrivez-les aaaa-mm-jj.",
        },
        "impossible": {
            "en": "Column {column} “{column_name}”: {count} impossible {count:plural:date|dates} "
            "such as “{example}” ({rows:plural:row|rows} {rows}) {count:plural:turns|turn} the whole "
            "date column into text.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:date impossible|dates "
            "impossibles} comme « {example} » ({rows:plural:ligne|lignes} {rows}) "
            "{count:plural:transforme|transforment} toute la colonne de dates en texte.",
        },
    },
)
def dates_as_text(r, facts, ctx):
    from tabcheck.rules import layout
    from tabcheck.rules.totals import view_total_row

    v = user_view(facts)
    if v is None:
        return
    total = view_total_row(v)
    lay = layout.analyse(v)
    notes = {row for row, _, _ in lay.note_rows} if lay else set()
    for col in v.columns:
        dates_only, label = _dates_beside(col, total, notes)
        if not dates_only or col.type != "character":
            continue  # a genuine text column: its dates do not change its type
        impossible = col.evidence.get("impossible-date")
        if impossible:
            f = _finding(r, v, col, impossible)
            f.variant = "impossible"
            f.fixable = False  # the user's to correct
            yield f
        found = {name: col.evidence[name] for name in _DATES if col.evidence.get(name)}
        if found:
            f = _dates_finding(r, v, col, found, impossible)
            if label is not None:  # fix leaves it as written (the total row stays: total-row says it)
                f.params["total_label"] = label
            yield f


def _dates_beside(col, total: tuple[int, int, str] | None, notes: set[int]) -> tuple[bool, str | None]:
    """Whether the column's values that no evidence explains are only notes under the table (fix
    moves them out) and the label of its total row (Moyenne, Total: total-row says the row, fix
    leaves the label as written), and that label: a column of dates with those under them is still
    one. (False, None) for a genuine text column."""
    text = col.unexplained_text
    if not text:
        return True, None
    if text.count != len(text.samples):
        return False, None
    label = None
    for row, value in text.samples:
        if row in notes:
            continue
        if total is None or total[1] != col.index or (row, value) != (total[0], total[2]):
            return False, None
        label = value
    return True, label


_XLSX_DATES = {
    "xlsx-dates-as-text": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:date|dates} '
        "typed as text (e.g. “{example}” in {cell}) will be stored as text; `tabcheck fix` writes "
        "{count:plural:it|them} yyyy-mm-dd in a CSV, where Dataverse reads {count:plural:it as a "
        "date|them as dates}.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:date saisie|dates saisies} comme du texte (par ex. "
        "«\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistrée|seront enregistrées} "
        "comme du texte\u202f; `tabcheck fix` {count:plural:l'écrit|les écrit} aaaa-mm-jj dans un "
        "CSV, où Dataverse {count:plural:la lit comme une date|les lit comme des dates}.",
    },
    "xlsx-dates-kept": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:date|dates} '
        "typed as text (e.g. “{example}” in {cell}) will be stored as text: write "
        "{count:plural:it|them} yyyy-mm-dd.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:date saisie|dates saisies} comme du texte (par ex. "
        "«\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistrée|seront enregistrées} "
        "comme du texte\u00a0: {count:plural:écrivez-la|écrivez-les} aaaa-mm-jj.",
    },
    "xlsx-either-order": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:date|dates} '
        "typed as text (e.g. “{example}” in {cell}) will be stored as text; nothing tells whether "
        "the day or the month comes first (no number above 12): write them yyyy-mm-dd.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:date saisie|dates saisies} comme du texte (par ex. "
        "«\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistrée|seront enregistrées} "
        "comme du texte\u202f; rien n'indique si le jour ou le mois vient en premier (aucun "
        "nombre au-dessus de 12)\u00a0: écrivez-les aaaa-mm-jj.",
    },
    "xlsx-mixed-order": {
        "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:date|dates} '
        "typed as text (e.g. “{example}” in {cell}) will be stored as text; some put the day "
        "first (“{day_first}”), others the month (“{month_first}”): write them yyyy-mm-dd.",
        "fr": "Feuille «\u00a0{sheet}\u00a0», colonne {letter} «\u00a0{column_name}\u00a0»\u00a0: "
        "{count} {count:plural:date saisie|dates saisies} comme du texte (par ex. "
        "«\u00a0{example}\u00a0» en {cell}) {count:plural:sera enregistrée|seront enregistrées} "
        "comme du texte\u202f; certaines mettent le jour en premier («\u00a0{day_first}\u00a0»), "
        "d'autres le mois («\u00a0{month_first}\u00a0»)\u00a0: écrivez-les aaaa-mm-jj.",
    },
}


@dates_as_text.check_for("xlsx", messages=_XLSX_DATES)
def _dates_as_text_xlsx(r, facts, ctx):
    """Dates typed as text in the sheet Dataverse reads (tabcheck.workbook.textcells): stored as
    text there, dates once `fix` writes the sheet as a CSV (when their order is known)."""
    for sheet, trace, layout, col, _kept in _text_columns(facts):
        dates = {k: occ for k, occ in col.kinds.items() if k in _DATES}
        if not dates:
            continue
        # Other shapes (a decimal comma, 12 %) or numbers among them: fix leaves the column as it
        # is. A total row's label (`kept`) stays as written and the dates are written yyyy-mm-dd, as
        # in a CSV (the sheet's CSV is fixed as one: sheet_repairs.py).
        mixed = col.numbers > 0 or any(k not in _DATES and k != "missing-code" for k in col.kinds)
        variant, params = _date_order({k: occ.first.value for k, occ in dates.items()}, numbers=mixed)
        variant = {"default": "xlsx-dates-as-text", "kept": "xlsx-dates-kept"}.get(variant, f"xlsx-{variant}")
        yield _text_cells_finding(
            r, sheet, trace, layout, col, dates, variant, fixable=variant == "xlsx-dates-as-text", **params
        )


def _text_columns(facts):
    """(sheet, trace, layout, column, kept) of each column of numbers or dates typed as text in the
    sheet Dataverse reads, whose other texts, if any, lie in the rows the sheet's layout explains (a
    header under a title, notes, a row of totals): else the column is one of words. `kept`: the first
    of those texts `fix` keeps in the column (a total row's label: only titles and notes are moved
    out), which keeps the column text in the CSV too; None when there is none."""
    from tabcheck.rules.common import sheet_layout, usable_sheet
    from tabcheck.rules.totals import total_row_of

    wb, sheet = usable_sheet(facts)
    trace = wb.trace if wb is not None else None
    if sheet is None or trace is None or trace.failure or not trace.text_columns:
        return
    layout = sheet_layout(sheet)
    explained = _explained_rows(sheet, layout)
    total = total_row_of(sheet)
    for col in trace.text_columns:
        if all(s.row in explained for s in col.others.samples):
            kept = next((s for s in col.others.samples if total is not None and s.row == total[0]), None)
            yield sheet, trace, layout, col, kept


def _text_cells_finding(r, sheet, trace, layout, col, kinds, variant, fixable, **params):
    """A finding on the cells of some shapes (`kinds`: shape -> cells) of a column typed as text."""
    from tabcheck.rules.common import sheet_column_name
    from tabcheck.workbook.cells import column_letters

    name = sheet_column_name(trace, layout, col.column)
    cells = sorted((c for occ in kinds.values() for c in occ.samples), key=lambda c: c.row)[:5]
    first = cells[0]
    where = {"sheet": sheet.name, "column": col.column, "column_name": name or None}
    return r.finding(
        Location(cell=first.cell, row=first.row, **where),
        variant=variant,
        fixable=fixable,
        count=sum(occ.count for occ in kinds.values()),
        samples=[Location(cell=c.cell, row=c.row, **where) for c in cells],
        sheet=sheet.name,
        letter=column_letters(col.column),
        column_name=name or column_letters(col.column),
        example=first.value,
        cell=first.cell,
        **params,
    )


def _date_order(kinds: dict[str, str], numbers: bool) -> tuple[str, dict[str, str]]:
    """The variant of a workbook column's text dates by their shapes (kind -> first value), as the
    CSV's _dates_finding decides it: `default` when fix can write them (one order known, every value
    a plain date or every value a date with its time, no number among them), `kept` when not,
    `either-order` or `mixed-order` when the order is the question; and the order itself."""
    day = kinds.get("date-day-first") or kinds.get("date-time-day-first")
    month = kinds.get("date-month-first") or kinds.get("date-time-month-first")
    either = "date-either-order" in kinds or "date-time-either-order" in kinds
    timed = any(n in kinds for n in _DATE_TIMES)
    if day and month:
        return "mixed-order", {"day_first": day, "month_first": month}
    if not day and not month and either:
        return "either-order", {}
    if "date-like" in kinds or numbers or (timed and any(n in kinds for n in _PLAIN_DATES)):
        return "kept", {}
    return "default", {"order": ("mdy" if month else "dmy" if day else "ymd") + ("-time" if timed else "")}


def _dates_finding(r, v, col, found, impossible):
    """One finding for a column's dates not written yyyy-mm-dd: whether `fix` can write them so (the
    order of day and month known, every value one of the shapes it converts) and in which order."""
    samples = sorted(s for occ in found.values() for s in occ.samples)[:5]
    count = sum(occ.count for occ in found.values())
    day = found.get("date-day-first") or found.get("date-time-day-first")
    month = found.get("date-month-first") or found.get("date-time-month-first")
    either = "date-either-order" in found or "date-time-either-order" in found
    timed = any(n in found for n in _DATE_TIMES)
    others = set(col.evidence) - {*_DATES, "iso-date"}
    # Every value one fix can write (a number, NA among them, keeps the column text), dates with a
    # time or without one, not both (Dataverse would read neither as its type).
    convertible = (
        "date-like" not in found
        and not impossible
        and not col.had_numbers
        and not any(col.evidence[n] for n in others)
        and not (timed and (any(n in found for n in _PLAIN_DATES) or col.evidence.get("iso-date")))
    )
    variant, params = "default", {}
    if day and month:
        variant = "mixed-order"
        params = {"day_first": day.samples[0][1], "month_first": month.samples[0][1]}
    elif not day and not month and either:
        variant = "either-order"
    fixable = convertible and variant == "default"
    if fixable:
        params["order"] = ("mdy" if month else "dmy" if day else "ymd") + ("-time" if timed else "")
    return r.finding(
        Location(row=samples[0][0], column=col.index, column_name=col.name),
        variant=variant,
        fixable=fixable,
        count=count,
        samples=[Location(row=row, column=col.index, column_name=col.name) for row, _ in samples],
        column=col.index,
        column_name=col.name,
        rows=[row for row, _ in samples],
        example=samples[0][1],
        **params,
    )


@rule(
    code="TC405",
    name="leading-zeros",
    severity="warning",
    effect="degrades",
    summary={
        "en": "Codes with leading zeros in a column Dataverse will read as numbers.",
        "fr": "Des codes avec des zéros initiaux dans une colonne que Dataverse lira comme des nombres.",
    },
    rationale={
        "en": "Postcodes, INSEE codes or identifiers like 01234 are typed as numbers: their "
        "statistics are meaningless and tools that read the ingested file drop the zeros.",
        "fr": "Codes postaux, codes INSEE ou identifiants comme 01234 sont typés comme des "
        "nombres : leurs statistiques n'ont pas de sens et les outils qui lisent le fichier "
        "ingéré perdent les zéros.",
    },
    how_to_fix={
        "en": "Document the column as a code in the data description, or add a letter prefix "
        "(e.g. 'C01234') if it must stay text.",
        "fr": "Documentez la colonne comme un code dans la description des données, ou ajoutez "
        "un préfixe en lettres (par ex. « C01234 ») si elle doit rester du texte.",
    },
    messages={
        "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} with leading "
        "zeros (e.g. “{example}”, {rows:plural:row|rows} {rows}) will be read as "
        "{count:plural:a number|numbers}.",
        "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} avec des "
        "zéros initiaux (par ex. « {example} », {rows:plural:ligne|lignes} {rows}) "
        "{count:plural:sera lue comme un nombre|seront lues comme des nombres}.",
    },
)
def leading_zeros(r, facts, ctx):
    yield from _numeric_evidence(r, facts, "leading-zero", ("integer",))


@leading_zeros.check_for(
    "xlsx",
    messages={
        "xlsx-leading-zeros": {
            "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} text {count:plural:cell|cells} '
            "with leading zeros (e.g. “{example}” in {cell}) will be stored as {count:plural:a number|numbers}, "
            "without the zeros ({stored}).",
            "fr": "Feuille « {sheet} », colonne {letter} « {column_name} » : {count} "
            "{count:plural:cellule|cellules} de texte avec des zéros initiaux (par ex. « {example} » en "
            "{cell}) {count:plural:sera enregistrée comme un nombre|seront enregistrées comme des nombres}, "
            "sans les zéros ({stored}).",
        },
    },
)
def _leading_zeros_xlsx(r, facts, ctx):
    """Text cells (a postcode typed as text, as it should be) in a column Dataverse keeps numeric:
    its XLSX reader reads them as numbers, 01400 stored 1400.0 (tabcheck.workbook.strays)."""
    from tabcheck.rules.common import sheet_column_name, sheet_layout, usable_sheet
    from tabcheck.workbook.cells import column_letters

    wb, sheet = usable_sheet(facts)
    trace = wb.trace if wb is not None else None
    if sheet is None or trace is None or trace.failure:
        return
    layout = sheet_layout(sheet)
    for column, cells in sorted(trace.leading_zeros.items()):
        name = sheet_column_name(trace, layout, column)
        first = cells.samples[0]
        yield r.finding(
            Location(
                sheet=sheet.name, cell=first.cell, row=first.row, column=column, column_name=name or None
            ),
            variant="xlsx-leading-zeros",
            count=cells.count,
            samples=[
                Location(sheet=sheet.name, cell=c.cell, row=c.row, column=column, column_name=name or None)
                for c in cells.samples
            ],
            sheet=sheet.name,
            letter=column_letters(column),
            column_name=name or column_letters(column),
            example=first.value,
            cell=first.cell,
            stored=_stored_number(first.value),
        )


def _stored_number(text: str) -> str:
    """The number Dataverse stores for a numeric text, as a user would write it (01400 → 1400;
    Java's own `0123d` too)."""
    t = text.strip()
    t = t[:-1] if t[-1:] in ("d", "D", "f", "F") else t
    try:
        value = float(t)
    except ValueError:  # a form Java reads and Python does not: said as written
        return t
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _numeric_evidence(r, facts, evidence: str, types: tuple[str, ...]):
    """Findings for evidence counted among the numbers of columns Dataverse will type `types`."""
    v = user_view(facts)
    for col in v.columns if v is not None else ():
        occ = col.evidence.get(evidence)
        if occ and col.type in types:
            yield _finding(r, v, col, occ)


@rule(
    code="TC406",
    name="dates-as-numbers",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    repair="sheets-to-csv",
    summary={"en": "Dates will become numbers.", "fr": "Les dates deviendront des nombres."},
    rationale={
        "en": "Excel stores a date as a day count; Dataverse's XLSX reader keeps that number "
        "(25/12/2020 becomes 44190.0) and loses the date format.",
        "fr": "Excel enregistre une date comme un nombre de jours ; le lecteur XLSX de Dataverse "
        "garde ce nombre (25/12/2020 devient 44190.0) et perd le format de date.",
    },
    how_to_fix={
        "en": "Convert the sheet to CSV with `tabcheck fix` (dates are written as 2020-12-25), "
        "or format the column as text in YYYY-MM-DD form.",
        "fr": "Convertissez la feuille en CSV avec `tabcheck fix` (les dates sont écrites "
        "2020-12-25), ou mettez la colonne au format texte AAAA-MM-JJ.",
    },
    messages={
        "default": {
            "en": 'Sheet "{sheet}", column {letter} ("{name}"): {count_cells} '
            "{count_cells:plural:date|dates} will be ingested as day numbers "
            "({count_cells:plural:cell|first cells}: {cells}).",
            "fr": "Feuille « {sheet} », colonne {letter} (« {name} ») : {count_cells} "
            "{count_cells:plural:date sera ingérée comme un nombre|dates seront ingérées comme des "
            "nombres} de jours ({count_cells:plural:cellule|premières cellules} : {cells}).",
        },
        "times": {
            "en": 'Sheet "{sheet}", column {letter} ("{name}"): {count_cells} '
            "{count_cells:plural:time of day|times of day} will be ingested as fractions of a day "
            "(e.g. {example} for {time}; {count_cells:plural:cell|first cells}: {cells}).",
            "fr": "Feuille « {sheet} », colonne {letter} (« {name} ») : {count_cells} "
            "{count_cells:plural:heure de la journée sera ingérée comme une fraction|heures de la journée "
            "seront ingérées comme des fractions} de jour (par ex. {example} pour {time} ; {count_cells:plural:cellule|premières "
            "cellules} : {cells}).",
        },
    },
)
def dates_as_numbers(rule_, facts, ctx):
    from tabcheck.workbook.cells import column_letters

    sheet = read_sheet(facts)
    if sheet is None:
        return
    for column in sorted(sheet.date_cells):
        tally = sheet.date_cells[column]
        where = {"letter": column_letters(column), "name": header_name(sheet, column) or ""}
        fractions = [_day_fraction(s.value) for s in tally.samples]
        if fractions and all(f is not None for f in fractions):
            # A time of day alone (09:30) is a fraction of a day: not a day number.
            f = tally_finding(rule_, sheet, tally, **where, example=tally.samples[0].value, time=fractions[0])
            f.variant = "times"
            yield f
        else:
            yield tally_finding(rule_, sheet, tally, **where)


def _day_fraction(value: str) -> str | None:
    """hh:mm:ss of a serial value below one day (a time of day alone), else None."""
    try:
        x = float(value)
    except ValueError:
        return None
    if not 0 <= x < 1:
        return None
    seconds = round(x * 86400)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@rule(
    code="TC407",
    name="formula-without-value",
    severity="blocker",
    effect="degrades",
    formats=XLSX,
    summary={
        "en": "Formulas whose results are not saved in the file.",
        "fr": "Des formules dont le résultat n'est pas enregistré dans le fichier.",
    },
    rationale={
        "en": "Dataverse does not compute formulas: it stores the result saved with each formula "
        "in the file. Programs that write workbooks without computing them save no result "
        "(openpyxl, and pandas through it: the cells arrive empty) or save 0 for every formula "
        "whose result they were not given (xlsxwriter: the cells arrive as 0), and ask for a "
        "recalculation on opening. Excel shows the right numbers; Dataverse stores empty "
        "cells or zeros. Results the writing program did supply are taken as they are.",
        "fr": "Dataverse ne calcule pas les formules : il enregistre le résultat sauvegardé "
        "avec chaque formule dans le fichier. Les programmes qui écrivent des classeurs sans "
        "les calculer ne sauvegardent aucun résultat (openpyxl, et pandas qui l'utilise : "
        "les cellules arrivent vides) ou sauvegardent 0 pour chaque formule dont on ne leur a "
        "pas donné le résultat (xlsxwriter : les cellules arrivent à 0), et demandent un "
        "recalcul à l'ouverture. Excel affiche les bons nombres ; Dataverse enregistre "
        "des cellules vides ou des zéros. Les résultats fournis par le programme sont pris "
        "tels quels.",
    },
    how_to_fix={
        "en": "Open the workbook in Excel (it recalculates on opening) or LibreOffice (Ctrl+Shift+F9 "
        "recalculates every formula), check the results and save it; or replace the formulas "
        "by their values (Paste special → Values). `tabcheck fix` does not compute formulas: "
        "the CSV it writes keeps the same empty cells or zeros.",
        "fr": "Ouvrez le classeur dans Excel (qui recalcule à l'ouverture) ou LibreOffice "
        "(Ctrl+Maj+F9 recalcule toutes les formules), vérifiez les résultats et "
        "enregistrez-le ; ou remplacez les formules par leurs valeurs (Collage spécial → "
        "Valeurs). `tabcheck fix` ne calcule pas les formules : le CSV qu'il écrit garde "
        "les mêmes cellules vides ou zéros.",
    },
    messages={
        "default": {
            "en": 'Sheet "{sheet}": no saved formula result in {cell_range} (cell count: '
            "{count_cells}, including {cells}); Dataverse will store an empty value in place of "
            "each result the sheet shows.",
            "fr": "Feuille « {sheet} » : aucun résultat de formule enregistré dans "
            "{cell_range} (nombre de cellules : {count_cells}, dont {cells}) ; Dataverse "
            "enregistrera une valeur vide à la place de chaque résultat affiché par la feuille.",
        },
        "not-computed": {
            "en": 'Sheet "{sheet}": each formula in {cell_range} stores 0 as its result (cell '
            "count: {count_cells}, including {cells}) because the program that wrote the file "
            "does not compute formulas (it asks for a recalculation on opening); Dataverse will "
            "store 0 in place of each result the sheet shows.",
            "fr": "Feuille « {sheet} » : chaque formule de {cell_range} a 0 pour résultat "
            "enregistré (nombre de cellules : {count_cells}, dont {cells}), car le programme "
            "qui a écrit le fichier ne calcule pas les formules (il demande un recalcul à "
            "l'ouverture) ; Dataverse enregistrera 0 à la place de chaque résultat affiché "
            "par la feuille.",
        },
    },
)
def formula_without_value(rule_: Rule, facts: FileFacts, ctx: Context) -> Iterator[Finding]:
    wb, sheet = workbook_of(facts), read_sheet(facts)
    if wb is None or sheet is None:
        return
    if sheet.formulas_without_value:
        yield _formula_finding(rule_, sheet, sheet.formulas_without_value, sheet.formulas_without_value_area)
    if _results_not_computed(wb, sheet):
        yield _formula_finding(
            rule_, sheet, sheet.formula_zero_values, sheet.formula_zero_area, variant="not-computed"
        )


# Spreadsheet programs compute the formulas they save: their results stand even if the file
# asks for a recalculation on opening. (xlsxwriter calls itself "Microsoft Excel": the application
# alone never shows that the results were computed.)
_COMPUTING_APPLICATIONS = ("libreoffice", "openoffice", "gnumeric")


def _results_not_computed(wb: WorkbookFacts, sheet: SheetFacts) -> bool:
    """The stored formula results are a writer's placeholders (xlsxwriter's zeros), not results.

    All of: every formula storing a result stores 0, the workbook asks for a full recalculation on
    opening (`<calcPr fullCalcOnLoad="1">`), it has no calculation chain (Excel writes one when it
    has computed the formulas), and no spreadsheet program is named as its application. A result
    the writing program gave (`write_formula(..., value=24)`) is trusted: one non-zero result is
    enough to take them all as given.
    """
    application = (wb.application or "").lower()
    return (
        sheet.formula_values_all_zero
        and wb.full_calc_on_load
        and not wb.has_calc_chain
        and not any(name in application for name in _COMPUTING_APPLICATIONS)
    )


def _formula_finding(
    rule_: Rule,
    sheet: SheetFacts,
    tally: Occurrences[CellSample],
    area: CellBox,
    variant: str = "default",
) -> Finding:
    from tabcheck.workbook.cells import cell_ref

    first = cell_ref(area.first_column, area.first_row)
    last = cell_ref(area.last_column, area.last_row)
    finding: Finding = tally_finding(
        rule_,
        sheet,
        tally,
        variant=variant,
        cell_range=first if first == last else f"{first}:{last}",
        formulas=sheet.formula_cells.count,
    )
    return finding


@rule(
    code="TC408",
    name="error-cells",
    severity="warning",
    effect="degrades",
    formats=XLSX,
    summary={
        "en": "Cells show a formula error (#DIV/0!, #N/A, …).",
        "fr": "Des cellules affichent une erreur de formule (#DIV/0!, #N/A, …).",
    },
    rationale={
        "en": "Dataverse ingests the error text itself, which turns the whole column into text.",
        "fr": "Dataverse ingère le texte de l'erreur, ce qui transforme toute la colonne en texte.",
    },
    how_to_fix={
        "en": "Correct the formulas, or empty these cells if the value is missing.",
        "fr": "Corrigez les formules, ou videz ces cellules si la valeur est manquante.",
    },
    messages={
        "en": 'Sheet "{sheet}": {count_cells} error {count_cells:plural:cell|cells} ({cells}), '
        "{count_cells:plural:showing|e.g.} {first_value}.",
        "fr": "Feuille « {sheet} » : {count_cells} {count_cells:plural:cellule|cellules} en erreur "
        "({cells}), {count_cells:plural:valeur|par ex.} « {first_value} ».",
    },
)
def error_cells(rule_, facts, ctx):
    sheet = read_sheet(facts)
    if sheet is not None and sheet.error_cells.count:
        yield tally_finding(rule_, sheet, sheet.error_cells, first_value=sheet.error_cells.samples[0].value)


@error_cells.check_for(
    "csv",
    "tsv",
    messages={
        "text-values": {
            "en": "Column {column} “{column_name}”: {count} formula error {count:plural:value|values} exported "
            "as text (e.g. “{example}”, {rows:plural:row|rows} {rows}): the column will be text.",
            "fr": "Colonne {column} « {column_name} » : {count} {count:plural:erreur|erreurs} de formule "
            "{count:plural:exportée|exportées} comme texte (par ex. « {example} », "
            "{rows:plural:ligne|lignes} {rows}) : la colonne sera du texte.",
        },
    },
)
def _error_values(rule_, facts, ctx):
    """A CSV exported from a sheet keeps its failed formulas as text (#DIV/0!, #N/A): one such value
    makes a numeric column text."""
    for v, col, _name, occ in _columns_with(facts, ("spreadsheet-error",)):
        yield _finding(rule_, v, col, occ, variant="text-values")


@rule(
    code="TC411",
    name="text-among-numbers",
    severity="warning",
    effect="degrades",
    formats=("csv", "tsv"),
    summary={
        "en": "A few values that are not numbers (a range 5-10, ~3, a typo, a remark; in a sheet, a code "
        "such as n/a) in a column of numbers.",
        "fr": "Quelques valeurs qui ne sont pas des nombres (un intervalle 5-10, ~3, une faute de frappe, "
        "une remarque ; dans une feuille, un code comme n/a) dans une colonne de nombres.",
    },
    rationale={
        "en": "Dataverse types a column as numbers only when every value is one: a single word among "
        "thousands of numbers makes the whole column text, with no statistics, the values sorted as words.",
        "fr": "Dataverse ne type une colonne en nombres que si chaque valeur en est un : un seul mot parmi "
        "des milliers de nombres fait de toute la colonne du texte, sans statistiques, avec un tri "
        "alphabétique.",
    },
    how_to_fix={
        "en": "Correct these values: write the number, or leave the cell empty (or NA) and put the remark "
        "or the range in a column of its own.",
        "fr": "Corrigez ces valeurs : écrivez le nombre, ou laissez la cellule vide (ou NA) et notez la "
        "remarque ou l'intervalle dans une colonne à part.",
    },
    messages={
        "en": "Column {column} “{column_name}”: {count} {count:plural:value is|values are} not "
        "{count:plural:a number|numbers} ({values}, {rows:plural:row|rows} {rows}) among {numbers} "
        "numbers: the column will be text.",
        "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur n'est pas un "
        "nombre|valeurs ne sont pas des nombres} ({values}, {rows:plural:ligne|lignes} {rows}) parmi "
        "{numbers} nombres : la colonne sera du texte.",
    },
)
def text_among_numbers(r, facts, ctx):
    """The few values no evidence explains that make a column of numbers text (the others' rules
    say theirs)."""
    from tabcheck.rules.common import repeated_header

    v = user_view(facts)
    again = {c.index for c in repeated_header(v)[0]} if v is not None else set()
    for col in v.columns if v is not None else ():
        if stray_text_column(v, col) and col.index not in again:  # second-header-row says the others
            occ = col.unexplained_text
            yield _finding(
                r,
                v,
                col,
                occ,
                values=[Quoted(s[1]) for s in occ.samples[:STRAY_SHOWN]],
                numbers=numbers_in(col),
            )


STRAY_SHOWN = 3


@text_among_numbers.check_for(
    "xlsx",
    messages={
        "xlsx-stray-text": {
            "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} {count:plural:cell holds|cells '
            "hold} text ({values}, in {cells}) among {numbers} numbers: Dataverse will type the whole "
            "column as text.",
            "fr": "Feuille « {sheet} », colonne {letter} « {column_name} » : {count} "
            "{count:plural:cellule contient|cellules contiennent} du texte ({values}, en {cells}) parmi "
            "{numbers} nombres : Dataverse typera toute la colonne en texte.",
        },
        "xlsx-codes": {
            "en": 'Sheet "{sheet}", column {letter} “{column_name}”: {count} cells hold text ({values}, first in '
            "{cells}) among {numbers} numbers: Dataverse will type the whole column as text.",
            "fr": "Feuille « {sheet} », colonne {letter} « {column_name} » : {count} cellules contiennent du texte "
            "({values}, d'abord en {cells}) parmi {numbers} nombres : Dataverse typera toute la colonne en texte.",
        },
    },
)
def _text_among_numbers_xlsx(r, facts, ctx):
    """In the sheet Dataverse reads, a column of numbers with a few text cells (n/a, <0,5, 1,5
    typed as text, a remark): the scan's second pass counts them (tabcheck.workbook.strays). A
    units row under the header is second-header-row's."""
    from tabcheck.rules.common import sheet_column_name, sheet_layout, usable_sheet
    from tabcheck.workbook.cells import column_letters

    wb, sheet = usable_sheet(facts)
    trace = wb.trace if wb is not None else None
    if sheet is None or trace is None or trace.failure:
        return
    layout = sheet_layout(sheet)
    again = {c for c, _ in sheet_repeated_header(wb, sheet)[0]}  # second-header-row says them
    for stray, counts, samples, few in _said_strays(wb, sheet, trace, layout):
        if stray.column in again:
            continue
        total = sum(counts.values())
        name = sheet_column_name(trace, layout, stray.column)
        if few:  # a few words, each shown with its cell
            variant = "xlsx-stray-text"
        else:  # a code (n/a, ND) many times: each text once, with its first cell
            variant = "xlsx-codes"
            samples = sorted((stray.firsts[v] for v in counts), key=lambda c: c.row)
        first = samples[0]
        yield r.finding(
            Location(
                sheet=sheet.name,
                cell=first.cell,
                row=first.row,
                column=stray.column,
                column_name=name or None,
            ),
            variant=variant,
            count=total,
            samples=[
                Location(sheet=sheet.name, cell=s.cell, row=s.row, column=s.column, column_name=name or None)
                for s in samples[:STRAY_SHOWN]
            ],
            sheet=sheet.name,
            letter=column_letters(stray.column),
            column_name=name or column_letters(stray.column),
            values=[Quoted(s.value) for s in samples[:STRAY_SHOWN]],
            cells=[s.cell for s in samples[:STRAY_SHOWN]],
            numbers=stray.numbers,
        )


def _said_strays(wb, sheet, trace, layout):
    """(stray column, its texts' counts, samples, whether few) of each column text-among-numbers
    says in a sheet: a few words at ten numbers each, or missing-value codes numbers outnumber;
    not a units row's, nor the texts of the rows other findings say (a value met once, there)."""
    from tabcheck.rules.common import xlsx_units_row

    units = xlsx_units_row(wb, sheet)
    units_columns = {c for c, _ in units[1]} if units is not None else set()
    explained = _explained_rows(sheet, layout)
    for stray in sorted(trace.strays, key=lambda s: s.column):
        if stray.column in units_columns:
            continue
        counts = {v: n for v, n in stray.values.items() if not (n == 1 and stray.firsts[v].row in explained)}
        total = sum(counts.values())
        samples = [s for s in stray.texts.samples if s.row not in explained]
        few = total <= STRAY_TEXTS and total <= len(samples)
        if not total or (stray.numbers < STRAY_RATIO * total if few else not _codes(counts, stray.numbers)):
            continue
        yield stray, counts, samples, few


def sheet_repeated_header(wb, sheet) -> tuple[list[tuple[int, str]], list]:
    """([(column, name)], cells of the first column) when the header comes back inside the sheet's
    table (tables put end to end): two columns of numbers at least whose only stray texts are their
    own name, in the same rows. Else ([], [])."""
    from tabcheck.rules.common import sheet_column_name, sheet_layout

    trace = wb.trace if wb is not None else None
    if sheet is None or trace is None or trace.failure:
        return [], []
    layout = sheet_layout(sheet)
    found: list[tuple[int, str]] = []
    rows: list[int] | None = None
    cells: list = []
    for stray, counts, samples, few in _said_strays(wb, sheet, trace, layout):
        name = (sheet_column_name(trace, layout, stray.column) or "").strip()
        if not name or not few or any(v.strip() != name for v in counts):
            continue
        these = sorted(s.row for s in samples)
        if rows is None:
            rows, cells = these, sorted(samples, key=lambda s: s.row)
        if these == rows:
            found.append((stray.column, name))
    return (found, cells) if len(found) >= 2 else ([], [])


CODE_KINDS = 3  # texts a column of numbers with missing-value codes holds (n/a, ND, NSP)


def _codes(counts: dict[str, int], numbers: int) -> bool:
    """Texts of a few kinds, many times, in a column whose cells are mostly numbers: codes for a
    missing value (n/a, ND, "ne sait pas"), each of which Dataverse reads as text. A few stray
    words want ten numbers each (STRAY_RATIO); codes only that numbers outnumber them."""
    return len(counts) <= CODE_KINDS and numbers > sum(counts.values())


def _explained_rows(sheet, layout) -> set[int]:
    """The rows whose text cells other rules say: a title and the author's header under it (the
    header becomes an observation), the notes under the table, a row of totals."""
    from tabcheck.rules.totals import total_row_of

    rows: set[int] = set()
    if layout is not None:
        if layout.title is not None:
            rows |= {layout.title.number, layout.header.number}
        rows |= {n.number for n in layout.notes}
    total = total_row_of(sheet)
    if total is not None:
        rows.add(total[0])
    return rows


@rule(
    code="TC410",
    name="times-as-dates",
    severity="warning",
    effect="degrades",
    repair="iso-time",
    summary={
        "en": "Dates with a time of day Dataverse reads as dates only (2020-12-25 14:30).",
        "fr": "Des dates suivies d'une heure que Dataverse lit comme de simples dates (2020-12-25 14:30).",
    },
    rationale={
        "en": "Dataverse reads a date and its time of day only written yyyy-mm-dd hh:mm:ss, every value "
        "so. A column whose values only start with a date (2020-12-25 14:30, 2020-12-25T14:30:00) "
        "becomes a date variable: the values are kept as written, but the time of day is left out of "
        "the variable's type, of its UNF fingerprint and of what tools reading it as dates see.",
        "fr": "Dataverse ne lit une date et son heure que sous la forme aaaa-mm-jj hh:mm:ss, toutes les "
        "valeurs ainsi. Une colonne dont les valeurs ne font que commencer par une date "
        "(2020-12-25 14:30, 2020-12-25T14:30:00) devient une variable de dates : les valeurs sont "
        "gardées telles quelles, mais l'heure est ignorée par le type de la variable, par son empreinte "
        "UNF et par les outils qui la lisent comme des dates.",
    },
    how_to_fix={
        "en": "Write every value yyyy-mm-dd hh:mm:ss (2020-12-25 14:30:00), or the date alone if the "
        "time does not matter. `tabcheck fix` writes them so when every value of the column is a date "
        "with its time.",
        "fr": "Écrivez chaque valeur sous la forme aaaa-mm-jj hh:mm:ss (2020-12-25 14:30:00), ou la date "
        "seule si l'heure ne compte pas. `tabcheck fix` les écrit ainsi quand chaque valeur de la colonne "
        "est une date suivie de son heure.",
    },
    messages={
        "en": "Column {column} “{column_name}”: {count} {count:plural:value|values} like “{example}” "
        "({rows:plural:row|rows} {rows}) will be read as {count:plural:a date|dates}: Dataverse leaves "
        "out the time of day (it reads one only in yyyy-mm-dd hh:mm:ss).",
        "fr": "Colonne {column} « {column_name} » : {count} {count:plural:valeur|valeurs} "
        "comme « {example} » ({rows:plural:ligne|lignes} {rows}) {count:plural:sera lue comme "
        "une date|seront lues comme des dates} : Dataverse ignore l'heure (il ne la lit que sous la "
        "forme aaaa-mm-jj hh:mm:ss).",
    },
)
def times_as_dates(r, facts, ctx):
    v = user_view(facts)
    if v is None:
        return
    for col in v.columns:
        if col.type == "date" and col.dated_times:
            yield _finding(r, v, col, col.dated_times)


@hookimpl
def tabcheck_rules():
    return provide(globals())
