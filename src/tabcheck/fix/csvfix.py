"""Rewriting a CSV/TSV file as UTF-8, comma-separated, with the mechanical repairs applied."""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

from tabcheck.fix.output import atomic_text
from tabcheck.fix.repairs import plan_for
from tabcheck.model import FileReport
from tabcheck.patterns import DECIMAL_COMMA_RE, decimal_point
from tabcheck.scan.records import RecordSplitter

BLOCK = 8 * 1024 * 1024
_BREAKS = re.compile(r"\r\n|\r|\n")


def fix_csv(path: Path, report: FileReport, target: Path, result) -> None:
    plan = _Plan(report)
    tsv = path.suffix.lower() in (".tsv", ".tab")
    delimiter = report.delimiter or ("\t" if tsv else ",")
    splitter = RecordSplitter(delimiter, skip_empty_lines=tsv, trim=tsv)
    decoder = codecs.getincrementaldecoder(_codec(report.encoding))(errors="replace")
    notes: list[str] = []
    with atomic_text(target, path) as out, open(path, "rb") as fh:
        writer = csv.writer(out, lineterminator="\n")
        row = 0
        while True:
            block = fh.read(BLOCK)
            text = decoder.decode(block, final=not block)
            records = splitter.feed(text)
            if not block:
                records += splitter.finish()
            for rec in records:
                row += 1  # rows as the check counts them: a CSV's empty lines are rows too
                if rec.blank or (len(rec.fields) == 1 and not rec.fields[0].strip() and row > 1):
                    plan.note("blank")
                    continue
                if row in plan.moved_rows:
                    notes.append(" ".join(f for f in rec.fields if f.strip()))
                    continue
                writer.writerow(plan.apply(rec.fields, row))
            if not block:
                break
    if notes:
        with atomic_text(target.with_suffix(".notes.txt")) as fh:
            fh.write("\n".join(notes) + "\n")
        result.outputs.append(target.with_suffix(".notes.txt"))
    result.outputs.insert(0, target)
    result.changes.extend(plan.describe(report, delimiter))


def _codec(encoding: str | None) -> str:
    name = (encoding or "utf-8").lower()
    if name == "utf-8":
        return "utf-8-sig"  # drops the BOM
    try:
        codecs.lookup(name)
        return name
    except LookupError:
        return "cp1252"


class _Plan:
    """What to change, from the check's findings through the repairs their rules declare."""

    def __init__(self, report: FileReport):
        plan, self.asked = plan_for(report.findings)
        self.decimal_cols = plan.decimal_columns
        self.null_cols = plan.null_columns
        self.moved_rows = plan.moved_rows
        self.counts = {"blank": 0, "decimal": 0, "null": 0, "newline": 0}

    def note(self, what: str) -> None:
        self.counts[what] += 1

    def apply(self, fields: list[str], row: int) -> list[str]:
        out = []
        for i, v in enumerate(fields):
            if row == 1 and i == 0:
                v = v.lstrip("\ufeff")
            if row > 1 and i in self.decimal_cols and DECIMAL_COMMA_RE.match(v):
                v = decimal_point(v)
                self.counts["decimal"] += 1
            elif row > 1 and i in self.null_cols and v.strip().lower() == "null":
                v = ""
                self.counts["null"] += 1
            if "\n" in v or "\r" in v:
                v = _BREAKS.sub(" ", v)
                self.counts["newline"] += 1
            out.append(v)
        return out

    def describe(self, report: FileReport, delimiter: str) -> list[tuple[str, dict]]:
        """(message key, params) pairs, rendered in the user's language by the CLI."""
        changes: list[tuple[str, dict]] = []
        if (report.encoding or "utf-8") != "utf-8":
            changes.append(("fix.encoding", {"encoding": report.encoding}))
        if "drop-bom" in self.asked:
            changes.append(("fix.bom", {}))
        if delimiter != ",":
            changes.append(("fix.delimiter", {"delimiter": {"\t": "TAB"}.get(delimiter, delimiter)}))
        changes.extend((f"fix.{k}", {"count": n}) for k, n in self.counts.items() if n)
        if self.moved_rows:
            changes.append(("fix.moved", {"count": len(self.moved_rows)}))
        return changes
