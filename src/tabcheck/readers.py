"""Input readers, registered by format: each turns a file into its facts in one streaming pass.

A new input format is one reader module plus a line in `READERS`; the checker, the rules and the
Dataverse model only ever see `FileFacts`.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from tabcheck.facts import FileFacts
from tabcheck.scan.evidence import Evidence
from tabcheck.sniff import Sniff


class Reader(Protocol):
    """Reads one file and fills `facts.table` or `facts.workbook` (or another facts attribute)."""

    def __call__(self, facts: FileFacts, sniff: Sniff, evidence: dict[str, Evidence]) -> None: ...


# format -> "module:function"; imported on first use, so a workbook-only run never loads polars.
READERS: dict[str, str] = {
    "csv": "tabcheck.scan.csv:read_table",
    "tsv": "tabcheck.scan.csv:read_table",
    "tab": "tabcheck.scan.csv:read_table",
    "xlsx": "tabcheck.workbook.reader:read_facts",
}


def reader_for(fmt: str) -> Reader | None:
    """The reader of a format, or None for formats that are only looked at (xls, ods, txt, …)."""
    target = READERS.get(fmt)
    if target is None:
        return None
    module, _, name = target.partition(":")
    reader: Reader = getattr(importlib.import_module(module), name)
    return reader
