"""Rules whose names cover both CSV and workbooks take their workbook half from workbook_shared."""

from __future__ import annotations

import importlib


def _workbook_part():
    try:
        return importlib.import_module("tabcheck.rules.workbook_shared")
    except ImportError:
        return None


def messages(name: str) -> dict:
    part = _workbook_part()
    return dict(getattr(part, "MESSAGES", {}).get(name, {})) if part else {}


def check(name: str, rule, facts, ctx):
    """The workbook findings of a shared rule (nothing for a file that is not a workbook)."""
    part = _workbook_part()
    fn = getattr(part, "CHECKS", {}).get(name) if part else None
    if fn is None or facts.format != "xlsx":
        return ()
    return fn(rule, facts, ctx) or ()
