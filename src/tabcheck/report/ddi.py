"""`--format ddi`: the codebook as the variables' part of a DDI Codebook 2.5 document, in the shape
of Dataverse's DDI export (DdiExportUtil: `fileDscr` with the file UNF, `dataDscr/var` with
`location`, `labl`, `sumStat`, `varFormat` and the UNF note), so that a steward can set it beside
the export of the deposited dataset. Dataverse's database ids are replaced by the files' and
variables' positions (`f1`, `v1.3`); the file is named as Dataverse stores it (`.tab`). Only the
files Dataverse ingests appear; the run asks for the codebook itself (see `check --codebook`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from xml.sax.saxutils import escape, quoteattr

from tabcheck.codebook.stats import TYPES
from tabcheck.model import ColumnPrediction, Outcome, RunReport
from tabcheck.report import RenderOptions

NAMESPACE = "ddi:codebook:2_5"
SCHEMA = "https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
UNF_SUBJECT = "Universal Numeric Fingerprint"
TIME_FORMATS = {"tz": "yyyy-MM-dd HH:mm:ss z", "notz": "yyyy-MM-dd HH:mm:ss"}


def _text(value: str) -> str:
    """XML 1.0 text: characters it cannot hold (controls other than TAB, LF, CR) as U+FFFD."""
    clean = "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in value)
    return escape(clean)


def _attr(value: str) -> str:
    return quoteattr("".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in value))


def _tab_name(path: str) -> str:
    p = PurePosixPath(path.replace("\\", "/"))
    return p.with_suffix(".tab").name if p.suffix else p.name + ".tab"


def _var(col: ColumnPrediction, file_id: str, var_id: str) -> list[str]:
    intrvl = "contin" if col.type == "continuous" else "discrete"
    out = [f"    <var ID={_attr(var_id)} name={_attr(col.name)} intrvl={_attr(intrvl)}>"]
    out.append(f"      <location fileid={_attr(file_id)}/>")
    out.append(f'      <labl level="variable">{_text(col.name)}</labl>')
    for key in TYPES:
        if col.stats is not None and key in col.stats:
            out.append(f"      <sumStat type={_attr(key)}>{_text(col.stats[key])}</sumStat>")
    if col.type in ("integer", "continuous"):
        out.append('      <varFormat type="numeric"/>')
    elif col.type == "date":
        out.append('      <varFormat type="character" formatname="yyyy-MM-dd" category="date"/>')
    elif col.type == "time":
        fmt = TIME_FORMATS["notz"]
        out.append(f'      <varFormat type="character" formatname={_attr(fmt)} category="time"/>')
    else:
        out.append('      <varFormat type="character"/>')
    if col.unf:
        out.append(
            f'      <notes subject="{UNF_SUBJECT}" level="variable" type="Dataverse:UNF">{_text(col.unf)}</notes>'
        )
    out.append("    </var>")
    return out


def render(run: RunReport, options: RenderOptions) -> str:
    ingested = [
        f
        for f in run.files
        if f.dataverse is not None
        and f.dataverse.outcome == Outcome.INGESTED
        and f.dataverse.columns is not None
    ]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<codeBook xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NAMESPACE} {SCHEMA}" version="2.5">',
    ]
    if run.unf:
        lines.append(f"  <!-- dataset UNF of these files: {run.unf} -->")
    for n, f in enumerate(ingested, 1):
        pred = f.dataverse
        assert pred is not None and pred.columns is not None
        lines += [
            f'  <fileDscr ID="f{n}">',
            "    <fileTxt>",
            f"      <fileName>{_text(_tab_name(f.path))}</fileName>",
            "      <dimensns>",
            f"        <caseQnty>{pred.observations or 0}</caseQnty>",
            f"        <varQnty>{len(pred.columns)}</varQnty>",
            "      </dimensns>",
            "      <fileType>text/tab-separated-values</fileType>",
            "    </fileTxt>",
        ]
        if pred.unf:
            lines.append(
                f'    <notes level="file" type="VDC:UNF" subject="{UNF_SUBJECT}">{_text(pred.unf)}</notes>'
            )
        lines.append(f"    <notes>{_text('tabcheck: ' + f.path)}</notes>")
        lines.append("  </fileDscr>")
    if ingested:
        lines.append("  <dataDscr>")
        for n, f in enumerate(ingested, 1):
            assert f.dataverse is not None and f.dataverse.columns is not None
            for i, col in enumerate(f.dataverse.columns, 1):
                lines += _var(col, f"f{n}", f"v{n}.{i}")
        lines.append("  </dataDscr>")
    lines.append("</codeBook>")
    return "\n".join(lines) + "\n"
