"""The long hostile run, by hand: thousands of mutations of the fixtures, with the hostile text and
workbook cases, through `check --codebook --format json` and `fix`, under a 1 GiB address space and a
time limit (the codebook reads every value the scan types: hostile values meet its rules too).

    python scripts/hostile_long_run.py --mutations 3000 [--seed 1] [--batch 150] [--keep /tmp/found]

The corpus is checked and fixed a folder (a batch) at a time, as users run tabcheck. Printed: the
cases, the runs, tracebacks, limit hits (address space, time, a process killed by a signal), exit
codes outside the contract, invalid JSON, internal errors, originals changed, files left behind,
and the peak memory of the worst case (the worst run's batch is narrowed down to one file).
The files of failing batches are copied to --keep to be reproduced. Exit code 1 if anything failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "fixtures" / "make_hostile.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
sys.modules["make_hostile"] = hostile
_spec.loader.exec_module(hostile)

CONTRACT = (0, 1, 2)


@dataclass
class Tally:
    cases: int = 0
    runs: int = 0
    tracebacks: list[str] = field(default_factory=list)
    limit_hits: list[str] = field(default_factory=list)
    bad_exit: list[str] = field(default_factory=list)
    bad_json: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    originals_changed: list[str] = field(default_factory=list)
    left_behind: list[str] = field(default_factory=list)
    worst: tuple[int, str, float] = (0, "", 0.0)  # (peak RSS, run, seconds)
    slowest: tuple[float, str] = (0.0, "")
    failed_batches: set[str] = field(default_factory=set)

    def problems(self) -> int:
        return sum(
            map(
                len,
                (
                    self.tracebacks,
                    self.limit_hits,
                    self.bad_exit,
                    self.bad_json,
                    self.internal_errors,
                    self.originals_changed,
                    self.left_behind,
                ),
            )
        )

    def failed(self) -> bool:
        return self.problems() > 0


def run_batch(tally: Tally, folder: Path, work: Path, timeout: float, extra: list[Path] = ()) -> int:
    """check and fix one folder; tally what went wrong. Returns the peak RSS of the two runs."""
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    before = hostile.snapshot(folder)
    label = folder.name
    check = hostile.run_limited(
        ["check", str(folder), *map(str, extra), "--codebook", "--format", "json"], work, timeout
    )
    fix = hostile.run_limited(["fix", str(folder), "-o", str(out)], work, timeout)
    for name, run in (("check", check), ("fix", fix)):
        tally.runs += 1
        what = f"{name} {label}"
        if run.max_rss > tally.worst[0]:
            tally.worst = (run.max_rss, what, run.seconds)
        if run.seconds > tally.slowest[0]:
            tally.slowest = (run.seconds, what)
        if b"Traceback" in run.stderr or b"Traceback" in run.stdout:
            tally.tracebacks.append(f"{what}: {run.stderr.decode(errors='replace')[-1500:]}")
        if run.timed_out or run.memory_error or run.returncode < 0 or run.returncode in (134, 137):
            kind = (
                "timeout" if run.timed_out else "memory" if run.memory_error else f"signal {-run.returncode}"
            )
            tally.limit_hits.append(f"{what}: {kind}, {run.seconds:.1f} s, {run.max_rss >> 20} MB")
        elif run.returncode not in CONTRACT:
            tally.bad_exit.append(f"{what}: exit {run.returncode}")
        if b"internal error" in run.stderr:
            tally.internal_errors.append(f"{what}: {run.stderr.decode(errors='replace')[-500:]}")
        if run is check and not run.timed_out:
            try:
                report = json.loads(check.stdout)
                tally.internal_errors += [
                    f"{what}: {f['path']}: {f['error'][:300]}"
                    for f in report["files"]
                    if "internal error" in (f.get("error") or "")
                ]
            except (ValueError, KeyError) as e:
                tally.bad_json.append(f"{what}: {e}")
    after = hostile.snapshot(folder)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        tally.originals_changed.append(f"{label}: {changed[:10]}")
    if out.exists():
        tally.left_behind += [f"{label}: {p}" for p in hostile.snapshot(out) if p.endswith(".tmp")]
    return max(check.max_rss, fix.max_rss)


def narrow_worst(folder: Path, work: Path, timeout: float) -> tuple[int, str]:
    """The single file of a batch whose check or fix peaks highest: halves, then files."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    peak = 0
    while len(files) > 1:
        half = len(files) // 2
        parts = [files[:half], files[half:]]
        peaks = []
        for part in parts:
            single = work / "narrow"
            shutil.rmtree(single, ignore_errors=True)
            single.mkdir()
            for p in part:
                shutil.copy2(p, single / p.name)
            runs = [
                hostile.run_limited(["check", str(single), "--format", "json"], work, timeout),
                hostile.run_limited(["fix", str(single), "-o", str(work / "narrow-out")], work, timeout),
            ]
            shutil.rmtree(work / "narrow-out", ignore_errors=True)
            peaks.append(max(r.max_rss for r in runs))
        files = parts[0] if peaks[0] >= peaks[1] else parts[1]
        peak = max(peaks)
    return peak, (files[0].name if files else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=150, help="files per run")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--keep", type=Path, help="copy the batches that failed here")
    args = parser.parse_args()

    start = time.monotonic()
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="tabcheck-hostile-") as tmp:
        base = Path(tmp)
        work = base / "work"
        work.mkdir()
        corpus = base / "corpus"
        batches: list[Path] = []
        text, known = corpus / "text", corpus / "text-fix-known-bugs"
        tally.cases += len(hostile.write_text_cases(text, fix_known_bugs=known))
        batches += [text, known]
        books = corpus / "workbooks"
        books.mkdir(parents=True)
        tally.cases += len(hostile.write_workbook_cases(books))
        batches.append(books)
        mutated = corpus / "all-mutations"
        made = hostile.write_mutations(mutated, args.seed, args.mutations)
        tally.cases += len(made)
        for k in range(0, len(made), args.batch):
            folder = corpus / f"mutations-{k // args.batch:03d}"
            folder.mkdir()
            for path, _, _ in made[k : k + args.batch]:
                path.rename(folder / path.name)
            batches.append(folder)
        mutated.rmdir()
        print(f"{tally.cases} cases in {len(batches)} folders, written in {time.monotonic() - start:.0f} s")
        peaks: dict[str, int] = {}
        for i, folder in enumerate(batches, 1):
            problems = tally.problems()
            peaks[folder.name] = run_batch(tally, folder, work, args.timeout)
            if tally.problems() > problems:
                tally.failed_batches.add(folder.name)
            print(
                f"[{i}/{len(batches)}] {folder.name}: peak {peaks[folder.name] >> 20} MB; so far {tally.runs} runs, "
                f"{len(tally.tracebacks)} tracebacks, {len(tally.limit_hits)} limit hits "
                f"({time.monotonic() - start:.0f} s)",
                flush=True,
            )
        mutations = {name: rss for name, rss in peaks.items() if name.startswith("mutations")}
        worst_mutations = max(mutations, key=mutations.__getitem__) if mutations else ""
        worst_file, worst_file_rss = "", 0
        if worst_mutations:
            worst_file_rss, worst_file = narrow_worst(corpus / worst_mutations, work, args.timeout)
        if args.keep and tally.failed_batches:
            for name in sorted(tally.failed_batches):
                shutil.copytree(corpus / name, args.keep / name, symlinks=True, dirs_exist_ok=True)
        hostile.remove_deep(corpus)

    def show(title: str, items: list[str]) -> None:
        print(f"{title}: {len(items)}")
        for item in items[:20]:
            print("   ", item.replace("\n", "\n    "))

    print()
    print(f"cases: {tally.cases} ({args.mutations} mutations, seed {args.seed}), runs: {tally.runs}")
    show("tracebacks", tally.tracebacks)
    show("limit hits (1 GiB address space, time, signal)", tally.limit_hits)
    show("exit codes outside 0, 1, 2", tally.bad_exit)
    show("invalid JSON", tally.bad_json)
    show("internal errors", tally.internal_errors)
    show("originals changed", tally.originals_changed)
    show("temporary files left behind", tally.left_behind)
    rss, what, seconds = tally.worst
    print(f"peak memory of the worst run: {rss >> 20} MB ({what}, {seconds:.1f} s); the worst folders:")
    for name, peak in sorted(peaks.items(), key=lambda kv: -kv[1])[:3]:
        print(f"    {name}: {peak >> 20} MB")
    if worst_file:
        print(f"worst mutated file: {worst_file}, {worst_file_rss >> 20} MB alone")
    print(f"slowest run: {tally.slowest[0]:.1f} s ({tally.slowest[1]})")
    print(f"total: {time.monotonic() - start:.0f} s")
    return 1 if tally.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
