"""Installation presets: --instance sets the documented limits; explicit settings win."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck.api import check, resolve_target
from tabcheck.instances import INSTANCES

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "examples" / "showcase" / "01-clean_measurements.csv"


def _target(*args: str, cwd: Path) -> dict:
    env = {**os.environ, "TABCHECK_LANG": "en"}
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", str(GOOD), "--format", "json", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["target"]


def test_presets_set_the_documented_limits(tmp_path: Path) -> None:
    assert _target("--instance", "harvard", cwd=tmp_path) == {
        "dataverse": "6.8",
        "max_ingest_size": 150 << 20,
    }
    assert _target("--instance", "recherche-data-gouv", cwd=tmp_path)["max_ingest_size"] == 500 << 20
    assert (
        _target("--instance", "harvard", "--max-ingest-size", "1GB", cwd=tmp_path)["max_ingest_size"]
        == 1 << 30
    )


def test_the_preset_can_live_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tabcheck]\ninstance = "harvard"\ndataverse = "6.7"\n')
    assert _target(cwd=tmp_path) == {"dataverse": "6.7", "max_ingest_size": 150 << 20}


def test_an_unknown_instance_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tabcheck", "check", str(GOOD), "--instance", "zenodo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert (
        "unknown instance 'zenodo' (one of: recherche-data-gouv, harvard, borealis, dataverse-nl)"
        in out.stderr
    )


def test_undocumented_values_fall_back_to_the_defaults() -> None:
    assert resolve_target("borealis") == ("6.8", "500MB", "50GB")
    assert check([GOOD], instance="harvard").target.max_ingest_size == 150 << 20
    with pytest.raises(ValueError, match="unknown instance"):
        check([GOOD], instance="nowhere")
    assert all(i.url.startswith("https://") for i in INSTANCES.values())
