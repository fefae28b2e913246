"""The codebook's second reading is Dataverse's reading, for TSV files and irregular files too.

Commons CSV's TDF format skips empty lines, trims Java's whitespace around unquoted values and
unquotes quoted values without trimming their inside. The second pass (a type that changed after
the first chunk, a file that is not UTF-8, CR line ends, irregular quoting) reads a TSV chunk with
polars when its quotes enclose no tab or line break (`_plain_tsv`), else with the exact splitter
(`_split_tsv`), the model of Dataverse's reader the scan uses: both must give the same values. A
CSV file with a quote polars reads otherwise than Commons CSV (`ab"c`: a quote inside a value,
text after a closing quote, a quote left open) is read by the splitter, as Dataverse 6.8 reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabcheck.checker import Settings, check_file
from tabcheck.codebook import collect
from tabcheck.codebook.unf import unf_numbers, unf_strings

CELLS = [
    "a",
    "1",
    "",
    " x ",
    '"  y  "',
    '"a\tb"',
    '"say ""hi"""',
    ' "q" ',
    "\u3000z\x0b",
    '"l\nf"',
    'b"c',
    "東京",
]


@st.composite
def tsv_chunks(draw) -> tuple[bytes, int]:
    """Whole records of a random width, with blank lines, CRLF or LF line ends, odd quoting."""
    width = draw(st.integers(1, 4))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()):
            lines.append("")
            continue
        n = width if draw(st.integers(0, 9)) else draw(st.integers(1, width + 1))
        lines.append("\t".join(draw(st.sampled_from(CELLS)) for _ in range(n)))
    return (eol.join(lines) + eol).encode("utf-8"), width


@settings(max_examples=500, deadline=None)
@given(tsv_chunks())
def test_polars_reads_a_tsv_chunk_as_the_exact_splitter_does(chunk: tuple[bytes, int]) -> None:
    data, width = chunk
    names = [f"c{i}" for i in range(width)]
    plain = collect._plain_tsv(data, names)
    if plain is not None:  # None: quotes around a tab or line break, another width: the splitter reads it
        assert plain.to_dict(as_series=False) == collect._split_tsv(data, names).to_dict(as_series=False)


@pytest.mark.parametrize(
    ("data", "taken"),
    [
        (b'a\tb\n"  x  "\t1\n\ny\t2\n', True),  # quoted: unquoted whole, not trimmed; the blank line skipped
        (b"a\tb\n\xe3\x80\x80z\x0b\t1\n", True),  # Java's whitespace trimmed
        (b'a\tb\n"x\ty"\t1\n', False),  # a tab inside quotes: the splitter
        (b'a\tb\n"x\ny"\t1\n', False),  # a line feed inside quotes
        (b"a\tb\nx\ty\tz\n", False),  # a record of another width
        (b"a\tb\rx\t1\n", False),  # a CR alone ends a record
        (b"a\n\na\ta\na\ta\ta\n", False),  # widths that compensate: as many tabs as 3 records of 2
    ],
)
def test_which_chunks_polars_reads(data: bytes, taken: bool) -> None:
    names = ["c0", "c1"]
    plain = collect._plain_tsv(data, names)
    assert (plain is not None) == taken
    if plain is not None:
        assert plain.equals(collect._split_tsv(data, names))


def _second_pass(path: Path) -> tuple:
    """The check's prediction and the codebook the second pass alone gives it."""
    report = check_file(path, Settings())
    pred = report.dataverse
    assert pred is not None and pred.columns is not None
    book = collect.codebook_for_csv(
        path,
        [(c.name, c.type) for c in pred.columns],
        "\t",
        True,
        pred.observations,
        regular_quoting=True,
        quoted_breaks=False,
    )
    return pred, book


def test_the_second_pass_keeps_quoted_edge_blanks_and_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_bytes('name\tn\n"  x  "\t1\n\n\u3000z\x0b\t2\n"a\tb"\t3\n'.encode())
    pred, book = _second_pass(path)
    assert book.note is None and pred.observations == 3
    assert [c.unf for c in book.columns] == [
        unf_strings(["  x  ", "z", "a\tb"]),
        unf_numbers([1, 2, 3]),
    ]


def test_a_tsv_file_with_cr_line_ends_is_read_by_the_splitter(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_bytes(b'name\tn\r"  x  "\t1\r\ry\t2\r')
    pred, _ = _second_pass(path)
    book = collect.codebook_for_csv(
        path, [(c.name, c.type) for c in pred.columns or []], "\t", True, pred.observations
    )
    assert book.note is None
    assert [c.unf for c in book.columns] == [unf_strings(["  x  ", "y"]), unf_numbers([1, 2])]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ('t,n\nab"c,1\nx,2\n', ['ab"c', "x"]),  # a quote inside a value: literal
        ('t,n\nx,1\n"two\nlines",2\nab"c,3\n', ["x", "two\nlines", 'ab"c']),  # in the last chunk
        ('t,n\n"a"b,1\nc,2\n', ["ab", "c"]),  # text after a closing quote, kept by 6.8
        ('t,n\n"a" ,1\nc,2\n', ["a ", "c"]),  # blanks after a closing quote, kept by 6.8
    ],
)
def test_the_second_pass_reads_odd_quotes_as_dataverse_68(
    tmp_path: Path, text: str, values: list[str]
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text)
    report = check_file(path, Settings())
    pred = report.dataverse
    assert pred is not None and pred.columns is not None and pred.observations == len(values)
    columns = [(c.name, c.type) for c in pred.columns]
    for regular in (True, False):  # what the scan says of the quoting, and the whole-file reading
        book = collect.codebook_for_csv(
            path, columns, ",", False, pred.observations, regular_quoting=regular, quoted_breaks='\n"' in text
        )
        assert book.note is None
        assert [c.unf for c in book.columns] == [unf_strings(values), unf_numbers(range(1, len(values) + 1))]
