"""The plugin contract. Argument names are the contract: pluggy passes hook arguments by name.

Built-in rules register through these hooks exactly as a third-party package would, via the
`tabcheck` entry-point group.
"""

import pluggy

hookspec = pluggy.HookspecMarker("tabcheck")
hookimpl = pluggy.HookimplMarker("tabcheck")


@hookspec
def tabcheck_rules():
    """Return the `Rule` objects this plugin provides."""


@hookspec
def tabcheck_column_evidence():
    """Return {name: function(pl.Expr) -> boolean pl.Expr} counted per column during the one scan."""


@hookspec
def tabcheck_check_run(reports, target):
    """Return findings per path ({path: [Finding]}) from checks across all files of a run."""


@hookspec
def tabcheck_renderers():
    """Return {format name: render(run, options) -> str} output formats this plugin adds."""
