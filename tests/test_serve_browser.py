"""`tabcheck serve` in a real browser: Debian's chromium driven by playwright-python (no browser download:
`executable_path` points at the system's chromium).

The real command runs on a free port in a temporary folder of its own. In the browser: the showcase
folder chosen with the folder input, the report's overview read (12 files, their statuses), the zip
downloaded and opened; the same without JavaScript (the plain form); files dropped on the page (a
drop event with a DataTransfer); a drop over the size limit refused by the page before sending;
no horizontal overflow at 360 and 1400 px. When the server stops (Ctrl+C), its folder is gone.

Skipped when no chromium (or playwright) exists here and `CI` is unset; in CI (`CI` set) they fail
instead: .ci/run installs Debian's chromium and the test extra installs playwright.

    TABCHECK_SERVE_SCREENSHOTS=reports python -m pytest tests/test_serve_browser.py

also writes reports/serve-{home,report}.{en,fr}.{360,1400}.png.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_serve import SHOWCASE, ZIP_NAMES, expected_statuses

WIDTHS = (360, 1400)
HEIGHTS = {360: 1500, 1400: 1000}
SHOTS = os.environ.get("TABCHECK_SERVE_SCREENSHOTS")


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    return found


def _need(what: str, missing: bool, hint: str) -> None:
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {hint}")
    pytest.skip(f"no {what} on this machine ({hint}); CI runs these tests")


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = _chromium()
    _need("chromium", path is None, ".ci/run installs Debian's chromium: apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need("playwright", True, "pip install -e '.[test]'")
    assert path is not None
    return path


def _start(tmp: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """`tabcheck serve --no-browser` on a free port, its temporary folders below `tmp`."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tabcheck", "serve", "--no-browser", "--lang", "en", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    m = re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())
    assert m, proc.stderr.read() if proc.stderr else ""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(m.group(0), timeout=2):
                return proc, m.group(0)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.1)


def _stop(proc: subprocess.Popen[str], tmp: Path) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert not list(tmp.glob("tabcheck-serve-*")), "the server left its temporary folder"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("serve")
    proc, url = _start(tmp)
    try:
        yield url
    finally:
        _stop(proc, tmp)


@pytest.fixture(scope="module")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def _overview(page) -> dict[str, str]:
    rows = page.locator("tr[data-overview]")
    return {
        rows.nth(i).locator("td.path a").inner_text(): rows.nth(i).get_attribute("data-overview")
        for i in range(rows.count())
    }


def _fits(page) -> None:
    width = page.evaluate("window.innerWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal overflow: {scroll} px in {width} px"


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def test_drop_the_showcase_folder_read_the_overview_download_the_zip(
    server: str, browser, tmp_path: Path
) -> None:
    context = browser.new_context(
        locale="fr-FR", accept_downloads=True, viewport={"width": 1400, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(server)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Vérifiez vos tableaux avant de les déposer dans Dataverse"
    assert not page.locator("button.go").is_visible()  # the script sends as soon as files are chosen
    page.set_input_files("#pick-folder", str(SHOWCASE))
    page.wait_for_url(re.compile(r"/report/[A-Za-z0-9_-]{16}$"))
    # the overview: the 12 files, each with the status tabcheck check gives it
    assert page.locator("#overview").is_visible()
    assert _overview(page) == expected_statuses()
    summary = page.locator("#overview .summary").inner_text()
    assert summary.startswith("12 fichiers")
    bar = page.locator(".tcs-bar").inner_text()
    assert "12 fichiers vérifiés." in bar
    assert "11 réécrits en CSV UTF-8" in bar
    # the zip: the fixed copies and the manifest
    with page.expect_download() as event:
        page.click("#tcs-download")
    download = event.value
    assert download.suggested_filename == "tabcheck-fixed.zip"
    target = tmp_path / "fixed.zip"
    download.save_as(target)
    with zipfile.ZipFile(target) as zf:
        assert zf.namelist() == ZIP_NAMES
        assert zf.testzip() is None
    # and back to drop other files
    page.click("#tcs-back")
    page.wait_for_url(re.compile(r"/\?lang=fr$"))
    assert page.locator("#zone").is_visible()
    context.close()


def test_without_javascript_the_form_still_sends_the_files(server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(server)
    assert page.locator("button.go").is_visible()
    files = [str(p) for p in sorted(SHOWCASE.iterdir())[:2]]
    page.set_input_files("#pick-files", files)
    page.click("button.go")
    page.wait_for_url(re.compile(r"/report/[A-Za-z0-9_-]{16}$"))
    expected = expected_statuses()
    assert _overview(page) == {Path(f).name: expected[f"showcase/{Path(f).name}"] for f in files}
    assert "2 files checked." in page.locator(".tcs-bar").inner_text()
    context.close()


def test_files_dropped_on_the_page_are_sent(server: str, browser) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(server)
    chosen = sorted(SHOWCASE.iterdir())[2:4]
    payload = [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in chosen]
    page.evaluate(
        """(files) => {
            const dt = new DataTransfer();
            for (const f of files) {
                const bytes = Uint8Array.from(atob(f.data), c => c.charCodeAt(0));
                dt.items.add(new File([bytes], f.name));
            }
            const zone = document.getElementById("zone");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        payload,
    )
    page.wait_for_url(re.compile(r"/report/[A-Za-z0-9_-]{16}$"))
    expected = expected_statuses()
    assert _overview(page) == {p.name: expected[f"showcase/{p.name}"] for p in chosen}
    context.close()


def test_a_drop_over_the_limit_is_refused_by_the_page(browser, tmp_path: Path) -> None:
    proc, url = _start(tmp_path, "--max-upload", "2KB")
    try:
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        page.set_input_files("#pick-files", str(SHOWCASE / "11-wide_table.csv"))
        problem = page.locator("#problem")
        problem.wait_for(state="visible")
        assert "trop volumineux" in problem.inner_text()
        assert page.url == url
        assert not list(tmp_path.rglob("drop-*"))
        context.close()
    finally:
        _stop(proc, tmp_path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pages_fit_360_and_1400_px(server: str, browser, lang: str) -> None:
    context = browser.new_context(locale={"fr": "fr-FR", "en": "en-GB"}[lang])
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(server)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        assert page.evaluate("window.innerWidth") == width
        _fits(page)
        for label in page.locator(".pick label").all():
            box = label.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        _shot(page, f"serve-home.{lang}.{width}")
    page.set_input_files("#pick-folder", str(SHOWCASE))
    page.wait_for_url(re.compile(r"/report/"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        _fits(page)
        download = page.locator("#tcs-download").bounding_box()
        assert download is not None and download["x"] >= 0 and download["x"] + download["width"] <= width
        _shot(page, f"serve-report.{lang}.{width}")
    context.close()
