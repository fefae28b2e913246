"""Opening a workbook package safely: zip checks, bomb limits, encrypted files, XML without DTDs."""

from __future__ import annotations

import os
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

from tabcheck.workbook.budgets import DEFAULT, Budgets

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
CHUNK = 4 * 1024 * 1024


Limits = Budgets  # the earlier name of the package's limits, kept for callers


class PackageError(Exception):
    """The package cannot be read as a workbook: `kind` says why, for the corrupt-file finding."""

    def __init__(self, kind: str, detail: str, part: str | None = None, container: str | None = None):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.part = part
        self.container = container  # not-zip: what the file holds instead (sniff_container)


def sniff_container(path: str | os.PathLike[str]) -> str:
    """zip | ole2-encrypted | ole2 | empty | text | binary, from the first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if not head:
            return "empty"
        if head.startswith(OLE2_SIGNATURE):
            fh.seek(0)
            sample = fh.read(8 * 1024 * 1024)
            if "EncryptedPackage".encode("utf-16-le") in sample:
                return "ole2-encrypted"
            return "ole2"
        if head.startswith(ZIP_SIGNATURE) or head.startswith(b"PK\x05\x06"):
            return "zip"
        fh.seek(0)
        sample = fh.read(4096)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 (Excel's "Unicode text"), whose NUL bytes are half its characters
    return "text" if b"\x00" not in sample else "binary"


class Package:
    """A workbook zip with bounded reads; every way of failing becomes a PackageError."""

    def __init__(self, path: str | os.PathLike[str], limits: Budgets | None = None) -> None:
        self.limits = limits or DEFAULT
        container = sniff_container(path)
        if container == "ole2-encrypted":
            raise PackageError("encrypted", "the workbook is password-protected (encrypted)")
        if container == "ole2":
            raise PackageError(
                "not-zip", "an old-style binary Excel (.xls) file, not an .xlsx package", container=container
            )
        if container == "empty":
            raise PackageError("not-zip", "the file is empty", container=container)
        if container != "zip":
            raise PackageError(
                "not-zip", f"the file is not a zip package ({container} content)", container=container
            )
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except zipfile.BadZipFile as exc:
            raise PackageError("truncated", f"zipfile: {exc}") from None
        except (OSError, ValueError, NotImplementedError) as exc:
            raise PackageError("truncated", f"zipfile: {type(exc).__name__}: {exc}") from None
        self.members: dict[str, zipfile.ZipInfo] = {}  # by name, and by lower-case name
        total = 0
        for info in infos:
            name = info.filename.lstrip("/")
            self.members.setdefault(name, info)
            self.members.setdefault(name.lower(), info)
            total += info.file_size
            if info.flag_bits & 0x1:
                raise PackageError("encrypted", "a part of the zip package is encrypted", name)
            if info.file_size > self.limits.max_part_expanded:
                raise PackageError(
                    "bomb",
                    f"{name} would expand to {info.file_size:,} bytes: refused "
                    f"(limit {self.limits.max_part_expanded:,})",
                    name,
                )
            if (
                info.file_size > self.limits.ratio_applies_above
                and info.compress_size
                and info.file_size / info.compress_size > self.limits.max_ratio
            ):
                raise PackageError(
                    "bomb",
                    f"{name} would expand {info.file_size / info.compress_size:.0f} times "
                    f"(to {info.file_size:,} bytes): refused as a decompression bomb",
                    name,
                )
        if total > self.limits.max_total_expanded:
            raise PackageError(
                "bomb",
                f"the package would expand to {total:,} bytes: refused "
                f"(limit {self.limits.max_total_expanded:,})",
            )
        self.expanded = 0

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str | None) -> bool:
        if not name:
            return False
        return name in self.members or name.lower() in self.members

    def info(self, name: str) -> zipfile.ZipInfo:
        return self.members.get(name) or self.members[name.lower()]

    def names(self) -> list[str]:
        return [i.filename.lstrip("/") for i in self.zip.infolist()]

    def stream(self, name: str, counted: bool = True) -> Iterator[bytes]:
        """The member's bytes in chunks, counting against the expansion limit whatever the header says.

        `counted=False`: a part read a second time (its bytes were counted the first time); it still
        may not expand beyond its declared size.
        """
        info = self.info(name)
        declared = max(info.file_size, 1)
        read = 0
        try:
            with self.zip.open(info) as fh:
                while True:
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    read += len(chunk)
                    if counted:
                        self.expanded += len(chunk)
                    if read > declared * 1.01 + 1024 or self.expanded > self.limits.max_total_expanded:
                        raise PackageError("bomb", f"{name} expands beyond its declared size: refused", name)
                    yield chunk
        except PackageError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            kind = "truncated"
            raise PackageError(kind, f"{name} cannot be decompressed: {exc}", name) from None
        except zlib.error as exc:
            raise PackageError("truncated", f"{name} cannot be decompressed: {exc}", name) from None

    def read(self, name: str) -> bytes:
        info = self.info(name)
        if info.file_size > self.limits.max_small_part:
            raise PackageError(
                "limit",
                f"{name} is {info.file_size:,} bytes, beyond the {self.limits.max_small_part:,} "
                "read whole for a part of its kind",
                name,
            )
        return b"".join(self.stream(name))

    def xml(self, name: str) -> ElementTree.Element:
        """A small part parsed whole, refusing DTDs and entities."""
        data = self.read(name)
        try:
            return SafeElementTree.fromstring(data, forbid_dtd=True)
        except DefusedXmlException as exc:
            raise PackageError(
                "doctype",
                f"{name} declares a DTD or entities ({type(exc).__name__}): "
                "refused, they can make a reader fetch or expand content",
                name,
            ) from None
        except ElementTree.ParseError as exc:
            raise PackageError("malformed-xml", f"{name} is not well-formed XML: {exc}", name) from None


def resolve_target(base_part: str, target: str) -> str:
    """A relationship target as a zip member name (absolute targets start at the package root)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def rels_part_for(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
