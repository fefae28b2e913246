"""Reference workloads, each run as its own process so its wall time and RSS are measured alone.

Usage: python workloads.py {polars-scan|openpyxl|calamine|iconv-polars-fix|csvclean-each} PATH
Prints a one-line JSON summary, so a run that read nothing is visible.
"""

from __future__ import annotations

import json
import sys

INT_RE = r"^[+-]?\d+$"
FLOAT_RE = r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$"
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"


def polars_scan(path: str) -> dict:
    """What a type-sniffing pass costs in polars: every column as text, three regexes each."""
    import polars as pl

    lf = pl.scan_csv(path, infer_schema=False)
    exprs = []
    for c in lf.collect_schema().names():
        col = pl.col(c)
        exprs += [
            (col.is_not_null() & (col != "")).sum().alias(f"{c}:nonempty"),
            col.str.contains(INT_RE).sum().alias(f"{c}:int"),
            col.str.contains(FLOAT_RE).sum().alias(f"{c}:float"),
            col.str.contains(DATE_RE).sum().alias(f"{c}:date"),
        ]
    out = lf.select(exprs).collect(engine="streaming")
    return {"columns": len(exprs) // 4, "rows": int(out.row(0)[0])}


def openpyxl_read(path: str) -> dict:
    """openpyxl read-only mode, the usual low-memory way to walk every cell in Python."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    cells = rows = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        rows += 1
        cells += sum(v is not None for v in row)
    wb.close()
    return {"rows": rows, "nonempty_cells": cells}


def calamine_read(path: str) -> dict:
    """polars.read_excel with the calamine (fastexcel, Rust) engine: the fast-reader floor."""
    import polars as pl

    df = pl.read_excel(path, engine="calamine", infer_schema_length=None)
    return {"rows": df.height + 1, "columns": df.width}


def iconv_polars_fix(path: str) -> dict:
    """The French export made Dataverse-ready the usual way: iconv to UTF-8, then polars reads `;`
    with decimal commas and writes a comma CSV (streaming), with no verification and no refusal."""
    import os
    import subprocess
    import tempfile

    import polars as pl

    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(path))) as tmp:
        utf8, out = os.path.join(tmp, "utf8.csv"), os.path.join(tmp, "out.csv")
        with open(utf8, "wb") as fh:
            subprocess.run(["iconv", "-f", "WINDOWS-1252", "-t", "UTF-8", path], stdout=fh, check=True)
        pl.scan_csv(utf8, separator=";", decimal_comma=True, infer_schema_length=10000).sink_csv(out)
        return {"bytes_out": os.path.getsize(out)}


def csvclean_each(folder: str) -> dict:
    """`csvclean -a` (csvkit) on every CSV and TSV of a folder, one after the other in this one
    process: no interpreter start-up per file, so a lower bound for the shell loop a user would
    write (csvclean takes one file). The cleaned rows and the error reports go to /dev/null; a file
    it cannot read (say, Windows-1252 without `-e`) counts as unreadable, as in that loop."""
    import os
    from pathlib import Path

    from csvkit.utilities.csvclean import CSVClean

    counts = {"no errors": 0, "errors reported": 0, "unreadable": 0, "not CSV": 0}
    with open(os.devnull, "w") as sink:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name != ".complete"):
            if path.suffix not in (".csv", ".tsv"):
                counts["not CSV"] += 1
                continue
            args = ["-a", *(["-t"] if path.suffix == ".tsv" else []), str(path)]
            try:
                CSVClean(args, output_file=sink, error_file=sink).run()
                counts["no errors"] += 1
            except SystemExit as stop:  # csvclean exits 1 after writing its error report
                counts["errors reported" if stop.code == 1 else "unreadable"] += 1
            except Exception:  # noqa: BLE001 - what the shell loop would print and go on from
                counts["unreadable"] += 1
    return counts


WORKLOADS = {
    "polars-scan": polars_scan,
    "openpyxl": openpyxl_read,
    "calamine": calamine_read,
    "iconv-polars-fix": iconv_polars_fix,
    "csvclean-each": csvclean_each,
}

if __name__ == "__main__":
    name, path = sys.argv[1], sys.argv[2]
    print(json.dumps(WORKLOADS[name](path)))
