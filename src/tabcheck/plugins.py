"""Loading rule plugins: the built-in ones and third-party ones share the entry-point group."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from importlib.machinery import PathFinder
from typing import cast

import pluggy

from tabcheck import hookspecs
from tabcheck.rule import Rule
from tabcheck.scan.evidence import Evidence

ENTRY_POINT_GROUP = "tabcheck"
BUILTIN_MODULES = (
    "tabcheck.rules.files",
    "tabcheck.rules.encoding",
    "tabcheck.rules.structure",
    "tabcheck.rules.totals",
    "tabcheck.rules.cells",
    "tabcheck.rules.header",
    "tabcheck.rules.values",
    "tabcheck.rules.workbook",
)


class PluginError(Exception):
    """A plugin could not be loaded or declares a conflicting rule."""


@functools.lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("tabcheck")
    pm.add_hookspecs(hookspecs)
    own = own_entry_points()
    if own is None:  # a third-party plugin (or a path this quick look does not read): pluggy loads all
        loaded = pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    else:
        for name, module_name in own:
            pm.register(importlib.import_module(module_name), name=name)
        loaded = len(own)
    if not loaded or not _has_builtins(pm):
        # Running from a source tree that was never installed: register the same modules by hand.
        for name in BUILTIN_MODULES:
            module = importlib.import_module(name)
            if not pm.is_registered(module):
                pm.register(module, name=name)
    return pm


def own_entry_points() -> list[tuple[str, str]] | None:
    """The entry points of the `tabcheck` group, [(name, module)] in the order pluggy would load
    them, when every one declared is one of tabcheck's own rule modules; None when any other is.

    They are read from the `entry_points.txt` of each distribution on `sys.path`, as
    importlib.metadata reads them (pluggy's walk through it took 5 ms at each start with 180
    packages installed, more in bigger environments; this look takes a third of it). None, too,
    when something on the path is not read here as importlib.metadata would read it (a zip, an
    egg, another finder of distributions): pluggy then loads the entry points itself.
    """
    builtins = {module.rpartition(".")[2]: module for module in BUILTIN_MODULES}
    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return None
    found: dict[str, str] = {}  # the first declaration of a name wins, as in pluggy's loop
    for entry in sys.path:
        if not isinstance(entry, str) or entry.lower().endswith(".egg"):
            return None
        try:
            children = os.listdir(entry or ".")
        except NotADirectoryError:  # a zip: importlib.metadata reads the distributions inside
            return None
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(entry, child, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:  # none, or unreadable: importlib.metadata finds no entry point either
                continue
            except UnicodeDecodeError:  # importlib.metadata raises: pluggy's walk will say so
                return None
            if ENTRY_POINT_GROUP not in text:
                continue
            declared = _group(text, ENTRY_POINT_GROUP)
            if declared is None:
                return None
            if declared and low.rpartition(".")[0].partition("-")[0] != "tabcheck":
                return None  # another distribution declares entry points: a plugin
            for name, value in declared:
                if builtins.get(name) != value:
                    return None
                found.setdefault(name, value)
    return list(found.items())


def _group(text: str, group: str) -> list[tuple[str, str]] | None:
    """The (name, value) pairs of one group of an entry_points.txt, parsed as importlib.metadata
    parses the file; None where it would raise."""
    pairs = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue
        name, sep, value = line.partition("=")
        if not sep:
            return None
        if section == group:
            pairs.append((name.strip(), value.strip()))
    return pairs


def _has_builtins(pm: pluggy.PluginManager) -> bool:
    return any(getattr(p, "__name__", "") in BUILTIN_MODULES for p in pm.get_plugins())


@functools.lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every rule by name, checked for clashing names and codes (codes are never reused)."""
    rules: dict[str, Rule] = {}
    codes: dict[str, str] = {}
    for batch in plugin_manager().hook.tabcheck_rules():
        for r in batch or ():
            if r.name in rules and rules[r.name] is not r:
                raise PluginError(f"rule name {r.name!r} is declared twice")
            if r.code in codes and codes[r.code] != r.name:
                raise PluginError(f"rule code {r.code} is used by {codes[r.code]!r} and {r.name!r}")
            rules[r.name] = r
            codes[r.code] = r.name
    return dict(sorted(rules.items(), key=lambda kv: kv[1].code))


@functools.lru_cache(maxsize=1)
def column_evidence() -> dict[str, Evidence]:
    """Every plugin's per-column evidence; two plugins asking for the same name is an error."""
    out: dict[str, Evidence] = {}
    owner: dict[str, str] = {}
    for impl in reversed(plugin_manager().hook.tabcheck_column_evidence.get_hookimpls()):  # call order
        declared = cast("Mapping[str, Evidence] | None", impl.function())
        for name, evidence in (declared or {}).items():
            if name in out and owner[name] != impl.plugin_name:
                raise PluginError(
                    f"evidence {name!r} is declared by {owner[name]!r} and {impl.plugin_name!r}: "
                    "prefix your evidence names with your plugin's name"
                )
            out[name] = evidence
            owner[name] = impl.plugin_name
    return out


def find_rule(name_or_code: str) -> Rule | None:
    key = name_or_code.strip()
    for r in all_rules().values():
        if key in (r.name, r.code) or key.upper() == r.code:
            return r
    return None


@functools.lru_cache(maxsize=1)
def renderers() -> dict[str, Callable[..., str]]:
    """Output formats added by plugins (see tabcheck.report)."""
    out: dict[str, Callable[..., str]] = {}
    for batch in plugin_manager().hook.tabcheck_renderers():
        for name, fn in (batch or {}).items():
            if name in out:
                raise PluginError(f"output format {name!r} is declared twice")
            out[name] = fn
    return out
