"""`tabcheck serve`: a local page where a person drops tables, reads the report and downloads fixed copies.

Starlette and uvicorn are imported here only, by the `serve` command (the `serve` extra:
`pip install 'tabcheck[serve]'`); `tabcheck check` never loads them.
"""

from __future__ import annotations

MISSING = "tabcheck serve needs the page's web server: pip install 'tabcheck[serve]'"


def available() -> str | None:
    """None when Starlette, uvicorn and python-multipart can be imported, else what to install."""
    import importlib.util

    for module in ("starlette", "uvicorn", "python_multipart"):
        if importlib.util.find_spec(module) is None:
            if module == "python_multipart" and importlib.util.find_spec("multipart") is not None:
                continue
            return MISSING
    return None
