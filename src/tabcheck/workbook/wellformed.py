"""Is a sheet part well-formed XML, without a DTD? Expat says, over bytes the scanner reads anyway.

Expat reads the part alongside the regex scan, without handlers: it only catches malformed XML
and refuses a DOCTYPE. Reading 166 MB of sheet XML takes it over a second, most of it spent on
rows the scanner has already matched as plain rows (tabcheck.workbook.plainrows), which are
well-formed by construction. So:

- until the root element begins, expat gets every chunk whole: a DOCTYPE can only come before
  it, and is refused as soon as its chunk is read, as before;
- then, in a part written in UTF-8, it gets what the scanner hands over segment by segment: the
  bytes as they are, but each run of plain rows replaced by a *marker*, an empty CDATA section.
  A CDATA section is only allowed where character data is, inside an element: if expat reports
  the marker as a CDATA section starting exactly where it was put, the rows it stands for sat in
  element content, where well-formed elements keep the whole well-formed. In a comment, a CDATA
  section, an attribute value or a tag, or after the root element, the marker is either not
  reported there or an error.
- when the replaced document is well-formed and every marker was reported at its place, the part
  is well-formed. Otherwise (a malformed part: rare) the part is read again and given to expat
  whole, for the very error and offset of a reading without markers.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from typing import NoReturn
from xml.parsers import expat

MARKER = b"<![CDATA[]]>"
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")


def utf8_document(head: bytes) -> bool:
    """Does the part start as a UTF-8 document: optional UTF-8 BOM, `<` and no NUL after it (no
    UTF-16 without BOM), and an XML declaration, if any, that declares UTF-8 or nothing?"""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.startswith(b"<") or head[1:2] in (b"", b"\x00"):
        return False
    if not head.startswith(b"<?xml"):
        return True
    end = head.find(b"?>")
    if end < 0:
        return False
    m = _ENCODING.search(head, 0, end)
    return m is None or m.group(1).lower() == b"utf-8"


class Validator:
    """Expat over the part: well-formedness and no DTD, at C speed (see the module's docstring)."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._refuse
        self.parser.EntityDeclHandler = self._refuse
        self.parser.StartElementHandler = self._root
        self.error: str | None = None
        self.error_offset: int | None = None
        self.doctype = False
        self.rooted = False  # expat has begun the root element
        self.reduced = False  # rows come from the scanner, plain runs replaced by markers
        self.fed = 0  # bytes of the part given to expat, whole or replaced
        self.sent = 0  # bytes given to expat
        self.markers = 0  # markers put
        self.waiting: deque[int] = deque()  # where markers were put that expat has not reported yet
        self.missed = False  # a marker was not reported as a CDATA section at its place

    def _refuse(self, *args: object) -> NoReturn:
        self.doctype = True
        raise ValueError("DOCTYPE")

    def _root(self, *args: object) -> None:
        self.rooted = True
        self.parser.StartElementHandler = None

    def _section(self) -> None:
        """A CDATA section begins: a marker (at its place), or one of the part's own."""
        at = self.parser.CurrentByteIndex
        waiting = self.waiting
        while waiting and waiting[0] < at:  # passed without being reported
            waiting.popleft()
            self.missed = True
        if waiting and waiting[0] == at:
            waiting.popleft()

    def _parse(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            self.error = str(exc)
            self.error_offset = self.parser.CurrentByteIndex
        except ValueError:
            self.error = "a DOCTYPE declaration"
            self.error_offset = self.parser.CurrentByteIndex
        self.sent += len(data)

    # -- the part whole -------------------------------------------------------------------------
    def feed(self, data: bytes, final: bool = False) -> None:
        """The next bytes of the part, whole (before `reduce`)."""
        if self.error is not None:
            return
        self._parse(data, final)
        self.fed += len(data)

    # -- the part as the scanner hands it -------------------------------------------------------
    def reduce(self, head: bytes) -> bool:
        """From now on, take the part from `rows` (the scanner's segments): once the root element
        has begun, in a UTF-8 part (`head`: its first bytes) read without error so far."""
        if not self.reduced and self.rooted and self.error is None and utf8_document(head):
            self.reduced = True
            self.parser.StartCdataSectionHandler = self._section
        return self.reduced

    def rows(self, seg: bytes, offset: int, plain: Sequence[tuple[int, int]]) -> None:
        """A segment of the part (at `offset`), with the runs of plain rows in it (positions in
        `seg`, in order); what expat already had (from the whole chunks) is not given again."""
        if not self.reduced or self.error is not None:
            return
        pos = self.fed - offset
        if pos >= len(seg):
            return
        assert pos >= 0, "segments follow one another"
        parts: list[bytes] = []
        sent = self.sent
        for start, end in plain:
            if start < pos:  # partly given already: its rows from the next one on are replaced
                start = seg.find(b"<row ", pos, end)
                if start < 0:
                    continue
            if start > pos:
                parts.append(seg[pos:start])
                sent += start - pos
            self.waiting.append(sent)
            self.markers += 1
            parts.append(MARKER)
            sent += len(MARKER)
            pos = end
        parts.append(seg[pos:] if pos else seg)
        self._parse(b"".join(parts) if len(parts) > 1 else parts[0])
        self.fed = offset + len(seg)

    def finish(self, chunks: Iterable[bytes]) -> None:
        """The end of the part. When markers were used and the replaced document is malformed or a
        marker was not where it should be, `chunks` (the part again) are read whole."""
        if not self.reduced:
            return
        if self.error is None:
            self._parse(b"", True)
        if self.error is None and not self.missed and not self.waiting:
            return
        again = Validator()
        for chunk in chunks:
            again.feed(chunk)
            if again.error is not None:
                break  # what follows changes nothing
        again.feed(b"", True)
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        self.error, self.error_offset = again.error, again.error_offset


__all__ = ["MARKER", "Validator", "utf8_document"]
