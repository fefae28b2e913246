"""Why a file has no codebook is said in the report's language (was: English in French reports)."""

from __future__ import annotations

from pathlib import Path

from tabcheck.api import check, render


def test_the_codebook_note_is_in_the_reports_language(tmp_path: Path) -> None:
    # A header-only CSV is ingested with 0 observations: Dataverse computes no statistics nor UNF.
    path = tmp_path / "header_only.csv"
    path.write_text("a,b\n", encoding="utf-8")
    run = check([path], codebook=True)
    assert run.files[0].dataverse is not None
    note = "no observations: Dataverse computes neither statistics nor UNF"
    assert run.files[0].dataverse.codebook_note == note
    french = "aucune observation\u00a0: Dataverse ne calcule ni statistiques ni UNF"
    assert f'<p class="meta">{french}</p>' in render(run, "html", "fr")
    assert f'<p class="meta">{note}</p>' in render(run, "html", "en")
