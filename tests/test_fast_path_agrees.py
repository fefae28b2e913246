"""The scan's fast paths must agree with the exact record splitter.

Random small files mixing every feature that changes how Dataverse splits records (quotes, doubled
quotes, delimiters inside quotes, values over several lines, CR/LF/CRLF, blank and whitespace
lines, ragged rows, text after a closing quote, unclosed quotes, numbers, dates, null/NA) are
scanned three times with tiny chunks and tiny structural windows, so that chunk and window
boundaries fall inside every construct: as usual (plain chunks by bytes counts and polars, the rest
by the vectorised structural pass), with the structural pass alone, and with the exact splitter
alone. Facts and predictions must be identical.

TABCHECK_SCAN_SEEDS=5000 runs more seeds than CI's.
"""

from __future__ import annotations

import os
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
    "\u30007\u3000",  # Java's whitespace around a value (ideographic space, vertical tab): TDF trims it
    "\x0b8",
    "x\u2003",
]
RARE = ['"unclosed', 'x"', '"a"b"c"', '""""', '"first\n""second""\nthird"', '" "']
SEEDS = int(os.environ.get("TABCHECK_SCAN_SEEDS", "300"))


def _regular(cell: str) -> bool:
    """Quoted whole (doubled quotes inside), or without quotes and line breaks."""
    if cell.startswith('"'):
        return len(cell) > 1 and cell.endswith('"') and '"' not in cell[1:-1].replace('""', "")
    return not any(c in cell for c in '"\r\n')


def _random_file(rng: random.Random, delimiter: str) -> bytes:
    width = rng.randint(1, 5)
    tidy = rng.choice([0.0, 0.9, 1.0])
    eol = rng.choice(["\n", "\r\n", "\n", "\r"])
    lines = [delimiter.join(f"h{i}" for i in range(width))]
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.04:
            lines.append("")
        elif roll < 0.06:
            lines.append(" ")
        elif roll < 0.07:
            lines.append('" "')
        elif roll < 0.09:  # a row of empty cells, as a spreadsheet exports an empty row
            lines.append(rng.choice([delimiter * (width - 1), delimiter * width, " " + delimiter]))
        else:
            n = width if rng.random() < 0.9 else rng.randint(1, width + 2)
            cells = [rng.choice(VALUES) if rng.random() < 0.5 else str(rng.randint(0, 99)) for _ in range(n)]
            if rng.random() < 0.02:
                cells[-1] = rng.choice(RARE)
            if rng.random() < tidy:  # a file of regular quoting: the structural pass takes most of it
                cells = [c if _regular(c) else str(rng.randint(0, 99)) for c in cells]
            lines.append(delimiter.join(cells))
    if rng.random() < 0.3:  # an export's title lines: the author's view starts below them
        titles = ["Relevés de terrain 2024", "Source : station de Brest", "", "Table 2. Sols"]
        lines = rng.sample(titles, rng.randint(1, 3)) + lines
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    return text.encode("utf-8")


def _scan(path, monkeypatch, mode: str, chunk: int = 64, window: int = 16, dense: int = 32):
    monkeypatch.setattr(scan_csv, "CHUNK_SIZE", chunk)  # many chunks: boundaries everywhere
    monkeypatch.setattr(scan_csv, "_FIRST_WINDOW", window)
    monkeypatch.setattr(scan_csv, "_DENSE_ODD", dense)  # 1: the splitter reads on after one odd record
    # Plain views counted with numpy (as large chunks are) or with bytes methods, by chunk size.
    monkeypatch.setattr(scan_csv, "_COUNTS_BY_NUMPY", 0 if chunk in (64, 4096) else 1 << 16)
    if mode != "usual":
        monkeypatch.setattr(scan_csv.CsvScanner, "_fast", lambda self, *a: False)
    if mode == "exact":
        monkeypatch.setattr(scan_csv.CsvScanner, "_structured", scan_csv.CsvScanner._slow)
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
            v.blank_lines.samples,
            v.whitespace_lines.count,
            v.whitespace_lines.samples,
            v.quoted_lf.count,
            v.quoted_lf.samples,
            v.quoted_cr.count,
            v.max_fields,
            v.first_by_width,
            v.head,
            list(v.tail),
            v.unclosed_quote.samples,
            v.bad_quoting.samples,
            v.preamble,
            dict(v.field_counts),
            (v.empty_rows.count, v.empty_rows.samples),
            [
                (
                    c.name,
                    c.type,
                    c.had_numbers,
                    (c.unexplained_text.count, c.unexplained_text.samples),
                    {k: (o.count, o.samples) for k, o in c.evidence.items() if o},
                    # counted while few values are unexplained: then exactly, whatever the chunks
                    (c.numbers, c.texts) if c.unexplained_text.count <= 3 else None,
                )
                for c in v.columns
            ],
        )
    out["user_ragged_records"] = t.user.ragged_records  # what ragged-row reads for its reason
    return out


@pytest.mark.parametrize("seed", range(SEEDS))
def test_fast_structural_and_exact_paths_agree(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    suffix, delimiter = rng.choice([(".csv", ","), (".csv", ","), (".tsv", "\t"), (".csv", ";")])
    path = tmp_path / f"f{seed}{suffix}"
    path.write_bytes(_random_file(rng, delimiter))
    chunk, window = rng.choice([(64, 16), (64, 64), (256, 8), (4096, 32)])
    dense = rng.choice([32, 1])
    results = {}
    for mode in ("usual", "structural", "exact"):
        with monkeypatch.context() as m:
            results[mode] = _scan(path, m, mode, chunk, window, dense)
    exact = _summary(results["exact"])
    assert _summary(results["structural"]) == exact
    assert _summary(results["usual"]) == exact
    for version in ("6.8", "6.7", "6.6"):
        ctx = Context(Target(dataverse=version), profile_for(version))
        expected = predict(results["exact"], ctx).to_json()
        assert predict(results["structural"], ctx).to_json() == expected
        assert predict(results["usual"], ctx).to_json() == expected


def test_a_stretch_polars_refuses_gets_the_splitter_values(tmp_path, monkeypatch):
    """A record far wider than the header (polars refuses it as a first line) inside a regular
    multi-line stretch: its values come from the exact splitter, the same as the exact path's."""
    wide = ",".join(["7"] * 5000)
    rows = ["h", wide, '"a\nb"', "1", "2020-01-31", '"x"', "3"]
    path = tmp_path / "wide.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode())
    results = {}
    for mode in ("usual", "structural", "exact"):
        with monkeypatch.context() as m:
            results[mode] = _scan(path, m, mode, chunk=1 << 20, window=1 << 20)
    exact = _summary(results["exact"])
    assert _summary(results["structural"]) == exact
    assert _summary(results["usual"]) == exact
    assert exact["dataverse"][-1][0][1] == "character"  # 'a\nb' and 'x' are text


CP1252_SEEDS = max(20, SEEDS // 5)
FRENCH_WORDS = ["Orléans", "été", "Besançon", "Nîmes", "œuvre", "décalée", "€ 12", "«\u00a0oui\u00a0»"]


def _scanner_views(monkeypatch) -> list[tuple[str | None, int]]:
    """Each scanner of the run: its author's codec (one pass) and its number of views."""
    made: list[tuple[str | None, int]] = []
    init = scan_csv.CsvScanner.__init__

    def recording(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append((kwargs.get("author_codec"), len(self.views)))

    monkeypatch.setattr(scan_csv.CsvScanner, "__init__", recording)
    return made


@pytest.mark.parametrize("seed", range(CP1252_SEEDS))
def test_single_byte_files_read_in_one_pass_as_in_two(tmp_path, monkeypatch, seed):
    """A Windows-1252 file: both views from one pass (the author's from each chunk transcoded) give
    the facts and predictions that a second pass over the transcoded file gives."""
    rng = random.Random(seed)
    suffix, delimiter = rng.choice([(".csv", ";"), (".csv", ";"), (".csv", ","), (".tsv", "\t")])
    text = _random_file(rng, delimiter).decode("utf-8").replace("\x00", "0")  # NUL: a binary file
    words = [rng.choice(FRENCH_WORDS) for _ in range(40)]
    head, _, rest = text.partition("\n")
    text = head + "\n" + rest + "".join(f"{w}{delimiter}x\n" for w in words)
    path = tmp_path / f"f{seed}{suffix}"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    chunk, window = rng.choice([(64, 16), (256, 8), (4096, 32)])
    results = {}
    for one_pass in (True, False):
        with monkeypatch.context() as m:
            m.setattr(scan_csv, "ONE_PASS_CODECS", one_pass)
            made = _scanner_views(m)
            results[one_pass] = _scan(path, m, "usual", chunk, window)
        assert made, "the file was scanned"
        if one_pass:
            assert made[0][0] is not None and scan_csv.single_byte(made[0][0]), made
            assert len(made) == 1, "one pass"
        else:
            assert len(made) == 2, "two passes"
    one, two = (
        _chunk_free(_summary(results[k]), delimiter != (",", "\t")[suffix == ".tsv"]) for k in (True, False)
    )
    assert one == two
    for version in ("6.8", "6.7", "6.6"):
        ctx = Context(Target(dataverse=version), profile_for(version))
        assert predict(results[True], ctx).to_json() == predict(results[False], ctx).to_json()


def _chunk_free(summary: dict, settles: bool) -> dict:
    """The facts of Dataverse's view that do not depend on the chunks: it is read in half the chunks
    in one pass. Its columns' text evidence (and whether they hold numbers too) depends on the
    chunks: it is counted up to a column's first unexplained chunk, and from the chunk where a
    column that looked like dates stops being one (rules read the author's view; predictions use
    the types); a view of another delimiter than the
    file's settles at its first mismatching record and reads on only to its chunk's end (the
    predictions, compared too, use its header, that record and its quote errors)."""
    dv = list(summary["dataverse"])
    dv[-1] = [(name, t) for name, t, *_ in dv[-1]]
    if settles and dv[2] is not None:
        quotes = [[(q.line, q.column, q.position) for q in places] for places in dv[16:18]]
        dv = [dv[0], dv[2], quotes]
    return {**summary, "dataverse": dv}


def test_single_byte_codecs():
    assert scan_csv.single_byte("cp1252") and scan_csv.single_byte("latin-1")
    assert scan_csv.single_byte("mac_roman") and scan_csv.single_byte("cp850")
    assert not scan_csv.single_byte("utf-16-le") and not scan_csv.single_byte("utf-8")
    assert not scan_csv.single_byte("cp037")  # EBCDIC: line breaks are other bytes
    assert not scan_csv.single_byte("no-such-codec")


def _without_typer_counts(summary: dict, settles: bool) -> dict:
    """The facts that do not depend on the chunks: `_chunk_free`, and the author's view without
    its text evidence counts (counted up to the chunk where a column's unexplained values pass
    STRAY_TEXTS): whether a column holds unexplained text is kept (rules ask it)."""
    summary = _chunk_free(summary, settles)
    user = list(summary["user"])
    user[-1] = [(name, t, bool(unexplained[0])) for name, t, _, unexplained, _, _ in user[-1]]
    return {**summary, "user": user}


@pytest.mark.parametrize("seed", range(max(20, SEEDS // 5)))
def test_chunk_sizes_do_not_change_the_facts(tmp_path, monkeypatch, seed):
    """Tiny chunks (boundaries inside CRLFs, quoted values, long lines) give the facts and the
    predictions of one chunk for the whole file."""
    rng = random.Random(10_000 + seed)
    suffix, delimiter = rng.choice([(".csv", ","), (".tsv", "\t"), (".csv", ";")])
    path = tmp_path / f"f{seed}{suffix}"
    path.write_bytes(_random_file(rng, delimiter))
    chunk, window = rng.choice([(16, 8), (64, 16), (256, 8)])
    results = {}
    for name, mode, size in (("tiny", "usual", chunk), ("whole", "exact", 1 << 20)):
        with monkeypatch.context() as m:
            results[name] = _scan(path, m, mode, size, window)
    table = results["whole"].table
    settles = table.user.delimiter != table.dataverse.delimiter  # the author's is another delimiter
    tiny, whole = (_without_typer_counts(_summary(results[k]), settles) for k in ("tiny", "whole"))
    assert tiny == whole
    for version in ("6.8", "6.7", "6.6"):
        ctx = Context(Target(dataverse=version), profile_for(version))
        assert predict(results["tiny"], ctx).to_json() == predict(results["whole"], ctx).to_json()


def test_the_first_opening_quote_is_found_as_a_scan_would():
    """A settled view runs the splitter from the first quote that opens a value: memchr over the
    first quotes, then two-byte searches, must find the one a byte-by-byte scan finds."""

    def scan(data: bytes, db: bytes) -> int:
        for i in range(len(data)):
            if data[i : i + 1] == b'"' and (i == 0 or data[i - 1 : i] in (db, b"\n", b"\r")):
                return i
        return -1

    rng = random.Random(7)
    for _ in range(3000):
        data = bytes(rng.choice(b'ab;,"\n\r\t') for _ in range(rng.randint(0, 200)))
        if rng.random() < 0.5:  # many quotes inside values first
            data = b'x"y' * rng.randint(0, 100) + data
        db = rng.choice([b",", b";", b"\t"])
        assert scan_csv._first_opening_quote(data, db) == scan(data, db), (data, db)
