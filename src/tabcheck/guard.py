"""The one guard every writer goes through, so that no output can ever land on an original.

`check -o`, `fix` (its tables, notes and manifest), and any later writer ask the run's guard before
they create a file. The guard refuses, before anything is written:

1. a path that resolves (symlinks and `..` included) to an input file, even with `--force`;
2. a path inside a folder being walked: `fix` refuses its output folder there (a later run would
   take outputs for inputs); `check -o` leaves the report out of the check and says so;
3. an existing file tabcheck did not write in this run, unless `--force`;
4. anything that is not a regular file (a folder, a FIFO, a device), even with `--force`;
5. a path claimed twice in one run (two outputs never share a name).

A refusal is an `OutputRefused` with its text in English and French; the CLI prints it and exits 2.
The guard of the current run is also reachable through `current()`, so that deep writers (a sheet's
CSV, a notes file) use the same guard without threading it through every call.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_CURRENT: contextvars.ContextVar[OutputGuard | None] = contextvars.ContextVar("tabcheck_guard", default=None)


class OutputRefused(ValueError):
    """Writing this output could touch an original or a file the user did not ask to replace."""

    def __init__(self, message: str, message_fr: str, path: Path, *, forceable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.message_fr = message_fr
        self.path = path
        self.forceable = forceable  # --force would allow it (an existing file, nothing else)

    def text(self, lang: str) -> str:
        return self.message_fr if lang == "fr" else self.message


def _resolved(path: Path | str) -> Path:
    """The real path, symlinks and `..` followed; a symlink loop stays a path (never an error)."""
    return Path(os.path.realpath(Path(path).expanduser()))


@dataclass
class OutputGuard:
    """What one run may write: never an input, never into a walked folder, never over a stranger.

    `inputs` are the paths the user named (files and folders); `input_files` the files found below
    them (they may be given later, once discovered, with `add_inputs`).
    """

    inputs: Iterable[Path | str] = ()
    input_files: Iterable[Path | str] = ()
    force: bool = False
    _files: set[Path] = field(default_factory=set, init=False, repr=False)
    _folders: list[Path] = field(default_factory=list, init=False, repr=False)
    _claimed: set[Path] = field(default_factory=set, init=False, repr=False)
    _written: set[Path] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        for raw in self.inputs:
            p = Path(raw)
            if p.is_dir():
                self._folders.append(_resolved(p))
            elif p.exists() or p.is_symlink():
                self._files.add(_resolved(p))
        self.add_inputs(self.input_files)

    def add_inputs(self, files: Iterable[Path | str]) -> None:
        self._files.update(_resolved(f) for f in files)

    def walked_folder_of(self, target: Path | str) -> Path | None:
        """The walked folder `target` would be inside (or be), else None."""
        where = _resolved(target)
        for folder in self._folders:
            if where == folder or folder in where.parents:
                return folder
        return None

    def is_input(self, target: Path | str) -> bool:
        return _resolved(target) in self._files

    def folder(self, out_dir: Path | str) -> Path:
        """An output folder: refused when it is, or is inside, a walked folder or an input file's folder."""
        where = _resolved(out_dir)
        if where in self._files:
            raise OutputRefused(
                f"the output folder {out_dir} is one of the files to fix",
                f"le dossier de sortie {out_dir} est l'un des fichiers à corriger",
                Path(out_dir),
            )
        named = {f.parent for f in self._files}
        walked = self.walked_folder_of(where)
        if walked is not None or where in named:
            inside = "is" if where == walked or where in named else "is inside"
            inside_fr = "est" if inside == "is" else "est dans"
            raise OutputRefused(
                f"the output folder {out_dir} {inside} a folder of the files to fix: write the "
                "fixed copies elsewhere (e.g. -o fixed/)",
                f"le dossier de sortie {out_dir} {inside_fr} un dossier des fichiers à corriger\u00a0: "
                "écrivez les copies corrigées ailleurs (par ex. -o corriges/)",
                Path(out_dir),
            )
        if where.exists() and not where.is_dir():
            raise OutputRefused(
                f"the output folder {out_dir} exists and is not a folder",
                f"le dossier de sortie {out_dir} existe et n'est pas un dossier",
                Path(out_dir),
            )
        return where

    def claim(
        self,
        target: Path | str,
        *,
        inside_walk_ok: bool = False,
        replaceable: bool = False,
        reserve: bool = True,
    ) -> Path:
        """Allow writing `target` once in this run, or raise OutputRefused. Returns the resolved path.

        `inside_walk_ok`: the caller keeps the output out of the walk (check -o). `replaceable`: the
        existing file is tabcheck's own record of an earlier run (fix-manifest.json), replaced freely.
        `reserve=False` only asks: the name stays free.
        """
        where = _resolved(target)
        shown = str(target)
        if where in self._files:
            raise OutputRefused(
                f"{shown} is one of the files being checked: the output would replace it (choose "
                "another path)",
                f"{shown} est l'un des fichiers vérifiés\u00a0: la sortie le remplacerait (choisissez un "
                "autre chemin)",
                Path(target),
            )
        if not inside_walk_ok and self.walked_folder_of(where) is not None:
            raise OutputRefused(
                f"{shown} is inside a folder being read: write it elsewhere",
                f"{shown} est dans un dossier en cours de lecture\u00a0: écrivez-le ailleurs",
                Path(target),
            )
        if where in self._claimed:
            raise OutputRefused(
                f"{shown} would be written twice in this run",
                f"{shown} serait écrit deux fois pendant cette exécution",
                Path(target),
            )
        try:
            st = os.stat(where)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise OutputRefused(
                f"{shown} cannot be examined: {e.strerror or e}",
                f"{shown} ne peut pas être examiné\u00a0: {e.strerror or e}",
                Path(target),
            ) from None
        if st is not None:
            if not stat.S_ISREG(st.st_mode):
                raise OutputRefused(
                    f"{shown} exists and is not a regular file: tabcheck will not write there",
                    f"{shown} existe et n'est pas un fichier ordinaire\u00a0: tabcheck n'y écrira pas",
                    Path(target),
                )
            if where not in self._written and not self.force and not replaceable:
                raise OutputRefused(
                    f"{shown} already exists: pass --force to replace it",
                    f"{shown} existe déjà\u00a0: indiquez --force pour le remplacer",
                    Path(target),
                    forceable=True,
                )
        if reserve:
            self._claimed.add(where)
        return where

    def release(self, target: Path | str) -> None:
        """A claimed output was not written after all (refused, failed): its name is free again."""
        where = _resolved(target)
        if where not in self._written:
            self._claimed.discard(where)

    def wrote(self, target: Path | str) -> None:
        """`target` now holds what this run wrote."""
        self._written.add(_resolved(target))

    def replacing(self, target: Path | str) -> None:
        """A later stage of the same output is about to replace `target` (a sheet's CSV repaired):
        allowed only for a file this run wrote, never an input."""
        where = _resolved(target)
        if where in self._files or where not in self._written:
            raise OutputRefused(
                f"{target} was not written by this run: tabcheck will not replace it",
                f"{target} n'a pas été écrit par cette exécution : tabcheck ne le remplacera pas",
                Path(target),
            )

    def check_again(self, target: Path | str) -> None:
        """Just before the rename: nothing appeared at `target` since it was claimed."""
        where = _resolved(target)
        if where in self._files:
            raise OutputRefused(
                f"{target} is one of the files being checked",
                f"{target} est l'un des fichiers vérifiés",
                Path(target),
            )
        if where.exists() and where not in self._written and not self.force:
            raise OutputRefused(
                f"{target} appeared while tabcheck was writing it: pass --force to replace it",
                f"{target} est apparu pendant l'écriture\u00a0: indiquez --force pour le remplacer",
                Path(target),
                forceable=True,
            )

    @contextlib.contextmanager
    def active(self) -> Iterator[OutputGuard]:
        """Make this guard the one `current()` returns for the block."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


def current() -> OutputGuard | None:
    """The guard of the running command, if one is active."""
    return _CURRENT.get()
