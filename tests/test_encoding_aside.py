"""A large file whose head is not UTF-8 is scanned as its head reads while the whole file's encoding
is judged beside the scan (`sniff_text(aside=True)`). The report must be the one of the judgement
made first: the same when the whole file reads as the head does, and the file scanned again when
it does not (a UTF-8 body under a Windows-1252 head is mixed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tabcheck import checker
from tabcheck.checker import Settings, check_file
from tabcheck.report.jsonout import file_json
from tabcheck.scan import csv as scan_csv

HEAD = "nom;ville;valeur\n" + "".join(f"{i};Orléans;{i},5\n" for i in range(5000))  # > 64 KiB


def _files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "same": HEAD.encode("cp1252")
        + "".join(f"{i};Besançon;{i},25\n" for i in range(3000)).encode("cp1252"),
        # The head (64 KiB) is Windows-1252, the rest UTF-8: the whole file is UTF-8 mixed with it.
        # The body's values (« – 7 ») are the samples of the column's text: they show the reading.
        "mixed": HEAD.encode("cp1252") + "".join(f"{i};Zürich;– {i}\n" for i in range(3000)).encode(),
        # Central European after a Western head: the whole file reads as Windows-1250.
        "other": HEAD.encode("cp1252") + "".join(f"{i};Łódź;ł{i}\n" for i in range(30000)).encode("cp1250"),
    }
    paths = {}
    for name, data in made.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(data)
    return paths


def _report(
    path: Path, aside: bool, monkeypatch: pytest.MonkeyPatch, codebook: bool = False
) -> tuple[dict, str, int]:
    """The JSON report, the author's view the rules saw (its repr: every value sample, every guess)
    and how many scans read the file."""
    scans, facts = [], []
    scan, facts_for = scan_csv.CsvScanner.scan, checker.facts_for
    monkeypatch.setattr(checker, "ENCODING_ASIDE", 0 if aside else 1 << 62)
    monkeypatch.setattr(scan_csv.CsvScanner, "scan", lambda self: scans.append(1) or scan(self))
    monkeypatch.setattr(checker, "facts_for", lambda *a, **k: facts.append(facts_for(*a, **k)) or facts[-1])
    report = check_file(path, Settings(codebook=codebook))
    return json.loads(json.dumps(file_json(report))), repr(facts[0].table.user), len(scans)


@pytest.mark.parametrize("codebook", [False, True])
@pytest.mark.parametrize("name", ["same", "mixed", "other"])
def test_the_judgement_beside_the_scan_gives_the_report_of_the_judgement_first(
    tmp_path, monkeypatch, name, codebook
):
    """With the codebook fed by the scan too (a scan read again drops the first one's)."""
    path = _files(tmp_path)[name]
    with monkeypatch.context() as m:
        first = _report(path, aside=False, monkeypatch=m, codebook=codebook)
    with monkeypatch.context() as m:
        beside = _report(path, aside=True, monkeypatch=m, codebook=codebook)
    assert beside[:2] == first[:2]
    # Read again only when the whole file reads otherwise than its head.
    assert beside[2] == first[2] if name == "same" else beside[2] > first[2]


def test_encodings_and_samples_as_reported(tmp_path, monkeypatch):
    seen = {}
    for name, path in _files(tmp_path).items():
        with monkeypatch.context() as m:
            report, facts, _ = _report(path, aside=True, monkeypatch=m)
        seen[name] = (report["encoding"], "– 0" in facts, "ł0" in facts, "â€" in facts or "³0" in facts)
    assert seen == {
        "same": ("windows-1252", False, False, False),
        "mixed": ("utf-8", True, False, False),
        "other": ("windows-1250", False, True, False),
    }
