"""The scan's loops (scan/_jit.py): the transcoding against Python's codecs, byte for byte, and the
CRLF loop against a bytes replace.

Random bytes (ASCII runs of every length around the loop's eight-byte words, and every byte above
0x7F, defined or not) in single-byte encodings: the loop's UTF-8 must be
`chunk.decode(codec, "replace").encode("utf-8", "surrogatepass")`, as the scan makes it without the
loop.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabcheck import kernels
from tabcheck.scan import csv as scan_csv

pytestmark = pytest.mark.skipif(not kernels.available(), reason="numba cannot be used here")

EXAMPLES = int(os.environ.get("TABCHECK_UNF_EXAMPLES", "200"))
CODECS = ["cp1252", "latin-1", "iso8859-15", "cp850", "mac-roman", "cp1250", "koi8-r"]
PIECES = st.one_of(
    st.binary(max_size=20).map(lambda b: bytes(x & 0x7F for x in b)),  # ASCII runs
    st.binary(min_size=1, max_size=4).map(lambda b: bytes(x | 0x80 for x in b)),  # high bytes
)


@pytest.fixture(scope="module", autouse=True)
def _loaded() -> None:
    kernels.warm("fix")  # as fix loads it: the scan then takes the loop
    assert kernels.loaded("scan_transcode") is not None


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PIECES, max_size=40).map(b"".join), st.sampled_from(CODECS))
def test_the_loop_transcodes_as_the_codecs_do(piece: bytes, codec: str) -> None:
    chunk = (piece * (1 + scan_csv._PAIRS_BY_NUMPY // max(len(piece), 1)))[
        : scan_csv._PAIRS_BY_NUMPY + len(piece)
    ]
    expected = chunk.decode(codec, errors="replace").encode("utf-8", errors="surrogatepass")
    assert scan_csv._transcoded(chunk, codec) == expected


def test_the_loop_writes_undefined_bytes_as_the_replacement_character() -> None:
    chunk = b"caf\xe9 \x81 \x80" * (scan_csv._PAIRS_BY_NUMPY // 8)
    assert (
        scan_csv._transcoded(chunk, "cp1252") == ("café \ufffd €" * (scan_csv._PAIRS_BY_NUMPY // 8)).encode()
    )


LINE_PIECES = st.one_of(
    st.binary(max_size=20).map(lambda b: bytes(x & 0x7F for x in b).replace(b"\r", b"")),
    st.sampled_from([b"\r\n", b"\n", b"\r", b"\r\r\n", b"\x8d", b"\r\x0a\x0d\x0a"]),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(LINE_PIECES, max_size=40).map(b"".join), st.sampled_from([b"", b"\r\n", b"\r", b"x"]))
def test_the_crlf_loop_drops_each_cr_before_a_lf_and_refuses_a_lone_one(piece: bytes, end: bytes) -> None:
    # Around the loop's eight-byte words: every length and alignment of the piece, then the end.
    chunk = (piece * (1 + scan_csv._PAIRS_BY_NUMPY // max(len(piece), 1)))[: scan_csv._PAIRS_BY_NUMPY] + end
    replaced = chunk.replace(b"\r\n", b"\n")
    expected = None if b"\r" in replaced else replaced
    assert scan_csv._crlf_to_lf(chunk) == expected
