"""How often each non-ASCII letter occurs in the languages people write tables in (rough shares).

Latin-script languages list only their letters outside ASCII (share among those letters); Greek and
Cyrillic ones list every letter of their alphabet. Lowercase; the numbers are approximate
percentages from common letter-frequency tables: they need to be right in order of magnitude only,
to tell that a word of Czech read in cp1252 (``Dìèín`` for ``Děčín``) is no language's word.

A code page is judged by the languages it can *write* (``languages_of``): Turkish has ``ı``, but
nobody writes Turkish in Mac Roman or cp850, which lack ``ğ ş``; so a ``ı`` in their reading of a
file is a misread byte (``lıöle`` for ``l’île``), a letter none of their languages uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

_RAW: dict[str, str] = {
    "fr": "é52 è9 à12 ê6 ç3 ô2 â2 î1.5 û1 ù1 ï.5 ë.3 œ1 æ.05 ÿ.02",
    "de": "ü30 ä25 ö18 ß22 é1",
    "es": "á14 é20 í22 ó28 ú5 ñ10 ü.5",
    "pt": "ã22 á12 é12 í7 ó6 ú3 ç14 â5 ê7 ô3 õ5 à4",
    "it": "à25 è35 é5 ì10 ò12 ù13",
    "ca": "à20 è15 é20 í12 ï3 ò10 ó10 ú3 ü2 ç5",
    "nl": "ë50 é30 ï10 ö5 ü5 è3",
    "da": "æ30 ø40 å30 é2",
    "sv": "ä40 å30 ö30 é1",
    "fi": "ä70 ö30",
    "is": "á15 ð20 é4 í10 ó6 ú5 ý3 þ8 æ7 ö10",
    "et": "ä30 õ30 ö15 ü20 š3 ž2",
    "sq": "ë80 ç20",
    "cs": "á15 č8 ď1 é12 ě11 í20 ň1 ó.5 ř9 š7 ť1 ú1 ů3 ý9 ž7",
    "sk": "á22 ä1 č8 ď2 é6 í14 ĺ.5 ľ4 ň2 ó3 ô2 ŕ.3 š8 ť5 ú5 ý8 ž8",
    "pl": "ą12 ć6 ę15 ł22 ń3 ó10 ś9 ź1 ż10",
    "hu": "á20 é25 í3 ó6 ö8 ő8 ú2 ü4 ű2",
    "ro": "ă35 â8 î10 ș12 ş13 ț10 ţ10",
    "hr": "č30 ć15 đ5 š30 ž20",
    "tr": "ç10 ğ10 ı35 ö8 ş15 ü17 â1",
    "el": (
        "α12 ο9.8 ι8 ε8 τ8 σ4.2 ς2.5 ν6.5 η4 υ4 ρ4.5 π4 κ4 μ3.5 λ2.7 ω1.5 γ1.8 δ1.8 θ1.3 χ1.1 "
        "φ.8 β.8 ξ.4 ζ.3 ψ.15 ά1.8 έ1.5 ί1.7 ή1.3 ό1.7 ύ.6 ώ.6 ϊ.1 ϋ.05 ΐ.02 ΰ.02"
    ),
    "ru": (
        "о11 е8.5 а8 и7.4 н6.7 т6.3 с5.5 р4.7 в4.5 л4.4 к3.5 м3.2 д3 п2.8 у2.6 я2 ы1.9 ь1.7 г1.7 "
        "з1.6 б1.6 ч1.4 й1.2 х1 ж.9 ш.7 ю.6 ц.5 щ.4 э.3 ф.3 ъ.04 ё.04"
    ),
    "uk": (
        "о9.4 а8 н7.5 и6.2 і6 в5.3 р4.7 е4.8 т4.4 с4.1 к3.6 л3.7 у3.7 д3.2 м3.2 п2.9 я2.2 з2.1 ь1.7 "
        "г1.6 б1.6 ч1.2 х1.1 й1 ц1 ж.9 ш.8 ю.8 ї.7 є.4 щ.4 ф.2 ґ.01"
    ),
    "bg": (
        "а10.5 о8.6 е8.3 и8.2 н7.4 т7.1 р5.2 с4.8 в4.6 л3.5 к3.8 д3.2 п3 м2.9 ъ2.4 з2 у1.9 б1.5 "
        "я2 ч1.3 г1.6 ж.7 й.9 ц.9 ш.9 щ.6 х.8 ю.3 ф.2 ь.1"
    ),
    "sr": (
        "а11.5 и9.3 о9 е8.5 н5 р4.8 с4.8 т4.6 ј4.5 у4.3 к3.7 д3.5 в3.5 л3.3 п3.1 м3.1 з2 г1.8 б1.6 "
        "ч1.1 ш1 ћ1 ц.9 њ.6 ж.7 х.6 љ.5 ђ.3 ф.3 џ.05"
    ),
    "mk": (
        "а12 о9 е8.5 и8 н6 т5.5 р5 с4.5 в3.5 д3.5 к3.5 л3 п3 м3 з2 ј2 у2 б1.5 г1.5 ч1 ш.8 ц.7 "
        "ж.6 х.5 њ.5 ќ.4 ѓ.2 џ.1 ф.2 љ.3 ѕ.05"
    ),
    "be": (
        "а8 о6 н6.5 і7 е6 р5 с5 т4.5 л4 в3.5 к3.5 д3 м3 у3 п2.5 я2.5 ы3 з2 ц1.5 г1.5 б1.5 ч1.5 "
        "ь1.5 й1.5 ў1.5 х1 ж.8 ш.8 ю.5 э.3 ф.2 ё1"
    ),
}


def _parse(spec: str) -> dict[str, float]:
    shares = {item[0]: float(item[1:]) for item in spec.split()}
    total = sum(shares.values())
    return {letter: share / total for letter, share in shares.items()}


LANGUAGES: dict[str, dict[str, float]] = {name: _parse(spec) for name, spec in _RAW.items()}
FLOOR = 1e-4  # the probability of a letter a language does not use
ALL_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)
# A code page writes a language when it encodes this share of the language's letter occurrences:
# French in ISO-8859-1 (no ``œ``) and Estonian (no ``š ž``) yes, Spanish in cp1250 (no ``ñ``) no.
WRITABLE_SHARE = 0.94
# Romanian was written with the cedilla forms (``ş ţ``) before Unicode told them from the comma
# forms (``ș ț``); the legacy code pages of Central Europe have the cedilla ones only.
_LEGACY_FORM = {"ș": "ş", "ț": "ţ"}


@lru_cache(maxsize=256)
def languages_of(encodings: tuple[str, ...]) -> tuple[str, ...]:
    """The languages that one of these code pages can write; every language for a code page of none.

    A reading that several code pages share is explained by the languages of any of them.
    """
    found = [
        name
        for name, table in LANGUAGES.items()
        if any(_share_encoded(table, encoding) >= WRITABLE_SHARE for encoding in encodings)
    ]
    return tuple(found) if found else ALL_LANGUAGES


def _share_encoded(table: dict[str, float], encoding: str) -> float:
    share = 0.0
    for letter, p in table.items():
        try:
            _LEGACY_FORM.get(letter, letter).encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        share += p
    return share


@lru_cache(maxsize=256)
def letters_of(languages: tuple[str, ...]) -> frozenset[str]:
    """The non-ASCII letters (lowercase) that these languages use."""
    return frozenset(letter for name in languages for letter in LANGUAGES[name])


# A letter's probability is compared with the uniform one over its language's letters: otherwise a
# Greek word (37 letters to choose from) would always look less likely than the accented letters of
# a Latin misreading (10 to choose from), and Polish ``ę`` (one of 9) likelier than French ``ê``.
_TYPICAL = {name: 1.0 / len(table) for name, table in LANGUAGES.items()}


EM_ROUNDS = 20
EM_TOLERANCE = 1e-3  # the shares have settled
LANGUAGE_PSEUDO_WORDS = 0.05  # prior weight (in words) of each language in a table's mixture


@lru_cache(maxsize=65536)
def _language_log_odds(letters: str, language: str) -> float:
    table = LANGUAGES[language]
    log_typical = math.log(_TYPICAL[language])
    return sum(math.log(table.get(c, FLOOR)) - log_typical for c in letters)


def table_log_odds(words: Mapping[str, float], languages: tuple[str, ...]) -> dict[str, float]:
    """log-odds of each word's letters under the table's own mixture of ``languages``.

    ``words`` maps each word's non-ASCII letters (lowercase) to its weight in the table. A table is
    written in one language or a few, so the mixture's shares are fitted to the whole table (by
    expectation-maximisation): a word in the table's language is likely, one that needs a language
    no other word uses pays for it. The French ``près, forêt, à`` read in cp1250 (``prčs, foręt, ŕ``)
    are each some language's word, but Czech, Polish and Slovak ones in a table otherwise read as
    French (``région, Besançon``), which costs them what the table's shares of those languages say.
    A word's letters are explained together, in one language: ``Děčín`` is Czech (``ě č í``) while
    ``Dìèín`` (the same bytes in cp1252) is no language's word. With one word in the table, this is
    its best language. ``languages`` are the ones the reading's code page writes (``languages_of``).
    """
    # each word's likelihood ratios, relative to its best language (no overflow, no underflow)
    tops: dict[str, float] = {}
    likes: list[tuple[float, list[float]]] = []
    for w, weight in words.items():
        if w and weight > 0:
            row = [_language_log_odds(w, lang) for lang in languages]
            top = tops[w] = max(row)
            likes.append((weight, [math.exp(x - top) for x in row]))
    if not likes:
        return {}
    k = len(languages)
    shares = [1.0 / k] * k
    for _ in range(EM_ROUNDS):
        counts = [LANGUAGE_PSEUDO_WORDS] * k
        for weight, like in likes:
            joint = [x * y for x, y in zip(like, shares, strict=True)]
            scale = weight / sum(joint)
            counts = [c + j * scale for c, j in zip(counts, joint, strict=True)]
        total = sum(counts)
        new_shares = [c / total for c in counts]
        moved = max(abs(x - y) for x, y in zip(new_shares, shares, strict=True))
        shares = new_shares
        if moved < EM_TOLERANCE:
            break
    out: dict[str, float] = {}
    for w, top in tops.items():
        row = [_language_log_odds(w, lang) for lang in languages]
        out[w] = top + math.log(sum(math.exp(x - top) * y for x, y in zip(row, shares, strict=True)))
    return out


@lru_cache(maxsize=65536)
def one_language_writes(letters: str, languages: tuple[str, ...]) -> bool:
    """Does one of ``languages`` use every one of these letters (a word's non-ASCII letters,
    lowercase)? A word is written in one language: ``intéręt`` (French ``intérêt`` read in cp1250:
    Czech ``é``, Polish ``ę``) is nobody's word, ``Dìèín`` (Czech ``Děčín`` read in cp1252) neither."""
    wanted = set(letters)
    return any(wanted <= LANGUAGES[name].keys() for name in languages)
