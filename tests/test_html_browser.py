"""The HTML report in a real browser: the fixtures' report, in English and French, loaded by headless
Chromium in a 360 px (a phone) and a 1400 px viewport.

In the browser: no horizontal overflow (with every <details> open too), the overview is shown, and it
lists the files that will fail first; on a phone the findings are stacked cards. Without a browser: the
overview's order (by status, in walk order within a status), the how-to-fix advice and the rules'
explanations in the page, the run's settings in the header.

The browser tests skip when no `chromium` exists here, but fail in CI (`CI` set): `.ci/run` installs
Debian's chromium. The helpers are those of scripts/make_screenshots.py, which makes reports/*.png.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck import api
from tabcheck.plugins import all_rules
from tabcheck.report import RenderOptions, render
from tabcheck.report.html import RANK, overview_order
from tabcheck.status import Status

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_screenshots", ROOT / "scripts" / "make_screenshots.py")
assert _spec is not None and _spec.loader is not None
shots = importlib.util.module_from_spec(_spec)
sys.modules["make_screenshots"] = shots
_spec.loader.exec_module(shots)

NB = "\u00a0"
RANKS = {s.value: n for s, n in RANK.items()}


def _need_chromium() -> None:
    if shots.chromium() is not None:
        return
    if os.environ.get("CI"):
        pytest.fail(
            "chromium is missing in CI: .ci/run installs Debian's chromium (apt-get install chromium)"
        )
    pytest.skip("no chromium on this machine (apt-get install chromium); CI runs these tests")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`tabcheck check fixtures/csv fixtures/xlsx --format html`, in English and in French."""
    tmp = tmp_path_factory.mktemp("html")
    return {lang: shots.render_report(lang, tmp / f"report.{lang}.html") for lang in shots.LANGS}


def _card_statuses(html: str) -> list[str]:
    return re.findall(r'data-status="([^"]+)"', html)


# -- in the browser ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", shots.WIDTHS)
@pytest.mark.parametrize("lang", shots.LANGS)
def test_the_report_fits_the_screen_and_opens_on_the_overview(pages, lang: str, width: int) -> None:
    _need_chromium()
    html = pages[lang].read_text(encoding="utf-8")
    m = shots.measure(pages[lang], width, open_details=True)
    assert m["innerWidth"] == width
    # no horizontal overflow, variables and explanations open included
    assert m["scrollWidth"] <= width and not m["overflow"], m["overflowing"]
    assert m["overflowing"] == []
    # the overview is shown, with every file, those that will fail first
    assert m["overview"]
    rows = m["overviewRows"]
    cards = _card_statuses(html)
    assert len(rows) == len(cards) > 100
    assert rows[0] == Status.FAILS.value
    assert rows == sorted(cards, key=RANKS.__getitem__)
    assert [RANKS[s] for s in rows] == sorted(RANKS[s] for s in rows)
    # on a phone the findings table is a stack of cards; on a wide screen a table
    assert m["findingsCellDisplay"] == ("block" if width < 760 else "table-cell")


def test_the_measure_sees_an_overflow(tmp_path: Path) -> None:
    """The instrument itself: a 600 px wide block overflows a 360 px viewport, not a 1400 px one."""
    _need_chromium()
    page = tmp_path / "wide.html"
    page.write_text(
        '<!doctype html><html><head><meta name="viewport" content="width=device-width"></head>'
        '<body><section id="overview"><div style="width:600px">wide</div></section></body></html>'
    )
    narrow = shots.measure(page, 360)
    assert (narrow["innerWidth"], narrow["overflow"], narrow["overview"]) == (360, True, True)
    assert any(x.startswith("div") for x in narrow["overflowing"])
    assert shots.measure(page, 1400)["overflow"] is False


def test_the_report_prints(pages, tmp_path: Path) -> None:
    """A steward files the report as PDF: Chromium prints it to several pages."""
    _need_chromium()
    pdf = tmp_path / "report.pdf"
    done = shots._run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", pages["fr"].as_uri()])
    assert pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) > 5


# -- in the page itself (no browser) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def run():
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return api.check([Path(t) for t in shots.TARGETS])
    finally:
        os.chdir(cwd)


def test_the_overview_lists_failing_files_first_in_walk_order_within_a_status(run) -> None:
    html = render(run, "html", RenderOptions(lang="en"))
    overview = html[html.index('id="overview"') : html.index('id="files"')]
    rows = re.findall(r'data-overview="([^"]+)">.*?href="#file-(\d+)"', overview, re.S)
    order = [int(n) - 1 for _, n in rows]
    assert order == overview_order(run.files)
    assert [s for s, _ in rows] == [run.files[i].status for i in order]
    for a, b in itertools.pairwise(order):
        ra, rb = RANKS[run.files[a].status], RANKS[run.files[b].status]
        assert ra < rb or (ra == rb and a < b)
    # the cards stay in the order of the walk, each with the anchor the overview links to
    assert _card_statuses(html) == [r.status for r in run.files]
    assert re.findall(r'<section class="file filterable st-[^"]+" id="file-(\d+)"', html) == [
        str(i + 1) for i in range(len(run.files))
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_finding_says_how_to_fix_it_and_the_rules_are_explained(run, lang: str) -> None:
    html = render(run, "html", RenderOptions(lang=lang))
    rules = all_rules()
    used = sorted({f.rule for r in run.files for f in r.findings})
    for name in used:
        r = rules[name]
        assert f'<details id="rule-{r.code}">' in html
        assert f'href="#rule-{r.code}"' in html
    # the advice in the report's language, its `code` spans as <code>
    ragged = rules["ragged-row"].how_to_fix[lang]
    shown = ragged.replace("'", "&#39;").replace('"', "&#34;")
    assert shown.replace("`tabcheck fix`", "<code>tabcheck fix</code>") in html
    assert "<code>tabcheck fix</code>" in html
    findings = sum(len(r.findings) for r in run.files)
    repairs = {"en": "tabcheck fix repairs it", "fr": "tabcheck fix le corrige"}[lang]
    by_hand = {"en": "to fix by hand", "fr": "à corriger à la main"}[lang]
    assert html.count(repairs) + html.count(by_hand) == findings
    assert html.count(repairs) > 10 and html.count(by_hand) > 10


def test_an_xls_is_not_said_repaired_by_fix(tmp_path: Path) -> None:
    """TC005's repair converts .xlsm and .txt files; fix refuses .xls, .xlsb and .ods."""
    run = api.check([ROOT / "fixtures" / "csv" / "unsupported-format.bad.xls"])
    html = render(run, "html", RenderOptions(lang="en"))
    assert "to fix by hand" in html and "tabcheck fix repairs it" not in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_header_gives_the_runs_settings(lang: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000"}
    target = str(ROOT / "fixtures" / "csv" / "good.csv")
    cmd = [sys.executable, "-m", "tabcheck", "check", target, "--format", "html", "--lang", lang]
    cmd += ["--dataverse", "6.6", "--max-ingest-size", "100MB"]
    html = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    header = html[html.index("<header>") : html.index("</header>")]
    colon = {"en": ":", "fr": f"{NB}:"}[lang]
    assert "Dataverse 6.6" in header
    assert {"en": f"ingest size limit{colon}</dt><dd>100 MB", "fr": f"ingestion{colon}</dt><dd>100 Mo"}[
        lang
    ] in header
    assert (
        "0.1" in header and '<time datetime="2027-01-15T08:00:00+00:00">2027-01-15 08:00 UTC</time>' in header
    )


def test_long_names_and_values_wrap_on_a_phone(tmp_path: Path) -> None:
    """A 150-character file name, a 300-character column name and cell, none with a space: they break
    inside the page instead of widening it."""
    _need_chromium()
    folder = tmp_path / ("d" * 60)
    folder.mkdir()
    name = "x" * 150 + ".csv"
    header = "h" * 300
    rows = "".join(f"{i},{'1 234,5' if i % 2 else 'v' * 300}\n" for i in range(20))
    (folder / name).write_text(f"id,{header}\n{rows}", encoding="utf-8")
    (folder / ("y" * 120 + ".csv")).write_text("a;b\n1,5;2\n", encoding="utf-8")
    page = tmp_path / "long.html"
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", str(folder), "--format", "html", "--lang", "fr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout.startswith("<!doctype html>"), out.stderr
    page.write_text(out.stdout, encoding="utf-8")
    m = shots.measure(page, 360, open_details=True)
    assert (m["innerWidth"], m["overflow"], m["overflowing"]) == (360, False, [])
    assert m["overview"] and len(m["overviewRows"]) == 2


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_codebook_is_shown_when_the_run_has_one(lang: str) -> None:
    """`check --codebook`: the dataset's and each file's UNF, each variable's statistics and UNF."""
    run = api.check([ROOT / "fixtures" / "csv" / "good.csv"])
    plain = render(run, "html", RenderOptions(lang=lang))
    assert "UNF" not in plain
    prediction = run.files[0].dataverse
    assert prediction is not None and prediction.columns
    run.unf = "UNF:6:dataset=="  # type: ignore[attr-defined]  # set the way `check --codebook` sets them
    prediction.unf = "UNF:6:file=="  # type: ignore[attr-defined]
    first = prediction.columns[0]
    first.stats = {"mean": "2.0", "medn": "2.0", "stdev": "1.0"}  # type: ignore[attr-defined]
    first.unf = "UNF:6:column=="  # type: ignore[attr-defined]
    html = render(run, "html", RenderOptions(lang=lang))
    header = html[html.index("<header>") : html.index("</header>")]
    assert "<code>UNF:6:dataset==</code>" in header
    assert "<code>UNF:6:file==</code>" in html and "<code>UNF:6:column==</code>" in html
    colon = {"en": ":", "fr": f"{NB}:"}[lang]
    words = {"en": ("mean", "median", "std. dev."), "fr": ("moyenne", "médiane", "écart type")}[lang]
    assert f"{words[0]}{colon} 2.0 · {words[1]}{colon} 2.0 · {words[2]}{colon} 1.0" in html


@pytest.mark.parametrize("width", [1400, 360])
def test_a_variables_unf_stays_on_one_line(tmp_path: Path, width: int) -> None:
    """`check --codebook`: each variable's UNF is read (and copied) whole, on a wide screen and on a
    phone, where the page still fits (it broke before its final `==` on a wide screen)."""
    _need_chromium()
    run = api.check([ROOT / "examples" / "showcase" / "01-clean_measurements.csv"], codebook=True)
    page = tmp_path / "codebook.html"
    page.write_text(render(run, "html", RenderOptions(lang="fr")), encoding="utf-8")
    m = shots.measure(page, width, open_details=True)
    assert m["unfLines"] == [1, 1, 1]
    assert (m["overflow"], m["overflowing"]) == (False, [])


def test_the_page_is_self_contained_and_readable_without_script(run) -> None:
    """One file, no network: no external stylesheet, script, image or font; the script only adds the
    status filter, whose buttons stay hidden without it; the explanations are in the page."""
    html = render(run, "html", RenderOptions(lang="fr"))
    assert not re.search(
        r'<(link|img|iframe)\b|<script\s+src|@import|url\(|https?://[^"\s<]*\.(css|js)', html
    )
    assert html.count("<script>") == 1
    assert '<nav class="filter" hidden' in html
    assert html.index('id="overview"') < html.index('id="files"') < html.index('id="rules"')


def test_the_status_filter_shows_only_the_files_of_a_status(pages) -> None:
    """The optional script: "will fail" keeps the failing files' rows and cards, "all" brings back every one."""
    _need_chromium()
    html = pages["en"].read_text(encoding="utf-8")
    fails = _card_statuses(html).count("fails")
    click = "document.querySelector('.filter button[data-show=\"%s\"]').click();"
    m = shots.measure(pages["en"], 360, before=click % "fails")
    assert m["visibleRows"] == m["visibleCards"] == fails > 0
    m = shots.measure(pages["en"], 360, before=click % "fails" + click % "")
    assert m["visibleRows"] == m["visibleCards"] == len(_card_statuses(html))
