"""XLSX facts: what reading a workbook package taught us, for the rules and the Dataverse model."""

from __future__ import annotations

from dataclasses import dataclass, field

from tabcheck.facts.common import Occurrences

CELL_SAMPLES = 10


def _cells() -> Occurrences[CellSample]:
    return Occurrences(limit=CELL_SAMPLES)


@dataclass
class CellSample:
    cell: str  # A1 reference
    row: int
    column: int
    value: str = ""


@dataclass
class CellBox:
    """The smallest rectangle holding some cells (1-based; all 0 while it holds none)."""

    first_row: int = 0
    first_column: int = 0
    last_row: int = 0
    last_column: int = 0

    def add(self, row: int, column: int) -> None:
        if not self.first_row:
            self.first_row = self.last_row = row
            self.first_column = self.last_column = column
            return
        self.first_row = min(self.first_row, row)
        self.last_row = max(self.last_row, row)
        self.first_column = min(self.first_column, column)
        self.last_column = max(self.last_column, column)

    def __bool__(self) -> bool:
        return self.first_row > 0


@dataclass
class RowInfo:
    """A row kept whole (the first rows, for header and title analysis)."""

    number: int
    spans: str | None
    values: dict[int, str]  # column (1-based) -> text as a user sees it

    @property
    def filled(self) -> int:
        return sum(1 for v in self.values.values() if v.strip())


@dataclass
class IngestTrace:
    """The events Dataverse's SAX handler reacts to in the part at rId1 (version-independent facts).

    Only the handler's own view is kept: element names without prefix, `<v>` text only, the first
    row element as header, spans of that row as the column count.
    """

    has_sheet_data: bool = False  # an unprefixed </sheetData> (or <sheetData/>) is seen
    rows: int = 0  # unprefixed row elements
    declared_width: int | None = None  # from the first row's spans
    first_row_spans: str | None = None
    header: list[str | None] = field(default_factory=list)  # raw names by column index
    numeric: list[bool] = field(default_factory=list)  # first-pass type evidence per column
    cases: int = 0
    # The first exception the handler throws, as Java prints its message, and where.
    failure: str | None = None
    failure_cell: str | None = None
    failure_row: int | None = None
    failure_offset: int | None = None
    # Data rows whose values hold a TAB, LF or CR: (case index, values by column index).
    broken_rows: list[tuple[int, list[str | None]]] = field(default_factory=list)
    broken_rows_truncated: bool = False
    header_row: int | None = None
    # Columns (0-based) a data row turned to text after the header, in the order met (at most
    # TURNED_KEPT): the candidates for stray text cells (tabcheck.workbook.strays counts them).
    turned: list[int] = field(default_factory=list)
    # Columns of numbers with a few text cells (text-among-numbers), from that count.
    strays: list[StrayColumn] = field(default_factory=list)
    # By column (1-based), kept numeric: text cells read as numbers without their leading zeros.
    leading_zeros: dict[int, Occurrences[CellSample]] = field(default_factory=dict)
    # Columns of numbers or dates typed as text (12,5; 25/12/2020), stored as text (workbook.textcells).
    text_columns: list[TextColumn] = field(default_factory=list)


TURNED_KEPT = 64
# Distinct texts a turned column may hold and still be counted, however many cells hold them: a
# few stray words, a missing-value code among numbers (n/a, ND, -), and the cells of rows other
# rules explain (a title pushes the author's header into the data, a total's label, notes under
# the table). A column whose texts outnumber its numbers past STRAY_WORDS_SEEN texts is a column
# of words: no longer counted.
STRAY_VALUES_KEPT = 8
STRAY_WORDS_SEEN = 50


@dataclass
class StrayColumn:
    """A column Dataverse types as text for a few text cells among its numbers."""

    column: int  # 1-based
    numbers: int  # cells Dataverse reads as numbers (or missing values: NA, `.`)
    texts: Occurrences[CellSample] = field(default_factory=_cells)  # the others (errors apart)
    # The distinct texts (at most STRAY_VALUES_KEPT): how many cells hold each, and its first cell.
    values: dict[str, int] = field(default_factory=dict)
    firsts: dict[str, CellSample] = field(default_factory=dict)


@dataclass
class TextColumn:
    """A column of the sheet Dataverse reads whose text cells have the shapes of numbers or dates
    (a decimal comma, 25/12/2020) or are missing-value codes: Dataverse stores them as text
    (tabcheck.workbook.textcells)."""

    column: int  # 1-based
    # By shape (patterns.TEXT_SHAPES: decimal-comma, date-day-first, …): the cells, a few kept.
    kinds: dict[str, Occurrences[CellSample]] = field(default_factory=dict)
    numbers: int = 0  # number cells, and texts Dataverse reads as numbers (1.000)
    # The first number cell with a fractional part (1.125): `fix` writes it with a point, and beside
    # it cannot tell a text's point from a thousands separator.
    fraction: CellSample | None = None
    # Its other texts (at most textcells.OTHERS_KEPT): a header under a title, a note below the table.
    others: Occurrences[CellSample] = field(default_factory=_cells)


@dataclass
class SheetFacts:
    name: str
    sheet_id: str | None
    state: str  # visible | hidden | veryHidden
    rel_id: str | None
    part: str | None  # zip member name of the sheet XML
    position: int  # 0-based tab order
    kind: str = "worksheet"  # worksheet | chartsheet | other | missing
    scanned: str = "none"  # full | light | none
    rows: int = 0  # row elements
    value_rows: int = 0  # rows holding at least one value
    value_cells: int = 0
    max_column: int = 0
    max_row: int = 0
    dimension: str | None = None
    rows_without_spans: int = 0
    first_row_without_spans: int | None = None
    first_rows: list[RowInfo] = field(default_factory=list)
    last_rows: list[RowInfo] = field(default_factory=list)  # the table's tail (legend / notes)
    blank_gaps: list[tuple[int, int]] = field(default_factory=list)  # (first blank row, how many)
    newline_cells: Occurrences[CellSample] = field(default_factory=_cells)
    tab_cells: Occurrences[CellSample] = field(default_factory=_cells)
    error_cells: Occurrences[CellSample] = field(default_factory=_cells)
    formulas_without_value: Occurrences[CellSample] = field(default_factory=_cells)  # `<v>` missing or empty
    formulas_without_value_area: CellBox = field(default_factory=CellBox)  # their bounding box
    formula_cells: Occurrences[CellSample] = field(default_factory=_cells)  # `<f>` in a `<c>`; value: stored
    formula_area: CellBox = field(default_factory=CellBox)  # the bounding box of the formula cells
    formula_zero_values: Occurrences[CellSample] = field(default_factory=_cells)  # storing the number 0
    formula_zero_area: CellBox = field(default_factory=CellBox)  # the bounding box of those
    date_cells: dict[int, Occurrences[CellSample]] = field(default_factory=dict)  # by column
    wide_cells: Occurrences[CellSample] = field(default_factory=_cells)  # cells right of the header's extent
    merged: list[str] = field(default_factory=list)
    header_row: int | None = None  # the first row element's number
    header_width: int = 0  # the rightmost filled cell of the header row
    element_prefix: str = ""  # "x:" when elements are namespace-prefixed
    problem: str | None = None  # malformed XML in this part (detail)
    trace: IngestTrace | None = None  # only for the part at rId1

    @property
    def hidden(self) -> bool:
        return self.state in ("hidden", "veryHidden")

    @property
    def has_data(self) -> bool:
        return self.value_cells > 0

    @property
    def formula_values_all_zero(self) -> bool:
        """Every formula that stores a result stores 0 (xlsxwriter's placeholder), and one at least does."""
        stored = self.formula_cells.count - self.formulas_without_value.count
        return stored > 0 and self.formula_zero_values.count == stored


@dataclass
class Corruption:
    kind: str  # not-zip | truncated | encrypted | bomb | malformed-xml | missing-part | doctype | unreadable
    detail: str  # technical, in English (the JSON output's); the finding's message is translated
    part: str | None = None
    container: str | None = None  # not-zip: ole2 (an .xls), empty, text or binary


@dataclass
class WorkbookFacts:
    path: str
    sheets: list[SheetFacts] = field(default_factory=list)
    application: str | None = None  # docProps/app.xml <Application>
    app_version: str | None = None
    workbook_part: str | None = None
    workbook_content_type: str | None = None
    has_content_types: bool = True
    has_macros: bool = False  # a vbaProject part or a macro-enabled content type
    rid1_target: str | None = None  # what the workbook relationship rId1 points at
    rid1_type: str | None = None  # its relationship type (worksheet, styles, ...)
    corrupt: Corruption | None = None
    problems: list[Corruption] = field(default_factory=list)  # non-fatal (malformed secondary parts)
    shared_strings: int = 0
    trace: IngestTrace | None = None  # Dataverse's view of the part at rId1, whatever it is
    calc_properties: dict[str, str] | None = None  # workbook.xml `<calcPr>` attributes; None: no such element
    has_calc_chain: bool = False  # a calculation chain part (xl/calcChain.xml): formulas computed when saved

    @property
    def read_sheet(self) -> SheetFacts | None:
        """The sheet Dataverse ingests: the one at relationship rId1, if it is a sheet."""
        for s in self.sheets:
            if s.rel_id == "rId1":
                return s
        return None

    @property
    def first_tab(self) -> SheetFacts | None:
        return self.sheets[0] if self.sheets else None

    @property
    def full_calc_on_load(self) -> bool:
        """The writer asks for every formula to be recomputed on opening (`<calcPr fullCalcOnLoad="1">`)."""
        return (self.calc_properties or {}).get("fullCalcOnLoad", "").lower() in ("1", "true")
