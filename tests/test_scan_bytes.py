"""The scan's byte helpers against their plain definitions (differential, hypothesis).

`_breaks` counts CRLF pairs with numpy in large views and `_first_opening_quote` finds the first
opening quote with numpy past 64 quotes inside values: both must give what a byte-by-byte reading
gives, at any size. `_plain_counts` (numpy, large views) must say what the bytes methods of
`_plain_counts_by_bytes` say of any view.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tabcheck.scan.csv as scan_csv


def breaks_by_definition(b: bytes) -> int:
    """LF, CR and CRLF each one line break, read byte by byte."""
    n, i = 0, 0
    while i < len(b):
        if b[i : i + 2] == b"\r\n":
            n, i = n + 1, i + 2
            continue
        n += b[i : i + 1] in (b"\r", b"\n")
        i += 1
    return n


def opening_quote_by_definition(data: bytes, db: bytes) -> int:
    """The first quote at the start, or after the delimiter or a line break."""
    for i in range(len(data)):
        if data[i : i + 1] == b'"' and (i == 0 or data[i - 1 : i] in (db, b"\n", b"\r")):
            return i
    return -1


views = st.binary(min_size=0, max_size=400).map(lambda b: bytes(b'ab,;"\r\n'[x % 7] for x in b))
# Mostly quotes inside values: past 64 of them the search takes its numpy branch.
quoted_views = st.lists(st.sampled_from([b'a"', b'"', b"a", b",", b";", b"\n", b"\r"]), max_size=300).map(
    b"".join
)


@settings(max_examples=400, deadline=None)
@given(views)
def test_breaks_agree_with_the_definition_at_any_size(data: bytes) -> None:
    expected = breaks_by_definition(data)
    assert scan_csv._breaks(data) == expected
    threshold = scan_csv._PAIRS_BY_NUMPY
    try:
        scan_csv._PAIRS_BY_NUMPY = 1  # every view with a CR takes the numpy count
        assert scan_csv._breaks(data) == expected
    finally:
        scan_csv._PAIRS_BY_NUMPY = threshold


@settings(max_examples=400, deadline=None)
@given(st.one_of(views, quoted_views), st.sampled_from([b",", b";", b"\t"]))
def test_first_opening_quote_agrees_with_the_definition(data: bytes, db: bytes) -> None:
    assert scan_csv._first_opening_quote(data, db) == opening_quote_by_definition(data, db)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'a"' * 100 + b';"x"', 201),  # past the 64 quotes of the first search
        (b'a"' * 100 + b'\r\n"x"', 202),
        (b'a"' * 100, -1),
        (b'"a"', 0),
    ],
)
def test_first_opening_quote_examples(data: bytes, expected: int) -> None:
    assert scan_csv._first_opening_quote(data, b";") == expected


def test_breaks_of_a_large_windows_view() -> None:
    data = b"a;b\r\n" * 300_000 + b"c\rd\ne\r"  # over the numpy threshold; a lone CR at the end
    assert len(data) > scan_csv._PAIRS_BY_NUMPY
    assert scan_csv._breaks(data) == 300_000 + 3


def quoted_by_parity(data: bytes, byte: int) -> list[int]:
    """Positions of `byte` after an odd number of quotes."""
    out, quotes = [], 0
    for i, x in enumerate(data):
        if x == ord('"'):
            quotes += 1
        elif x == byte and quotes % 2:
            out.append(i)
    return out


# Few quotes among many bytes: the spans between them are a small part of the chunk.
sparse_views = st.lists(
    st.sampled_from([b"ab;cd,ef\n" * 8, b'"', b'"x;\ny"', b";", b",", b"\n"]), max_size=60
).map(b"".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(views, quoted_views, sparse_views), st.sampled_from([b",", b";", b"\n"]))
def test_the_fix_finds_the_bytes_inside_quotes_by_parity(data: bytes, d: bytes) -> None:
    """scan.structure.quoted_positions looks only between quotes when they enclose little of the chunk."""
    import numpy as np

    from tabcheck.scan.structure import quoted_positions

    b = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(b == ord('"'))
    assert quoted_positions(b, quotes, d[0]).tolist() == quoted_by_parity(data, d[0])


# Views as the scan hands them over (LF line ends: no CR), rich in the cases that make a view plain
# or not: quotes opening and closing whole values, doubled quotes, quotes inside values, delimiters
# and line feeds inside quotes, empty lines, long quoted values (the other way of counting).
plain_tokens = [
    b"abcdefghij" * 12,  # long plain text: the quoted bytes are then gathered (a small part)
    b"ab",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\n\n",
    b'"',
    b'""',
    b'"a,b;c"',
    b'"x\ny"',
    b'a"b',
    b'"' + b"q,;" * 40 + b'"',
]
plain_views = st.lists(st.sampled_from(plain_tokens), max_size=80).map(b"".join)
# Records of well-formed values (plain, or quoted whole with delimiters, line feeds and doubled
# quotes inside) and a long plain line: plain views, or views that one quoted line feed spoils.
_values = st.sampled_from([b"abc", b"", b'"a,b"', b'"a;b"', b'"a\tb"', b'"x""y"', b'"x\ny"', b'""'])
_records = st.lists(_values, min_size=1, max_size=4)
well_formed = st.tuples(st.lists(_records, max_size=12), st.sampled_from([b",", b";", b"\t"])).map(
    lambda rd: b"\n".join([b"abcdefghij" * 20] + [rd[1].join(r) for r in rd[0]])
)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(plain_views, well_formed), st.sampled_from([b",", b";", b"\t"]), st.booleans())
def test_plain_counts_agree_with_the_bytes_methods(data: bytes, db: bytes, tsv: bool) -> None:
    if tsv and b'"' in data:
        return  # _plain_view sends quoted TSV to the structural pass before counting
    assert scan_csv._plain_counts(data, db[0], tsv) == scan_csv._plain_counts_by_bytes(data, db, tsv)


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(plain_views, well_formed, views, quoted_views),
    st.sampled_from([b",", b";", b"\t"]),
    st.booleans(),
    st.integers(0, 7),
)
def test_the_counting_loop_agrees_with_the_bytes_methods(
    data: bytes, db: bytes, tsv: bool, shift: int
) -> None:
    """scan/_jit.plain_counts (numba loaded: fix, a codebook), its eight-byte words at every
    alignment."""
    import numpy as np

    from tabcheck import kernels

    loop = kernels.kernel("scan_plain_counts")
    if loop is None:
        pytest.skip("numba cannot be used here")
    data = b"abcdefg,"[:shift] + data
    expected = scan_csv._plain_counts_by_bytes(data, db, tsv)
    plain, lines, delimiters, blank = loop(np.frombuffer(data, dtype=np.uint8), db[0])
    assert ((lines, delimiters, blank) if plain and not (tsv and blank) else None) == expected


@pytest.mark.parametrize("shift", range(9))
def test_the_counting_loop_finds_an_empty_line_across_its_words(shift: int) -> None:
    import numpy as np

    from tabcheck import kernels

    loop = kernels.kernel("scan_plain_counts")
    if loop is None:
        pytest.skip("numba cannot be used here")
    for data in (b"a" * shift + b"bcdefgh\n" + b"\nabcdefg" * 3, b"a" * shift + b"abc,efgh" * 3 + b"\n"):
        expected = scan_csv._plain_counts_by_bytes(data, b",", False)
        plain, lines, delimiters, blank = loop(np.frombuffer(data, dtype=np.uint8), 44)
        assert (plain, lines, delimiters, blank) == (True, *expected)  # type: ignore[misc]


# Ten plain lines first: quotes denser than one byte in 16 are left to the structural pass.
PAD = b"aaaaaaaaaa,bbbbbbbbbb\n" * 10


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PAD + b'a,"b,c"\n"d""e",f\n', (12, 12, False)),  # a delimiter inside quotes is not counted
        (PAD + b'a,"b\nc"\n', None),  # a line feed inside quotes: not plain
        (PAD + b'a,b"c"\n', None),  # a quote inside a value
        (PAD + b'a,"b"c\n', None),  # text after a closing quote
        (PAD + b'a,"b"\n\n"c",d', (13, 12, True)),  # an empty line; a last line without LF
        (PAD + b'"' + b"x," * 100 + b'",y\n', (11, 11, False)),  # a long quoted value: counted by search
        (PAD + b'"a",b', (11, 11, False)),
    ],
)
def test_plain_counts_examples(data: bytes, expected: tuple[int, int, bool] | None) -> None:
    assert scan_csv._plain_counts(data, ord(","), False) == expected
    assert scan_csv._plain_counts_by_bytes(data, b",", False) == expected


def test_a_large_view_takes_the_numpy_counts() -> None:
    data = b'1,"a,b",xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' * 20_000
    assert len(data) >= scan_csv._COUNTS_BY_NUMPY
    plain = scan_csv._plain_view(data, b",", False, False)
    assert plain is not None
    assert (plain.lines, plain.delimiters, plain.blank) == (20_000, 40_000, False)


def decoded_by_python(data: bytes) -> tuple[int, int, int]:
    """What the scan asked of Python's decoder: the characters, the U+FFFD it adds, the first error."""
    text = data.decode("utf-8", errors="replace")
    try:
        data.decode("utf-8")
        first = -1
    except UnicodeDecodeError as e:
        first = e.start
    return len(text), text.count("\ufffd") - data.count("\ufffd".encode()), first


# Well-formed and ill-formed sequences of every length, the edge ranges of E0, ED, F0 and F4, lone
# lead and continuation bytes, a U+FFFD already there, bytes Windows-1252 writes.
utf8_pieces = [
    b"a",
    b"\n",
    b"\xc3\xa9",
    b"\xe9",
    b"\x80",
    b"\xbf",
    b"\xc0\xaf",
    b"\xc1",
    b"\xc2",
    b"\xdf\xbf",
    b"\xe0",
    b"\xe0\x9f\x80",
    b"\xe0\xa0",
    b"\xe0\xa0\x80",
    b"\xed\x9f\xbf",
    b"\xed\xa0\x80",
    b"\xef\xbf\xbd",
    b"\xe2\x82\xac",
    b"\xf0\x8f\xbf\xbf",
    b"\xf0\x90\x80\x80",
    b"\xf0\x9f\x98",
    b"\xf4\x8f\xbf\xbf",
    b"\xf4\x90\x80\x80",
    b"\xf5\x80",
    b"\xff",
]
utf8_views = st.one_of(
    st.lists(st.sampled_from(utf8_pieces), max_size=40).map(b"".join), st.binary(max_size=60)
)


@settings(max_examples=3000, deadline=None)
@given(utf8_views)
def test_utf8_counts_agree_with_pythons_decoder(data: bytes) -> None:
    from tabcheck.scan import utf8

    expected = decoded_by_python(data)
    piece = utf8._PIECE
    try:
        for utf8._PIECE in (piece, 1, 3, 7):  # whole, then in pieces cut before a free byte
            assert utf8.utf8_counts(data) == expected
    finally:
        utf8._PIECE = piece


@settings(max_examples=400, deadline=None)
@given(views)
def test_crlf_to_lf_agrees_with_a_replace(data: bytes) -> None:
    replaced = data.replace(b"\r\n", b"\n")
    expected = None if b"\r" in replaced else replaced
    threshold = scan_csv._PAIRS_BY_NUMPY
    try:
        for scan_csv._PAIRS_BY_NUMPY in (threshold, 1):  # bytes methods, then numpy
            assert scan_csv._crlf_to_lf(data) == expected
    finally:
        scan_csv._PAIRS_BY_NUMPY = threshold


@settings(max_examples=3000, deadline=None)
@given(utf8_views)
def test_valid_characters_agree_with_pythons_decoder(data: bytes) -> None:
    from tabcheck.scan.utf8 import valid_characters

    try:
        expected: int | None = len(data.decode("utf-8"))
    except UnicodeDecodeError:
        expected = None
    for block in (1 << 20, 1, 2, 3, 7):  # whole, then validated in blocks cut before a character
        assert valid_characters(data, block) == expected


@settings(max_examples=3000, deadline=None)
@given(utf8_views)
def test_the_high_bytes_and_the_multibyte_test_are_the_decoders(data: bytes) -> None:
    # One search gives both: the histogram of the bytes >= 0x80, and whether a valid multi-byte
    # character is there as Python's decoder counts it, whatever the pieces the search cuts into.
    import numpy as np

    from tabcheck.scan import utf8
    from tabcheck.scan.utf8 import high_bytes

    characters, replaced, _ = decoded_by_python(data)
    high = sum(b >= 0x80 for b in data)
    a = np.frombuffer(data, dtype=np.uint8)
    expected = characters - replaced > len(data) - high
    histogram = np.bincount(a[a >= 0x80], minlength=256)
    piece = utf8._PIECE
    try:
        for utf8._PIECE in (piece, 1, 3, 7):  # whole, then looked for in pieces cut anywhere
            counts, multibyte = high_bytes(a)
            assert counts.tolist() == histogram.tolist()
            assert multibyte == expected
    finally:
        utf8._PIECE = piece


def test_a_large_utf8_chunk_is_read_by_polars_as_valid_and_one_bad_byte_is_not() -> None:
    line = "Orléans,12.5,« café » 日本\n".encode()
    data = line * 40_000
    assert len(data) >= scan_csv._PAIRS_BY_NUMPY
    wanted = [scan_csv._Wanted(0, b",", False, None, True)]
    p = scan_csv._prepare(data, wanted, False)
    assert (p.bad_utf8, p.chars[0], p.plain[0].valid) == (None, len(data.decode()), True)
    values = scan_csv._read_values(p.plain[0].work, 3, ",", ragged=False, valid=True)
    assert values is not None and values.row(39_999) == ("Orléans", "12.5", "« café » 日本")
    bad = data[: 30 * len(line) + 2] + b"\xe9" + data[30 * len(line) + 3 :]  # the l of Orléans
    p = scan_csv._prepare(bad, wanted, False)
    assert (p.bad_utf8, p.bad_utf8_count, p.plain[0].valid) == ((31, 30 * len(line) + 2), 1, False)
    assert p.chars[0] == len(bad.decode("utf-8", errors="replace"))


def test_a_large_windows_1252_chunk_is_counted_as_python_decodes_it() -> None:
    data = "Orléans;12,5;« café »\r\n".encode("cp1252") * 60_000
    assert len(data) >= scan_csv._PAIRS_BY_NUMPY
    p = scan_csv._prepare(data, [scan_csv._Wanted(0, b";", False, None, False)], False)
    chars, replaced, first = decoded_by_python(data)
    assert (p.bad_utf8, p.bad_utf8_count, p.chars[0]) == ((1, 3), replaced, chars)
    assert replaced == 4 * 60_000 and first == 3


@settings(max_examples=400, deadline=None)
@given(st.one_of(views, utf8_views), st.sampled_from([b"\n", b",", b";", b"\r"]))
def test_bytecounts_agree_with_bytes_methods_at_any_size(data: bytes, byte: bytes) -> None:
    import re

    from tabcheck.scan import bytecounts

    large = bytecounts.LARGE
    try:
        for bytecounts.LARGE in (large, 0):  # bytes methods, then numpy
            assert bytecounts.count(data, byte[0]) == data.count(byte)
            assert bytecounts.high(data) == sum(b >= 0x80 for b in data)
            assert bytecounts.lone_cr(data) == bool(re.search(rb"\r(?!\n)", data))
    finally:
        bytecounts.LARGE = large
