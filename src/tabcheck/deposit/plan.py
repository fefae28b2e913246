"""What `tabcheck deposit` does with each checked file, decided before anything is sent.

| the file (tabcheck check)                        | --on-fail refuse | --on-fail fixed              | --on-fail no-ingest        |
|--------------------------------------------------|------------------|------------------------------|----------------------------|
| could not be checked (`unreadable`)              | refused          | refused                      | refused                    |
| `fails`, or blocks (a blocker, a fails effect)   | refused          | its fixed copy, if `fix`     | the original, `tabIngest`  |
|                                                  |                  | verifies it and the copy no  | false (a plain file)       |
|                                                  |                  | longer blocks; else refused  |                            |
| otherwise (ready, altered, a plain .txt)         | the original     | the original                 | the original               |

Each upload carries the prediction for the bytes sent: the check's for an original, a new check of
the fixed copy for a copy, "not ingested" for a file sent with tabular ingest turned off.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tabcheck.discover import Candidate
from tabcheck.model import FileReport, Outcome, Prediction, RunReport

ON_FAIL = ("refuse", "fixed", "no-ingest")


@dataclass
class Upload:
    """One file to send: its bytes, its name and folder in the dataset, the prediction for it."""

    path: Path
    name: str
    directory: str | None
    tab_ingest: bool
    prediction: Prediction | None
    size: int = 0
    md5: str = ""

    def __post_init__(self) -> None:
        digest = hashlib.md5(usedforsecurity=False)
        with open(self.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                self.size += len(block)
        self.md5 = digest.hexdigest()

    @property
    def expects_table(self) -> bool:
        """Dataverse should store it as a table (ingested)."""
        return self.tab_ingest and self.prediction is not None and self.prediction.outcome == Outcome.INGESTED


@dataclass
class Planned:
    """One checked file and what the deposit does with it."""

    source: str  # as the check shows it
    status: str  # the check's status of the original
    action: str  # upload | fixed | no-ingest | refused
    rules: list[str] = field(default_factory=list)  # why it fails as it is (rule codes)
    uploads: list[Upload] = field(default_factory=list)
    why: str | None = None  # refused: fails | unreadable | fix-refused | fix-still-fails | fix-error
    detail: str | None = None  # the check's or fix's own words, in English
    detail_fr: str | None = None


def failing_rules(report: FileReport) -> list[str]:
    """The codes of the findings that make the file fail or block, first seen first."""
    verdict = report.verdict
    chosen = list(verdict.refused_by) or [
        f for f in report.findings if f.severity.value == "blocker" or f.effect.value == "fails"
    ]
    codes: list[str] = []
    for f in chosen:
        if f.code and f.code not in codes:
            codes.append(f.code)
    return codes


def fails(report: FileReport) -> bool:
    verdict = report.verdict
    return verdict.status.value == "fails" or verdict.blocking


def plan(
    run: RunReport,
    found: dict[str, Candidate],
    on_fail: str,
    fixed: dict[str, tuple[list[Upload], str | None, str | None, str | None]] | None = None,
) -> list[Planned]:
    """One decision per checked file (see the table above).

    `found` maps a file's shown path to the file discovered (its path below the folder the user
    named is its folder in the dataset); `fixed` maps a failing file to its fixed copies, or to why it has none (why, detail
    in English, in French), as `deposit.fixed_copies` made them.
    """
    out: list[Planned] = []
    for report in run.files:
        status = report.status
        cand = found.get(report.path)
        local = cand.path if cand is not None else Path(report.path)
        rel = cand.relative if cand is not None else Path(local.name)
        folder = None if str(rel.parent) in ("", ".") else rel.parent.as_posix()
        if report.error:
            out.append(
                Planned(
                    report.path,
                    status,
                    "refused",
                    why="unreadable",
                    detail=report.error,
                    detail_fr=report.error_text("fr"),
                )
            )
            continue
        if not fails(report):
            up = Upload(local, rel.name, folder, True, report.dataverse)
            out.append(Planned(report.path, status, "upload", uploads=[up]))
            continue
        rules = failing_rules(report)
        if on_fail == "no-ingest":
            plain = Prediction(outcome=Outcome.NOT_INGESTED)
            up = Upload(local, rel.name, folder, False, plain)
            out.append(Planned(report.path, status, "no-ingest", rules, uploads=[up]))
            continue
        if on_fail == "fixed" and fixed is not None and report.path in fixed:
            uploads, why, detail, detail_fr = fixed[report.path]
            if why is None:
                out.append(Planned(report.path, status, "fixed", rules, uploads=uploads))
            else:
                out.append(
                    Planned(
                        report.path, status, "refused", rules, why=why, detail=detail, detail_fr=detail_fr
                    )
                )
            continue
        out.append(Planned(report.path, status, "refused", rules, why="fails"))
    return out
