"""`check --codebook`: the codebook joined to a file's prediction, and the run's dataset UNF."""

from __future__ import annotations

from pathlib import Path

from tabcheck.codebook.collect import FileCodebook, codebook_for_csv
from tabcheck.codebook.unf import combine
from tabcheck.facts import FileFacts
from tabcheck.model import Outcome, Prediction, RunReport

TEXT_FORMATS = ("csv", "tsv", "tab")


def attach_codebook(path: Path, facts: FileFacts, prediction: Prediction) -> None:
    """Fill `stats` and `unf` of each predicted variable, and the file's UNF (or say why not)."""
    if prediction.outcome != Outcome.INGESTED or prediction.columns is None:
        return
    if facts.format == "xlsx":
        _attach_workbook(path, facts, prediction)
        return
    if facts.format not in TEXT_FORMATS:
        prediction.codebook_note = "not predicted for this format"
        return
    table = facts.table
    view = table.dataverse if table is not None else None
    if table is None or view is None:
        prediction.codebook_note = "no table read"
        return
    if _unreadable(facts, prediction):
        return
    columns = [(c.name, c.type) for c in prediction.columns]
    book = None
    # The check's pass fed the codebook Dataverse's values, lenient quoting and CR line ends
    # included (its exact splitter reads those); bytes that are not UTF-8 are read again, as
    # Java's decoder replaces them.
    if table.codebook is not None and table.bad_utf8 is None:
        book = table.codebook.result(columns, prediction.observations)
    if book is None:
        # Quotes that only open and close values, and LF line ends: chunks of whole records.
        regular = not view.bad_quoting and not view.unclosed_quote and table.line_ending != "CR"
        book = codebook_for_csv(
            path,
            columns,
            view.delimiter,
            view.trim,
            prediction.observations,
            regular_quoting=regular,
            quoted_breaks=bool(view.quoted_lf or view.quoted_cr),
        )
    _join(book, prediction)


def _attach_workbook(path: Path, facts: FileFacts, prediction: Prediction) -> None:
    """The codebook of a workbook: its sheet at rId1 read again as Dataverse's XLSX reader reads it."""
    from tabcheck.codebook.workbook import codebook_for_xlsx

    assert prediction.columns is not None, "checked by attach_codebook"
    if facts.workbook is None:
        prediction.codebook_note = "no table read"
        return
    if _unreadable(facts, prediction):
        return
    _join(
        codebook_for_xlsx(path, [(c.name, c.type) for c in prediction.columns], prediction.observations),
        prediction,
    )


def _unreadable(facts: FileFacts, prediction: Prediction) -> bool:
    """Whether no codebook can be predicted of a table read (the note says why)."""
    if facts.changed is not None:
        prediction.codebook_note = "the file changed while it was read"
    elif not prediction.observations:
        prediction.codebook_note = "no observations: Dataverse computes neither statistics nor UNF"
    return prediction.codebook_note is not None


def _join(book: FileCodebook, prediction: Prediction) -> None:
    """Each variable's statistics and UNF, and the file's UNF, or the note saying why not."""
    assert prediction.columns is not None, "checked by attach_codebook"
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


# The notes above in French (the JSON keeps them in English, as Dataverse's own messages).
_FRENCH = [
    (r"not predicted for this format", "non prédit pour ce format"),
    (r"no table read", "aucun tableau lu"),
    (r"the file changed while it was read", "le fichier a changé pendant sa lecture"),
    (
        r"no observations: Dataverse computes neither statistics nor UNF",
        "aucune observation\u00a0: Dataverse ne calcule ni statistiques ni UNF",
    ),
    (r"no variables", "aucune variable"),
    (r"the re-read found (\d+) columns, not (\d+)", r"la relecture trouve \1 colonnes, et non \2"),
    (r"the re-read failed: (\w+)", "la relecture a échoué\u00a0: \\1"),
    (r"the re-read found (\d+) observations, not (\d+)", r"la relecture trouve \1 observations, et non \2"),
    (
        r"the re-read found a sheet Dataverse cannot ingest",
        "la relecture trouve une feuille que Dataverse ne peut pas ingérer",
    ),
    (
        r"the re-read found other variables \(names or types\)",
        "la relecture trouve d'autres variables (noms ou types)",
    ),
]


def note_text(note: str, lang: str = "en") -> str:
    """A codebook note (Prediction.codebook_note) in the report's language."""
    import re

    if lang != "fr":
        return note
    for pattern, french in _FRENCH:
        if re.fullmatch(pattern, note):
            return re.sub(pattern, french, note)
    return note
