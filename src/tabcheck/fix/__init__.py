"""`tabcheck fix`: rewrite tables into clean UTF-8, comma-separated CSV files Dataverse ingests.

The original is never modified: the fixed file goes to an output folder, written atomically. Only
mechanical repairs are made, and none loses a value: encoding to UTF-8, the BOM dropped, the
delimiter turned into commas (values quoted where needed), decimal commas turned into points in the
columns where every number uses them, `null` in numeric columns emptied (Dataverse would store 0),
empty lines dropped, line breaks inside cells replaced by a space, a title or notes around the table
moved to a `.notes.txt` file beside the fixed table. Workbooks: each non-empty sheet becomes a CSV.
What cannot be repaired mechanically (ragged rows, duplicate names, …) is left, and the fixed file
is checked again so the user sees what remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tabcheck.checker import Settings, check_file
from tabcheck.discover import discover


@dataclass
class FixResult:
    source: str
    outputs: list[Path] = field(default_factory=list)
    changes: list[tuple[str, dict]] = field(default_factory=list)  # (i18n key, params): what was done
    error: str | None = None
    skipped: str | None = None  # why nothing was written


def fix_paths(paths: list[str | Path], out_dir: Path, settings: Settings) -> list[FixResult]:
    from tabcheck.fix.csvfix import fix_csv
    from tabcheck.fix.xlsxfix import fix_xlsx

    candidates, problems = discover(paths)
    results = [FixResult(source=p, error=reason) for p, reason in problems]
    out_dir = Path(out_dir)
    resolved_out = out_dir.resolve()
    for cand in candidates:
        if (
            cand.root is not None
            and resolved_out != cand.root.resolve()
            and resolved_out in cand.path.resolve().parents
        ):
            continue  # an earlier run's output inside the folder being fixed, not an input
        ext = cand.path.suffix.lower()
        result = FixResult(source=cand.display)
        try:
            if ext in (".csv", ".tsv", ".tab", ".txt"):
                report = check_file(cand, settings)
                if report.error:
                    result.error = report.error
                else:
                    fix_csv(cand.path, report, _target(out_dir, cand, ".csv"), result)
            elif ext in (".xlsx", ".xlsm"):
                fix_xlsx(cand.path, _target(out_dir, cand, ".csv"), result)
            else:
                result.skipped = "format"
        except (OSError, ValueError) as e:
            result.error = f"{type(e).__name__}: {e}"
        except Exception as e:  # noqa: BLE001 - one file's failure never stops the others
            result.error = f"internal error: {type(e).__name__}: {e}"
        results.append(result)
    return results


def _target(out_dir: Path, cand, suffix: str) -> Path:
    """The output path: the input's path below the folder the user named, with a .csv extension."""
    return out_dir / cand.relative.with_suffix(suffix)
