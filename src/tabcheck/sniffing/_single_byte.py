"""Ranking single-byte code pages from a byte histogram and a sample of tokens.

1. A code page that leaves a present byte undefined is out.
2. Code pages that decode every present byte alike give the same text: one *class*, named by the
   most used of them (the order of the candidates), the others reported as equivalent.
3. Each class reads the tokens; ``score_token`` judges each reading in context (a letter that none
   of the languages the class's code pages write uses is a misread byte), and the letters of each
   word are scored together in one language, the table's languages weighed by how much of the
   table each explains (``_letters.table_log_odds``).
4. The best class (the one whose worst pairwise duel is best) against each other one: the score
   difference over the tokens whose text differs, times the square root of their number (more
   differing words, more evidence); the letters' verdict, worth little until enough words differ;
   a bonus for reading no control character where the rival reads one; a small prior for the more
   used code page. The logistic of that, combined over the rivals, is the confidence: about 0.5
   when two readings are equally plausible, near 1 when the rivals read as nonsense; a handful of
   differing words that only the letters or the prior tell apart stays below 0.6.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tabcheck.sniffing._letters import languages_of, letters_of, table_log_odds
from tabcheck.sniffing._plausibility import score_token, word_letters

# How much more often each code page is met in research tables (a prior, kept weak on purpose).
PRIOR: dict[str, float] = {
    "cp1252": 1.0,
    "iso8859-1": 0.5,
    "iso8859-15": 0.4,
    "cp1250": 0.5,
    "iso8859-2": 0.25,
    "mac-roman": 0.25,
    "cp850": 0.25,
    "cp1251": 0.5,
    "cp1253": 0.4,
    "iso8859-7": 0.2,
}
BETA = 1.6  # logistic slope per unit of mean score difference and sqrt(evidence)
EVIDENCE_CAP = 400
PRIOR_SLOPE = 0.2  # a tie stays a tie: about 0.54 from the prior alone
GAMMA = 0.1  # weight of the letters' log-likelihood ratio (the language tables are rough)
LETTER_EVIDENCE_CAP = 60  # differing words beyond this add no letter evidence
LETTER_CLIP = 2.0  # one word's letters can say this much at most (log-odds)
LETTER_PSEUDO_WORDS = 4.0  # differing words at which the letters' verdict counts half
CONTROL_LOG_ODDS = 1.5  # a word read with a control character, against a reading without
CONTROL_CAP = 6.0


@dataclass(frozen=True)
class ClassResult:
    encoding: str
    equivalent: tuple[str, ...]
    mean: float  # mean token score, -1..1
    probability: float


@dataclass(frozen=True)
class Ranking:
    classes: tuple[ClassResult, ...]  # best first
    disqualified: tuple[str, ...]

    @property
    def best(self) -> ClassResult | None:
        return self.classes[0] if self.classes else None


def _has_control(text: str) -> bool:
    """Does a decoded token hold a control character (C0 or C1; a token has no tab nor newline)?"""
    return any(c < " " or "\x7f" <= c <= "\x9f" for c in text)


def decodes(encoding: str, values: Sequence[int]) -> bool:
    try:
        bytes(values).decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def rank(hist: Mapping[int, int], tokens: Mapping[bytes, int], candidates: Sequence[str]) -> Ranking:
    present = sorted(b for b, n in hist.items() if n > 0 and b >= 0x80)
    alive = [c for c in candidates if decodes(c, present)]
    disqualified = tuple(c for c in candidates if c not in alive)
    groups: dict[str, list[str]] = {}
    for c in alive:
        groups.setdefault(bytes(present).decode(c), []).append(c)
    if not groups:
        return Ranking((), disqualified)
    readings = [_Reading(members, tokens) for members in groups.values()]
    k = len(readings)
    z = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            z[i][j] = _z(readings[i], readings[j], tokens)
            z[j][i] = -z[i][j]
    # The reading whose worst duel is the best (it beats every other one when some reading does).
    best = max(range(k), key=lambda i: (min((z[i][j] for j in range(k) if j != i), default=0.0), sum(z[i])))
    odds = {j: math.exp(-min(max(z[best][j], -50.0), 50.0)) for j in range(k)}
    norm = sum(odds.values())
    order = sorted(range(k), key=lambda j: (j != best, -odds[j]))
    classes = tuple(
        ClassResult(readings[j].members[0], tuple(readings[j].members[1:]), readings[j].mean, odds[j] / norm)
        for j in order
    )
    return Ranking(classes, disqualified)


class _Reading:
    """The tokens as one code page reads them, and how plausible each reading is.

    Letters are judged against the languages one of the class's code pages writes.
    """

    def __init__(self, members: list[str], tokens: Mapping[bytes, int]) -> None:
        self.members = members
        encoding = members[0]
        self.languages = languages_of(tuple(members))
        letters = letters_of(self.languages)
        self.decoded = {t: t.decode(encoding, errors="replace") for t in tokens}
        self.scores = {t: score_token(self.decoded[t], letters, self.languages) for t in tokens}
        self.controls = {t: _has_control(self.decoded[t]) for t in tokens}
        words = {t: word_letters(self.decoded[t]) for t in tokens}
        weights: dict[str, float] = {}
        for t, n in tokens.items():
            if n > 0:
                weights[words[t]] = weights.get(words[t], 0.0) + 1.0 + 0.2 * math.log(n)
        odds = table_log_odds(weights, self.languages)
        self.letter_odds = {t: odds.get(words[t], 0.0) for t in tokens}
        total = sum(tokens.values()) or 1
        self.mean = sum(self.scores[t] * n for t, n in tokens.items()) / total


def _z(a: _Reading, b: _Reading, tokens: Mapping[bytes, int]) -> float:
    """Log-odds of reading ``a`` against ``b``: context, letters, control characters, prior.

    A word repeated a thousand times is one piece of evidence a little surer, not a thousand:
    each differing word weighs 1 + 0.2 ln(occurrences). The letter tables are rough and the same
    misread byte recurs from word to word (``Gießen, Straße`` or ``Gieáen, Straáe``: one question,
    asked twice), so their verdict counts fully only once enough words differ: with n differing
    words it is scaled by n / (n + LETTER_PSEUDO_WORDS). Control characters (ISO-8859-1's reading
    of Windows-1252's ``’ € œ``) are nearly never typed: each word that has them in one reading
    only adds CONTROL_LOG_ODDS against that reading, up to CONTROL_CAP.
    """
    z = PRIOR_SLOPE * math.log(PRIOR.get(a.members[0], 0.2) / PRIOR.get(b.members[0], 0.2))
    weights = {
        t: 1.0 + 0.2 * math.log(n) for t, n in tokens.items() if n > 0 and a.decoded[t] != b.decoded[t]
    }
    differing = sum(weights.values())
    if not differing:
        return z
    context = sum((a.scores[t] - b.scores[t]) * w for t, w in weights.items())
    letters = sum(
        max(
            -LETTER_CLIP,
            min(
                LETTER_CLIP,
                a.letter_odds[t] - b.letter_odds[t],
            ),
        )
        * w
        for t, w in weights.items()
    )
    controls = sum((b.controls[t] - a.controls[t]) * w for t, w in weights.items())
    d = max(-2.0, min(2.0, context / differing))
    z += BETA * d * math.sqrt(min(differing, EVIDENCE_CAP))
    shrink = differing / (differing + LETTER_PSEUDO_WORDS)
    z += GAMMA * letters * min(1.0, LETTER_EVIDENCE_CAP / differing) * shrink
    z += max(-CONTROL_CAP, min(CONTROL_CAP, CONTROL_LOG_ODDS * controls))
    return z
