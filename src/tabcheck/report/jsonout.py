"""The JSON output: a contract other tools read (see the README)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from tabcheck import __version__
from tabcheck.messages import plain, shorten
from tabcheck.model import FileReport, Finding, Location, RunReport
from tabcheck.report import RenderOptions


def _location(loc: Location) -> dict[str, Any]:
    return {k: v for k, v in asdict(loc).items() if v is not None}


def finding_json(f: Finding, lang: str = "en") -> dict[str, Any]:
    loc = f.location
    out: dict[str, Any] = {
        "rule": f.rule,
        "code": f.code,
        "severity": f.severity.value,
        "effect": f.effect.value,
        "message": f.text(lang),
        "row": loc.row,
        "line": loc.line,
        "column": loc.column,
        "column_name": shorten(loc.column_name) if loc.column_name else loc.column_name,
        "sheet": loc.sheet,
        "count": f.count,
        "fixable": f.fixable,
    }
    if f.view != "dataverse":
        out["view"] = f.view  # the author's reading of the table, Dataverse cannot read it yet
    if loc.cell:
        out["cell"] = loc.cell
    if f.samples:
        out["samples"] = [_location(s) for s in f.samples]
    out["params"] = {k: plain(v) for k, v in f.params.items()}
    return out


def file_json(r: FileReport, lang: str = "en") -> dict[str, Any]:
    verdict = r.verdict  # status and blocking: one truth table (tabcheck.status)
    out: dict[str, Any] = {
        "path": r.path,
        "format": r.format,
        "size": r.size,
        "encoding": r.encoding,
        "delimiter": r.delimiter,
        "status": verdict.status.value,
        "blocking": verdict.blocking,
        "findings": [finding_json(f, lang) for f in r.findings],
        "dataverse": r.dataverse.to_json() if r.dataverse else None,
    }
    if r.error:
        out["error"] = r.error_text(lang)
    return out


def run_json(run: RunReport, lang: str = "en") -> dict[str, Any]:
    out: dict[str, Any] = {
        "tabcheck": __version__,
        "target": {"dataverse": run.target.dataverse, "max_ingest_size": run.target.max_ingest_size},
        "lang": lang,
        "files": [file_json(f, lang) for f in run.files],
    }
    if run.unf is not None:
        out["unf"] = run.unf  # the dataset UNF (check --codebook)
    out["summary"] = run.summary
    return out


def render(run: RunReport, options: RenderOptions) -> str:
    return json.dumps(run_json(run, options.lang), ensure_ascii=False, indent=2)
