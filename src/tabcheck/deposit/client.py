"""The Dataverse native API calls of a deposit, through pyDataverse (the `deposit` extra).

Calls used (native API guide, "Datasets" and "Files"; data access guide for the DDI):

- `GET  /api/v1/datasets/:persistentId/?persistentId=PID`: the dataset exists and the token may see it;
- `POST /api/v1/datasets/:persistentId/add?persistentId=PID`: a file, with `jsonData`
  (`directoryLabel`, `tabIngest`); the answer's `data.files[0].dataFile.id` is the new file's id;
- `GET  /api/v1/datasets/:persistentId/locks/?persistentId=PID`: the `Ingest` lock, present while
  Dataverse ingests the tables just added;
- `GET  /api/v1/datasets/:persistentId/versions/:draft/files?persistentId=PID`: each file's
  `tabularData`, `UNF`, `originalFormatLabel`, label and MD5 after ingest;
- `GET  /api/v1/access/datafile/ID/metadata/ddi`: a table's variables (`varQnty`), observations
  (`caseQnty`) and UNF.

The token is sent in the `X-Dataverse-key` header only; every message that leaves this module goes
through `mask` (a server may echo what it was sent).
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tabcheck.deposit import DepositError
from tabcheck.deposit.plan import Upload

MASK = "********"


def available() -> bool:
    """pyDataverse is installed (`pip install 'tabcheck[deposit]'`)."""
    try:
        import pyDataverse.api  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Observed:
    """What the server holds for one uploaded file once ingest is over."""

    label: str | None = None
    tabular: bool = False
    variables: int | None = None
    observations: int | None = None
    unf: str | None = None
    original_format: str | None = None
    md5: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "tabular": self.tabular,
            "variables": self.variables,
            "observations": self.observations,
            "unf": self.unf,
            "original_format": self.original_format,
            "md5": self.md5,
        }


class Client:
    """One dataset on one server, with one token (never shown: see `mask`)."""

    def __init__(self, server: str, dataset: str, token: str, token_env: str = "DATAVERSE_API_TOKEN") -> None:
        from pyDataverse.api import NativeApi  # type: ignore[import-untyped]
        from pyDataverse.auth import ApiTokenAuth  # type: ignore[import-untyped]

        self.server = server.rstrip("/")
        self.dataset = dataset
        self.token_env = token_env
        self._token = token
        self.api = NativeApi(self.server, auth=ApiTokenAuth(token))
        self.dataset_id: int | None = None

    # -- masking ---------------------------------------------------------------------------------

    def mask(self, text: object) -> str:
        shown = str(text)
        return shown.replace(self._token, MASK) if self._token else shown

    def _error(self, key: str, **params: object) -> DepositError:
        return DepositError(key, {k: self.mask(v) for k, v in params.items()})

    # -- requests --------------------------------------------------------------------------------

    def _call(self, request: Callable[[], Any]) -> Any:
        """Run one pyDataverse request; connection failures and 401 become DepositError."""
        import httpx
        from pyDataverse.exceptions import ApiAuthorizationError  # type: ignore[import-untyped]

        try:
            with warnings.catch_warnings():
                # pyDataverse 0.3.5 passes its own deprecated `auth` argument (get_dataset, get_files…).
                warnings.filterwarnings("ignore", "The auth parameter is deprecated", DeprecationWarning)
                return request()
        except ApiAuthorizationError:
            raise self._error("err.401", env=self.token_env) from None
        except httpx.HTTPError as e:
            raise self._error("err.unreachable", server=self.server, detail=e) from None

    def _data(self, response: Any, *, name: str | None = None) -> Any:
        """The `data` of an OK answer, or the DepositError its status means."""
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if status in (200, 201) and isinstance(body, dict) and body.get("status") == "OK":
            return body.get("data")
        message = body.get("message") if isinstance(body, dict) else None
        if status == 401:
            raise self._error("err.401", env=self.token_env)
        if status == 403:
            raise self._error("err.403", dataset=self.dataset)
        if status == 404:
            raise self._error("err.404", dataset=self.dataset, server=self.server)
        if status == 413:
            raise self._error("err.413", name=name or "the file")
        if status in (200, 201):
            raise self._error("err.bad-answer", status=status)
        if not message:
            message = response.reason_phrase or "no message"
        raise self._error("err.http", status=status, message=str(message)[:500])

    def open_dataset(self) -> int:
        """The dataset's database id; raises on a wrong token, no permission, an unknown dataset."""
        data = self._data(self._call(lambda: self.api.get_dataset(self.dataset)))
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise self._error("err.bad-answer", status=200)
        self.dataset_id = data["id"]
        return data["id"]

    def server_version(self) -> str | None:
        """The installation's Dataverse version (`GET /api/info/version`), None when it does not say."""
        try:
            data = self._data(self._call(self.api.get_info_version))
        except DepositError:
            return None
        version = data.get("version") if isinstance(data, dict) else None
        return str(version) if version else None

    def upload(self, up: Upload) -> int:
        """Add one file to the dataset (native API add-file); its new file id."""
        meta: dict[str, str] = {"tabIngest": "true" if up.tab_ingest else "false"}
        if up.directory:
            meta["directoryLabel"] = up.directory
        url = f"{self.api.base_url_api_native}/datasets/:persistentId/add?persistentId={self.dataset}"
        with open(up.path, "rb") as fh:
            # NativeApi.upload_datafile names the part after the local path and leaves the file open:
            # the same request through its post_request, with the dataset's name for the file.
            response = self._call(
                lambda: self.api.post_request(
                    url, data={"jsonData": json.dumps(meta)}, files={"file": (up.name, fh)}
                )
            )
        data = self._data(response, name=up.name)
        try:
            return int(data["files"][0]["dataFile"]["id"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise self._error("err.bad-answer", status=response.status_code) from None

    def wait_for_ingest(self, timeout: float, poll: float) -> bool:
        """Wait until the dataset has no `Ingest` lock; False when it still has one after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            data = self._data(self._call(lambda: self.api.get_dataset_lock(self.dataset)))
            locks = [lk.get("lockType") for lk in data or [] if isinstance(lk, dict)]
            if "Ingest" not in locks:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())) or poll)

    def files(self) -> dict[int, dict[str, Any]]:
        """The draft version's files, by file id: each `dataFile` with its `label`."""
        data = self._data(self._call(lambda: self.api.get_datafiles_metadata(self.dataset, version=":draft")))
        out: dict[int, dict[str, Any]] = {}
        for entry in data or []:
            df = entry.get("dataFile") if isinstance(entry, dict) else None
            if isinstance(df, dict) and isinstance(df.get("id"), int):
                out[df["id"]] = {**df, "label": entry.get("label", df.get("filename"))}
        return out

    def observe(self, file_id: int, listed: dict[str, Any] | None) -> Observed:
        """What the server made of one file: from the files list, and the DDI for a table."""
        if listed is None:
            return Observed()
        seen = Observed(
            label=listed.get("label"),
            tabular=bool(listed.get("tabularData")),
            unf=listed.get("UNF"),
            original_format=listed.get("originalFormatLabel"),
            md5=(listed.get("checksum") or {}).get("value") or listed.get("md5"),
        )
        if seen.tabular:
            url = f"{self.api.base_url_api_native}/access/datafile/{file_id}/metadata/ddi"
            response = self._call(lambda: self.api.get_request(url))
            if response.status_code == 200:
                variables, observations, unf = _ddi_counts(response.content)
                seen.variables, seen.observations = variables, observations
                seen.unf = seen.unf or unf
        return seen


def _ddi_counts(xml: bytes) -> tuple[int | None, int | None, str | None]:
    """(varQnty, caseQnty, the file's UNF) of a DDI codebook; None where absent or unreadable."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return None, None, None
    found: dict[str, str] = {}
    unf = None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("varQnty", "caseQnty") and tag not in found and el.text:
            found[tag] = el.text.strip()
        elif tag == "notes" and unf is None and (el.text or "").strip().startswith("UNF:"):
            if el.get("level") in (None, "file"):
                unf = (el.text or "").strip()

    def number(key: str) -> int | None:
        try:
            return int(found[key])
        except (KeyError, ValueError):
            return None

    return number("varQnty"), number("caseQnty"), unf
