"""`tabcheck deposit`: the real pyDataverse client against tests/dataverse_server.py on 127.0.0.1.

A folder with a good file, a failing one (a ragged row: its fixed copy still fails) and a fixable one
(semicolons and decimal commas), under each --on-fail choice: the exact files sent (names, bytes,
tabIngest), the receipt's fields, the exit codes; each failure of the server gives a clear message
and exit 2, and the token never shows in standard output, standard error or the receipt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyDataverse")

sys.path.insert(0, str(Path(__file__).parent))
from dataverse_server import FakeDataverse, predicted

PID = "doi:10.5072/FK2/ABC"
GOOD = b"id,name,score\n1,alice,3.5\n2,bob,4\n3,carol,5.25\n"
RAGGED = b"id,name,score\n1,alice,3.5\n2,bob,4,extra\n3,carol,5\n"
SEMI = b"id;name;score\n1;alice;3,5\n2;bob;4,25\n3;carol;5,75\n"
SEMI_FIXED = b"id,name,score\n1,alice,3.5\n2,bob,4.25\n3,carol,5.75\n"
NBSP = "\u00a0"


@pytest.fixture
def server():
    fake = FakeDataverse()
    fake.url = fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.csv").write_bytes(GOOD)
    (data / "ragged.csv").write_bytes(RAGGED)
    (data / "semi.csv").write_bytes(SEMI)
    return tmp_path


def deposit(
    cwd: Path,
    server: FakeDataverse,
    *args: str,
    token: str | None = None,
    env_name: str = "DATAVERSE_API_TOKEN",
):
    env = {k: v for k, v in os.environ.items() if k not in ("DATAVERSE_API_TOKEN", "MY_TOKEN")}
    env.update(NO_COLOR="1", TABCHECK_LANG="en")
    if token is not None:
        env[env_name] = token
    cmd = [
        sys.executable,
        "-m",
        "tabcheck",
        "deposit",
        "data",
        "--server",
        server.url,
        "--dataset",
        PID,
        *args,
    ]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def receipt(cwd: Path) -> dict:
    data = json.loads((cwd / "tabcheck-deposit" / "deposit-receipt.json").read_text(encoding="utf-8"))
    assert data.pop("date").endswith("Z")
    return data


def sent(server: FakeDataverse) -> list[tuple[str, bytes, dict]]:
    return [(u.name, u.data, u.json_data) for u in server.uploads]


def assert_no_token(cwd: Path, server: FakeDataverse, *outputs: str) -> None:
    for text in outputs:
        assert server.token not in text
    for path in (cwd / "tabcheck-deposit").glob("*") if (cwd / "tabcheck-deposit").exists() else ():
        assert server.token.encode() not in path.read_bytes()


def _upload(name: str, size: int, md5: str, tab_ingest: bool, predicted: dict, file_id, observed, **rest):
    return {
        "name": name,
        "directory_label": None,
        "size": size,
        "md5": md5,
        "tab_ingest": tab_ingest,
        "predicted": predicted,
        "file_id": file_id,
        "observed": observed,
        "as_predicted": rest.get("as_predicted", True),
        "differences": rest.get("differences", []),
        "error": rest.get("error"),
    }


def _md5(data: bytes) -> str:
    import hashlib

    return hashlib.md5(data).hexdigest()


def ingested(data: bytes) -> dict:
    """The receipt's prediction for a 3 × 3 table (its UNF once `check` predicts UNFs)."""
    return {
        "outcome": "ingested",
        "variables": 3,
        "observations": 3,
        "unf": predicted("t.csv", data).get("unf"),
    }


PLAIN = {"outcome": "not-ingested", "variables": None, "observations": None, "unf": None}


def _observed_table(label: str, data: bytes, server: FakeDataverse, file_id: int) -> dict:
    stored = next(f for f in server.files if f.id == file_id)
    return {
        "label": label,
        "tabular": True,
        "variables": 3,
        "observations": 3,
        "unf": stored.unf,
        "original_format": "Comma Separated Values",
        "md5": _md5(data),
    }


def _observed_plain(name: str, data: bytes) -> dict:
    return {
        "label": name,
        "tabular": False,
        "variables": None,
        "observations": None,
        "unf": None,
        "original_format": None,  # originalFormatLabel is given for tabular files only
        "md5": _md5(data),
    }


REFUSED_RAGGED_FAILS = {
    "reason": "fails",
    "message": "Dataverse 6.8 will not ingest it as it is (TC203). Pass --on-fail fixed to upload its "
    "fixed copy, or --on-fail no-ingest to store it without tabular ingest.",
    "message_fr": "Dataverse 6.8 ne l'ingérera pas tel quel (TC203). Indiquez --on-fail fixed pour envoyer "
    "sa copie corrigée, ou --on-fail no-ingest pour le déposer sans ingestion tabulaire.",
}


# -- dry run ---------------------------------------------------------------------------------------


def test_dry_run_shows_the_plan_and_sends_nothing(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server, "--dry-run")  # no token needed
    assert out.stdout == (
        f"Dry run: nothing is uploaded to {server.url} (dataset {PID}).\n"
        "data/good.csv: upload as it is; Dataverse 6.8 will ingest it: 3 variables, 3 observations\n"
        "data/ragged.csv: refused: Dataverse 6.8 will not ingest it as it is (TC203). Pass --on-fail "
        "fixed to upload its fixed copy, or --on-fail no-ingest to store it without tabular ingest.\n"
        "data/semi.csv: refused: Dataverse 6.8 will not ingest it as it is (TC201, TC401). Pass "
        "--on-fail fixed to upload its fixed copy, or --on-fail no-ingest to store it without tabular "
        "ingest.\n"
        "3 files: 1 to upload, 2 refused.\n"
    )
    assert out.stderr == ""
    assert out.returncode == 1
    assert server.requests == []
    assert not (folder / "tabcheck-deposit").exists()


def test_dry_run_in_french_with_fixed_copies(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server, "--dry-run", "--on-fail", "fixed", "--lang", "fr")
    assert out.stdout == (
        f"Essai à blanc{NBSP}: rien n'est envoyé vers {server.url} (jeu de données {PID}).\n"
        f"data/good.csv{NBSP}: envoyé tel quel{NBSP}; Dataverse 6.8 l'ingérera{NBSP}: 3 variables, "
        "3 observations\n"
        f"data/ragged.csv{NBSP}: refusé{NBSP}: sa copie corrigée ne sera toujours pas ingérée (TC203)"
        f"{NBSP}: corrigez-le à la main.\n"
        f"data/semi.csv{NBSP}: l'ingestion échouera tel quel (TC201, TC401){NBSP}; envoi de sa copie "
        f"corrigée semi.csv{NBSP}; Dataverse 6.8 l'ingérera{NBSP}: 3 variables, 3 observations\n"
        f"3 fichiers{NBSP}: 2 à envoyer, 1 refusé.\n"
    )
    assert out.returncode == 1
    assert server.requests == []


def test_dry_run_without_tabular_ingest(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server, "--dry-run", "--on-fail", "no-ingest")
    lines = out.stdout.splitlines()
    assert lines[2] == (
        "data/ragged.csv: will fail as it is (TC203); upload it without tabular ingest (stored as a "
        "plain file, not as a table)"
    )
    assert lines[-1] == "3 files: 3 to upload, 0 refused."
    assert out.returncode == 0
    assert server.requests == []


# -- the three choices -----------------------------------------------------------------------------


def test_refuse_uploads_only_the_good_file(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server, token=server.token)
    assert sent(server) == [("good.csv", GOOD, {"tabIngest": "true"})]
    assert out.stdout.splitlines()[-3:] == [
        "data/good.csv → good.tab (file 101): ingested, 3 variables, 3 observations: as predicted",
        "Receipt: tabcheck-deposit/deposit-receipt.json, tabcheck-deposit/deposit-receipt.html",
        "3 files: 1 uploaded, 2 refused, 1 as predicted, 0 not as predicted, 0 errors.",
    ]
    assert out.returncode == 1  # files were refused
    assert receipt(folder) == {
        "tabcheck": "0.1.0",
        "server": server.url,
        "dataset": PID,
        "dataset_id": 24,
        "dataverse": "6.8",
        "server_version": "6.8",
        "on_fail": "refuse",
        "dry_run": False,
        "files": [
            {
                "source": "data/good.csv",
                "status": "ready",
                "action": "upload",
                "rules": [],
                "refused": None,
                "uploads": [
                    _upload(
                        "good.csv",
                        len(GOOD),
                        _md5(GOOD),
                        True,
                        ingested(GOOD),
                        101,
                        _observed_table("good.tab", GOOD, server, 101),
                    )
                ],
            },
            {
                "source": "data/ragged.csv",
                "status": "fails",
                "action": "refused",
                "rules": ["TC203"],
                "refused": REFUSED_RAGGED_FAILS,
                "uploads": [],
            },
            {
                "source": "data/semi.csv",
                "status": "fails",
                "action": "refused",
                "rules": ["TC201", "TC401"],
                "refused": {
                    "reason": "fails",
                    "message": REFUSED_RAGGED_FAILS["message"].replace("TC203", "TC201, TC401"),
                    "message_fr": REFUSED_RAGGED_FAILS["message_fr"].replace("TC203", "TC201, TC401"),
                },
                "uploads": [],
            },
        ],
        "summary": {
            "files": 3,
            "upload": 1,
            "uploaded": 1,
            "refused": 2,
            "as_predicted": 1,
            "mismatches": 0,
            "errors": 0,
        },
        "error": None,
        "exit_code": 1,
    }
    html = (folder / "tabcheck-deposit" / "deposit-receipt.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "data/ragged.csv" in html and "as predicted" in html
    assert_no_token(folder, server, out.stdout, out.stderr)


def test_fixed_uploads_the_fixed_copy_and_refuses_what_fix_cannot_repair(
    folder: Path, server: FakeDataverse
) -> None:
    out = deposit(folder, server, "--on-fail", "fixed", token=server.token)
    assert sent(server) == [
        ("good.csv", GOOD, {"tabIngest": "true"}),
        ("semi.csv", SEMI_FIXED, {"tabIngest": "true"}),
    ]
    assert out.returncode == 1  # the ragged file stays refused
    data = receipt(folder)
    ragged, semi = data["files"][1], data["files"][2]
    assert ragged["action"] == "refused"
    assert ragged["refused"] == {
        "reason": "fix-still-fails",
        "message": "its fixed copy still will not be ingested (TC203): fix it by hand.",
        "message_fr": f"sa copie corrigée ne sera toujours pas ingérée (TC203){NBSP}: corrigez-le à la main.",
    }
    assert semi["action"] == "fixed"
    assert semi["uploads"] == [
        _upload(
            "semi.csv",
            len(SEMI_FIXED),
            _md5(SEMI_FIXED),
            True,
            ingested(SEMI_FIXED),
            102,
            _observed_table("semi.tab", SEMI_FIXED, server, 102),
        )
    ]
    assert data["summary"] == {
        "files": 3,
        "upload": 2,
        "uploaded": 2,
        "refused": 1,
        "as_predicted": 2,
        "mismatches": 0,
        "errors": 0,
    }
    assert (folder / "data" / "semi.csv").read_bytes() == SEMI  # the original is untouched
    assert sorted(p.name for p in folder.iterdir()) == ["data", "tabcheck-deposit"]


def test_no_ingest_uploads_the_failing_originals_as_plain_files(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server, "--on-fail", "no-ingest", token=server.token)
    assert sent(server) == [
        ("good.csv", GOOD, {"tabIngest": "true"}),
        ("ragged.csv", RAGGED, {"tabIngest": "false"}),
        ("semi.csv", SEMI, {"tabIngest": "false"}),
    ]
    assert out.returncode == 0, out.stdout + out.stderr
    data = receipt(folder)
    assert [f["action"] for f in data["files"]] == ["upload", "no-ingest", "no-ingest"]
    assert data["files"][1]["uploads"] == [
        _upload(
            "ragged.csv", len(RAGGED), _md5(RAGGED), False, PLAIN, 102, _observed_plain("ragged.csv", RAGGED)
        )
    ]
    assert out.stdout.splitlines()[-4:-2] == [
        "data/ragged.csv → ragged.csv (file 102): stored without ingest: as predicted",
        "data/semi.csv → semi.csv (file 103): stored without ingest: as predicted",
    ]
    assert data["exit_code"] == 0


def test_a_subfolder_becomes_the_directory_label(tmp_path: Path, server: FakeDataverse) -> None:
    (tmp_path / "data" / "site A").mkdir(parents=True)
    (tmp_path / "data" / "site A" / "good.csv").write_bytes(GOOD)
    out = deposit(tmp_path, server, token=server.token)
    assert out.returncode == 0, out.stdout + out.stderr
    assert sent(server) == [("good.csv", GOOD, {"tabIngest": "true", "directoryLabel": "site A"})]
    assert "data/site A/good.csv → site A/good.tab (file 101)" in out.stdout


# -- the server's ingest differs from the prediction -----------------------------------------------


def test_a_mismatch_is_reported(folder: Path, server: FakeDataverse) -> None:
    server.ingest = {"good.csv": {"variables": 4, "observations": 3}}
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 1
    assert (
        "data/good.csv → good.tab (file 101): ingested, 4 variables, 3 observations: NOT as predicted "
        "(variables: 4 on the server, 3 predicted)"
    ) in out.stdout.splitlines()
    upload = receipt(folder)["files"][0]["uploads"][0]
    assert upload["as_predicted"] is False
    assert upload["differences"] == [{"what": "variables", "predicted": 3, "observed": 4}]


def test_a_different_unf_is_a_mismatch(folder: Path, server: FakeDataverse) -> None:
    unf = predicted("good.csv", GOOD)["unf"]
    assert unf.startswith("UNF:6:")
    server.ingest = {"good.csv": {"unf": "UNF:6:AAAAAAAAAAAAAAAAAAAAAA=="}}
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 1
    upload = receipt(folder)["files"][0]["uploads"][0]
    assert upload["differences"] == [
        {"what": "unf", "predicted": unf, "observed": "UNF:6:AAAAAAAAAAAAAAAAAAAAAA=="}
    ]
    assert f"UNF: UNF:6:AAAAAAAAAAAAAAAAAAAAAA== on the server, {unf} predicted" in out.stdout


def test_a_failed_ingest_is_a_mismatch(folder: Path, server: FakeDataverse) -> None:
    server.ingest = {"good.csv": {"tabular": False}}
    out = deposit(folder, server, "--lang", "fr", token=server.token)
    assert out.returncode == 1
    assert (
        f"data/good.csv → good.csv (fichier 101){NBSP}: conservé sans ingestion{NBSP}: NON conforme à la "
        "prévision (l'ingestion était prévue, mais Dataverse ne l'a pas ingéré)"
    ) in out.stdout.splitlines()
    assert receipt(folder)["files"][0]["uploads"][0]["differences"] == [
        {"what": "tabular", "predicted": True, "observed": False}
    ]
    html = (folder / "tabcheck-deposit" / "deposit-receipt.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "<h1>Récépissé de dépôt</h1>" in html
    assert "NON conforme à la prévision" in html


# -- errors: a clear message, exit 2, the token never shown ----------------------------------------


def test_no_token(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server)
    assert out.returncode == 2
    assert out.stderr == (
        "tabcheck: error: no API token: set it in the environment (export DATAVERSE_API_TOKEN=…, the "
        "token from your account's API Token page); tabcheck never takes it on the command line\n"
    )
    assert server.requests == []


def test_a_wrong_token(folder: Path, server: FakeDataverse) -> None:
    wrong = "ffffffff-0000-4000-8000-123456789abc"
    out = deposit(folder, server, "--token-env", "MY_TOKEN", token=wrong, env_name="MY_TOKEN")
    assert out.returncode == 2
    assert out.stderr == (
        "tabcheck: error: the server refused the API token from $MY_TOKEN (HTTP 401): it is wrong or "
        "has expired; create a new one in your account's API Token page\n"
    )
    assert wrong not in out.stdout + out.stderr
    assert server.requests[0][2]["x-dataverse-key"] == wrong  # sent in the header only
    assert all(wrong not in path for _, path, _ in server.requests)
    assert server.uploads == []
    assert not (folder / "tabcheck-deposit").exists()


def test_no_permission(folder: Path, server: FakeDataverse) -> None:
    server.can_add = False
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 2
    message = (
        f"the API token's account may not add files to dataset {PID} (HTTP 403): ask the dataset's owner "
        "for the Contributor or Curator role"
    )
    assert f"data/good.csv → good.csv: not uploaded: {message}" in out.stdout.splitlines()
    assert receipt(folder)["files"][0]["uploads"][0]["error"]["code"] == "403"
    assert_no_token(folder, server, out.stdout, out.stderr)


def test_an_unknown_dataset(folder: Path, server: FakeDataverse) -> None:
    server.datasets = {}
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 2
    assert out.stderr == (
        f"tabcheck: error: dataset {PID} not found on {server.url} (HTTP 404): check --dataset "
        "(doi:10.…) and --server\n"
    )
    assert server.uploads == []


def test_a_file_too_large(folder: Path, server: FakeDataverse) -> None:
    server.max_upload = 10  # every multipart body is larger: nginx answers 413 in HTML
    out = deposit(folder, server, "--on-fail", "no-ingest", token=server.token)
    assert out.returncode == 2
    assert (
        "data/good.csv → good.csv: not uploaded: the server refused good.csv as too large (HTTP 413): ask "
        "the repository about its upload limit, or upload it through its direct upload"
    ) in out.stdout.splitlines()
    assert (
        out.stdout.splitlines()[-1]
        == "3 files: 0 uploaded, 0 refused, 0 as predicted, 0 not as predicted, 3 errors."
    )
    assert_no_token(folder, server, out.stdout, out.stderr)


def test_a_server_error_that_echoes_the_token_is_masked(folder: Path, server: FakeDataverse) -> None:
    server.fail = {"add": 500}
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 2
    line = next(x for x in out.stdout.splitlines() if x.startswith("data/good.csv →"))
    assert line == (
        "data/good.csv → good.csv: not uploaded: the server answered HTTP 500: Internal error while serving "
        "/api/v1/datasets/:persistentId/add for key ********"
    )
    assert_no_token(folder, server, out.stdout, out.stderr)
    assert server.token.encode() not in (folder / "tabcheck-deposit" / "deposit-receipt.html").read_bytes()


def test_a_server_error_before_any_upload(folder: Path, server: FakeDataverse) -> None:
    server.fail = {"dataset": 500}
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 2
    assert out.stderr.startswith("tabcheck: error: the server answered HTTP 500: Internal error")
    assert_no_token(folder, server, out.stdout, out.stderr)


def test_an_ingest_lock_that_lasts(folder: Path, server: FakeDataverse) -> None:
    server.lock_seconds = float("inf")
    out = deposit(folder, server, "--ingest-timeout", "0.5", token=server.token)
    assert out.returncode == 2
    assert (
        f"tabcheck: error: dataset {PID} is still locked for ingest after 0.5 s: the files are uploaded "
        "but their ingest result is not known yet; look at the dataset's page later\n"
    ) == out.stderr
    assert "data/good.csv → good.csv (file 101): uploaded; ingest result unknown" in out.stdout
    data = receipt(folder)
    assert data["error"]["code"] == "lock"
    assert data["files"][0]["uploads"][0]["as_predicted"] is None
    assert_no_token(folder, server, out.stdout, out.stderr)


def test_the_server_is_unreachable(folder: Path, server: FakeDataverse) -> None:
    server.stop()
    out = deposit(folder, server, token=server.token)
    server.start()  # the fixture stops it again
    assert out.returncode == 2
    assert out.stderr.startswith(f"tabcheck: error: cannot reach {server.url}")


def test_an_existing_receipt_stops_the_deposit_before_anything_is_sent(
    folder: Path, server: FakeDataverse
) -> None:
    (folder / "tabcheck-deposit").mkdir()
    (folder / "tabcheck-deposit" / "deposit-receipt.json").write_text("{}")
    out = deposit(folder, server, token=server.token)
    assert out.returncode == 2
    assert "deposit-receipt.json already exists: pass --force to replace it" in out.stderr
    assert server.requests == []


def test_options_are_checked(folder: Path, server: FakeDataverse) -> None:
    out = deposit(folder, server, "--dry-run", "--on-fail", "skip")
    assert out.returncode == 2
    assert out.stderr == "tabcheck: error: --on-fail must be refuse, fixed or no-ingest (got 'skip')\n"


# -- the API, the optional extra, the check's imports ----------------------------------------------


def test_the_api_masks_the_token_in_its_errors(folder: Path, server: FakeDataverse) -> None:
    import tabcheck.api
    from tabcheck.deposit import DepositError

    server.fail = {"dataset": 500}
    with pytest.raises(DepositError) as caught:
        tabcheck.api.deposit(
            [folder / "data"], server=server.url, dataset=PID, token=server.token, receipt=folder / "r"
        )
    assert server.token not in str(caught.value) and server.token not in repr(caught.value.params)
    assert "********" in caught.value.text("fr")


def test_the_api_returns_the_result(folder: Path, server: FakeDataverse) -> None:
    import tabcheck.api

    lines: list[str] = []
    result = tabcheck.api.deposit(
        [folder / "data" / "good.csv"],
        server=server.url,
        dataset=PID,
        token=server.token,
        receipt=folder / "receipts",
        poll=0.05,
        echo=lines.append,
    )
    assert result.exit_code == 0
    assert result.summary["as_predicted"] == 1
    assert result.receipt == (
        folder / "receipts" / "deposit-receipt.json",
        folder / "receipts" / "deposit-receipt.html",
    )
    assert lines[0] == f"Deposit to {server.url}, dataset {PID}."


PROBE_NO_EXTRA = """
import sys
sys.modules["pyDataverse"] = None  # as if tabcheck[deposit] were not installed
from tabcheck.cli import main
sys.argv = ["tabcheck", "deposit", "data", "--server", "https://x.org", "--dataset", "doi:10.5072/FK2/ABC", "--dry-run"]
main()
"""


def test_without_the_extra(folder: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE_NO_EXTRA],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "TABCHECK_LANG": "en"},
    )
    assert out.returncode == 2
    assert (
        out.stderr == "tabcheck: error: tabcheck deposit needs pyDataverse: pip install 'tabcheck[deposit]'\n"
    )


PROBE_CHECK = """
import json, sys
from tabcheck.cli import main
sys.argv = ["tabcheck", "check", "data", "--format", "json"]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_a_check_run_does_not_load_the_client(folder: Path) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE_CHECK], cwd=folder, capture_output=True, text=True)
    loaded = set(json.loads(out.stderr.strip().splitlines()[-1]))
    assert not {
        m for m in loaded if m.split(".")[0] in ("pyDataverse", "httpx") or m.startswith("tabcheck.deposit")
    }


def test_a_server_running_another_version_is_said(folder: Path, server: FakeDataverse) -> None:
    server.version = "6.2"
    out = deposit(folder, server, token=server.token)
    assert (
        "warning: the server runs Dataverse 6.2, the prediction is for 6.8 (pass --dataverse or "
        "--instance to match it)"
    ) in out.stdout
    assert receipt(folder)["server_version"] == "6.2"
    server.version = "6.8.1"
    again = deposit(folder, server, "--force", token=server.token)
    assert "the server runs Dataverse" not in again.stdout
