"""The result model every step shares: findings, predictions, file and run reports.

Renderers (text, JSON, HTML) and `fix` only ever read these objects, so the JSON output is
their plain serialisation and nothing downstream reparses a file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabcheck.status import Verdict


class Severity(str, Enum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


class Effect(str, Enum):
    """What Dataverse does with a file showing the problem."""

    FAILS = "fails"
    DEGRADES = "degrades"
    ADVICE = "advice"


class Outcome(str, Enum):
    INGESTED = "ingested"
    FAILS = "fails"
    NOT_INGESTED = "not-ingested"
    SKIPPED_SIZE = "skipped-size"


@dataclass(frozen=True)
class Location:
    """Where a problem is. `row` counts as a spreadsheet user does (header = row 1)."""

    row: int | None = None
    line: int | None = None
    column: int | None = None
    column_name: str | None = None
    sheet: str | None = None
    cell: str | None = None


@dataclass
class Finding:
    """One rule's verdict on one file: many occurrences are one finding with a count.

    The message is not stored as text: `variant` and `params` select and fill the rule's
    template in the requested language when the finding is rendered.
    """

    rule: str
    location: Location = field(default_factory=Location)
    params: dict[str, Any] = field(default_factory=dict)
    variant: str = "default"
    count: int = 1
    samples: list[Location] = field(default_factory=list)
    # Copied from the rule's metadata by Rule.finding (severity and effect may differ per finding).
    code: str = ""
    severity: Severity = Severity.WARNING
    effect: Effect = Effect.ADVICE
    fixable: bool = False
    # Whose reading of the table the finding is about: "dataverse" (what its reader will see) or
    # "author" (the table as its author means it, when Dataverse cannot read it as such yet).
    view: str = "dataverse"

    def text(self, lang: str = "en") -> str:
        """The message in `lang`, rendered from the rule's templates (never stored)."""
        from tabcheck.messages import render

        return render(self, lang)


@dataclass
class ColumnPrediction:
    name: str
    type: str  # integer | continuous | character | date | time
    # The codebook (`check --codebook`): the summary statistics Dataverse stores for a numeric
    # variable (mean, medn, mode, vald, invd, min, max, stdev: its own strings) and the UNF.
    stats: dict[str, str] | None = None
    unf: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.stats is not None:
            out["stats"] = dict(self.stats)
        if self.unf is not None:
            out["unf"] = self.unf
        return out


@dataclass
class Prediction:
    """What Dataverse's ingest will do with a file, for one target version."""

    outcome: Outcome
    message: str | None = None
    variables: int | None = None
    observations: int | None = None
    columns: list[ColumnPrediction] | None = None
    # The real bad row when Dataverse's message points elsewhere (its line number is the last line).
    real_location: Location | None = None
    sheet: str | None = None
    unf: str | None = None  # the file's UNF (`check --codebook`)
    codebook_note: str | None = None  # why the codebook was not predicted, when it was asked for

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outcome": self.outcome.value,
            "message": self.message,
            "variables": self.variables,
            "observations": self.observations,
            "columns": [c.to_json() for c in self.columns] if self.columns is not None else None,
        }
        if self.unf is not None:
            out["unf"] = self.unf
        if self.codebook_note is not None:
            out["codebook_note"] = self.codebook_note
        if self.real_location is not None:
            out["real_location"] = {k: v for k, v in asdict(self.real_location).items() if v is not None}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        return out


@dataclass
class FileReport:
    path: str
    format: str
    size: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    findings: list[Finding] = field(default_factory=list)
    dataverse: Prediction | None = None
    error: str | None = None  # why this file could not be checked, in English (the run goes on)
    # The interface text of `error` (tabcheck.i18n) and its values, so each output says it in its language.
    error_key: str | None = None
    error_params: dict[str, str] = field(default_factory=dict)

    def fail(self, key: str, /, **params: str) -> None:
        """Record why this file could not be checked: the interface text `key`, with `params`."""
        from tabcheck.i18n import t

        self.error_key, self.error_params = key, params
        self.error = t("en", key, **params)

    def error_text(self, lang: str = "en") -> str | None:
        """`error` in `lang` (as recorded when it has no interface text)."""
        if self.error is None or self.error_key is None:
            return self.error
        from tabcheck.i18n import t

        return t(lang, self.error_key, **self.error_params)

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.BLOCKER]

    @property
    def verdict(self) -> Verdict:
        """Status, blocking and why: decided in one place, tabcheck.status (see its truth table)."""
        from tabcheck.status import verdict

        return verdict(self)

    @property
    def status(self) -> str:
        """`ready`, `altered`, `fails`, `not-ingested` or `unreadable` (see tabcheck.status)."""
        return self.verdict.status.value

    def _repr_html_(self) -> str:
        """In Jupyter, one file's report (what `check_frame` and `write_csv` return) as HTML."""
        return RunReport(target=Target(), files=[self])._repr_html_()


@dataclass
class Target:
    dataverse: str = "6.8"
    max_ingest_size: int = 500 * 1024 * 1024
    max_upload_size: int = 50 * 1024 * 1024 * 1024


@dataclass
class RunReport:
    target: Target
    files: list[FileReport] = field(default_factory=list)
    unf: str | None = None  # the dataset UNF of the files predicted ingested (`check --codebook`)

    @property
    def summary(self) -> dict[str, int]:
        """Files per status, and how many block the run (see tabcheck.status)."""
        from tabcheck.status import summary

        return summary(self.files)

    @property
    def exit_code(self) -> int:
        """0, 1 (a file blocks) or 2 (a file could not be checked): see tabcheck.status."""
        from tabcheck.status import exit_code

        return exit_code(self.files)

    def _repr_html_(self) -> str:
        """In Jupyter, a run shows itself as the HTML report (in the locale's language)."""
        from tabcheck.i18n import default_lang
        from tabcheck.report import RenderOptions, render

        return render(self, "html", RenderOptions(lang=default_lang()))
