"""The folder a data steward receives: 800 tables of 1 KB to 4 MB, mixed shapes, about 70 MB.

Sizes are log-uniform (many small files, a few large ones), then scaled so the folder totals the
target. Shapes rotate through what deposits hold: clean CSV, French Excel exports (`;`, decimal
commas, Windows-1252, CRLF), TSV, a ragged row, a title above the header, quoted multi-line
comments, `null` in numbers, and the workbooks of fixtures/xlsx. Seeded: the same folder every run;
written once into the benchmark cache (a marker file says it is complete).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ("clean", "french", "tsv", "ragged", "title", "multiline", "nulls", "workbook")
HEADER = ["id", "site", "date", "weight_kg", "height_cm", "comment"]
SITES = ["Brest", "Évry", "Orléans", "Besançon", "Nîmes", "Zürich", "Köln"]


def _rows(rng: random.Random, n: int, shape: str) -> list[list[str]]:
    rows = []
    for i in range(n):
        weight = f"{rng.uniform(40, 120):.1f}"
        comment = rng.choice(["RAS", "à jeun", "re-test, see log", "tube cassé", ""])
        if shape == "multiline" and i % 10 == 0:
            comment = '"première ligne\nseconde ligne"'
        elif "," in comment:
            comment = f'"{comment}"'
        if shape == "nulls" and i % 7 == 0:
            weight = "null"
        rows.append(
            [
                str(i),
                rng.choice(SITES),
                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                weight,
                f"{rng.uniform(140, 200):.1f}",
                comment,
            ]
        )
    return rows


def _table(rng: random.Random, size: int, shape: str) -> tuple[str, bytes]:
    n = max(2, size // 40)  # about 40 bytes a row once written
    rows = _rows(rng, n, shape)
    if shape == "french":
        text = "".join(
            ";".join(c.replace(".", ",") if c[:1].isdigit() else c for c in r) + "\r\n"
            for r in [HEADER, *rows]
        )
        return ".csv", text.encode("cp1252", "replace")
    if shape == "tsv":
        return ".tsv", "".join("\t".join(r) + "\n" for r in [HEADER, *rows]).encode()
    lines = [",".join(r) for r in [HEADER, *rows]]
    if shape == "ragged":
        lines[len(lines) // 2] += ",extra"
    if shape == "title":
        lines.insert(0, "Relevés de la campagne 2024")
    return ".csv", ("\n".join(lines) + "\n").encode()


def ensure_folder(cache: Path, files: int = 800, total_bytes: int = 70_000_000, seed: int = 42) -> Path:
    """The benchmark folder in `cache`, made once."""
    folder = cache / f"folder_{files}files_{total_bytes // 1_000_000}MB_s{seed}_v1"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    raw = [1000 * 4000 ** rng.random() for _ in range(files)]  # 1 KB .. 4 MB, log-uniform
    scale = total_bytes / sum(raw)
    sizes = [max(1000, min(4_000_000, int(s * scale))) for s in raw]
    workbooks = sorted((ROOT / "fixtures" / "xlsx").glob("*.xlsx"))
    for i, size in enumerate(sizes):
        shape = SHAPES[i % len(SHAPES)]
        sub = folder / f"lot{i % 20:02d}"
        sub.mkdir(exist_ok=True)
        if shape == "workbook" and workbooks:
            source = workbooks[i % len(workbooks)]
            shutil.copyfile(source, sub / f"t{i:03d}_{source.name}")
            continue
        ext, data = _table(rng, size, shape)
        (sub / f"t{i:03d}_{shape}{ext}").write_bytes(data)
    (folder / ".complete").write_text("")
    return folder


if __name__ == "__main__":
    import sys

    made = ensure_folder(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bdata"))
    total = sum(p.stat().st_size for p in made.rglob("*") if p.is_file())
    print(
        made,
        sum(1 for p in made.rglob("*") if p.is_file() and p.name != ".complete"),
        f"{total / 1e6:.1f} MB",
    )
