"""SARIF 2.1.0, the format code-scanning services read (GitHub code scanning, GitLab, Azure DevOps).

One run; the driver lists the rules that have findings, each with its summary, its reasons and how
to fix it (in the report's language), its default level and whether `tabcheck fix` repairs it. A
finding in a text table points at its physical line (a table column is not a character column,
so it is given in the message and the properties, not as `startColumn`); one in a workbook names
its sheet and cell as a logical location. A file that could not be checked is a tool execution
notification, so the run says it is incomplete. Validated against the OASIS schema in the tests.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from tabcheck import __version__
from tabcheck.messages import plain
from tabcheck.model import FileReport, Finding, RunReport, Severity
from tabcheck.report import RenderOptions
from tabcheck.rule import Rule
from tabcheck.status import exit_code

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.BLOCKER: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A path as a relative URI reference: `/` separators, anything else percent-encoded."""
    return quote(path.replace("\\", "/"), safe="/")


def _rule(rule: Rule, lang: str) -> dict[str, Any]:
    summary, why, fix = rule.summary[lang], rule.rationale[lang], rule.how_to_fix[lang]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": why},
        "help": {"text": fix, "markdown": f"**{summary}**\n\n{why}\n\n{fix}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "effect": rule.effect.value,
            "fixable": rule.fixable,
            "tags": ["dataverse", "tabular"],
        },
    }


def _unregistered(finding: Finding) -> dict[str, Any]:
    """A finding of no registered rule (an internal error, a crashed rule): still listed."""
    return {
        "id": finding.code or finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": finding.rule},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
    }


def _location(report: FileReport, finding: Finding) -> dict[str, Any]:
    loc = finding.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(report.path)}}
    if loc.line:
        physical["region"] = {"startLine": loc.line}
    out: dict[str, Any] = {"physicalLocation": physical}
    if loc.sheet or loc.cell:
        where = f"{loc.sheet}!{loc.cell}" if loc.sheet and loc.cell else (loc.sheet or loc.cell)
        out["logicalLocations"] = [{"name": where, "kind": "element"}]
    return out


def _result(report: FileReport, finding: Finding, index: int, lang: str) -> dict[str, Any]:
    loc = finding.location
    where = {
        k: v
        for k, v in (
            ("row", loc.row),
            ("line", loc.line),
            ("column", loc.column),
            ("columnName", loc.column_name),
            ("sheet", loc.sheet),
            ("cell", loc.cell),
        )
        if v is not None
    }
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.text(lang)},
        "locations": [_location(report, finding)],
        "properties": {
            "rule": finding.rule,
            "effect": finding.effect.value,
            "fixable": finding.fixable,
            "count": finding.count,
            "status": report.verdict.status.value,
            **where,
            "params": {k: plain(v) for k, v in finding.params.items()},
        },
    }


def run_sarif(run: RunReport, lang: str = "en") -> dict[str, Any]:
    from tabcheck.plugins import all_rules

    by_name = all_rules()
    used: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for report in run.files:
        if report.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{report.path}: {report.error}"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(report.path)}}}
                    ],
                }
            )
        for finding in report.findings:
            if finding.rule not in index:
                index[finding.rule] = len(used)
                rule = by_name.get(finding.rule)
                used.append(_rule(rule, lang) if rule is not None else _unregistered(finding))
            results.append(_result(report, finding, index[finding.rule], lang))
    code = exit_code(run.files)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tabcheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "language": lang,
                        "rules": used,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": code != 2,
                        "exitCode": code,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "language": lang,
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "dataverse": run.target.dataverse,
                    "maxIngestSize": run.target.max_ingest_size,
                },
            }
        ],
    }


def render(run: RunReport, options: RenderOptions) -> str:
    return json.dumps(run_sarif(run, options.lang), ensure_ascii=False, indent=2)
