"""Turning the paths a user gives into the files to check."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TABULAR_EXTENSIONS = (".csv", ".tsv", ".tab", ".xlsx", ".xls", ".xlsm", ".xlsb", ".ods", ".txt")
# How Dataverse treats each extension: the three it ingests, and those it stores as they are.
FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tab",
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".xlsm": "xlsm",
    ".xlsb": "xlsb",
    ".ods": "ods",
    ".txt": "txt",
}


@dataclass(frozen=True)
class Candidate:
    path: Path
    display: str  # as the user would recognise it: relative to what they typed
    explicit: bool  # named on the command line (checked whatever its extension)
    root: Path | None = None  # the folder it was found in, when found by walking one

    @property
    def relative(self) -> Path:
        """Its path below the folder the user named (just its name when named itself)."""
        if self.root is None:
            return Path(self.path.name)
        try:
            return self.path.relative_to(self.root)
        except ValueError:
            return Path(self.path.name)


def discover(paths: list[str | Path]) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """Files to check, and (path, reason) for the paths that cannot be read at all."""
    found: list[Candidate] = []
    problems: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        p = Path(raw)
        if not os.path.lexists(p):
            problems.append((str(raw), "not-found"))
        elif p.is_dir():
            _walk(p, found, problems, seen)
        elif p.is_file():
            if _first_visit(p, seen):
                found.append(Candidate(p, str(raw), explicit=True))
        else:
            problems.append((str(raw), _not_a_file(p)))
    return found, problems


def _not_a_file(p: Path) -> str:
    """Why a path that is neither a folder nor a regular file is not read: a link to nothing (or a
    loop of links), or a named pipe, a socket, a device (never opened: it could block the run)."""
    return "broken-link" if p.is_symlink() and not p.exists() else "not-a-file"


def _first_visit(p: Path, seen: set[tuple[int, int]]) -> bool:
    try:
        st = p.stat()
    except OSError:
        return True
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(
    root: Path, found: list[Candidate], problems: list[tuple[str, str]], seen: set[tuple[int, int]]
) -> None:
    """Sorted, hidden folders skipped; followed symlinks are visited once (no loops).

    Iterative (a stack of folders, not recursion): a thousand nested folders are walked like one.
    """
    visited_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError:
            problems.append((str(folder), "unreadable"))
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited_dirs:
            continue
        visited_dirs.add(key)
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError:
            problems.append((str(folder), "unreadable"))
            continue
        subfolders = []
        for entry in listing:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks, as a user expects
            except OSError:
                is_dir = False  # a loop of links: said below when its name is a table's
            if is_dir:
                subfolders.append(Path(entry.path))
                continue
            if not entry.name.lower().endswith(TABULAR_EXTENSIONS):
                continue
            p = Path(entry.path)
            if not p.is_file():  # said, not skipped: the user meant to deposit it
                problems.append((str(p), _not_a_file(p)))
                continue
            if _first_visit(p, seen):
                found.append(Candidate(p, str(p), explicit=False, root=root))
        stack.extend(reversed(subfolders))  # files first, then folders in name order (as os.walk did)


def format_of(path: Path) -> str:
    return FORMATS.get(path.suffix.lower(), "unknown")
