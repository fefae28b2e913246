"""What a file is, from its first bytes: a container or binary format, or text in UTF-16/32.

Signatures are checked first (a gzip or a zip renamed ``.csv`` is common in deposits), then byte
order marks, then the pattern of NUL bytes per 4-byte lane that UTF-16 and UTF-32 text leave even
without a BOM (ASCII in UTF-32-LE is ``c 00 00 00``: lanes 1-3 are NUL, so it is neither UTF-16 nor
"binary"). A zip is told apart as xlsx/docx/pptx/ods/odt/epub from its member names when the head
holds them (or, given a path, from its central directory).
"""

from __future__ import annotations

import codecs
import os
import zlib
from dataclasses import dataclass

HEAD_SIZE = 64 * 1024

__all__ = ["HEAD_SIZE", "MagicGuess", "detect_magic", "detect_magic_file", "detect_utf16_32"]


@dataclass(frozen=True)
class MagicGuess:
    """What the first bytes say.

    ``kind`` is a short name: ``text``, ``html``, ``xml``, ``excel-xml``, ``rtf``, ``empty``, or a
    binary kind (``gzip``, ``zip``, ``xlsx``, ``xlsm``, ``xlsb``, ``docx``, ``pptx``, ``ods``, ``odt``,
    ``epub``, ``ole2``, ``pdf``, ``png``, ``jpeg``, ``gif``, ``bmp``, ``tiff``, ``webp``, ``7z``,
    ``bzip2``, ``xz``, ``zstd``, ``lz4``, ``rar``, ``tar``, ``sqlite``, ``parquet``, ``arrow``, ``hdf5``,
    ``netcdf``, ``avro``, ``orc``, ``npy``, ``spss-sav``, ``stata-dta``, ``sas7bdat``, ``rdata``,
    ``elf``, ``pe``, ``binary``). ``encoding`` is set for text whose encoding the bytes themselves
    announce (a BOM, or the NUL lanes of UTF-16/32): a precise codec name such as ``utf-16-le``.
    """

    kind: str
    is_text: bool
    confidence: float
    reason: str
    description: str
    encoding: str | None = None
    bom: bool = False
    members: tuple[str, ...] = ()


_SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    # (offset, signature, kind, description)
    (0, b"\x1f\x8b", "gzip", "gzip-compressed data"),
    (0, b"PK\x03\x04", "zip", "zip archive"),
    (0, b"PK\x05\x06", "zip", "empty zip archive"),
    (0, b"PK\x07\x08", "zip", "spanned zip archive"),
    (
        0,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "ole2",
        "OLE2 compound file (.xls, .doc, or an encrypted .xlsx)",
    ),
    (0, b"%PDF-", "pdf", "PDF document"),
    (0, b"\x89PNG\r\n\x1a\n", "png", "PNG image"),
    (0, b"\xff\xd8\xff", "jpeg", "JPEG image"),
    (0, b"GIF87a", "gif", "GIF image"),
    (0, b"GIF89a", "gif", "GIF image"),
    (0, b"II*\x00", "tiff", "TIFF image"),
    (0, b"MM\x00*", "tiff", "TIFF image"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z", "7-Zip archive"),
    (0, b"\xfd7zXZ\x00", "xz", "xz-compressed data"),
    (0, b"\x28\xb5\x2f\xfd", "zstd", "Zstandard-compressed data"),
    (0, b"\x04\x22\x4d\x18", "lz4", "LZ4-compressed data"),
    (0, b"Rar!\x1a\x07", "rar", "RAR archive"),
    (0, b"SQLite format 3\x00", "sqlite", "SQLite database"),
    (0, b"PAR1", "parquet", "Apache Parquet file"),
    (0, b"ARROW1", "arrow", "Apache Arrow / Feather file"),
    (0, b"\x89HDF\r\n\x1a\n", "hdf5", "HDF5 file"),
    (0, b"CDF\x01", "netcdf", "NetCDF classic file"),
    (0, b"CDF\x02", "netcdf", "NetCDF 64-bit offset file"),
    (0, b"Obj\x01", "avro", "Apache Avro container"),
    (0, b"ORC", "orc", "Apache ORC file"),
    (0, b"\x93NUMPY", "npy", "NumPy array file"),
    (0, b"$FL2", "spss-sav", "SPSS data file (.sav)"),
    (0, b"$FL3", "spss-sav", "SPSS compressed data file (.zsav)"),
    (0, b"<stata_dta>", "stata-dta", "Stata data file (.dta, 117+)"),
    (
        0,
        b"\x00" * 12 + b"\xc2\xea\x81\x60\xb3\x14\x11\xcf\xbd\x92\x08\x00\x09\xc7\x31\x8c\x18\x1f\x10\x11",
        "sas7bdat",
        "SAS data set (.sas7bdat)",
    ),
    (0, b"RDX2\n", "rdata", "R data file (.RData)"),
    (0, b"RDX3\n", "rdata", "R data file (.RData)"),
    (0, b"RDA2\n", "rdata", "R data file (.RData, ASCII)"),
    (0, b"RDA3\n", "rdata", "R data file (.RData, ASCII)"),
    (0, b"\x7fELF", "elf", "ELF executable"),
    (257, b"ustar", "tar", "tar archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect_magic(head: bytes) -> MagicGuess:
    """Classify content from its first bytes (64 KiB are plenty; fewer work, less surely)."""
    if not head:
        return MagicGuess("empty", True, 1.0, "empty", "empty file", encoding="utf-8")
    for offset, signature, kind, description in _SIGNATURES:
        if head.startswith(signature, offset):
            return _binary(head, kind, description)
    special = _weak_signatures(head)
    if special is not None:
        return special
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if encoding == "utf-32-le" and _lanes_say(head[4:]) == "utf-16-le":
                continue  # a UTF-16-LE BOM followed by U+0000: very rare, but the lanes decide
            return _text(head[len(bom) :], encoding, bom=True, confidence=1.0, reason="bom")
    announced = detect_utf16_32(head)
    if announced is not None:
        return _text(head, announced, bom=False, confidence=0.95, reason="nul-lanes")
    if _looks_binary(head):
        return MagicGuess("binary", False, 0.9, "control-bytes", "binary data (NUL or control bytes)")
    return _text(head, None, bom=False, confidence=0.9, reason="no-signature")


def detect_magic_file(path: str | os.PathLike[str], head_size: int = HEAD_SIZE) -> MagicGuess:
    """``detect_magic`` on a file's head; a zip's members are read from its central directory."""
    with open(path, "rb") as f:
        head = f.read(head_size)
    guess = detect_magic(head)
    if guess.kind == "zip":
        import zipfile  # a few milliseconds that a table never needs

        try:
            with zipfile.ZipFile(path) as z:
                names = tuple(z.namelist())
                mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
            return guess
        kind = _zip_kind(names, mimetype, b"")
        if kind is not None:
            return MagicGuess(kind, False, 0.99, "zip-members", _ZIP_DESCRIPTIONS[kind], members=names[:20])
        return MagicGuess("zip", False, 0.99, "zip-members", "zip archive", members=names[:20])
    return guess


def detect_utf16_32(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` when the NUL bytes per lane and a trial decode say so.

    Without a BOM, text in these encodings shows NUL bytes in fixed lanes (ASCII ``a`` is
    ``61 00`` in UTF-16-LE, ``61 00 00 00`` in UTF-32-LE). The lanes are counted over 4 bytes so
    that UTF-32 is not taken for UTF-16; the guess must then decode and look like text.
    """
    encoding = _lanes_say(head)
    if encoding is None:
        return None
    width = 4 if encoding.startswith("utf-32") else 2
    sample = head[: len(head[:8192]) // width * width]
    text = sample.decode(encoding, errors="replace")  # a stray lone surrogate is the file's problem
    if not text:
        return None
    bad = text.count("\ufffd")
    printable = sum(1 for c in text if c.isprintable() or c in "\t\r\n")
    if bad > 1 + len(text) // 100 or printable < 0.95 * len(text):
        return None
    return encoding


def _lanes_say(head: bytes) -> str | None:
    sample = head[:8192]
    n = len(sample) // 4 * 4
    if n < 8:
        return None
    sample = sample[:n]
    quarter = n / 4
    f = [sample[i::4].count(0) / quarter for i in range(4)]
    # UTF-32: the top byte of a code point is always 0, the next one is 0 below U+10000.
    if f[3] == 1.0 and f[2] > 0.95 and f[0] < 0.1:
        return "utf-32-le"
    if f[0] == 1.0 and f[1] > 0.95 and f[3] < 0.1:
        return "utf-32-be"
    low = (f[0] + f[2]) / 2
    high = (f[1] + f[3]) / 2
    if high > 0.25 and low < 0.1 and min(f[1], f[3]) > 0.1:
        return "utf-16-le"
    if low > 0.25 and high < 0.1 and min(f[0], f[2]) > 0.1:
        return "utf-16-be"
    return None


def _weak_signatures(head: bytes) -> MagicGuess | None:
    """Signatures short enough to begin a text: confirmed by a second feature."""
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        return _binary(head, "bmp", "BMP image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _binary(head, "webp", "WebP image")
    if head.startswith(b"MZ") and len(head) >= 64:
        pe = int.from_bytes(head[60:64], "little")
        if head[pe : pe + 4] == b"PE\x00\x00":
            return _binary(head, "pe", "Windows executable")
    if (
        head.startswith(b"BZh")
        and len(head) >= 10
        and head[3:4] in b"123456789"
        and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90")
    ):
        return _binary(head, "bzip2", "bzip2-compressed data")
    if len(head) >= 4 and 0x66 <= head[0] <= 0x73 and head[1] in (1, 2) and head[2] == 1 and head[3] == 0:
        return _binary(head, "stata-dta", "Stata data file (.dta, 115 or older)")
    return None


_ZIP_DESCRIPTIONS = {
    "xlsx": "Excel workbook (.xlsx)",
    "xlsm": "Excel macro-enabled workbook (.xlsm)",
    "xlsb": "Excel binary workbook (.xlsb)",
    "docx": "Word document (.docx)",
    "pptx": "PowerPoint presentation (.pptx)",
    "ods": "OpenDocument spreadsheet (.ods)",
    "odt": "OpenDocument text (.odt)",
    "odp": "OpenDocument presentation (.odp)",
    "epub": "EPUB book",
    "zip": "zip archive",
}


def _binary(head: bytes, kind: str, description: str) -> MagicGuess:
    if kind != "zip":
        return MagicGuess(kind, False, 0.99, "signature", description)
    names, content_types = _local_members(head)
    mimetype = b""
    if names and names[0] == "mimetype":
        mimetype = content_types[:100]  # stored, so its bytes are the media type
    refined = _zip_kind(names, mimetype, content_types)
    if refined is not None:
        return MagicGuess(refined, False, 0.97, "zip-members", _ZIP_DESCRIPTIONS[refined], members=names)
    return MagicGuess("zip", False, 0.9, "signature", description, members=names)


def _local_members(head: bytes, limit: int = 50) -> tuple[tuple[str, ...], bytes]:
    """Member names from the local headers that the head holds, and the first member's data.

    The first member's data is inflated (bounded) when it is ``[Content_Types].xml`` or
    ``mimetype``: it names the document type even when the other names are further on.
    """
    names: list[str] = []
    first_data = b""
    pos = 0
    while len(names) < limit and head.startswith(b"PK\x03\x04", pos) and pos + 30 <= len(head):
        flags = int.from_bytes(head[pos + 6 : pos + 8], "little")
        method = int.from_bytes(head[pos + 8 : pos + 10], "little")
        size = int.from_bytes(head[pos + 18 : pos + 22], "little")
        name_len = int.from_bytes(head[pos + 26 : pos + 28], "little")
        extra_len = int.from_bytes(head[pos + 28 : pos + 30], "little")
        name = head[pos + 30 : pos + 30 + name_len].decode("utf-8", errors="replace")
        names.append(name)
        data_start = pos + 30 + name_len + extra_len
        if len(names) == 1 and name in ("[Content_Types].xml", "mimetype"):
            raw = head[data_start : data_start + size] if size else head[data_start : data_start + 65536]
            if method == 0:
                first_data = raw[:65536]
            elif method == 8:
                try:
                    first_data = zlib.decompressobj(-15).decompress(raw, 65536)
                except zlib.error:
                    first_data = b""
        if flags & 0x08 or size == 0:
            nxt = head.find(b"PK\x03\x04", data_start)  # sizes are in a descriptor after the data
            if nxt < 0:
                break
            pos = nxt
        else:
            pos = data_start + size
    return tuple(names), first_data


def _zip_kind(names: tuple[str, ...], mimetype: bytes, content_types: bytes) -> str | None:
    odf = {
        b"application/vnd.oasis.opendocument.spreadsheet": "ods",
        b"application/vnd.oasis.opendocument.text": "odt",
        b"application/vnd.oasis.opendocument.presentation": "odp",
        b"application/epub+zip": "epub",
    }
    media = mimetype.strip()
    if media in odf:
        return odf[media]
    lowered = {n.lower() for n in names}
    if any(n.startswith("xl/") for n in lowered) or b"spreadsheetml" in content_types:
        if "xl/workbook.bin" in lowered or b"sheet.binary" in content_types:
            return "xlsb"
        if b"macroEnabled" in content_types or "xl/vbaproject.bin" in lowered:
            return "xlsm"
        return "xlsx"
    if any(n.startswith("word/") for n in lowered) or b"wordprocessingml" in content_types:
        return "docx"
    if any(n.startswith("ppt/") for n in lowered) or b"presentationml" in content_types:
        return "pptx"
    return None


def _text(body: bytes, encoding: str | None, *, bom: bool, confidence: float, reason: str) -> MagicGuess:
    start = body[:2048]
    if encoding is not None and encoding != "utf-8":
        width = 4 if encoding.startswith("utf-32") else 2
        start = start[: len(start) // width * width].decode(encoding, errors="replace").encode("utf-8")
    lead = start.lstrip(b" \t\r\n").lower()
    kind, description = "text", "text"
    if lead.startswith(b"<?xml") and b"excel.sheet" in lead:
        kind, description = "excel-xml", "Excel 2003 XML spreadsheet"
    elif lead.startswith((b"<!doctype html", b"<html")):
        kind, description = "html", "HTML page"
    elif lead.startswith(b"<?xml"):
        kind, description = "xml", "XML document"
    elif lead.startswith(b"{\\rtf"):
        kind, description = "rtf", "RTF document"
    if encoding is not None:
        description += f" in {encoding.upper()}" + (" with BOM" if bom else "")
    return MagicGuess(kind, True, confidence, reason, description, encoding=encoding, bom=bom)


def _looks_binary(head: bytes) -> bool:
    sample = head[:8192]
    if sample.count(0) > max(1, len(sample) // 1000):
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.05 * len(sample) + 1


_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"
