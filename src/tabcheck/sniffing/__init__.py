"""Reading a file as its author meant it, and saying how sure that is.

A table deposited in Dataverse is read by programs that *guess*: the encoding, the delimiter, where
the header is. A silent wrong guess turns ``Besançon`` into ``BesanÃ§on`` or one column into three,
and nobody notices until the data are cited. So this package never guesses silently: every answer
comes with a ``confidence`` (0..1), the ``runner_up`` (the best answer giving a *different* reading,
with its own confidence) and a short ``reason`` code, so that a caller can say "cp1252, but it could
be cp1250" instead of picking one.

- ``magic``: what the bytes are (gzip, zip/xlsx/ods, OLE2, PDF, images, databases, UTF-16/32 text…).
- ``encoding``: UTF-8 checked over the whole file; otherwise the single-byte code pages people write
  tables in, judged over the whole file; files mixing UTF-8 and a code page reported as *mixed*.
- ``delimiter``: the delimiter of the table's body (after any title lines), quotes respected, with a
  near-tie reported as such.

The package is self-contained: it reads bytes or text and returns frozen dataclasses.
"""

from __future__ import annotations

from tabcheck.sniffing.delimiter import DELIMITERS, DelimiterGuess, detect_delimiter
from tabcheck.sniffing.encoding import (
    CANDIDATES,
    BytePosition,
    EncodingGuess,
    EncodingPart,
    MixedEncoding,
    RunnerUp,
    detect_encoding,
)
from tabcheck.sniffing.magic import MagicGuess, detect_magic, detect_magic_file, detect_utf16_32

__all__ = [
    "CANDIDATES",
    "DELIMITERS",
    "BytePosition",
    "DelimiterGuess",
    "EncodingGuess",
    "EncodingPart",
    "MagicGuess",
    "MixedEncoding",
    "RunnerUp",
    "detect_delimiter",
    "detect_encoding",
    "detect_magic",
    "detect_magic_file",
    "detect_utf16_32",
]
