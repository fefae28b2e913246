"""`tabcheck serve` without a browser: the app through Starlette's TestClient, the server through a socket.

The showcase folder dropped as a browser sends a folder (`showcase/01-….csv`): the report lists its 12
files with the statuses `tabcheck check` gives them; the zip holds the fixed copies and
fix-manifest.json under exact names, with paths relative to the drop; unsafe names are neutralised;
the temporary folders are gone once the zip is made, on "delete", and when the server stops (the
app's shutdown, and Ctrl+C on the real command); the page speaks French to a French browser.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import warnings
import zipfile
from pathlib import Path, PurePosixPath

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette 1.x would rather TestClient ran on httpx2
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tabcheck import api
from tabcheck.serve.app import ServeSettings, create_app
from tabcheck.serve.page import pick_lang
from tabcheck.serve.uploads import Placer, safe_relative

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
SHOWCASE = ROOT / "examples" / "showcase"
NB = "\u00a0"

#: What `tabcheck fix` makes of the showcase, as the zip holds it.
ZIP_NAMES = [
    "fix-manifest.json",
    "showcase/01-clean_measurements.csv",
    "showcase/02-export-excel-francais.csv",
    "showcase/03-survey_answers.csv",
    "showcase/04-releves-avec-titre.csv",
    "showcase/04-releves-avec-titre.notes.txt",
    "showcase/05-entretiens.csv",
    "showcase/06-duplicate_names.csv",
    "showcase/07-codes-postaux.csv",
    "showcase/08-dates-francaises.csv",
    "showcase/09-missing_values.csv",
    "showcase/10-classeur-deux-feuilles.xlsx.Données.csv",
    "showcase/10-classeur-deux-feuilles.xlsx.Données.notes.txt",
    "showcase/10-classeur-deux-feuilles.xlsx.Notes.txt",
    "showcase/11-wide_table.csv",
]


def _showcase_parts() -> list[tuple[str, tuple[str, bytes, str]]]:
    """The showcase folder as a browser posts a dropped folder: one `files` part per file."""
    return [
        ("files", (f"showcase/{p.name}", p.read_bytes(), "application/octet-stream"))
        for p in sorted(SHOWCASE.iterdir())
    ]


def expected_statuses() -> dict[str, str]:
    run = api.check([SHOWCASE])
    return {f"showcase/{Path(f.path).name}": f.status for f in run.files}


def _overview(html: str) -> dict[str, str]:
    """(file, status) of each row of the report's overview."""
    rows = re.findall(r'data-overview="([^"]+)">.*?<a href="#file-\d+">([^<]+)</a>', html, re.DOTALL)
    return {name: status for status, name in rows}


def _multipart(files: list[tuple[bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body with the file names exactly as given (bytes: NUL, `..`, slashes and all)."""
    boundary = uuid.uuid4().hex.encode()
    body = b"".join(
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="' + name + b'"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
        for name, data in files
    )
    return body + b"--" + boundary + b"--\r\n", f"multipart/form-data; boundary={boundary.decode()}"


def _files_below(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def client(work: Path):
    app = create_app(ServeSettings(work_dir=work, lang="en"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        yield c
    assert app.state.store.root is None


def _drop(client: TestClient, parts, **headers: str) -> str:
    r = client.post("/check", files=parts, headers=headers, follow_redirects=False)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert re.fullmatch(r"/report/[A-Za-z0-9_-]{16}(\?lang=(en|fr))?", location)
    return location


# -- the showcase, end to end --------------------------------------------------------------------------


def test_the_showcase_drop_gives_the_report_and_the_zip(client: TestClient, work: Path) -> None:
    location = _drop(client, _showcase_parts())
    token = location.split("/")[-1]
    report = client.get(location)
    assert report.status_code == 200
    html = report.text
    # the same report as `tabcheck check --format html`, for the 12 files, with their statuses
    assert _overview(html) == expected_statuses()
    assert len(_overview(html)) == 12
    assert '<section id="overview">' in html
    assert "12 files checked." in html
    assert str(work) not in html  # paths as the person dropped them, not the temporary folder's
    # what fix did: 11 rewritten, the .xls refused with its reason
    assert "11 rewritten as UTF-8 CSV and verified" in html
    assert "<code>showcase/12-vieux-format.xls</code>" in html
    assert f'href="/download/{token}"' in html

    z = client.get(f"/download/{token}")
    assert z.status_code == 200
    assert z.headers["content-type"] == "application/zip"
    assert 'filename="tabcheck-fixed.zip"' in z.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(z.content)) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == ZIP_NAMES
        manifest = json.loads(zf.read("fix-manifest.json"))
        fixed = zf.read("showcase/02-export-excel-francais.csv").decode("utf-8")
    sources = [f["source"] for f in manifest["files"]]
    assert sources == [f"showcase/{p.name}" for p in sorted(SHOWCASE.iterdir())]
    outputs = {o["path"] for f in manifest["files"] for o in f["outputs"]}
    assert outputs <= set(ZIP_NAMES)
    assert {n for n in ZIP_NAMES if n.endswith(".csv")} <= outputs
    refused = [f for f in manifest["files"] if f["refused"]]
    assert [f["source"] for f in refused] == ["showcase/12-vieux-format.xls"]
    # the Excel export: UTF-8, commas, decimal points
    header, first = fixed.splitlines()[:2]
    assert header.count(",") == 2 and "température" in header
    assert "11.2" in first and ";" not in first

    # the uploaded files and the fixed copies are gone; only the zip waits to be downloaded
    left = _files_below(work)
    assert [p.name for p in left if p.name != "owner.pid"] == ["tabcheck-fixed.zip"]


def test_the_temporary_folders_go_on_delete_and_on_shutdown(work: Path) -> None:
    app = create_app(ServeSettings(work_dir=work))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        first = _drop(client, _showcase_parts()[:2]).split("/")[-1]
        second = _drop(client, _showcase_parts()[2:4]).split("/")[-1]
        assert first != second
        assert len([p for p in work.rglob("tabcheck-fixed.zip")]) == 2  # a folder per drop
        # several drops in a row: each has its report and zip
        assert client.get(f"/report/{first}").status_code == 200
        assert client.get(f"/download/{second}").status_code == 200
        r = client.post(f"/forget/{first}", follow_redirects=False)
        assert r.status_code == 303
        assert client.get(f"/report/{first}").status_code == 404
        assert client.get(f"/download/{first}").status_code == 404
        assert client.get(f"/download/{second}").status_code == 200
        assert len(_files_below(work)) == 2  # the second zip, the owner's pid
        root = app.state.store.root
        assert root is not None and root.parent == work
    # the app's shutdown removed everything
    assert app.state.store.root is None
    assert list(work.iterdir()) == []


def test_results_expire(work: Path) -> None:
    app = create_app(ServeSettings(work_dir=work, keep_seconds=2.0))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        token = _drop(client, _showcase_parts()[:1]).split("/")[-1]
        assert list(work.rglob("*.zip"))
        deadline = time.monotonic() + 10
        while list(work.rglob("*.zip")) and time.monotonic() < deadline:
            time.sleep(0.1)  # removed by the sweep, without a request
        assert not list(work.rglob("*.zip"))
        r = client.get(f"/report/{token}")
        assert r.status_code == 404
        assert "Drop the files again" in r.text
        assert not list(work.rglob("*.zip"))


# -- names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("showcase/01.csv", "showcase/01.csv"),
        ("../x.csv", "x.csv"),
        ("../../../../etc/x.csv", "etc/x.csv"),
        ("/etc/passwd.csv", "etc/passwd.csv"),
        ("a/../../b.csv", "a/b.csv"),
        ("a\\..\\b.csv", "a/b.csv"),
        ("C:\\Users\\x.csv", "C_/Users/x.csv"),
        ("nul\x00name.csv", "nulname.csv"),
        ("line\nbreak.csv", "linebreak.csv"),
        ("./a/./b.csv", "a/b.csv"),
        ("trailing. /b.csv", "trailing/b.csv"),
        ("é\u0301t\u00e9.csv", "\u00e9\u0301t\u00e9.csv"),
        ("x" * 300 + ".csv", "x" * 196 + ".csv"),
        (".hidden.csv", None),
        ("folder/.DS_Store", None),
        ("folder/._01.csv", None),
        ("..", None),
        ("/", None),
        ("", None),
    ],
)
def test_names_are_made_safe(sent: str, kept: str | None) -> None:
    got = safe_relative(sent)
    assert (str(got) if got is not None else None) == (kept if kept is None else str(PurePosixPath(kept)))
    if got is not None:
        assert not got.is_absolute() and ".." not in got.parts and "\x00" not in str(got)


def test_names_never_collide(tmp_path: Path) -> None:
    placer = Placer(tmp_path)
    got = [
        str(placer.place(PurePosixPath(n)))
        for n in ("a.csv", "A.csv", "a.csv", "d/x.csv", "d", "a.csv/y.csv", "noext", "noext")
    ]
    assert got == ["a.csv", "A-2.csv", "a-3.csv", "d/x.csv", "d-2", "y.csv", "noext", "noext-2"]


def test_path_traversal_names_are_neutralised(client: TestClient, work: Path, tmp_path: Path) -> None:
    marker = f"escaped-{uuid.uuid4().hex}"
    body = b"a,b\n1,2\n"
    names = [
        f"../{marker}.csv",
        f"../../../../../../tmp/{marker}-abs.csv",
        f"/{marker}-root.csv",
        f"sub/../../{marker}-sub.csv",
        f"nul\x00{marker}.csv",
        ".hidden.csv",
        "photo.jpg",
    ]
    raw, content_type = _multipart([(n.encode(), body) for n in names])
    r = client.post("/check", content=raw, headers={"content-type": content_type}, follow_redirects=False)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    token = location.split("/")[-1]
    html = client.get(location).text
    # nothing was written outside the drop's folder
    for folder in (tmp_path, work.parent, Path("/tmp"), Path("/")):
        assert not list(folder.glob(f"{marker}*")), folder
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/download/{token}").content)).namelist()
    assert sorted(names) == sorted(
        [
            "fix-manifest.json",
            f"{marker}.csv",
            f"tmp/{marker}-abs.csv",
            f"{marker}-root.csv",
            f"sub/{marker}-sub.csv",
            f"nul{marker}.csv",
        ]
    )
    for name in names:
        assert not name.startswith("/") and ".." not in PurePosixPath(name).parts and "\x00" not in name
    # the report says which names were changed, and which files were left out
    assert "Renamed for safety (5)" in html
    assert f"<code>../{marker}.csv</code> → <code>{marker}.csv</code>" in html
    assert "<code>.hidden.csv</code>, <code>photo.jpg</code>" in html
    assert len(_overview(html)) == 5


# -- refusals ------------------------------------------------------------------------------------------


def test_a_drop_over_the_limit_is_refused_and_removed(work: Path) -> None:
    app = create_app(ServeSettings(work_dir=work, max_drop=1000))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        home = client.get("/").text
        assert "Up to 1000" in home
        big = b"a,b\n" + b"1,2\n" * 1000
        # counted while it streams (the body is smaller than the limit plus the multipart envelope)
        r = client.post("/check", files=[("files", ("big.csv", big, "text/csv"))])
        assert r.status_code == 413
        assert "These files are too large: 1000" in r.text
        # the page's script gets the same refusal as JSON
        r = client.post(
            "/check", files=[("files", ("big.csv", big, "text/csv"))], headers={"X-Tabcheck": "1"}
        )
        assert r.status_code == 413 and "too large" in r.json()["error"]
        # refused from its length alone, before a byte is written
        huge = b"a,b\n" + b"1,2\n" * 2_600_000  # over the limit and the 8 MB envelope
        r = client.post("/check", files=[("files", ("huge.csv", huge, "text/csv"))])
        assert r.status_code == 413
        assert _files_below(work) == [p for p in _files_below(work) if p.name == "owner.pid"]
        assert not list(work.rglob("drop-*"))
        # a drop within the limit still works afterwards
        assert (
            client.post("/check", files=[("files", ("ok.csv", b"a,b\n1,2\n", "text/csv"))]).status_code == 200
        )


def test_a_drop_without_tables_is_refused(client: TestClient, work: Path) -> None:
    r = client.post("/check", files=[("files", ("notes.docx", b"PK", "application/octet-stream"))])
    assert r.status_code == 400
    assert "No table among these files" in r.text
    assert not list(work.rglob("drop-*"))
    r = client.post("/check", data={"x": "1"}, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


def test_only_this_computer_is_answered(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    r = client.post(
        "/check",
        files=_showcase_parts()[:1],
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    r = client.post(
        "/check",
        files=_showcase_parts()[:1],
        headers={"sec-fetch-site": "cross-site"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    r = client.post("/check", files=_showcase_parts()[:1], headers={"origin": "null"}, follow_redirects=False)
    assert r.status_code == 403
    # the page's own posts: same origin
    r = client.post(
        "/check",
        files=_showcase_parts()[:1],
        headers={"sec-fetch-site": "same-origin", "origin": "null"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert client.get("/report/not-a-token").status_code == 404
    assert client.get("/download/AAAAAAAAAAAAAAAA").status_code == 404


# -- languages -----------------------------------------------------------------------------------------


def test_french_for_a_french_browser(client: TestClient) -> None:
    fr = {"accept-language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"}
    home = client.get("/", headers=fr).text
    assert '<html lang="fr">' in home
    assert "Déposez vos fichiers ou un dossier ici" in home
    assert f"Vos fichiers restent sur cet ordinateur{NB}:" in home
    location = _drop(client, _showcase_parts(), **fr)
    html = client.get(location, headers=fr).text
    assert '<html lang="fr">' in html
    assert "Vue d&#39;ensemble" in html  # the report itself, in French
    assert "12 fichiers vérifiés." in html
    assert "Télécharger les copies corrigées" in html
    assert f"1 non réécrit{NB}:" in html
    assert "11 réécrits en CSV UTF-8 et vérifiés" in html
    assert _overview(html) == expected_statuses()
    # ?lang= wins over the browser
    assert '<html lang="en">' in client.get(location + "?lang=en", headers=fr).text
    english = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in english and "Drop your files or a folder here" in english


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("fr-FR,fr;q=0.9", "fr"),
        ("fr-CA", "fr"),
        ("de-DE,fr;q=0.5,en;q=0.8", "en"),
        ("de-DE,fr;q=0.5", "fr"),
        ("de-DE", "en"),
        ("", "en"),
        ("en;q=0, fr", "fr"),
        ("*", "en"),
    ],
)
def test_language_from_accept_language(accept: str, lang: str) -> None:
    assert pick_lang(None, accept, "en") == lang
    assert pick_lang("fr", accept, "en") == "fr"


def test_the_home_page_works_without_script(client: TestClient) -> None:
    html = client.get("/").text
    # a plain form: two file inputs (files; a folder) and a button
    assert '<form id="drop" method="post" action="/check" enctype="multipart/form-data">' in html
    assert re.search(r'<input type="file" name="files" multiple accept="[^"]*\.csv[^"]*"', html)
    assert re.search(r'<input type="file" name="files" multiple webkitdirectory', html)
    assert '<button type="submit" class="go">' in html
    assert "Dataverse 6.8" in html


# -- the command ---------------------------------------------------------------------------------------


def test_serve_without_the_extra_says_what_to_install() -> None:
    probe = (
        "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None\n"
        "from tabcheck.cli import main\n"
        "sys.argv = ['tabcheck', 'serve', '--no-browser']\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "pip install 'tabcheck[serve]'" in out.stderr


def test_a_check_run_does_not_load_the_web_stack() -> None:
    probe = (
        "import json, sys\n"
        "from tabcheck.cli import main\n"
        "sys.argv = ['tabcheck', 'check', 'examples/showcase/01-clean_measurements.csv', '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    loaded = set(json.loads(out.stderr.strip().splitlines()[-1]))
    assert not {m for m in loaded if m.split(".")[0] in ("starlette", "uvicorn", "python_multipart", "anyio")}
    assert "tabcheck.serve" not in loaded


def _start(tmp: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "TMPDIR": str(tmp), "TABCHECK_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tabcheck", "serve", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line + (proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
    url = m.group(0)
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                assert r.status == 200
            return proc, url
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.1)


def _post_files(url: str, files: list[Path]) -> tuple[int, str]:
    body, content_type = _multipart([(p.name.encode(), p.read_bytes()) for p in files])
    req = urllib.request.Request(
        url + "check", data=body, headers={"Content-Type": content_type, "X-Tabcheck": "1"}
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read().decode()


def test_the_real_server_listens_on_this_computer_only_and_cleans_up_on_ctrl_c(tmp_path: Path) -> None:
    proc, url = _start(tmp_path)
    try:
        assert url.startswith("http://127.0.0.1:")
        status, answer = _post_files(url, sorted(SHOWCASE.iterdir())[:3])
        assert status == 200 and json.loads(answer)["report"].startswith("/report/")
        folders = list(tmp_path.glob("tabcheck-serve-*"))
        assert len(folders) == 1 and list(folders[0].rglob("tabcheck-fixed.zip"))
        # the port is taken: asking for it again is refused, exit code 2
        port = url.rsplit(":", 1)[1].strip("/")
        again = subprocess.run(
            [sys.executable, "-m", "tabcheck", "serve", "--no-browser", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 2 and f"port {port} cannot be used" in again.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err  # as any tabcheck command stopped by Ctrl+C
    assert "stopped; the temporary files are removed" in out
    assert not list(tmp_path.glob("tabcheck-serve-*"))


def test_a_folder_left_by_a_server_that_died_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / "tabcheck-serve-old"
    (left / "drop-x").mkdir(parents=True)
    (left / "owner.pid").write_text(str(dead.pid))
    (left / "drop-x" / "tabcheck-fixed.zip").write_bytes(b"PK")
    alive = tmp_path / "tabcheck-serve-alive"
    alive.mkdir()
    (alive / "owner.pid").write_text(str(os.getpid()))
    app = create_app(ServeSettings(work_dir=tmp_path))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        _drop(client, _showcase_parts()[:1])
        assert not left.exists()
        assert alive.exists()


def test_the_page_texts_are_complete_and_french_typography_holds() -> None:
    from tabcheck.serve.page import TEXTS

    assert set(TEXTS["en"]) == set(TEXTS["fr"])
    for lang, texts in TEXTS.items():
        for key, value in texts.items():
            assert "{NB}" not in value and "NB}" not in value, (lang, key)
            assert not re.search(
                r"\{(?!count|size|given|limit|name|url|version|ingest|formats|percent|done|total|file)", value
            ), (
                lang,
                key,
            )
    for key, value in TEXTS["fr"].items():
        # a no-break space before : ; ? ! and inside « », never an ordinary space or none
        assert not re.search(r"[^\u00a0][:;?!](\s|$)", value.replace("http://", "")), key
        assert "« " not in value and " »" not in value, key


def test_a_large_file_streams_to_disk_in_blocks(tmp_path: Path) -> None:
    """40 MB through the receiver in 64 KB chunks: on disk whole, never more than a few MB in memory."""
    import tracemalloc

    from tabcheck.serve.uploads import Receiver

    boundary = b"b0undary"
    row = b"1,2,3\n" * 10_000
    size = 40 * 1024 * 1024 // len(row) * len(row)

    def body():
        yield (
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="files"; filename="big/data.csv"\r\n\r\n'
        )
        yield b"a,b,c\n"
        for _ in range(size // len(row)):
            for i in range(0, len(row), 65536):
                yield row[i : i + 65536]
        yield b"\r\n--" + boundary + b"--\r\n"

    receiver = Receiver(boundary, tmp_path, max_bytes=1 << 30, max_files=10)
    tracemalloc.start()
    try:
        for chunk in body():
            receiver.write(chunk)
        receiver.finish()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (tmp_path / "big" / "data.csv").stat().st_size == size + len(b"a,b,c\n")
    assert receiver.received.files == ["big/data.csv"]
    assert peak < 4 * 1024 * 1024, peak


def test_a_failure_while_checking_is_said_and_cleaned_up(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tabcheck.serve.app as serve_app

    def broken(drop, settings, lang, report=None):
        (drop.folder / "fixed").mkdir()
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(serve_app, "process", broken)
    app = create_app(ServeSettings(work_dir=work))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        r = client.post("/check", files=_showcase_parts()[:1])
        assert r.status_code == 500
        assert "the files could not be checked. RuntimeError: disk on fire" in r.text
        assert not list(work.rglob("drop-*"))
        assert client.get("/").status_code == 200  # the server goes on


def test_the_page_can_follow_a_drop_while_it_is_checked(tmp_path: Path, client: TestClient) -> None:
    """process() says where it is (the page polls /progress/<job> with it): each file checked, the
    bytes of each text file corrected, the zip; names as dropped."""
    import shutil

    from tabcheck.serve.app import Store, process

    store = Store(tmp_path, 60)
    drop = store.new()
    (drop.inbox / "showcase").mkdir()
    for p in sorted(SHOWCASE.iterdir())[:3]:
        shutil.copy(p, drop.inbox / "showcase" / p.name)
    heard: list[tuple[str, str, int, int]] = []
    process(drop, ServeSettings(), "en", lambda *where: heard.append(where))
    phases = [h[0] for h in heard]
    assert phases.index("check") < phases.index("fix") < phases.index("zip") == len(phases) - 1
    checked = [h for h in heard if h[0] == "check" and h[1]]
    assert [h[1] for h in checked] == [f"showcase/{p.name}" for p in sorted(SHOWCASE.iterdir())[:3]]
    assert all(h[3] == 3 for h in checked)
    fixed = [h for h in heard if h[0] == "fix" and h[1]]
    assert fixed and all(h[1].startswith("showcase/") and 0 <= h[2] <= h[3] for h in fixed)
    store.close()
    assert client.get("/progress/abcdefgh12").json() == {}
    assert client.get("/progress/x").json() == {}
