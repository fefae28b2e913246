"""JUnit XML, the test report every CI system shows (GitLab, Jenkins, Azure DevOps, CircleCI).

One test suite for the run, one test case per file: it fails when the file blocks the deposit
(the failure lists the blockers, or says what Dataverse will do), it is an error when the file
could not be checked, and it passes otherwise, its warnings in `system-out`. The test case's
class is the Dataverse version checked against, so two runs for two versions can sit side by side.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from tabcheck import __version__
from tabcheck.model import FileReport, RunReport, Severity
from tabcheck.report import RenderOptions

_XML_UNSAFE = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE: None, 0xFFFF: None}


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: control characters dropped, surrogates shown as `\\udcxx`."""
    text = text.translate(_XML_UNSAFE)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _line(report: FileReport, lang: str) -> list[str]:
    out = []
    for f in report.findings:
        loc = f.location
        where = ", ".join(
            f"{k} {v}"
            for k, v in (
                ("sheet", loc.sheet),
                ("cell", loc.cell),
                ("line", loc.line),
                ("column", loc.column_name),
            )
            if v
        )
        out.append(f"{f.code} {f.severity.value}{f' ({where})' if where else ''}: {f.text(lang)}")
    return out


def _case(report: FileReport, version: str, lang: str) -> tuple[ET.Element, str]:
    case = ET.Element(
        "testcase", {"classname": f"tabcheck.dataverse-{version}", "name": xml_text(report.path)}
    )
    verdict = report.verdict
    lines = _line(report, lang)
    kind = "passed"
    if report.error:
        error = ET.SubElement(case, "error", {"message": xml_text(report.error), "type": "unreadable"})
        error.text = xml_text(report.error)
        kind = "error"
    elif verdict.blocking:
        blockers = [f for f in report.findings if f.severity is Severity.BLOCKER]
        first = blockers[0].text(lang) if blockers else verdict.status.value
        failure = ET.SubElement(case, "failure", {"message": xml_text(first), "type": verdict.status.value})
        failure.text = xml_text("\n".join(lines) or verdict.status.value)
        kind = "failure"
    else:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join([f"status: {verdict.status.value}", *lines]))
    return case, kind


def render(run: RunReport, options: RenderOptions) -> str:
    version = run.target.dataverse
    cases = [_case(r, version, options.lang) for r in run.files]
    counts = {k: sum(1 for _, kind in cases if kind == k) for k in ("failure", "error")}
    attrs = {
        "name": f"tabcheck {__version__} (Dataverse {version})",
        "tests": str(len(cases)),
        "failures": str(counts["failure"]),
        "errors": str(counts["error"]),
        "skipped": "0",
    }
    suites = ET.Element("testsuites", {k: v for k, v in attrs.items() if k != "skipped"})
    suite = ET.SubElement(suites, "testsuite", attrs)
    for case, _ in cases:
        suite.append(case)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
