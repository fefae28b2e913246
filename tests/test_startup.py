"""A check of CSV files loads only what it uses: no workbook reader, no HTML templates, no process
pool, no pydantic (typer's coercion of the command line), no code page judge for ASCII files; and
what was made lazy for it gives the same results as what it replaces."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pluggy
import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from tabcheck.cli import main
sys.argv = ["tabcheck", "check", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*args: str, cwd: Path = ROOT) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, check=False
    )
    return set(json.loads(out.stderr.strip().splitlines()[-1]))


def test_a_csv_run_imports_no_workbook_reader_no_pool_no_templates() -> None:
    loaded = _modules("fixtures/csv/good.csv", "fixtures/csv/ragged-row-short.bad.csv", "--format", "json")
    heavy = {
        "tabcheck.workbook.reader",
        "tabcheck.workbook.sheet",
        "tabcheck.workbook.package",
        "openpyxl",
        "jinja2",
        "multiprocessing",
        "concurrent.futures.process",
        "charset_normalizer",
        # typer builds a pydantic adapter per parameter; tabcheck.cli coerces plain values itself
        "pydantic",
        "typer._adapters",
        # written reports only (-o, --also), a preset only when named (--instance)
        "tabcheck.guard",
        "tabcheck.instances",
        # workbook cell references: the rules import them in their workbook checks
        "tabcheck.workbook",
        "tabcheck.workbook.cells",
        "html",
        # the judges of non-ASCII words, and the code pages they read them in: these files are ASCII
        "tabcheck.sniffing._single_byte",
        "tabcheck.sniffing._letters",
        "tabcheck.sniffing._plausibility",
        "encodings.cp1250",
        "encodings.mac_roman",
        # the structural pass: plain files (quotes only around whole one-line values) never need it
        "numpy",
        "tabcheck.scan.structure",
    }
    assert loaded & heavy == set()
    assert "tabcheck.scan.csv" in loaded  # the probe did check the files


def test_a_workbook_run_loads_the_workbook_reader() -> None:
    assert "tabcheck.workbook.reader" in _modules("fixtures/xlsx/cols_702.xlsx", "--format", "json")


def test_without_a_pyproject_toml_no_toml_parser_is_loaded(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_bytes((ROOT / "fixtures/csv/good.csv").read_bytes())
    assert not (tmp_path / "pyproject.toml").exists()
    loaded = _modules("good.csv", "--format", "json", cwd=tmp_path)
    assert "tabcheck.scan.csv" in loaded
    assert {"tomllib", "tomli"} & loaded == set()


def test_a_non_ascii_file_still_loads_the_judges_it_needs() -> None:
    loaded = _modules("fixtures/csv/encoding-not-utf8-cp1252.bad.csv", "--format", "json")
    assert {"tabcheck.sniffing._single_byte", "tabcheck.sniffing._plausibility"} <= loaded


# -- the command line's values, coerced without pydantic, as typer coerces them ----------------------

VALUES: list[Any] = [
    None, (), [], "", "x", "a b", "0", "1", "01", "7", " 7", "+7", "-1", "1_0", "1.5", "1e3", "\uff11",
    "99999999999999999999999", "en", "fr", "EN", " en", "text", "json", "fixtures", "fixtures/csv/good.csv",
    "/no/such/file.csv", "tabcheck-fixed", ("a", "b"), ("fixtures", "fixtures/csv/good.csv"), ("",), ["x"],
    (1, "x"), Path("fixtures"), Path("x.csv"), 0, 3, 65536, 600.0, 2.5, True, False,
]  # fmt: skip


def _outcome(coerce: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        value = coerce(value, param=param, ctx=ctx)
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return ("error", (type(e).__name__, str(e)))
    if isinstance(value, (list, tuple)):
        return ("value", (type(value), [(type(v), v) for v in value]))
    return ("value", (type(value), value))


def test_plain_values_are_coerced_as_typer_coerces_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parameter of every command, on values of every kind: the same value (and type), or the
    same error, as typer's own pydantic coercion."""
    import typer.main
    from typer._coercion import build_runtime_param

    from tabcheck import cli

    monkeypatch.chdir(ROOT)
    group = typer.main.get_command(cli.app)
    commands = [group, *group.commands.values()]
    compared = 0
    for command in commands:
        ctx = command.context_class(command, info_name=command.name)
        params = [*command.params, command.get_help_option(ctx)]
        for param in params:
            assert isinstance(param._runtime_param, cli._PlainValues), (command.name, param.name)
            for value in VALUES:
                ours = _outcome(cli._PlainValues(param).coerce, value, param, ctx)
                param._runtime_param = None
                theirs = _outcome(build_runtime_param(param.type_descriptor).coerce, value, param, ctx)
                assert ours == theirs, (command.name, param.name, value)
                compared += 1
    assert compared > 50 * len(VALUES)


def test_a_wrong_value_gets_typers_message() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", "fixtures/csv/good.csv", "--jobs", "two"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert "Invalid value for '--jobs' / '-j'" in out.stderr
    assert "valid integer" in out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "rules", "--lang", "de"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert "'de' is not one of 'en', 'fr'" in out.stderr


# -- the entry points, read without importlib.metadata when only tabcheck's own are declared ---------


def _pluggy_walk() -> list[tuple[str, str]]:
    """(name, module) of what pluggy's own walk over importlib.metadata registers, in its order."""
    from tabcheck import hookspecs

    pm = pluggy.PluginManager("tabcheck")
    pm.add_hookspecs(hookspecs)
    pm.load_setuptools_entrypoints("tabcheck")
    return [(name, getattr(plugin, "__name__", "")) for name, plugin in pm.list_name_plugin()]


def test_own_entry_points_are_those_pluggy_loads() -> None:
    from tabcheck import plugins

    own = plugins.own_entry_points()
    walked = _pluggy_walk()
    builtin = [(n, m) for n, m in walked if m in plugins.BUILTIN_MODULES]
    if own is None:  # a third-party plugin is installed here: pluggy loads them all
        assert builtin != walked
    else:
        assert own == walked


def _dist(where: Path, name: str, entry_points: bytes) -> None:
    (where / f"{name}.dist-info").mkdir(parents=True)
    (where / f"{name}.dist-info" / "entry_points.txt").write_bytes(entry_points)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("someplugin-1.0", b"[tabcheck]\nunnamed = someplugin\n"),  # a plugin
        ("tabcheck-9.9", b"[tabcheck]\nfiles = tabcheck.rules.files\nmore = tabcheck_more\n"),
        ("tabcheck-9.9", b"[tabcheck]\nfiles = tabcheck.rules.other\n"),
        ("tabcheck-9.9", b"[tabcheck]\nfiles\n"),  # importlib.metadata raises: pluggy says so
        ("other-1.0", b"[console_scripts]\nx = y\n[tabcheck]\n\xff = tabcheck\n"),  # not UTF-8
    ],
)
def test_anything_but_tabchecks_own_entry_points_goes_to_pluggy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: bytes
) -> None:
    from tabcheck import plugins

    _dist(tmp_path, name, text)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert plugins.own_entry_points() is None


def test_other_groups_and_comments_do_not_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tabcheck import plugins

    before = plugins.own_entry_points()
    _dist(tmp_path, "other-1.0", b"# tabcheck\n[console_scripts]\ntabcheck-x = other:main\n")
    _dist(tmp_path, "tabcheck_extra-1.0", b"[pytest11]\ntabcheck = other.plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert plugins.own_entry_points() == before


def test_a_zip_on_the_path_goes_to_pluggy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tabcheck import plugins

    with zipfile.ZipFile(tmp_path / "packages.zip", "w") as z:
        z.writestr("someplugin-1.0.dist-info/entry_points.txt", "[tabcheck]\nx = someplugin\n")
    monkeypatch.syspath_prepend(str(tmp_path / "packages.zip"))
    assert plugins.own_entry_points() is None


def test_the_default_code_pages_are_named_as_codecs_name_them() -> None:
    """detect_encoding takes CANDIDATES as they are (no lookup, which imports ten codecs)."""
    from tabcheck.sniffing.encoding import CANDIDATES

    assert tuple(codecs.lookup(c).name for c in CANDIDATES) == CANDIDATES
