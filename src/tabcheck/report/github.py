"""GitHub Actions workflow commands: each finding becomes an annotation on the file and line.

`::error file=data/a.csv,line=12,title=TC203 ragged-row::message` — blockers are errors, warnings
warnings, information notices. Workbook findings name their sheet and cell in the title (an
annotation has no such place). Property values and messages are escaped as the runner expects
(`%`, CR, LF, and in properties `:` and `,`), so a file name cannot end the command early.
"""

from __future__ import annotations

from tabcheck.model import Finding, RunReport, Severity
from tabcheck.report import RenderOptions

COMMANDS = {Severity.BLOCKER: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(f: Finding) -> str:
    loc = f.location
    title = f"{f.code} {f.rule}"
    if loc.sheet or loc.cell:
        title += f" ({'!'.join(p for p in (loc.sheet, loc.cell) if p)})"
    elif loc.column_name:
        title += f" (column {loc.column_name})"
    return title


def render(run: RunReport, options: RenderOptions) -> str:
    lines = []
    for report in run.files:
        path = escape_property(report.path)
        if report.error:
            lines.append(f"::error file={path},title=tabcheck::{escape_data(report.error)}")
        for f in report.findings:
            where = f"file={path}"
            if f.location.line:
                where += f",line={f.location.line}"
            message = escape_data(f.text(options.lang))
            lines.append(f"::{COMMANDS[f.severity]} {where},title={escape_property(_title(f))}::{message}")
    return "\n".join(lines)
