"""Output formats, registered by name: every renderer reads the same `RunReport`.

A renderer is `render(run, options) -> str`; a new format is one module plus a line in
`RENDERERS` (or a plugin's `tabcheck_renderers` hook). Messages are rendered here, at the output,
in `options.lang`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from tabcheck.model import RunReport


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "en"
    colour: bool = False  # ANSI colours (terminal output only)


class Renderer(Protocol):
    def __call__(self, run: RunReport, options: RenderOptions) -> str: ...


# name -> "module:function", imported on first use.
RENDERERS: dict[str, str] = {
    "text": "tabcheck.report.text:render",
    "json": "tabcheck.report.jsonout:render",
    "html": "tabcheck.report.html:render",
    "sarif": "tabcheck.report.sarif:render",
    "github": "tabcheck.report.github:render",
    "junit": "tabcheck.report.junit:render",
    "markdown": "tabcheck.report.markdown:render",
    "ddi": "tabcheck.report.ddi:render",
}


def formats() -> list[str]:
    """Every output format: the built-in ones and those of plugins."""
    from tabcheck.plugins import renderers

    return [*RENDERERS, *(name for name in renderers() if name not in RENDERERS)]


def renderer(name: str) -> Renderer:
    from tabcheck.plugins import renderers

    if name in RENDERERS:
        module, _, attr = RENDERERS[name].partition(":")
        found: Renderer = getattr(importlib.import_module(module), attr)
        return found
    plugged = renderers().get(name)
    if plugged is None:
        raise ValueError(f"unknown output format {name!r} (one of: {', '.join(formats())})")
    return plugged


def render(run: RunReport, name: str, options: RenderOptions) -> str:
    return renderer(name)(run, options)
