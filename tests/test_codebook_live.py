"""The codebook fed during the check's pass (codebook.live) against the second pass that reads
the file again: random CSV and TSV files, scanned in chunks of a few dozen bytes so that a
column's type can change after its first chunks (then the live codebook gives up and the second
pass reads the file). Every variable's UNF and statistics, the file UNF and the notes must be
those of the second pass alone, and on files whose types settle in the first chunk the live
codebook must be the one used.

TABCHECK_CODEBOOK_SEEDS=3000 runs more files than CI's 150.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tabcheck.checker import Settings, check_file
from tabcheck.codebook import live
from tabcheck.scan import csv as scan_csv

KINDS = {
    "integer": lambda r: r.choice(
        ["1", "-20", "007", "", "null", str(r.randint(-(10**6), 10**6)), " 12 ", "\u30007\u3000"]
    ),
    "continuous": lambda r: r.choice(["1.5", "-2.25", "1e3", "", "NA", "NaN", "Inf", "0.1", "3", "\x0b1.5"]),
    "date": lambda r: r.choice(["2020-01-31", "1999-12-01", "", "2021-02-03"]),
    "character": lambda r: r.choice(
        [
            "abc",
            "Orléans",
            '"a,b"',
            '"say ""hi"""',
            "",
            " x ",
            "a\\tb",
            "東京",
            '"  y  "',
            "\u3000z\x0b",
            ' "q" ',
        ]
    ),
}
LATE = ["abc", "1.5", "2020-13-45", "x"]  # a value that may change a column's type in a later chunk
# Quoting Dataverse 6.8 reads leniently (the scan's exact splitter and the second pass's): a quote
# inside a value, text or blanks after a closing quote, a quote left open to the end of the file.
ODD = ['ab"c', '"a"b', '"a" ', '"say \\"hi\\""', '"open']


def _random_file(rng: random.Random, delimiter: str) -> bytes:
    kinds = [rng.choice(list(KINDS)) for _ in range(rng.randint(1, 4))]
    lines = [delimiter.join(f"v{i}" for i in range(len(kinds)))]
    for _ in range(rng.randint(1, 60)):
        cells = [KINDS[k](rng) for k in kinds]
        if rng.random() < 0.03:
            cells[rng.randrange(len(cells))] = rng.choice(LATE)
        if rng.random() < 0.02:
            cells[rng.randrange(len(cells))] = rng.choice(ODD)
        lines.append(delimiter.join(c.replace("\t", " ") if delimiter == "\t" else c for c in cells))
        if rng.random() < 0.03:
            lines.append("")  # a blank line: skipped by the TSV reader, a record in a CSV file
    eol = rng.choice(["\n", "\r\n"])
    return (eol.join(lines) + eol).encode("utf-8")


def _codebook(path: Path) -> tuple:
    settings = Settings()
    settings.codebook = True
    report = check_file(path, settings)
    pred = report.dataverse
    assert pred is not None
    columns = [(c.name, c.type, c.unf, c.stats) for c in pred.columns or []]
    return pred.outcome, pred.unf, pred.codebook_note, columns


@pytest.mark.parametrize("seed", range(int(os.environ.get("TABCHECK_CODEBOOK_SEEDS", "150"))))
def test_the_live_codebook_is_the_second_passs(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    delimiter = rng.choice([",", ",", "\t"])
    path = tmp_path / ("t.tsv" if delimiter == "\t" else "t.csv")
    path.write_bytes(_random_file(rng, delimiter))
    monkeypatch.setattr(scan_csv, "CHUNK_SIZE", rng.choice([48, 96, 1 << 20]))
    used = []
    result = live.LiveCodebook.result

    def recording(self, *args):
        book = result(self, *args)
        used.append(book is not None)
        return book

    monkeypatch.setattr(live.LiveCodebook, "result", recording)
    with_live = _codebook(path)
    monkeypatch.setattr(live.LiveCodebook, "feed", lambda self, *fed: None)  # never fed
    second_pass = _codebook(path)
    assert second_pass == with_live
    if with_live[1] is not None:
        assert used[:1] in ([True], [False])


def test_a_file_whose_types_settle_uses_the_live_codebook(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text("n,x,d\n" + "".join(f"{i},a{i % 3},2020-01-{1 + i % 28:02d}\n" for i in range(500)))
    monkeypatch.setattr(scan_csv, "CHUNK_SIZE", 256)
    second_pass = []
    from tabcheck.codebook import attach

    reread = attach.codebook_for_csv
    monkeypatch.setattr(attach, "codebook_for_csv", lambda *a, **k: second_pass.append(1) or reread(*a, **k))
    _, unf, note, columns = _codebook(path)
    assert (note, second_pass) == (None, [])
    assert [c[1] for c in columns] == ["integer", "character", "date"] and unf is not None


def test_a_type_changed_in_a_later_chunk_reads_the_file_again(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text("n,x\n" + "".join(f"{i},a\n" for i in range(300)) + "1.5,b\n")
    monkeypatch.setattr(scan_csv, "CHUNK_SIZE", 256)
    second_pass = []
    from tabcheck.codebook import attach

    reread = attach.codebook_for_csv
    monkeypatch.setattr(attach, "codebook_for_csv", lambda *a, **k: second_pass.append(1) or reread(*a, **k))
    _, file_unf, note, columns = _codebook(path)
    assert (note, second_pass, columns[0][1]) == (None, [1], "continuous") and file_unf is not None
    assert columns[0][3]["max"] == "299.0" and columns[0][3]["min"] == "0.0"


@pytest.mark.parametrize("live_feed", [True, False])
def test_a_quoted_tsv_value_keeps_its_edge_blanks(tmp_path, monkeypatch, live_feed):
    """Dataverse's TSV reader trims Java's whitespace outside quotes only and skips empty lines:
    the scan's values (the live codebook's) and the second pass's keep `  x  `, drop the blank line
    and trim the ideographic space around `z`."""
    path = tmp_path / "t.tsv"
    path.write_text('a\tb\n"  x  "\t1\n\ny\t2\n\u3000z\x0b\t3\n', encoding="utf-8")
    if not live_feed:
        monkeypatch.setattr(live.LiveCodebook, "feed", lambda self, *fed: None)
    _, _, note, columns = _codebook(path)
    from tabcheck.codebook.unf import unf_strings

    assert note is None
    assert columns[0][2] == unf_strings(["  x  ", "y", "z"]) != unf_strings(["x", "y", "z"])
