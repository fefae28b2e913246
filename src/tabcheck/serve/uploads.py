"""Receiving a drop: the multipart body streamed to disk in chunks, every name made safe first.

Nothing is held whole in memory: each part's bytes go to its file as they arrive (python-multipart's
push parser, fed in blocks of about a megabyte from a worker thread). The size limit is counted on
the files' bytes as they arrive, so a body that lies about its length is stopped too.

A file's name comes from the browser: `showcase/01.csv` for a file of a dropped folder, but also,
from anything that can post to the page, `../x.csv`, `/etc/x.csv`, `C:\\x.csv`, names with NUL or
line breaks. `safe_relative` keeps the folders of a drop and nothing else: no `..`, no absolute
path, no drive, no control character, no hidden name (as `tabcheck check` skips them), no part
longer than a file system takes. `Placer` then makes two names never land on one file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tabcheck.discover import TABULAR_EXTENSIONS

try:  # python-multipart >= 0.0.13
    from python_multipart.multipart import MultipartParser, parse_options_header
except ImportError:  # pragma: no cover - older python-multipart
    from multipart.multipart import (  # type: ignore[no-redef,import-untyped,unused-ignore]
        MultipartParser,
        parse_options_header,
    )

MAX_PART_BYTES = 200  # a name part, in UTF-8 bytes (file systems take 255)
MAX_DEPTH = 32  # folders kept below the drop
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS = re.compile(r'[<>:"|?*]')  # names Windows cannot unzip


class UploadRefused(Exception):
    """The drop is refused as a whole (too large, too many files): `key` names the page's text."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _cut(part: str) -> str:
    """`part` at most MAX_PART_BYTES long in UTF-8, its extension kept."""
    if len(part.encode("utf-8")) <= MAX_PART_BYTES:
        return part
    stem, dot, ext = part.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = part, ""
    room = MAX_PART_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{cut}.{ext}" if ext else cut


def safe_relative(raw: str) -> PurePosixPath | None:
    """A dropped file's name as a relative path below the drop's folder, or None (nothing usable, or
    a hidden file). `../x.csv` → `x.csv`, `/etc/x.csv` → `etc/x.csv`, `a\\b.csv` → `a/b.csv`."""
    text = unicodedata.normalize("NFC", raw.replace("\\", "/"))
    parts: list[str] = []
    for piece in text.split("/"):
        piece = _WINDOWS.sub("_", _CONTROL.sub("", piece)).strip().rstrip(".")
        if piece in ("", ".", ".."):
            continue
        if piece.startswith("."):
            return None  # hidden (.DS_Store, ._x.csv, .git/…): tabcheck check skips them too
        parts.append(_cut(piece))
    if not parts:
        return None
    if len(parts) > MAX_DEPTH + 1:
        parts = parts[-(MAX_DEPTH + 1) :]
    return PurePosixPath(*parts)


def is_table(path: PurePosixPath) -> bool:
    return path.name.lower().endswith(TABULAR_EXTENSIONS)


class Placer:
    """Hands out each dropped file's place below `root`, never twice (case-insensitive, as on macOS
    and Windows), never a file where a folder is or the other way round."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: set[str] = set()
        self._folders: set[str] = set()

    @staticmethod
    def _key(p: PurePosixPath) -> str:
        return str(p).casefold()

    def place(self, rel: PurePosixPath) -> PurePosixPath:
        if any(self._key(parent) in self._files for parent in rel.parents if str(parent) != "."):
            rel = PurePosixPath(rel.name)  # a folder named like a file already dropped: keep it on top
        stem, dot, ext = rel.name.rpartition(".")
        if not dot:
            stem, ext = rel.name, ""
        candidate, n = rel, 1
        while self._key(candidate) in self._files or self._key(candidate) in self._folders:
            n += 1
            candidate = rel.with_name(f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}")
        self._files.add(self._key(candidate))
        self._folders.update(self._key(p) for p in candidate.parents if str(p) != ".")
        return candidate

    def path(self, rel: PurePosixPath) -> Path:
        """The file on disk for `rel` (its folders made), checked to be inside `root`."""
        target = self.root.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        root = self.root.resolve()
        if root not in target.parent.resolve().parents and target.parent.resolve() != root:
            raise UploadRefused("refused-name", name=str(rel))  # cannot happen after safe_relative
        return target


@dataclass
class Received:
    """What one drop brought: the files written (relative names), and what was left out."""

    files: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (as sent, as kept)
    ignored: list[str] = field(default_factory=list)  # not tables, or hidden
    size: int = 0  # bytes of the files written


def _browser_name(value: bytes) -> str:
    """A filename as browsers send it (UTF-8, `"` and line breaks escaped as in the HTML standard)."""
    name = value.decode("utf-8", "replace")
    return name.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


class Receiver:
    """python-multipart callbacks that write each file part into `root` as its bytes arrive."""

    def __init__(self, boundary: bytes, root: Path, *, max_bytes: int, max_files: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.received = Received()
        self._placer = Placer(root)
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._out: object | None = None  # the open file of the current part, or None (skipped)
        self._parts = 0
        callbacks: dict[str, Callable[..., None]] = {
            "on_part_begin": self._part_begin,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }
        self._parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]

    def write(self, data: bytes) -> None:
        self._parser.write(data)

    def finish(self) -> None:
        self._parser.finalize()
        self.close()

    def close(self) -> None:
        """Close the file being written (on a refusal or a disconnection too)."""
        out, self._out = self._out, None
        if out is not None:
            out.close()  # type: ignore[attr-defined]

    # -- callbacks --------------------------------------------------------------------------------

    def _part_begin(self) -> None:
        self._headers = {}
        self._out = None
        self._parts += 1
        if self._parts > self.max_files + 100:  # files and a few fields
            raise UploadRefused("too-many-files", count=self.max_files)

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        raw = options.get(b"filename")
        if raw is None or raw == b"":
            return  # a form field, or an empty file input: nothing to keep
        sent = _browser_name(raw)
        rel = safe_relative(sent)
        if rel is None or not is_table(rel):
            self.received.ignored.append(sent)
            return
        if len(self.received.files) >= self.max_files:
            raise UploadRefused("too-many-files", count=self.max_files)
        placed = self._placer.place(rel)
        target = self._placer.path(placed)
        self._out = open(target, "xb")  # noqa: SIM115 - closed at the part's end or by close()
        self.received.files.append(str(placed))
        if str(placed) != sent:
            self.received.renamed.append((sent, str(placed)))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is None:
            return
        self.received.size += end - start
        if self.received.size > self.max_bytes:
            raise UploadRefused("too-large", limit=self.max_bytes)
        self._out.write(data[start:end])  # type: ignore[attr-defined]

    def _part_end(self) -> None:
        self.close()


def boundary_of(content_type: str) -> bytes | None:
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        return None
    return options.get(b"boundary") or None


def free_space(folder: Path) -> int:
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return 1 << 62  # not known: let the writes say so
    return st.f_bavail * st.f_frsize
