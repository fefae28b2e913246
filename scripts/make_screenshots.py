"""Screenshots of the HTML report on the fixtures, at 360 px (a phone) and 1400 px, in English and French.

    python scripts/make_screenshots.py

writes reports/report.{en,fr}.{360,1400}.png (the top of the page: settings and overview) and
reports/report.{en,fr}.{360,1400}.cards.png (a report on six files shown whole: overview, cards with
their findings and advice, the rules' explanations at the end), taken by Debian's
`chromium` in headless mode. tests/test_html_browser.py uses the same helpers to measure the page in
the browser (horizontal overflow, the overview and its order).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape, unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (360, 1400)
LANGS = ("en", "fr")
#: What the fixtures' report is made of (paths shown relative to the project, as in the README).
TARGETS = ("fixtures/csv", "fixtures/xlsx")
#: A few files, one per kind of verdict, for the screenshots of whole cards.
CARDS = (
    "fixtures/csv/ragged-row-short.bad.csv",
    "fixtures/csv/decimal-comma-semicolon.bad.csv",
    "fixtures/csv/encoding-not-utf8-cp1252.bad.csv",
    "fixtures/xlsx/multisheet.xlsx",
    "fixtures/csv/unsupported-format.bad.xls",
    "fixtures/csv/good.csv",
)
#: Screenshot heights per width: enough for the settings, the counts and the start of the overview.
HEIGHTS = {360: 1600, 1400: 1100}

# Run after the page's own script: open every <details> if asked, then measure and write the result
# into the host page's DOM, where --dump-dom shows it. The report is loaded in an <iframe> exactly
# `width` px wide: headless Chromium lays a window out at 500 px at least, an iframe is the viewport
# the page's media queries and window.innerWidth see.
MEASURE = """
<script>
window.addEventListener("load", function () {
  %(before)s
  var open = %(open)s;
  if (open) document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var w = window.innerWidth, doc = document.documentElement, over = [];
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) {
      over.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).replace(/ /g, ".") : "")
                + " right=" + Math.round(r.right));
    }
  });
  var ov = document.getElementById("overview");
  var cell = document.querySelector("table.findings td.advice");
  var out = {
    innerWidth: w,
    scrollWidth: doc.scrollWidth,
    overflow: doc.scrollWidth > w,
    overflowing: over.slice(0, 20),
    overview: !!ov && ov.getBoundingClientRect().height > 0,
    overviewRows: Array.prototype.map.call(document.querySelectorAll("[data-overview]"),
                                           function (e) { return e.getAttribute("data-overview"); }),
    findingsCellDisplay: cell ? getComputedStyle(cell).display : null,
    height: doc.scrollHeight,
    visibleRows: Array.prototype.filter.call(document.querySelectorAll("[data-overview]"),
                                             function (e) { return e.offsetParent !== null; }).length,
    visibleCards: Array.prototype.filter.call(document.querySelectorAll("section.file"),
                                              function (e) { return e.offsetParent !== null; }).length,
    unfLines: Array.prototype.map.call(document.querySelectorAll("td.unf code"),
                                       function (e) { return e.getClientRects().length; })
  };
  var host = window.parent.document, pre = host.createElement("pre");
  pre.id = "tabcheck-measure";
  pre.hidden = true;
  pre.textContent = JSON.stringify(out);
  host.body.appendChild(pre);
});
</script>
"""


def chromium() -> str | None:
    """The Chromium executable: $CHROMIUM, else `chromium` or `chromium-browser` on PATH."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return found or None


def _run_chromium(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="tabcheck-chromium-") as profile:
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--no-first-run",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            *args,
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def render_report(lang: str, out: Path, targets: tuple[str, ...] = TARGETS) -> Path:
    """The fixtures' report in `lang`, as `tabcheck check fixtures/csv fixtures/xlsx --format html` makes it."""
    cmd = [sys.executable, "-m", "tabcheck", "check", *targets, "--format", "html", "--lang", lang]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout.startswith("<!doctype html>"):
        raise RuntimeError(f"tabcheck check failed ({done.returncode}): {done.stderr[-2000:]}")
    out.write_text(done.stdout, encoding="utf-8")
    return out


def measure(
    page: Path, width: int, *, open_details: bool = False, height: int = 800, before: str = ""
) -> dict:
    """Load `page` in Chromium in a `width` px viewport and return what the page measured (see MEASURE),
    after running the JavaScript `before` in it (e.g. a click)."""
    html = page.read_text(encoding="utf-8")
    script = MEASURE % {"open": "true" if open_details else "false", "before": before}
    inner = html.replace("</body>", script + "</body>", 1)
    host = (
        '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe style="border:0;display:block;width:{width}px;height:{height}px" srcdoc="{escape(inner)}">'
        "</iframe></body></html>"
    )
    probe = page.with_name(f"{page.stem}.measure-{width}{'-open' if open_details else ''}.html")
    probe.write_text(host, encoding="utf-8")
    done = _run_chromium(
        [
            f"--window-size={max(width, 800)},{height}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            probe.as_uri(),
        ]
    )
    m = re.search(r'<pre id="tabcheck-measure" hidden="">(.*?)</pre>', done.stdout, re.S)
    if m is None:
        raise RuntimeError(
            f"no measurement in the page (chromium exit {done.returncode}): {done.stderr[-2000:]}"
        )
    return json.loads(unescape(m.group(1)))


def screenshot(page: Path, png: Path, width: int, height: int) -> Path:
    """A screenshot of the top of `page` in a `width` x `height` viewport."""
    png.unlink(missing_ok=True)
    url = page.as_uri()
    done = _run_chromium(
        [f"--window-size={width},{height}", "--virtual-time-budget=5000", f"--screenshot={png}", url]
    )
    if not png.exists():
        raise RuntimeError(f"no screenshot written (chromium exit {done.returncode}): {done.stderr[-2000:]}")
    return png


def main() -> int:
    out = ROOT / "reports"
    with tempfile.TemporaryDirectory(prefix="tabcheck-shots-") as tmp:
        for lang in LANGS:
            page = render_report(lang, Path(tmp) / f"report.{lang}.html")
            cards = render_report(lang, Path(tmp) / f"cards.{lang}.html", CARDS)
            for width in WIDTHS:
                m = measure(page, width, open_details=True)
                print(f"{lang} {width} px: scrollWidth {m['scrollWidth']}, overflow {m['overflow']}")
                shot = screenshot(page, out / f"report.{lang}.{width}.png", width, HEIGHTS[width])
                print(f"  reports/{shot.name}")
                # a short report shown whole: overview, cards with their findings, rules
                height = min(measure(cards, width)["height"], 12000)
                shot = screenshot(cards, out / f"report.{lang}.{width}.cards.png", width, height)
                print(f"  reports/{shot.name} ({height} px high)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
