"""The terminal output: one block per file, one line per finding, a summary (ruff-like)."""

from __future__ import annotations

from collections.abc import Iterable

from tabcheck.i18n import t
from tabcheck.model import FileReport, Finding, Location, Outcome, RunReport
from tabcheck.report import RenderOptions
from tabcheck.status import Status

COLOURS = {
    "blocker": "31",
    "warning": "33",
    "info": "36",
    "ready": "32",
    "altered": "33",
    "fails": "31",
    "not-ingested": "33",
    "unreadable": "35",
    "error": "35",
    "dim": "2",
    "bold": "1",
}


class Painter:
    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{COLOURS[style]}m{text}\x1b[0m" if self.colour else text


def where(loc: Location, lang: str) -> str:
    parts = []
    if loc.sheet:
        parts.append(f"{t(lang, 'sheet')} {loc.sheet}")
    if loc.cell:
        parts.append(f"{t(lang, 'cell')} {loc.cell}")
    elif loc.row is not None:
        parts.append(f"{t(lang, 'row')} {loc.row}")
    if loc.line is not None and loc.line != loc.row:
        parts.append(f"{t(lang, 'line')} {loc.line}")
    if loc.column is not None and not loc.cell:
        parts.append(f"{t(lang, 'column')} {loc.column}")
    return ", ".join(parts)


def _position(loc: Location) -> str:
    if loc.sheet or loc.cell:
        return ":".join(x for x in (loc.sheet, loc.cell) if x)
    if loc.row is None:
        return "-"
    return f"{loc.row}:{loc.column}" if loc.column else str(loc.row)


def render_file(r: FileReport, lang: str, paint: Painter, version: str) -> Iterable[str]:
    facts = [r.format]
    if r.encoding:
        facts.append(r.encoding)
    if r.delimiter:
        facts.append({"\t": "TAB", ",": "','", ";": "';'", "|": "'|'"}.get(r.delimiter, repr(r.delimiter)))
    yield f"{paint(terminal_safe(r.path), 'bold')}  ({', '.join(facts)})  {paint(status_text(r, lang), r.status)}"
    if r.error:
        yield f"  {paint(t(lang, 'error'), 'error')}{t(lang, 'colon')} {terminal_safe(r.error_text(lang) or '')}"
        return
    width = max((len(terminal_safe(_position(f.location))) for f in r.findings), default=0)
    for f in r.findings:
        yield "  " + _finding_line(f, paint, lang, width)
    if not r.findings:
        yield "  " + paint(t(lang, "no-findings"), "dim")
    if r.dataverse is not None:
        yield "  → " + t(lang, "dataverse", version=version) + t(lang, "colon") + " " + outcome_text(r, lang)


_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0)]}


def terminal_safe(text: str) -> str:
    """Control characters from file names or cells (ESC, CR, LF…) shown escaped: a name can neither
    recolour the terminal nor break a line of the report."""
    return text.translate(_CONTROLS)


def _finding_line(f: Finding, paint: Painter, lang: str, width: int = 7) -> str:
    """One finding; `width` aligns the codes of a file whatever the length of its locations."""
    pos = terminal_safe(_position(f.location)).ljust(max(width, 7))
    width = max(9, *(len(t(lang, f"severity.{s}")) for s in ("blocker", "warning", "info")))
    sev = paint(t(lang, f"severity.{f.severity.value}").ljust(width), f.severity.value)
    note = " " + t(lang, "view.author") if f.view == "author" else ""
    return f"{pos} {f.code} {sev} {terminal_safe(f.text(lang))}{note}  [{f.rule}]"


def status_text(r: FileReport, lang: str) -> str:
    """The status word, and "to fix before depositing" when the file blocks but the word does not say so."""
    v = r.verdict
    word = t(lang, v.status.value)
    if v.blocking and v.status in (Status.ALTERED, Status.NOT_INGESTED):
        return f"{word}, {t(lang, 'status.blocking')}"
    return word


def summary_text(run: RunReport, lang: str) -> str:
    """The last line: files per status, and how many must be fixed before depositing."""
    s = run.summary
    return t(
        lang,
        "summary",
        files=s["files"],
        ready=s[Status.READY.value],
        altered=s[Status.ALTERED.value],
        fails=s[Status.FAILS.value],
        not_ingested=s[Status.NOT_INGESTED.value],
        unreadable=s[Status.UNREADABLE.value],
        blocked=s["blocked"],
    )


def outcome_text(r: FileReport, lang: str) -> str:
    p = r.dataverse
    if p is None:
        return ""
    if p.outcome == Outcome.INGESTED:
        text = t(lang, "outcome.ingested", variables=p.variables, observations=p.observations)
        refused_by = r.verdict.refused_by
        if refused_by:  # row 4 of tabcheck.status: ingested by the reader, refused by a rule
            codes = ", ".join(dict.fromkeys(f"{f.code} {f.rule}" for f in refused_by))
            text += " — " + t(lang, "status.refused", rules=codes)
        return text
    if p.outcome == Outcome.FAILS:
        text = t(lang, "outcome.fails", message=p.message) if p.message else t(lang, "outcome.fails-unknown")
        if p.real_location is not None and (p.real_location.row or p.real_location.cell):
            text += " — " + t(lang, "real-row", where=where(p.real_location, lang))
        return text
    return t(lang, f"outcome.{p.outcome.value}")


def render(run: RunReport, options: RenderOptions) -> str:
    lang = options.lang
    paint = Painter(options.colour)
    lines: list[str] = []
    for r in run.files:
        lines.extend(render_file(r, lang, paint, run.target.dataverse))
        lines.append("")
    if not run.files:
        lines.append(t(lang, "no-files"))
    lines.append(paint(summary_text(run, lang), "bold"))
    return "\n".join(lines)
