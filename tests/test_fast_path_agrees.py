"""The scan's fast path (bytes counts + polars) must agree with the exact record splitter.

Random small files mixing every feature that changes how Dataverse splits records (quotes, doubled
quotes, delimiters inside quotes, CR/LF/CRLF, blank and whitespace lines, ragged rows, text after a
closing quote, numbers, dates, null/NA) are scanned twice with tiny chunks: once as usual, once with
the fast path switched off. Facts and predictions must be identical.
"""

from __future__ import annotations

import random

import pytest

from tabcheck.checker import _facts, predict
from tabcheck.dataverse.profiles import profile_for
from tabcheck.discover import Candidate, format_of
from tabcheck.facts import Context
from tabcheck.model import Target
from tabcheck.scan import csv as scan_csv

VALUES = [
    "1",
    "-2",
    "3.5",
    "1e3",
    "",
    "NA",
    "null",
    "NULL",
    "abc",
    "x y",
    "2020-01-31",
    "2021-02-30",
    "2020-01-01 10:00:00",
    "3,5",
    "01234",
    "Orléans",
    '"q"',
    '"a,b"',
    '"say ""hi"""',
    '"x"y',
    '"multi\nline"',
    '"cr\r\nlf"',
    "  ",
    "TRUE",
    "12%",
    'he said "hi"',
    "a\rb",
    '"a" ',
    '"say \\"hi\\""',
    "x\x00y",
    "0x1p3",
    "1d",
    " 12 ",
    "Infinity",
    "nan",
    "١٢",
    "2020-1-5",
    "25/12/2020",
]
RARE = ['"unclosed']


def _random_file(rng: random.Random, delimiter: str) -> bytes:
    width = rng.randint(1, 5)
    eol = rng.choice(["\n", "\r\n", "\n", "\r"])
    lines = [delimiter.join(f"h{i}" for i in range(width))]
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.04:
            lines.append("")
        elif roll < 0.06:
            lines.append(" ")
        else:
            n = width if rng.random() < 0.9 else rng.randint(1, width + 2)
            cells = [rng.choice(VALUES) if rng.random() < 0.5 else str(rng.randint(0, 99)) for _ in range(n)]
            if rng.random() < 0.01:
                cells[-1] = rng.choice(RARE)
            lines.append(delimiter.join(cells))
    if rng.random() < 0.3:  # an export's title lines: the author's view starts below them
        titles = ["Relevés de terrain 2024", "Source : station de Brest", "", "Table 2. Sols"]
        lines = rng.sample(titles, rng.randint(1, 3)) + lines
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    return text.encode("utf-8")


def _scan(path, monkeypatch, fast: bool):
    monkeypatch.setattr(scan_csv, "CHUNK_SIZE", 64)  # many chunks: boundaries everywhere
    if not fast:
        monkeypatch.setattr(scan_csv.CsvScanner, "_fast", lambda self, *a: False)
    facts = _facts(
        Candidate(path, str(path), True), format_of(path), path.read_bytes()[:65536], path.stat().st_size
    )
    return facts


def _summary(facts):
    t = facts.table
    out = {"line_breaks": t.line_breaks}
    for name in ("dataverse", "user"):
        v = getattr(t, name)
        out[name] = (
            v.header,
            v.records,
            v.first_mismatch,
            v.ragged.count,
            v.ragged.samples,
            v.blank_lines.count,
            v.whitespace_lines.count,
            v.quoted_lf.count,
            v.quoted_cr.count,
            v.unclosed_quote.samples,
            v.bad_quoting.samples,
            v.preamble,
            dict(v.field_counts),
            [
                (c.name, c.type, {k: (o.count, o.samples) for k, o in c.evidence.items() if o})
                for c in v.columns
            ],
        )
    return out


@pytest.mark.parametrize("seed", range(60))
def test_fast_and_exact_paths_agree(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    suffix, delimiter = rng.choice([(".csv", ","), (".csv", ","), (".tsv", "\t"), (".csv", ";")])
    path = tmp_path / f"f{seed}{suffix}"
    path.write_bytes(_random_file(rng, delimiter))
    with monkeypatch.context() as m:
        fast = _scan(path, m, fast=True)
    with monkeypatch.context() as m:
        exact = _scan(path, m, fast=False)
    assert _summary(fast) == _summary(exact)
    for version in ("6.8", "6.7", "6.6"):
        ctx = Context(Target(dataverse=version), profile_for(version))
        assert predict(fast, ctx).to_json() == predict(exact, ctx).to_json()
