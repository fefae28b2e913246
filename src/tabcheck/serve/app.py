"""The Starlette application of `tabcheck serve`, testable without a socket (`create_app(settings)`).

GET  /                 the drop page (English or French by Accept-Language, or ?lang=)
POST /check            a drop: files streamed into a temporary folder, checked, fixed, zipped; then
                       303 to its report (a form post) or {"report": url} (the page's script)
GET  /report/<token>   the report, the same HTML as `tabcheck check --format html`, with a bar on top
GET  /download/<token> the fixed copies and fix-manifest.json, one zip
POST /forget/<token>   deletes that drop's results now

Each drop has its own temporary folder below the app's (`tabcheck-serve-*` in the system's temporary
folder): the uploaded files and the fixed copies are removed once the zip is made; the zip goes with
the drop (after `keep_seconds`, on "delete", or when the server stops: `app.state.store.close()`).
Only requests to 127.0.0.1 or localhost are answered (no other site can reach the page through a
name of its own), and a post from another origin is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tabcheck.config import parse_size
from tabcheck.serve import page
from tabcheck.serve.uploads import Received, Receiver, UploadRefused, boundary_of, free_space

ZIP_NAME = "tabcheck-fixed.zip"
PREFIX = "tabcheck-serve-"
OWNER = "owner.pid"  # in the app's folder: a folder left by a server that died is removed by the next
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")
_JOB = re.compile(r"^[A-Za-z0-9]{8,40}$")  # named by the page's script, to ask how far its drop is
_BLOCK = 1024 * 1024  # bytes handed to the parser at once (from a worker thread)
_ENVELOPE = 8 * 1024 * 1024  # room for the multipart headers and boundaries around the files' bytes


@dataclass(frozen=True)
class ServeSettings:
    """What every drop is checked with (as `tabcheck check` and `tabcheck fix` would be)."""

    dataverse: str | None = None
    max_ingest_size: int | str | None = None
    max_upload_size: int | str | None = None  # the repository's upload limit (default 50GB)
    max_drop: int | str | None = None  # the largest drop the page accepts (default: the upload limit)
    instance: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    files: tuple[Mapping[str, str], ...] = ()
    lang: str = "en"  # the page's language when the browser asks for neither English nor French
    jobs: int = 1
    max_files: int = 10_000
    work_dir: Path | None = None  # where the temporary folders go (default: the system's)
    keep_seconds: float = 3600.0  # a drop's zip is kept this long at most
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")

    def target(self) -> tuple[str, int, int]:
        """(Dataverse version, ingest limit, upload limit) in bytes; ValueError when not valid."""
        from tabcheck import api

        version, ingest, upload = api.resolve_target(
            self.instance, self.dataverse, self.max_ingest_size, self.max_upload_size
        )
        api.check([], dataverse=version)  # refuses an unknown version
        if self.max_drop is not None:
            parse_size(self.max_drop)
        return version, parse_size(ingest), parse_size(upload)


@dataclass
class Drop:
    """One drop: its folder, and once processed its report and zip."""

    token: str
    folder: Path
    created: float = field(default_factory=time.monotonic)
    received: Received = field(default_factory=Received)
    run: Any = None  # tabcheck.model.RunReport
    zip_path: Path | None = None
    zip_size: int | None = None
    fixed: int = 0
    still: int = 0
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (file, English, French)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def inbox(self) -> Path:
        return self.folder / "files"

    @property
    def outbox(self) -> Path:
        return self.folder / "fixed"


class Store:
    """The drops of one server, each in its own folder below one temporary folder of the app."""

    def __init__(self, work_dir: Path | None, keep_seconds: float) -> None:
        self.work_dir = work_dir
        self.keep_seconds = keep_seconds
        self._root: Path | None = None
        self._drops: dict[str, Drop] = {}
        self._lock = threading.Lock()
        self.progress: dict[str, dict[str, object]] = {}  # job -> where its drop is (the page polls it)
        self._stop: threading.Event | None = None

    @property
    def root(self) -> Path | None:
        """The app's temporary folder, or None before the first drop (or after close)."""
        return self._root

    def _ensure_root(self) -> Path:
        if self._root is None or not self._root.is_dir():
            base = Path(self.work_dir) if self.work_dir else Path(tempfile.gettempdir())
            remove_abandoned(base)
            self._root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
            (self._root / OWNER).write_text(str(os.getpid()), encoding="ascii")
        return self._root

    def new(self) -> Drop:
        with self._lock:
            self._expire()
            token = secrets.token_urlsafe(12)
            folder = Path(tempfile.mkdtemp(prefix="drop-", dir=self._ensure_root()))
            drop = Drop(token, folder)
            drop.inbox.mkdir()
            self._drops[token] = drop
            return drop

    def get(self, token: str) -> Drop | None:
        with self._lock:
            self._expire()
            drop = self._drops.get(token) if _TOKEN.match(token) else None
            return drop if drop is not None and drop.run is not None else None

    def forget(self, token: str) -> None:
        with self._lock:
            drop = self._drops.pop(token, None)
        if drop is not None:
            shutil.rmtree(drop.folder, ignore_errors=True)

    def _expire(self) -> None:
        now = time.monotonic()
        for token, drop in list(self._drops.items()):
            if drop.run is not None and now - drop.created > self.keep_seconds:
                del self._drops[token]
                shutil.rmtree(drop.folder, ignore_errors=True)

    def sweep_every(self, seconds: float) -> None:
        """Remove expired drops every `seconds` (in a daemon thread), not only when a request comes."""
        stop = self._stop = threading.Event()

        def sweep() -> None:
            while not stop.wait(seconds):
                with self._lock:
                    self._expire()

        threading.Thread(target=sweep, name="tabcheck-serve-sweep", daemon=True).start()

    def close(self) -> None:
        """Remove every drop and the app's folder (on shutdown, Ctrl+C included)."""
        if self._stop is not None:
            self._stop.set()
        with self._lock:
            self._drops.clear()
            root, self._root = self._root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)


def remove_abandoned(base: Path) -> None:
    """Remove the folders of earlier servers that did not stop cleanly (their process is gone)."""
    try:
        candidates = [p for p in base.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    except OSError:
        return
    for folder in candidates:
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            pid = int((folder / OWNER).read_text(encoding="ascii").strip())
        except (OSError, ValueError, AttributeError):
            continue
        if pid == os.getpid() or _alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


# -- processing a drop ---------------------------------------------------------------------------------


def _relabel(text: str, folder: Path) -> str:
    """A path below `folder` as the person knows it: relative to what they dropped."""
    for prefix in {str(folder) + os.sep, str(folder.resolve()) + os.sep}:
        if text.startswith(prefix):
            return text[len(prefix) :].replace(os.sep, "/")
    return text


Report = Callable[[str, str, int, int], None]  # (phase: check|fix|zip, file, done, total)


def process(drop: Drop, settings: ServeSettings, lang: str, report: Report | None = None) -> None:
    """Check the drop's files, fix them into its `fixed/` folder through the run's output guard, zip
    the fixed copies with fix-manifest.json, then remove the uploaded files and the fixed copies.

    `report` hears where it is: ("check", file, files done, files), ("fix", file, bytes done, bytes),
    ("zip", "", 0, 0)."""
    tell: Report = report or (lambda phase, file, done, total: None)
    from tabcheck import api
    from tabcheck.api import _file_settings
    from tabcheck.checker import Settings, check_delimiter, check_encoding
    from tabcheck.fix import fix_paths
    from tabcheck.fix.names import MANIFEST
    from tabcheck.fix.output import check_target
    from tabcheck.guard import OutputGuard
    from tabcheck.model import Target

    version, ingest, upload = settings.target()
    try:
        run = api.check(
            [drop.inbox],
            dataverse=version,
            max_ingest_size=ingest,
            max_upload_size=upload,
            select=settings.select,
            ignore=settings.ignore,
            lang=lang,
            encoding=settings.encoding,
            delimiter=settings.delimiter,
            files=settings.files,
            jobs=settings.jobs,
            progress=lambda done, total, name: tell("check", _relabel(name, drop.inbox), done, total),
        )
        for checked in run.files:
            checked.path = _relabel(checked.path, drop.inbox)
        fix_settings = Settings(
            target=Target(dataverse=version, max_ingest_size=ingest, max_upload_size=upload),
            lang=lang,
            encoding=check_encoding(settings.encoding),
            delimiter=check_delimiter(settings.delimiter),
            files=tuple(_file_settings(settings.files)),
        )
        guard = OutputGuard(inputs=[drop.inbox])
        guard.folder(drop.outbox)
        tell("fix", "", 0, 0)
        with guard.active():
            check_target(drop.outbox / MANIFEST)
            fixed = fix_paths(
                [drop.inbox],
                drop.outbox,
                fix_settings,
                progress=lambda name, done, total: tell("fix", _relabel(name, drop.inbox), done, total),
            )
        outputs: list[Path] = []
        for m in fixed.files:
            m.source = _relabel(m.source, drop.inbox)
            for o in m.outputs:
                outputs.append(Path(o.path))
                o.path = Path(_relabel(str(o.path), drop.outbox))
            if m.error:
                drop.failed.append((m.source, m.error))
            elif m.refused is not None:
                drop.refused.append((m.source, m.refused.message, m.refused.message_fr))
            elif any(o.verification is not None and not o.verification.ok for o in m.outputs):
                detail = next(
                    o.verification.detail for o in m.outputs if o.verification and not o.verification.ok
                )
                drop.failed.append((m.source, detail or ""))
            else:
                drop.fixed += 1
                if any(o.verification is not None and o.verification.recheck for o in m.outputs):
                    drop.still += 1
        manifest = json.dumps(fixed.to_json(), ensure_ascii=False, indent=1) + "\n"
        if any(f.is_file() for f in drop.outbox.rglob("*") if f.name != MANIFEST):
            tell("zip", "", 0, 0)
            drop.zip_path = drop.folder / ZIP_NAME
            _zip(drop.outbox, manifest, drop.zip_path)
            drop.zip_size = drop.zip_path.stat().st_size
        drop.created = time.monotonic()  # kept `keep_seconds` from now, when its results are ready
        drop.run = run
    finally:
        shutil.rmtree(drop.inbox, ignore_errors=True)
        shutil.rmtree(drop.outbox, ignore_errors=True)


def _zip(folder: Path, manifest: str, target: Path) -> None:
    """Every file below `folder` (streamed from disk), and the manifest with relative paths."""
    from tabcheck.fix.names import MANIFEST

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6, strict_timestamps=False) as zf:
        zf.writestr(MANIFEST, manifest)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if rel != MANIFEST:
                zf.write(path, rel)


# -- the application ---------------------------------------------------------------------------------


_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(settings: ServeSettings | None = None) -> Starlette:
    """The app; `app.state.store` holds the drops (its `close()` removes every temporary file)."""
    settings = settings or ServeSettings()
    version, ingest, upload = settings.target()  # a wrong setting stops the server before it starts
    if settings.max_drop is not None:
        upload = parse_size(settings.max_drop)
    store = Store(settings.work_dir, settings.keep_seconds)
    info = {"dataverse": version, "max_ingest": ingest, "max_upload": upload}

    def lang_of(request: Request) -> str:
        return page.pick_lang(
            request.query_params.get("lang"), request.headers.get("accept-language"), settings.lang
        )

    def html(content: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(content, status_code=status, headers=_HEADERS)

    def refusal(request: Request, lang: str, key: str, status: int, **params: object) -> Response:
        message = page.text(lang, key, **params)
        if request.headers.get("x-tabcheck"):
            return JSONResponse({"error": message}, status_code=status, headers=_HEADERS)
        return html(page.problem_page(lang, message), status)

    def foreign(request: Request) -> bool:
        """A post sent by a page of another site: the browser says so (Sec-Fetch-Site), or its Origin
        names another host (an Origin `null`, as a page that hides its address sends, is refused)."""
        site = request.headers.get("sec-fetch-site")
        if site is not None:
            return site not in ("same-origin", "none")
        origin = request.headers.get("origin")
        if not origin or origin == "null":
            return origin == "null"
        return (urlsplit(origin).hostname or "") not in settings.allowed_hosts

    async def home(request: Request) -> Response:
        chosen = request.query_params.get("lang")
        return html(page.home(lang_of(request), info, chosen_lang=chosen if chosen in page.TEXTS else None))

    async def check(request: Request) -> Response:
        lang = lang_of(request)
        if foreign(request):
            return refusal(request, lang, "forbidden", 403)
        boundary = boundary_of(request.headers.get("content-type", ""))
        if boundary is None:
            return refusal(request, lang, "not-multipart", 400)
        length = request.headers.get("content-length")
        given = int(length) if length and length.isdigit() else None
        if given is not None and given > upload + _ENVELOPE:
            return refusal(
                request, lang, "too-large", 413, size=page.size(upload, lang), given=page.size(given, lang)
            )
        job = request.query_params.get("job", "")
        job = job if _JOB.match(job) else ""

        def tell(phase: str, file: str, done: int, total: int) -> None:
            if job:
                store.progress[job] = {"phase": phase, "file": file, "done": done, "total": total}

        drop = store.new()
        try:
            if given is not None and free_space(drop.folder) < 2 * given:
                return refusal(request, lang, "no-space", 507, given=page.size(given, lang))
            receiver = Receiver(boundary, drop.inbox, max_bytes=upload, max_files=settings.max_files)
            drop.received = receiver.received
            try:
                await _receive(request, receiver)
            finally:
                receiver.close()
            if not receiver.received.files:
                return refusal(request, lang, "none", 400)
            await anyio.to_thread.run_sync(process, drop, settings, lang, tell)
        except UploadRefused as e:
            params = dict(e.params)
            if e.key == "too-large":
                params = {"size": page.size(upload, lang), "given": page.size(given or upload + 1, lang)}
            return refusal(request, lang, e.key, 413 if e.key != "refused-name" else 400, **params)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception as e:  # noqa: BLE001 - the page says what failed; the server goes on
            message = f"{page.text(lang, 'failed')} {type(e).__name__}: {e}"
            if request.headers.get("x-tabcheck"):
                return JSONResponse({"error": message}, status_code=500, headers=_HEADERS)
            return html(page.problem_page(lang, message), 500)
        finally:
            store.progress.pop(job, None)
            if drop.run is None:
                store.forget(drop.token)
        where = f"/report/{drop.token}" + (f"?lang={lang}" if request.query_params.get("lang") else "")
        if request.headers.get("x-tabcheck"):
            return JSONResponse({"report": where}, headers=_HEADERS)
        return RedirectResponse(where, status_code=303, headers=_HEADERS)

    async def report(request: Request) -> Response:
        lang = lang_of(request)
        drop = store.get(request.path_params["token"])
        if drop is None:
            return refusal(request, lang, "gone", 404)
        from tabcheck.report import RenderOptions, render

        content = render(drop.run, "html", RenderOptions(lang=lang))
        content = content.replace(html_escape_path(drop.inbox), "")
        refused = [(name, fr if lang == "fr" else en) for name, en, fr in drop.refused]
        top = page.bar(
            lang,
            token=drop.token,
            files=len(drop.run.files),
            zip_size=drop.zip_size,
            fixed=drop.fixed,
            refused=refused,
            failed=drop.failed,
            still=drop.still,
            ignored=drop.received.ignored,
            renamed=drop.received.renamed,
        )
        return html(page.decorate(content, top))

    async def download(request: Request) -> Response:
        lang = lang_of(request)
        drop = store.get(request.path_params["token"])
        if drop is None or drop.zip_path is None or not drop.zip_path.is_file():
            return refusal(request, lang, "gone", 404)
        return FileResponse(drop.zip_path, media_type="application/zip", filename=ZIP_NAME, headers=_HEADERS)

    async def forget(request: Request) -> Response:
        lang = lang_of(request)
        if foreign(request):
            return refusal(request, lang, "forbidden", 403)
        store.forget(request.path_params["token"])
        return RedirectResponse(f"/?lang={lang}", status_code=303, headers=_HEADERS)

    async def progress(request: Request) -> Response:
        job = request.path_params["job"]
        found = store.progress.get(job, {}) if _JOB.match(job) else {}
        return JSONResponse(found, headers=_HEADERS)

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store.sweep_every(min(60.0, settings.keep_seconds / 2))
        try:
            yield
        finally:
            store.close()

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/check", check, methods=["POST"]),
            Route("/report/{token}", report),
            Route("/download/{token}", download),
            Route("/forget/{token}", forget, methods=["POST"]),
            Route("/progress/{job}", progress),
            Route("/favicon.ico", favicon),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))],
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings
    return app


def html_escape_path(folder: Path) -> str:
    from html import escape

    return escape(str(folder) + os.sep)


async def _receive(request: Request, receiver: Receiver) -> None:
    """Feed the body to the receiver in blocks of about a megabyte, each written from a worker thread."""
    pending: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        if not chunk:
            continue
        pending.append(chunk)
        size += len(chunk)
        if size >= _BLOCK:
            await anyio.to_thread.run_sync(receiver.write, b"".join(pending))
            pending, size = [], 0
    if pending:
        await anyio.to_thread.run_sync(receiver.write, b"".join(pending))
    await anyio.to_thread.run_sync(receiver.finish)
