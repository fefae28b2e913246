"""`tabcheck deposit`: the checks in front of Dataverse's add-file call.

1. Check the files (tabcheck.api.check) and decide per file (deposit/plan.py): a file predicted to
   fail, or that blocks, is refused unless `--on-fail` says what to do with it — upload its fixed
   copy (tabcheck fix into a temporary folder, through the run's output guard; a file fix refuses,
   or whose copy still blocks, stays refused) or upload it with tabular ingest turned off.
2. Upload the rest through pyDataverse (deposit/client.py), the token from an environment variable.
3. Wait for the dataset's `Ingest` lock to clear, read back what Dataverse made of each file
   (tabular or not, variables, observations, UNF, MD5) and compare it with the prediction.
4. Write a receipt, JSON and HTML (deposit/receipt.py), through the output guard.

Exit codes: 0 every file uploaded and ingested as predicted; 1 a file refused or not as predicted;
2 an error (no token, a refused token, no permission, an unknown dataset, a server error, a file
too large for the server, an ingest still running after `--ingest-timeout`, a file not checked).
`--dry-run` does steps 1 and shows them: it needs no token and sends nothing.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabcheck.deposit.messages import both, say

if TYPE_CHECKING:
    from tabcheck.checker import Settings
    from tabcheck.deposit.client import Client, Observed
    from tabcheck.deposit.plan import Planned, Upload
    from tabcheck.guard import OutputGuard
    from tabcheck.model import RunReport

DEFAULT_TOKEN_ENV = "DATAVERSE_API_TOKEN"
RECEIPT_JSON = "deposit-receipt.json"
RECEIPT_HTML = "deposit-receipt.html"
_PID = re.compile(r"^(doi:10\.\S+/\S+|hdl:\S+/\S+|perma:\S+)$")
# Errors after which nothing more can be sent.
_FATAL = ("err.401", "err.403", "err.404", "err.unreachable")


class DepositError(Exception):
    """An error of the deposit (exit 2): a message key and its params, said in English or French."""

    def __init__(self, key: str, params: dict[str, Any] | None = None) -> None:
        self.key = key
        self.params = params or {}
        super().__init__(say("en", key, **self.params))

    def text(self, lang: str) -> str:
        return say(lang, self.key, **self.params)

    def to_json(self) -> dict[str, str]:
        en, fr = both(self.key, **self.params)
        return {"code": self.key.removeprefix("err."), "message": en, "message_fr": fr}


@dataclass
class Sent:
    """One upload and what became of it."""

    upload: Upload
    file_id: int | None = None
    observed: Observed | None = None
    differences: list[dict[str, Any]] = field(default_factory=list)
    error: DepositError | None = None

    @property
    def as_predicted(self) -> bool | None:
        """True or False once the server's result is known; None when it is not (error, lock)."""
        if self.error is not None or self.observed is None:
            return None
        return not self.differences


def same_version(server: str, modelled: str) -> bool:
    """Does the server's version (`6.8`, `v. 6.8 build 1234`, `6.8.1`) have the modelled major.minor?"""
    import re

    found = re.search(r"(\d+)\.(\d+)", server)
    return found is not None and f"{found.group(1)}.{found.group(2)}" == modelled


@dataclass
class FileDeposit:
    planned: Planned
    sent: list[Sent] = field(default_factory=list)


@dataclass
class DepositResult:
    server: str
    dataset: str
    on_fail: str
    dry_run: bool
    dataverse: str
    date: str
    files: list[FileDeposit] = field(default_factory=list)
    dataset_id: int | None = None
    error: DepositError | None = None  # an error after the uploads began (a lock, the read-back)
    server_version: str | None = None  # what the server says it runs (GET /api/info/version)
    receipt: tuple[Path, Path] | None = None

    @property
    def summary(self) -> dict[str, int]:
        sent = [s for f in self.files for s in f.sent]
        return {
            "files": len(self.files),
            "upload": sum(f.planned.action != "refused" for f in self.files),
            "uploaded": sum(s.file_id is not None for s in sent),
            "refused": sum(f.planned.action == "refused" for f in self.files),
            "as_predicted": sum(s.as_predicted is True for s in sent),
            "mismatches": sum(s.as_predicted is False for s in sent),
            "errors": sum(s.error is not None for s in sent) + (self.error is not None),
        }

    @property
    def exit_code(self) -> int:
        """2 an error or a file not checked; 1 a file refused or not as predicted; else 0."""
        s = self.summary
        if s["errors"] or any(f.planned.why == "unreadable" for f in self.files):
            return 2
        if not self.dry_run and any(x.as_predicted is None for f in self.files for x in f.sent):
            return 2
        return 1 if s["refused"] or s["mismatches"] else 0


def check_options(server: str, dataset: str, on_fail: str) -> None:
    from tabcheck.deposit.plan import ON_FAIL

    if on_fail not in ON_FAIL:
        raise DepositError("err.on-fail", {"value": on_fail})
    if not re.match(r"^https?://[^/\s]+", server or ""):
        raise DepositError("err.server", {"value": server})
    if not _PID.match(dataset or ""):
        raise DepositError("err.dataset", {"value": dataset})


def run(
    paths: Iterable[str | Path],
    *,
    server: str,
    dataset: str,
    settings: Settings,
    check: Callable[[list[str | Path]], RunReport],
    token: str | None = None,
    token_env: str = DEFAULT_TOKEN_ENV,
    on_fail: str = "refuse",
    dry_run: bool = False,
    receipt_dir: str | Path = "tabcheck-deposit",
    force: bool = False,
    ingest_timeout: float = 600.0,
    poll: float = 1.0,
    echo: Callable[[str], None] | None = None,
) -> DepositResult:
    """The deposit (see the module's docstring). `check` checks paths with the run's settings.

    Raises DepositError before anything is sent (options, no client, no token, a refused token,
    an unknown dataset, a receipt that could not be written); later errors are in the result.
    """
    from tabcheck.deposit import client as dv
    from tabcheck.discover import discover
    from tabcheck.guard import OutputGuard

    paths = list(paths)
    lang = settings.lang
    check_options(server, dataset, on_fail)
    if not dv.available():
        raise DepositError("err.missing-extra")
    secret = None
    if not dry_run:
        secret = token if token is not None else os.environ.get(token_env)
        if not secret:
            raise DepositError("err.no-token", {"env": token_env})
    guard = OutputGuard(inputs=paths, force=force)
    folder = Path(receipt_dir)
    if not dry_run:  # refuse a receipt path before anything is sent
        guard.folder(folder)
        for name in (RECEIPT_JSON, RECEIPT_HTML):
            guard.claim(folder / name, reserve=False)
    report = check(paths)
    found = {c.display: c for c in discover(paths)[0]}
    result = DepositResult(
        server=server.rstrip("/"),
        dataset=dataset,
        on_fail=on_fail,
        dry_run=dry_run,
        dataverse=report.target.dataverse,
        date=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )
    show = echo or (lambda line: None)
    workdir = Path(tempfile.mkdtemp(prefix="tabcheck-deposit-")) if on_fail == "fixed" else None
    try:
        from tabcheck.deposit.plan import plan

        fixed = _fixed_copies(report, found, workdir, settings, guard, check) if workdir else None
        result.files = [FileDeposit(p) for p in plan(report, found, on_fail, fixed)]
        from tabcheck.deposit.receipt import plan_line

        show(say(lang, "head.dry-run" if dry_run else "head.run", server=result.server, dataset=dataset))
        if not result.files:
            show(say(lang, "no-files"))
        for f in result.files:
            show(plan_line(f.planned, lang, result.dataverse))
        if dry_run:
            return result
        assert secret is not None
        client = dv.Client(result.server, dataset, secret, token_env)
        try:
            result.dataset_id = client.open_dataset()
            result.server_version = client.server_version()
            if result.server_version and not same_version(result.server_version, result.dataverse):
                show(say(lang, "warn.version", version=result.server_version, modelled=result.dataverse))
            _send(client, result)
            _read_back(client, result, ingest_timeout, poll)
        except DepositError as e:
            if not any(s.file_id is not None for f in result.files for s in f.sent):
                raise
            result.error = e
        from tabcheck.deposit.receipt import write_receipt

        with guard.active():
            result.receipt = write_receipt(result, folder, lang, mask=client.mask)
        return result
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _send(client: Client, result: DepositResult) -> None:
    """Upload every planned file; after a fatal error, the rest are not sent (same error)."""
    fatal: DepositError | None = None
    for f in result.files:
        for up in f.planned.uploads:
            sent = Sent(up)
            f.sent.append(sent)
            if fatal is not None:
                sent.error = fatal
                continue
            try:
                sent.file_id = client.upload(up)
            except DepositError as e:
                sent.error = e
                if e.key in _FATAL:
                    fatal = e
            except OSError as e:  # the file went away or became unreadable since the check
                sent.error = DepositError("err.read", {"name": up.name, "detail": e.strerror or e})


def _read_back(client: Client, result: DepositResult, timeout: float, poll: float) -> None:
    """Wait for ingest, then compare what the server made of each file with its prediction."""
    sent = [s for f in result.files for s in f.sent if s.file_id is not None]
    if not sent:
        return
    if not client.wait_for_ingest(timeout, poll):
        raise DepositError("err.lock", {"dataset": result.dataset, "seconds": f"{timeout:g}"})
    listed = client.files()
    for s in sent:
        assert s.file_id is not None
        s.observed = client.observe(s.file_id, listed.get(s.file_id))
        s.differences = differences(s.upload, s.observed)


def differences(up: Upload, seen: Observed) -> list[dict[str, Any]]:
    """What differs between the prediction for the bytes sent and what the server holds."""
    out: list[dict[str, Any]] = []
    if seen.md5 and seen.md5.lower() != up.md5:
        out.append({"what": "md5", "predicted": up.md5, "observed": seen.md5})
    expected = up.expects_table
    if seen.tabular != expected:
        out.append({"what": "tabular", "predicted": expected, "observed": seen.tabular})
        return out
    if not expected or up.prediction is None:
        return out
    pairs = [
        ("variables", up.prediction.variables, seen.variables),
        ("observations", up.prediction.observations, seen.observations),
        ("unf", getattr(up.prediction, "unf", None), seen.unf),
    ]
    for what, predicted, observed in pairs:
        if predicted is not None and predicted != observed:
            out.append({"what": what, "predicted": predicted, "observed": observed})
    return out


def _fixed_copies(
    report: RunReport,
    found: dict[str, Any],
    workdir: Path,
    settings: Settings,
    guard: OutputGuard,
    check: Callable[[list[str | Path]], RunReport],
) -> dict[str, tuple[list[Upload], str | None, str | None, str | None]]:
    """For each failing file, its verified fixed copies (or why there are none), as `plan` takes them.

    Each file is fixed alone into its own folder below `workdir`, through the run's output guard
    (as `tabcheck fix` writes); each copy is checked again for the prediction of what is sent.
    """
    from tabcheck.deposit.plan import Upload, failing_rules, fails
    from tabcheck.fix import fix_paths

    out: dict[str, tuple[list[Upload], str | None, str | None, str | None]] = {}
    failing = [r for r in report.files if not r.error and fails(r)]
    for i, r in enumerate(failing):
        cand = found.get(r.path)
        source = cand.path if cand is not None else Path(r.path)
        rel = cand.relative if cand is not None else Path(source.name)
        directory = None if str(rel.parent) in ("", ".") else rel.parent.as_posix()
        into = workdir / str(i)
        guard.folder(into)
        with guard.active():
            fixed = fix_paths([source], into, settings)
        m = fixed.files[0] if fixed.files else None
        if m is None or m.error:
            error = (m.error if m else None) or "no output"
            out[r.path] = ([], "fix-error", error, error)
            continue
        if m.refused is not None:
            out[r.path] = ([], "fix-refused", m.refused.message, m.refused.message_fr)
            continue
        bad = [o for o in m.outputs if o.verification is not None and not o.verification.ok]
        if bad:
            detail = bad[0].verification.detail if bad[0].verification else None
            out[r.path] = ([], "fix-error", detail, detail)
            continue
        copies = [o.path for o in m.outputs]
        again = check(list(copies)) if copies else None
        still = [x for x in again.files if x.error or fails(x)] if again else []
        if still or not copies:
            rules = [c for x in still for c in failing_rules(x)]
            shown = ", ".join(rules) or "-"
            out[r.path] = ([], "fix-still-fails", shown, shown)
            continue
        predictions = {x.path: x.dataverse for x in again.files} if again else {}
        uploads = [Upload(p, p.name, directory, True, predictions.get(str(p))) for p in copies]
        out[r.path] = (uploads, None, None, None)
    return out
