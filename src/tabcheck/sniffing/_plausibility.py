"""How plausible a decoded word is: the judge between single-byte code pages.

A *token* is a run of letters and non-ASCII bytes (``caf\\xe9``, ``\\xab``, ``Stra\\xdfe``): the
smallest context in which a code page's reading can be judged. Each non-ASCII character of the
decoded token gets a score in [-1, 1], and the token the score of its worst character:

- a letter is implausible next to a letter of another script (``cafι``, ``cafй``), in a word whose
  case is mixed (``cafÈ``, ``cafŽ``: Mac Roman or cp1252 misread), or in a Latin word of three or
  more letters nearly all accented (Greek or Cyrillic read as Latin: ``áèÞíá``), or when none of
  the languages the code page writes uses it (``ı`` in a Mac Roman or cp850 reading: ``lıöle``),
  or against a spelling rule (Polish ``ń ś ź`` never stand before a vowel: ``mańana``; ``ç``
  follows a vowel, ``l``, ``n`` or ``r``: ``estç``); otherwise it is fine here, and ``_letters``
  judges which language's word it could be;
- a symbol inside a word (``c½ur``, ``‚``, ``¹``) is implausible unless it is an apostrophe or the
  like joining Latin letters (``l’île``; not ``ΗΡ’ΚΛΕΙΟ``, Greek ``Ά`` read in ISO-8859-7); a
  symbol attached to a word where it never is (``¶ργος``) nearly so; standing alone it scores by
  how common it is in tables (``€`` yes, ``¤`` hardly ever);
- a control character (ISO-8859-1's reading of Windows-1252's ``’ € œ``) is implausible (-1), and
  ``_single_byte`` counts it against its reading once more: nobody types one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tabcheck.sniffing._letters import one_language_writes


@dataclass(frozen=True)
class CharInfo:
    kind: str  # letter, symbol, control
    script: str  # latin, greek, cyrillic, other ('' for symbols)
    case: str  # u, l or '' (caseless)
    lower: str
    weight: float  # symbols: how common in tables (0..1)
    left_ok: bool  # a symbol may follow a letter directly
    right_ok: bool  # a symbol may precede a letter directly
    inword_ok: bool  # a symbol may stand between two letters


# symbol: (weight, may follow a letter, may precede a letter, may stand inside a word)
_SYMBOLS: dict[str, tuple[float, bool, bool, bool]] = {
    "’": (0.9, True, False, True),
    "‘": (0.6, False, True, False),
    "“": (0.7, False, True, False),
    "”": (0.7, True, False, False),
    "„": (0.6, False, True, False),
    "‚": (0.1, False, True, False),
    "«": (0.8, False, True, False),
    "»": (0.8, True, False, False),
    "‹": (0.1, False, True, False),
    "›": (0.1, True, False, False),
    "´": (0.2, True, False, True),
    "`": (0.2, True, False, True),
    "–": (0.7, True, True, True),
    "—": (0.6, True, True, False),
    "…": (0.6, True, False, False),
    "°": (0.9, True, True, False),
    "€": (0.95, False, False, False),
    "£": (0.6, False, False, False),
    "¥": (0.3, False, False, False),
    "¢": (0.2, False, False, False),
    "²": (0.6, True, False, False),
    "³": (0.5, True, False, False),
    "¹": (0.1, True, False, False),
    "½": (0.3, False, False, False),
    "¼": (0.2, False, False, False),
    "¾": (0.2, False, False, False),
    "µ": (0.6, False, True, False),
    "ª": (0.4, True, False, False),
    "º": (0.5, True, False, False),
    "§": (0.4, False, False, False),
    "©": (0.3, False, False, False),
    "®": (0.3, True, False, False),
    "™": (0.3, True, False, False),
    "±": (0.5, False, False, False),
    "×": (0.4, False, False, False),
    "÷": (0.2, False, False, False),
    "·": (0.4, True, True, True),
    "•": (0.3, False, False, False),
    "¿": (0.7, False, True, False),
    "¡": (0.6, False, True, False),
    "\xa0": (0.7, True, True, True),
    "\xad": (0.2, True, True, True),
    "‰": (0.2, False, False, False),
    "†": (0.1, True, False, False),
    "¬": (0.05, False, False, False),
    "¦": (0.02, False, False, False),
    "¨": (0.02, False, False, False),
    "¯": (0.02, False, False, False),
    "¸": (0.02, False, False, False),
    "¶": (0.05, False, False, False),
    "¤": (0.02, False, False, False),
    "‡": (0.02, False, False, False),
    "ˆ": (0.02, False, False, False),
    "˜": (0.02, False, False, False),
    "΄": (0.05, False, False, False),
    "΅": (0.02, False, False, False),
    "ˇ": (0.02, False, False, False),
    "˘": (0.02, False, False, False),
    "˛": (0.02, False, False, False),
    "˙": (0.02, False, False, False),
    "˝": (0.02, False, False, False),
}

# one-letter words: how plausible alone
_SINGLE = {
    "à": 1.0,
    "À": 0.7,
    "é": 0.5,
    "É": 0.4,
    "ó": 0.5,
    "è": 0.3,
    "ò": 0.3,
    "å": 0.5,
    "ø": 0.3,
    "ö": 0.2,
    "ä": 0.1,
    "á": 0.2,
    "í": 0.1,
    "ú": 0.1,
    "ü": 0.05,
    "ß": 0.1,
}
for _c in "вискуяаоіжзй":
    _SINGLE[_c] = 1.0 if _c not in "жзй" else 0.4
    _SINGLE[_c.upper()] = 0.7 if _c not in "жзй" else 0.3
for _c in "οηήαω":
    _SINGLE[_c] = 1.0 if _c in "οηή" else 0.4
    _SINGLE[_c.upper()] = 0.6


# Units written after the micro sign (µg, µL, µmol, µS), and what code pages that do not have it
# read its byte 0xB5 as: ISO-8859-2's ``ľ``, cp850's ``Á`` (no word is such a letter and a unit).
_MICRO_UNITS = frozenset(
    "g m l L M S A V W J K F T U mol Hz Pa Ci Gy Sv eq Eq IU Gal Da kat".split()  # noqa: SIM905 - a list of words
)
_MICRO_MISREAD = frozenset("ľÁ")
_NO_VOWEL_AFTER = frozenset("ńśź")
_DIGIT_GROUPING = frozenset("\xa0\u202f\u2009’·")  # between digits: thousands (or decimals)
# French ``è ê à ù`` read in a Central European code page (cp1250, ISO-8859-2) become ``č ę ŕ ů``,
# which no Czech, Slovak, Polish or Croatian word writes where French has them: ``č`` before the
# endings of ``Problème, Genève, siècle, Bibliothèque, prélèvement`` or a final ``s`` (``très``; Czech ``čte``,
# ``začne`` and Croatian ``točke, dječje`` keep ``č`` before ``t n k j`` + ``e``: those stay open), ``ę``
# starting a word (``ętre``), ``ŕ`` (a syllabic ``r``: between consonants) ending a word or before
# a vowel (``voilŕ``), ``ů`` after a vowel (``oů``); and û read as Hungarian ``ű`` after a vowel
# (``aoűt``, ``goűt``).
_FRENCH_ENDING_AFTER_C_CARON = re.compile(
    r"(?:(?:[bcdfgptv][rl]|ch|qu|[bcdfghlmpqrsvwxz])e(?:s|nt|ments?)?|s)$"
)
_VOWELS = frozenset("aeiouyąęóéáíú")
# ``ç`` follows a vowel or l, n, r (``garçon``, ``Besançon``, ``dolç``), or starts a word (``çka``)
_BEFORE_C_CEDILLA = frozenset("aeiouyàáâãäåèéêëìíîïòóôõöùúûülnr")


@lru_cache(maxsize=4096)
def char_info(c: str) -> CharInfo:
    if c in _SYMBOLS:
        w, left, right, inword = _SYMBOLS[c]
        return CharInfo("symbol", "", "", c, w, left, right, inword)
    category = unicodedata.category(c)
    if category == "Cc" or category in ("Cn", "Co", "Cs"):
        return CharInfo("control", "", "", c, 0.0, False, False, False)
    if category in ("Ll", "Lu", "Lt", "Lo"):
        name = unicodedata.name(c, "")
        script = name.split(" ", 1)[0].lower() if name else "other"
        if script not in ("latin", "greek", "cyrillic"):
            script = "other"
        case = "u" if category in ("Lu", "Lt") else "l" if category == "Ll" and c != "ß" else ""
        return CharInfo("letter", script, case, c.lower(), 0.0, True, True, True)
    if category == "Zs":
        return CharInfo("symbol", "", "", c, 0.5, True, True, True)
    return CharInfo("symbol", "", "", c, 0.05, False, False, False)


def _is_letter(c: str) -> bool:
    if c.isascii():
        return c.isalpha()
    return char_info(c).kind == "letter"


def _script(c: str) -> str:
    return "latin" if c.isascii() else char_info(c).script


def _symbol_score(w: float) -> float:
    return -0.5 + 1.5 * w


def score_token(
    text: str, letters: frozenset[str] | None = None, languages: tuple[str, ...] | None = None
) -> float:
    """How plausible a decoded token is in context: its worst non-ASCII character's score.

    In [-1, 1]; 0.0 for a token without non-ASCII characters. One misplaced character makes a word
    implausible however long it is (``ΙΩ¶ΝΝΙΝΑ``). ``letters`` are the non-ASCII letters (lowercase)
    of the languages the reading's code page writes (``_letters.letters_of``): any other letter is a
    misread byte. None accepts every letter (a UTF-8 text may be in any language). ``languages``
    (the same code page's, ``_letters.languages_of``): a word whose non-ASCII letters no one of them
    uses together is a misreading too (``intéręt``: Czech ``é`` and Polish ``ę``).
    """
    if len(text) > 1 and text[1:] in _MICRO_UNITS:
        if text[0] == "µ":
            return 1.0  # a unit of lab tables: µg, µmol, µS
        if text[0] in _MICRO_MISREAD:
            return -0.7  # the micro sign's byte read as a letter: ľg, Ág
    segments_ok = _segments_ok(text)
    worst = 1.0 if languages is None or _one_language_per_word(text, languages) else -0.7
    seen = False
    single = len(text) == 1
    for i, c in enumerate(text):
        if c.isascii():
            continue
        seen = True
        info = char_info(c)
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev_letter = bool(prev) and _is_letter(prev)
        next_letter = bool(nxt) and _is_letter(nxt)
        between_digits = prev.isdigit() and nxt.isdigit()
        if info.kind == "control":
            score = -1.0
        elif between_digits:
            # 1 234 567 grouped by a no-break space (or 1’234, 1.5 with a middle dot): a number; a
            # letter inside a number is a misread byte (1á234: cp850's reading of the space)
            score = (
                1.0 if c in _DIGIT_GROUPING else -1.0 if info.kind == "letter" else _symbol_score(info.weight)
            )
        elif info.kind == "letter":
            foreign = (prev_letter and _script(prev) != info.script) or (
                next_letter and _script(nxt) != info.script
            )
            if foreign or not segments_ok.get(i, True):
                score = -1.0
            elif letters is not None and info.lower not in letters:
                score = -1.0  # no language of the code page writes it: a misread byte
            elif info.lower in _NO_VOWEL_AFTER and nxt.lower() in _VOWELS:
                score = -0.5  # Polish writes "si", "ni", "zi" before a vowel: "mańana" is no word
            elif info.lower == "ç" and prev_letter and prev.lower() not in _BEFORE_C_CEDILLA:
                score = -0.7  # "estç", "kç": no language writes it after such a consonant
            elif _misplaced_central(c, prev.lower(), text[i + 1 :].lower()):
                score = -0.7  # "Problčme", "trčs", "ętre", "voilŕ", "oů": French read in cp1250
            elif single:
                score = -0.5 + 1.5 * _SINGLE.get(c, 0.0)
            else:
                score = 1.0
        elif prev_letter and next_letter and not info.inword_ok:
            score = -1.0  # c½ur
        elif prev_letter and next_letter and _script(prev) == _script(nxt) == "latin":
            score = _symbol_score(info.weight)  # elision joins Latin words: l’île, dell’arte, O’Brien
        elif (prev_letter and not info.left_ok) or (next_letter and not info.right_ok):
            score = -0.7
        else:
            score = _symbol_score(info.weight)
        worst = min(worst, score)
    return worst if seen else 0.0


def _misplaced_central(c: str, prev: str, after: str) -> bool:
    """Is this Central European letter where those languages never write it (see
    ``_FRENCH_ENDING_AFTER_C_CARON``)? ``prev``: the character before it, lowercased ('' at the
    token's start); ``after``: the rest of the token, lowercased."""
    inside = bool(prev) and _is_letter(prev)
    if c == "č":
        return inside and _FRENCH_ENDING_AFTER_C_CARON.match(after) is not None
    if c == "ę":
        return not inside
    if c == "ŕ":
        return inside and (not after or after[0] in _VOWELS)
    if c in "ůű":
        return prev in _VOWELS
    return False


def _one_language_per_word(text: str, languages: tuple[str, ...]) -> bool:
    """Is each word of the token (letters between symbols) written with one language's letters?"""
    word: list[str] = []
    for c in text + " ":
        if _is_letter(c):
            if not c.isascii():
                word.append(char_info(c).lower)
            continue
        if len(set(word)) > 1 and not one_language_writes("".join(sorted(set(word))), languages):
            return False
        word = []
    return True


def word_letters(text: str) -> str:
    """The non-ASCII letters of a decoded token, lowercased, in order."""
    out = []
    for c in text:
        if not c.isascii():
            info = char_info(c)
            if info.kind == "letter":
                out.append(info.lower)
    return "".join(out)


def _segments_ok(text: str) -> dict[int, bool]:
    """For each letter position: does its word (letters between symbols) have a plausible shape?

    Plausible: all lowercase, all uppercase, or capitalised (``ß`` is caseless: ``STRAßE``); and a
    Latin word of three or more letters is not (nearly) all non-ASCII.
    """
    result: dict[int, bool] = {}
    start = 0
    n = len(text)
    while start < n:
        while start < n and not _is_letter(text[start]):
            start += 1
        end = start
        while end < n and _is_letter(text[end]):
            end += 1
        if end > start:
            ok = _shape_ok(text[start:end])
            for i in range(start, end):
                result[i] = ok
        start = end
    return result


def _shape_ok(word: str) -> bool:
    cases = []
    high = 0
    latin = True
    for c in word:
        if c.isascii():
            cases.append("u" if c.isupper() else "l")
            continue
        high += 1
        info = char_info(c)
        if info.script != "latin":
            latin = False
        if info.case:
            cases.append(info.case)
    if latin and len(word) >= 3 and high > 0.8 * len(word):
        return False
    if not cases:
        return True
    rest = cases[1:]
    return all(x == "l" for x in rest) or all(x == "u" for x in cases)
