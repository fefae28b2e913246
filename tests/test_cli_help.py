"""`tabcheck --help` speaks French to a French-speaking user, as the messages do."""

from __future__ import annotations

import re

import typer.main
from tests.test_cli import tabcheck

from tabcheck.cli import app
from tabcheck.cli_help import FRENCH


def _texts() -> list[str]:
    """Every help text the command line declares: the group's, each command's, each option's."""
    group = typer.main.get_command(app)
    ctx = group.make_context("tabcheck", [], resilient_parsing=True)
    texts = [group.help, *(p.help for p in group.get_params(ctx))]
    for name, command in group.commands.items():
        sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        texts += [command.help, *(getattr(p, "help", None) for p in command.get_params(sub))]
    return [t for t in texts if t]


def _joined(screen: str) -> str:
    """A help screen on one line: click wraps it at its own width (no-break spaces stay)."""
    return re.sub(r"[ \n]+", " ", screen)


def test_every_help_text_has_its_french_and_no_french_is_stale():
    texts = set(_texts())
    assert sorted(texts - set(FRENCH)) == []
    assert sorted(set(FRENCH) - texts) == []


def test_fix_help_in_french_with_lang_fr(tmp_path):
    p = tabcheck("fix", "--help", "--lang", "fr", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    out = _joined(p.stdout)
    assert out.startswith("Utilisation\u00a0: ") and "tabcheck fix [OPTIONS]" in out
    assert "Réécrire des tableaux en CSV UTF-8 à virgules, comparer chaque copie à sa source" in out
    assert "Remplacer les copies qui existent déjà." in out
    assert "[par défaut\u00a0: tabcheck-fixed]" in out
    assert "Options\u00a0:" in p.stdout.splitlines()
    assert "Rewrite tables" not in out


def test_help_follows_the_locale_and_stays_english_otherwise(tmp_path):
    french = tabcheck("--help", cwd=tmp_path, env={"TABCHECK_LANG": "fr"})
    assert "Commandes\u00a0:" in french.stdout.splitlines()
    assert "Vérifier des tableaux et prédire" in french.stdout
    english = tabcheck("check", "--help", cwd=tmp_path)
    assert "Check tables and predict what Dataverse's ingest will do with each." in english.stdout
    assert english.stdout.startswith("Usage: ")


def test_help_follows_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.tabcheck]\nlang = "fr"\n', encoding="utf-8")
    p = tabcheck("rules", "--help", cwd=tmp_path)
    assert "Langue (par défaut\u00a0: celle du système)." in _joined(p.stdout)
