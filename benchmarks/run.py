"""Benchmark `tabcheck check` against the I/O floor and reference tools.

    python benchmarks/run.py            # all suites below but fix: 1 GB + 5 GB CSV, workbooks, ...
    python benchmarks/run.py --only check   # the side-by-side table of issue 10: tabcheck on the
                                            # clean, French, multi-line and unclosed-quote CSVs, the
                                            # folder and the 5M-cell workbook, with frictionless
                                            # validate and csvclean on the same inputs
    python benchmarks/run.py --quick    # 100 MB / 300 MB, 100k / 500k cells: smoke run
    python benchmarks/run.py --only fix --size-gb 0.2   # `tabcheck fix` on the French export

Progress goes to stderr; the Markdown tables and one PASS/MISS line per target go
to stdout and to benchmarks/results.md (results-quick.md for --quick), each suite
in its own section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import datagen
import folder
import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MB = 1_000_000  # decimal megabytes everywhere: sizes, throughput and RSS
WB_COLS = len(datagen.COLUMNS)

# Runs the command in a fresh process, so RUSAGE_CHILDREN covers this one run only.
WRAPPER = """
import json, resource, subprocess, sys, time
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "wb") as o, open(err, "wb") as e:
    t = time.perf_counter()
    rc = subprocess.call(cmd, stdout=o, stderr=e)
    wall = time.perf_counter() - t
print(json.dumps({"rc": rc, "wall": wall,
                  "maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


@dataclass
class Result:
    tool: str
    file: str
    size: str
    work: float  # bytes or cells processed, for the rate
    unit: str  # "MB/s" or "cells/s"
    wall: float | None = None
    rss: float | None = None  # bytes
    anon: float | None = None  # bytes of RSS not backed by files (mmap'd input shows in rss only)
    error: str | None = None
    note: str | None = None  # what the tool reported, in a few words (side-by-side table)

    @property
    def rate(self) -> float | None:
        if self.wall is None or self.error:
            return None
        return self.work / MB / self.wall if self.unit == "MB/s" else self.work / self.wall


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def measure(cmd: list[str], env: dict | None, cwd: Path | None, timeout: float) -> tuple[dict, str, str]:
    """Run cmd once; return wall, peak RSS and exit code, plus its stdout and stderr.

    Peak RSS is the larger of (a) the summed RSS of the whole child tree polled every
    50 ms and (b) the kernel's ru_maxrss of the largest descendant, which catches
    peaks shorter than the polling interval. The poll also tracks anonymous memory
    (RSS minus file-backed pages), so a tool that mmaps its input can be told apart.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp, "out"), Path(tmp, "err")
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, str(out), str(err), *cmd],
            stdout=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        wrapper, peak, anon, deadline = psutil.Process(proc.pid), 0, 0, time.monotonic() + timeout
        while proc.poll() is None:
            rss = shared = 0
            for child in wrapper.children(recursive=True):
                try:
                    mem = child.memory_info()
                    rss, shared = rss + mem.rss, shared + mem.shared
                except psutil.Error:
                    pass
            peak, anon = max(peak, rss), max(anon, rss - shared)
            if time.monotonic() > deadline:
                for child in wrapper.children(recursive=True):
                    child.kill()
                proc.wait()
                return (
                    {"rc": None, "wall": timeout, "maxrss": peak, "anon": anon},
                    "",
                    f"timed out after {timeout:.0f} s",
                )
            time.sleep(0.05)
        stats = json.loads(proc.stdout.read() or b'{"rc": -1, "wall": 0, "maxrss": 0}')
        stats["maxrss"], stats["anon"] = max(stats["maxrss"], peak), anon
        return stats, out.read_text(errors="replace"), err.read_text(errors="replace")


def exit_zero(rc: int, out: str, err: str) -> str | None:
    return None if rc == 0 else f"exit {rc}"


def json_report(rc: int, out: str, err: str) -> str | None:
    """A linter may exit 1 for findings; what counts is a JSON report on stdout."""
    if rc not in (0, 1):
        return f"exit {rc}"
    try:
        json.loads(out)
    except ValueError:
        return f"exit {rc}, stdout is not JSON ({out[:30]!r})"
    return None


def frictionless_valid(rc: int, out: str, err: str) -> str | None:
    """The clean data must come out valid, or frictionless did not do the full job."""
    try:
        report = json.loads(out)
    except ValueError:
        return f"exit {rc}, no JSON report"
    return None if report.get("valid") else f"exit {rc}, invalid: {str(report.get('errors'))[:80]}"


# Each command is measured once per run of this script: the suites share some (tabcheck on the
# clean CSV, frictionless on its head, the 5M-cell workbook), and the later ones reuse the result.
MEASURED: dict[tuple, Result] = {}


def run(result: Result, cmd: list[str], args, env=None, cwd=None, accept=exit_zero, describe=None) -> Result:
    """Measure `cmd` args.repeat times (fastest wall, highest RSS); record errors instead of raising.
    describe(rc, out, err), if given, sums up what the tool said, for the side-by-side table."""
    key = (tuple(cmd), str(cwd), accept, describe)
    if key in MEASURED:
        done = MEASURED[key]
        result.wall, result.rss, result.anon = done.wall, done.rss, done.anon
        result.error, result.note = done.error, done.note
        log(f"{result.tool} on {result.file}: measured above")
        return result
    MEASURED[key] = result
    log(f"{result.tool} on {result.file}: {' '.join(cmd)}")
    for _ in range(args.repeat):
        stats, out, err = measure(cmd, env, cwd, args.timeout)
        problem = err if stats["rc"] is None else accept(stats["rc"], out, err)
        if describe and not problem:
            result.note = describe(stats["rc"], out, err)
        if problem:
            last = [ln.strip() for ln in err.splitlines() if ln.strip()]
            said = last[-1].split(". ")[0][:120].rstrip() if last and stats["rc"] else ""
            result.error = (problem + (f": {said}" if said else "")).replace("|", "/")
            log(f"  ERROR {result.error}")
            return result
        result.wall = stats["wall"] if result.wall is None else min(result.wall, stats["wall"])
        result.rss = max(result.rss or 0, stats["maxrss"])
        result.anon = max(result.anon or 0, stats["anon"])
    log(f"  {result.wall:.2f} s, {result.rate:,.1f} {result.unit}, {result.rss / MB:.0f} MB RSS")
    return result


def tabcheck_cmd() -> tuple[list[str], dict | None]:
    """The installed `tabcheck` script; else, uninstalled, the repo's src/ on PYTHONPATH and
    `python -m tabcheck`, or the console-script entry point named in pyproject.toml."""
    exe = shutil.which("tabcheck")
    if exe:
        return [exe], None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH"), str(REPO / "src")]))
    if (REPO / "src" / "tabcheck" / "__main__.py").exists():
        return [sys.executable, "-m", "tabcheck"], env
    try:
        import tomllib  # Python 3.11+

        with open(REPO / "pyproject.toml", "rb") as f:
            module, func = tomllib.load(f)["project"]["scripts"]["tabcheck"].split(":")
    except (ImportError, OSError, KeyError, ValueError):
        return [sys.executable, "-m", "tabcheck"], env
    code = f"import sys; from {module} import {func} as m; sys.argv[0] = 'tabcheck'; sys.exit(m())"
    return [sys.executable, "-c", code], env


def warm(path: Path) -> None:
    """Read the file once untimed, so every tool is measured on a warm page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def timed(label: str, fn, *a):
    start = time.perf_counter()
    value = fn(*a)
    log(f"{label}: {value.name} ready in {time.perf_counter() - start:.1f} s")
    return value


def csv_suite(args, tabcheck: tuple[list[str], dict | None]) -> list[Result]:
    """wc -l and tabcheck on each CSV; polars on the clean file; frictionless on a slice."""
    cache, seed = args.cache_dir, args.seed
    files = [
        (
            "clean",
            timed(
                "clean CSV", datagen.ensure_csv, cache, "clean", int(args.size_gb * 1e9), seed, datagen.CLEAN
            ),
        ),
        (
            "french",
            timed(
                "French CSV",
                datagen.ensure_csv,
                cache,
                "french",
                int(args.size_gb * 1e9),
                seed,
                datagen.FRENCH,
            ),
        ),
    ]
    if not args.skip_big:
        files.append(
            (
                "big",
                timed(
                    "big CSV", datagen.ensure_csv, cache, "clean", int(args.big_gb * 1e9), seed, datagen.CLEAN
                ),
            )
        )
    head = timed("frictionless slice", datagen.ensure_slice, files[0][1], args.frictionless_mb * MB)

    def res(tool, label, path):
        size = path.stat().st_size
        shown = f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / MB:.0f} MB"
        return Result(tool, f"{label}: {path.name}", shown, size, "MB/s")

    results = []
    cmd, env = tabcheck
    for label, path in files:
        warm(path)
        results.append(run(res("wc -l", label, path), ["wc", "-l", str(path)], args))
        results.append(
            run(
                res("tabcheck", label, path),
                [*cmd, "check", str(path), "--format", "json"],
                args,
                env,
                accept=json_report,
            )
        )
    clean = files[0][1]
    warm(clean)
    results.append(
        run(
            res("polars scan_csv (streaming)", "clean", clean),
            [sys.executable, str(HERE / "workloads.py"), "polars-scan", str(clean)],
            args,
        )
    )
    warm(head)
    # relative path and cwd: frictionless refuses absolute paths as "not safe"
    results.append(
        run(
            res("frictionless validate", "clean head", head),
            [sys.executable, "-m", "frictionless", "validate", "--json", head.name],
            args,
            cwd=head.parent,
            accept=frictionless_valid,
            describe=frictionless_summary,  # as in the check suite, so the run is shared
        )
    )
    return results


def fix_suite(args, tabcheck: tuple[list[str], dict | None]) -> list[Result]:
    """`tabcheck fix` on the French export (`;`, decimal commas, Windows-1252, CRLF): rewritten,
    verified cell by cell and checked again; beside iconv + polars scan_csv(...).sink_csv."""
    path = timed(
        "French CSV",
        datagen.ensure_csv,
        args.cache_dir,
        "french",
        int(args.size_gb * 1e9),
        args.seed,
        datagen.FRENCH,
    )
    size = path.stat().st_size
    shown = f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / MB:.0f} MB"
    cmd, env = tabcheck
    results = []
    with tempfile.TemporaryDirectory(dir=args.cache_dir) as out:
        warm(path)
        results.append(
            run(
                Result("tabcheck fix (+ verify, re-check)", f"french: {path.name}", shown, size, "MB/s"),
                [*cmd, "fix", str(path), "-o", out, "--force"],
                args,
                env,
                accept=_fixed,
            )
        )
    warm(path)
    results.append(
        run(
            Result("iconv + polars scan_csv.sink_csv", f"french: {path.name}", shown, size, "MB/s"),
            [sys.executable, str(HERE / "workloads.py"), "iconv-polars-fix", str(path)],
            args,
        )
    )
    return results


def _fixed(rc: int, out: str, err: str) -> str | None:
    """The file was rewritten and verified. Exit 1 is fine when it says only what is left to fix by
    hand (a 1 GB output is still above Dataverse's 500 MB ingest limit, TC001)."""
    if rc in (0, 1) and "1 file: 1 verified, 0 refused, 0 failed" in out:
        return None
    return f"exit code {rc}"


def xlsx_suite(args, tabcheck: tuple[list[str], dict | None]) -> list[Result]:
    """tabcheck, openpyxl read-only and calamine on each workbook."""
    results = []
    cmd, env = tabcheck
    for label, rows in (("wb-small", args.wb_rows[0]), ("wb-large", args.wb_rows[1])):
        path = timed(f"workbook {rows}x{WB_COLS}", datagen.ensure_xlsx, args.cache_dir, rows, args.seed)
        warm(path)
        cells = rows * WB_COLS
        size = f"{cells / 1e6:g}M cells ({path.stat().st_size / MB:.0f} MB)"

        def res(tool):
            return Result(tool, f"{label}: {path.name}", size, cells, "cells/s")

        results.append(
            run(
                res("tabcheck"), [*cmd, "check", str(path), "--format", "json"], args, env, accept=json_report
            )
        )
        for tool, workload in (
            ("openpyxl read-only", "openpyxl"),
            ("polars read_excel (calamine)", "calamine"),
        ):
            results.append(
                run(res(tool), [sys.executable, str(HERE / "workloads.py"), workload, str(path)], args)
            )
    return results


# --- `--only check`: the side-by-side table of issue 10 ---------------------------------------
# tabcheck check on each workload, its target, and frictionless validate and csvclean (csvkit) on
# the same input where they run. Those two are slow: on CSVs they read a head of the file.

PEERS = {"frictionless validate": "frictionless", "csvclean": "csvkit"}  # column -> Python package


@dataclass(frozen=True)
class CsvWorkload:
    name: str  # the generated file's name starts with it
    dialect: dict  # datagen's CLEAN, FRENCH, MULTILINE or UNCLOSED
    title: str  # as issue 10 words it
    min_rate: float  # MB/s tabcheck must reach
    max_rss_mb: float | None = None
    versions: tuple[str | None, ...] = (None,)  # --dataverse values; None: tabcheck's default
    csvclean_hints: tuple[str, ...] = ()  # what csvclean must be told to read the file at all
    valid: bool = False  # a correct peer finds nothing wrong (checked: else the row says error)
    head_whole_records: bool = True  # cut the peers' head outside quotes (not when one never closes)


CSV_WORKLOADS = (
    CsvWorkload("clean", datagen.CLEAN, "clean CSV", 250, max_rss_mb=400, valid=True),
    CsvWorkload(
        "french",
        datagen.FRENCH,
        "French export (`;`, `,` decimals, cp1252, CRLF)",
        150,
        csvclean_hints=("-e", "cp1252", "-d", ";"),
    ),
    CsvWorkload("multiline", datagen.MULTILINE, "CSV with quoted multi-line text cells every 10 rows", 150),
    CsvWorkload(
        "unclosed",
        datagen.UNCLOSED,
        "CSV with one unclosed quote near the start",
        100,
        versions=("6.8", "6.7"),
        head_whole_records=False,
    ),
)


@dataclass
class Row:
    """One line of the side-by-side table: tabcheck's run, its target, the peers' runs."""

    workload: str
    target: str  # as issue 10 words it
    tabcheck: Result
    peers: dict[str, Result | str]  # column -> the run, or why there is none
    min_rate: float | None = None  # MB/s
    max_rss_mb: float | None = None
    max_wall: float | None = None  # s
    reference: Result | None = None  # calamine, for the workbook
    max_vs_reference: float | None = None  # x the reference's wall

    def verdict(self) -> tuple[str, str]:
        """PASS or MISS, and what was measured against the target."""
        t, ref = self.tabcheck, self.reference
        if t.error:
            return "MISS", f"tabcheck failed: {t.error}"
        if ref is not None and ref.error:
            return "SKIP", f"{ref.tool} failed: {ref.error}"
        checks = []
        if self.min_rate is not None:
            checks.append((t.rate >= self.min_rate, f"{t.rate:,.0f} MB/s"))
        if self.max_rss_mb is not None:
            checks.append((t.rss <= self.max_rss_mb * MB, f"peak RSS {t.rss / MB:,.0f} MB"))
        if self.max_wall is not None:
            checks.append((t.wall <= self.max_wall, f"{t.wall:.1f} s"))
        if self.max_vs_reference is not None:
            ratio = t.wall / ref.wall
            shown = f"{t.wall:.2f} s = {ratio:.2f}x {ref.tool}'s {ref.wall:.2f} s"
            checks.append((ratio <= self.max_vs_reference, shown))
        return ("PASS" if all(ok for ok, _ in checks) else "MISS"), ", ".join(s for _, s in checks)


def shown_size(size: float) -> str:
    return f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / MB:.0f} MB"


def installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def missing_peers() -> dict[str, Result | str]:
    """`not installed` in the column of each peer whose package is absent; the others are added."""
    return {name: "not installed" for name, pkg in PEERS.items() if not installed(pkg)}


def tabcheck_run(tabcheck, args, label: str, path: Path, work: float, unit: str, size: str, *options):
    cmd, env = tabcheck
    res = Result("tabcheck", f"{label}: {path.name}", size, work, unit)
    return run(res, [*cmd, "check", str(path), "--format", "json", *options], args, env, accept=json_report)


def frictionless_report(rc: int, out: str, err: str) -> str | None:
    """Any JSON report counts (frictionless exits 1 when the data is invalid)."""
    try:
        json.loads(out)
    except ValueError:
        return f"exit {rc}, no JSON report"
    return None


def frictionless_summary(rc: int, out: str, err: str) -> str:
    """`valid, 68,924 rows` or `invalid: 135 errors in 800 tables (extra-cell, …)`."""
    report = json.loads(out)
    tasks = report.get("tasks", [])
    rows = sum(t.get("stats", {}).get("rows") or 0 for t in tasks)
    tables = f" in {len(tasks)} tables" if len(tasks) > 1 else ""
    if report.get("valid"):
        return f"valid, {rows:,} rows{tables}"
    kinds = sorted({e.get("type", "?") for t in tasks for e in t.get("errors", [])})
    errors = report.get("stats", {}).get("errors", "?")
    return f"invalid: {errors} errors{tables} ({', '.join(kinds[:3])}{', …' if len(kinds) > 3 else ''})"


def csvclean_report(rc: int, out: str, err: str) -> str | None:
    """csvclean exits 0 when it finds nothing, 1 with its error report (a CSV on stderr); exit 1
    without that report is a failure (say, a field longer than Python's csv module allows)."""
    if rc == 0 or (rc == 1 and err.startswith("line_number,msg")):
        return None
    return f"exit {rc}"


def csvclean_summary(rc: int, out: str, err: str) -> str:
    if rc == 0:
        return "no errors"
    lines = sum(1 for ln in err.splitlines()[1:] if ln[:1].isdigit())  # report lines, not cell breaks
    return f"{lines:,} errors reported"


def csvclean_each_summary(rc: int, out: str, err: str) -> str:
    counts = json.loads(out.strip().splitlines()[-1])
    return ", ".join(f"{n} {what}" for what, n in counts.items() if n)


def peer_runs(args, label: str, head: Path, workload: CsvWorkload) -> dict[str, Result | str]:
    """frictionless validate and csvclean -a on the head of a CSV, or why not."""
    warm(head)
    size = shown_size(head.stat().st_size)

    def res(tool):
        return Result(tool, f"{label} head: {head.name}", f"{size} head", head.stat().st_size, "MB/s")

    peers = missing_peers()
    if "frictionless validate" not in peers:
        peers["frictionless validate"] = run(
            res("frictionless validate"),
            # relative path and cwd: frictionless refuses absolute paths as "not safe"
            [sys.executable, "-m", "frictionless", "validate", "--json", head.name],
            args,
            cwd=head.parent,
            accept=frictionless_valid if workload.valid else frictionless_report,
            describe=frictionless_summary,
        )
    if "csvclean" not in peers:
        peers["csvclean"] = run(
            res("csvclean -a" + "".join(f" {h}" for h in workload.csvclean_hints)),
            [sys.executable, "-m", "csvkit.utilities.csvclean", "-a", *workload.csvclean_hints, str(head)],
            args,
            accept=exit_zero if workload.valid else csvclean_report,
            describe=csvclean_summary,
        )
    return peers


def csv_rows(args, tabcheck, workload: CsvWorkload) -> list[Row]:
    path = timed(
        f"{workload.name} CSV",
        datagen.ensure_csv,
        args.cache_dir,
        workload.name,
        int(args.size_gb * 1e9),
        args.seed,
        workload.dialect,
    )
    head = timed(
        f"{workload.name} head",
        datagen.ensure_slice,
        path,
        args.frictionless_mb * MB,
        workload.head_whole_records,
    )
    peers = peer_runs(args, workload.name, head, workload)
    size = path.stat().st_size
    warm(path)
    rows = []
    for version in workload.versions:
        options = ["--dataverse", version] if version else []
        title = workload.title + (f" (`--dataverse {version}`)" if version else "")
        t = tabcheck_run(tabcheck, args, workload.name, path, size, "MB/s", shown_size(size), *options)
        rows.append(Row(title, target_text(workload), t, peers, workload.min_rate, workload.max_rss_mb))
    return rows


def target_text(workload: CsvWorkload) -> str:
    rss = f", <= {workload.max_rss_mb:.0f} MB" if workload.max_rss_mb else ""
    return f">= {workload.min_rate:.0f} MB/s{rss}"


def folder_row(args, tabcheck) -> Row:
    """tabcheck on the whole folder (default --jobs: one worker per core); frictionless validate
    on all its tables in one command; csvclean on each CSV and TSV (it takes one file)."""
    files, total = args.folder
    path = timed("folder", folder.ensure_folder, args.cache_dir, files, total, args.seed)
    tables = sorted(p for p in path.rglob("*") if p.is_file() and p.name != ".complete")
    size = sum(p.stat().st_size for p in tables)
    for table_path in tables:
        warm(table_path)
    shown = f"{len(tables)} files, {size / MB:.0f} MB"

    def res(tool):
        return Result(tool, f"folder: {path.name}", shown, size, "MB/s")

    peers = missing_peers()
    if "frictionless validate" not in peers:
        peers["frictionless validate"] = run(
            res("frictionless validate (all tables, one command)"),
            [
                sys.executable,
                "-m",
                "frictionless",
                "validate",
                "--json",
                *(str(p.relative_to(path)) for p in tables),
            ],
            args,
            cwd=path,
            accept=frictionless_report,
            describe=frictionless_summary,
        )
    if "csvclean" not in peers:
        peers["csvclean"] = run(
            res("csvclean -a on each CSV/TSV, one process"),
            [sys.executable, str(HERE / "workloads.py"), "csvclean-each", str(path)],
            args,
            describe=csvclean_each_summary,
        )
    t = tabcheck_run(tabcheck, args, "folder", path, size, "MB/s", shown)
    return Row(f"folder of {len(tables)} files of 1 KB-4 MB, mixed shapes", "<= 10 s", t, peers, max_wall=10)


def workbook_row(args, tabcheck) -> Row:
    """tabcheck and polars read_excel (calamine) on the large workbook; frictionless on the small
    one (it reads cells through openpyxl: ~75,000 cells/s); csvclean reads CSV only."""
    rows = args.wb_rows[1]
    path = timed(f"workbook {rows}x{WB_COLS}", datagen.ensure_xlsx, args.cache_dir, rows, args.seed)
    cells = rows * WB_COLS
    shown = f"{cells / 1e6:g}M cells ({path.stat().st_size / MB:.0f} MB)"
    warm(path)
    t = tabcheck_run(tabcheck, args, "wb-large", path, cells, "cells/s", shown)
    calamine = run(
        Result("polars read_excel (calamine)", f"wb-large: {path.name}", shown, cells, "cells/s"),
        [sys.executable, str(HERE / "workloads.py"), "calamine", str(path)],
        args,
    )
    peers = missing_peers()
    peers["csvclean"] = "reads CSV only"
    if "frictionless validate" not in peers:
        peers["frictionless validate"] = frictionless_on_small_workbook(args)
    return Row(
        f"{cells / 1e6:g}M-cell XLSX vs polars read_excel (calamine)",
        "<= 1.5x calamine's time",
        t,
        peers,
        reference=calamine,
        max_vs_reference=1.5,
    )


def frictionless_on_small_workbook(args) -> Result:
    rows = args.wb_rows[0]
    path = timed(f"workbook {rows}x{WB_COLS}", datagen.ensure_xlsx, args.cache_dir, rows, args.seed)
    warm(path)
    cells = rows * WB_COLS
    shown = f"{cells / 1e6:g}M cells ({path.stat().st_size / MB:.0f} MB)"
    return run(
        Result("frictionless validate", f"wb-small: {path.name}", shown, cells, "cells/s"),
        [sys.executable, "-m", "frictionless", "validate", "--json", path.name],
        args,
        cwd=path.parent,
        accept=frictionless_report,
        describe=frictionless_summary,
    )


def check_suite(args, tabcheck) -> list[Row]:
    rows = []
    for workload in CSV_WORKLOADS:
        rows += csv_rows(args, tabcheck, workload)
    rows.append(folder_row(args, tabcheck))
    rows.append(workbook_row(args, tabcheck))
    return rows


def rate_text(r: Result) -> str:
    if r.unit == "cells/s":
        return f"{r.rate:,.0f} cells/s"
    return f"{r.rate:,.0f} MB/s" if r.rate >= 100 else f"{r.rate:.2f} MB/s"


def peer_cell(row: Row, peer: Result | str | None) -> str:
    """`4.98 MB/s on a 100 MB head (tabcheck 22x); valid, 68,924 rows`."""
    if peer is None:
        return "–"
    if isinstance(peer, str):
        return peer
    if peer.error:
        return f"error: {peer.error}"
    on = "" if peer.size == row.tabcheck.size else f" on {peer.size}"
    ratio = "" if row.tabcheck.error else f" (tabcheck {row.tabcheck.rate / peer.rate:.1f}x)"
    return f"{rate_text(peer)}{on}{ratio}" + (f"; {peer.note}" if peer.note else "")


def side_by_side(rows: list[Row]) -> str:
    lines = [
        "| workload | input | tabcheck | peak RSS MB | target | result | " + " | ".join(PEERS) + " |",
        "| --- | --- | ---: | ---: | --- | --- | " + " | ".join("---" for _ in PEERS) + " |",
    ]
    for row in rows:
        t = row.tabcheck
        if t.error:
            measured, rss = f"ERROR: {t.error}", "–"
        else:
            measured, rss = f"{t.wall:.2f} s, {rate_text(t)}", f"{t.rss / MB:,.0f}"
        if row.reference is not None and not row.reference.error and not t.error:
            measured += f" ({t.wall / row.reference.wall:.2f}x calamine's {row.reference.wall:.2f} s)"
        verdict, _ = row.verdict()
        peers = " | ".join(peer_cell(row, row.peers.get(name)) for name in PEERS)
        lines.append(
            f"| {row.workload} | {t.size} | {measured} | {rss} | {row.target} | {verdict} | {peers} |"
        )
    return "\n".join(lines)


def side_by_side_checks(rows: list[Row]) -> list[str]:
    lines = []
    for row in rows:
        verdict, shown = row.verdict()
        lines.append(f"{verdict:<5} {row.workload}: {row.target}: {shown}")
    return lines


def all_runs(rows: list[Row]) -> list[Result]:
    """Every measurement behind the side-by-side table, once, for the detailed table."""
    seen, runs = set(), []
    for row in rows:
        for r in (row.tabcheck, row.reference, *row.peers.values()):
            if isinstance(r, Result) and id(r) not in seen:
                seen.add(id(r))
                runs.append(r)
    return runs


def find(results: list[Result], tool: str, file_prefix: str) -> Result | None:
    return next((r for r in results if r.tool.startswith(tool) and r.file.startswith(file_prefix)), None)


def targets(results: list[Result]) -> list[str]:
    """One PASS/MISS/SKIP line per target of the project."""
    lines = []

    def check(name: str, needed: list[Result | None], ok, shown):
        if any(r is None for r in needed):
            lines.append(f"SKIP  {name} (not measured in this run)")
        elif any(r.error for r in needed):
            lines.append(f"MISS  {name}: {next(r.tool for r in needed if r.error)} failed (see table)")
        else:
            lines.append(f"{'PASS' if ok(*needed) else 'MISS'}  {name}: {shown(*needed)}")

    tc, fr = find(results, "tabcheck", "clean"), find(results, "frictionless", "clean")
    check(
        "tabcheck >= 250 MB/s on the clean CSV", [tc], lambda t: t.rate >= 250, lambda t: f"{t.rate:.0f} MB/s"
    )
    check(
        "tabcheck >= 30x frictionless throughput",
        [tc, fr],
        lambda t, f: t.rate >= 30 * f.rate,
        lambda t, f: f"{t.rate / f.rate:.1f}x",
    )
    check(
        "tabcheck peak RSS < 400 MB on the big CSV",
        [find(results, "tabcheck", "big")],
        lambda t: t.rss < 400 * MB,
        lambda t: f"{t.rss / MB:.0f} MB",
    )
    for wb in ("wb-small", "wb-large"):
        t, o, c = (find(results, tool, wb) for tool in ("tabcheck", "openpyxl", "polars read_excel"))
        check(
            f"{wb}: tabcheck faster than openpyxl read-only",
            [t, o],
            lambda t, o: t.wall < o.wall,
            lambda t, o: f"{t.wall:.2f} s vs {o.wall:.2f} s",
        )
        check(
            f"{wb}: tabcheck within 2x calamine",
            [t, c],
            lambda t, c: t.wall <= 2 * c.wall,
            lambda t, c: f"{t.wall / c.wall:.2f}x",
        )
    check(
        "wb-large: tabcheck peak RSS < 400 MB",
        [find(results, "tabcheck", "wb-large")],
        lambda t: t.rss < 400 * MB,
        lambda t: f"{t.rss / MB:.0f} MB",
    )
    return lines


def table(results: list[Result]) -> str:
    rows = [
        "| tool | file | size | wall s | MB/s or cells/s | peak RSS MB |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        if r.error:
            rows.append(f"| {r.tool} | {r.file} | {r.size} | ERROR: {r.error} | – | – |")
        else:
            rate = f"{r.rate:,.0f} MB/s" if r.unit == "MB/s" else f"{r.rate:,.0f} cells/s"
            if r.unit == "MB/s" and r.rate < 100:
                rate = f"{r.rate:.2f} MB/s"
            rss = f"{r.rss / MB:,.0f}"
            if r.anon and r.rss - r.anon > 100 * MB:  # mostly mapped file pages: say so
                rss += f" (anon {r.anon / MB:,.0f})"
            rows.append(f"| {r.tool} | {r.file} | {r.size} | {r.wall:.2f} | {rate} | {rss} |")
    return "\n".join(rows)


def machine() -> str:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return f"{name} missing"

    return (
        f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        + ", ".join(ver(n) for n in ("polars", "fastexcel", "openpyxl", "frictionless", "csvkit"))
    )


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size-gb", type=float, default=1.0, help="size of the 1 GB CSVs (clean, French, ...)")
    p.add_argument("--big-gb", type=float, default=5.0, help="big clean CSV size")
    p.add_argument("--skip-big", action="store_true", help="skip the big CSV")
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 0.1 GB / 0.3 GB CSV, 10 MB heads for the peers, 100k / 500k cells, "
        "a folder of 80 files (7 MB)",
    )
    p.add_argument(
        "--only",
        choices=["csv", "xlsx", "check", "fix"],
        help="run one suite only (check: the side-by-side table of issue 10)",
    )
    p.add_argument(
        "--frictionless-mb",
        type=int,
        default=100,
        help="head of each CSV read by the slow peers (frictionless, csvclean)",
    )
    p.add_argument("--repeat", type=int, default=1, help="runs per measurement; fastest wall is kept")
    p.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--cache-dir", type=Path, default=HERE / ".data")
    args = p.parse_args()
    args.wb_rows = (50_000, 250_000)
    args.folder = (800, 70_000_000)  # files, bytes
    if args.quick:
        args.size_gb, args.big_gb, args.frictionless_mb = 0.1, 0.3, 10
        args.wb_rows = (5_000, 25_000)
        args.folder = (80, 7_000_000)
    return args


def run_info(args, tabcheck: tuple[list[str], dict | None]) -> str:
    return (
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}\n"
        f"- machine: {machine()}\n"
        f"- command: `python benchmarks/{' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}`\n"
        f"- tabcheck: `{' '.join(tabcheck[0])}`\n"
    )


METHOD = (
    "- method: warm page cache, wall of the child process, MB = 10^6 bytes, peak RSS of the "
    "child process tree (psutil every 50 ms, and ru_maxrss)\n"
)


def csv_xlsx_report(args, tabcheck, results: list[Result]) -> str:
    text = table(results)
    fr = find(results, "frictionless", "clean")
    if fr and not fr.error:
        text += (
            f"\n\nfrictionless ran on a {fr.size} head of the clean CSV; at {fr.rate:.2f} MB/s "
            f"it would need ~{args.size_gb * 1e9 / MB / fr.rate:.0f} s for the {args.size_gb:g} GB file."
        )
    checks = "\n".join(targets(results))
    print(text + "\n\n" + checks)
    return (
        f"# tabcheck benchmark results{' (quick smoke run)' if args.quick else ''}\n\n"
        + run_info(args, tabcheck)
        + "- targets: >= 250 MB/s on the clean 1 GB CSV; >= 30x frictionless; peak RSS < 400 MB on "
        "the 5 GB CSV; workbooks faster than openpyxl read-only, within 2x calamine, "
        "peak RSS < 400 MB on 5M cells\n" + METHOD + f"\n{text}\n\n```\n{checks}\n```\n"
    )


CHECK_MARK = "## tabcheck check beside frictionless and csvclean (issue 10)"


def check_report(args, tabcheck, rows: list[Row]) -> str:
    head = shown_size(args.frictionless_mb * MB)
    text = side_by_side(rows)
    checks = "\n".join(side_by_side_checks(rows))
    notes = (
        f"tabcheck reads each whole file; frictionless validate and csvclean -a, much slower, read the "
        f"first {head} of each CSV (cut at a record end; in the unclosed-quote file at a line end, the "
        f"quote still open), and the {args.wb_rows[0] * WB_COLS / 1e6:g}M-cell "
        f"workbook. In brackets: tabcheck's throughput divided by the peer's (above 1: tabcheck is faster). "
        f"csvclean is told `-e cp1252 -d ;` for the French export (it guesses neither); on the folder it "
        f"runs on each CSV and TSV in one process (no start-up per file: a lower bound for a shell loop). "
        f"tabcheck's exit 1 (findings) is a normal run, exit 2 an error."
    )
    print(text + "\n\n" + notes + "\n\n" + checks)
    return (
        run_info(args, tabcheck)
        + "- targets: issue 10 (the target column); PASS/MISS below\n"
        + METHOD
        + f"\n{text}\n\n{notes}\n\n```\n{checks}\n```\n\nEvery run behind the table:\n\n"
        + table(all_runs(rows))
        + "\n"
    )


FIX_MARK = "## tabcheck fix"


def fix_report(args, tabcheck, results: list[Result]) -> str:
    text = table(results)
    print(text)
    return (
        run_info(args, tabcheck)
        + "- target: >= 100 MB/s including verification, peak RSS < 500 MB, flat in file size\n\n"
        + f"{text}\n"
    )


def save_section(path: Path, heading: str | None, text: str) -> None:
    """Put `text` in the results file under `heading` (None: the part above the first `## `
    heading), in place of an earlier one; the other sections are kept."""
    body = path.read_text(encoding="utf-8") if path.exists() else "# tabcheck benchmark results\n"
    head, *sections = re.split(r"(?m)^(?=## )", body)
    if heading is None:
        head = text
    else:
        new = f"{heading}\n\n{text}"
        at = next((i for i, s in enumerate(sections) if s.startswith(heading + "\n")), len(sections))
        sections[at : at + 1] = [new]
    parts = [head, *sections]
    path.write_text("\n\n".join(p.strip("\n") for p in parts) + "\n", encoding="utf-8")
    log(f"wrote {path.relative_to(REPO)}")


def main() -> None:
    args = parse_args()
    tabcheck = tabcheck_cmd()
    out = HERE / ("results-quick.md" if args.quick else "results.md")
    if args.only == "fix":
        save_section(out, FIX_MARK, fix_report(args, tabcheck, fix_suite(args, tabcheck)))
        return
    if args.only in (None, "csv", "xlsx"):
        results = []
        if args.only in (None, "csv"):
            results += csv_suite(args, tabcheck)
        if args.only in (None, "xlsx"):
            results += xlsx_suite(args, tabcheck)
        save_section(out, None, csv_xlsx_report(args, tabcheck, results))
    if args.only in (None, "check"):
        save_section(out, CHECK_MARK, check_report(args, tabcheck, check_suite(args, tabcheck)))


if __name__ == "__main__":
    main()
