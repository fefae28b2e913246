"""Where `tabcheck fix` writes each output: names that never collide, never overwrite silently.

The scheme (documented in the README):

- a `.csv` input keeps its name: `data/mesures.csv` → `OUT/data/mesures.csv`;
- any other input keeps its whole name and gets `.csv` appended: `mesures.tsv` → `mesures.tsv.csv`,
  `mesures.txt` → `mesures.txt.csv`, `mesures.xlsx` → `mesures.xlsx.csv` (a workbook with one
  non-empty sheet), so `mesures.csv`, `mesures.tsv` and `mesures.xlsx` in one folder give three files;
- each sheet of a workbook with several sheets: `mesures.xlsx.<sheet>.csv`, the sheet's name made
  safe for a file name (`Site A` → `Site_A`), then made unique (`Site A` and `Site_A` give
  `Site_A` and `Site_A-2`);
- a table's notes (title, legend moved out of the table): the output's name with `.notes.txt` in
  place of `.csv`;
- a workbook's sheet of text lines beside a table (notes, a read-me): `mesures.xlsx.<sheet>.txt`;
- `fix-manifest.json` at the top of the output folder.

Uniqueness is case-insensitive (two names differing only in case are one file on macOS and
Windows): a name already handed out in this run gets `-2`, `-3`, … before its extension. Whether a
file already exists on disk is decided when it is written (fix/output.py: refused without --force).
"""

from __future__ import annotations

import re
from pathlib import Path

MANIFEST = "fix-manifest.json"
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_part(name: str) -> str:
    """A sheet name as part of a file name: letters, digits, `_`, `.`, `-` only; never empty."""
    return _UNSAFE.sub("_", name).strip("_.") or "sheet"


class OutputNames:
    """Hands out the output paths of one `fix` run below `out_dir`, each one only once.

    Register each input with `register(source, relative)` (the input's path relative to the folder
    the user named), then ask `table(source)`, `sheet(source, sheet_name)` or `notes(output)`.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._relative: dict[Path, Path] = {}
        self._taken: set[str] = {self._key(self.out_dir / MANIFEST)}

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST

    def register(self, source: Path, relative: Path) -> None:
        self._relative[Path(source)] = Path(relative)

    def base(self, source: Path) -> Path:
        """The output path of `source` before the extension rules: below out_dir, as below the input."""
        rel = self._relative.get(Path(source), Path(Path(source).name))
        return self.out_dir / rel

    def table(self, source: Path) -> Path:
        """The one CSV made from a text table (or from a workbook with one sheet)."""
        base = self.base(source)
        name = base.name if base.suffix.lower() == ".csv" else base.name + ".csv"
        return self.claim(base.with_name(name))

    def sheet(self, source: Path, sheet_name: str) -> Path:
        """The CSV made from one sheet of a workbook with several sheets (ask in sheet order)."""
        base = self.base(source)
        return self.claim(base.with_name(f"{base.name}.{safe_part(sheet_name)}.csv"))

    def sheet_text(self, source: Path, sheet_name: str) -> Path:
        """The text file made from a sheet of text lines (notes, a read-me) of a workbook."""
        base = self.base(source)
        return self.claim(base.with_name(f"{base.name}.{safe_part(sheet_name)}.txt"))

    def notes(self, output: Path) -> Path:
        """The notes file beside an output CSV: `mesures.csv` → `mesures.notes.txt`."""
        name = output.name[:-4] if output.name.lower().endswith(".csv") else output.name
        return self.claim(output.with_name(name + ".notes.txt"))

    def claim(self, path: Path) -> Path:
        """`path`, or `stem-2.ext`, `stem-3.ext`, … when an earlier output of this run has it."""
        path = Path(path)
        stem, ext = _split_ext(path.name)
        candidate, n = path, 1
        while self._key(candidate) in self._taken:
            n += 1
            candidate = path.with_name(f"{stem}-{n}{ext}")
        self._taken.add(self._key(candidate))
        return candidate

    @staticmethod
    def _key(path: Path) -> str:
        return str(path).casefold()


def _split_ext(name: str) -> tuple[str, str]:
    for ext in (".notes.txt", ".csv"):
        if name.lower().endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)], name[-len(ext) :]
    stem, dot, ext = name.rpartition(".")
    return (stem, dot + ext) if stem else (name, "")
