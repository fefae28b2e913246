"""A file read in its author's encoding and handed on as UTF-8 bytes, chunk by chunk.

The scan works on UTF-8 bytes (bytes methods and polars count and read them). Dataverse reads the
raw bytes as UTF-8, so its view scans the file as it is; the author's view of a file written in
another encoding scans this transcoded stream, so that names and values are the author's
characters (« température », not « temp\ufffdrature »).
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

MIXED = "tabcheck-cp1252"  # the error handler of files mixing UTF-8 and Windows-1252 lines


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8, in a file that mostly is: read them as Windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error(MIXED, _cp1252_fallback)


class Transcoded:
    """`read(n)` returns UTF-8 bytes decoded from about `n` bytes of `raw` in `encoding`.

    `mixed=True` reads UTF-8 and takes the bytes UTF-8 cannot explain as Windows-1252.
    """

    def __init__(self, raw: BinaryIO, encoding: str, mixed: bool = False):
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder(encoding)(errors=MIXED if mixed else "replace")

    def read(self, n: int = -1) -> bytes:
        block = self.raw.read(n)
        return self.decoder.decode(block, final=not block).encode("utf-8", errors="surrogatepass")

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> Transcoded:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
