"""`tabcheck fix`: rewrite tables into UTF-8, comma-separated CSV files Dataverse ingests — losing nothing.

The originals are never modified; outputs go to an output folder (names: fix/names.py), written
atomically, and never over an existing file without `--force`. A text table is rewritten only from
a reading the check is sure of (encoding, delimiter); otherwise it is refused with what to pass
(`--encoding cp1252`, `--delimiter ';'`), and the run goes on. Only declared transformations are
made, each a rule's repair (fix/repairs.py), each counted with samples; every output is then
re-read beside its source and verified cell by cell (fix/verify.py) before it takes its name, and
checked again by tabcheck. `fix-manifest.json` in the output folder records all of it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tabcheck import kernels
from tabcheck.checker import Settings
from tabcheck.discover import Candidate, discover
from tabcheck.fix.manifest import FileManifest, Refusal
from tabcheck.fix.names import MANIFEST, OutputNames
from tabcheck.fix.output import OutputExists, atomic_text, check_target
from tabcheck.guard import OutputGuard, OutputRefused, current
from tabcheck.model import Effect, Finding, Location, Prediction, Severity

if TYPE_CHECKING:
    from tabcheck.facts import Context, FileFacts

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
TEXT_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt")
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

Progress = Callable[[str, int, int], None]  # (file, bytes done, bytes in the file)


@dataclass
class FixRun:
    """The files of one `fix` run, as fix-manifest.json records them."""

    files: list[FileManifest] = field(default_factory=list)
    manifest: Path | None = None
    # Per text file (display path): the path taken (fast, or exact and why) and seconds per phase.
    # Not in the manifest; TABCHECK_FIX_TIMINGS=1 prints it to stderr.
    records: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """2: a file could not be read, an output failed its verification (it was removed) or would
        have replaced an input (the guard refused it);
        1: a file was refused, or tabcheck still finds a blocker in an output; 0: all verified, clean."""
        if any(
            f.error
            or any(o.verification and not o.verification.ok for o in f.outputs)
            or (f.refused is not None and f.refused.reason == "output-is-input")  # the guard's: as documented
            for f in self.files
        ):
            return 2
        if any(
            f.refused is not None
            or any(o.verification is not None and o.verification.needs_a_look for o in f.outputs)
            for f in self.files
        ):
            return 1
        return 0

    def to_json(self) -> dict[str, object]:
        from tabcheck import __version__

        return {"tabcheck": __version__, "files": [f.to_json() for f in self.files]}


def fix_paths(
    paths: list[str | Path] | list[Path],
    out_dir: Path,
    settings: Settings,
    *,
    force: bool = False,
    flatten_newlines: bool = False,
    progress: Progress | None = None,
    fast: bool = True,
    row_progress: Progress | None = None,
) -> FixRun:
    """Fix every table below `paths` into `out_dir`; one file's refusal or failure never stops the others.

    `progress(file, bytes done, bytes)` follows a text table's passes, `row_progress(file, rows done,
    rows)` a workbook's. Every output goes through the run's output guard (tabcheck/guard.py): the command line's, or
    one made here for a library call. An output folder among the inputs, or a stranger's file
    named fix-manifest.json, raises OutputRefused (a ValueError) before anything is written.
    """
    out_dir = Path(out_dir)
    guard = current()
    if guard is None:
        guard = OutputGuard(inputs=paths, force=force)
        with guard.active():
            return fix_paths(
                paths,
                out_dir,
                settings,
                force=force,
                flatten_newlines=flatten_newlines,
                progress=progress,
                fast=fast,
                row_progress=row_progress,
            )
    guard.folder(out_dir)
    try:
        check_target(out_dir / MANIFEST)
    except OutputExists as e:
        raise OutputRefused(
            str(e), f"{out_dir / MANIFEST} existe déjà\u00a0: indiquez --force pour le remplacer", out_dir
        ) from None
    candidates, problems = discover(list(paths))
    run = FixRun(files=[FileManifest(source=p, error=reason) for p, reason in problems])
    names = OutputNames(out_dir)
    inputs: list[Candidate] = []
    for cand in candidates:
        names.register(cand.path, cand.relative)
        inputs.append(cand)
    for cand in inputs:
        manifest = FileManifest(source=cand.display)
        ext = cand.path.suffix.lower()
        try:
            if ext in TEXT_EXTENSIONS:
                record: dict[str, object] = {}
                run.records[cand.display] = record
                _fix_text(cand, names, manifest, settings, force, flatten_newlines, progress, fast, record)
            elif ext in WORKBOOK_EXTENSIONS:
                _fix_workbook(cand, out_dir, names, manifest, force, settings, row_progress)
            else:
                manifest.refused = Refusal(
                    "format",
                    "Not a table format fix rewrites (.csv .tsv .tab .txt .xlsx .xlsm .xls .ods).",
                    "Pas un format de tableau que fix réécrit (.csv .tsv .tab .txt .xlsx .xlsm .xls .ods).",
                )
        except OutputRefused as e:  # writing it would touch an original: that output is not written
            manifest.refused = Refusal("output-is-input", e.message, e.message_fr)
        except (OSError, ValueError) as e:
            manifest.error = f"{type(e).__name__}: {e}"
        except Exception as e:  # noqa: BLE001 - one file's failure never stops the others
            manifest.error = f"internal error: {type(e).__name__}: {e}"
        run.files.append(manifest)
    if os.environ.get("TABCHECK_FIX_TIMINGS"):
        for name, record in run.records.items():
            shown = ", ".join(
                f"{k} {v:.2f} s" if isinstance(v, float) else f"{k} {v}" for k, v in record.items()
            )
            print(f"{name}: {shown}", file=sys.stderr)
    if inputs or problems:
        run.manifest = names.manifest
        with atomic_text(names.manifest, force=True) as fh:  # the run's record, rewritten each run
            json.dump(run.to_json(), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    return run


def _fix_text(
    cand: Candidate,
    names: OutputNames,
    manifest: FileManifest,
    settings: Settings,
    force: bool,
    flatten_newlines: bool,
    progress: Progress | None,
    fast: bool = True,
    record: dict[str, object] | None = None,
) -> None:
    from tabcheck.checker import facts_for, predict, run_rules
    from tabcheck.dataverse.profiles import profile_for
    from tabcheck.discover import format_of
    from tabcheck.facts import Context
    from tabcheck.fix.csvfix import FixOptions, fix_csv
    from tabcheck.sniff import SAMPLE_SIZE

    fmt = format_of(cand.path)
    if fmt not in ("csv", "tsv", "tab"):
        fmt = "csv"  # a .txt table: read as its sniff says, like a CSV
    size = cand.path.stat().st_size
    with open(cand.path, "rb") as fh:
        head = fh.read(SAMPLE_SIZE)
    started, cpu = time.perf_counter(), time.process_time()
    if size >= kernels.MIN_BYTES:  # the rewrite's loops (fix/loops.py), loaded before the check: its
        kernels.warm("fix")  # scan then transcodes each chunk of a single-byte file in a loop too
    facts = facts_for(cand, fmt, head, size, settings)
    ctx = Context(target=settings.target, profile=profile_for(settings.target.dataverse))
    findings = run_rules(facts, ctx, Settings(target=settings.target))  # every rule: every repair
    given_encoding = settings.reading_for(cand.display)[0]
    sniffed = facts
    facts, findings = _below_title(cand, fmt, facts, findings, ctx, settings)
    recheck = _rechecker(manifest, settings, predict(facts, ctx))

    def file_progress(done: int, total: int) -> None:
        if progress is not None:
            progress(cand.display, done, total)

    options = FixOptions(
        force=force, flatten_newlines=flatten_newlines, progress=file_progress, recheck=recheck, fast=fast
    )
    if record is not None:
        options.record = record
        record["check"] = time.perf_counter() - started
        record["check cpu"] = time.process_time() - cpu
    fix_csv(cand.path, facts, findings, names, manifest, options, given_encoding)
    reading = sniffed.table.reading if sniffed.table is not None else None
    if reading is not None and facts is not sniffed:  # the sniff's own confidence, not the re-read's
        manifest.encoding_confidence = reading.encoding.confidence
        manifest.delimiter_confidence = reading.delimiter.confidence


def _rechecker(
    manifest: FileManifest, settings: Settings, before: Prediction | None
) -> Callable[[Path], tuple[list[str], list[str], list[str]]]:
    """The check of an output once written: its blockers (to fix by hand), the variables Dataverse
    types otherwise than in the source's prediction `before` (None: not comparable, a workbook's
    sheet), and what Dataverse will still alter in it."""
    from tabcheck.checker import check_file

    recheck_settings = Settings(target=settings.target, lang=settings.lang)

    def recheck(path: Path) -> tuple[list[str], list[str], list[str]]:
        report = check_file(path, recheck_settings)
        if report.error:
            return [report.error_text(settings.lang) or report.error], [], []
        # A column whose decimal commas became points and that stays text (a '-', a '12 %' beside
        # them): what numbers-as-text says of it is to fix by hand too, or the user believes it numeric.
        converted = {tr.where for tr in manifest.transformations if tr.name == "decimal-point" and tr.count}
        kept_text = [
            f
            for f in report.findings
            if f.rule == "numbers-as-text"
            and f.location.column_name in converted
            and f not in report.blockers
        ]
        # A number column fix left as written, with a note that says why (3,125: 3.125 or 3125?):
        # what the copy's check reads in it (a thousands separator, in a comma file) is not said
        # over that note.
        said = [x for x in manifest.left if x.code and (x.output is None or x.output == path)]
        noted = {left.where for left in said if left.repair == "decimal-point" and left.where}
        blockers = [
            f"{f.code} {f.text(settings.lang)}"
            for f in (*report.blockers, *kept_text)
            if not (f.rule in _NUMBER_RULES and f.location.column_name in noted)
        ]
        blockers += [
            f"{x.code} {x.message_fr if settings.lang == 'fr' else x.message}" for x in said if x.blocker
        ]
        altered = [
            f"{f.code} {f.text(settings.lang)}"
            for f in report.findings
            if f.effect is Effect.DEGRADES
            and f.severity is not Severity.BLOCKER
            and f not in kept_text
            and not (f.rule in _NUMBER_RULES and f.location.column_name in noted)
        ]
        altered += [
            f"{x.code} {x.message_fr if settings.lang == 'fr' else x.message}" for x in said if not x.blocker
        ]
        if before is None:
            return blockers, [], altered
        tsv = manifest.delimiter == "\t"
        return blockers, type_changes(before, report.dataverse, manifest, settings.lang, tsv), altered

    return recheck


# What the copy's check says of a number column fix left with a note of its own (3,125: 3.125 or
# 3125?): not said over that note.
_NUMBER_RULES = frozenset({"decimal-comma", "numbers-as-text", "thousands-separators"})
_REFUSING = {"not-tabular", "mixed-encodings", "encoding-uncertain", "delimiter-uncertain"}
_DECLARED = (
    "decimal-point",
    "empty-null",
    "iso-date",
    "iso-time",
)  # the transformations meant to change a column's type


def type_changes(
    before: Prediction, after: Prediction | None, manifest: FileManifest, lang: str, tsv: bool = False
) -> list[str]:
    """The variables Dataverse will type otherwise in the output than in the source, where no
    declared transformation of that column explains it: the values were copied as they are, but
    a reader reads them otherwise (spaces around a TSV value are trimmed by Dataverse's TSV reader,
    kept by its CSV reader). Only when both files are ingested with the same variables' names."""
    from tabcheck.i18n import t
    from tabcheck.model import Outcome

    if after is None or before.outcome != Outcome.INGESTED or after.outcome != Outcome.INGESTED:
        return []
    if before.columns is None or after.columns is None:
        return []
    if [c.name for c in before.columns] != [c.name for c in after.columns]:
        return []  # titles or notes moved out: other variables, a declared change
    declared = {tr.where for tr in manifest.transformations if tr.name in _DECLARED and tr.count}
    return [
        t(
            lang,
            "fix.type-change-tsv" if tsv else "fix.type-change",
            column=b.name,
            before=t(lang, f"type.{b.type}"),
            after=t(lang, f"type.{a.type}"),
        )
        for b, a in zip(before.columns, after.columns, strict=True)
        if b.type != a.type and b.name not in declared
    ]


def _below_title(
    cand: Candidate,
    fmt: str,
    facts: FileFacts,
    findings: list[Finding],
    ctx: Context,
    settings: Settings,
) -> tuple[FileFacts, list[Finding]]:
    """A title the sniff did not skip hides the table's columns from the check (its header is the
    title): then the table below the title is checked on its own, so that every repair (decimal
    commas, `null`, notes) is planned in the same run. Note lines are renumbered to the file's."""
    from tabcheck.checker import facts_for, run_rules
    from tabcheck.sniff import SAMPLE_SIZE

    table = facts.table
    reading = table.reading if table is not None else None
    from tabcheck.rules.structure import TITLE_VARIANTS

    titles = [f for f in findings if f.rule == "title-or-notes-rows" and f.variant in TITLE_VARIANTS]
    if not titles or reading is None or reading.preamble_lines or any(f.rule in _REFUSING for f in findings):
        return facts, findings
    codec = reading.encoding.value or "utf-8"
    if codec.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        return facts, findings
    skip = max((s.line or 0 for s in titles[0].samples), default=0)
    if not skip:
        return facts, findings
    with (
        open(cand.path, "rb") as src,
        tempfile.NamedTemporaryFile(suffix=cand.path.suffix, delete=False) as tmp,
    ):
        head = src.read(SAMPLE_SIZE)
        cut = 0
        for _ in range(skip):
            m = _LINE_BREAK.search(head, cut)
            if m is None:
                return facts, findings
            cut = m.end()
        tmp.write(head[cut:])
        shutil.copyfileobj(src, tmp, 1 << 20)
    body = Path(tmp.name)
    try:
        below = Candidate(body, cand.display, explicit=True)
        given = Settings(target=settings.target, encoding=codec, delimiter=reading.delimiter.value)
        with open(body, "rb") as fh:
            body_head = fh.read(SAMPLE_SIZE)
        facts2 = facts_for(below, fmt, body_head, body.stat().st_size, given)
        found = run_rules(facts2, ctx, Settings(target=settings.target))
    finally:
        body.unlink(missing_ok=True)
    merged = [f for f in findings if f.rule in _REFUSING or f in titles]
    for f in found:
        if f.rule in _REFUSING or (f.rule == "title-or-notes-rows" and f.variant in TITLE_VARIANTS):
            continue
        merged.append(_shifted(f, skip))
    return facts2, merged


def _shifted(f: Finding, lines: int) -> Finding:
    def move(loc: Location) -> Location:
        return dataclasses.replace(loc, line=loc.line + lines) if loc.line else loc

    return dataclasses.replace(f, location=move(f.location), samples=[move(s) for s in f.samples])


def _fix_workbook(
    cand: Candidate,
    out_dir: Path,
    names: OutputNames,
    manifest: FileManifest,
    force: bool,
    settings: Settings,
    row_progress: Progress | None = None,
) -> None:
    from tabcheck.fix.sheet_repairs import repair_sheet_csv
    from tabcheck.fix.xlsxfix import fix_workbook

    def rows(done: int, total: int) -> None:
        if row_progress is not None:
            row_progress(cand.display, done, total)

    fix_workbook(cand.path, out_dir, names, manifest, force, progress=rows if row_progress else None)
    tables = [o for o in manifest.outputs if o.path.suffix == ".csv" and o.path.exists()]
    # Each sheet's CSV gets the text table's repairs of values (dates, decimal commas, `null`),
    # then is checked again, as a text file's output is: what stays to fix by hand (an empty
    # header cell, a sheet of notes without data) and what Dataverse will still alter.
    recheck = _rechecker(manifest, settings, None)
    for output in tables:
        v = output.verification
        if v is not None and v.ok:
            repair_sheet_csv(output, manifest, settings)
            v.recheck, v.changes, v.altered = recheck(output.path)
