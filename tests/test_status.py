"""One coherent verdict: each file's status, its prediction, its findings' severities and the exit code
agree with the truth table of tabcheck.status, in the API, the JSON, the text and the HTML outputs.

The truth table is restated here as independent "iff" statements (`assert_truth_table`), not copied
from the module's if-chain, and checked on synthetic reports (hypothesis), on small files built in
tmp_path, and on every file under fixtures/ (fixtures/dataverse-verdicts/ included) for every version.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from typer.testing import CliRunner

from tabcheck import api
from tabcheck.cli import app
from tabcheck.discover import discover
from tabcheck.i18n import t
from tabcheck.model import Effect, FileReport, Finding, Outcome, Prediction, RunReport, Severity, Target
from tabcheck.report import RenderOptions, render
from tabcheck.report.jsonout import run_json
from tabcheck.report.text import status_text, summary_text
from tabcheck.status import STATUSES, Status, decide, exit_code, summary, verdict

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
VERSIONS = ("6.8", "6.7", "6.6")
STATUS_WORDS = {s.value for s in STATUSES}
STATUS_WORDS_ORDER = [s.value for s in STATUSES]


# -- the truth table, restated -------------------------------------------------------------------


def assert_truth_table(
    status: str, blocking: bool, *, error: bool, outcome: str | None, findings: Sequence[tuple[str, str]]
) -> None:
    """`findings` are (severity, effect) pairs; `outcome` is the prediction's, None without one."""
    counted = [(s, e) for s, e in findings if s != "info"]  # an info finding never changes a status
    blocker = any(s == "blocker" for s, _ in findings)
    fails_effect = any(e == "fails" for _, e in counted)
    degrades = any(e == "degrades" for _, e in counted)
    refused = fails_effect or ("blocker", "advice") in findings
    stored_as_is = outcome in ("not-ingested", "skipped-size")
    assert status in STATUS_WORDS
    assert (status == "unreadable") == error
    assert (status == "not-ingested") == (not error and stored_as_is)
    assert (status == "fails") == (not error and not stored_as_is and (outcome == "fails" or refused))
    assert (status == "altered") == (not error and outcome in ("ingested", None) and not refused and degrades)
    assert (status == "ready") == (
        not error and outcome in ("ingested", None) and not refused and not degrades
    )
    if status == "unreadable":
        assert not blocking  # exit 2 for it, not 1
    else:
        assert blocking == (blocker or status == "fails" or (status == "not-ingested" and fails_effect))
    # The rules of thumb of the issue, as consequences:
    if blocker and not error:
        assert blocking  # a blocker anywhere blocks, whatever the file type
    if outcome == "fails" and not error:
        assert status == "fails" and blocking  # a file that will fail never passes
    if status == "ready":
        assert not blocker and not blocking
    if status == "altered":
        assert blocking == blocker


def assert_run_exit_code(code: int, files: Sequence[tuple[str, bool, bool]]) -> None:
    """`files` are (status, blocking, has a blocker) triples of one run."""
    unreadable = any(s == "unreadable" for s, _, _ in files)
    assert (code == 2) == unreadable
    assert (code == 1) == (not unreadable and any(b for _, b, _ in files))
    assert (code == 0) == (not unreadable and not any(b for _, b, _ in files))
    if any(has_blocker for s, _, has_blocker in files if s != "unreadable") and not unreadable:
        assert code == 1


def pairs(findings: Sequence[Finding]) -> list[tuple[str, str]]:
    return [(f.severity.value, f.effect.value) for f in findings]


def assert_report_agrees(r: FileReport) -> None:
    v = verdict(r)
    assert r.status == v.status.value == r.verdict.status.value
    assert_truth_table(
        r.status,
        v.blocking,
        error=bool(r.error),
        outcome=r.dataverse.outcome.value if r.dataverse else None,
        findings=pairs(r.findings),
    )
    # the findings that turn an ingested prediction into `fails` are exactly row 4's
    if v.refused_by:
        assert r.dataverse is None or r.dataverse.outcome == Outcome.INGESTED
        assert v.status == Status.FAILS
        assert all(f in r.findings for f in v.refused_by)


# -- synthetic reports (hypothesis) --------------------------------------------------------------

findings_st = st.lists(st.tuples(st.sampled_from(list(Severity)), st.sampled_from(list(Effect))), max_size=5)
outcomes_st = st.sampled_from([None, *Outcome])


def synthetic(
    error: bool, outcome: Outcome | None, findings: list[tuple[Severity, Effect]], i: int
) -> FileReport:
    return FileReport(
        path=f"file{i}.csv",
        format="csv",
        findings=[Finding(rule="ragged-row", code="TC203", severity=s, effect=e) for s, e in findings],
        dataverse=Prediction(outcome, variables=1, observations=1) if outcome is not None else None,
        error="boom" if error else None,
    )


@given(error=st.booleans(), outcome=outcomes_st, findings=findings_st)
def test_decide_follows_the_truth_table(error, outcome, findings):
    status, blocking, refusing = decide(error=error, outcome=outcome, findings=findings)
    assert_truth_table(
        status.value,
        blocking,
        error=error,
        outcome=outcome.value if outcome else None,
        findings=[(s.value, e.value) for s, e in findings],
    )
    assert bool(refusing) == (status == Status.FAILS and outcome in (Outcome.INGESTED, None) and not error)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), outcomes_st, findings_st), max_size=6),
    st.sampled_from(["en", "fr"]),
)
def test_runs_of_synthetic_files_agree_everywhere(specs, lang):
    files = [synthetic(error, outcome, findings, i) for i, (error, outcome, findings) in enumerate(specs)]
    run = RunReport(target=Target(), files=files)
    for r in files:
        assert_report_agrees(r)
    triples = [(r.status, r.verdict.blocking, bool(r.blockers)) for r in files]
    code = exit_code(files)
    assert code == run.exit_code == api.exit_code(run)
    assert_run_exit_code(code, triples)
    # the summary counts the same statuses
    s = run.summary
    assert s == summary(files)
    assert list(s) == ["files", *STATUS_WORDS_ORDER, "blocked"]
    assert s["files"] == len(files) == sum(s[w] for w in STATUS_WORDS_ORDER)
    for w in STATUS_WORDS_ORDER:
        assert s[w] == sum(r.status == w for r in files)
    assert s["blocked"] == sum(r.verdict.blocking for r in files)
    # JSON: status, blocking and summary as the API says
    out = run_json(run, lang)
    assert [(f["status"], f["blocking"]) for f in out["files"]] == [
        (r.status, r.verdict.blocking) for r in files
    ]
    assert out["summary"] == s
    # text and HTML: the status words and the summary line
    text = render(run, "text", RenderOptions(lang=lang))
    assert text.splitlines()[-1] == summary_text(run, lang)
    for r in files:
        assert f"{r.path}  (csv)  {status_text(r, lang)}\n" in text
    html = render(run, "html", RenderOptions(lang=lang))
    assert re.findall(r'data-status="([^"]+)"', html) == [r.status for r in files]


def test_the_statuses_are_exactly_five():
    assert STATUS_WORDS_ORDER == ["ready", "altered", "fails", "not-ingested", "unreadable"]
    for lang in ("en", "fr"):
        words = [t(lang, s) for s in STATUS_WORDS_ORDER]
        assert len(set(words)) == 5 and all(words)


# -- the command line on small files built here -------------------------------------------------


def _ole2() -> bytes:
    """The first sector of a Compound File, the container of a .xls."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    return head + b"\x00" * 10 + b"\xff" * (512 - len(head) - 10)


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


WIDE = (",".join(f"c{i}" for i in range(1100)) + "\n" + ",".join("1" for _ in range(1100)) + "\n").encode()

# name, content (None: not created), extra options, status, blocking, exit code, rules expected
CASES: list[tuple[str, bytes | None, list[str], str, bool, int, list[str]]] = [
    ("clean.csv", b"id,name,score\n1,alice,3.5\n2,bob,4\n", [], "ready", False, 0, []),
    ("percent.csv", b"id,rate\n1,12%\n2,13%\n", [], "altered", False, 0, ["TC402"]),
    # a blocker whose effect is `degrades`: Dataverse ingests it, altered, and the run exits 1
    ("decimal.csv", b'id,x\n1,"3,5"\n2,"4,5"\n', [], "altered", True, 1, ["TC401"]),
    # was "will be altered" with exit 1 and nothing saying why: now "will be altered, to fix before depositing"
    ("empty.csv", b"", [], "altered", True, 1, ["TC003"]),
    ("ragged.csv", b"id,x\n1,2\n3\n", [], "fails", True, 1, ["TC203"]),
    # the reader ingests 1100 columns; the repository's rules refuse more than 1024 (row 4)
    ("wide.csv", WIDE, [], "fails", True, 1, ["TC209"]),
    # was "will fail" and exit 0: pre-commit let them through
    ("old.xls", _ole2(), [], "not-ingested", True, 1, ["TC005"]),
    ("sheet.ods", _ods(), [], "not-ingested", True, 1, ["TC005"]),
    ("table.txt", b"id\tname\n1\talice\n2\tbob\n", [], "not-ingested", True, 1, ["TC005"]),
    ("README.txt", b"Soil survey 2021\n\nOne row per sample.\n", [], "not-ingested", False, 0, []),
    ("big.csv", b"id,x\n1,2\n3,4\n", ["--max-ingest-size", "10"], "not-ingested", True, 1, ["TC001"]),
    ("gone.csv", None, [], "unreadable", False, 2, []),
]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no pyproject.toml above: defaults only
    monkeypatch.setenv("TABCHECK_LANG", "en")
    runner = CliRunner()

    def run(*args: Any) -> tuple[int, str, str]:
        result = runner.invoke(app, [str(a) for a in args])
        return result.exit_code, result.stdout, result.stderr

    return run


def _make(tmp_path: Path, name: str, content: bytes | None) -> Path:
    path = tmp_path / "data" / name
    path.parent.mkdir(exist_ok=True)
    if content is not None:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize("name,content,options,status,blocking,code,rules", CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_file_has_one_verdict_everywhere(
    tmp_path, cli, name, content, options, status, blocking, code, rules
):
    path = _make(tmp_path, name, content)
    # JSON
    got, out, err = cli("check", "--format", "json", *options, path)
    assert (got, err) == (code, "")
    report = json.loads(out)
    (f,) = report["files"]
    assert (f["status"], f["blocking"]) == (status, blocking)
    assert [x["code"] for x in f["findings"]] == rules
    assert report["summary"] == {
        "files": 1,
        **{w: int(w == status) for w in STATUS_WORDS_ORDER},
        "blocked": int(blocking),
    }
    assert_truth_table(
        f["status"],
        f["blocking"],
        error="error" in f,
        outcome=f["dataverse"]["outcome"] if f["dataverse"] else None,
        findings=[(x["severity"], x["effect"]) for x in f["findings"]],
    )
    # text, in both languages
    for lang in ("en", "fr"):
        got, out, _ = cli("check", "--lang", lang, *options, path)
        assert got == code
        word = t(lang, status)
        if blocking and status in ("altered", "not-ingested"):
            word += ", " + t(lang, "status.blocking")
        assert out.splitlines()[0].endswith(f")  {word}")
    # HTML
    got, out, _ = cli("check", "--format", "html", *options, path)
    assert got == code
    assert re.findall(r'data-status="([^"]+)"', out) == [status]
    assert ("blocking" in re.search(r'<span class="badge ([^"]*)"', out)[1]) == blocking
    # the API
    run = api.check([path], **({"max_ingest_size": 10} if options else {}))
    assert (run.files[0].status, run.files[0].verdict.blocking, api.exit_code(run)) == (
        status,
        blocking,
        code,
    )


def test_the_exit_code_of_a_mixed_run(tmp_path, cli):
    made = {name: _make(tmp_path, name, content) for name, content, *_ in CASES}
    assert cli("check", made["clean.csv"], made["README.txt"], made["percent.csv"])[0] == 0
    assert cli("check", made["clean.csv"], made["old.xls"])[0] == 1  # was 0
    assert cli("check", made["old.xls"], made["gone.csv"])[0] == 2
    assert cli("check", "--exit-zero", made["clean.csv"], made["old.xls"])[0] == 0
    assert cli("check", "--exit-zero", made["old.xls"], made["gone.csv"])[0] == 2


def test_ingested_but_refused_says_why_beside_the_prediction(tmp_path, cli):
    """Was: "will fail" above a prediction "ingested", with nothing to reconcile the two."""
    path = _make(tmp_path, "wide.csv", WIDE)
    for lang in ("en", "fr"):
        _, out, _ = cli("check", "--lang", lang, path)
        header, _finding, prediction = out.splitlines()[:3]
        assert header.endswith("  " + t(lang, "fails"))
        ingested = t(lang, "outcome.ingested", variables=1100, observations=1)
        refused = t(lang, "status.refused", rules="TC209 too-many-columns")
        assert prediction == f"  → Dataverse 6.8{t(lang, 'colon')} {ingested} — {refused}"
    assert refused.startswith("mais il ne sera pas accepté tel quel")


def test_summary_line_counts_every_status(tmp_path, cli):
    made = [_make(tmp_path, name, content) for name, content, options, *_ in CASES if not options]
    counts = {"files": 11, "ready": 1, "altered": 3, "fails": 2, "not_ingested": 4, "unreadable": 1}
    for lang in ("en", "fr"):
        got, out, _ = cli("check", "--lang", lang, *made)
        assert got == 2
        assert out.splitlines()[-1] == t(lang, "summary", **counts, blocked=7)
    assert t("en", "summary", **counts, blocked=7).endswith(
        "1 ready, 3 will be altered, 2 will fail, 4 not ingested, 1 could not be checked; 7 to fix before depositing"
    )


# -- every fixture, every version --------------------------------------------------------------


def _fixture_paths() -> list[Path]:
    candidates, errors = discover([FIXTURES])
    assert errors == []
    return [c.path for c in candidates]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_fixture_agrees_with_the_truth_table(cli, version):
    """Each fixture alone through the command line: its JSON and its exit code obey the table."""
    paths = _fixture_paths()
    assert any("dataverse-verdicts" in str(p) for p in paths) and len(paths) > 200
    seen = set()
    for path in paths:
        code, out, err = cli("check", "--format", "json", "--dataverse", version, path)
        assert err == "", path
        (f,) = json.loads(out)["files"]
        findings = [(x["severity"], x["effect"]) for x in f["findings"]]
        outcome = f["dataverse"]["outcome"] if f["dataverse"] else None
        assert_truth_table(f["status"], f["blocking"], error="error" in f, outcome=outcome, findings=findings)
        has_blocker = any(s == "blocker" for s, _ in findings)
        assert_run_exit_code(code, [(f["status"], f["blocking"], has_blocker)])
        seen.add(f["status"])
    assert seen >= {"ready", "altered", "fails", "not-ingested"}


def test_the_fixture_folder_in_one_run_agrees_everywhere(cli):
    """One run over fixtures/: API, JSON, text and HTML say the same thing about every file."""
    run = api.check([FIXTURES])
    for r in run.files:
        assert_report_agrees(r)
    code, out, _ = cli("check", "--format", "json", FIXTURES)
    report = json.loads(out)
    assert [(f["path"], f["status"], f["blocking"]) for f in report["files"]] == [
        (r.path, r.status, r.verdict.blocking) for r in run.files
    ]
    assert report["summary"] == run.summary
    assert code == run.exit_code == 1  # the fixtures hold blockers on purpose, and every file is readable
    assert_run_exit_code(code, [(r.status, r.verdict.blocking, bool(r.blockers)) for r in run.files])
    # the same run in text and HTML (the command line renders them from the same RunReport)
    text = render(run, "text", RenderOptions(lang="en"))
    assert text.splitlines()[-1] == summary_text(run, "en")
    headers = [line for line in text.splitlines() if line.startswith(str(FIXTURES))]
    assert [h.rsplit(")  ", 1)[1] for h in headers] == [status_text(r, "en") for r in run.files]
    html = render(run, "html", RenderOptions(lang="fr"))
    assert re.findall(r'data-status="([^"]+)"', html) == [r.status for r in run.files]
    assert str(escape(summary_text(run, "fr"))) in html


# -- versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_known_versions_are_accepted(tmp_path, cli, version):
    path = _make(tmp_path, "clean.csv", CASES[0][1])
    code, out, err = cli("check", "--format", "json", "--dataverse", version, path)
    assert (code, err, json.loads(out)["target"]["dataverse"]) == (0, "", version)
    assert api.check([path], dataverse=version).target.dataverse == version


REFUSED = [
    ("5.0", "Dataverse 5.0 is not modelled: tabcheck models 6.8, 6.7 and 6.6"),
    ("6.3", "Dataverse 6.3 is not modelled: tabcheck models 6.8, 6.7 and 6.6"),
    ("6.5", "Dataverse 6.5 is not modelled: tabcheck models 6.8, 6.7 and 6.6"),
    ("abc", "unknown Dataverse version 'abc' (try 6.8, 6.7 or 6.6)"),
    ("6.8.0", "unknown Dataverse version '6.8.0' (try 6.8, 6.7 or 6.6)"),
    ("", "unknown Dataverse version '' (try 6.8, 6.7 or 6.6)"),
    (
        "6.9",
        "Dataverse 6.9 is newer than the versions tabcheck models (6.8, 6.7 and 6.6): its readers may "
        "behave differently; to check against the newest model anyway, ask for 6.8",
    ),
    (
        "7.0",
        "Dataverse 7.0 is newer than the versions tabcheck models (6.8, 6.7 and 6.6): its readers may "
        "behave differently; to check against the newest model anyway, ask for 6.8",
    ),
]


@pytest.mark.parametrize("version,message", REFUSED, ids=[v or "empty" for v, _ in REFUSED])
def test_other_versions_are_refused(tmp_path, cli, version, message):
    """Was: any version mapped silently (5.0 checked as 6.6, 7.0 as 6.8)."""
    path = _make(tmp_path, "clean.csv", CASES[0][1])
    assert cli("check", "--dataverse", version, path) == (2, "", f"tabcheck: error: {message}\n")
    code, _out, err = cli("fix", "--dataverse", version, "-o", tmp_path / "fixed", path)
    assert (code, err) == (2, f"tabcheck: error: {message}\n")
    assert not (tmp_path / "fixed").exists()
    with pytest.raises(ValueError, match=re.escape(message)):
        api.check([path], dataverse=version)


@pytest.mark.parametrize("value", ['"6.3"', "7.0", '"six"'])
def test_versions_in_pyproject_are_checked_too(tmp_path, cli, value):
    (tmp_path / "pyproject.toml").write_text(f"[tool.tabcheck]\ndataverse = {value}\n", encoding="utf-8")
    path = _make(tmp_path, "clean.csv", CASES[0][1])
    code, out, err = cli("check", path)
    assert (code, out) == (2, "")
    assert err.startswith("tabcheck: error: ") and "6.8" in err
