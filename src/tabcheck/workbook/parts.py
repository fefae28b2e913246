"""The package's small parts: content types, relationships, the sheet list, styles, shared strings."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from xml.etree import ElementTree

from tabcheck.workbook.budgets import DEFAULT, Budgets
from tabcheck.workbook.cells import decode_escapes, xml_text
from tabcheck.workbook.package import CHUNK, Package, PackageError, local, rels_part_for, resolve_target

ROOT_SEARCH_LIMIT = 1 << 20  # bytes searched for the root element (past it, no DTD can come)

OFFICE_DOCUMENT = "/officeDocument"
MACRO_CONTENT_TYPE = "macroEnabled"


@dataclass
class Relationship:
    rel_id: str | None  # None when the element has no Id (still found by its type)
    type: str  # the last segment of the type URI: worksheet, styles, chartsheet, ...
    target: str | None  # zip member name; None for external targets


def content_types(pkg: Package) -> dict[str, str]:
    """Overrides of [Content_Types].xml: part name -> content type."""
    root = pkg.xml("[Content_Types].xml")
    out = {}
    for el in root:
        name = el.get("PartName")
        if local(el.tag) == "Override" and name:
            out[name.lstrip("/")] = el.get("ContentType", "")
    return out


def relationships(pkg: Package, rels_part: str, base_part: str) -> dict[str | None, Relationship]:
    """The relationships of a part by Id (the last one without an Id under None)."""
    if not pkg.has(rels_part):
        return {}
    root = pkg.xml(rels_part)
    out: dict[str | None, Relationship] = {}
    for el in root:
        if local(el.tag) != "Relationship":
            continue
        rid, target = el.get("Id"), el.get("Target")
        rtype = (el.get("Type") or "").rsplit("/", 1)[-1]
        external = el.get("TargetMode") == "External"
        out[rid] = Relationship(
            rid, rtype, None if external or not target else resolve_target(base_part, target)
        )
    return out


def workbook_part(pkg: Package) -> str:
    """Where the workbook is, from the package relationships (as POI finds it)."""
    rels = relationships(pkg, "_rels/.rels", "")
    for rel in rels.values():
        if rel.type == "officeDocument" and rel.target:
            return rel.target
    if pkg.has("xl/workbook.xml"):
        return "xl/workbook.xml"
    raise PackageError("missing-part", "the package has no workbook part (not a spreadsheet)")


@dataclass
class SheetEntry:
    name: str
    sheet_id: str | None
    state: str
    rel_id: str | None


def sheet_entries(pkg: Package, part: str) -> list[SheetEntry]:
    return sheet_entries_in(pkg.xml(part))


def sheet_entries_in(root: ElementTree.Element) -> list[SheetEntry]:
    """The `<sheet>` entries of a parsed workbook part, in tab order."""
    out = []
    for el in root.iter():
        if local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if local(k) == "id" and k.startswith("{")), None)
            out.append(SheetEntry(el.get("name", ""), el.get("sheetId"), el.get("state", "visible"), rid))
    return out


def calc_properties(root: ElementTree.Element) -> dict[str, str] | None:
    """The attributes of a parsed workbook part's `<calcPr>` (local names), None when it has none."""
    for el in root:
        if local(el.tag) == "calcPr":
            return {local(k): v for k, v in el.attrib.items()}
    return None


def application(pkg: Package) -> tuple[str | None, str | None]:
    if not pkg.has("docProps/app.xml"):
        return None, None
    root = pkg.xml("docProps/app.xml")
    app = version = None
    for el in root:
        if local(el.tag) == "Application":
            app = (el.text or "").strip() or None
        elif local(el.tag) == "AppVersion":
            version = (el.text or "").strip() or None
    return app, version


# Built-in number formats that show dates or times.
BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_date_format(code: str) -> bool:
    """A custom format code that shows a date or time (quoted text, escapes and [colour] ignored)."""
    bare = _QUOTED.sub("", code)
    return bool(re.search(r"[dmyhsDMYHS]", bare)) and "General" not in bare


def date_styles(pkg: Package, part: str | None) -> set[int]:
    """Indexes into cellXfs (a cell's `s`) whose number format is a date."""
    if not part or not pkg.has(part):
        return set()
    root = pkg.xml(part)
    custom: dict[int, str] = {}
    out: set[int] = set()
    for el in root:
        name = local(el.tag)
        if name == "numFmts":
            for fmt in el:
                with contextlib.suppress(ValueError):
                    custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
        elif name == "cellXfs":
            for i, xf in enumerate(el):
                try:
                    fid = int(xf.get("numFmtId", "0"))
                except ValueError:
                    continue
                if fid in custom:
                    if is_date_format(custom[fid]):
                        out.add(i)
                elif fid in BUILTIN_DATE_FORMATS:
                    out.add(i)
    return out


_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_RPH = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)


_SI_END = re.compile(rb"</(?:\w+:)?si>|<(?:\w+:)?si/>")
_PROLOG_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)\b")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def shared_strings(pkg: Package, part: str | None, budgets: Budgets = DEFAULT) -> list[str]:
    """Every shared string as POI's rich-text string gives it (runs joined, _xHHHH_ decoded).

    Within the budgets: one string held is at most `max_value_bytes` of XML, the strings are at
    most `max_shared_strings`, their characters at most `max_shared_string_bytes`; beyond, a
    PackageError of kind `limit`. A DTD is refused (kind `doctype`), as Dataverse's parser does.
    """
    if not part or not pkg.has(part):
        return []
    out: list[str] = []
    held = [0]  # characters of the strings kept
    buf = b""
    prolog = True
    for chunk in pkg.stream(part):
        buf += chunk
        if prolog:
            first = _FIRST_ELEMENT.search(buf)
            head = buf[: first.start()] if first else buf
            if _PROLOG_DTD.search(head):
                raise PackageError(
                    "doctype",
                    f"{part} declares a DTD or entities: refused, as Dataverse's XML parser refuses it",
                    part,
                )
            prolog = first is None and len(buf) < ROOT_SEARCH_LIMIT
        cut = _last_string_end(buf)
        if cut <= 0:
            if len(buf) > budgets.max_value_bytes + CHUNK:
                raise PackageError(
                    "limit",
                    f"{part} holds a shared string of more than {budgets.max_value_bytes:,} bytes",
                    part,
                )
            continue
        _collect(buf[:cut], out, held, budgets, part)
        buf = buf[cut:]
    _collect(buf, out, held, budgets, part)
    return out


def _last_string_end(buf: bytes) -> int:
    """Where the last complete `<si>` element of `buf` ends (-1 when none does)."""
    cut = buf.rfind(b"</si>")
    alt = buf.rfind(b"<si/>")
    cut = max(cut + 5 if cut >= 0 else -1, alt + 5 if alt >= 0 else -1)
    if cut < 0 and b"si" in buf:  # element names with a prefix (`</x:si>`): rare, the slower way
        ends = [m.end() for m in _SI_END.finditer(buf)]
        cut = ends[-1] if ends else -1
    return cut


def _collect(segment: bytes, out: list[str], held: list[int], budgets: Budgets, part: str) -> None:
    for m in _SI.finditer(segment):
        inner = m.group(1) or b""
        if len(inner) > budgets.max_value_bytes:
            raise PackageError(
                "limit", f"{part} holds a shared string of more than {budgets.max_value_bytes:,} bytes", part
            )
        if b"<rPh" in inner:
            inner = _RPH.sub(b"", inner)
        parts = _T.findall(inner)
        raw = parts[0] if len(parts) == 1 else b"".join(p or b"" for p in parts)
        text = decode_escapes(xml_text(raw or b""))
        out.append(text)
        held[0] += len(text)
    if len(out) > budgets.max_shared_strings:
        raise PackageError(
            "limit", f"{part} holds more than {budgets.max_shared_strings:,} shared strings", part
        )
    if held[0] > budgets.max_shared_string_bytes:
        raise PackageError(
            "limit",
            f"{part} holds more than {budgets.max_shared_string_bytes:,} characters of shared strings",
            part,
        )


def find_part_by_type(rels: dict[str | None, Relationship], rtype: str) -> str | None:
    for rel in rels.values():
        if rel.type == rtype and rel.target:
            return rel.target
    return None


__all__ = [
    "Relationship",
    "application",
    "calc_properties",
    "content_types",
    "date_styles",
    "find_part_by_type",
    "relationships",
    "rels_part_for",
    "shared_strings",
    "sheet_entries",
    "sheet_entries_in",
    "workbook_part",
]
