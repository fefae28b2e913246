"""The delimiter of a table, judged on its body, quotes respected, near-ties reported.

Each candidate splits the sample into records with the same quote rules as a CSV reader (a
delimiter or line break inside ``"..."`` belongs to the cell; a cell may span lines). For each
candidate:

- the *body* is the run of records with the usual field count (its mode); title or preamble lines
  before it (no delimiter at all, a different field count, or a padded title such as
  ``Rapport 2021;;;``) are skipped and counted in ``header_line``;
- *consistency* is the share of body records with that field count: the main signal;
- *junk* is the share of unquoted cells holding another candidate that nothing explains
  (``Brest;11`` when splitting ``Brest;11,2;1210,5`` on commas), or a stray quote (``x"``, or text
  after a closing quote: what a wrong delimiter makes of quoted cells), while a decimal-comma
  number (``11,2``) explains its comma.

The score is consistency x (1 - junk)² x a small bonus for more fields; the best candidate against
each other one gives the confidence, a logistic of the score difference times the square root of the
body size. Two candidates splitting equally well are a tie, reported with a confidence near 0.5.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tabcheck.sniffing.encoding import RunnerUp

__all__ = ["DELIMITERS", "DelimiterGuess", "detect_delimiter"]

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
MAX_RECORDS = 500
BETA = 2.5
EVIDENCE_CAP = 50


@dataclass(frozen=True)
class DelimiterGuess:
    """The answer of ``detect_delimiter``.

    ``delimiter`` is None when no candidate splits the lines into a table (one column, or prose).
    ``header_line`` is the 0-based physical line of the header row, that is the number of title or
    preamble lines before it; ``fields`` the body's field count; ``records`` the number of body
    records judged and ``consistency`` the share of them with ``fields`` fields. ``reason``:
    ``empty``, ``no-delimiter``, ``consistent``, ``decimal-comma`` (a tie on field counts decided by
    the cells' content), ``tie``, ``few-records``.
    """

    delimiter: str | None
    confidence: float
    runner_up: RunnerUp | None
    header_line: int
    fields: int
    records: int
    consistency: float
    reason: str


@dataclass(frozen=True)
class _Record:
    line: int  # 0-based physical line where the record starts
    fields: tuple[str, ...]
    quoted: tuple[bool, ...]


@dataclass(frozen=True)
class _Split:
    delimiter: str
    score: float
    fields: int
    header_line: int
    records: int
    consistency: float
    junk: float
    explained: int  # cells whose other-candidate character a decimal-comma number explains


_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
_DECIMAL_COMMA = re.compile(
    r"^\s*[-+]?(?:\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d+),\d+(?:[eE][-+]?\d+)?\s*(?:%|€)?\s*$"
)
_THOUSANDS_COMMA = re.compile(r"^\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*$")


def detect_delimiter(
    sample: str,
    *,
    candidates: Sequence[str] = DELIMITERS,
    complete: bool = False,
    max_records: int = MAX_RECORDS,
) -> DelimiterGuess:
    """Guess the delimiter of a table from a text sample (its first lines).

    ``complete`` says that the sample is the whole file; otherwise its last line may be cut and is
    not judged. At most ``max_records`` records are read per candidate.
    """
    if sample.startswith("\ufeff"):
        sample = sample[1:]
    if not sample.strip():
        return DelimiterGuess(None, 1.0, None, 0, 0, 0, 0.0, "empty")
    splits = [_judge(sample, d, candidates, complete, max_records) for d in candidates]
    present = sorted((s for s in splits if s.score > 0), key=lambda s: s.score, reverse=True)
    if not present:
        lines = len([ln for ln in sample.splitlines() if ln.strip()])
        return DelimiterGuess(None, round(1.0 - 0.5 / (1 + lines), 3), None, 0, 1, lines, 1.0, "no-delimiter")
    best = present[0]
    odds = []
    for other in present[1:]:
        z = BETA * (best.score - other.score) * math.sqrt(min(best.records, EVIDENCE_CAP))
        odds.append((other, math.exp(-min(z, 50.0))))
    confidence = 1.0 / (1.0 + sum(o for _, o in odds))
    if best.records < 2:
        confidence = min(confidence, 0.6)
    # A few records, or a ragged body, prove less than many consistent ones.
    confidence *= (1.0 - 0.5 / (1.0 + best.records)) * (0.5 + 0.5 * best.consistency)
    runner = max(odds, key=lambda x: x[1]) if odds else None
    runner_up = (
        RunnerUp(runner[0].delimiter, round(runner[1] * confidence, 3)) if runner is not None else None
    )
    if best.records < 2:
        reason = "few-records"
    elif confidence < 0.6:
        reason = "tie"
    elif runner is not None and runner[0].consistency >= best.consistency - 0.05 and best.explained > 0:
        reason = "decimal-comma"
    else:
        reason = "consistent"
    return DelimiterGuess(
        best.delimiter,
        round(confidence, 3),
        runner_up,
        best.header_line,
        best.fields,
        best.records,
        round(best.consistency, 3),
        reason,
    )


def _judge(sample: str, d: str, candidates: Sequence[str], complete: bool, max_records: int) -> _Split:
    if d not in sample:  # every record one value: no score, whatever the records (not parsed)
        return _Split(d, 0.0, 1, 0, 0, 0.0, 0.0, 0)
    records = _parse(sample, d, complete, max_records)
    records = [r for r in records if not (len(r.fields) == 1 and not r.fields[0].strip())]
    counts = [len(r.fields) for r in records]
    multi = [c for c in counts if c >= 2]
    if not multi:
        return _Split(d, 0.0, 1, 0, len(records), 0.0, 0.0, 0)
    tally = Counter(multi)
    k = max(tally, key=lambda c: (tally[c], c))
    start = _body_start(records, counts, k)
    body = _without_footer(records[start:], k)
    consistent = [r for r in body if len(r.fields) == k]
    consistency = len(consistent) / len(body)
    others = [c for c in candidates if c != d]
    # Most records hold no quote and no other candidate at all: one search of the record says so.
    odd = re.compile("|".join(re.escape(c) for c in [*others, '"']))
    cells = junk = explained = 0
    for r in consistent:
        cells += len(r.fields)
        if not odd.search("\n".join(r.fields)):
            continue
        for value, quoted in zip(r.fields, r.quoted, strict=True):
            if quoted:
                continue
            if '"' in value:  # a stray quote, or text after a closing one: split in the wrong place
                junk += 1
                continue
            if not any(o in value for o in others):
                continue
            if "," in value and (_DECIMAL_COMMA.match(value) or _THOUSANDS_COMMA.match(value)):
                if not any(o in value for o in others if o != ","):
                    explained += 1
                    continue
            junk += 1
    junk_share = junk / cells if cells else 0.0
    score = consistency * (1.0 - junk_share) ** 2 * (1.0 - 0.25 / k)
    return _Split(d, score, k, body[0].line, len(body), consistency, junk_share, explained)


def _without_footer(body: Sequence[_Record], k: int) -> Sequence[_Record]:
    """The body without the few lines of one value that end it ("Source : INSEE", a legend): a
    note under the table, as a title above it is skipped, says nothing about the delimiter; a short
    table's single note would otherwise make it look ragged."""
    end = len(body)
    while end > 0 and len(body[end - 1].fields) == 1 and len(body) - end < _FOOTER_LINES:
        end -= 1
    return body[:end] if end >= 2 and sum(1 for r in body[:end] if len(r.fields) == k) >= 2 else body


_FOOTER_LINES = 3


def _body_start(records: Sequence[_Record], counts: Sequence[int], k: int) -> int:
    """The first record of the body: ``k`` fields, not a padded title, followed by records like it."""
    n = len(records)
    for i in range(n):
        if counts[i] != k:
            continue
        filled = sum(1 for f in records[i].fields if f.strip())
        if filled < 2 and k > 2 and i + 1 < n:
            continue  # "Rapport annuel;;;" above the header
        window = counts[i + 1 : i + 6]
        if not window or sum(1 for c in window if c == k) * 2 >= len(window):
            return i
    return counts.index(k)


def _parse(text: str, d: str, complete: bool, max_records: int) -> list[_Record]:
    """Records as a lenient CSV reader sees them with delimiter ``d`` and quote ``"``."""
    unquoted = re.compile(f"[^{re.escape(d)}\r\n]*")
    records: list[_Record] = []
    pos = 0
    line = 0
    n = len(text)
    cut = False
    while pos < n and len(records) < max_records:
        start_line = line
        fields: list[str] = []
        quoted: list[bool] = []
        while True:
            if pos < n and text[pos] == '"':
                m = _QUOTED.match(text, pos)
                if m is None:  # unclosed quote: the rest of the sample
                    fields.append(text[pos + 1 :])
                    quoted.append(True)
                    pos = n
                    cut = True
                    break
                raw = m.group()
                line += raw.count("\n") + raw.count("\r") - raw.count("\r\n")
                value = raw[1:-1].replace('""', '"')
                pos = m.end()
                tail = unquoted.match(text, pos)
                assert tail is not None
                fields.append(value + tail.group())
                quoted.append(not tail.group())  # text after the closing quote: malformed
                pos = tail.end()
            else:
                m = unquoted.match(text, pos)
                assert m is not None
                fields.append(m.group())
                quoted.append(False)
                pos = m.end()
            if pos >= n:
                cut = cut or not complete
                break
            if text[pos] == d:
                pos += 1
                if pos >= n:
                    fields.append("")
                    quoted.append(False)
                    cut = not complete
                    break
                continue
            pos += 2 if text.startswith("\r\n", pos) else 1
            line += 1
            break
        records.append(_Record(start_line, tuple(fields), tuple(quoted)))
        if cut:
            break
    if cut and not complete and len(records) > 1:
        records.pop()  # the sample may end inside this record
    return records
