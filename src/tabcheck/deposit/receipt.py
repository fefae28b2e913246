"""The deposit receipt (JSON and HTML, written through the output guard) and the lines the CLI prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabcheck.deposit.messages import say
from tabcheck.model import Outcome, Prediction

if TYPE_CHECKING:
    from tabcheck.deposit import DepositResult, Sent
    from tabcheck.deposit.plan import Planned


def _prediction(prediction: Prediction | None, lang: str, version: str) -> str:
    if prediction is not None and prediction.outcome == Outcome.INGESTED:
        return say(
            lang,
            "predict.ingested",
            version=version,
            variables=prediction.variables or 0,
            observations=prediction.observations or 0,
        )
    return say(lang, "predict.not-ingested", version=version)


def _why(p: Planned, lang: str, version: str) -> str:
    rules = ", ".join(p.rules) or "-"
    if p.why == "fails":
        return say(lang, "why.fails", version=version, rules=rules)
    if p.why == "fix-still-fails":
        return say(lang, "why.fix-still-fails", rules=p.detail or rules)
    detail = (p.detail_fr if lang == "fr" and p.detail_fr else p.detail) or "-"
    return say(lang, f"why.{p.why}", detail=detail)


def plan_line(p: Planned, lang: str, version: str) -> str:
    """What the deposit will do with one file, in one line."""
    rules = ", ".join(p.rules) or "-"
    if p.action == "refused":
        return say(lang, "plan.refused", source=p.source, why=_why(p, lang, version))
    if p.action == "no-ingest":
        return say(lang, "plan.no-ingest", source=p.source, rules=rules)
    lines = []
    for up in p.uploads:
        key = "plan.fixed" if p.action == "fixed" else "plan.upload"
        lines.append(
            say(
                lang,
                key,
                source=p.source,
                rules=rules,
                name=_shown_name(up.directory, up.name),
                prediction=_prediction(up.prediction, lang, version),
            )
        )
    return "\n".join(lines)


def _shown_name(directory: str | None, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _observed(s: Sent, lang: str) -> str:
    seen = s.observed
    assert seen is not None
    if seen.tabular:
        return say(
            lang, "observed.tabular", variables=seen.variables or 0, observations=seen.observations or 0
        )
    return say(lang, "observed.plain")


def _difference(d: dict[str, Any], lang: str) -> str:
    if d["what"] == "tabular":
        return say(lang, f"diff.tabular.{str(d['predicted']).lower()}")
    return say(
        lang,
        "diff.value",
        what=say(lang, f"what.{d['what']}"),
        predicted=d["predicted"],
        observed=d["observed"],
    )


def result_lines(result: DepositResult, lang: str) -> list[str]:
    """After the upload: one line per file sent, then the receipt (the run's error goes to stderr)."""
    lines = []
    for f in result.files:
        for s in f.sent:
            name = _shown_name(s.upload.directory, s.upload.name)
            if s.error is not None:
                lines.append(
                    say(lang, "result.error", source=f.planned.source, name=name, error=s.error.text(lang))
                )
            elif s.observed is None:
                lines.append(say(lang, "result.unknown", source=f.planned.source, name=name, id=s.file_id))
            else:
                label = _shown_name(s.upload.directory, s.observed.label or s.upload.name)
                common = {"source": f.planned.source, "label": label, "id": s.file_id}
                if s.differences:
                    diffs = "; ".join(_difference(d, lang) for d in s.differences)
                    lines.append(
                        say(lang, "result.mismatch", observed=_observed(s, lang), differences=diffs, **common)
                    )
                else:
                    lines.append(say(lang, "result.ok", observed=_observed(s, lang), **common))
    if result.receipt is not None:
        lines.append(say(lang, "receipt", json=str(result.receipt[0]), html=str(result.receipt[1])))
    return lines


def summary_line(result: DepositResult, lang: str) -> str:
    return say(lang, "summary.dry-run" if result.dry_run else "summary.run", **result.summary)


def _prediction_json(p: Prediction | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "outcome": p.outcome.value,
        "variables": p.variables,
        "observations": p.observations,
        "unf": getattr(p, "unf", None),
    }


def receipt_json(result: DepositResult, lang: str = "en") -> dict[str, Any]:
    """The receipt: what was checked, decided, sent, and what the server made of it."""
    from tabcheck import __version__

    files = []
    for f in result.files:
        p = f.planned
        refusal = None
        if p.action == "refused":
            refusal = {
                "reason": p.why,
                "message": _why(p, "en", result.dataverse),
                "message_fr": _why(p, "fr", result.dataverse),
            }
        sent_by_upload = {id(s.upload): s for s in f.sent}
        uploads = []
        for up in p.uploads:
            s = sent_by_upload.get(id(up))
            uploads.append(
                {
                    "name": up.name,
                    "directory_label": up.directory,
                    "size": up.size,
                    "md5": up.md5,
                    "tab_ingest": up.tab_ingest,
                    "predicted": _prediction_json(up.prediction),
                    "file_id": s.file_id if s else None,
                    "observed": s.observed.to_json() if s and s.observed else None,
                    "as_predicted": s.as_predicted if s else None,
                    "differences": s.differences if s else [],
                    "error": s.error.to_json() if s and s.error else None,
                }
            )
        files.append(
            {
                "source": p.source,
                "status": p.status,
                "action": p.action,
                "rules": p.rules,
                "refused": refusal,
                "uploads": uploads,
            }
        )
    return {
        "tabcheck": __version__,
        "server": result.server,
        "dataset": result.dataset,
        "dataset_id": result.dataset_id,
        "date": result.date,
        "dataverse": result.dataverse,
        "server_version": result.server_version,
        "on_fail": result.on_fail,
        "dry_run": result.dry_run,
        "files": files,
        "summary": result.summary,
        "error": result.error.to_json() if result.error else None,
        "exit_code": result.exit_code,
    }


_HTML = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ w.title }} {{ r.dataset }}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:64rem;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f6}.ok{color:#176f2c}.bad{color:#a3142a;font-weight:600}
.muted{color:#666}code{font-size:.9em;word-break:break-all}
@media (max-width:760px){table,tbody,tr,td{display:block}thead{display:none}td{border:0;padding:.15rem 0}
tr{border-bottom:1px solid #ddd;padding:.5rem 0}}
</style></head><body>
<h1>{{ w.title }}</h1>
<p>{{ w.server }}{{ colon }} <code>{{ r.server }}</code> · {{ w.dataset }}{{ colon }} <code>{{ r.dataset }}</code>
{% if r.dataset_id is not none %}(id {{ r.dataset_id }}){% endif %}<br>
{{ w.date }}{{ colon }} {{ r.date }} · tabcheck {{ r.tabcheck }} · Dataverse {{ r.dataverse }} ·
--on-fail {{ r.on_fail }}</p>
<p><strong>{{ summary }}</strong></p>
{% if error %}<p class="bad">{{ error }}</p>{% endif %}
<table><thead><tr><th>{{ w.file }}</th><th>{{ w.action }}</th><th>{{ w.sent }}</th><th>{{ w.predicted }}</th>
<th>{{ w.observed }}</th><th>{{ w.result }}</th></tr></thead><tbody>
{% for f in rows %}<tr><td><code>{{ f.source }}</code><br><span class="muted">{{ f.status }}</span></td>
<td>{{ f.action }}</td><td>{{ f.sent }}</td><td>{{ f.predicted }}</td><td>{{ f.observed }}</td>
<td class="{{ f.css }}">{{ f.result }}</td></tr>
{% endfor %}</tbody></table>
</body></html>
"""

_WORDS = {
    "en": {
        "title": "Deposit receipt",
        "server": "Server",
        "dataset": "Dataset",
        "date": "Date",
        "file": "File",
        "action": "Decision",
        "sent": "Sent",
        "predicted": "Predicted",
        "observed": "On the server",
        "result": "Result",
        "upload": "uploaded as it is",
        "fixed": "fixed copy uploaded",
        "no-ingest": "uploaded without tabular ingest",
        "refused": "refused",
        "ok": "as predicted",
        "mismatch": "NOT as predicted",
        "unknown": "unknown",
    },
    "fr": {
        "title": "Récépissé de dépôt",
        "server": "Serveur",
        "dataset": "Jeu de données",
        "date": "Date",
        "file": "Fichier",
        "action": "Décision",
        "sent": "Envoyé",
        "predicted": "Prévu",
        "observed": "Sur le serveur",
        "result": "Résultat",
        "upload": "envoyé tel quel",
        "fixed": "copie corrigée envoyée",
        "no-ingest": "envoyé sans ingestion tabulaire",
        "refused": "refusé",
        "ok": "conforme à la prévision",
        "mismatch": "NON conforme à la prévision",
        "unknown": "inconnu",
    },
}


def receipt_html(result: DepositResult, lang: str = "en") -> str:
    import jinja2

    data = receipt_json(result, lang)
    w = _WORDS.get(lang, _WORDS["en"])
    rows = []
    for f, deposited in zip(data["files"], result.files, strict=True):
        planned, sent_list = deposited.planned, deposited.sent
        base = {"source": f["source"], "status": f["status"], "action": w[f["action"]]}
        if not f["uploads"]:
            why = f["refused"]["message_fr" if lang == "fr" else "message"] if f["refused"] else ""
            rows.append({**base, "sent": "-", "predicted": "-", "observed": "-", "result": why, "css": "bad"})
            continue
        sent_by_upload = {id(s.upload): s for s in sent_list}
        for u, up in zip(f["uploads"], planned.uploads, strict=True):
            s = sent_by_upload.get(id(up))
            tab_ingest = "true" if up.tab_ingest else "false"
            sent = f"{_shown_name(up.directory, up.name)} ({up.size} B, tabIngest {tab_ingest})"
            predicted = _prediction(up.prediction, lang, result.dataverse)
            if u["error"]:
                observed, res, css = "-", u["error"]["message_fr" if lang == "fr" else "message"], "bad"
            elif s is None or s.observed is None:
                observed, res, css = "-", w["unknown"], "muted"
            else:
                observed = _observed(s, lang)
                if s.differences:
                    res = w["mismatch"] + ": " + "; ".join(_difference(d, lang) for d in s.differences)
                    css = "bad"
                else:
                    res, css = w["ok"], "ok"
            rows.append(
                {
                    **base,
                    "sent": sent,
                    "predicted": predicted,
                    "observed": observed,
                    "result": res,
                    "css": css,
                }
            )
    env = jinja2.Environment(autoescape=True)
    return env.from_string(_HTML).render(
        lang=lang,
        w=w,
        r=data,
        rows=rows,
        colon="\u00a0:" if lang == "fr" else ":",
        summary=summary_line(result, lang),
        error=result.error.text(lang) if result.error else None,
    )


def write_receipt(
    result: DepositResult, folder: Path, lang: str, *, mask: Callable[[str], str] = str
) -> tuple[Path, Path]:
    """Write deposit-receipt.json and .html into `folder` (atomically, through the active guard)."""
    from tabcheck.deposit import RECEIPT_HTML, RECEIPT_JSON
    from tabcheck.fix.output import atomic_text

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    targets = (folder / RECEIPT_JSON, folder / RECEIPT_HTML)
    result.receipt = targets
    contents = (
        json.dumps(receipt_json(result, lang), ensure_ascii=False, indent=1) + "\n",
        receipt_html(result, lang),
    )
    for target, content in zip(targets, contents, strict=True):
        with atomic_text(target, force=True) as fh:
            fh.write(mask(content))
    return targets
