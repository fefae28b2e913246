"""Seeded, vectorised generation of the benchmark inputs (CSV and XLSX).

Every batch of rows is derived from (seed, batch index) only, so a file is
reproducible byte for byte, and the first rows of the 5 GB file are the rows of
the 1 GB one. Files are written to a temporary name and renamed when complete,
so an interrupted run never leaves a half file that looks cached.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import numpy as np
import polars as pl
import polars.selectors as cs

GEN_VERSION = 1  # bump when the generator changes, so cached files are rebuilt
BATCH_ROWS = 250_000

SITES = [
    ("FR-EVR", "Évry"),
    ("FR-ORL", "Orléans"),
    ("FR-BES", "Besançon"),
    ("FR-STE", "Saint-Étienne"),
    ("FR-NIM", "Nîmes"),
    ("FR-PAR", "Paris, Hôpital Cochin"),
    ("FR-LYO", "Lyon, Croix-Rousse"),
    ("CH-GEN", "Genève"),
    ("CH-ZUR", "Zürich"),
    ("CA-MTL", "Montréal"),
    ("DE-KOL", "Köln"),
    ("UK-OXF", "Oxford"),
]
ARMS = ["placebo", "low dose", "high dose"]
INSTRUMENTS = ["HPLC-02", "HPLC-07", "MS-QTOF-1", "US-EPIQ-5", "CT-SOMATOM", "SCALE-B3"]
TECHNICIANS = [
    "M. Dupont",
    "C. Lefèvre",
    "A. Martin",
    "J. Müller",
    "S. Nguyen",
    "É. Girard",
    "L. Rossi",
    "K. O'Brien",
]
COMMENTS = [
    "RAS",
    "épaisseur mesurée deux fois, moyenne retenue",
    "hémolyse légère",
    "patient à jeun",
    "re-test, see log",
    "sample from Évry, transported on ice",
    "tube 3 cracked",
    "visite décalée",
    "ok",
    "échantillon dilué 1:10",
    'label reads "B2", corrected',
    "missed dose, reported by phone",
]

COLUMNS = [
    "record_id",
    "subject_id",
    "site_code",
    "site_name",
    "visit_date",
    "age_years",
    "sex",
    "arm",
    "visit_no",
    "weight_kg",
    "height_cm",
    "systolic_bp",
    "temperature_c",
    "glucose_mmol_l",
    "thickness_mm",
    "concentration_ng_ml",
    "sample_date",
    "instrument",
    "technician",
    "comment",
]

CLEAN = {"separator": ",", "line_terminator": "\n", "encoding": "utf-8", "decimal_comma": False}
FRENCH = {"separator": ";", "line_terminator": "\r\n", "encoding": "cp1252", "decimal_comma": True}
# The clean table with every 10th row's comment a quoted cell holding line breaks (LF, as the
# line ends) and, in some, doubled quotes `""`: written by polars' own quoting.
MULTILINE = {**CLEAN, "shape": "multiline"}
# The clean table with ONE quote opened and never closed, in row UNCLOSED_ROW's comment: every
# other quote and comma is taken out of the text cells and nothing is quoted, so that quote is
# the file's only `"` and runs to its end (Dataverse 6.8 swallows the rest of the file into one
# cell; 6.7 fails with "EOF reached before encapsulated token finished").
UNCLOSED = {**CLEAN, "shape": "unclosed", "quote_style": "never"}
# The French export with its concentrations in hundredths, written as a French spreadsheet shows
# amounts: `12 345,67`, a no-break space between the thousands.
FRENCH_GROUPED = {**FRENCH, "shape": "grouped"}

MULTILINE_COMMENTS = [
    "première ligne\ndeuxième ligne",
    'étiquette "B2" illisible\nrecopiée à la main',
    "tube 3 fêlé, échantillon refait\nvoir le cahier de labo\np. 42",
    'mesure "haute" à 14 h\nrefaite à 15 h, "normale"',
    "re-test\n",
]
UNCLOSED_ROW = 5  # record_id of the row whose comment opens the quote
UNCLOSED_COMMENT = '"échantillon refait le lendemain'


def make_batch(seed: int, index: int, n: int) -> pl.DataFrame:
    """Build `n` rows of the `index`-th batch; only numpy/polars vector ops."""
    rng = np.random.default_rng([seed, index])
    start = index * BATCH_ROWS

    def pick(values: list[str]) -> pl.Series:
        return pl.Series(values).gather(rng.integers(0, len(values), n))

    def measure(mean: float, sd: float, decimals: int, missing: float = 0.0) -> pl.Series:
        s = pl.Series(np.round(rng.normal(mean, sd, n), decimals))
        return s.scatter(np.flatnonzero(rng.random(n) < missing), None) if missing else s

    site = rng.integers(0, len(SITES), n)
    visit_day = rng.integers(0, 3650, n).astype("timedelta64[D]")
    visit = np.datetime64("2014-01-01") + visit_day
    sample = visit + rng.integers(0, 15, n).astype("timedelta64[D]")
    comment = pick(COMMENTS)
    comment = comment.scatter(np.flatnonzero(rng.random(n) < 0.3), None)
    return pl.DataFrame(
        {
            "record_id": np.arange(start + 1, start + n + 1, dtype=np.int64),
            "subject_id": rng.integers(100_000, 1_000_000, n),
            "site_code": pl.Series([c for c, _ in SITES]).gather(site),
            "site_name": pl.Series([name for _, name in SITES]).gather(site),
            "visit_date": pl.Series(visit).cast(pl.Date),
            "age_years": rng.integers(18, 91, n),
            "sex": pick(["F", "M"]),
            "arm": pick(ARMS),
            "visit_no": rng.integers(1, 13, n),
            "weight_kg": measure(72.0, 14.0, 1, missing=0.005),
            "height_cm": measure(170.0, 9.5, 1),
            "systolic_bp": rng.integers(90, 181, n),
            "temperature_c": measure(36.8, 0.4, 2),
            "glucose_mmol_l": measure(5.4, 1.1, 2),
            "thickness_mm": np.round(rng.gamma(4.0, 0.6, n), 3),
            "concentration_ng_ml": measure(120.0, 45.0, 4, missing=0.02),
            "sample_date": pl.Series(sample).cast(pl.Date),
            "instrument": pick(INSTRUMENTS),
            "technician": pick(TECHNICIANS),
            "comment": comment,
        }
    )


def _multiline(df: pl.DataFrame) -> pl.DataFrame:
    """Every 10th record's comment becomes one of MULTILINE_COMMENTS (in turn)."""
    ids = df["record_id"].to_numpy()
    rows = np.flatnonzero(ids % 10 == 0)
    texts = pl.Series(MULTILINE_COMMENTS).gather((ids[rows] // 10) % len(MULTILINE_COMMENTS))
    return df.with_columns(df["comment"].scatter(rows, texts))


def _unclosed(df: pl.DataFrame) -> pl.DataFrame:
    """No comma or quote left in any text cell (`Paris, Hôpital` -> `Paris - Hôpital`), so the rows
    need no quoting; then the comment of record UNCLOSED_ROW opens a quote that nothing closes."""
    df = df.with_columns(
        cs.string().str.replace_all(",", " -", literal=True).str.replace_all('"', "", literal=True)
    )
    rows = np.flatnonzero(df["record_id"].to_numpy() == UNCLOSED_ROW)
    return df.with_columns(df["comment"].scatter(rows, UNCLOSED_COMMENT)) if rows.size else df


def _grouped(df: pl.DataFrame) -> pl.DataFrame:
    """`concentration_ng_ml` x 100 as text, `12 345,67` (NBSP), its missing values kept."""
    texts = [
        None if v is None else f"{v:,.2f}".replace(",", "\u00a0").replace(".", ",")
        for v in (df["concentration_ng_ml"] * 100).to_list()
    ]
    return df.with_columns(pl.Series("concentration_ng_ml", texts, dtype=pl.String))


SHAPES = {None: lambda df: df, "multiline": _multiline, "unclosed": _unclosed, "grouped": _grouped}


def rows_for_bytes(target_bytes: int, seed: int) -> int:
    """Row count giving ~target_bytes of clean CSV; measured on batch 0, so deterministic."""
    sample = make_batch(seed, 0, BATCH_ROWS)
    bytes_per_row = len(sample.write_csv(include_header=False).encode()) / BATCH_ROWS
    return max(1, round(target_bytes / bytes_per_row))


def _write_batches(path: Path, n_rows: int, seed: int, dialect: dict) -> None:
    """Append batches to `path`; re-encode in Python only when not UTF-8 (one C call per batch)."""
    tmp = path.with_suffix(path.suffix + ".partial")
    keys = ("separator", "line_terminator", "decimal_comma", "quote_style")
    opts = {k: dialect[k] for k in keys if k in dialect}
    shape = SHAPES[dialect.get("shape")]
    with open(tmp, "wb") as out:
        for index in range(math.ceil(n_rows / BATCH_ROWS)):
            n = min(BATCH_ROWS, n_rows - index * BATCH_ROWS)
            df = shape(make_batch(seed, index, BATCH_ROWS).head(n))
            text = df.write_csv(include_header=index == 0, **opts)
            out.write(text.encode(dialect["encoding"]))
    os.replace(tmp, path)


def ensure_csv(cache: Path, name: str, target_bytes: int, seed: int, dialect: dict) -> Path:
    """Return the cached CSV for these parameters, generating it if missing."""
    n_rows = rows_for_bytes(target_bytes, seed)
    path = cache / f"{name}_{n_rows}rows_s{seed}_v{GEN_VERSION}.csv"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        _write_batches(path, n_rows, seed, dialect)
    return path


def ensure_slice(source: Path, target_bytes: int, whole_records: bool = False) -> Path:
    """First ~target_bytes of `source`, cut at a line end (for the slow comparison tools).

    whole_records: cut at a line end outside quotes (an even number of `"` before it), so a
    quoted multi-line cell is not cut in two. Leave it off for a file whose quote never closes.
    """
    path = source.with_name(f"{source.stem}_head{target_bytes // 1_000_000}MB.csv")
    if not path.exists():
        with open(source, "rb") as f:
            head = f.read(target_bytes)
        end = head.rfind(b"\n")
        if whole_records:
            before = head.count(b'"', 0, end)  # quotes before the cut
            while end > 0 and before % 2:  # inside a quoted cell: back one line, recount only it
                start = head.rfind(b"\n", 0, end)
                before -= head.count(b'"', max(start, 0), end)
                end = start
        tmp = path.with_suffix(".partial")
        tmp.write_bytes(head[: end + 1])
        os.replace(tmp, path)
    return path


def ensure_xlsx(cache: Path, n_rows: int, seed: int) -> Path:
    """Workbook of n_rows x 20 cells (header included): numbers, text, dates, blanks.

    Written with xlsxwriter in normal mode (not constant_memory) so each <row>
    carries a `spans` attribute, like files saved by Excel.
    """
    import xlsxwriter

    path = cache / f"workbook_{n_rows}x{len(COLUMNS)}_s{seed}_v{GEN_VERSION}.xlsx"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".partial.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"default_date_format": "yyyy-mm-dd"})
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})  # fixed, so the bytes are reproducible
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, COLUMNS)
    row = 1
    for index in range(math.ceil((n_rows - 1) / BATCH_ROWS)):
        n = min(BATCH_ROWS, n_rows - 1 - index * BATCH_ROWS)
        for values in make_batch(seed, index, BATCH_ROWS).head(n).iter_rows():
            ws.write_row(row, 0, values)  # None -> blank cell is skipped by xlsxwriter
            row += 1
    wb.close()
    os.replace(tmp, path)
    return path


if __name__ == "__main__":  # quick look at the data
    print(make_batch(42, 0, 5))
