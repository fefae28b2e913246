"""The command line: parses flags, calls the API, maps the result to an exit code.

Exit codes (as ruff and sqlfluff), decided by tabcheck.status: 0 nothing blocks, 1 a file blocks (a
blocker, a file that will fail, a table Dataverse will not ingest), 2 usage error or a file that could not
be checked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
import typer.core

from tabcheck import __version__, api
from tabcheck.config import ConfigError, load
from tabcheck.i18n import UsageError, default_lang
from tabcheck.model import RunReport

if TYPE_CHECKING:
    from tabcheck.guard import OutputGuard
    from tabcheck.progress import TerminalProgress


_SLOW = object()  # a value left to typer's own (pydantic) coercion


class _PlainValues:
    """Coerces the values a command line gives (None, a string, a path, a whole number, an en|fr
    choice, a list of those) to what typer's pydantic adapters return, without importing pydantic:
    about a fifth of a small check's time went to that import and to building one adapter per
    parameter. Any other value (a wrong number, an unknown choice…) goes to typer's own adapter,
    built then: its result and its error message are typer's (tests/test_startup.py compares)."""

    def __init__(self, param: Any) -> None:
        descriptor = param.type_descriptor
        self.annotation = descriptor.annotation
        self.info = descriptor.parameter_info

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many:
            if isinstance(value, (list, tuple)) and getattr(self.annotation, "__origin__", None) is list:
                (item_type,) = self.annotation.__args__
                items = [self._one(item_type, v, ctx) for v in value]
                if not any(item is _SLOW for item in items):
                    return items
        elif (one := self._one(self.annotation, value, ctx)) is not _SLOW:
            return one
        param._runtime_param = None  # typer builds its adapter now, and keeps it
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)

    def _one(self, annotation: Any, value: Any, ctx: Any) -> Any:
        info = self.info
        if info.parser is not None:
            return _SLOW
        kind = type(value)
        if annotation is str or annotation is float or annotation is bool:
            return value if kind is annotation else _SLOW
        if annotation is int:
            if info.min is not None or info.max is not None:
                return _SLOW
            if kind is int:
                return value
            if kind is str and value.isascii() and value.isdigit() and len(value) <= 18:
                return int(value)
            return _SLOW
        if annotation is Path:
            return self._path(value)
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            if isinstance(value, annotation):
                return value
            if kind is str and info.case_sensitive and getattr(ctx, "token_normalize_func", None) is None:
                found = [m for m in annotation if str(m.value) == value]
                if len(found) == 1:
                    return found[0]
        return _SLOW

    def _path(self, value: Any) -> Any:
        """typer's path checks with their defaults: a path that exists must be readable."""
        info = self.info
        plain = info.file_okay and info.dir_okay and info.readable and info.path_type is None
        if not plain or info.exists or info.writable or info.resolve_path or info.allow_dash:
            return _SLOW
        if isinstance(value, Path):
            path = value
        elif type(value) is str:
            path = Path(value)
        else:
            return _SLOW
        try:
            os.stat(path)
        except OSError:
            return path
        except ValueError:  # a NUL in the name: typer's own error
            return _SLOW
        return path if os.access(path, os.R_OK) else _SLOW


def _plain_values(params: Iterable[Any]) -> None:
    """Give typer's parameters the pydantic-free coercion above (typer 0.2x: lazily built adapters)."""
    for param in params:
        if (
            param is not None
            and getattr(param, "_runtime_param", _SLOW) is None
            and hasattr(param, "type_descriptor")
        ):
            param._runtime_param = _PlainValues(param)


class _PlainValuesParams:
    """For typer's group and command classes: their parameters, --help included, get the
    pydantic-free coercion above."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]  # the typer class's
        _plain_values(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]  # the typer class's
        _plain_values([option])
        return option


def _help_language() -> str:
    """The language of --help: --lang on the command line, else `lang` in [tool.tabcheck], else the
    locale's (the run's own order, read before the command parses its options)."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    try:
        configured = load().get("lang")
    except (ConfigError, ValueError, OSError):
        configured = None
    return str(configured or default_lang())


class _LocalHelp:
    """For typer's group and command classes: --help in French for a French-speaking user (the
    texts from tabcheck.cli_help, swapped in while the screen is written)."""

    help: str | None

    def get_help(self, ctx: Any) -> str:
        if _help_language() != "fr":
            return str(super().get_help(ctx))  # type: ignore[misc]  # the typer class's
        from tabcheck.cli_help import french, french_headings

        holders = [self, *self.get_params(ctx), *getattr(self, "commands", {}).values()]  # type: ignore[attr-defined]
        saved = [(h, h.help) for h in holders if getattr(h, "help", None)]
        try:
            for holder, text in saved:
                holder.help = french(text)
            return french_headings(str(super().get_help(ctx)))  # type: ignore[misc]
        finally:
            for holder, text in saved:
                holder.help = text


class _Group(_LocalHelp, _PlainValuesParams, typer.core.TyperGroup):
    pass


class _Command(_LocalHelp, _PlainValuesParams, typer.core.TyperCommand):
    pass


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Preflight checks for tables deposited in Dataverse: finds what will make the "
    "ingest fail or alter your data, before you upload.",
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    markdown = "markdown"
    ddi = "ddi"


class Lang(str, Enum):
    en = "en"
    fr = "fr"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tabcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """tabcheck: preflight linter for research data tables."""


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or () for v in item.split(",") if v.strip())


_SAID_IN: list[str] = []  # the language of the command's errors, once it is known


def _language(lang: Lang | None, conf: Mapping[str, Any] | None = None) -> str:
    """The run's language: --lang, else `lang` in [tool.tabcheck], else the locale's. The errors
    are said in it from here on (before the configuration is read: --lang, else the locale's)."""
    language = lang.value if lang else (conf or {}).get("lang") or default_lang()
    _SAID_IN[:] = [language]
    return str(language)


def _fail(message: str | Exception) -> NoReturn:
    """Exit 2 with `message`; an error that can say itself in both languages (a UsageError, an
    OutputRefused…) is said in the run's."""
    from tabcheck.i18n import t

    language = _SAID_IN[0] if _SAID_IN else default_lang()
    text = getattr(message, "text", None)
    said = text(language) if isinstance(message, Exception) and callable(text) else str(message)
    colon = t(language, "colon")
    typer.echo(f"tabcheck{colon} {t(language, 'error')}{colon} {said}", err=True)
    raise typer.Exit(2)


@app.command(cls=_Command)
def check(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively).", metavar="PATH"),
    output_format: str = typer.Option(
        "text",
        "--format",
        help="Output format: text, json, html, sarif, github, junit, markdown, or a plugin's.",
        metavar="FORMAT",
    ),
    select: list[str] | None = typer.Option(
        None, help="Only these rules (names, codes or code prefixes; comma-separated).", metavar="RULES"
    ),
    ignore: list[str] | None = typer.Option(None, help="Skip these rules.", metavar="RULES"),
    dataverse: str | None = typer.Option(
        None, help="Target Dataverse version: 6.8 (default), 6.7 or 6.6.", metavar="VERSION"
    ),
    max_ingest_size: str | None = typer.Option(
        None, help="The repository's tabular ingest size limit (default 500MB).", metavar="SIZE"
    ),
    lang: Lang | None = typer.Option(
        None, help="Language of the messages (default: from the locale).", metavar="en|fr"
    ),
    instance: str | None = typer.Option(
        None,
        help="A known installation: recherche-data-gouv, harvard, borealis, dataverse-nl (sets its limits).",
        metavar="NAME",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the report to this file (atomically) instead of standard output.",
        metavar="FILE",
    ),
    also: list[str] | None = typer.Option(
        None,
        "--also",
        help="Also write the same run in another format to a file: FORMAT:FILE (repeatable), "
        "e.g. --also sarif:tabcheck.sarif --also markdown:summary.md.",
        metavar="FORMAT:FILE",
    ),
    force: bool = typer.Option(False, "--force", help="Replace the -o file if it already exists."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display on the terminal."),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        help="Files checked at once, in worker processes (default: one per core).",
        metavar="N",
    ),
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even when blockers are found (as ruff's --exit-zero)."
    ),
    encoding: str | None = typer.Option(
        None,
        help="The tables' encoding, when tabcheck is not sure (cp1252, latin-1, utf-16, utf-8+cp1252…).",
        metavar="ENCODING",
    ),
    delimiter: str | None = typer.Option(
        None, help="The tables' delimiter, when tabcheck is not sure (';', tab…).", metavar="DELIMITER"
    ),
    codebook: bool = typer.Option(
        False,
        "--codebook",
        help="Also predict the codebook of the files Dataverse ingests: each variable's summary "
        "statistics and UNF, each file's UNF and the dataset's (a second pass over those files).",
    ),
) -> None:
    """Check tables and predict what Dataverse's ingest will do with each."""
    guard = None  # what the reports may replace: only when a report is written to a file
    if output is not None or also:
        from tabcheck.guard import OutputGuard

        guard = OutputGuard(inputs=paths, force=force)
    _language(lang)
    try:
        conf = load()
        language = _language(lang, conf)
        if language not in ("en", "fr"):
            _fail(UsageError("usage.lang", given=language))
        _known_format(output_format)
        extra = [_also(item) for item in also or ()]
        for target in [*([output] if output is not None else []), *(path for _, path in extra)]:
            assert guard is not None
            _report_target(guard, target, language)
        with _progress(quiet, language) as shown:
            run = api.check(
                paths,
                instance=instance or conf.get("instance"),
                dataverse=dataverse if dataverse is not None else conf.get("dataverse"),
                max_ingest_size=max_ingest_size or conf.get("max-ingest-size"),
                max_upload_size=conf.get("max-upload-size"),
                select=_split(select) or tuple(conf.get("select", ())),
                ignore=_split(ignore) or tuple(conf.get("ignore", ())),
                lang=language,
                encoding=encoding or conf.get("encoding"),
                delimiter=delimiter or conf.get("delimiter"),
                files=conf.get("files", ()),
                progress=shown.files if shown else None,
                jobs=_jobs(jobs, conf.get("jobs")),
                codebook=codebook or "ddi" in (output_format, *(fmt for fmt, _ in extra)),
            )
    except (ConfigError, ValueError) as e:
        _fail(e)
    from tabcheck.report import RenderOptions, render

    colour = (
        output_format == "text"
        and output is None
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")  # https://no-color.org
    )
    content = render(run, output_format, RenderOptions(lang=language, colour=colour))
    written = [(output, content)] if output is not None else []
    written += [(path, render(run, fmt, RenderOptions(lang=language))) for fmt, path in extra]
    if written:
        from tabcheck.guard import OutputRefused
        from tabcheck.report.atomic import write_text

        assert guard is not None
        guard.add_inputs(Path(f.path) for f in run.files if Path(f.path).exists())
        for path, text in written:
            try:
                write_text(path, text if text.endswith("\n") else text + "\n", guard=guard)
            except OutputRefused as e:
                _fail(e)
            except OSError as e:
                _fail(UsageError("usage.cannot-write", path=str(path), detail=str(e.strerror or e)))
    if output is None:
        typer.echo(content)
    code = _exit_code(run)
    raise typer.Exit(0 if exit_zero and code == 1 else code)


@contextlib.contextmanager
def _progress(quiet: bool, language: str) -> Iterator[TerminalProgress | None]:
    """A transient progress display on a terminal (tabcheck/progress.py), else None."""
    from tabcheck.progress import TerminalProgress, wanted

    if not wanted(quiet):
        yield None
        return
    with TerminalProgress(language) as shown:
        yield shown


def _jobs(given: int | None, configured: object) -> int:
    """--jobs, else `jobs` in [tool.tabcheck], else one per core."""
    from tabcheck.parallel import default_jobs

    value = given if given is not None else configured
    if value is None:
        return default_jobs()
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        _fail(UsageError("usage.jobs", given=repr(value)))
    return value


_PATH_REASONS = ("not-found", "not-a-file", "unreadable", "broken-link")  # discover's reasons, said in words


def _exit_code(run: RunReport) -> int:
    """2 if a file could not be checked, 1 if a file blocks, else 0: the truth table of tabcheck.status."""
    from tabcheck.status import exit_code

    return exit_code(run.files)


def _known_format(name: str) -> None:
    """A built-in output format or a plugin's (tabcheck_renderers), else exit 2 before reading."""
    from tabcheck.report import formats

    if name not in formats():
        _fail(UsageError("usage.format", name=name, known=", ".join(formats())))


def _also(item: str) -> tuple[str, Path]:
    """`FORMAT:FILE` of --also, checked before anything is read."""
    from tabcheck.report import formats

    fmt, sep, path = item.partition(":")
    if not sep or not path or fmt not in formats():
        _fail(UsageError("usage.also", known=", ".join(formats()), given=item))
    return fmt, Path(path)


def _report_target(guard: OutputGuard, output: Path, language: str) -> None:
    """Refuse, before anything is read, a report path that could replace an input or a stranger.

    Inside a folder being checked, a report is written only under a name the walk never reads as
    a table (report.html, report.json…): a report.csv there would be checked by the next run.
    """
    from tabcheck.discover import FORMATS
    from tabcheck.guard import OutputRefused
    from tabcheck.i18n import t

    resolved = Path(os.path.realpath(output))  # a symlink loop stays a path, never an error
    read_as_table = guard.walked_folder_of(output) is not None and output.suffix.lower() in FORMATS
    if guard.walked_folder_of(resolved) is not None and resolved.suffix.lower() in FORMATS:
        if resolved.is_file():
            guard.add_inputs([resolved])  # the walk will read it
    try:
        guard.claim(output, inside_walk_ok=True, reserve=False)
    except OutputRefused as e:
        _fail(e)
    if read_as_table:
        _fail(t(language, "guard.report-in-walk", path=str(output)))


@app.command(cls=_Command)
def fix(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively).", metavar="PATH"),
    output_dir: Path = typer.Option(
        Path("tabcheck-fixed"),
        "--output-dir",
        "-o",
        help="Where the fixed files and fix-manifest.json go (the originals are never changed).",
        metavar="FOLDER",
    ),
    dataverse: str | None = typer.Option(
        None, help="Target Dataverse version: 6.8 (default), 6.7 or 6.6.", metavar="VERSION"
    ),
    lang: Lang | None = typer.Option(
        None, help="Language of the messages (default: from the locale).", metavar="en|fr"
    ),
    instance: str | None = typer.Option(
        None,
        help="A known installation: recherche-data-gouv, harvard, borealis, dataverse-nl (sets its limits).",
        metavar="NAME",
    ),
    encoding: str | None = typer.Option(
        None,
        help="The tables' encoding, when tabcheck is not sure (cp1252, latin-1, utf-16, utf-8+cp1252…).",
        metavar="ENCODING",
    ),
    delimiter: str | None = typer.Option(
        None, help="The tables' delimiter, when tabcheck is not sure (';', tab…).", metavar="DELIMITER"
    ),
    force: bool = typer.Option(False, "--force", help="Replace outputs that already exist."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display on the terminal."),
    flatten_newlines: bool = typer.Option(
        False, "--flatten-newlines", help="Write line breaks inside cells as spaces (default: kept, as LF)."
    ),
) -> None:
    """Rewrite tables as UTF-8 comma CSV files, verify each against its source, check them again.

    Exit code: 0 every output verified and clean; 1 a file was refused (the message says what to
    pass) or still has a blocker; 2 a file could not be read or an output failed its verification.
    """
    from tabcheck.api import _file_settings
    from tabcheck.checker import Settings, check_delimiter, check_encoding
    from tabcheck.config import parse_size
    from tabcheck.fix import fix_paths
    from tabcheck.fix.names import MANIFEST
    from tabcheck.fix.output import OutputExists, check_target
    from tabcheck.guard import OutputGuard, OutputRefused
    from tabcheck.i18n import t
    from tabcheck.model import Target

    _language(lang)
    try:
        conf = load()
        language = _language(lang, conf)
        version, ingest_limit, upload_limit = api.resolve_target(
            instance or conf.get("instance"),
            dataverse if dataverse is not None else conf.get("dataverse"),
            conf.get("max-ingest-size"),
            conf.get("max-upload-size"),
        )
        api.check([], dataverse=version)  # validates the version
        settings = Settings(
            target=Target(
                dataverse=version,
                max_ingest_size=parse_size(ingest_limit),
                max_upload_size=parse_size(upload_limit),
            ),
            lang=language,
            encoding=check_encoding(encoding or conf.get("encoding")),
            delimiter=check_delimiter(delimiter or conf.get("delimiter")),
            files=tuple(_file_settings(conf.get("files", ()))),
        )
        guard = OutputGuard(inputs=paths, force=force)
        guard.folder(output_dir)
        with guard.active(), _progress(quiet, language) as shown:
            check_target(output_dir / MANIFEST)  # a stranger's file of that name stops the run now
            run = fix_paths(
                paths,
                output_dir,
                settings,
                force=force,
                flatten_newlines=flatten_newlines,
                progress=shown.bytes if shown else None,
                row_progress=shown.rows if shown else None,
            )
    except OutputRefused as e:
        _fail(e)
    except (ConfigError, ValueError, OutputExists) as e:
        _fail(e)
    from tabcheck.messages import Words

    fixed = refused = failed = attention = 0
    colon = t(language, "colon") + " "  # French typography: a no-break space before the colon
    for m in run.files:
        if m.error:
            reason = t(language, f"path.{m.error}") if m.error in _PATH_REASONS else m.error
            typer.echo(f"{m.source}{colon}{t(language, 'error')}{colon}{reason}")
            failed += 1
            continue
        if m.refused is not None:
            whole = Words(m.refused.message, m.refused.message_fr)  # a refusal is never cut short
            typer.echo(f"{m.source}{colon}{t(language, 'fix.refused', message=whole)}")
            refused += 1
            continue
        # The tables, and a workbook's sheets of text lines (the notes beside a table are its own).
        tables = [o for o in m.outputs if o.path.suffix == ".csv" or (o.sheet and o.path.suffix == ".txt")]
        typer.echo(f"{m.source} → {', '.join(str(o.path) for o in tables) or '-'}")
        for line in _transformation_lines(m, language) or [t(language, "fix.nothing")]:
            typer.echo(f"  - {line}")
        ok = True
        for o in tables:
            v = o.verification
            if v is None:
                continue
            which = f"{o.path.name}{colon}" if len(tables) > 1 else ""  # a workbook: one per sheet
            if v.ok:
                typer.echo(f"  {which}{t(language, 'fix.verified', rows=v.rows, cells=v.cells)}")
            else:
                ok = False
                typer.echo(f"  {which}{t(language, 'fix.verify-failed', detail=v.detail)}")
            if v.recheck:
                typer.echo(f"  {t(language, 'fix.remaining')}")
                for line in v.recheck:
                    typer.echo(f"    {line}")
            if v.changes:
                typer.echo(f"  {t(language, 'fix.changes')}")
                for line in v.changes:
                    typer.echo(f"    {line}")
            if v.altered:
                typer.echo(f"  {t(language, 'fix.altered')}")
                for line in v.altered:
                    typer.echo(f"    {line}")
        if ok:
            fixed += 1
            attention += any(o.verification is not None and o.verification.needs_a_look for o in tables)
        else:
            failed += 1
    if run.manifest is not None:
        typer.echo(t(language, "fix.manifest", path=str(run.manifest)))
    typer.echo(t(language, "fix.summary", files=len(run.files), fixed=fixed, refused=refused, failed=failed))
    if attention:
        typer.echo(t(language, "fix.attention", count=attention))
    raise typer.Exit(run.exit_code)


def _transformation_lines(m, language: str) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per declared transformation of a file, in the user's language."""
    from tabcheck.i18n import UI, t

    lines = []
    for tr in m.transformations:
        if not tr.count:
            continue
        example = f"{tr.examples[0][0]} → {tr.examples[0][1]}" if tr.examples else ""
        if tr.name == "transcode":
            lines.append(t(language, "fix.encoding", encoding=m.encoding))
        elif tr.name == "drop-bom":
            lines.append(t(language, "fix.bom"))
        elif tr.name == "comma-delimiter":
            lines.append(t(language, "fix.delimiter", delimiter={"\t": "TAB"}.get(m.delimiter, m.delimiter)))
        elif tr.name == "drop-blank-lines":
            lines.append(t(language, "fix.blank", count=tr.count))
        elif tr.name == "decimal-point":
            lines.append(t(language, "fix.decimal-column", column=tr.where, count=tr.count, example=example))
        elif tr.name == "empty-null":
            lines.append(t(language, "fix.null-column", column=tr.where, count=tr.count))
        elif tr.name == "header-deduplicated":
            where = f" ({tr.where})" if tr.where else ""
            lines.append(t(language, "fix.deduplicated", count=tr.count, example=example, where=where))
        elif tr.name == "iso-time":
            lines.append(t(language, "fix.time-column", column=tr.where, count=tr.count, example=example))
        elif tr.name == "iso-date":
            lines.append(t(language, "fix.date-column", column=tr.where, count=tr.count, example=example))
        elif tr.name == "line-breaks":
            lines.append(t(language, "fix.line-breaks", count=tr.count))
        elif tr.name == "flatten-newlines":
            lines.append(t(language, "fix.newline", count=tr.count))
        elif tr.name == "move-notes":
            lines.append(t(language, "fix.moved", count=tr.count))
        elif f"fix.tx.{tr.name}" in UI["en"]:
            where = f" ({tr.where})" if tr.where else ""
            lines.append(t(language, f"fix.tx.{tr.name}", count=tr.count, where=where))
        else:  # a transformation without words yet: its name, never nothing
            where = f" ({tr.where})" if tr.where else ""
            lines.append(t(language, "fix.transformation", name=tr.name + where, count=tr.count))
        if tr.sheet is not None:  # a column of a sheet (sheet_repairs.py): "sheet “A”, column “x”: …"
            lines[-1] = t(language, "fix.in-sheet", sheet=tr.sheet) + lines[-1]
    for left in m.left:
        if left.code is None:  # a check's finding (code) is said with the copy's findings
            lines.append(left.message_fr if language == "fr" else left.message)
    return lines


@app.command(cls=_Command)
def deposit(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively).", metavar="PATH"),
    server: str = typer.Option(
        ..., help="The Dataverse installation, e.g. https://entrepot.recherche.data.gouv.fr", metavar="URL"
    ),
    dataset: str = typer.Option(
        ..., help="The dataset's persistent identifier, e.g. doi:10.57745/ABCDEF", metavar="PID"
    ),
    on_fail: str = typer.Option(
        "refuse",
        "--on-fail",
        help="A file predicted to fail: refuse it (default), upload its fixed copy (fixed), or upload "
        "it with tabular ingest turned off (no-ingest).",
        metavar="refuse|fixed|no-ingest",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and show what would be sent; send nothing."),
    token_env: str = typer.Option(
        "DATAVERSE_API_TOKEN",
        "--token-env",
        help="The environment variable holding the API token (never given on the command line).",
        metavar="NAME",
    ),
    receipt: Path = typer.Option(
        Path("tabcheck-deposit"),
        "--receipt",
        help="Where deposit-receipt.json and deposit-receipt.html go.",
        metavar="FOLDER",
    ),
    ingest_timeout: float = typer.Option(
        600.0, "--ingest-timeout", help="Seconds to wait for Dataverse's ingest to finish.", metavar="SECONDS"
    ),
    dataverse: str | None = typer.Option(
        None, help="Target Dataverse version: 6.8 (default), 6.7 or 6.6.", metavar="VERSION"
    ),
    instance: str | None = typer.Option(
        None,
        help="A known installation: recherche-data-gouv, harvard, borealis, dataverse-nl (sets its limits).",
        metavar="NAME",
    ),
    lang: Lang | None = typer.Option(
        None, help="Language of the messages (default: from the locale).", metavar="en|fr"
    ),
    encoding: str | None = typer.Option(
        None, help="The tables' encoding, when tabcheck is not sure.", metavar="ENCODING"
    ),
    delimiter: str | None = typer.Option(
        None, help="The tables' delimiter, when tabcheck is not sure.", metavar="DELIMITER"
    ),
    force: bool = typer.Option(False, "--force", help="Replace a receipt already in the folder."),
) -> None:
    """Check tables, then upload to a Dataverse dataset those that will be ingested as predicted.

    The API token is read from $DATAVERSE_API_TOKEN (or --token-env). Exit code: 0 every file
    uploaded and ingested as predicted; 1 a file refused or not ingested as predicted; 2 an error
    (token, permission, dataset, server, a file too large, an ingest still running).
    """
    from tabcheck.deposit import DepositError
    from tabcheck.deposit.receipt import result_lines, summary_line
    from tabcheck.guard import OutputRefused

    language = _language(lang)
    try:
        conf = load()
        language = _language(lang, conf)
        result = api.deposit(
            paths,
            server=server,
            dataset=dataset,
            token_env=token_env,
            on_fail=on_fail,
            dry_run=dry_run,
            receipt=receipt,
            force=force,
            dataverse=dataverse if dataverse is not None else conf.get("dataverse"),
            max_ingest_size=conf.get("max-ingest-size"),
            max_upload_size=conf.get("max-upload-size"),
            instance=instance or conf.get("instance"),
            lang=language,
            encoding=encoding or conf.get("encoding"),
            delimiter=delimiter or conf.get("delimiter"),
            files=conf.get("files", ()),
            ingest_timeout=ingest_timeout,
            poll=min(1.0, max(0.05, ingest_timeout / 20)),
            echo=typer.echo,
        )
    except DepositError as e:
        _fail(e)
    except OutputRefused as e:
        _fail(e)
    except (ConfigError, ValueError) as e:
        _fail(e)
    for line in result_lines(result, language):
        typer.echo(line)
    if result.error is not None:
        typer.echo(f"tabcheck: error: {result.error.text(language)}", err=True)
    typer.echo(summary_line(result, language))
    raise typer.Exit(result.exit_code)


@app.command(cls=_Command)
def rules(
    lang: Lang | None = typer.Option(None, help="Language (default: from the locale).", metavar="en|fr"),
) -> None:
    """List every rule: code, name, default severity, Dataverse effect, fixable."""
    from tabcheck.i18n import t
    from tabcheck.model import Effect, Severity
    from tabcheck.plugins import all_rules

    language = _language(lang)
    found = all_rules().values()
    heads = t(language, "rules.header").split("|")  # code, name, severity, effect, fix, summary
    name_width = max(len(heads[1]), *(len(r.name) for r in found)) + 1
    sev_width = max(len(heads[2]), *(len(t(language, f"severity.{s.value}")) for s in Severity)) + 1
    eff_width = max(len(heads[3]), *(len(t(language, f"effect.{e.value}")) for e in Effect)) + 1
    fix_width = max(len(heads[4]), *(len(t(language, k)) for k in ("rules.fixable", "rules.partly"))) + 2
    typer.echo(
        f"{heads[0]:<7}{heads[1]:<{name_width}}{heads[2]:<{sev_width}}{heads[3]:<{eff_width}}"
        f"{heads[4]:<{fix_width}}{heads[5]}"
    )
    for r in found:
        fix = t(language, "rules.partly" if r.partly_fixable else "rules.fixable") if r.fixable else ""
        severity = t(language, f"severity.{r.severity.value}")
        effect = t(language, f"effect.{r.effect.value}")
        typer.echo(
            f"{r.code:<7}{r.name:<{name_width}}{severity:<{sev_width}}{effect:<{eff_width}}"
            f"{fix:<{fix_width}}{r.summary[language]}"
        )


@app.command(cls=_Command)
def explain(
    rule: str = typer.Argument(..., help="A rule name or code.", metavar="RULE"),
    lang: Lang | None = typer.Option(None, help="Language (default: from the locale).", metavar="en|fr"),
) -> None:
    """Explain a rule: why it matters for Dataverse and how to fix it."""
    from tabcheck.docs import rule_page
    from tabcheck.plugins import find_rule

    language = _language(lang)
    found = find_rule(rule)
    if found is None:
        _fail(UsageError("usage.unknown-rule", rule=rule))
    typer.echo(rule_page(found, language))


@app.command(cls=_Command)
def verify(
    paths: list[Path] = typer.Argument(..., help="The files (or folder) you deposited.", metavar="PATH"),
    unf: list[str] | None = typer.Option(
        None,
        "--unf",
        help="A UNF Dataverse shows (file, variable or dataset; repeatable).",
        metavar="UNF:6:…",
    ),
    unf_list: str | None = typer.Option(
        None,
        "--unf-list",
        help="A JSON file (or text) of UNFs: a list, {name: UNF}, or the file list of Dataverse's API.",
        metavar="JSON",
    ),
    lang: Lang | None = typer.Option(
        None, help="Language of the messages (default: from the locale).", metavar="en|fr"
    ),
) -> None:
    """Say whether the deposited data are the data you have: the UNFs Dataverse computed after
    ingest, compared with the ones tabcheck predicts for your files (exit 0 all match, 1 not)."""
    from tabcheck.codebook.verify import Expected, msg, parse_unf_list
    from tabcheck.codebook.verify import verify as compare

    _language(lang)
    try:
        conf = load()
    except ConfigError as e:
        _fail(e)
    language = _language(lang, conf)
    expected = [Expected(u.strip()) for u in unf or ()]
    if unf_list is not None:
        text = unf_list
        if not unf_list.lstrip().startswith(("[", "{")):
            try:
                text = Path(unf_list).read_text(encoding="utf-8")
            except OSError as e:
                _fail(msg(language, "bad-list", why=e.strerror or str(e)))
        try:
            expected += parse_unf_list(text)
        except ValueError as e:
            _fail(msg(language, "bad-list", why=str(e)))
    if not expected:
        _fail(msg(language, "nothing"))
    try:
        run = api.check(
            paths,
            instance=conf.get("instance"),
            dataverse=conf.get("dataverse"),
            max_ingest_size=conf.get("max-ingest-size"),
            max_upload_size=conf.get("max-upload-size"),
            lang=language,
            encoding=conf.get("encoding"),
            delimiter=conf.get("delimiter"),
            files=conf.get("files", ()),
            codebook=True,
        )
    except (ConfigError, ValueError) as e:
        _fail(e)
    lines, ok = compare(run, expected, language)
    for line in lines:
        typer.echo(line)
    raise typer.Exit(0 if ok else 1)


@app.command(cls=_Command)
def serve(
    port: int = typer.Option(
        0, "--port", help="The port on 127.0.0.1 (default: a free one).", metavar="PORT", min=0, max=65535
    ),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open the page in the browser."),
    max_upload: str | None = typer.Option(
        None,
        "--max-upload",
        help="The largest drop the page accepts (default: the upload size limit, 50GB).",
        metavar="SIZE",
    ),
    instance: str | None = typer.Option(
        None, help="A known installation: its Dataverse version and limits.", metavar="NAME"
    ),
    dataverse: str | None = typer.Option(
        None, help="Target Dataverse version: 6.8 (default), 6.7 or 6.6.", metavar="VERSION"
    ),
    lang: Lang | None = typer.Option(
        None,
        help="The page's language when the browser asks for neither (default: the locale).",
        metavar="en|fr",
    ),
) -> None:
    """Open a page in your browser where you drop tables, read the report and download fixed copies.

    The page runs on this computer only (127.0.0.1); the files are checked in a temporary folder,
    removed afterwards. Ctrl+C stops it. Needs the serve extra: pip install 'tabcheck[serve]'.
    """
    from tabcheck.serve import available

    missing = available()
    if missing is not None:
        _fail(missing)
    from tabcheck.serve.app import ServeSettings
    from tabcheck.serve.server import PortTaken
    from tabcheck.serve.server import serve as run_server

    _language(lang)
    try:
        conf = load()
        language = _language(lang, conf)
        settings = ServeSettings(
            instance=instance or conf.get("instance"),
            dataverse=dataverse if dataverse is not None else conf.get("dataverse"),
            max_ingest_size=conf.get("max-ingest-size"),
            max_upload_size=conf.get("max-upload-size"),
            max_drop=max_upload,
            select=tuple(conf.get("select", ())),
            ignore=tuple(conf.get("ignore", ())),
            encoding=conf.get("encoding"),
            delimiter=conf.get("delimiter"),
            files=tuple(conf.get("files", ())),
            lang=language,
            jobs=_jobs(None, conf.get("jobs")),
        )
        settings.target()  # a wrong version or size stops here, before the page opens
    except (ConfigError, ValueError) as e:
        _fail(e)
    from tabcheck.serve.page import text

    try:
        run_server(
            settings,
            port=port,
            open_browser=not no_browser,
            announce=lambda url: typer.echo(text(language, "ready", url=url)),
        )
    except PortTaken as e:
        _fail(UsageError("usage.port", port=str(port), detail=str(e)))
    except KeyboardInterrupt:  # uvicorn stops on Ctrl+C, then raises it again: the usual exit code
        typer.echo(text(language, "stopped"))
        raise typer.Exit(INTERRUPTED) from None
    typer.echo(text(language, "stopped"))


INTERRUPTED = 130  # SIGINT (Ctrl+C), as shells report it
TERMINATED = 143  # SIGTERM


class _Terminated(BaseException):
    """SIGTERM raised as an exception, so that every `finally` (temporary files) runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def main() -> None:
    import signal

    from tabcheck.allocator import limit_arenas
    from tabcheck.blas import single_threaded_blas, without_scipy_linalg

    limit_arenas()  # before the threads: fewer arenas keeping freed chunks (allocator.py)
    single_threaded_blas()  # before numpy: no spinning BLAS threads (blas.py)
    without_scipy_linalg()  # numba's BLAS probe fails at once (blas.py)
    signal.signal(signal.SIGTERM, _on_sigterm)
    if "--debug" in sys.argv[1:]:  # internal errors keep their traceback (see checker.check_file)
        sys.argv.remove("--debug")
        os.environ["TABCHECK_DEBUG"] = "1"
    try:
        app(standalone_mode=True)
    except SystemExit as e:  # typer ends a Ctrl+C with exit 130 and no word: say it, in the run's language
        if isinstance(getattr(e.__context__, "__cause__", None), KeyboardInterrupt):
            _say("run.interrupted")
        raise
    except KeyboardInterrupt:
        _say("run.interrupted")
        sys.exit(INTERRUPTED)
    except _Terminated:
        _say("run.terminated")
        sys.exit(TERMINATED)
    except Exception as e:  # the last guard: never a bare traceback, never exit 1
        if os.environ.get("TABCHECK_DEBUG"):
            raise
        _say("run.internal-error", detail=f"{type(e).__name__}: {str(e)[:300]}")
        sys.exit(2)
    finally:
        # The run is over (its outputs written or removed): a signal while Python waits for its
        # threads at exit no longer raises in that shutdown (Python would then die of the signal,
        # exit -2 and no word), it ends the process as interrupted.
        signal.signal(signal.SIGINT, _exit_now)
        signal.signal(signal.SIGTERM, _exit_now)


def _say(key: str, **params: object) -> None:
    """An end of the run on standard error, in the run's language."""
    from tabcheck.i18n import t

    language = _SAID_IN[0] if _SAID_IN else default_lang()
    colon = t(language, "colon")
    sys.stderr.write(f"tabcheck{colon} {t(language, key, **params)}\n")


def _exit_now(signum: int, frame: object) -> None:
    """End the process at once, its report flushed (os._exit flushes nothing)."""
    import contextlib
    import signal

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed stream
            stream.flush()
    os._exit(INTERRUPTED if signum == signal.SIGINT else TERMINATED)
