"""Sample reports on the bundled fixtures, for the reports/ folder."""

from __future__ import annotations

import os
from pathlib import Path

from tabcheck import api
from tabcheck.report import jsonout, text
from tabcheck.report.atomic import write_text


def write_samples(fixtures: Path, out: Path) -> list[Path]:
    """Text and JSON reports, English and French, paths shown relative to the project."""
    out.mkdir(parents=True, exist_ok=True)
    cwd = Path.cwd()
    os.chdir(fixtures.parent)
    try:
        written = []
        for lang in ("en", "fr"):
            run = api.check([fixtures.name], lang=lang)
            written.append(
                write_text(out / f"fixtures.{lang}.txt", text.render(run, lang, colour=False) + "\n")
            )
            written.append(write_text(out / f"fixtures.{lang}.json", jsonout.render(run) + "\n"))
            try:
                from tabcheck.report import html
            except ImportError:
                continue
            written.append(write_text(out / f"fixtures.{lang}.html", html.render(run, lang)))
        return written
    finally:
        os.chdir(cwd)
