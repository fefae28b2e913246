"""`tabcheck verify`: are the deposited data the data you have? UNFs compared one by one.

The UNFs to compare come from `--unf` (one or more, as Dataverse shows them: a file's in its
citation, a variable's in its metadata) or `--unf-list` (JSON: a list of UNFs, an object mapping
file or variable names to UNFs, or the file list of Dataverse's native API with each
`dataFile.UNF`). Each is matched with the codebook tabcheck predicts for the local files: by name
when it has one (a file `data.tab` is the local `data.csv`), else against every UNF of the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tabcheck.messages import fill
from tabcheck.model import Outcome, RunReport

MESSAGES = {
    "en": {
        "match": "✓ {what}: {unf} matches",
        "mismatch": "✗ {what}: deposited {unf}, yours {ours}: the data differ",
        "unknown": "✗ {unf}: matches none of the local data (dataset, files or variables)",
        "missing": "✗ {name}: no such file or variable here (deposited {unf})",
        "no-unf": "✗ {what}: tabcheck cannot predict its UNF ({why})",
        "dataset": "the dataset",
        "file": "file {name}",
        "variable": "variable {name} of {file}",
        "summary-ok": "{n:plural:The UNF matches|All {n} UNFs match}: the deposited data are the data you have.",
        "summary-bad": "Not matching: {bad} of {n} {n:plural:UNF|UNFs}.",
        "bad-list": "--unf-list: {why}",
        "nothing": "give --unf or --unf-list",
    },
    "fr": {
        "match": "✓ {what} : {unf} correspond",
        "mismatch": "✗ {what} : déposé {unf}, le vôtre {ours} : les données diffèrent",
        "unknown": "✗ {unf} : ne correspond à aucune des données locales (jeu de données, fichiers ou variables)",
        "missing": "✗ {name} : ni fichier ni variable de ce nom ici (déposé {unf})",
        "no-unf": "✗ {what} : tabcheck ne peut pas prédire son UNF ({why})",
        "dataset": "le jeu de données",
        "file": "fichier {name}",
        "variable": "variable {name} de {file}",
        "summary-ok": "{n:plural:L'UNF correspond|Les {n} UNF correspondent} : les données déposées sont bien les vôtres.",
        "summary-bad": "Sans correspondance : {bad} UNF sur {n}.",
        "bad-list": "--unf-list : {why}",
        "nothing": "indiquez --unf ou --unf-list",
    },
}


def msg(lang: str, key: str, **params: Any) -> str:
    """A message; one with a plural form is filled as the rules' are (tabcheck.messages). The others
    keep their values whole (a long variable name is never shortened here)."""
    template = MESSAGES.get(lang, MESSAGES["en"])[key]
    return fill(template, params, lang) if ":plural:" in template else template.format(**params)


@dataclass
class Expected:
    unf: str
    name: str | None = None  # a file or variable name, when the list gives one


def parse_unf_list(text: str) -> list[Expected]:
    """The UNFs of a JSON list (see the module's doc); ValueError when it holds none."""
    data = json.loads(text)
    out: list[Expected] = []

    def visit(node: Any, name: str | None = None) -> None:
        if isinstance(node, str):
            if node.startswith("UNF:"):
                out.append(Expected(node, name))
        elif isinstance(node, list):
            for item in node:
                visit(item, None)
        elif isinstance(node, dict):
            label = next(
                (node[k] for k in ("filename", "name", "label") if isinstance(node.get(k), str)), None
            )
            for key, value in node.items():
                if key in ("unf", "UNF") and isinstance(value, str):
                    out.append(Expected(value, label or name))
                elif key == "dataFile" and isinstance(value, dict):
                    visit(value, label)
                elif isinstance(value, str) and value.startswith("UNF:") and key not in ("filename", "name"):
                    out.append(Expected(value, key))
                elif isinstance(value, list | dict):
                    visit(value, None)

    visit(data)
    if not out:
        raise ValueError("no UNF found in it")
    return out


def _same_file(local: str, name: str) -> bool:
    a, b = PurePosixPath(local.replace("\\", "/")), PurePosixPath(name.replace("\\", "/"))
    return a.name == b.name or a.stem == b.stem


def verify(run: RunReport, expected: list[Expected], lang: str = "en") -> tuple[list[str], bool]:
    """One line per expected UNF and a summary; True when every one matches."""
    files = [f for f in run.files if f.dataverse is not None and f.dataverse.outcome == Outcome.INGESTED]
    objects: list[tuple[str, str | None, str | None, str | None]] = []  # what, name, unf, why not
    for f in files:
        pred = f.dataverse
        assert pred is not None
        objects.append((msg(lang, "file", name=f.path), f.path, pred.unf, pred.codebook_note))
        for c in pred.columns or []:
            what = msg(lang, "variable", name=repr(c.name), file=Path(f.path).name)
            objects.append((what, c.name, c.unf, pred.codebook_note))
    if run.unf is not None or len(files) > 1:
        objects.append((msg(lang, "dataset"), None, run.unf, None))  # after the files: one file = its UNF
    lines, bad = [], 0
    for e in expected:
        if e.name is None:
            hit = next((o for o in objects if o[2] == e.unf), None)
            if hit is not None:
                lines.append(msg(lang, "match", what=hit[0], unf=e.unf))
            else:
                lines.append(msg(lang, "unknown", unf=e.unf))
                bad += 1
            continue
        named = [o for o in objects if o[1] is not None and (o[1] == e.name or _same_file(o[1], e.name))]
        if not named:
            lines.append(msg(lang, "missing", name=e.name, unf=e.unf))
            bad += 1
            continue
        ok = next((o for o in named if o[2] == e.unf), None)
        if ok is not None:
            lines.append(msg(lang, "match", what=ok[0], unf=e.unf))
            continue
        what, _, ours, why = named[0]
        if ours is None:
            lines.append(msg(lang, "no-unf", what=what, why=why or "?"))
        else:
            lines.append(msg(lang, "mismatch", what=what, unf=e.unf, ours=ours))
        bad += 1
    n = len(expected)
    lines.append(msg(lang, "summary-ok", n=n) if not bad else msg(lang, "summary-bad", bad=bad, n=n))
    return lines, bad == 0
