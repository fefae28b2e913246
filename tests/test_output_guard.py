"""One guard for every writer: no output lands on an input, in a walked folder, or over a stranger.

Each case runs the real command line on real files and checks the originals byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabcheck.guard import OutputGuard, OutputRefused


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "tabcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def _tree(root: Path) -> dict[str, str]:
    """Every file below root with the hash of its bytes (symlinks by their target)."""
    found = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            found[str(p.relative_to(root))] = "-> " + os.readlink(p)
        elif p.is_file():
            found[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.csv").write_bytes(b"x;y\n1,5;2\n")
    (d / "a.tsv").write_bytes(b"x\ty\n3\t4\n")
    return d


def test_check_report_over_an_existing_file_needs_force(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("my notes\n")
    out = _cli("check", "d", "--format", "json", "-o", "report.json", cwd=tmp_path)
    assert out.returncode == 2
    assert "report.json already exists: pass --force to replace it" in out.stderr
    assert report.read_text() == "my notes\n"
    out = _cli("check", "d", "--format", "json", "-o", "report.json", "--force", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert json.loads(report.read_text())["files"][0]["path"].endswith("a.csv")


def test_check_report_refusals_are_in_french_too(data: Path, tmp_path: Path) -> None:
    (tmp_path / "r.html").write_text("x")
    out = _cli("check", "d", "--lang", "fr", "--format", "html", "-o", "r.html", cwd=tmp_path)
    assert out.returncode == 2
    assert "r.html existe déjà\u00a0: indiquez --force pour le remplacer" in out.stderr


def test_a_report_never_goes_where_the_next_check_would_read_it_as_a_table(
    data: Path, tmp_path: Path
) -> None:
    before = _tree(tmp_path)
    out = _cli("check", "d", "--format", "text", "-o", "d/report.csv", cwd=tmp_path)
    assert out.returncode == 2
    assert "d/report.csv is inside a folder being checked, and its name is a table's" in out.stderr
    assert _tree(tmp_path) == before
    out = _cli("check", "d", "--format", "html", "-o", "d/report.html", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert (data / "report.html").read_text().startswith("<!doctype html>")


def test_a_report_is_never_written_through_a_symlink_onto_an_input(data: Path, tmp_path: Path) -> None:
    (tmp_path / "report.html").symlink_to(data / "a.csv")
    before = _tree(tmp_path)
    for extra in ([], ["--force"]):
        out = _cli("check", "d", "--format", "html", "-o", "report.html", *extra, cwd=tmp_path)
        assert out.returncode == 2
        assert "report.html is one of the files being checked" in out.stderr
    assert _tree(tmp_path) == before


def test_a_report_is_never_written_over_a_folder_or_a_fifo(data: Path, tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    os.mkfifo(tmp_path / "pipe.json")
    for name in ("folder.json", "pipe.json"):
        out = _cli("check", "d", "--format", "json", "-o", name, "--force", cwd=tmp_path)
        assert out.returncode == 2
        assert f"{name} exists and is not a regular file" in out.stderr


@pytest.mark.parametrize(
    ("args", "cwd", "said"),
    [
        (["fix", "d", "-o", "d"], ".", "the output folder d is a folder of the files to fix"),
        (["fix", "a.tsv", "-o", "."], "d", "the output folder . is a folder of the files to fix"),
        (["fix", "d", "-o", "d/sub"], ".", "the output folder d/sub is inside a folder of the files to fix"),
        (["fix", "d", "-o", "d/a.csv"], ".", "the output folder d/a.csv is inside a folder"),
    ],
)
def test_fix_output_folder_among_the_inputs_is_refused_before_anything_is_written(
    data: Path, tmp_path: Path, args: list[str], cwd: str, said: str
) -> None:
    (data / "sub").mkdir()
    (data / "sub" / "b.csv").write_bytes(b"p,q\n1,2\n")
    before = _tree(tmp_path)
    for extra in ([], ["--force"]):
        out = _cli(*args, *extra, cwd=tmp_path / cwd if cwd != "." else tmp_path)
        assert out.returncode == 2, out.stdout
        assert said in out.stderr
    assert _tree(tmp_path) == before


def test_fix_never_follows_a_symlink_in_the_output_folder_onto_an_input(data: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "a.csv").symlink_to(data / "a.csv")
    before = _tree(tmp_path)
    for extra in ([], ["--force"]):
        # Was: "error: ValueError: …"; now a refusal that says what to do, in the manifest too (exit 2,
        # as every refusal of the guard)
        out = _cli("fix", "d/a.csv", "-o", "out", *extra, cwd=tmp_path)
        assert out.returncode == 2, out.stdout
        assert (
            "d/a.csv: refused: out/a.csv is one of the files being checked: the output would replace it"
            in out.stdout
        )
        manifest = json.loads((out_dir / "fix-manifest.json").read_text())
        assert [f["refused"]["reason"] for f in manifest["files"]] == ["output-is-input"]
    after = _tree(tmp_path)
    assert after["d/a.csv"] == before["d/a.csv"]
    assert after["out/a.csv"] == before["out/a.csv"]  # still the link, never replaced
    assert not [p for p in out_dir.iterdir() if p.name.endswith(".tmp")]


def test_fix_twice_into_one_folder_refuses_outputs_but_keeps_its_own_manifest(
    data: Path, tmp_path: Path
) -> None:
    first = _cli("fix", "d", "-o", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stdout
    outputs = _tree(tmp_path / "out")
    assert set(outputs) == {"a.csv", "a.tsv.csv", "fix-manifest.json"}
    second = _cli("fix", "d", "-o", "out", cwd=tmp_path)
    assert second.returncode == 1
    assert second.stdout.count("already exists: pass --force to replace it") == 2
    manifest = json.loads((tmp_path / "out" / "fix-manifest.json").read_text())
    assert [f["refused"]["reason"] for f in manifest["files"]] == ["output-exists", "output-exists"]
    assert _tree(tmp_path / "out")["a.csv"] == outputs["a.csv"]
    third = _cli("fix", "d", "-o", "out", "--force", cwd=tmp_path)
    assert third.returncode == 0, third.stdout


def test_fix_never_replaces_a_strangers_manifest(data: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "fix-manifest.json").write_text("my own file\n")
    out = _cli("fix", "d", "-o", "out", cwd=tmp_path)
    assert out.returncode == 2
    assert "fix-manifest.json already exists: pass --force to replace it" in out.stderr
    assert (tmp_path / "out" / "fix-manifest.json").read_text() == "my own file\n"


def test_the_guard_refuses_one_path_twice_in_a_run(tmp_path: Path) -> None:
    guard = OutputGuard(inputs=[tmp_path / "in"])
    guard.claim(tmp_path / "out.csv")
    with pytest.raises(OutputRefused, match="written twice"):
        guard.claim(tmp_path / "x" / ".." / "out.csv")
    guard.release(tmp_path / "out.csv")
    assert guard.claim(tmp_path / "out.csv") == (tmp_path / "out.csv").resolve()


def test_the_python_api_of_fix_goes_through_the_guard_too(data: Path, tmp_path: Path) -> None:
    from tabcheck.checker import Settings
    from tabcheck.fix import fix_paths

    before = _tree(tmp_path)
    with pytest.raises(OutputRefused, match="is a folder of the files to fix"):
        fix_paths([data], data, Settings())
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "fix-manifest.json").write_text("mine\n")
    with pytest.raises(OutputRefused, match="already exists"):
        fix_paths([data], tmp_path / "out", Settings())
    assert _tree(tmp_path) == {**before, "out/fix-manifest.json": _tree(tmp_path)["out/fix-manifest.json"]}
    run = fix_paths([data], tmp_path / "fixed", Settings())
    assert run.exit_code == 0 and (tmp_path / "fixed" / "a.tsv.csv").read_text() == "x,y\n3,4\n"
