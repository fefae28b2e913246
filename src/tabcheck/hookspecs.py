"""The plugin contract. Argument names are the contract: pluggy passes hook arguments by name.

Built-in rules register through these hooks exactly as a third-party package would, via the
`tabcheck` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from tabcheck.model import FileReport, Finding, RunReport, Target
    from tabcheck.report import RenderOptions
    from tabcheck.rule import Rule
    from tabcheck.scan.evidence import Evidence

hookspec = pluggy.HookspecMarker("tabcheck")
hookimpl = pluggy.HookimplMarker("tabcheck")


@hookspec
def tabcheck_rules() -> Sequence[Rule]:  # type: ignore[empty-body]
    """Return the `Rule` objects this plugin provides."""


@hookspec
def tabcheck_column_evidence() -> Mapping[str, Evidence]:  # type: ignore[empty-body]
    """Return {name: Evidence} counted per column during the one scan (prefix names with your plugin's)."""


@hookspec
def tabcheck_check_run(  # type: ignore[empty-body]
    reports: Sequence[FileReport], target: Target
) -> Mapping[str, Sequence[Finding]]:
    """Return findings per path ({path: [Finding]}) from checks across all files of a run."""


@hookspec
def tabcheck_renderers() -> Mapping[str, Callable[[RunReport, RenderOptions], str]]:  # type: ignore[empty-body]
    """Return {format name: render(run, options) -> str} output formats this plugin adds."""
