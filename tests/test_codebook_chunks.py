"""The codebook's bounded reader (chunks of whole records) against the whole file's reading.

Random CSV and TSV files with quoted delimiters, doubled quotes, line breaks inside quoted values,
CRLF line ends, a BOM and accents are read for the codebook twice: in chunks of a few bytes (so
that chunk ends fall inside every construct) and by the exact splitter over the whole file.
Every variable's UNF and statistics, and the file UNF, must be equal. A file whose records the
quotes cannot delimit (a quote inside a value) falls back to the splitter and agrees too.

TABCHECK_CODEBOOK_SEEDS=3000 runs more files than CI's 150.
"""

from __future__ import annotations

import os
import random

import pytest

from tabcheck.codebook import collect
from tabcheck.codebook.collect import codebook_for_csv

CELLS = [
    "1",
    "-2.5",
    "1e3",
    "",
    "NA",
    "null",
    "abc",
    "Orléans",
    '"a,b"',
    '"a\tb"',
    '"say ""hi"""',
    '"two\nlines"',
    '"crlf\r\ninside"',
    '""',
    "2020-01-31",
    "x y",
    " 7 ",  # TSV trims it (Java's whitespace), CSV keeps it
    "\u3000x\x0b",
    '"  q  "',  # quoted: kept whole in TSV too
]
COLUMNS = [("n", "continuous"), ("t", "character"), ("u", "character")]


def _cell(rng: random.Random, numeric: bool) -> str:
    if numeric:
        return rng.choice(["1", "-2.5", "1e3", "", "NA", "null", "0.1", str(rng.randint(-999, 999))])
    return rng.choice(CELLS)


def _random_file(rng: random.Random, delimiter: str, odd_quote: bool) -> bytes:
    eol = rng.choice(["\n", "\r\n"])
    lines = [delimiter.join(name for name, _ in COLUMNS)]
    for _ in range(rng.randint(0, 40)):
        cells = [_cell(rng, t == "continuous") for _, t in COLUMNS]
        if delimiter == "\t":
            cells = [c.replace("\t", " ") for c in cells]
        lines.append(delimiter.join(cells))
    if odd_quote and len(lines) > 2:
        lines[rng.randrange(1, len(lines))] = delimiter.join(["7", 'ab"c', "z"])
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    bom = "\ufeff" if rng.random() < 0.2 else ""
    return (bom + text).encode("utf-8")


def _book(path, delimiter: str, chunked: bool):
    book = codebook_for_csv(
        path,
        COLUMNS,
        delimiter,
        trim=delimiter == "\t",
        observations=None,
        regular_quoting=chunked,
        quoted_breaks=True,
    )
    return book.note, book.unf, book.observations, [(c.name, c.unf, c.stats) for c in book.columns]


@pytest.mark.parametrize("seed", range(int(os.environ.get("TABCHECK_CODEBOOK_SEEDS", "150"))))
def test_chunks_of_records_read_as_the_whole_file(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    delimiter = rng.choice([",", ",", "\t"])
    odd_quote = rng.random() < 0.15
    path = tmp_path / f"f{seed}.csv"
    path.write_bytes(_random_file(rng, delimiter, odd_quote))
    whole = _book(path, delimiter, chunked=False)
    monkeypatch.setattr(collect, "CHUNK_BYTES", rng.choice([1, 7, 32, 256]))
    fell_back = []
    original = collect._chunk_frames

    def recording(*args):
        try:
            yield from original(*args)
        except collect._Irregular:
            fell_back.append(True)
            raise

    monkeypatch.setattr(collect, "_chunk_frames", recording)
    assert _book(path, delimiter, chunked=True) == whole
    if fell_back:
        assert odd_quote, "only a quote inside a value makes the records unsure"


def test_without_quoted_breaks_every_line_end_cuts(tmp_path, monkeypatch):
    path = tmp_path / "plain.csv"
    rows = ["n,t,u"] + [f'{i},{"x" * (i % 7)},"a,{i}"' for i in range(200)]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    whole = _book(path, ",", chunked=False)
    monkeypatch.setattr(collect, "CHUNK_BYTES", 50)
    chunks = list(collect._record_chunks(path, ",", quoted_breaks=False))
    assert len(chunks) > 20 and all(c.endswith(b"\r\n") for c in chunks)
    assert b"".join(chunks) == path.read_bytes()
    book = codebook_for_csv(path, COLUMNS, ",", False, 200, regular_quoting=True, quoted_breaks=False)
    assert (book.note, book.unf, book.observations) == whole[:3] and whole[2] == 200


def test_a_quote_inside_a_value_sends_the_file_to_polars_reader(tmp_path, monkeypatch):
    path = tmp_path / "odd.csv"
    path.write_bytes(b'n,t,u\n1,"two\nlines",x\n2,ab"c,y\n3,z,w\n')
    monkeypatch.setattr(collect, "CHUNK_BYTES", 16)
    with pytest.raises(collect._Irregular):
        list(collect._record_chunks(path, ",", quoted_breaks=True))
    assert _book(path, ",", chunked=True) == _book(path, ",", chunked=False)
