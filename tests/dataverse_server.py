"""A small Dataverse for the deposit tests: the native-API endpoints `tabcheck deposit` calls.

Follows the API guide (doc/sphinx-guides/source/api/native-api.rst, dataaccess.rst) and the JSON
printer of Dataverse (JsonPrinter.java) for the shapes: `{"status": "OK", "data": …}` on success,
`{"status": "ERROR", "message": …}` on failure.

- `GET  /api[/v1]/datasets/:persistentId/?persistentId=PID` → the dataset (`data.id`); 401 a wrong
  token, 404 an unknown PID;
- `POST /api[/v1]/datasets/:persistentId/add?persistentId=PID` (multipart: `file`, `jsonData`) → 200
  `data.files[0]` (a file metadata with its `dataFile`); 403 without the permission to add files,
  413 (an nginx page, not JSON) over `max_upload`; then the dataset holds an `Ingest` lock for
  `lock_seconds` (`float("inf")`: a lock that lasts);
- `GET  …/datasets/:persistentId/locks/?persistentId=PID` → the list of locks;
- `GET  …/datasets/:persistentId/versions/:draft/files?persistentId=PID` → the file metadata list;
- `GET  /api[/v1]/access/datafile/ID/metadata/ddi` → the DDI codebook of a tabular file.

The ingest of a file sent with `tabIngest` true is computed by tabcheck's own prediction for the
bytes received (under the name received); `ingest` replaces fields of it per file name. Every
request is recorded (`requests`), every upload too (`uploads`: name, bytes, jsonData).
"""

from __future__ import annotations

import base64
import hashlib
import json
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

_NGINX_413 = (
    b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
    b"<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_FORMATS = {
    ".csv": ("text/csv", "Comma Separated Values"),
    ".tsv": ("text/tab-separated-values", "Tab-Separated Values"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "MS Excel Spreadsheet"),
}


@dataclass
class Upload:
    name: str
    data: bytes
    json_data: dict[str, Any]


@dataclass
class StoredFile:
    id: int
    label: str
    directory: str | None
    data: bytes
    content_type: str
    tabular: bool = False
    variables: int | None = None
    observations: int | None = None
    unf: str | None = None
    original_format: str | None = None
    original_label: str | None = None

    def data_file(self) -> dict[str, Any]:
        md5 = hashlib.md5(self.data).hexdigest()
        out: dict[str, Any] = {
            "id": self.id,
            "persistentId": "",
            "filename": self.label,
            "contentType": "text/tab-separated-values" if self.tabular else self.content_type,
            "friendlyType": "Tab-Delimited" if self.tabular else self.original_format or "Unknown",
            "filesize": len(self.data),
            "storageIdentifier": f"local://{self.id:x}",
            "rootDataFileId": -1,
            "md5": md5,
            "checksum": {"type": "MD5", "value": md5},
            "tabularData": self.tabular,
            "creationDate": "2026-11-29",
            "fileAccessRequest": True,
        }
        if self.directory:
            out["directoryLabel"] = self.directory
        if self.tabular:
            out.update(
                originalFileFormat=self.content_type,
                originalFormatLabel=self.original_format,
                originalFileSize=len(self.data),
                originalFileName=self.original_label,
                UNF=self.unf,
                tabularTags=[],
            )
        return out

    def metadata(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "restricted": False,
            "version": 1,
            "datasetVersionId": 7,
            "dataFile": self.data_file(),
        }
        if self.directory:
            out["directoryLabel"] = self.directory
        return out


@dataclass
class FakeDataverse:
    token: str = "0d5a4c1e-7f21-4a5b-9c3d-2e8f6b1a9d07"
    datasets: dict[str, int] = field(default_factory=lambda: {"doi:10.5072/FK2/ABC": 24})
    can_add: bool = True
    max_upload: int | None = None
    lock_seconds: float = 0.3
    version: str = "6.8"  # what GET /api/info/version says
    fail: dict[str, int] = field(default_factory=dict)  # endpoint (dataset, add, locks, files, ddi) → status
    ingest: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → fields of StoredFile
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    files: list[StoredFile] = field(default_factory=list)
    _lock_until: float = 0.0
    _next_id: int = 100

    # -- life ------------------------------------------------------------------------------------

    def start(self) -> str:
        fake = self

        class Handler(_Handler):
            dataverse = fake

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- endpoints -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes):
        """(status, content type, body) for one request."""
        parts = [p for p in path.split("/") if p]
        if parts[:1] != ["api"]:
            return _error(404, "API endpoint does not exist on this server.")
        parts = parts[2:] if parts[1:2] == ["v1"] else parts[1:]
        if parts == ["info", "version"] and method == "GET":  # public: no token needed
            return _ok({"version": self.version, "build": "1234-abcdef"})
        if headers.get("x-dataverse-key") != self.token:
            return _error(401, "Bad API key")
        pid = query.get("persistentId")
        if parts[:2] == ["datasets", ":persistentId"]:
            endpoint = {(): "dataset", ("add",): "add", ("locks",): "locks"}.get(tuple(parts[2:]))
            if parts[2:] == ["versions", ":draft", "files"]:
                endpoint = "files"
            if endpoint is None:
                return _error(404, "API endpoint does not exist on this server.")
            if endpoint in self.fail:
                status = self.fail[endpoint]
                # A careless server that echoes what it was sent: tabcheck must mask it.
                return _error(status, f"Internal error while serving {path} for key {self.token}")
            if pid not in self.datasets:
                return _error(404, f"Dataset with Persistent ID {pid} not found.")
            if endpoint == "dataset" and method == "GET":
                return _ok(
                    {"id": self.datasets[pid], "identifier": pid.split("/", 1)[-1], "persistentUrl": pid}
                )
            if endpoint == "add" and method == "POST":
                return self._add(headers, body)
            if endpoint == "locks" and method == "GET":
                locked = time.monotonic() < self._lock_until
                return _ok(
                    [
                        {
                            "lockType": "Ingest",
                            "date": "Sun Nov 29 10:00:00 UTC 2026",
                            "user": "depositor",
                            "dataset": pid,
                        }
                    ]
                    if locked
                    else []
                )
            if endpoint == "files" and method == "GET":
                return _ok([f.metadata() for f in self.files], total=len(self.files))
            return _error(405, "Method not allowed")
        if parts[:2] == ["access", "datafile"] and parts[3:] == ["metadata", "ddi"]:
            if "ddi" in self.fail:
                return _error(self.fail["ddi"], "Internal error")
            found = [f for f in self.files if str(f.id) == parts[2]]
            if not found or not found[0].tabular:
                return _error(404, "Datafile not found or not tabular")
            return 200, "text/xml; charset=UTF-8", _ddi(found[0]).encode()
        return _error(404, "API endpoint does not exist on this server.")

    def _add(self, headers: dict[str, str], body: bytes):
        if self.max_upload is not None and len(body) > self.max_upload:
            return 413, "text/html", _NGINX_413
        if not self.can_add:
            return _error(403, "You are not permitted to complete this action.")
        form = _multipart(headers.get("content-type", ""), body)
        if "file" not in form:
            return _error(400, "A file must be uploaded.")
        name, data = form["file"]
        meta = json.loads(form.get("jsonData", (None, b"{}"))[1] or b"{}")
        self.uploads.append(Upload(name or "", data, meta))
        stored = self._ingest(name or "file", data, meta)
        self.files.append(stored)
        self._lock_until = time.monotonic() + self.lock_seconds
        return _ok({"files": [stored.metadata()]})

    def _ingest(self, name: str, data: bytes, meta: dict[str, Any]) -> StoredFile:
        self._next_id += 1
        ext = Path(name).suffix.lower()
        content_type, label = _FORMATS.get(ext, ("text/plain", "Plain Text"))
        stored = StoredFile(
            self._next_id, name, meta.get("directoryLabel"), data, content_type, original_format=label
        )
        if str(meta.get("tabIngest", "true")).lower() == "false" or ext not in _FORMATS:
            return stored
        result = {**predicted(name, data), **self.ingest.get(name, {})}
        if result.pop("tabular", True):
            stored.tabular = True
            stored.original_label = name
            stored.label = Path(name).stem + ".tab"
            stored.unf = "UNF:6:" + base64.b64encode(hashlib.sha256(data).digest()[:16]).decode()
            for key, value in result.items():
                setattr(stored, key, value)
        return stored


def predicted(name: str, data: bytes) -> dict[str, Any]:
    """What tabcheck predicts for these bytes under this name: the server's ingest."""
    import tabcheck.api

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        report = tabcheck.api.check([path], codebook=True).files[0]
    p = report.dataverse
    if p is None or p.outcome.value != "ingested":
        return {"tabular": False}
    out: dict[str, Any] = {"variables": p.variables, "observations": p.observations}
    if getattr(p, "unf", None):
        out["unf"] = p.unf
    return out


def _ok(data: Any, **extra: Any):
    return 200, "application/json", json.dumps({"status": "OK", **extra, "data": data}).encode()


def _error(status: int, message: str):
    return status, "application/json", json.dumps({"status": "ERROR", "message": message}).encode()


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart/form-data body: name → (file name, bytes)."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    out: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        out[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return out


def _ddi(f: StoredFile) -> str:
    variables = "".join(
        f'<var ID="v{f.id}_{i}" name="v{i}" intrvl="discrete"><location fileid="f{f.id}"/></var>'
        for i in range(f.variables or 0)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<codeBook xmlns="ddi:codebook:2_5" version="2.5">'
        f'<fileDscr ID="f{f.id}"><fileTxt><fileName>{f.label}</fileName>'
        f"<dimensns><caseQnty>{f.observations}</caseQnty><varQnty>{f.variables}</varQnty></dimensns>"
        "<fileType>text/tab-separated-values</fileType></fileTxt>"
        f'<notes level="file" type="VDC:UNF" subject="Universal Numeric Fingerprint">{f.unf}</notes>'
        f"</fileDscr><dataDscr>{variables}</dataDscr></codeBook>"
    )


class _Handler(BaseHTTPRequestHandler):
    dataverse: FakeDataverse
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = self._body()
        self.dataverse.requests.append((method, self.path, headers))
        status, content_type, payload = self.dataverse.handle(method, url.path, query, headers, body)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")
