"""The README's pre-commit snippet, run as written with the real pre-commit against a local clone.

pre-commit clones the repository at the snippet's `rev`, installs tabcheck into an environment of its
own (from the package index, as for any user) and runs the hook on the staged tables: a ragged CSV
stops the commit, a clean one passes. The clone stands in for the repository's URL; the tag named in
the snippet is made in the clone when the checkout carries no tags (a shallow CI checkout).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _snippet() -> tuple[str, str]:
    """The README's pre-commit YAML and the rev it names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"### pre-commit\n\n```yaml\n(.*?)```", readme, re.S)
    assert found, "the README has a pre-commit snippet"
    yaml = found.group(1)
    rev = re.search(r"rev: (\S+)", yaml)
    assert rev is not None
    return yaml, rev.group(1)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_the_readme_snippet_runs_the_hook(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None or shutil.which("git") is None:
        pytest.skip("pre-commit and git are needed (pip install -e '.[test]')")
    yaml, rev = _snippet()
    clone = tmp_path / "tabcheck"
    _git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone), cwd=tmp_path)
    tags = subprocess.run(
        ["git", "tag"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.split()
    if rev not in tags:
        _git("tag", rev, cwd=clone)
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "--quiet", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(yaml.replace("<this repository's URL>", str(clone)))
    (project / "mesures.csv").write_text("site,valeur\nBrest\n")
    (project / "notes.md").write_text("not a table\n")
    _git("add", ".", cwd=project)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "TABCHECK_LANG": "en",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    env.pop("VIRTUAL_ENV", None)
    run = subprocess.run(
        ["pre-commit", "run", "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "tabcheck (Dataverse ingest preflight)" in run.stdout and "Failed" in run.stdout
    assert "mesures.csv  (csv, utf-8, ',')  will fail" in run.stdout
    assert "TC203 blocker" in run.stdout and "notes.md" not in run.stdout
    (project / "mesures.csv").write_text("site,valeur\nBrest,1\n")
    run = subprocess.run(
        ["pre-commit", "run", "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout
