"""read_workbook: the package's structure and the facts of its sheets, without ever raising."""

from __future__ import annotations

from pathlib import Path

from tabcheck.facts.common import FileFacts
from tabcheck.facts.workbook import Corruption, IngestTrace, SheetFacts, WorkbookFacts
from tabcheck.scan.evidence import Evidence
from tabcheck.sniff import Sniff
from tabcheck.workbook import parts
from tabcheck.workbook.budgets import DEFAULT, Budgets
from tabcheck.workbook.package import Package, PackageError, rels_part_for
from tabcheck.workbook.sheet import UNKNOWN, SheetScanner, light_scan
from tabcheck.workbook.strays import count_columns

FULL_SCAN_LIMIT = 8 * 1024 * 1024  # sheets not read by Dataverse are scanned fully below this size


def read_workbook(path, limits: Budgets | None = None, scan_all: bool = False) -> WorkbookFacts:
    """Read an .xlsx package. A damaged, encrypted or hostile file gives `corrupt`, not an exception.

    `limits`: the budgets (tabcheck.workbook.budgets); a workbook beyond one is `corrupt` with kind
    `limit` or `bomb`. `scan_all`: every sheet is scanned fully (fix needs each sheet's extent),
    not only the one Dataverse reads and the small ones.
    """
    facts = WorkbookFacts(path=str(path))
    budgets = limits or DEFAULT
    try:
        pkg = Package(Path(path), budgets)
    except PackageError as exc:
        facts.corrupt = Corruption(exc.kind, exc.detail, exc.part, exc.container)
        return facts
    except OSError as exc:
        facts.corrupt = Corruption("unreadable", str(exc))
        return facts
    try:
        _read(pkg, facts, budgets, scan_all)
    except PackageError as exc:
        facts.corrupt = Corruption(exc.kind, exc.detail, exc.part, exc.container)
    except (MemoryError, RecursionError) as exc:
        facts.corrupt = Corruption(
            "unreadable", f"the workbook is too complex to read ({type(exc).__name__})"
        )
    finally:
        pkg.close()
    return facts


def _read(pkg: Package, facts: WorkbookFacts, budgets: Budgets = DEFAULT, scan_all: bool = False) -> None:
    facts.has_content_types = pkg.has("[Content_Types].xml")
    overrides = parts.content_types(pkg) if facts.has_content_types else {}
    facts.has_macros = any("vbaProject" in n for n in pkg.names())
    wb_part = parts.workbook_part(pkg)
    if not pkg.has(wb_part):
        raise PackageError("missing-part", f"the workbook part {wb_part} is missing", wb_part)
    facts.workbook_part = wb_part
    facts.workbook_content_type = overrides.get(wb_part)
    if facts.workbook_content_type and "macroEnabled" in facts.workbook_content_type:
        facts.has_macros = True
    facts.application, facts.app_version = _optional(facts, lambda: parts.application(pkg), (None, None))

    rels = parts.relationships(pkg, rels_part_for(wb_part), wb_part)
    rid1 = rels.get("rId1")
    if rid1 is not None:
        facts.rid1_target, facts.rid1_type = rid1.target, rid1.type
    styles = _optional(facts, lambda: parts.date_styles(pkg, parts.find_part_by_type(rels, "styles")), set())
    strings = parts.shared_strings(pkg, parts.find_part_by_type(rels, "sharedStrings"), budgets)
    facts.shared_strings = len(strings)
    flags = bytearray([UNKNOWN]) * len(strings)  # per shared string, filled as the sheets need them
    shared: dict[str, list[int] | None] = {}  # what the sheet scanners find once for all (SheetScanner)

    wb_root = pkg.xml(wb_part)
    facts.calc_properties = parts.calc_properties(wb_root)
    calc_chain = parts.find_part_by_type(rels, "calcChain") or "xl/calcChain.xml"
    facts.has_calc_chain = pkg.has(calc_chain)

    entries = parts.sheet_entries_in(wb_root)
    if len(entries) > budgets.max_sheets:
        raise PackageError(
            "limit", f"the workbook lists {len(entries):,} sheets (limit {budgets.max_sheets:,})", wb_part
        )
    for position, entry in enumerate(entries):
        rel = rels.get(entry.rel_id or "")
        target = rel.target if rel else None
        sheet = SheetFacts(
            name=entry.name,
            sheet_id=entry.sheet_id,
            state=entry.state,
            rel_id=entry.rel_id,
            part=target,
            position=position,
        )
        if rel is not None and rel.type != "worksheet":
            sheet.kind = rel.type
        facts.sheets.append(sheet)

    # Dataverse reads whatever part rId1 points at, sheet or not.
    facts.trace = IngestTrace()
    read_part = rid1.target if rid1 is not None and pkg.has(rid1.target) else None
    for sheet in facts.sheets:
        if not sheet.part or not pkg.has(sheet.part):
            sheet.kind = "missing"
            continue
        is_read = sheet.part == read_part
        if is_read or scan_all or pkg.info(sheet.part).file_size <= FULL_SCAN_LIMIT:
            SheetScanner(
                sheet, strings, flags, styles, facts.trace if is_read else None, budgets, shared
            ).scan(pkg, sheet.part)
            sheet.scanned = "full"
            if is_read:
                sheet.trace = facts.trace
                if not sheet.problem:
                    count_columns(pkg, sheet.part, facts.trace, strings, budgets)
        else:
            light_scan(pkg, sheet.part, sheet)
        if sheet.problem:
            facts.problems.append(Corruption("malformed-xml", sheet.problem, sheet.part))
    if read_part and not any(s.part == read_part for s in facts.sheets):
        # rId1 is styles, a theme, ...: run Dataverse's view over it all the same
        ghost = SheetFacts(
            name="", sheet_id=None, state="visible", rel_id="rId1", part=read_part, position=-1
        )
        SheetScanner(ghost, strings, flags, set(), facts.trace, budgets, shared).scan(pkg, read_part)


def _optional(facts: WorkbookFacts, read, default):
    """Secondary parts (app.xml, styles.xml): a defect there is a problem noted, not a fatal one."""
    try:
        return read()
    except PackageError as exc:
        if exc.kind in ("bomb", "doctype", "limit"):
            raise
        facts.problems.append(Corruption(exc.kind, exc.detail, exc.part))
        return default


def read_facts(facts: FileFacts, sniff: Sniff, evidence: dict[str, Evidence]) -> None:
    """The reader of .xlsx files (see tabcheck.readers); value evidence is a CSV matter."""
    facts.workbook = read_workbook(facts.path)
