"""French as a French data steward writes it: plurals that agree, row and line kept apart, French
typography (no-break spaces, « guillemets »), severities and effects in words of the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tabcheck import api
from tabcheck.cli import app
from tabcheck.docs import HEADINGS, rule_page
from tabcheck.i18n import UI, t
from tabcheck.messages import (
    _DELIMITER_NAMES,
    DelimiterName,
    Quoted,
    Rename,
    Words,
    fill,
    is_singular,
    plain,
    plural_forms,
)
from tabcheck.model import Effect, Severity
from tabcheck.plugins import all_rules
from tabcheck.report import RenderOptions, render
from tabcheck.report.html import HTML_TEXT
from tabcheck.rule import rule

NB, NNB = "\u00a0", "\u202f"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"

# -- the plural mechanism --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "count,en,fr",
    [
        (0, "0 rows", "0 ligne"),
        (1, "1 row", "1 ligne"),
        (2, "2 rows", "2 lignes"),
        (10000, "10,000 rows", f"10{NNB}000 lignes"),
    ],
)
def test_plural_agrees_with_the_count_in_each_language(count, en, fr):
    assert fill("{count} {count:plural:row|rows}", {"count": count}, "en") == en
    assert fill("{count} {count:plural:ligne|lignes}", {"count": count}, "fr") == fr


@pytest.mark.parametrize(
    "count,fr",
    [
        (0, "0 ligne sans aucune valeur retirée"),
        (1, "1 ligne sans aucune valeur retirée"),
        (2, "2 lignes sans aucune valeur retirées"),
        (10000, f"10{NNB}000 lignes sans aucune valeur retirées"),
    ],
)
def test_interface_strings_use_the_same_plurals(count, fr):
    assert t("fr", "fix.blank", count=count) == fr
    assert (
        t("en", "fix.blank", count=count)
        == f"{count:,} {'line' if count == 1 else 'lines'} without any value removed"
    )


@pytest.mark.parametrize(
    "rows,cells,fr",
    [
        (1, 1, "1 ligne, 1 cellule égale"),
        (1, 3, "1 ligne, 3 cellules égales"),
        (3, 6, "3 lignes, 6 cellules égales"),
    ],
)
def test_the_verified_cells_agree_with_their_count(rows, cells, fr):
    # "égale(s)" agrees with the cells' count too, not only the noun (a one-cell sheet said "égales").
    assert t("fr", "fix.verified", rows=rows, cells=cells) == (
        f"vérifié{NB}: {fr} à la source après les changements ci-dessus"
    )


def test_plural_rules():
    assert [is_singular(n, "en") for n in (0, 1, 2, 1.5, -1)] == [False, True, False, False, True]
    assert [is_singular(n, "fr") for n in (0, 1, 2, 1.5, -1)] == [True, True, False, True, True]
    # a list agrees with its length: "(row 3)", "(rows 3, 5)"
    assert fill("({rows:plural:row|rows} {rows})", {"rows": [3]}, "en") == "(row 3)"
    assert fill("({rows:plural:ligne|lignes} {rows})", {"rows": [3, 5]}, "fr") == "(lignes 3, 5)"
    assert fill("{n}", {"n": 1.5}, "fr") == "1,5"


def test_a_form_may_hold_fields_and_may_be_empty():
    template = "row {row} has {found}{count:plural:| (rows {rows})}."
    assert fill(template, {"row": 3, "found": 2, "count": 1, "rows": [3]}, "en") == "row 3 has 2."
    assert (
        fill(template, {"row": 3, "found": 2, "count": 2, "rows": [3, 5]}, "en") == "row 3 has 2 (rows 3, 5)."
    )
    assert plural_forms(template) == [("count", "| (rows {rows})")]


def test_missing_params_stay_visible_and_other_format_specs_still_work():
    assert fill("{a} {b:plural:x|y} {c:>4}|", {"c": 7}, "en") == "{a} {b:plural:x|y}    7|"


@pytest.mark.parametrize("forms", ["row", "row|rows|rowses"])
def test_a_plural_needs_exactly_two_forms(forms):
    with pytest.raises(ValueError, match="two forms"):
        rule(
            code="TC999",
            name="bad-plural",
            severity="info",
            effect="advice",
            summary={"en": "x", "fr": "x"},
            rationale={"en": "x", "fr": "x"},
            how_to_fix={"en": "x", "fr": "x"},
            messages={"en": "{count} {count:plural:" + forms + "}", "fr": "{count}"},
        )


def test_names_are_quoted_in_each_language_and_json_keeps_the_english_text():
    dropped = [Quoted("Notes"), Quoted("Secret", Words("(hidden)", "(masquée)"))]
    assert fill("{d}", {"d": dropped}, "en") == '"Notes", "Secret" (hidden)'
    assert fill("{d}", {"d": dropped}, "fr") == f"«{NB}Notes{NB}», «{NB}Secret{NB}» (masquée)"
    assert fill("{r}", {"r": [Rename("a b", "ab")]}, "fr") == f"«{NB}a b{NB}» → «{NB}ab{NB}»"
    assert plain(dropped) == ['"Notes"', '"Secret" (hidden)']


# -- every text, as the user reads it ----------------------------------------------------------------


class _Dummy(dict):
    """Params for any template: every count `n`, rows and lines as markers (to see their words)."""

    def __init__(self, n: int):
        super().__init__()
        self.n = n

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str):
        if key in ("line", "lines"):
            return ["⟨L⟩"] * self.n
        if key in ("row", "rows", "header_row"):
            return ["⟨R⟩"] * self.n
        return self.n


def _renderings(template: str, lang: str) -> list[str]:
    """The template as shown with singular and with plural counts."""
    return [fill(template, _Dummy(n), lang) for n in (1, 2)]


def _rule_texts(lang: str):
    for r in all_rules().values():
        for field in ("summary", "rationale", "how_to_fix"):
            yield f"{r.code} {field}", getattr(r, field)[lang]
        for variant, texts in r.messages.items():
            for text in _renderings(texts[lang], lang):
                yield f"{r.code} {variant}", text


def _ui_texts(lang: str):
    for key, text in UI[lang].items():
        for shown in _renderings(text, lang):
            yield f"UI {key}", shown
    for key, text in HTML_TEXT[lang].items():
        yield f"HTML {key}", text
    for text in HEADINGS[lang]:
        yield "docs heading", text


def _french_words():
    yield from ((f"delimiter {d!r}", fr) for d, (_en, fr) in _DELIMITER_NAMES.items())
    yield from ((f"delimiter {d!r}", fill("{d}", {"d": DelimiterName(d)}, "fr")) for d in _DELIMITER_NAMES)


def all_texts(lang: str) -> list[tuple[str, str]]:
    texts = [*_rule_texts(lang), *_ui_texts(lang)]
    if lang == "fr":
        texts.extend(_french_words())
    return texts


LEFTOVERS = re.compile(r"\w\((s|e|es|x)\)|\(s\)|\b(la|le|les)\s*/\s*(la|le|les)\b|\bla ou les\b", re.I)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_s_in_parentheses_left(lang):
    found = [(where, text) for where, text in all_texts(lang) if LEFTOVERS.search(text)]
    assert found == []


def _prose(text: str) -> str:
    """The text without what is not French prose: `code`, URLs."""
    text = re.sub(r"`[^`]*`", "`…`", text)
    return re.sub(r"https?://\S+", "URL", text)


def typography_problems(text: str) -> list[str]:
    """What breaks French typography in `text` (its code spans and URLs aside)."""
    prose = _prose(text)
    problems = []
    for m in re.finditer(r"[:;!?]", prose):
        mark, before = m.group(), prose[m.start() - 1] if m.start() else ""
        after = prose[m.end()] if m.end() < len(prose) else " "
        if before == " ":
            problems.append(f"a normal space before {mark!r}")
        elif before not in (NB, NNB) and not after.isalnum() and after not in "/\\,.)":
            # "10:00", "hh:mm", "A1:B2", "#DIV/0!," and "rId1:x" are no punctuation
            problems.append(
                f"no no-break space before {mark!r}: …{prose[max(0, m.start() - 15) : m.end() + 5]}…"
            )
    if re.search(r"[“”]", prose):
        problems.append("English quotes “…”")
    if '"' in prose:
        problems.append('straight quotes "…"')
    depth = 0
    for i, ch in enumerate(prose):
        if ch == "«":
            depth += 1
            if depth > 1 or prose[i + 1 : i + 2] not in (NB, NNB):
                problems.append(f"« not followed by a no-break space: {prose[i : i + 15]}")
        elif ch == "»":
            depth -= 1
            if depth < 0 or prose[i - 1 : i] not in (NB, NNB):
                problems.append(f"» not preceded by a no-break space: {prose[max(0, i - 15) : i + 1]}")
    if depth:
        problems.append("unbalanced guillemets")
    return problems


def test_typography_checker_catches_the_usual_mistakes():
    assert typography_problems("Colonne 2 : vide") == ["a normal space before ':'"]
    assert typography_problems("Colonne 2: vide")[0].startswith("no no-break space before ':'")
    assert typography_problems("vide ; plein") == ["a normal space before ';'"]
    assert typography_problems("la feuille « Data »") != []
    assert typography_problems(f"la feuille «{NB}Data") == ["unbalanced guillemets"]
    assert typography_problems('la feuille "Data"') == ['straight quotes "…"']
    assert typography_problems("la feuille “Data”") == ["English quotes “…”"]
    ok = f"`:TabularIngestSizeLimit` à 10:00, A1:B2, #DIV/0!, https://x.org{NB}: «{NB}x{NB}»{NNB}; oui{NNB}?"
    assert typography_problems(ok) == []


def test_french_typography_everywhere():
    found = [(where, text, p) for where, text in all_texts("fr") for p in typography_problems(text)]
    assert found == []


def test_french_messages_on_the_fixtures_are_typeset():
    """The messages as a run renders them (user data inside « » aside)."""
    run = api.check([FIXTURES], lang="fr")
    found = []
    for r in run.files:
        for f in r.findings:
            text = re.sub(f"«{NB}.*?{NB}»", f"«{NB}…{NB}»", f.text("fr"))
            found.extend((r.path, f.rule, text, p) for p in typography_problems(text))
    assert found == []


def test_row_and_line_never_share_a_word():
    """A spreadsheet row is « ligne N »; a line of the file is « ligne physique N »."""
    assert (UI["fr"]["row"], UI["fr"]["line"]) == ("ligne", "ligne physique")
    assert (UI["en"]["row"], UI["en"]["line"]) == ("row", "line")
    words = {
        "en": {"⟨L⟩": ("line", "lines"), "⟨R⟩": ("row", "rows")},
        "fr": {"⟨L⟩": ("ligne physique", "lignes physiques"), "⟨R⟩": ("ligne", "lignes")},
    }
    wrong = []
    for lang in ("en", "fr"):
        for where, text in _rule_texts(lang):
            text = re.sub(r"(⟨[LR]⟩)(, ⟨[LR]⟩)+", r"\1", text)
            for marker, forms in words[lang].items():
                for m in re.finditer(marker, text):
                    before = text[: m.start()].rstrip().lower()
                    if not before.endswith(forms) or (marker == "⟨R⟩" and before.endswith("physique")):
                        wrong.append((lang, where, text))
    assert wrong == []


# -- severities and effects in words of the language --------------------------------------------------


@pytest.mark.parametrize(
    "key", [f"severity.{s.value}" for s in Severity] + [f"effect.{e.value}" for e in Effect]
)
def test_severities_and_effects_are_translated(key):
    assert t("fr", key) != t("en", key)
    assert t("en", key) == key.split(".")[1]  # English shows the values of the JSON output


def test_rules_and_explain_in_french():
    runner = CliRunner()
    listing = runner.invoke(app, ["rules", "--lang", "fr"]).output
    assert "TC203  ragged-row              bloquant      échec      en partie  Des lignes" in listing
    assert "TC304  header-renamed          information   altération      " in listing
    assert not re.search(r"\b(blocker|warning|fails|degrades|advice)\b", listing)
    page = runner.invoke(app, ["explain", "TC206", "--lang", "fr"]).output
    assert f"- Gravité{NB}: avertissement\n- Effet dans Dataverse{NB}: conseil\n" in page
    assert f"\n- `lf`{NB}: 1 retour à la ligne dans une cellule, à la ligne 3, colonne 2" in page


def test_rule_pages_in_french_have_no_english_words_in_their_facts():
    for r in all_rules().values():
        facts = "\n".join(
            line for line in rule_page(r, "fr").split("## ")[0].splitlines() if line[:2] == "- "
        )
        assert not re.search(r"\b(blocker|warning|info|fails|degrades|advice|yes|no)\b", facts), r.code


def test_html_report_in_french(tmp_path):
    run = api.check([FIXTURES / "ragged-row-short.bad.csv", FIXTURES / "utf8-bom.bad.csv"], lang="fr")
    page = render(run, "html", RenderOptions(lang="fr"))
    assert ">bloquant<" in page and ">avertissement<" in page
    assert "(s)" not in page
    assert "Emplacement" in page
