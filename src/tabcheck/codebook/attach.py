"""`check --codebook`: the codebook joined to a file's prediction, and the run's dataset UNF."""

from __future__ import annotations

from pathlib import Path

from tabcheck.codebook.collect import codebook_for_csv
from tabcheck.codebook.unf import combine
from tabcheck.facts import FileFacts
from tabcheck.model import Outcome, Prediction, RunReport

TEXT_FORMATS = ("csv", "tsv", "tab")


def attach_codebook(path: Path, facts: FileFacts, prediction: Prediction) -> None:
    """Fill `stats` and `unf` of each predicted variable, and the file's UNF (or say why not)."""
    if prediction.outcome != Outcome.INGESTED or prediction.columns is None:
        return
    if facts.format not in TEXT_FORMATS:
        prediction.codebook_note = "not predicted for workbooks yet"
        return
    table = facts.table
    view = table.dataverse if table is not None else None
    if view is None:
        prediction.codebook_note = "no table read"
        return
    if facts.changed is not None:
        prediction.codebook_note = "the file changed while it was read"
        return
    if not prediction.observations:
        prediction.codebook_note = "no observations: Dataverse computes neither statistics nor UNF"
        return
    book = codebook_for_csv(
        path,
        [(c.name, c.type) for c in prediction.columns],
        view.delimiter,
        view.trim,
        prediction.observations,
    )
    if book.note is not None:
        prediction.codebook_note = book.note
        return
    for col, cb in zip(prediction.columns, book.columns, strict=True):
        col.stats, col.unf = cb.stats, cb.unf
    prediction.unf = book.unf


def dataset_unf(run: RunReport) -> str | None:
    """The dataset UNF of the files of the run Dataverse ingests (None if one has no UNF)."""
    unfs = [
        r.dataverse.unf
        for r in run.files
        if r.dataverse is not None and r.dataverse.outcome == Outcome.INGESTED
    ]
    if not unfs or any(u is None for u in unfs):
        return None
    return combine([u for u in unfs if u is not None])
