"""One verdict per file, and one exit code per run: the only place either is decided.

Every output (text, JSON, HTML), the Python API (`FileReport.status`, `RunReport.summary`,
`tabcheck.api.exit_code`) and the command line's exit code read what this module derives from two
inputs: Dataverse's predicted outcome for the file (`Prediction.outcome`) and the findings
(each with a severity — blocker, warning, info — and an effect — fails, degrades, advice).

Status of a file (the first row that matches decides; "finding" means a finding whose severity is
not `info`: an info finding never changes a status):

| # | the file …                                                                   | status         |
|---|------------------------------------------------------------------------------|----------------|
| 1 | could not be checked (`error`: missing, unreadable, internal error)           | `unreadable`   |
| 2 | is predicted `not-ingested` (.xls .xlsm .xlsb .ods .txt) or `skipped-size`      | `not-ingested` |
| 3 | is predicted `fails`                                                         | `fails`        |
| 4 | is predicted `ingested`, but a finding has effect `fails`, or a blocker has    | `fails`        |
|   | effect `advice` (see below)                                                  |                |
| 5 | has a finding with effect `degrades`                                         | `altered`      |
| 6 | otherwise                                                                    | `ready`        |

Row 4 is the decision for a file Dataverse's reader would ingest but that a rule refuses: a rule
that knows more than the reader model (the repository's upload limit, a binary file renamed
`.csv`) says the deposit fails, or the repository's own rules refuse it (more than 1024 columns,
a blocker whose effect on the reader is only `advice`). tabcheck reports the worse of the two
verdicts — `fails` — and the outputs say why beside the prediction ("ingested … but it will not
be accepted as it is: TC209").

A file *blocks* the run when it has a blocker, when its status is `fails` (with or without a
blocker: a file that will fail never passes), or when it is `not-ingested` and a finding has
effect `fails` (a table Dataverse will store as a plain file: `unsupported-format`,
`file-too-large`). A `not-ingested` file without such a finding (a README.txt) does not block.
So `ready` never blocks, `altered` blocks only with a blocker (a decimal comma: the column becomes
text), `fails` always blocks.

Exit code of a run: `2` if any file is `unreadable` (the run cannot vouch for it), else `1` if any
file blocks, else `0`. `--exit-zero` turns `1` into `0`, never `2`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from tabcheck.model import Effect, Finding, Outcome, Severity

if TYPE_CHECKING:
    from tabcheck.model import FileReport


class Status(str, Enum):
    READY = "ready"
    ALTERED = "altered"
    FAILS = "fails"
    NOT_INGESTED = "not-ingested"
    UNREADABLE = "unreadable"


#: The order of the statuses in summaries and documentation.
STATUSES: tuple[Status, ...] = tuple(Status)

# Outcomes where Dataverse keeps the file as it is, without tabular ingest.
_NOT_STORED_AS_TABLE = (Outcome.NOT_INGESTED, Outcome.SKIPPED_SIZE)


@dataclass(frozen=True)
class Verdict:
    """A file's status, whether it blocks the run, and the findings that overrode the prediction."""

    status: Status
    blocking: bool
    # Row 4 of the table: the findings that turn an `ingested` prediction into `fails`.
    refused_by: tuple[Finding, ...] = ()

    @property
    def exit_code(self) -> int:
        """This file's own exit code: 2 unreadable, 1 blocking, 0 otherwise."""
        if self.status == Status.UNREADABLE:
            return 2
        return 1 if self.blocking else 0


def _refuses(severity: Severity, effect: Effect) -> bool:
    """Row 4: a finding that makes an ingested file fail."""
    if severity == Severity.INFO:
        return False
    return effect == Effect.FAILS or (severity == Severity.BLOCKER and effect == Effect.ADVICE)


def decide(
    *, error: bool, outcome: Outcome | None, findings: Sequence[tuple[Severity, Effect]]
) -> tuple[Status, bool, tuple[int, ...]]:
    """The truth table on plain values: (status, blocking, indices of the refusing findings).

    `outcome` is None when there is no prediction (a file no reader was run on); it is read as
    `ingested`, so the findings alone decide.
    """
    if error:
        return Status.UNREADABLE, False, ()
    has_blocker = any(s == Severity.BLOCKER for s, _ in findings)
    if outcome in _NOT_STORED_AS_TABLE:
        fails_effect = any(s != Severity.INFO and e == Effect.FAILS for s, e in findings)
        return Status.NOT_INGESTED, has_blocker or fails_effect, ()
    if outcome == Outcome.FAILS:
        return Status.FAILS, True, ()
    refusing = tuple(i for i, (s, e) in enumerate(findings) if _refuses(s, e))
    if refusing:
        return Status.FAILS, True, refusing
    if any(s != Severity.INFO and e == Effect.DEGRADES for s, e in findings):
        return Status.ALTERED, has_blocker, ()
    return Status.READY, has_blocker, ()  # has_blocker is always False here: see _refuses


def verdict(report: FileReport) -> Verdict:
    """The verdict on one checked file."""
    outcome = report.dataverse.outcome if report.dataverse is not None else None
    status, blocking, refusing = decide(
        error=bool(report.error),
        outcome=outcome,
        findings=[(f.severity, f.effect) for f in report.findings],
    )
    return Verdict(status, blocking, tuple(report.findings[i] for i in refusing))


def exit_code(files: Iterable[FileReport]) -> int:
    """The run's exit code: 2 if a file is unreadable, else 1 if a file blocks, else 0."""
    return max((verdict(f).exit_code for f in files), default=0)


def summary(files: Iterable[FileReport]) -> dict[str, int]:
    """Counts per status, and of blocking files: the JSON `summary` and the text's last line."""
    verdicts = [verdict(f) for f in files]
    out = {"files": len(verdicts)}
    for status in STATUSES:
        out[status.value] = sum(v.status == status for v in verdicts)
    out["blocked"] = sum(v.blocking for v in verdicts)
    return out
