"""Looking at the first bytes of a file: what it is, its encoding, line ending and delimiter.

Everything here reads a bounded sample (charset-normalizer on a whole 1 GB file needs GBs of RAM);
the scan then verifies UTF-8 on every byte and reports the first bad one.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from tabcheck.sniffing import DelimiterGuess, EncodingGuess, detect_delimiter, detect_encoding, detect_magic

SAMPLE_SIZE = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")

_SIGNATURES = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),  # .xls, or an encrypted .xlsx
    (b"%PDF", "binary"),
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
    (b"\x1f\x8b", "binary"),  # gzip
    (b"7z\xbc\xaf", "binary"),
    (b"SQLite format 3", "binary"),
)


@dataclass
class Sniff:
    content: str  # text, utf16, zip, ole2, binary, empty
    encoding: str | None = None  # as guessed from the sample
    bom: bool = False  # a UTF-8 byte order mark
    line_ending: str | None = None  # LF, CRLF, CR
    delimiter: str | None = None  # the delimiter the file really uses
    confidence: float = 0.0
    # Set by `sniff_text` for the tables tabcheck reads (see tabcheck.sniffing):
    kind: str | None = None  # what the bytes are (gzip, pdf, …) when they are not text
    kind_description: str | None = None
    encoding_guess: EncodingGuess | None = None  # None when the user gave the encoding
    delimiter_guess: DelimiterGuess | None = None  # None when the user gave the delimiter
    preamble: int = 0  # title or preamble lines above the header, in the author's view
    codec: str | None = None  # how to decode the author's view, when it is not plain UTF-8
    mixed: bool = False  # UTF-8 with some lines in Windows-1252
    encoding_given: bool = False
    delimiter_given: bool = False
    # The whole file's encoding, judged in a thread while the scan reads the file with the head's
    # guess (`sniff_text(aside=True)`); checker.facts_for then keeps that reading when the
    # judgement's sniff `reads_alike`, else scans the file again.
    whole_file: Future[EncodingGuess] | None = field(default=None, compare=False, repr=False)


def sniff_bytes(head: bytes, *, guess: bool = True) -> Sniff:
    """Classify a file from its first bytes.

    `guess=False` skips the encoding guess on the head (charset-normalizer, ~20 ms a file): a text
    table's encoding is decided by `sniff_text` on the whole file anyway."""
    if not head:
        return Sniff(content="empty", encoding="utf-8")
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return Sniff(content=kind)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        enc = "utf-16-be" if head.startswith(codecs.BOM_UTF16_BE) or head[:1] == b"\x00" else "utf-16-le"
        text = head.decode(enc, errors="replace").lstrip("\ufeff")
        return Sniff(
            content="utf16", encoding=enc, line_ending=_line_ending(text), delimiter=sniff_delimiter(text)
        )
    if _looks_binary(head):
        return Sniff(content="binary")
    bom = head.startswith(codecs.BOM_UTF8)
    encoding = guess_encoding(head) if guess else "utf-8"
    text = head.decode(encoding, errors="replace")
    if bom:
        text = text[1:]
    return Sniff(
        content="text",
        encoding=encoding,
        bom=bom,
        line_ending=_line_ending(text),
        delimiter=sniff_delimiter(text),
    )


def guess_encoding(sample: bytes) -> str:
    """UTF-8 when the sample decodes as such (a cut multi-byte character at the end is fine)."""
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= len(sample) - 3 and e.reason == "unexpected end of data":
            return "utf-8"
    return _charset_normalizer_guess(sample)


_SINGLE_BYTE_LATIN = {
    "cp1252",
    "cp1250",
    "cp1257",
    "latin_1",
    "iso8859_15",
    "iso8859_10",
    "iso8859_2",
    "mac_latin2",
    "mac_roman",
    "mac_iceland",
    "cp850",
    "cp852",
    "cp775",
    "hp_roman8",
}


def _charset_normalizer_guess(sample: bytes) -> str:
    """charset-normalizer's guess, nudged to Windows-1252 among look-alike Latin code pages.

    On short samples it cannot tell Windows-1252 from Mac Central European or Latin-2; the tables
    tabcheck sees come overwhelmingly from Excel on Windows, so Windows-1252 wins the tie whenever
    it decodes the sample.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:SAMPLE_SIZE]).best()
    name = best.encoding if best is not None else "cp1252"
    if name in _SINGLE_BYTE_LATIN:
        try:
            sample.decode("cp1252")
            name = "cp1252"
        except UnicodeDecodeError:
            pass
    return {"cp1252": "windows-1252", "latin_1": "iso-8859-1", "mac_roman": "mac-roman"}.get(name, name)


def _looks_utf16(head: bytes) -> bool:
    sample = head[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    return max(even_nuls, odd_nuls) > 0.4 * half and min(even_nuls, odd_nuls) < 0.05 * half


def _looks_binary(head: bytes) -> bool:
    sample = head[:8192]
    controls = sum(sample.count(bytes([c])) for c in range(0, 32) if c not in (9, 10, 12, 13, 11))
    return sample.count(0) > 8 or controls > 0.1 * len(sample)


def _line_ending(text: str) -> str | None:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if not (crlf or cr or lf):
        return None
    return max((crlf, "CRLF"), (lf, "LF"), (cr, "CR"))[1]


_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def sniff_delimiter(text: str, max_lines: int = 100) -> str | None:
    """The delimiter that splits the first lines most consistently (quoted parts ignored)."""
    lines = [ln for ln in re.split(r"\r\n|\r|\n", _QUOTED.sub("", text[:SAMPLE_SIZE]))[:max_lines] if ln]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    best, best_score = None, 0.0
    for d in DELIMITERS:
        counts = [ln.count(d) for ln in lines]
        if not counts or counts[0] == 0:
            continue
        consistent = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = consistent * (1 + min(counts[0], 10) / 10)
        if score > best_score + 1e-9:
            best, best_score = d, score
    return best


HEAD_FOR_ENCODING = 1024 * 1024  # a UTF-8 head lets the scan check the rest, in its one pass
MAX_TITLE_LINES = 10  # exports put a title, a date, a source above the table: a few lines
TEXT_KINDS = ("text", "empty", "html", "xml", "rtf", "excel-xml")


def sniff_text(
    path: Path,
    head: bytes,
    sniff: Sniff,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    aside: bool = False,
    whole_file: EncodingGuess | None = None,
) -> Sniff:
    """The author's reading of a text table: encoding, delimiter, preamble — with confidence.

    Given values (`--encoding`, `--delimiter`) are taken as they are. Otherwise the encoding is
    decided on the head when it is UTF-8 (the scan verifies every later byte and calls
    `encoding_of_whole_file` when one is not), and on the whole file when it is not; the delimiter
    on the table's body (`tabcheck.sniffing.detect_delimiter`), a near-tie reported as such.

    `aside`: the whole file's encoding is judged in a thread (`Sniff.whole_file`) and this reading
    takes the head's guess meanwhile (checker.facts_for confirms it); `whole_file`: that judgement.
    """
    magic = detect_magic(head[:65536])
    if not magic.is_text and encoding is None:
        return replace(sniff, kind=magic.kind, kind_description=magic.description)
    wide = (magic.encoding or "").startswith(("utf-16", "utf-32"))
    if wide and sniff.content == "binary":  # UTF-32 without BOM: its NUL lanes are text, not binary
        sniff = replace(sniff, content="utf16")
    pending = None  # the whole file's encoding, judged in a thread (`aside`)
    if encoding == "utf-8+cp1252":  # the user says: UTF-8, and Windows-1252 where it is not
        guess = None
        codec = "utf-8"
        sniff = replace(sniff, mixed=True)
    elif encoding is not None:
        guess = None
        codec = _codec_name(encoding)
    else:
        guess = detect_encoding(head[:HEAD_FOR_ENCODING])
        certain_head = guess.encoding == "utf-8" and guess.mixed is None and guess.undecodable is None
        if not certain_head:
            if whole_file is not None:
                guess = whole_file
            elif aside:
                pending = _aside(detect_encoding, path)
            else:
                guess = detect_encoding(path)
        codec = guess.codec or "utf-8"
    text = head.decode(codec, errors="replace")
    if sniff.bom or text.startswith("\ufeff"):
        text = text.lstrip("\ufeff")
    found: str | None  # the author's delimiter (None: no delimiter splits the lines)
    if delimiter is not None:
        dguess = None
        found = delimiter
        preamble = 0
    else:
        dguess = detect_delimiter(text, complete=len(head) < SAMPLE_SIZE)
        found = dguess.delimiter
        sure_body = dguess.fields >= 2 and dguess.consistency >= 0.8
        preamble = _title_lines(text, found, dguess.header_line) if sure_body else 0
    plain_utf8 = codec in ("utf-8", "utf-8-sig", "ascii")
    mixed = (guess is not None and guess.mixed is not None) or (guess is None and sniff.mixed)
    return replace(
        sniff,
        kind=magic.kind,
        kind_description=magic.description,
        encoding=("utf-8+cp1252" if guess is None else "utf-8")
        if mixed
        else display_name(guess.encoding if guess and guess.encoding else codec),
        encoding_guess=guess,
        delimiter_guess=dguess,
        delimiter=found or sniff.delimiter,
        line_ending=_line_ending(text) or sniff.line_ending,
        preamble=preamble,
        codec=None if plain_utf8 and not mixed else ("utf-8" if mixed else codec),
        mixed=mixed,
        encoding_given=encoding is not None,
        delimiter_given=delimiter is not None,
        whole_file=pending,
    )


def _aside(judge: Callable[[Path], EncodingGuess], path: Path) -> Future[EncodingGuess]:
    """`judge(path)` in a thread of its own (a daemon: a check that stops never waits for it)."""
    future: Future[EncodingGuess] = Future()

    def run() -> None:
        try:
            guess = judge(path)
        except BaseException as e:  # noqa: BLE001 - handed to whoever waits for the judgement
            future.set_exception(e)
            return
        # Its blocks were freed in this thread's own arena of the C allocator, which keeps them:
        # handed back, they do not add to the scan's peak.
        from tabcheck.kernels import give_back_memory

        give_back_memory()
        future.set_result(guess)

    threading.Thread(target=run, name="tabcheck-encoding", daemon=True).start()
    return future


def reads_alike(a: Sniff, b: Sniff) -> bool:
    """Whether two sniffs read the file the same way (all but the encoding's evidence agree)."""
    return replace(a, encoding_guess=None, whole_file=None) == replace(
        b, encoding_guess=None, whole_file=None
    )


def with_whole_file_encoding(sniff: Sniff, path: Path) -> Sniff:
    """The sniff of a file whose head was UTF-8 but a later byte is not: judged on the whole file."""
    guess = detect_encoding(path)
    mixed = guess.mixed is not None
    codec = guess.codec or "cp1252"
    plain = codec in ("utf-8", "utf-8-sig") and not mixed
    return replace(
        sniff,
        encoding_guess=guess,
        encoding="utf-8" if mixed else display_name(codec),
        codec=None if plain else ("utf-8" if mixed else codec),
        mixed=mixed,
    )


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        from tabcheck.i18n import UsageError

        raise UsageError("usage.encoding", given=encoding) from None


def display_name(codec: str) -> str:
    name = codecs.lookup(codec).name
    """The name people know (and `--encoding` accepts): windows-1252, iso-8859-15, mac_roman, …"""
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-" + name[3:]
    return {"latin-1": "iso-8859-1", "mac-roman": "mac_roman", "utf-8-sig": "utf-8"}.get(name, name)


def _title_lines(text: str, delimiter: str | None, header_line: int) -> int:
    """The lines above the header the author's view skips: only when they read as a title.

    A title or preamble line holds at most one filled cell (`Relevés 2024;;;`, `Station : Brest`),
    and one of them has a letter; lines with several cells are the table's own rows (a ragged
    table, a header shorter than its rows), and blank lines alone are an empty header.
    """
    if not header_line or delimiter is None or header_line > MAX_TITLE_LINES:
        return 0
    lines = text.splitlines()[:header_line]
    if len(lines) < header_line:
        return 0
    for line in lines:
        if sum(1 for cell in line.split(delimiter) if cell.strip(' \t"')) > 1:
            return 0
    if not any(any(ch.isalpha() for ch in line) for line in lines):
        return 0
    return header_line
