"""The command line, run as a user runs it: `python -m tabcheck ...` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck import __version__
from tabcheck.plugins import all_rules

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures" / "csv"
GOOD = FIX / "good.csv"  # 3 variables, 3 observations, no finding
RAGGED = FIX / "ragged-row-short.bad.csv"  # one blocker: ragged-row
SEMICOLON_DECIMAL = FIX / "decimal-comma-semicolon.bad.csv"  # TC201 and TC401, both blockers
CRLF_IN_CELL = FIX / "embedded-newline-crlf.bad.csv"  # blocker for 6.7+, warning for 6.6
PERCENT = FIX / "numbers-as-text-percent.bad.csv"  # a warning only


def tabcheck(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    environ["TABCHECK_LANG"] = "en"
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tabcheck", *map(str, args)],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def as_json(*args, cwd: Path) -> tuple[int, dict]:
    p = tabcheck("check", "--format", "json", *args, cwd=cwd)
    assert p.stderr == ""
    return p.returncode, json.loads(p.stdout)


def codes(report: dict, path: Path) -> list[str]:
    (f,) = [f for f in report["files"] if f["path"] == str(path)]
    return [x["code"] for x in f["findings"]]


# -- exit codes ------------------------------------------------------------------------------------


def test_exit_0_on_a_good_file(tmp_path):
    p = tabcheck("check", GOOD, cwd=tmp_path)
    assert (p.returncode, p.stderr) == (0, "")


def test_exit_0_when_only_warnings(tmp_path):
    assert tabcheck("check", PERCENT, cwd=tmp_path).returncode == 0


def test_exit_1_on_a_blocker(tmp_path):
    p = tabcheck("check", GOOD, RAGGED, cwd=tmp_path)
    assert (p.returncode, p.stderr) == (1, "")


def test_exit_zero_turns_blockers_into_0_but_not_errors(tmp_path):
    assert tabcheck("check", "--exit-zero", GOOD, RAGGED, cwd=tmp_path).returncode == 0
    assert tabcheck("check", "--exit-zero", RAGGED, tmp_path / "missing.csv", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize(
    "args,stderr",
    [
        (["check", "--no-such-option", str(GOOD)], "No such option: --no-such-option"),
        (["explain", "TC999"], "tabcheck: error: unknown rule 'TC999' (see `tabcheck rules`)"),
        (["check", "/no/such/file.csv"], ""),
        (
            ["check", "--max-ingest-size", "lots", str(GOOD)],
            "tabcheck: error: cannot read the size 'lots' (try 500MB, 150MB or 2GB)",
        ),
        (
            ["check", "--dataverse", "five", str(GOOD)],
            "tabcheck: error: unknown Dataverse version 'five' (try 6.8, 6.7 or 6.6)",
        ),
        (["no-such-command"], "No such command 'no-such-command'"),
    ],
    ids=["unknown-option", "unknown-rule", "missing-path", "bad-size", "bad-version", "unknown-command"],
)
def test_exit_2_on_usage_errors(tmp_path, args, stderr):
    p = tabcheck(*args, cwd=tmp_path)
    assert p.returncode == 2
    assert stderr in p.stderr


@pytest.mark.parametrize(
    "args,stderr",
    [
        (
            ["explain", "TC999"],
            "tabcheck\u00a0: erreur\u00a0: règle inconnue\u00a0: 'TC999' (voir `tabcheck rules`)\n",
        ),
        (
            ["check", "--max-ingest-size", "lots", str(GOOD)],
            "tabcheck\u00a0: erreur\u00a0: taille illisible\u00a0: 'lots' (essayez 500MB, 150MB ou 2GB)\n",
        ),
        (
            ["check", "--dataverse", "5.0", str(GOOD)],
            "tabcheck\u00a0: erreur\u00a0: Dataverse 5.0 n'est pas modélisé\u00a0: tabcheck modélise 6.8, 6.7 et 6.6\n",
        ),
        (
            ["fix", "--delimiter", ";;", "-o", "out", str(GOOD)],
            "tabcheck\u00a0: erreur\u00a0: un séparateur est un seul caractère (ou 'tab'), pas ';;'\n",
        ),
        (
            ["check", "--ignore", "TC999", str(GOOD)],
            "tabcheck\u00a0: erreur\u00a0: --ignore\u00a0: aucune règle ne porte le nom ou le code 'TC999' "
            "(voir `tabcheck rules`)\n",
        ),
    ],
    ids=["unknown-rule", "bad-size", "old-version", "bad-delimiter", "unknown-ignored-rule"],
)
def test_usage_errors_are_said_in_french(tmp_path, args, stderr):
    """Was: English in a French run ('tabcheck: error: unknown rule …')."""
    p = tabcheck(*args, "--lang", "fr", cwd=tmp_path)
    assert (p.returncode, p.stderr) == (2, stderr)


def test_a_configuration_error_is_said_in_the_language_asked(tmp_path):
    _pyproject(tmp_path, 'lang = "fr"\nselekt = 1\nignor = 2\n')
    p = tabcheck("check", GOOD, cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == (  # the file is not read: --lang, else the locale's (English here)
        f"tabcheck: error: {tmp_path / 'pyproject.toml'}: unknown keys in [tool.tabcheck]: ignor, selekt\n"
    )
    p = tabcheck("check", GOOD, "--lang", "fr", cwd=tmp_path)
    assert p.stderr == (
        f"tabcheck\u00a0: erreur\u00a0: {tmp_path / 'pyproject.toml'}\u00a0: clés inconnues dans "
        "[tool.tabcheck]\u00a0: ignor, selekt\n"
    )


def test_missing_path_is_reported_and_the_others_checked(tmp_path):
    missing = tmp_path / "gone.csv"
    p = tabcheck("check", GOOD, missing, cwd=tmp_path)
    assert p.returncode == 2
    # the status is `unreadable` (was `error`), shown as "could not be checked"; the error line stays
    assert f"{missing}  (csv)  could not be checked\n  error: no such file or folder\n" in p.stdout
    assert p.stdout.endswith(
        "2 files: 1 ready, 0 will be altered, 0 will fail, 0 not ingested, 1 could not be checked; "
        "0 to fix before depositing\n"
    )


def test_max_ingest_size_option(tmp_path):
    code, report = as_json("--max-ingest-size", "100", FIX / "file-too-large.bad.csv", cwd=tmp_path)
    assert code == 1
    (f,) = report["files"]
    assert [x["code"] for x in f["findings"]] == ["TC001"]
    assert f["dataverse"]["outcome"] == "skipped-size"
    assert report["target"]["max_ingest_size"] == 100
    code, report = as_json("--max-ingest-size", "1KB", FIX / "file-too-large.bad.csv", cwd=tmp_path)
    assert (code, report["target"]["max_ingest_size"], report["files"][0]["findings"]) == (0, 1024, [])


# -- version, rules, explain -----------------------------------------------------------------------


def test_version(tmp_path):
    p = tabcheck("--version", cwd=tmp_path)
    assert (p.returncode, p.stdout, p.stderr) == (0, f"tabcheck {__version__}\n", "")
    assert __version__ == "0.1.0"


def test_rules_lists_every_rule_once(tmp_path):
    p = tabcheck("rules", cwd=tmp_path)
    assert p.returncode == 0
    header, *lines = p.stdout.splitlines()
    assert header == "code   name                    severity effect   fix     what it finds"
    assert [line[:5] for line in lines] == [r.code for r in all_rules().values()]
    assert (
        "TC203  ragged-row              blocker  fails    partly  Rows with more or fewer cells than the header."
    ) in lines
    assert (
        "TC401  decimal-comma           blocker  degrades partly  Numbers written with a decimal comma (3,5)."
        in lines
    )


def test_rules_in_french(tmp_path):
    p = tabcheck("rules", "--lang", "fr", cwd=tmp_path)
    lines = p.stdout.splitlines()
    assert lines[0] == "code   nom                     gravité       effet      fix        ce qu'elle détecte"
    assert (
        "TC203  ragged-row              bloquant      échec      en partie  Des lignes ont plus ou moins de "
        "cellules que l'en-tête."
    ) in lines
    assert "TC201  delimiter-not-comma     bloquant      échec      oui        " in p.stdout


def test_explain_in_english(tmp_path):
    p = tabcheck("explain", "TC203", cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.startswith(
        "# TC203 ragged-row\n\nRows with more or fewer cells than the header.\n\n"
        "- Severity: blocker\n- Dataverse effect: fails\n- Applies to: csv, tsv\n"
        "- Fixable by `tabcheck fix`: partly (see How to fix)\n\n## Why\n\n"
        "Dataverse refuses the whole file"
    )
    assert "\n## How to fix\n\nPut texts that contain the delimiter between double quotes" in p.stdout
    assert (
        "\n## Messages\n\n- `default`: 1 row does not have 3 cells like the header: row 3 has 4.\n"
        in p.stdout
    )
    assert "- `after-title`: … rows of the table do not have … cells.\n" in p.stdout  # no example: no {}


def test_explain_in_french(tmp_path):
    p = tabcheck("explain", "TC203", "--lang", "fr", cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.startswith(
        "# TC203 ragged-row\n\nDes lignes ont plus ou moins de cellules que "
        "l'en-tête.\n\n- Gravité : bloquant\n- Effet dans Dataverse : échec\n"
    )
    assert "\n## Pourquoi\n\nDataverse refuse tout le fichier" in p.stdout
    assert "\n## Comment corriger\n\n" in p.stdout
    assert p.stdout != tabcheck("explain", "TC203", cwd=tmp_path).stdout


@pytest.mark.parametrize("key", ["ragged-row", "tc203"])
def test_explain_by_name_or_code(tmp_path, key):
    p = tabcheck("explain", key, cwd=tmp_path)
    assert (p.returncode, p.stdout.splitlines()[0]) == (0, "# TC203 ragged-row")


def test_language_from_the_locale(tmp_path):
    p = tabcheck("explain", "TC203", cwd=tmp_path, env={"TABCHECK_LANG": "fr_FR.UTF-8"})
    assert "## Pourquoi" in p.stdout


# -- select / ignore -------------------------------------------------------------------------------

SELECTIONS = [
    ([], ["TC201", "TC401"], 1),
    (["--select", "TC2"], ["TC201"], 1),
    (["--select", "tc2"], ["TC201"], 1),
    (["--select", "decimal-comma"], ["TC401"], 1),
    (["--select", "TC401"], ["TC401"], 1),
    (["--select", "TC201,decimal-comma"], ["TC201", "TC401"], 1),
    (["--select", "ALL"], ["TC201", "TC401"], 1),
    # No finding left, but Dataverse's ingest still fails: the status is `fails`, and a file that will
    # fail always blocks (tabcheck.status). Was 0: the exit code read only the blockers.
    (["--select", "TC3"], [], 1),
    (["--ignore", "TC2"], ["TC401"], 1),
    (["--ignore", "delimiter-not-comma"], ["TC401"], 1),
    (["--ignore", "TC401"], ["TC201"], 1),
    (["--ignore", "TC201", "--ignore", "decimal-comma"], [], 1),  # as --select TC3: the ingest fails
    (["--select", "TC2,TC4", "--ignore", "TC201"], ["TC401"], 1),
]


@pytest.mark.parametrize("args,expected,code", SELECTIONS, ids=[" ".join(s[0]) or "none" for s in SELECTIONS])
def test_select_and_ignore(tmp_path, args, expected, code):
    got_code, report = as_json(*args, SEMICOLON_DECIMAL, cwd=tmp_path)
    assert (got_code, codes(report, SEMICOLON_DECIMAL)) == (code, expected)
    # selection changes the findings, never the prediction
    assert report["files"][0]["dataverse"]["outcome"] == "fails"


@pytest.mark.parametrize("option,key", [("--select", "decimal-coma"), ("--ignore", "TC9")])
def test_unknown_rule_in_select_or_ignore_is_a_usage_error(tmp_path, option, key):
    """A misspelt selector used to select nothing silently (exit 0 on a file with a blocker)."""
    p = tabcheck("check", option, key, FIX / "decimal-comma-quoted.bad.csv", cwd=tmp_path)
    assert (p.returncode, p.stdout) == (2, "")
    assert p.stderr == (
        f"tabcheck: error: {option}: no rule is named or coded {key!r} (see `tabcheck rules`)\n"
    )


def test_unknown_rule_in_pyproject_is_a_usage_error(tmp_path):
    _pyproject(tmp_path, 'select = ["decimal-coma"]\n')
    p = tabcheck("check", FIX / "decimal-comma-quoted.bad.csv", cwd=tmp_path)
    assert (p.returncode, p.stdout) == (2, "")
    assert "'decimal-coma'" in p.stderr


# -- JSON output -----------------------------------------------------------------------------------

FINDING_KEYS = {
    "rule",
    "code",
    "severity",
    "effect",
    "message",
    "row",
    "line",
    "column",
    "column_name",
    "sheet",
    "count",
    "fixable",
    "params",
}


def test_json_shape(tmp_path):
    code, report = as_json(GOOD, RAGGED, cwd=tmp_path)
    assert code == 1
    assert list(report) == ["tabcheck", "target", "lang", "files", "summary"]
    assert report["tabcheck"] == __version__
    assert report["target"] == {"dataverse": "6.8", "max_ingest_size": 500 * 1024 * 1024}
    # one count per status (tabcheck.status), and `blocked`: the files that make the run exit 1
    assert report["summary"] == {
        "files": 2,
        "ready": 1,
        "altered": 0,
        "fails": 1,
        "not-ingested": 0,
        "unreadable": 0,
        "blocked": 1,
    }
    good, bad = report["files"]
    for f in (good, bad):
        assert list(f) == [
            "path",
            "format",
            "size",
            "encoding",
            "delimiter",
            "status",
            "blocking",
            "findings",
            "dataverse",
        ]
        assert list(f["dataverse"]) == ["outcome", "message", "variables", "observations", "columns"] + (
            ["real_location"] if f is bad else []
        )
    assert good == {
        "path": str(GOOD),
        "format": "csv",
        "size": GOOD.stat().st_size,
        "encoding": "utf-8",
        "delimiter": ",",
        "status": "ready",
        "blocking": False,
        "findings": [],
        "dataverse": {
            "outcome": "ingested",
            "message": None,
            "variables": 3,
            "observations": 3,
            "columns": [
                {"name": "id", "type": "integer"},
                {"name": "name", "type": "character"},
                {"name": "score", "type": "continuous"},
            ],
        },
    }
    assert (bad["status"], bad["blocking"]) == ("fails", True)
    assert bad["dataverse"] == {
        "outcome": "fails",
        "message": "Reading mismatch, line 3 of the Data file: 3 delimited values expected, 2 found.",
        "variables": None,
        "observations": None,
        "columns": None,
        "real_location": {"row": 3, "line": 3},
    }
    (finding,) = bad["findings"]
    assert set(finding) == FINDING_KEYS | {"samples"}
    assert finding == {
        "rule": "ragged-row",
        "code": "TC203",
        "severity": "blocker",
        "effect": "fails",
        "message": "1 row does not have 3 cells like the header: row 3 has 2.",
        "row": 3,
        "line": 3,
        "column": None,
        "column_name": None,
        "sheet": None,
        "count": 1,
        "fixable": False,
        "samples": [{"row": 3, "line": 3}],
        "params": {"count": 1, "expected": 3, "found": 2, "row": 3, "rows": [3]},
    }


def test_json_finding_without_samples_has_exactly_the_contract_keys(tmp_path):
    _, report = as_json(FIX / "delimiter-not-comma-semicolon.bad.csv", cwd=tmp_path)
    (finding,) = report["files"][0]["findings"]
    assert list(finding) == [
        "rule",
        "code",
        "severity",
        "effect",
        "message",
        "row",
        "line",
        "column",
        "column_name",
        "sheet",
        "count",
        "fixable",
        "params",
    ]
    assert (finding["fixable"], finding["effect"]) == (True, "degrades")
    # params are language-neutral: the delimiter itself, not its name in one language
    assert finding["params"]["found"] == ";"


def test_json_error_file(tmp_path):
    missing = tmp_path / "gone.csv"
    code, report = as_json(missing, cwd=tmp_path)
    assert code == 2
    assert report["files"] == [
        {
            "path": str(missing),
            "format": "csv",
            "size": None,
            "encoding": None,
            "delimiter": None,
            "status": "unreadable",  # was "error": the status word is now one of the five
            "blocking": False,  # it makes the run exit 2, not 1
            "findings": [],
            "dataverse": None,
            "error": "no such file or folder",
        }
    ]
    assert report["summary"] == {
        "files": 1,
        "ready": 0,
        "altered": 0,
        "fails": 0,
        "not-ingested": 0,
        "unreadable": 1,
        "blocked": 0,
    }


def test_json_is_utf8_not_escaped(tmp_path):
    p = tabcheck("check", "--format", "json", "--lang", "fr", RAGGED, cwd=tmp_path)
    assert "l'en-tête" in p.stdout


# -- configuration -------------------------------------------------------------------------------


def _pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "study"\n\n[tool.tabcheck]\n' + body, encoding="utf-8"
    )


def test_pyproject_settings_are_honoured(tmp_path):
    _pyproject(
        tmp_path, 'select = ["TC2", "TC4"]\nignore = ["decimal-comma"]\ndataverse = "6.6"\nlang = "fr"\n'
    )
    code, report = as_json(SEMICOLON_DECIMAL, CRLF_IN_CELL, cwd=tmp_path)
    assert report["target"]["dataverse"] == "6.6"
    semicolon, crlf = report["files"]
    assert [f["code"] for f in semicolon["findings"]] == ["TC201"]  # TC401 ignored, TC2 selected
    assert semicolon["findings"][0]["message"] == (
        "Les valeurs sont séparées par des points-virgules (2 colonnes), pas par des virgules : Dataverse "
        "échouera à l'ingérer."
    )
    # 6.6 accepts a CR inside a cell: a warning, and the file is ingested
    assert [(f["code"], f["severity"]) for f in crlf["findings"]] == [("TC206", "warning")]
    assert crlf["dataverse"]["outcome"] == "ingested"
    assert code == 1


def test_pyproject_in_a_parent_folder(tmp_path):
    _pyproject(tmp_path, 'ignore = ["TC2"]\n')
    sub = tmp_path / "analysis" / "scripts"
    sub.mkdir(parents=True)
    code, report = as_json(SEMICOLON_DECIMAL, cwd=sub)
    assert (code, codes(report, SEMICOLON_DECIMAL)) == (1, ["TC401"])


def test_command_line_wins_over_pyproject(tmp_path):
    _pyproject(tmp_path, 'select = ["TC2"]\ndataverse = "6.6"\nlang = "fr"\n')
    _code, report = as_json(
        "--select", "TC4", "--dataverse", "6.8", "--lang", "en", SEMICOLON_DECIMAL, cwd=tmp_path
    )
    assert report["target"]["dataverse"] == "6.8"
    (finding,) = report["files"][0]["findings"]
    assert finding["code"] == "TC401"
    assert finding["message"].startswith("Column 2 “weight”: 2 values with a decimal comma")


def test_pyproject_max_ingest_size(tmp_path):
    _pyproject(tmp_path, 'max-ingest-size = "100"\n')
    code, report = as_json(FIX / "file-too-large.bad.csv", cwd=tmp_path)
    assert (code, report["target"]["max_ingest_size"]) == (1, 100)
    assert codes(report, FIX / "file-too-large.bad.csv") == ["TC001"]


def test_pyproject_unknown_key_is_a_usage_error(tmp_path):
    _pyproject(tmp_path, 'selekt = ["TC2"]\n')
    p = tabcheck("check", GOOD, cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == (
        f"tabcheck: error: {tmp_path / 'pyproject.toml'}: unknown key in [tool.tabcheck]: selekt\n"
    )


# -- text output -----------------------------------------------------------------------------------


def test_text_output_lists_each_file_with_its_prediction(tmp_path):
    p = tabcheck("check", GOOD, RAGGED, PERCENT, cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout == (
        f"{GOOD}  (csv, utf-8, ',')  ready\n"
        "  no problem found\n"
        "  → Dataverse 6.8: ingested: 3 variables, 3 observations\n"
        "\n"
        f"{RAGGED}  (csv, utf-8, ',')  will fail\n"
        "  3       TC203 blocker   1 row does not have 3 cells like the header: row 3 has 2.  "
        "[ragged-row]\n"
        "  → Dataverse 6.8: ingest fails: “Reading mismatch, line 3 of the Data file: 3 delimited values "
        "expected, 2 found.” — the real problem is at row 3\n"
        "\n"
        f"{PERCENT}  (csv, utf-8, ',')  will be altered\n"
        "  3:2     TC402 warning   Column 2 “rate”: 2 values with percent signs (e.g. “12%”, rows 3, 4): the "
        "column will be text.  [numbers-as-text]\n"
        "  → Dataverse 6.8: ingested: 2 variables, 3 observations\n"
        "\n"
        "3 files: 1 ready, 1 will be altered, 1 will fail, 0 not ingested, 0 could not be checked; "
        "1 to fix before depositing\n"
    )
    assert "\x1b[" not in p.stdout + p.stderr


def test_text_output_in_french(tmp_path):
    p = tabcheck("check", "--lang", "fr", GOOD, RAGGED, cwd=tmp_path)
    lines = p.stdout.splitlines()
    assert lines[0] == f"{GOOD}  (csv, utf-8, ',')  prêt"
    assert lines[2] == "  → Dataverse 6.8\u00a0: ingéré : 3 variables, 3 observations"
    assert lines[-1] == (
        "2 fichiers : 1 prêt, 0 sera altéré, 1 échouera, 0 non ingéré, 0 n'a pas pu être vérifié ; "
        "1 à corriger avant le dépôt"
    )


def test_colour_only_on_a_terminal():
    """The renderer does colour when asked: the CLI asks only when stdout is a terminal (above)."""
    from tabcheck.api import check
    from tabcheck.report import RenderOptions
    from tabcheck.report.text import render

    run = check([RAGGED])
    assert "\x1b[31m" in render(run, RenderOptions("en", colour=True))
    assert "\x1b[" not in render(run, RenderOptions("en", colour=False))


def test_no_table_found(tmp_path):
    (tmp_path / "notes.md").write_text("# nothing here\n")
    p = tabcheck("check", tmp_path, cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout == (
        "No table found in the given paths (.csv .tsv .tab .xlsx .xls .xlsm .xlsb .ods "
        ".txt).\n0 files: 0 ready, 0 will be altered, 0 will fail, 0 not ingested, 0 could not be "
        "checked; 0 to fix before depositing\n"
    )


def test_output_file_instead_of_stdout(tmp_path):
    out = tmp_path / "report.json"
    p = tabcheck("check", "--format", "json", "--output", out, GOOD, cwd=tmp_path)
    assert (p.returncode, p.stdout) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["ready"] == 1


def test_fix_says_why_a_path_was_not_read_in_words_in_both_languages(tmp_path):
    """Was: `fix` printed discover's raw reason codes (`not-found`)."""
    out = tabcheck("fix", "absent.csv", "-o", "out", cwd=tmp_path)
    assert out.returncode == 2
    assert "absent.csv: error: no such file or folder" in out.stdout
    out = tabcheck("fix", "absent.csv", "-o", "out", "--force", "--lang", "fr", cwd=tmp_path)
    assert "absent.csv\u00a0: erreur\u00a0: fichier ou dossier introuvable" in out.stdout
