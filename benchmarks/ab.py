"""Time tabcheck at an earlier commit and as it is now, in turn, the same minutes.

    python benchmarks/ab.py 5421056 -- check FILE --format json
    python benchmarks/ab.py 5421056 --runs 3 --same-output -- fix FILE -o /tmp/out-{side} --force

This machine's speed drifts by 10-30 % within the hour, so a figure measured at another time says
little about a change: each round runs both sides, in an order that alternates (ABBA), after one
untimed run of each (numba compiles its loops again for a new source folder, the file gets into
the page cache). REV's `src/` comes from `git archive`; "now" is the working tree's `src/`. Both
run as `python -m tabcheck ARGS` with PYTHONPATH set to their `src/`. `{side}` in ARGS becomes
`rev` or `now` (an output folder each). Printed: each run's wall time, CPU time (user + system) and
peak RSS of the process, then the medians; with --same-output, whether each side's standard output
was the same byte for byte (a report with a timestamp in it differs anyway).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    side: str
    wall: float
    cpu: float
    rss_mb: float
    rc: int
    stdout: bytes


def run_once(side: str, src: Path, args: list[str]) -> Run:
    """One run of `python -m tabcheck ARGS` with `src` first on the path: its wall time, and its
    CPU time and peak RSS from the kernel's accounting of that child (os.wait4)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    argv = [sys.executable, "-m", "tabcheck", *(a.replace("{side}", side) for a in args)]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
    return Run(side, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, stdout)


def extract(rev: str, into: Path) -> Path:
    """REV's src/ (git archive), unpacked under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryFile() as tar_file:
        tar_file.write(archive)
        tar_file.seek(0)
        with tarfile.open(fileobj=tar_file) as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: plain files only
                tar.extractall(into, filter="data")
            else:
                tar.extractall(into)  # our own repository's archive
    return into / "src"


def table(runs: list[Run], rev: str) -> str:
    lines = [
        "| run | side | wall s | CPU s | peak RSS MB | exit |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for i, r in enumerate(runs, 1):
        name = rev if r.side == "rev" else "now"
        lines.append(f"| {i} | {name} | {r.wall:.2f} | {r.cpu:.2f} | {r.rss_mb:.0f} | {r.rc} |")
    lines.append("")
    for side, name in (("rev", rev), ("now", "now")):
        mine = [r for r in runs if r.side == side]
        lines.append(
            f"{name}: median {statistics.median(r.wall for r in mine):.2f} s wall, "
            f"{statistics.median(r.cpu for r in mine):.2f} CPU s, "
            f"{statistics.median(r.rss_mb for r in mine):.0f} MB "
            f"(wall {min(r.wall for r in mine):.2f}-{max(r.wall for r in mine):.2f} s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rev", help="the earlier commit (anything git archive takes)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--same-output", action="store_true", help="compare the two sides' standard output")
    parser.add_argument("--no-warm", action="store_true", help="skip the untimed first run of each side")
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        parser.error("give tabcheck's arguments after --")
    cut = argv.index("--")
    opts, args = parser.parse_args(argv[:cut]), argv[cut + 1 :]
    with tempfile.TemporaryDirectory(prefix="tabcheck-ab-") as tmp:
        sources = {"rev": extract(opts.rev, Path(tmp)), "now": ROOT / "src"}
        if not opts.no_warm:
            for side, src in sources.items():
                run_once(side, src, args)
        runs: list[Run] = []
        for k in range(opts.runs):
            order = ("rev", "now") if k % 2 == 0 else ("now", "rev")
            for side in order:
                runs.append(run_once(side, sources[side], args))
                print(f"{side}: {runs[-1].wall:.2f} s", file=sys.stderr)
    print(table(runs, opts.rev))
    if opts.same_output:
        outputs = {side: {r.stdout for r in runs if r.side == side} for side in sources}
        same = len(outputs["rev"] | outputs["now"]) == 1
        print("standard output: the same on both sides" if same else "standard output: differs")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
