"""The Python API: what the command line does, for scripts and notebooks.

>>> import tabcheck.api as tc
>>> run = tc.check(["data/"], dataverse="6.8")
>>> run.summary        # files per status: ready, altered, fails, not-ingested, unreadable; and blocked
>>> tc.exit_code(run)  # what `tabcheck check` would exit with: 0, 1 or 2

Each file's `status` and the exit code come from one truth table, in tabcheck.status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from tabcheck.checker import FileSettings, Settings, check_delimiter, check_encoding, check_paths
from tabcheck.config import parse_size
from tabcheck.dataverse.profiles import profile_for
from tabcheck.i18n import UsageError
from tabcheck.model import FileReport, RunReport, Target


def check(
    paths: Iterable[str | Path],
    *,
    dataverse: str | None = None,
    max_ingest_size: int | str | None = None,
    max_upload_size: int | str | None = None,
    instance: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str = "en",
    encoding: str | None = None,
    delimiter: str | None = None,
    files: Iterable[Mapping[str, str]] = (),
    progress: Callable[[int, int, str], None] | None = None,
    jobs: int = 1,
    codebook: bool = False,
) -> RunReport:
    """Check files and folders; returns the run's report (see tabcheck.model).

    `codebook` also predicts, for the files Dataverse ingests, each variable's summary statistics
    and UNF, the file's UNF and the run's dataset UNF (a second pass over those files).

    `encoding` and `delimiter` say how the tables are written when tabcheck's guess is not sure
    (or wrong); `files` gives them per path pattern: `[{"pattern": "exports/*.csv", "encoding":
    "cp1252", "delimiter": ";"}]`, the last matching pattern winning.

    `dataverse` is one of the versions tabcheck models, "6.8", "6.7" or "6.6"; any other (older,
    later, or not a version) raises ValueError before anything is read.

    `instance` (`recherche-data-gouv`, `harvard`, … see tabcheck.instances) sets the version and
    limits an installation documents; `dataverse`, `max_ingest_size` and `max_upload_size` given
    here win over it; unset, they are 6.8, 500MB and 50GB.

    `jobs` > 1 checks many files in that many worker processes (the command line uses one per
    core); the reports keep the order of the walk either way.
    """
    settings = _settings(
        dataverse=dataverse,
        max_ingest_size=max_ingest_size,
        max_upload_size=max_upload_size,
        instance=instance,
        select=select,
        ignore=ignore,
        lang=lang,
        encoding=encoding,
        delimiter=delimiter,
        files=files,
        codebook=codebook,
    )
    if jobs < 1:
        raise UsageError("usage.jobs-api", given=str(jobs))
    return check_paths(list(paths), settings, progress=progress, jobs=jobs)


def resolve_target(
    instance: str | None,
    dataverse: str | None = None,
    max_ingest_size: int | str | None = None,
    max_upload_size: int | str | None = None,
) -> tuple[str, int | str, int | str]:
    """(version, ingest limit, upload limit): what is given, else the instance's preset, else the defaults."""
    preset = None
    if instance:
        from tabcheck.instances import instance as preset_of

        preset = preset_of(instance)

    def pick(given: Any, preset_value: Any, default: Any) -> Any:
        if given is not None:  # "" is given too: refused later as no version, never defaulted
            return given
        return preset_value if preset_value is not None else default

    return (
        pick(dataverse, preset.dataverse if preset else None, "6.8"),
        pick(max_ingest_size, preset.max_ingest_size if preset else None, "500MB"),
        pick(max_upload_size, preset.max_upload_size if preset else None, "50GB"),
    )


def _known_rules(keys: Iterable[str], option: str) -> None:
    """A selector must name a rule, a code or a code prefix (as ruff refuses unknown selectors)."""
    from tabcheck.plugins import all_rules

    rules = all_rules().values()
    for key in keys:
        if key.upper() == "ALL":
            continue
        if not any(
            key == r.name or (r.code.startswith(key.upper()) and key.upper().startswith("TC")) for r in rules
        ):
            raise UsageError("usage.no-rule", option=option, key=key)


def check_frame(frame: Any, name: str = "dataframe.csv", **options: Any) -> FileReport:
    """Check a pandas or polars DataFrame as `write_csv` would write it (see tabcheck.frames).

    `options` are those of `check` that concern one file: dataverse, max_ingest_size, instance…
    """
    from tabcheck.frames import check_frame as check_one

    return check_one(frame, _settings(**options), name)


def write_csv(frame: Any, path: str | Path, *, force: bool = False, **options: Any) -> FileReport:
    """Write a DataFrame as a CSV Dataverse ingests as intended; the written file's report."""
    from tabcheck.frames import write_csv as write_one

    return write_one(frame, path, _settings(**options), force=force)


def _settings(
    dataverse: str | None = None,
    max_ingest_size: int | str | None = None,
    max_upload_size: int | str | None = None,
    instance: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str = "en",
    encoding: str | None = None,
    delimiter: str | None = None,
    files: Iterable[Mapping[str, str]] = (),
    codebook: bool = False,
) -> Settings:
    """The run's settings from the API's options, every one checked before anything is read."""
    dataverse, max_ingest_size, max_upload_size = resolve_target(
        instance, dataverse, max_ingest_size, max_upload_size
    )
    profile_for(dataverse)  # refuse an unknown version early
    _known_rules(select, "select")
    _known_rules(ignore, "ignore")
    target = Target(
        dataverse=dataverse,
        max_ingest_size=parse_size(max_ingest_size),
        max_upload_size=parse_size(max_upload_size),
    )
    return Settings(
        target=target,
        select=tuple(select),
        ignore=tuple(ignore),
        lang=lang,
        encoding=check_encoding(encoding),
        delimiter=check_delimiter(delimiter),
        files=tuple(_file_settings(files)),
        codebook=codebook,
    )


def exit_code(run: RunReport) -> int:
    """The command line's exit code for this run: 2 a file could not be checked, 1 a file blocks, else 0."""
    from tabcheck.status import exit_code as run_exit_code

    return run_exit_code(run.files)


def to_json(run: RunReport, lang: str = "en") -> dict[str, Any]:
    """The JSON output as a dict, messages in `lang`."""
    from tabcheck.report.jsonout import run_json

    return run_json(run, lang)


def render(run: RunReport, output_format: str = "text", lang: str = "en") -> str:
    """The run in any output format (text, json, html, or a plugin's), messages in `lang`."""
    from tabcheck.report import RenderOptions
    from tabcheck.report import render as render_run

    return render_run(run, output_format, RenderOptions(lang=lang))


def _file_settings(entries: Iterable[Mapping[str, str]]) -> Iterable[FileSettings]:
    for entry in entries:
        unknown = set(entry) - {"pattern", "encoding", "delimiter"}
        if "pattern" not in entry or unknown:
            raise UsageError("usage.config-files", keys=str(sorted(entry)))
        yield FileSettings(
            entry["pattern"], check_encoding(entry.get("encoding")), check_delimiter(entry.get("delimiter"))
        )


def deposit(
    paths: Iterable[str | Path],
    *,
    server: str,
    dataset: str,
    token: str | None = None,
    token_env: str = "DATAVERSE_API_TOKEN",
    on_fail: str = "refuse",
    dry_run: bool = False,
    receipt: str | Path = "tabcheck-deposit",
    force: bool = False,
    dataverse: str | None = None,
    max_ingest_size: int | str | None = None,
    max_upload_size: int | str | None = None,
    instance: str | None = None,
    lang: str = "en",
    encoding: str | None = None,
    delimiter: str | None = None,
    files: Iterable[Mapping[str, str]] = (),
    ingest_timeout: float = 600.0,
    poll: float = 1.0,
    echo: Callable[[str], None] | None = None,
) -> Any:
    """Check, then upload to a Dataverse dataset what will be ingested as predicted (tabcheck.deposit).

    The token is `token`, else the environment variable `token_env`; it is never printed nor
    written. `on_fail` says what to do with a file predicted to fail: "refuse" (the default),
    "fixed" (upload its fixed copy) or "no-ingest" (upload it with tabular ingest turned off).
    `dry_run` checks and decides, and sends nothing (no token needed). The receipt (JSON, HTML)
    goes to the folder `receipt`. `dataverse`, the limits and `instance` are those of `check`.
    Returns a tabcheck.deposit.DepositResult (`exit_code`: 0, 1, 2);
    raises tabcheck.deposit.DepositError when nothing could be sent (no token, a refused token, no
    permission, an unknown dataset, a server error), OutputRefused for a receipt path refused.
    """
    from tabcheck.deposit import run

    if dataverse is not None:
        profile_for(dataverse)  # "" is refused, not read as "not given"
    dataverse, max_ingest_size, max_upload_size = resolve_target(
        instance, dataverse, max_ingest_size, max_upload_size
    )
    profile_for(dataverse)
    files = list(files)
    settings = Settings(
        target=Target(dataverse=dataverse),
        lang=lang,
        encoding=check_encoding(encoding),
        delimiter=check_delimiter(delimiter),
        files=tuple(_file_settings(files)),
    )

    def checked(these: list[str | Path]) -> RunReport:
        return check(
            these,
            dataverse=dataverse,
            max_ingest_size=max_ingest_size,
            max_upload_size=max_upload_size,
            lang=lang,
            encoding=encoding,
            delimiter=delimiter,
            files=files,
            codebook=True,  # each table's UNF, compared with the server's after ingest
        )

    return run(
        paths,
        server=server,
        dataset=dataset,
        settings=settings,
        check=checked,
        token=token,
        token_env=token_env,
        on_fail=on_fail,
        dry_run=dry_run,
        receipt_dir=receipt,
        force=force,
        ingest_timeout=ingest_timeout,
        poll=poll,
        echo=echo,
    )
