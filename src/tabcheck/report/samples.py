"""Sample reports on the bundled fixtures, for the reports/ folder."""

from __future__ import annotations

import os
from pathlib import Path

from tabcheck import api
from tabcheck.report import RenderOptions, render
from tabcheck.report.atomic import write_text


def write_samples(fixtures: Path, out: Path) -> list[Path]:
    """Text and JSON reports, English and French, paths shown relative to the project."""
    out.mkdir(parents=True, exist_ok=True)
    cwd = Path.cwd()
    os.chdir(fixtures.parent)
    try:
        written = []
        run = api.check([fixtures.name], codebook=True)  # one run (with its codebook), both languages
        for lang in ("en", "fr"):
            options = RenderOptions(lang=lang)
            for fmt, suffix in (("text", "txt"), ("json", "json"), ("html", "html")):
                content = render(run, fmt, options)
                path = out / f"fixtures.{lang}.{suffix}"
                written.append(write_text(path, content if content.endswith("\n") else content + "\n"))
        return written
    finally:
        os.chdir(cwd)
