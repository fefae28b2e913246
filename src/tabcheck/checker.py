"""The path of one file: sniff, scan, rules, prediction. A crash on one file never stops the run."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from tabcheck import plugins
from tabcheck.dataverse.csv import predict_csv
from tabcheck.dataverse.profiles import profile_for
from tabcheck.discover import Candidate, discover, format_of
from tabcheck.facts import Context, FileFacts
from tabcheck.i18n import UsageError
from tabcheck.model import FileReport, Finding, Location, Outcome, Prediction, RunReport, Target
from tabcheck.readers import reader_for
from tabcheck.rule import Rule
from tabcheck.scan.evidence import Evidence
from tabcheck.sniff import SAMPLE_SIZE, Sniff, reads_alike, sniff_bytes, sniff_text

TEXT_FORMATS = ("csv", "tsv", "tab")
MIXED_ENCODING = "utf-8+cp1252"  # UTF-8 with lines in Windows-1252 (see mixed-encodings)
INGESTED_FORMATS = ("csv", "tsv", "tab", "xlsx")


@dataclass
class Settings:
    target: Target = field(default_factory=Target)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    lang: str = "en"  # the language of the outputs (checks are language-neutral)
    # The author's encoding and delimiter when the user knows them (--encoding, --delimiter), and
    # per path pattern ([[tool.tabcheck.files]]): they replace the sniff's guesses.
    encoding: str | None = None
    delimiter: str | None = None
    files: tuple[FileSettings, ...] = ()
    # Predict the codebook (statistics and UNFs) of the files Dataverse ingests: a second pass.
    codebook: bool = False

    def reading_for(self, display_path: str) -> tuple[str | None, str | None]:
        """(encoding, delimiter) given for this file: the last matching pattern wins, then the run's."""
        encoding, delimiter = self.encoding, self.delimiter
        for rule in self.files:
            if rule.matches(display_path):
                encoding = rule.encoding or encoding
                delimiter = rule.delimiter or delimiter
        return encoding, delimiter


@dataclass(frozen=True)
class FileSettings:
    """Settings for the files matching a glob pattern (as ruff's per-file settings)."""

    pattern: str
    encoding: str | None = None
    delimiter: str | None = None

    def matches(self, display_path: str) -> bool:
        path = PurePosixPath(display_path.replace("\\", "/"))
        return path.match(self.pattern) or fnmatch.fnmatch(str(path), self.pattern)


def rule_selected(rule: Rule, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """ruff-style selection: full names, codes or code prefixes (`TC2` = every TC2xx rule)."""

    def hit(keys: Iterable[str]) -> bool:
        return any(k == rule.name or rule.code.startswith(k.upper()) for k in keys)

    select, ignore = tuple(select), tuple(ignore)
    if select and not (hit(select) or "ALL" in (s.upper() for s in select)):
        return False
    return not hit(ignore)


def check_paths(
    paths: list[str | Path],
    settings: Settings,
    progress: Callable[[int, int, str], None] | None = None,
    jobs: int = 1,
) -> RunReport:
    """Check every file below `paths`; with `jobs` > 1, many files are checked in worker
    processes (tabcheck/parallel.py), the reports staying in the order of the walk."""
    from tabcheck import parallel

    run = RunReport(target=settings.target)
    candidates, problems = discover(paths)
    for raw, reason in problems:
        report = FileReport(path=shown_path(raw), format=format_of(Path(raw)))
        report.fail(f"path.{reason}")
        run.files.append(report)
    if parallel.worth_it(candidates, jobs):
        run.files.extend(parallel.check_in_workers(candidates, settings, jobs, progress))
    else:
        for i, cand in enumerate(candidates):
            if progress:
                progress(i, len(candidates), cand.display)
            run.files.append(check_file(cand, settings))
    if progress:
        progress(len(candidates), len(candidates), "")
    _run_level_findings(run, settings)
    if settings.codebook:
        from tabcheck.codebook.attach import dataset_unf

        run.unf = dataset_unf(run)
    return run


def shown_path(name: str) -> str:
    """A path as every output can write it: bytes that are not UTF-8 (surrogate escapes in a
    name read from a Latin-1 file system) are shown as `\\xe9`, never written raw."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_file(cand: Candidate | str | Path, settings: Settings) -> FileReport:
    if not isinstance(cand, Candidate):
        cand = Candidate(Path(cand), str(cand), explicit=True)
    fmt = format_of(cand.path)
    report = FileReport(path=shown_path(cand.display), format=fmt)
    try:
        before = cand.path.stat()
        report.size = before.st_size
        with open(cand.path, "rb") as fh:
            head = fh.read(SAMPLE_SIZE)
    except FileNotFoundError:
        report.fail("err.gone-before")
        return report
    except PermissionError:
        report.fail("err.permission")
        return report
    except OSError as e:
        report.fail("err.os", detail=str(e.strerror or e))
        return report
    facts: FileFacts | None = None
    try:
        facts = facts_for(cand, fmt, head, report.size, settings)
        facts.changed = changed_while_read(cand.path, before, facts)
        ctx = Context(target=settings.target, profile=profile_for(settings.target.dataverse))
        report.findings = run_rules(facts, ctx, settings)
        report.dataverse = predict(facts, ctx)
        if facts.content == "utf16" and report.dataverse.real_location is not None:
            report.dataverse.real_location = None  # rows counted in UTF-8 mean nothing here
        if settings.codebook:
            from tabcheck.codebook.attach import attach_codebook

            attach_codebook(cand.path, facts, report.dataverse)
        table = facts.table
        if table is not None and facts.content in ("text", "empty", "utf16"):
            assert table.dataverse is not None, "read_table gives every table Dataverse's view"
            report.encoding = table.encoding
            report.delimiter = table.sniffed_delimiter or table.dataverse.delimiter
    except FileNotFoundError:
        report.fail("err.gone-during")
    except PermissionError:
        report.fail("err.permission")
    except MemoryError:
        report.fail("err.memory")
    except Exception as e:  # noqa: BLE001 - one file's crash is reported, the run goes on
        report.fail("err.internal", detail=f"{type(e).__name__}: {_short(str(e))}")
        if os.environ.get("TABCHECK_DEBUG"):
            import traceback

            report.error = f"{report.error}\n{traceback.format_exc()}"
            report.error_key = None  # the details as they are, in any language
    finally:
        if facts is not None and facts.table is not None and facts.table.codebook is not None:
            facts.table.codebook.close()  # the live codebook's threads and values, used or not
    return report


def changed_while_read(path: Path, before: os.stat_result, facts: FileFacts) -> tuple[str, int, int] | None:
    """How the file changed between the stat before its reading and the end of it, if it did:
    (grew | shrank | replaced | modified, size before, size after). The bytes the scan read count too
    (a file that grew then was cut back to its size)."""
    try:
        after = os.stat(path)
    except OSError:
        return ("replaced", before.st_size, 0)
    size = before.st_size
    read = facts.table.bytes_read if facts.table is not None else None
    if (after.st_ino, after.st_dev) != (before.st_ino, before.st_dev):
        return ("replaced", size, after.st_size)
    if after.st_size > size or (read is not None and read > size):
        return ("grew", size, max(after.st_size, read or 0))
    if after.st_size < size or (read is not None and read < size):
        return ("shrank", size, after.st_size if read is None else min(after.st_size, read))
    if after.st_mtime_ns != before.st_mtime_ns:
        return ("modified", size, after.st_size)
    return None


def _short(text: str, limit: int = 300) -> str:
    """An exception's message as a report can hold it (never a 400 MB value)."""
    return text if len(text) <= limit else text[:limit] + f"… (+{len(text) - limit} characters)"


def facts_for(
    cand: Candidate, fmt: str, head: bytes, size: int, settings: Settings | None = None
) -> FileFacts:
    """The facts of one file (`head`: its first SAMPLE_SIZE bytes), read as `settings` say."""
    sniff = sniff_bytes(head, guess=fmt not in TEXT_FORMATS)
    if fmt not in TEXT_FORMATS:
        return _read(cand, fmt, size, sniff, settings)
    encoding, delimiter = (settings or Settings()).reading_for(cand.display)
    reading = partial(sniff_text, cand.path, head, sniff, encoding=encoding, delimiter=_delimiter(delimiter))
    # A large file whose head is not UTF-8: its scan reads it as the head says while the whole
    # file's encoding is judged beside it; a judgement that reads it otherwise scans it again.
    first = reading(aside=size >= ENCODING_ASIDE)
    facts = _read(cand, fmt, size, first, settings)
    if first.whole_file is None:
        return facts
    settled = reading(whole_file=first.whole_file.result())
    if reads_alike(settled, first):
        if facts.table is not None:
            from tabcheck.scan.csv import describe_reading

            describe_reading(facts.table, settled)
        return facts
    if facts.table is not None and facts.table.codebook is not None:
        facts.table.codebook.close()
    return _read(cand, fmt, size, settled, settings)


ENCODING_ASIDE = 8 << 20  # bytes: smaller files are judged before their scan (a thread costs more)


def _read(cand: Candidate, fmt: str, size: int, sniff: Sniff, settings: Settings | None) -> FileFacts:
    facts = FileFacts(
        path=cand.path,
        display_path=cand.display,
        size=size,
        extension=cand.path.suffix.lower(),
        format=fmt,
        content=sniff.content,
        feed_codebook=settings is not None
        and settings.codebook
        and fmt in TEXT_FORMATS
        and size <= settings.target.max_ingest_size,
    )
    reader = reader_for(fmt)
    if reader is not None:
        reader(facts, sniff, column_evidence())
    return facts


_facts = facts_for  # the earlier name


def column_evidence() -> dict[str, Evidence]:
    return plugins.column_evidence()


def run_rules(facts: FileFacts, ctx: Context, settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    group = "tsv" if facts.format == "tab" else facts.format
    for rule in plugins.all_rules().values():
        if not rule_selected(rule, settings.select, settings.ignore) or not rule.applies_to(group):
            continue
        try:
            found = list(rule.check(facts, ctx))
        except Exception as e:  # noqa: BLE001 - a plugin's error is a finding, not a crash
            crash = plugins.all_rules()["rule-crashed"]
            found = [crash.finding(Location(), rule=rule.name, error=f"{type(e).__name__}: {e}")]
        findings.extend(found)
    findings.sort(key=_finding_order)
    return findings


_SEVERITY_ORDER = {"blocker": 0, "warning": 1, "info": 2}


def predict(facts: FileFacts, ctx: Context) -> Prediction:
    if facts.format not in INGESTED_FORMATS:
        return Prediction(Outcome.NOT_INGESTED)
    if facts.size >= ctx.target.max_ingest_size:
        return Prediction(Outcome.SKIPPED_SIZE)
    if facts.table is not None and facts.table.too_wide is not None:
        row, line, _ = facts.table.too_wide  # no table: Dataverse's reader fails on it, or worse
        return Prediction(Outcome.FAILS, real_location=Location(row=row, line=line))
    if facts.format == "xlsx":
        from tabcheck.dataverse.xlsx import predict_xlsx

        return predict_xlsx(facts, ctx.profile)
    return predict_csv(facts, ctx.profile)


def _run_level_findings(run: RunReport, settings: Settings) -> None:
    """Findings of checks across files: selected, ignored and sorted like any other."""
    by_path = {r.path: r for r in run.files}
    rules = plugins.all_rules()
    hook = plugins.plugin_manager().hook.tabcheck_check_run
    for batch in hook(reports=run.files, target=settings.target):
        for path, findings in (batch or {}).items():
            report = by_path.get(path)
            if report is None:
                continue
            for f in findings:
                rule = rules.get(f.rule)
                if rule is None:
                    raise plugins.PluginError(f"a run-level finding names an unknown rule {f.rule!r}")
                if rule_selected(rule, settings.select, settings.ignore):
                    report.findings.append(f)
            report.findings.sort(key=_finding_order)


def _finding_order(f: Finding) -> tuple[int, str]:
    return (_SEVERITY_ORDER[f.severity.value], f.code)


def check_encoding(given: str | None) -> str | None:
    """An encoding as users write it (cp1252, latin-1, utf-16, utf-8+cp1252 for mixed files)."""
    if given is None or given.lower() == MIXED_ENCODING:
        return None if given is None else MIXED_ENCODING
    import codecs

    try:
        return codecs.lookup(given).name
    except LookupError:
        raise UsageError("usage.encoding", given=given) from None


def check_delimiter(given: str | None) -> str | None:
    return _delimiter(given)


def _delimiter(given: str | None) -> str | None:
    """A delimiter as users write it: ';', ',', 'tab', '\\t', '|'."""
    if given is None:
        return None
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    value = named.get(given.lower(), given)
    if len(value) != 1:
        raise UsageError("usage.delimiter", given=given)
    return value
