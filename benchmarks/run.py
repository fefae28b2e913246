"""Benchmark `tabcheck check` against the I/O floor and reference tools.

    python benchmarks/run.py            # 1 GB + 5 GB CSV, 1M + 5M cell workbooks
    python benchmarks/run.py --quick    # 100 MB / 300 MB, 100k / 500k cells: smoke run
    python benchmarks/run.py --only fix --size-gb 0.2   # `tabcheck fix` on the French export

Progress goes to stderr; the Markdown table and one PASS/MISS line per target go
to stdout and to benchmarks/results.md (results-quick.md for --quick).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import datagen
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


def exit_zero(rc: int, out: str) -> str | None:
    return None if rc == 0 else f"exit {rc}"


def json_report(rc: int, out: str) -> str | None:
    """A linter may exit 1 for findings; what counts is a JSON report on stdout."""
    if rc not in (0, 1):
        return f"exit {rc}"
    try:
        json.loads(out)
    except ValueError:
        return f"exit {rc}, stdout is not JSON ({out[:30]!r})"
    return None


def frictionless_valid(rc: int, out: str) -> str | None:
    """The clean data must come out valid, or frictionless did not do the full job."""
    try:
        report = json.loads(out)
    except ValueError:
        return f"exit {rc}, no JSON report"
    return None if report.get("valid") else f"exit {rc}, invalid: {str(report.get('errors'))[:80]}"


def run(result: Result, cmd: list[str], args, env=None, cwd=None, accept=exit_zero) -> Result:
    """Measure `cmd` args.repeat times (fastest wall, highest RSS); record errors instead of raising."""
    log(f"{result.tool} on {result.file}: {' '.join(cmd)}")
    for _ in range(args.repeat):
        stats, out, err = measure(cmd, env, cwd, args.timeout)
        problem = err if stats["rc"] is None else accept(stats["rc"], out)
        if problem:
            last = [ln.strip() for ln in err.splitlines() if ln.strip()]
            result.error = (
                problem + (f": {last[-1][:100].rstrip()}" if last and stats["rc"] else "")
            ).replace("|", "/")
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


def _fixed(rc: int, out: str) -> str | None:
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
        + ", ".join(ver(n) for n in ("polars", "fastexcel", "openpyxl", "frictionless"))
    )


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size-gb", type=float, default=1.0, help="clean and French CSV size")
    p.add_argument("--big-gb", type=float, default=5.0, help="big clean CSV size")
    p.add_argument("--skip-big", action="store_true", help="skip the big CSV")
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 0.1 GB / 0.3 GB CSV, 10 MB frictionless slice, 100k / 500k cells",
    )
    p.add_argument("--only", choices=["csv", "xlsx", "fix"], help="run one suite only")
    p.add_argument("--frictionless-mb", type=int, default=100, help="slice of the clean CSV for frictionless")
    p.add_argument("--repeat", type=int, default=1, help="runs per measurement; fastest wall is kept")
    p.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--cache-dir", type=Path, default=HERE / ".data")
    args = p.parse_args()
    args.wb_rows = (50_000, 250_000)
    if args.quick:
        args.size_gb, args.big_gb, args.frictionless_mb = 0.1, 0.3, 10
        args.wb_rows = (5_000, 25_000)
    return args


def main() -> None:
    args = parse_args()
    tabcheck = tabcheck_cmd()
    results = []
    if args.only in (None, "csv"):
        results += csv_suite(args, tabcheck)
    if args.only in (None, "xlsx"):
        results += xlsx_suite(args, tabcheck)
    if args.only == "fix":
        results += fix_suite(args, tabcheck)
        _fix_results(args, table(results))
        return

    text = table(results)
    fr = find(results, "frictionless", "clean")
    if fr and not fr.error:
        text += (
            f"\n\nfrictionless ran on a {fr.size} head of the clean CSV; at {fr.rate:.2f} MB/s "
            f"it would need ~{args.size_gb * 1e9 / MB / fr.rate:.0f} s for the {args.size_gb:g} GB file."
        )
    checks = "\n".join(targets(results))
    print(text + "\n\n" + checks)

    out = HERE / ("results-quick.md" if args.quick else "results.md")
    out.write_text(
        f"# tabcheck benchmark results{' (quick smoke run)' if args.quick else ''}\n\n"
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}\n"
        f"- machine: {machine()}\n"
        f"- command: `python benchmarks/{' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}`\n"
        f"- tabcheck: `{' '.join(tabcheck[0])}`\n"
        f"- targets: >= 250 MB/s on the clean 1 GB CSV; >= 30x frictionless; peak RSS < 400 MB on "
        f"the 5 GB CSV; workbooks faster than openpyxl read-only, within 2x calamine, "
        f"peak RSS < 400 MB on 5M cells\n"
        f"- method: warm page cache, wall of the child process, MB = 10^6 bytes, peak RSS of the "
        f"child process tree (psutil every 50 ms, and ru_maxrss)\n\n"
        f"{text}\n\n```\n{checks}\n```\n"
    )
    log(f"wrote {out.relative_to(REPO)}")


FIX_MARK = "## tabcheck fix"


def _fix_results(args, text: str) -> None:
    """The fix rows go to their own section of results.md, replacing an earlier one."""
    print(text)
    out = HERE / "results.md"
    body = out.read_text(encoding="utf-8") if out.exists() else "# tabcheck benchmark results\n"
    body = body.split("\n" + FIX_MARK)[0].rstrip("\n")
    out.write_text(
        f"{body}\n\n{FIX_MARK}\n\n"
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}\n"
        f"- machine: {machine()}\n"
        f"- command: `python benchmarks/{' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}`\n"
        f"- target: >= 100 MB/s including verification, peak RSS < 500 MB, flat in file size\n\n"
        f"{text}\n",
        encoding="utf-8",
    )
    log(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
