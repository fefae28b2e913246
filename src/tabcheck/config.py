"""Settings from `[tool.tabcheck]` in the nearest pyproject.toml, then from the command line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tabcheck.i18n import UsageError

KEYS = {
    "select",
    "ignore",
    "dataverse",
    "max-ingest-size",
    "max-upload-size",
    "lang",
    "encoding",
    "delimiter",
    "files",  # [[tool.tabcheck.files]]: pattern, encoding, delimiter
    "jobs",  # files checked at once (worker processes)
    "instance",  # a known installation's preset (tabcheck.instances)
}
_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "kib": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "mib": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
    "gib": 1024**3,
    "t": 1024**4,
    "tb": 1024**4,
    "tib": 1024**4,
    "o": 1,
    "ko": 1024,
    "mo": 1024**2,
    "go": 1024**3,
    "to": 1024**4,
}


class ConfigError(UsageError):
    """A setting that cannot be understood: the message says which and why."""


def parse_size(text: str | int) -> int:
    """'500MB', '150 MB', '2G', '524288000' -> bytes (powers of 1024, as repositories count)."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*([0-9]+(?:[.,][0-9]+)?)\s*([a-zA-Z]*)\s*", str(text))
    if not m or m.group(2).lower() not in _UNITS:
        raise ConfigError("usage.size", text=str(text))
    return int(float(m.group(1).replace(",", ".")) * _UNITS[m.group(2).lower()])


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(start: Path | None = None) -> dict:
    """The `[tool.tabcheck]` table, validated; {} when there is none."""
    path = find_pyproject(start or Path.cwd())
    if path is None:
        return {}
    if sys.version_info >= (3, 11):  # imported here: a folder of tables seldom has a pyproject.toml
        import tomllib
    else:  # Python 3.10: the same parser, from PyPI
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError("usage.config-unreadable", path=str(path), detail=str(e)) from None
    table = data.get("tool", {}).get("tabcheck", {})
    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(
            "usage.config-keys", path=str(path), keys=", ".join(sorted(unknown)), count=len(unknown)
        )
    return table
