"""Markdown: the run as a CI job summary or a merge-request comment shows it.

A line of counts, a table of the files that need attention (the blocking ones first) with what
Dataverse will do, then each blocker. Ready files are counted, not listed: the summary stays short
on a folder of hundreds of good tables. Cell text is escaped so a file name cannot break the table.
"""

from __future__ import annotations

from tabcheck.i18n import t
from tabcheck.model import FileReport, RunReport, Severity
from tabcheck.report import RenderOptions
from tabcheck.report.text import outcome_text, status_text, summary_text

_ORDER = {"fails": 0, "unreadable": 1, "not-ingested": 2, "altered": 3, "ready": 4}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes, line breaks and markup escaped."""
    text = " ".join(text.split())
    for ch in "\\|*_`[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def _rank(r: FileReport) -> tuple[int, int, str]:
    return (0 if r.verdict.blocking else 1, _ORDER.get(r.status, 5), r.path)


def render(run: RunReport, options: RenderOptions) -> str:
    lang = options.lang
    heads = t(lang, "markdown.header").split("|")  # file, status, blockers, Dataverse
    lines = [
        f"### tabcheck — {t(lang, 'dataverse', version=run.target.dataverse)}",
        "",
        summary_text(run, lang),
        "",
    ]
    shown = sorted((r for r in run.files if r.status != "ready" or r.findings), key=_rank)
    if shown:
        lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        for r in shown:
            blockers = sum(1 for f in r.findings if f.severity is Severity.BLOCKER)
            outcome = r.error_text(lang) or outcome_text(r, lang)
            lines.append(f"| {cell(r.path)} | {cell(status_text(r, lang))} | {blockers} | {cell(outcome)} |")
        details = [
            f"- {cell(r.path)} — {f.code} `{f.rule}`{t(lang, 'colon')} {cell(f.text(lang))}"
            for r in shown
            for f in r.findings
            if f.severity is Severity.BLOCKER
        ]
        if details:
            lines += ["", f"**{t(lang, 'markdown.blockers')}**", "", *details]
    return "\n".join(lines) + "\n"
