"""One coherent verdict on a folder of ordinary French files (fixtures/make_verdict_folder.py).

Each file reproduces something a data steward met; one run must give the right findings, in text,
JSON and HTML alike, with the exit code the status model says.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = {
    "ancien-excel.xls": ("not-ingested", ["unsupported-format"], "not-ingested"),
    "archive.csv": ("fails", ["not-tabular"], "fails"),
    "calc.ods": ("not-ingested", ["unsupported-format"], "not-ingested"),
    "compresse.csv": ("fails", ["not-tabular"], "ingested"),
    "egalite-point-virgule.csv": ("fails", ["decimal-comma", "delimiter-not-comma"], "fails"),
    "iso-8859-15.csv": ("altered", ["encoding-not-utf8", "numbers-as-text"], "ingested"),
    "latin-1.csv": ("altered", ["encoding-not-utf8"], "ingested"),
    "milliers-espaces.csv": ("fails", ["decimal-comma", "delimiter-not-comma"], "fails"),
    "nom-espaces.csv": ("fails", ["empty-header"], "fails"),
    "nom-trop-long.csv": ("fails", ["header-too-long"], "fails"),
    "notes-sous-le-tableau.csv": ("fails", ["blank-line", "title-or-notes-rows"], "fails"),
    "openpyxl-formules.xlsx": (
        "fails",
        ["duplicate-header", "empty-header", "formula-without-value", "xlsx-no-row-spans"],
        "fails",
    ),
    "preambule.csv": ("fails", ["decimal-comma", "delimiter-not-comma", "title-or-notes-rows"], "fails"),
    "propre.csv": ("ready", [], "ingested"),
    "tableau.txt": ("not-ingested", ["unsupported-format"], "not-ingested"),
    "texte-unicode.csv": ("altered", ["delimiter-not-comma", "encoding-not-utf8"], "ingested"),
    "titre-point-virgule.csv": (
        "fails",
        ["dates-as-text", "decimal-comma", "delimiter-not-comma", "encoding-not-utf8", "title-or-notes-rows"],
        "fails",
    ),
    "utf8-et-cp1252.csv": ("altered", ["mixed-encodings"], "ingested"),
    "utf8-un-octet.csv": ("altered", ["mixed-encodings"], "ingested"),
    "vide.csv": ("altered", ["no-data"], "ingested"),
    "windows-1252.csv": ("altered", ["decimal-comma", "encoding-not-utf8"], "ingested"),
    "xlsxwriter-formules.xlsx": ("altered", ["formula-without-value"], "ingested"),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location(
        "make_verdict_folder", ROOT / "fixtures" / "make_verdict_folder.py"
    )
    assert spec and spec.loader
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    out = tmp_path_factory.mktemp("verdict")
    maker.OUT = out
    maker.main()
    return out


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tabcheck", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_one_run_gives_each_file_its_verdict(folder: Path) -> None:
    out = _run("check", str(folder), "--format", "json")
    assert out.returncode == 1, out.stderr  # blockers, no unreadable file
    report = json.loads(out.stdout)
    got = {
        Path(f["path"]).name: (
            f["status"],
            sorted({x["rule"] for x in f["findings"]}),
            f["dataverse"]["outcome"],
        )
        for f in report["files"]
    }
    assert got == {name: (s, sorted(r), o) for name, (s, r, o) in EXPECTED.items()}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_json_and_html_agree_and_quote_the_files_own_characters(folder: Path, lang: str) -> None:
    """Was: `temp\ufffdrature` in the messages about a Windows-1252 file."""
    target = str(folder / "windows-1252.csv")
    text = _run("check", target, "--lang", lang).stdout
    data = json.loads(_run("check", target, "--lang", lang, "--format", "json").stdout)
    page = _run("check", target, "--lang", lang, "--format", "html").stdout
    (decimal,) = [f for f in data["files"][0]["findings"] if f["rule"] == "decimal-comma"]
    assert "température" in decimal["message"] and "\ufffd" not in decimal["message"]
    assert decimal["message"] in text
    assert decimal["column_name"] == "température"
    assert "température" in page
    status = data["files"][0]["status"]
    words = {"en": "will be altered", "fr": "sera altéré"}[lang]
    assert status == "altered" and words in text


def test_the_prediction_names_what_dataverse_will_store(folder: Path) -> None:
    """Dataverse reads the raw bytes as UTF-8: its variable names keep the replacement character."""
    data = json.loads(_run("check", str(folder / "windows-1252.csv"), "--format", "json").stdout)
    names = [c["name"] for c in data["files"][0]["dataverse"]["columns"]]
    assert names == ["site", "temp\ufffdrature"]


def test_given_encoding_and_delimiter_replace_the_guesses(tmp_path: Path) -> None:
    path = tmp_path / "molière.csv"
    path.write_bytes("code;nom,prenom\nab;Molière,Jean\ncd;Hugo,Victor\n".encode("cp1252"))
    guessed = json.loads(_run("check", str(path), "--format", "json").stdout)["files"][0]
    assert {"delimiter-uncertain"} <= {f["rule"] for f in guessed["findings"]}
    given = json.loads(
        _run("check", str(path), "--format", "json", "--encoding", "cp1252", "--delimiter", ";").stdout
    )["files"][0]
    rules = {f["rule"] for f in given["findings"]}
    assert "delimiter-uncertain" not in rules and "encoding-uncertain" not in rules
    assert (given["encoding"], given["delimiter"]) == ("windows-1252", ";")
    assert "delimiter-not-comma" in rules


def test_per_path_settings_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tabcheck]\nlang = "en"\n\n[[tool.tabcheck.files]]\npattern = "exports/*.csv"\ndelimiter = ";"\n',
        encoding="utf-8",
    )
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "a.csv").write_text("code;nom,prenom\nab;Martin,Paul\ncd;Durand,Anne\n")
    (tmp_path / "b.csv").write_text("code;nom,prenom\nab;Martin,Paul\ncd;Durand,Anne\n")
    data = json.loads(_run("check", "exports", "b.csv", "--format", "json", cwd=tmp_path).stdout)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["a.csv"]["delimiter"] == ";"
    assert "delimiter-uncertain" in {f["rule"] for f in by_name["b.csv"]["findings"]}


@pytest.mark.parametrize(
    "args,message",
    [
        (["--encoding", "klingon"], "unknown encoding 'klingon'"),
        (["--delimiter", ";;"], "a delimiter is one character"),
    ],
)
def test_a_wrong_given_reading_is_a_usage_error(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n")
    out = _run("check", str(path), *args)
    assert out.returncode == 2 and message in out.stderr
