"""What Dataverse's XLSX reader makes of a workbook, predicted from the facts read by `tabcheck.workbook`.

The reader (XLSXFileReader, the same in 6.6, 6.7 and 6.8) streams the part at relationship rId1
through a SAX handler: the first row element is the header and its `spans` gives the column
count; every later row element is an observation written to a TAB-separated temporary file, which a
second pass reads back line by line. The trace in the facts holds what the handler saw; this module
turns it into the outcome, the exact message, the variables and their types.
"""

from __future__ import annotations

import re

from tabcheck.dataverse.profiles import Profile
from tabcheck.dataverse.saving import db_save_failure
from tabcheck.facts import FileFacts
from tabcheck.facts.workbook import IngestTrace, WorkbookFacts
from tabcheck.model import ColumnPrediction, Location, Outcome, Prediction
from tabcheck.workbook.cells import MAX_DATAVERSE_COLUMNS, column_letters, java_double

PARSE = "Could not parse Excel/XLSX spreadsheet. {0}"
NO_ROWS = "No rows of data found in the Excel (XLSX) file."
ONLY_ONE_ROW = "Only one row of data (column name header?) detected in the Excel (XLSX) file."
MISMATCH = "Reading mismatch, line {0} during the second pass: {1} delimited values expected, {2} found."
# Bundle key xlsxfilereader.ioexception.linecount (not yet observed on a real server).
LINE_COUNT = "Mismatch between line counts in first and final passes!"
NUMERIC_REPARSE = "Failed to parse a value recognized as numeric in the first pass! column: {0}, value: {1}"
# POI's OLE2NotOfficeXmlFileException, for an encrypted workbook or a .xls file named .xlsx.
OLE2 = (
    "The supplied data appears to be in the OLE2 Format. You are calling the part of POI that deals "
    "with OOXML (Office Open XML) Documents. You need to call a different part of POI to process this "
    "data (eg HSSF instead of XSSF)"
)
EMPTY_SHEET_NPE = (
    'Cannot invoke "java.lang.Long.intValue()" because the return value of '
    '"edu.harvard.iq.dataverse.DataTable.getVarQuantity()" is null'
)

# The same messages from a French-speaking installation (community language pack).
FRENCH = {
    PARSE: "Impossible d'analyser la feuille de calcul Excel/XLSX. {0}",
    NO_ROWS: "Aucune ligne de données trouvée dans le fichier Excel (XLSX)",
    ONLY_ONE_ROW: "Une seule ligne de données (peut-être l'en-tête de nom de colonne ?) a été détectée "
    "dans le fichier Excel (XLSX)",
    MISMATCH: "Incompatibilité de lecture pour la ligne {0} lors de la relecture du fichier : "
    "{1} valeurs délimitées attendues, {2} trouvées.",
}

_RENAMED_CHARS = re.compile(r"[ _\t\n\r]")
_MISSING = {".", "", "na"}
_SPECIAL = {"nan", "inf", "+inf", "-inf", "null"}


def variable_name(raw: str | None, index: int) -> str | None:
    """The name Dataverse gives column `index` (0-based): empty -> column letter, then spaces,
    underscores, TAB, CR and LF removed. None when it cannot name it (beyond ZZ)."""
    if raw is None or raw == "":
        if index >= MAX_DATAVERSE_COLUMNS:
            return None
        raw = column_letters(index + 1)
    return _RENAMED_CHARS.sub("", raw)


def predict_xlsx(facts: FileFacts | WorkbookFacts, profile: Profile | None = None) -> Prediction:
    """The prediction for an .xlsx file (`facts` is a FileFacts with `.workbook`, or WorkbookFacts)."""
    wb = facts.workbook if isinstance(facts, FileFacts) else facts
    if _is_ole2(facts, wb):  # an encrypted workbook, or a .xls renamed: POI refuses the container
        return Prediction(Outcome.FAILS, PARSE.format(OLE2))
    if wb is None:
        return Prediction(Outcome.FAILS, None)
    if wb.corrupt is not None:
        return Prediction(Outcome.FAILS, _corrupt_message(wb))
    sheet = wb.read_sheet
    sheet_name = sheet.name if sheet else None
    if wb.rid1_type is None:
        return Prediction(Outcome.FAILS, PARSE.format("No Sheet found with r:id rId1"), sheet=sheet_name)
    trace = wb.trace
    if trace is None or (wb.rid1_target and sheet is not None and sheet.kind == "missing"):
        return Prediction(
            Outcome.FAILS, PARSE.format("No data found for Sheet with r:id rId1"), sheet=sheet_name
        )
    where = Location(sheet=sheet_name, cell=trace.failure_cell, row=trace.failure_row)
    if trace.failure is not None:
        return Prediction(Outcome.FAILS, PARSE.format(trace.failure), sheet=sheet_name, real_location=where)
    if trace.failure_offset is not None:  # malformed XML before any handler error: parser's own text
        return Prediction(Outcome.FAILS, None, sheet=sheet_name)
    if trace.has_sheet_data and trace.declared_width is None:
        return Prediction(Outcome.FAILS, PARSE.format(EMPTY_SHEET_NPE), sheet=sheet_name)
    cases = trace.cases if trace.has_sheet_data else None
    if cases is None or cases < 1:
        message = NO_ROWS if not trace.declared_width else ONLY_ONE_ROW
        return Prediction(Outcome.FAILS, message, sheet=sheet_name)
    failure = second_pass_failure(trace)
    if failure is not None:
        message, row = failure
        return Prediction(
            Outcome.FAILS, message, sheet=sheet_name, real_location=Location(sheet=sheet_name, row=row)
        )
    width = trace.declared_width
    assert width is not None, "a sheet with data and no width has returned above"
    columns = [
        ColumnPrediction(
            variable_name(trace.header[i] if i < len(trace.header) else None, i) or "",
            "continuous" if trace.numeric[i] else "character",
        )
        for i in range(width)
    ]
    # No cell holds a line break here (the second pass refused it): the re-read of the .tab file
    # cannot fail, the database save can (a name blank once renamed, or over 255 characters).
    saved = db_save_failure(c.name for c in columns)
    if saved is not None:
        cell = f"{column_letters(saved[1] + 1)}{trace.header_row or 1}"
        return Prediction(
            Outcome.FAILS,
            saved[0],
            sheet=sheet_name,
            real_location=Location(sheet=sheet_name, cell=cell, row=trace.header_row or 1),
        )
    return Prediction(
        Outcome.INGESTED,
        None,
        variables=width,
        observations=cases,
        columns=columns,
        sheet=sheet_name,
    )


def second_pass_failure(trace: IngestTrace) -> tuple[str, int | None] | None:
    """Replay the second pass over the rows whose values hold TAB/LF/CR (the others give one clean
    line each). Returns (message, sheet row of the culprit) or None."""
    width = trace.declared_width
    line_counter = 0
    done_cases = 0
    header_row = trace.header_row or 1
    for case, values in trace.broken_rows:
        line_counter += case - done_cases
        text = "\t".join(v or "" for v in values)
        for line in re.split(r"\r\n|\r|\n", text + "\n")[:-1]:
            tokens = line.split("\t")
            if len(tokens) != width:
                return MISMATCH.format(line_counter + 1, width, len(tokens)), None
            for i, token in enumerate(tokens):
                if trace.numeric[i] and token.lower() not in _MISSING and token.lower() not in _SPECIAL:
                    if not java_double(token.encode("utf-8")):
                        return NUMERIC_REPARSE.format(i, token), None
            line_counter += 1
        done_cases = case + 1
    line_counter += trace.cases - done_cases
    if line_counter != trace.cases and not trace.broken_rows_truncated:
        return LINE_COUNT, None
    del header_row
    return None


def _is_ole2(facts: FileFacts | WorkbookFacts, wb: WorkbookFacts | None) -> bool:
    """Whether the file is an OLE2 (Compound File) container: what its first bytes say, or the
    reader's verdict of an encrypted package when only the workbook facts are at hand."""
    content = getattr(facts, "content", None)
    if content is not None:
        return content == "ole2"
    corrupt = wb.corrupt if wb is not None else None
    return corrupt is not None and corrupt.kind == "encrypted" and corrupt.part is None


def _corrupt_message(wb: WorkbookFacts) -> str | None:
    """POI's own words are known only for a few package defects."""
    assert wb.corrupt is not None, "called for a corrupt package only"
    if wb.corrupt.kind == "missing-part" and not wb.has_content_types:
        return PARSE.format("Package should contain a content type part [M1.13]")
    return None


def french_message(message: str | None) -> str | None:
    """The message as a French-speaking Dataverse installation shows it (where the pack translates it)."""
    if not message:
        return message
    for english, french in FRENCH.items():
        pattern = (
            re.escape(english).replace(r"\{0\}", "(.*)").replace(r"\{1\}", "(.*)").replace(r"\{2\}", "(.*)")
        )
        m = re.fullmatch(pattern, message, re.S)
        if m:
            return french.format(*m.groups())
    return message
