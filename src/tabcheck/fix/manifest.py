"""What `tabcheck fix` did to each input, as `fix-manifest.json` records it (and the outputs show it).

Every change to a value is a declared transformation with its count and a few before → after
samples; everything else is copied as it is. A file `fix` is not sure how to read, or cannot
rewrite without losing a value, is refused with the reason and what to pass. Each output carries
the result of its verification against the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_EXAMPLES = 3


@dataclass
class Transformation:
    """One declared change (a repair's name, see fix/repairs.py, or a workbook conversion)."""

    name: str  # transcode, comma-delimiter, decimal-point, empty-null, drop-blank-lines, ...
    count: int = 0  # cells (or lines) changed
    examples: list[tuple[str, str]] = field(default_factory=list)  # (before, after)
    where: str | None = None  # a column, a sheet, …
    sheet: str | None = None  # the workbook sheet of a column's change (sheet_repairs.py)

    def add(self, before: str, after: str, n: int = 1) -> None:
        self.count += n
        if len(self.examples) < MAX_EXAMPLES and (before, after) not in self.examples:
            self.examples.append((before, after))


@dataclass
class Verification:
    """The output re-read beside its source: every cell equal after the declared transformations."""

    ok: bool
    rows: int = 0  # data rows compared (header included)
    cells: int = 0
    detail: str | None = None  # the first difference, when not ok
    round_trip: bool | None = None  # the transcoding gives back the original bytes (text files)
    # Blockers tabcheck still finds in the output, and what keeps a column it converted as text.
    recheck: list[str] = field(default_factory=list)
    # What Dataverse will read otherwise in the output than in the source, no declared
    # transformation explaining it (a TSV column of padded integers: continuous in a CSV).
    changes: list[str] = field(default_factory=list)
    # What Dataverse will still alter in the output (its other warnings: 12 %, 25/12/2020 kept as
    # text), said so that "verified" is not read as "nothing left": no fix of tabcheck's, no exit 1.
    altered: list[str] = field(default_factory=list)

    @property
    def needs_a_look(self) -> bool:
        """Verified, but a blocker remains or Dataverse reads the output otherwise: exit code 1."""
        return bool(self.recheck or self.changes)


@dataclass
class Output:
    path: Path
    sheet: str | None = None  # the workbook sheet it comes from
    rows: int = 0
    columns: int = 0
    verification: Verification | None = None
    # A sheet's CSV: its columns (0-based) where a number cell has a fractional part, written with a
    # decimal point (1.125): the text fix must not read a point there as a thousands separator.
    fraction_columns: frozenset[int] = frozenset()


@dataclass
class Refusal:
    """Why a file was not rewritten, and what the user can do (an option to pass, a fix by hand)."""

    reason: str  # a code: encoding-uncertain, delimiter-uncertain, ambiguous-numbers, not-a-table, ...
    message: str  # one sentence, English
    message_fr: str  # the same, French
    suggestion: str | None = None  # e.g. "--encoding cp1252"


@dataclass
class LeftAsIs:
    """A repair planned for part of a file and withdrawn once the rewrite met a value it cannot make:
    that part is copied as it is, and the user is told why."""

    repair: str  # the repair's name: iso-date
    where: str | None  # a column
    message: str  # one sentence, English
    message_fr: str  # the same, French
    # A finding of the check fix leaves as it is (TC401: 3,125 may be 3.125 or 3125): its code, said
    # with the copy's own findings, still to fix by hand when `blocker`, to look at otherwise.
    code: str | None = None
    blocker: bool = False
    output: Path | None = None  # the output it concerns (a workbook's sheet); None: the file's only one


@dataclass
class FileManifest:
    source: str
    encoding: str | None = None
    encoding_confidence: float | None = None
    delimiter: str | None = None
    delimiter_confidence: float | None = None
    outputs: list[Output] = field(default_factory=list)
    transformations: list[Transformation] = field(default_factory=list)
    refused: Refusal | None = None
    error: str | None = None  # an unexpected failure on this file (the run goes on)
    left: list[LeftAsIs] = field(default_factory=list)

    def transformation(self, name: str, where: str | None = None) -> Transformation:
        for t in self.transformations:
            if t.name == name and t.where == where:
                return t
        t = Transformation(name, where=where)
        self.transformations.append(t)
        return t

    @property
    def verified(self) -> bool:
        return bool(self.outputs) and all(
            o.verification is not None and o.verification.ok for o in self.outputs
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sniff": {
                "encoding": self.encoding,
                "encoding_confidence": self.encoding_confidence,
                "delimiter": self.delimiter,
                "delimiter_confidence": self.delimiter_confidence,
            },
            "outputs": [
                {
                    "path": str(o.path),
                    "sheet": o.sheet,
                    "rows": o.rows,
                    "columns": o.columns,
                    "verification": None
                    if o.verification is None
                    else {
                        "ok": o.verification.ok,
                        "rows": o.verification.rows,
                        "cells": o.verification.cells,
                        "detail": o.verification.detail,
                        "round_trip": o.verification.round_trip,
                        "recheck": o.verification.recheck,
                        "changes": o.verification.changes,
                        "altered": o.verification.altered,
                    },
                }
                for o in self.outputs
            ],
            "transformations": [
                {
                    "name": t.name,
                    "where": t.where,
                    **({"sheet": t.sheet} if t.sheet is not None else {}),
                    "count": t.count,
                    "examples": [list(e) for e in t.examples],
                }
                for t in self.transformations
                if t.count
            ],
            "left": [
                {
                    "repair": x.repair,
                    "where": x.where,
                    "message": x.message,
                    "message_fr": x.message_fr,
                    **({"code": x.code, "blocker": x.blocker} if x.code else {}),
                }
                for x in self.left
            ],
            "refused": None
            if self.refused is None
            else {
                "reason": self.refused.reason,
                "message": self.refused.message,
                "message_fr": self.refused.message_fr,
                "suggestion": self.refused.suggestion,
            },
            "error": self.error,
        }
