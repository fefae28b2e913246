"""The text table's repairs applied to a sheet's CSV, in the same run.

A sheet's cells are written as the user sees them (xlsxfix.py): a date typed as text stays
`25/12/2020`, a number pasted as text stays `12,5`, a `null` typed among numbers stays `null`. The
same values in a CSV are repaired by `fix` (iso-date, decimal-point, empty-null, iso-time); in a
workbook they were left for a second run of `fix` on its own output, and the first run ended
saying that Dataverse would still alter the copy. Here the sheet's verified CSV is checked as a
text table, and when the check plans one of those repairs, the CSV is rewritten by the text
table's own fix (fix_csv) into a temporary folder beside it, verified cell by cell against it,
and only then put in its place. Each output is thus verified twice: the sheet against the first
CSV, the first CSV against the second after the declared changes. A repair the text fix refuses
or cannot verify leaves the first CSV as it is, and says why.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tabcheck.fix.manifest import FileManifest, LeftAsIs, Output
from tabcheck.patterns import two_readings

if TYPE_CHECKING:
    from tabcheck.checker import Settings
    from tabcheck.facts import FileFacts
    from tabcheck.model import Finding

# The repairs that change values (a column's type in Dataverse), planned from the findings.
VALUE_REPAIRS = frozenset({"decimal-point", "empty-null", "iso-date", "iso-time"})


def repair_sheet_csv(output: Output, manifest: FileManifest, settings: Settings) -> None:
    """Apply the value repairs the check plans for `output` (a sheet's verified CSV), each declared
    in `manifest` with its sheet."""
    from tabcheck.checker import Settings, facts_for, run_rules
    from tabcheck.dataverse.profiles import profile_for
    from tabcheck.discover import Candidate
    from tabcheck.facts import Context
    from tabcheck.fix.csvfix import FixOptions, fix_csv
    from tabcheck.fix.names import OutputNames
    from tabcheck.fix.repairs import plan_for
    from tabcheck.guard import OutputGuard, current
    from tabcheck.plugins import all_rules
    from tabcheck.sniff import SAMPLE_SIZE

    path = output.path
    cand = Candidate(path, path.name, explicit=True)
    given = Settings(target=settings.target, encoding="utf-8", delimiter=",")
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_SIZE)
    facts = facts_for(cand, "csv", head, path.stat().st_size, given)
    ctx = Context(target=settings.target, profile=profile_for(settings.target.dataverse))
    rules = all_rules()
    wanted = [
        f
        for f in run_rules(facts, ctx, Settings(target=settings.target))
        if f.rule in rules and rules[f.rule].repair in VALUE_REPAIRS
    ]
    # A column where the sheet has numbers with a fractional part, written 1.125: beside a text
    # 0,5 the text fix would read that point as a thousands separator (1125), and beside 95 467 it
    # cannot tell (1.125 or 1125?) and refuses the sheet. Left as written.
    risky = {
        f.location.column - 1: f
        for f in wanted
        if f.rule in ("decimal-comma", "thousands-separators")
        and f.location.column
        and f.location.column - 1 in output.fraction_columns
    }
    for column in sorted(risky):
        manifest.left.append(_beside_numbers(output, risky[column]))
    manifest.left.extend(_one_comma_columns(output, facts))
    wanted = [f for f in wanted if not (f.location.column and f.location.column - 1 in risky)]
    if not wanted or not (plan_for(wanted)[1] & VALUE_REPAIRS):
        return
    stage = FileManifest(source=str(path))
    with tempfile.TemporaryDirectory(prefix=".tabcheck-", dir=path.parent) as scratch:
        names = OutputNames(Path(scratch))
        names.register(path, Path(path.name))
        with OutputGuard(inputs=[path], force=True).active():  # this stage's own: its input is the CSV
            fix_csv(path, facts, wanted, names, stage, FixOptions(force=True), "utf-8")
        repaired = stage.outputs[0] if len(stage.outputs) == 1 else None
        if stage.refused is not None or repaired is None or not stage.verified:
            manifest.left.append(_left_as_written(stage, output))
            return
        guard = current()
        if guard is not None:
            guard.replacing(path)  # raises unless this run wrote it
        os.replace(repaired.path, path)
        output.rows = repaired.rows  # the text fix may drop rows of empty cells (declared)
    for tr in stage.transformations:
        tr.sheet = output.sheet
        manifest.transformations.append(tr)
    manifest.left.extend(_in_output(left, output) for left in stage.left)


def _in_output(left: LeftAsIs, output: Output) -> LeftAsIs:
    """A repair the text fix withdrew, said of the sheet's CSV: its line numbers are the CSV's."""
    sheet = f" (sheet “{output.sheet}”)" if output.sheet else ""
    sheet_fr = f" (feuille «\u00a0{output.sheet}\u00a0»)" if output.sheet else ""
    return LeftAsIs(
        left.repair,
        left.where,
        f"{output.path.name}{sheet}: {left.message}",
        f"{output.path.name}{sheet_fr}\u00a0: {left.message_fr}",
        code=left.code,
        blocker=left.blocker,
        output=output.path,
    )


def _one_comma_columns(output: Output, facts: FileFacts) -> list[LeftAsIs]:
    """Columns of numbers typed as text with one comma and three digits (79,261) and nothing else
    of the kind: 79.261 or 79261? The workbook's check said it cannot tell (decimal-comma); the
    CSV, a comma file, would read a thousands separator (numbers-as-text). Said as left."""
    view = facts.table.user if facts.table is not None else None
    left = []
    sheet = output.sheet or ""
    for col in view.columns if view is not None else ():
        one = col.evidence.get("comma-one-group")
        if not one or col.evidence.get("comma-grouped") or col.evidence.get("decimal-comma"):
            continue
        value = one.first[1].strip(" \t") if one.first else ""
        readings = two_readings(value)
        left.append(
            LeftAsIs(
                "decimal-point",
                col.name,
                f"Sheet “{sheet}”, column “{col.name}”: the numbers typed as text such as “{value}” stay "
                f"as written: {readings[0]} or {readings[1]}, nothing says which. Type them as numbers "
                "in the workbook.",
                f"Feuille «\u00a0{sheet}\u00a0», colonne «\u00a0{col.name}\u00a0»\u00a0: les nombres saisis "
                f"comme du texte tels que «\u00a0{value}\u00a0» restent tels quels\u00a0: {readings[0]} ou "
                f"{readings[1]}, rien ne dit lequel. Saisissez-les comme des nombres dans le classeur.",
                code="TC401",
                blocker=True,
                output=output.path,
            )
        )
    return left


def _beside_numbers(output: Output, finding: Finding) -> LeftAsIs:
    """Numbers typed as text with a decimal comma in a column whose numbers have decimals."""
    name = finding.location.column_name or str(finding.location.column)
    sheet = output.sheet or ""
    if finding.rule == "thousands-separators":
        return LeftAsIs(
            "decimal-point",
            name,
            f"Sheet “{sheet}”, column “{name}”: the numbers typed as text with thousands separators stay "
            "as written beside numbers with decimals (written with a point), where a point between "
            "thousands cannot be told from a decimal one. Type them as numbers in the workbook.",
            f"Feuille «\u00a0{sheet}\u00a0», colonne «\u00a0{name}\u00a0»\u00a0: les nombres saisis comme "
            "du texte avec un séparateur de milliers restent tels quels à côté de nombres à décimales "
            "(écrits avec un point), où un point entre les milliers ne se distingue pas d'un point "
            "décimal. Saisissez-les comme des nombres dans le classeur.",
        )
    return LeftAsIs(
        "decimal-point",
        name,
        f"Sheet “{sheet}”, column “{name}”: the numbers typed as text with a decimal comma stay as "
        "written, since beside numbers with decimals (written with a point) which mark is decimal "
        "in each text cannot be known for sure. Type them as numbers in the workbook.",
        f"Feuille «\u00a0{sheet}\u00a0», colonne «\u00a0{name}\u00a0»\u00a0: les nombres saisis comme du "
        "texte avec une virgule décimale restent tels quels, car à côté de nombres à décimales "
        "(écrits avec un point), on ne peut pas savoir à coup sûr quel signe est décimal dans chaque "
        "cellule de texte. Saisissez-les comme des nombres dans le classeur.",
    )


def _left_as_written(stage: FileManifest, output: Output) -> LeftAsIs:
    """Why the sheet's CSV keeps its values as written (the text fix refused or failed)."""
    sheet = output.sheet
    en_where = f" of sheet “{sheet}”" if sheet else ""
    fr_where = f" de la feuille «\u00a0{sheet}\u00a0»" if sheet else ""
    if stage.refused is not None:
        why, why_fr = stage.refused.message, stage.refused.message_fr
    else:
        detail = next(
            (o.verification.detail for o in stage.outputs if o.verification and o.verification.detail),
            stage.error or "no output",
        )
        why = f"the repaired copy did not verify ({detail})"
        why_fr = f"la copie réparée n'a pas pu être vérifiée ({detail})"
    return LeftAsIs(
        "sheet-repairs",
        sheet or None,
        f"The values{en_where} are written as in the workbook, not repaired: {why}",
        f"Les valeurs{fr_where} sont écrites comme dans le classeur, sans réparation\u00a0: {why_fr}",
    )
