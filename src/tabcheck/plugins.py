"""Loading rule plugins: the built-in ones and third-party ones share the entry-point group."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
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
    loaded = pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    if not loaded or not _has_builtins(pm):
        # Running from a source tree that was never installed: register the same modules by hand.
        import importlib

        for name in BUILTIN_MODULES:
            module = importlib.import_module(name)
            if not pm.is_registered(module):
                pm.register(module, name=name)
    return pm


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
