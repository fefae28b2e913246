"""The encoding a file was written in, how sure that is, and what else it could be.

Order of evidence:

1. Binary content (see ``magic``) is not text: ``encoding`` is None.
2. A byte order mark (UTF-8, UTF-16, UTF-32), or the NUL lanes of BOM-less UTF-16/32: that
   encoding, checked over the whole file.
3. UTF-8 validity over the *whole* file, streamed in chunks (a multi-byte character cut by a chunk
   boundary is carried over): valid UTF-8 is certain.
4. Otherwise the single-byte code pages people really write tables in, judged over the whole file:
   a histogram of the non-ASCII bytes (undefined bytes disqualify) and a bounded sample of the
   words holding them, read by each code page and judged for plausibility (``_single_byte``).
5. A file that holds both valid UTF-8 sequences and bytes no UTF-8 reading explains is *mixed*
   when both readings are plausible (lines pasted from another file): reported as such, with the
   first offset and line of each part, never silently read in one code page.

Memory is bounded by the chunk size; nothing keeps the file.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tabcheck.sniffing.magic import detect_magic

if TYPE_CHECKING:
    import numpy as np

    from tabcheck.sniffing._single_byte import Ranking

# The judges of words (tabcheck.sniffing._plausibility, _letters, _single_byte) are imported when a
# file has non-ASCII bytes to judge: an ASCII file, the most common table, never needs them.

__all__ = [
    "CANDIDATES",
    "CHUNK_SIZE",
    "BytePosition",
    "EncodingGuess",
    "EncodingPart",
    "MixedEncoding",
    "RunnerUp",
    "detect_encoding",
]

# Blocks of 2 MB: the judgement's peak is about 20 MB (75 with 8 MB blocks), and it runs beside a
# large file's scan (sniff.sniff_text, aside): both peaks add up. As fast: 1.2 s on a gigabyte.
CHUNK_SIZE = 2 * 1024 * 1024
UTF8_PIECE = 512 * 1024  # decoded at a time: small strings reuse freed memory
UTF8_SAMPLE_TOKENS = 5000  # words (occurrences) of valid UTF-8 judged for plausibility
# The code pages people really write tables in, the most used first (it wins when texts are equal).
CANDIDATES: tuple[str, ...] = (
    "cp1252",
    "iso8859-15",
    "iso8859-1",
    "cp1250",
    "iso8859-2",
    "mac-roman",
    "cp850",
    "cp1251",
    "cp1253",
    "iso8859-7",
)
TOKEN_BUDGET = 30_000  # token occurrences sampled for judging code pages
MAX_DISTINCT_TOKENS = 10_000
# A word is shorter: a longer token (a 1 MB value without a space) is judged on the bytes around the
# one found, and found in bounded time (was: 8 s for a 1 MB token, quadratic in its length).
MAX_TOKEN_BYTES = 96
FIRSTS_PER_NEW_BYTE = 8  # tokens taken around a byte value first seen after the budget is spent
PLAUSIBLE = 0.3  # mean token score above which a reading is taken for real text
SINGLE_BYTE_MAX = 0.99  # a code page is never certain: some other one could have been meant


@dataclass(frozen=True)
class RunnerUp:
    """The second-best answer and its confidence."""

    name: str
    confidence: float


@dataclass(frozen=True)
class BytePosition:
    """A byte in the file: 0-based offset, 1-based line (counted by LF), and its value."""

    offset: int
    line: int
    byte: int


@dataclass(frozen=True)
class EncodingPart:
    """One encoding of a mixed file: where it first shows and how many non-ASCII characters it reads."""

    encoding: str
    confidence: float
    first_offset: int
    first_line: int
    characters: int


@dataclass(frozen=True)
class MixedEncoding:
    """A file written in more than one encoding (the main one first)."""

    parts: tuple[EncodingPart, ...]

    @property
    def encodings(self) -> tuple[str, ...]:
        return tuple(p.encoding for p in self.parts)


@dataclass(frozen=True)
class EncodingGuess:
    """The answer of ``detect_encoding``.

    ``encoding`` is a precise Python codec name (``utf-8``, ``utf-16-le``, ``cp1252``, …) or None for
    binary content; with ``bom`` the file starts with a byte order mark, and ``codec`` names the codec
    that reads the whole file, BOM included (``utf-8-sig``, ``utf-16``, ``utf-32``). ``confidence`` is
    in 0..1; ``runner_up`` is the best reading giving a *different* text, None when there is none.
    ``equivalent`` lists the code pages that decode this file to exactly the same text.
    ``undecodable`` is the first byte ``encoding`` cannot decode. ``reason`` is a short code:
    ``empty``, ``binary``, ``bom``, ``nul-lanes``, ``ascii``, ``utf-8-valid``, ``utf-8-implausible``
    (valid UTF-8 whose words read better in a code page), ``utf-8-invalid-bytes``,
    ``mixed``, ``single-byte``, ``single-byte-tie``, ``single-byte-only``, ``no-candidate``.
    """

    encoding: str | None
    confidence: float
    runner_up: RunnerUp | None
    bom: bool
    mixed: MixedEncoding | None
    undecodable: BytePosition | None
    reason: str
    equivalent: tuple[str, ...] = ()
    hint: str | None = None
    bytes_read: int = 0
    # A frequent word of the file as ``encoding`` and as the runner-up read it, when they differ
    # (``Besançon`` or ``Besanþon``): what tells the user which one is right.
    example: tuple[str, str] | None = None

    @property
    def codec(self) -> str | None:
        """The codec that reads the whole file as its author meant, BOM included."""
        if self.encoding is None or not self.bom:
            return self.encoding
        if self.encoding == "utf-8":
            return "utf-8-sig"
        if self.encoding.startswith(("utf-16", "utf-32")):
            return self.encoding[:6]  # utf-16-le → utf-16: the BOM tells the byte order
        # A UTF-8 BOM before text in a single-byte code page (a BOM added by hand, a file joined
        # from two): that code page reads the whole file, its BOM as three characters.
        return self.encoding


Source = str | os.PathLike[str] | bytes | bytearray | memoryview | Iterable[bytes]


def detect_encoding(
    source: Source,
    *,
    candidates: Sequence[str] = CANDIDATES,
    chunk_size: int = CHUNK_SIZE,
    hint: bool = False,
) -> EncodingGuess:
    """Guess the encoding of a file (a path), of bytes, or of an iterator of byte chunks.

    The whole input is read once in chunks (bounded memory). ``candidates`` are the single-byte
    code pages considered when the input is not UTF-8/16/32, most used first. With ``hint``,
    charset-normalizer's guess on the first 64 KiB is added as ``hint``: for information only.
    """
    # The default names are codecs' own already: looking them up would import ten codecs at each start.
    candidates = CANDIDATES if candidates is CANDIDATES else tuple(codecs.lookup(c).name for c in candidates)
    source_input = _Input(source, chunk_size)
    chunks = source_input.chunks()
    first = b""
    while len(first) < 4096:  # enough of a head to see signatures and NUL lanes
        more = next(chunks, None)
        if more is None:
            break
        first += bytes(more)
    if not first:
        return EncodingGuess("utf-8", 1.0, None, False, None, None, "empty")
    magic = detect_magic(first[:65536])
    if not magic.is_text:
        return EncodingGuess(None, magic.confidence, None, False, None, None, "binary", bytes_read=len(first))
    if magic.encoding is not None and magic.encoding != "utf-8":
        return _wide(first, chunks, magic.encoding, magic.bom)
    bom = magic.bom and magic.encoding == "utf-8"
    stream = _UTF8Stream(candidates, source_input.lines_before)
    guess = stream.run(first[3:] if bom else first, chunks, offset=3 if bom else 0)
    if bom:
        guess = _replace(
            guess, bom=True, reason="bom" if guess.reason in ("ascii", "utf-8-valid") else guess.reason
        )
        if guess.reason.startswith("single-byte") and guess.encoding == "cp1252":
            guess = _bom_then_cp1252(guess, first)
    if hint and guess.reason.startswith("single-byte"):
        guess = _replace(guess, hint=_charset_normalizer_hint(first))
    return guess


def _bom_then_cp1252(guess: EncodingGuess, first: bytes) -> EncodingGuess:
    """A UTF-8 byte order mark before Windows-1252 text (a mark added by an editor, a file joined
    from two): two encodings, as a file mixing them (utf-8+cp1252 reads each line in its own, the
    mark as a mark); read in Windows-1252 alone, the mark would become the header's first three
    characters (ï»¿)."""
    high = _HIGH.search(first, 3)
    if high is None:
        return guess  # its first non-ASCII byte is further on: left as it is
    offset = high.start()
    utf8_part = EncodingPart("utf-8", 1.0, 0, 1, 1)
    sb_part = EncodingPart("cp1252", guess.confidence, offset, first[:offset].count(b"\n") + 1, 1)
    return _replace(guess, mixed=MixedEncoding((sb_part, utf8_part)), reason="mixed")


def _replace(guess: EncodingGuess, **changes: object) -> EncodingGuess:
    return dataclasses.replace(guess, **changes)  # type: ignore[arg-type]


class _Input:
    """Chunks of a path, of bytes or of an iterator; and, for the first two, lines counted on demand.

    A file is read into one reused buffer: each chunk is a view valid until the next one (fresh
    multi-megabyte ``bytes`` per read cost page faults that halve the UTF-8 check's speed).
    """

    def __init__(self, source: Source, chunk_size: int) -> None:
        self.source = source
        self.chunk_size = chunk_size

    def chunks(self) -> Iterator[bytes | memoryview]:
        source = self.source
        if isinstance(source, (bytes, bytearray, memoryview)):
            view = memoryview(source).cast("B")
            for i in range(0, len(view), self.chunk_size):
                yield view[i : i + self.chunk_size]
        elif isinstance(source, (str, os.PathLike)):
            buffer = bytearray(self.chunk_size)
            view = memoryview(buffer)
            with open(source, "rb", buffering=0) as f:
                while True:
                    n = f.readinto(buffer)
                    if not n:
                        return
                    yield view[:n]
        else:
            for chunk in source:
                if chunk:
                    yield bytes(chunk)

    def lines_before(self, offset: int) -> int | None:
        """How many LF bytes come before ``offset``; None for an iterator (it cannot be read again)."""
        source = self.source
        if isinstance(source, (bytes, bytearray, memoryview)):
            return bytes(memoryview(source).cast("B")[:offset]).count(b"\n")
        if isinstance(source, (str, os.PathLike)):
            count = 0
            with open(source, "rb") as f:
                left = offset
                while left > 0:
                    block = f.read(min(left, self.chunk_size))
                    if not block:
                        break
                    count += block.count(b"\n")
                    left -= len(block)
            return count
        return None


def _wide(first: bytes, chunks: Iterator[bytes | memoryview], encoding: str, bom: bool) -> EncodingGuess:
    """UTF-16/32, checked over the whole input (lone surrogates, code points past U+10FFFF)."""
    decode = {
        "utf-16-le": codecs.utf_16_le_decode,
        "utf-16-be": codecs.utf_16_be_decode,
        "utf-32-le": codecs.utf_32_le_decode,
        "utf-32-be": codecs.utf_32_be_decode,
    }[encoding]
    skip = (4 if encoding.startswith("utf-32") else 2) if bom else 0
    offset = skip
    lines = 1
    carry = first[skip:]
    undecodable = None
    total = len(first)
    for chunk in _chain(b"", chunks):
        data = carry + bytes(chunk)
        total += len(chunk)
        try:
            text, consumed = decode(data, "strict", False)
        except UnicodeDecodeError as e:
            text, _ = decode(data[: e.start], "strict", False)
            undecodable = BytePosition(offset + e.start, lines + text.count("\n"), data[e.start])
            break
        lines += text.count("\n")
        offset += consumed
        carry = data[consumed:]
    if undecodable is None and carry:
        undecodable = BytePosition(offset, lines, carry[0])  # a truncated last character
    if bom:
        confidence, reason = 1.0, "bom"
    else:
        confidence, reason = 0.95, "nul-lanes"
    if undecodable is not None:
        confidence = min(confidence, 0.8)
    return EncodingGuess(encoding, confidence, None, bom, None, undecodable, reason, bytes_read=total)


_ASCII = bytes(range(128))
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
# A run of high bytes that is all valid UTF-8 sequences, between ASCII bytes (or the chunk's ends).
_ISOLATED_VALID = re.compile(
    rb"(?<![\x80-\xff])(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+(?![\x80-\xff])"
)
_HIGH = re.compile(rb"[\x80-\xff]")
_VALID_SEQ = re.compile(rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+")
# Letters, digits and non-ASCII bytes: a byte between digits is judged there (``1\xa0234``: a
# no-break space grouping thousands in cp1252, a letter inside a number in cp850).
_TOKEN_BYTES = bytes(range(48, 58)) + bytes(range(65, 91)) + bytes(range(97, 123)) + bytes(range(128, 256))
_DIGITS = re.compile(rb"[0-9]+")
_WORD_CLASS = bytes(119 if b in _TOKEN_BYTES else 32 for b in range(256))  # w for token bytes


class _UTF8Stream:
    """One pass: UTF-8 validity first; after the first invalid byte, the evidence for the rest."""

    def __init__(self, candidates: Sequence[str], lines_before: Callable[[int], int | None]) -> None:
        self.candidates = candidates
        self.lines_before = lines_before
        # phase 1 (valid UTF-8 so far)
        self.carry = b""
        self.prefix_chars = 0  # non-ASCII characters in the valid prefix (approximate: bytes - chars)
        self.first_nonascii: int | None = None
        self.first_nonascii_line: int | None = None
        self.first_error: BytePosition | None = None
        self.utf8_sample: Counter[bytes] = Counter()  # words of the first non-ASCII pieces
        self.utf8_sample_left = UTF8_SAMPLE_TOKENS
        # phase 2 (after the first invalid byte)
        self.hist_invalid: Counter[int] = Counter()
        self.hist_valid: Counter[int] = Counter()
        self.tokens_invalid: Counter[bytes] = Counter()
        self.tokens_valid: Counter[bytes] = Counter()
        self.first_byte: dict[int, BytePosition] = {}
        self.valid_chars = 0
        self.invalid_chars = 0
        self.first_valid: tuple[int, int] | None = None
        self.first_invalid: tuple[int, int] | None = None
        self.budget = TOKEN_BUDGET

    def run(self, first: bytes, chunks: Iterator[bytes | memoryview], offset: int) -> EncodingGuess:
        # Lines are counted as we go only when the input cannot be read again.
        counting = self.lines_before(0) is None
        lines = 1
        carry = b""
        phase2 = False
        total = offset
        # After the first invalid byte, each block's byte counts (numpy, the lock released) are made
        # in threads, AHEAD blocks in advance; the evidence takes them in the file's order.
        pending: deque[tuple[Future[_Counts], bytes, int]] = deque()
        pool: ThreadPoolExecutor | None = None

        def collect(keep: int) -> None:
            nonlocal lines
            while len(pending) > keep:
                counted, block_bytes, at = pending.popleft()
                counts = counted.result()
                self._collect(block_bytes, at, lines, counts)
                lines += counts.line_feeds

        try:
            for chunk in _chain(first, chunks):
                total += len(chunk)
                if not phase2:
                    block = memoryview(self.carry + bytes(chunk)) if self.carry else memoryview(chunk)
                    self.carry = b""
                    error = self._check_utf8(block, offset, lines if counting else None)
                    if error is None:
                        if counting:
                            lines += (
                                bytes(chunk).count(b"\n")
                                if isinstance(chunk, memoryview)
                                else chunk.count(b"\n")
                            )
                        offset += len(block) - len(self.carry)
                        continue
                    data = bytes(block)
                    if not counting:
                        lines = 1 + (self.lines_before(offset) or 0)
                    self.first_error = BytePosition(
                        offset + error, lines + data.count(b"\n", 0, error), data[error]
                    )
                    phase2 = True
                else:
                    data = carry + bytes(chunk) if carry else bytes(chunk)
                cut = len(data.rstrip(_TOKEN_BYTES))
                if cut == 0:
                    cut = len(data)
                block_bytes, carry = data[:cut], data[cut:]
                if pool is None and len(block_bytes) >= _COUNTS_AHEAD:
                    pool = ThreadPoolExecutor(AHEAD, thread_name_prefix="tabcheck-encoding")
                if pool is not None:
                    pending.append((pool.submit(_count, block_bytes), block_bytes, offset))
                    collect(AHEAD)
                else:
                    counts = _count(block_bytes)
                    self._collect(block_bytes, offset, lines, counts)
                    lines += counts.line_feeds
                offset += len(block_bytes)
            collect(0)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        if not phase2 and self.carry:  # a multi-byte character cut by the end of the file
            if not counting:
                lines = 1 + (self.lines_before(offset) or 0)
            self.first_error = BytePosition(offset, lines, self.carry[0])
            carry = self.carry
        if carry:
            self._collect(carry, offset, lines)
        if self.first_nonascii is not None and self.first_nonascii_line is None:
            self.first_nonascii_line = 1 + (self.lines_before(self.first_nonascii) or 0)
        return self._verdict(total)

    def _check_utf8(self, block: memoryview, offset: int, lines: int | None) -> int | None:
        """Decode ``block`` in pieces: the index of the first invalid byte, or None.

        A character cut by the block's end is kept in ``self.carry`` for the next block.
        """
        n = len(block)
        start = 0
        while start < n:
            piece = block[start : start + UTF8_PIECE]
            try:
                text, k = codecs.utf_8_decode(piece, "strict", False)
            except UnicodeDecodeError as e:
                return start + e.start
            if k != len(text):
                self.prefix_chars += k - len(text)
                if self.utf8_sample_left > 0:
                    self._sample_utf8(bytes(piece[:k]))
                if self.first_nonascii is None:
                    head = bytes(piece)
                    pos = _first_high(head)
                    self.first_nonascii = offset + start + pos
                    if lines is not None:
                        self.first_nonascii_line = (
                            lines + bytes(block[:start]).count(b"\n") + head.count(b"\n", 0, pos)
                        )
            if k < len(piece) and start + len(piece) >= n:
                self.carry = bytes(block[start + k :])
                return None
            start += max(k, 1)
        return None

    def _sample_utf8(self, data: bytes) -> None:
        cls = data.translate(_WORD_CLASS)
        last_end = -1
        for m in _HIGH_RUN.finditer(data):
            if m.start() < last_end:
                continue
            s, e = _token_bounds(cls, m.start(), data)
            last_end = e
            self.utf8_sample[data[s:e]] += 1
            self.utf8_sample_left -= 1
            if self.utf8_sample_left <= 0:
                break

    def _collect(self, data: bytes, offset: int, line: int, byte_counts: _Counts | None = None) -> None:
        import numpy as np

        if byte_counts is None:
            byte_counts = _count(data)
        counts = byte_counts.high
        high = int(counts.sum())
        if not high:
            return
        chunk_hist = Counter({int(b): int(counts[b]) for b in np.flatnonzero(counts)})
        new_values = [b for b in chunk_hist if b not in self.first_byte]
        for b in new_values:
            pos = data.find(bytes([b]))
            self.first_byte[b] = BytePosition(offset + pos, line + data.count(b"\n", 0, pos), b)
        # Runs of valid UTF-8 between ASCII bytes, counted by regular expressions and byte counts (was:
        # a Python loop per run, 1 MB/s on a text of short accented words).
        valid_bytes: Counter[int] = Counter()
        if byte_counts.multibyte:
            first = _ISOLATED_VALID.search(data)
            if first is not None:
                rest_hi = _outside_valid_runs(data)
                valid_bytes = chunk_hist.copy()
                valid_bytes.subtract(Counter(rest_hi))
                valid_bytes = +valid_bytes
                self.valid_chars += sum(k for b, k in valid_bytes.items() if b >= 0xC0)  # lead bytes
                if self.first_valid is None:
                    s = first.start()
                    self.first_valid = (offset + s, line + data.count(b"\n", 0, s))

        def valid_at(pos: int) -> bool:
            return _ISOLATED_VALID.match(data, pos) is not None

        if valid_bytes:
            self.hist_valid.update(valid_bytes)
            chunk_hist.subtract(valid_bytes)
        invalid = +chunk_hist
        self.hist_invalid.update(invalid)
        self.invalid_chars += sum(invalid.values())
        if invalid and self.first_invalid is None:
            for m in _HIGH_RUN.finditer(data):
                if not valid_at(m.start()):
                    s = m.start()
                    self.first_invalid = (offset + s, line + data.count(b"\n", 0, s))
                    break
        late = new_values  # byte values first met after the sample was spent: their first words
        if self.budget > 0:
            stop = self._sample_tokens(data, valid_at)
            late = (
                [b for b in new_values if self.first_byte[b].offset - offset >= stop]
                if self.budget <= 0
                else []
            )
        if late:
            cls = data.translate(_WORD_CLASS)
            for b in late:
                pos = data.find(bytes([b]))
                for _ in range(FIRSTS_PER_NEW_BYTE):
                    if pos < 0:
                        break
                    s, e = _token_bounds(cls, pos, data)
                    self._add_token(data[s:e], valid_at(s) or _valid_token(data[s:e]))
                    pos = data.find(bytes([b]), e)

    def _sample_tokens(self, data: bytes, valid_at: Callable[[int], bool]) -> int:
        """Sample the words holding non-ASCII bytes, in order, while the budget lasts; where the
        sample stopped (the block's end when the budget lasted)."""
        cls = data.translate(_WORD_CLASS)
        last_end = -1
        for m in _HIGH_RUN.finditer(data):
            if m.start() < last_end:
                continue
            s, e = _token_bounds(cls, m.start(), data)
            last_end = e
            self._add_token(data[s:e], valid_at(m.start()))
            self.budget -= 1
            if self.budget <= 0:
                return e
        return len(data)

    def _add_token(self, token: bytes, valid: bool) -> None:
        """Count a token; its runs of digits as one ``0`` each (``1\xa0234\xa0567`` and ``98\xa0765``
        ask the same question: what the byte between digits is)."""
        if not token.isalpha():
            token = _DIGITS.sub(b"0", token)
        target = self.tokens_valid if valid else self.tokens_invalid
        if token in target or len(target) < MAX_DISTINCT_TOKENS:
            target[token] += 1

    def _verdict(self, total: int) -> EncodingGuess:
        if self.first_error is None:
            if self.first_nonascii is None:
                return EncodingGuess("utf-8", 1.0, None, False, None, None, "ascii", bytes_read=total)
            return self._valid_utf8(total)
        from tabcheck.sniffing._single_byte import rank

        utf8_chars = self.prefix_chars + self.valid_chars
        invalid_ranking = rank(self.hist_invalid, self.tokens_invalid, self.candidates)
        genuine_utf8 = self.prefix_chars > 0 or (
            self.valid_chars > 0 and self._utf8_more_plausible(invalid_ranking)
        )
        if not genuine_utf8:
            hist = self.hist_invalid + self.hist_valid
            tokens = self.tokens_invalid + self.tokens_valid
            return self._single_byte(rank(hist, tokens, self.candidates), total)
        best = invalid_ranking.best
        plausible = best is not None and self._mean_score(best.encoding, self.tokens_invalid) >= PLAUSIBLE
        error = self.first_error
        if not plausible or best is None:
            share = utf8_chars / (utf8_chars + max(1, self.invalid_chars))
            return EncodingGuess(
                "utf-8",
                round(max(0.5, min(0.95, share)), 3),
                None,
                False,
                None,
                error,
                "utf-8-invalid-bytes",
                bytes_read=total,
            )
        first_utf8 = (
            (self.first_nonascii, self.first_nonascii_line or 1)
            if self.first_nonascii is not None
            else self.first_valid or (0, 1)
        )
        first_sb = self.first_invalid or (error.offset, error.line)
        n_sb = self.invalid_chars
        utf8_part = EncodingPart("utf-8", 1.0, first_utf8[0], first_utf8[1], utf8_chars)
        sb_part = EncodingPart(best.encoding, round(best.probability, 3), first_sb[0], first_sb[1], n_sb)
        share_utf8 = utf8_chars / (utf8_chars + n_sb)
        if utf8_chars >= n_sb:
            mixed = MixedEncoding((utf8_part, sb_part))
            return EncodingGuess(
                "utf-8",
                round(min(0.95, share_utf8), 3),
                RunnerUp(best.encoding, round(1 - share_utf8, 3)),
                False,
                mixed,
                error,
                "mixed",
                bytes_read=total,
            )
        mixed = MixedEncoding((sb_part, utf8_part))
        return EncodingGuess(
            best.encoding,
            round(min(0.95, 1 - share_utf8) * best.probability, 3),
            RunnerUp("utf-8", round(share_utf8, 3)),
            False,
            mixed,
            self._undecodable(best.encoding),
            "mixed",
            best.equivalent,
            bytes_read=total,
        )

    def _valid_utf8(self, total: int) -> EncodingGuess:
        """Valid UTF-8 is certain, unless its words read as nonsense and a code page reads them well.

        A few bytes of cp1252 or Mac Roman can happen to form valid UTF-8 (``l’île`` in Mac Roman is
        ``l`` + U+0554 + ``le``): then the answer stays UTF-8 but admits the doubt.
        """
        sample = self.utf8_sample
        n = sum(sample.values())
        if n:
            from tabcheck.sniffing._plausibility import score_token
            from tabcheck.sniffing._single_byte import rank

            as_utf8 = sum(score_token(t.decode("utf-8", "replace")) * k for t, k in sample.items()) / n
            if as_utf8 < PLAUSIBLE:
                hist: Counter[int] = Counter()
                for t, k in sample.items():
                    for b in t:
                        if b >= 0x80:
                            hist[b] += k
                best = rank(hist, sample, self.candidates).best
                if best is not None and best.mean >= as_utf8 + 0.5:
                    return EncodingGuess(
                        "utf-8",
                        0.5,
                        RunnerUp(best.encoding, round(0.5 * best.probability, 3)),
                        False,
                        None,
                        None,
                        "utf-8-implausible",
                        bytes_read=total,
                    )
        return EncodingGuess("utf-8", 1.0, None, False, None, None, "utf-8-valid", bytes_read=total)

    def _utf8_more_plausible(self, invalid_ranking: Ranking) -> bool:
        """Do the whole-UTF-8 words read better as UTF-8 than in the single-byte reading?"""
        from tabcheck.sniffing._plausibility import score_token

        if not self.tokens_valid:
            return False
        best = invalid_ranking.best
        encodings = [best.encoding] if best is not None else list(self.candidates[:1])
        n = sum(self.tokens_valid.values())
        as_utf8 = sum(score_token(t.decode("utf-8", "replace")) * k for t, k in self.tokens_valid.items()) / n
        as_single = max(self._mean_score(enc, self.tokens_valid) for enc in encodings)
        return as_utf8 >= as_single + 0.3

    @staticmethod
    def _mean_score(encoding: str, tokens: Counter[bytes]) -> float:
        from tabcheck.sniffing._letters import languages_of, letters_of
        from tabcheck.sniffing._plausibility import score_token

        n = sum(tokens.values())
        if not n:
            return 0.0
        languages = languages_of((encoding,))
        letters = letters_of(languages)
        return (
            sum(score_token(t.decode(encoding, "replace"), letters, languages) * k for t, k in tokens.items())
            / n
        )

    def _single_byte(self, ranking: Ranking, total: int) -> EncodingGuess:
        best = ranking.best
        if best is None:
            return EncodingGuess(
                "iso8859-1", 0.1, None, False, None, self.first_error, "no-candidate", bytes_read=total
            )
        runner = ranking.classes[1] if len(ranking.classes) > 1 else None
        # The probability among readings, scaled down when even the best one reads badly.
        quality = max(0.3, min(1.0, (best.mean + 1.0) / 1.2))
        confidence = min(SINGLE_BYTE_MAX, best.probability * quality)
        if runner is None:
            confidence = SINGLE_BYTE_MAX * quality
            reason = "single-byte-only"
        else:
            reason = "single-byte" if confidence >= 0.6 else "single-byte-tie"
        return EncodingGuess(
            best.encoding,
            round(confidence, 3),
            RunnerUp(runner.encoding, round(runner.probability, 3)) if runner else None,
            False,
            None,
            self._undecodable(best.encoding),
            reason,
            best.equivalent,
            bytes_read=total,
            example=self._example(best.encoding, runner.encoding) if runner else None,
        )

    def _example(self, encoding: str, other: str) -> tuple[str, str] | None:
        """The most frequent sampled word with a letter that `encoding` and `other` read differently
        (a word, not a number's separator), as each reads it."""
        for token, _ in (self.tokens_invalid + self.tokens_valid).most_common():
            ascii_part = [chr(b) for b in token if b < 0x80]
            if not any(c.isalpha() for c in ascii_part) or any(c.isdigit() for c in ascii_part):
                continue  # 1\xa0234, 2°C (its digits counted as 0): no word to recognise
            one, two = token.decode(encoding, "replace"), token.decode(other, "replace")
            if one != two:
                return one[:EXAMPLE_CHARS], two[:EXAMPLE_CHARS]
        return None

    def _undecodable(self, encoding: str) -> BytePosition | None:
        bad = [p for b, p in self.first_byte.items() if not _decodes(encoding, b)]
        return min(bad, key=lambda p: p.offset) if bad else None


EXAMPLE_CHARS = 40  # of the example word shown in the uncertain encoding's message


def _decodes(encoding: str, b: int) -> bool:
    try:
        bytes([b]).decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


_SLICE = 1 << 20
_HIGH_MARK = bytes(97 if b < 0x80 else 104 for b in range(256))  # a for ASCII, h for high bytes


def _outside_valid_runs(data: bytes) -> bytes:
    """The high bytes of `data` outside the runs of valid UTF-8 between ASCII bytes.

    A slice of about 1 MB at a time, cut after an ASCII byte (re.sub holds a piece per run: on the
    whole 8 MB of a text of short accented words, hundreds of MB)."""
    marks = data.translate(_HIGH_MARK)
    out = []
    start, n = 0, len(data)
    while start < n:
        end = n
        if n - start > _SLICE:
            cut = marks.rfind(b"a", start, start + _SLICE)
            if cut >= start:
                end = cut + 1
            else:  # a run of high bytes longer than a slice: to its end
                after = marks.find(b"a", start + _SLICE)
                end = n if after < 0 else after
        out.append(_ISOLATED_VALID.sub(b"", data[start:end]).translate(None, _ASCII))
        start = end
    return b"".join(out)


def _valid_token(token: bytes) -> bool:
    if token.isascii():
        return False
    try:
        token.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _token_bounds(cls: bytes, pos: int, data: bytes) -> tuple[int, int]:
    """The token around `pos`: its word, or at most MAX_TOKEN_BYTES on either side of `pos` (a cut
    token starts at `pos` and never ends inside a UTF-8 sequence)."""
    lo = max(0, pos - MAX_TOKEN_BYTES)
    s = cls.rfind(b" ", lo, pos) + 1
    if s == 0 and lo > 0:
        s = pos
    hi = pos + MAX_TOKEN_BYTES
    e = cls.find(b" ", pos, hi)
    if e < 0:
        e = min(len(cls), hi)
        if e < len(cls):
            back = e
            while back > pos + 1 and back > e - 3 and 0x80 <= data[back] < 0xC0:
                back -= 1
            e = back if 0x80 <= data[e] < 0xC0 else e
    return s, e


AHEAD = 2  # blocks counted in threads ahead of the one whose evidence is taken
_COUNTS_AHEAD = 1 << 20  # bytes: smaller blocks are counted where they are read


@dataclass
class _Counts:
    """A block's byte counts: the bytes >= 0x80 by value, whether its UTF-8 reading holds a valid
    multi-byte character (scan.utf8.high_bytes), its line feeds."""

    high: np.ndarray
    multibyte: bool
    line_feeds: int


def _count(data: bytes) -> _Counts:
    """The whole-file pass of a file that is not UTF-8: numpy counts, without the interpreter lock."""
    import numpy as np

    from tabcheck.scan.utf8 import high_bytes

    high, multibyte = high_bytes(np.frombuffer(data, dtype=np.uint8))
    return _Counts(high, multibyte, _line_feeds(data))


def _line_feeds(data: bytes) -> int:
    """data.count(b"\\n"), with numpy for large blocks (the interpreter lock released)."""
    if len(data) < 1 << 16:
        return data.count(b"\n")
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == 10))


def _first_high(data: bytes) -> int:
    m = _HIGH.search(data)
    return m.start() if m else 0


def _chain(first: bytes, rest: Iterator[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    yield first
    yield from rest


def _charset_normalizer_hint(head: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency
        return None
    best = from_bytes(head[:65536]).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return best.encoding
