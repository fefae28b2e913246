"""Presets for known Dataverse installations: their address, version and documented limits.

`--instance recherche-data-gouv` (or `instance = "…"` in `[tool.tabcheck]`) sets the limits an
installation documents, so that a depositor does not have to know them. A value tabcheck has no
source for is left unset (`None`): the run then uses tabcheck's defaults, and says so nowhere else
but here — the README's table gives each value's source. Explicit options and `[tool.tabcheck]`
keys always win over a preset. `tabcheck deposit` reads the server's real version from its API and
warns when it disagrees with the preset.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instance:
    name: str
    title: str
    url: str
    dataverse: str | None = None  # the version modelled for it (6.8, 6.7 or 6.6), None: not documented
    max_ingest_size: str | None = None  # :TabularIngestSizeLimit for CSV/XLSX, None: not documented
    max_upload_size: str | None = None  # the largest file one upload accepts, None: not documented
    source: str = ""


INSTANCES: dict[str, Instance] = {
    i.name: i
    for i in (
        Instance(
            "recherche-data-gouv",
            "Recherche Data Gouv",
            "https://entrepot.recherche.data.gouv.fr",
            max_ingest_size="500MB",
            max_upload_size="50GB",
            source="Recherche Data Gouv deposit guide: tabular ingest below 500 MB, 50 GB per file",
        ),
        Instance(
            "harvard",
            "Harvard Dataverse",
            "https://dataverse.harvard.edu",
            max_ingest_size="150MB",
            source="Harvard Dataverse's :TabularIngestSizeLimit, 150 MB (tabcheck's reference on the readers)",
        ),
        Instance("borealis", "Borealis (Canada)", "https://borealisdata.ca"),
        Instance("dataverse-nl", "DataverseNL", "https://dataverse.nl"),
    )
}


def instance(name: str) -> Instance:
    """The preset called `name`, or ValueError listing the known ones."""
    found = INSTANCES.get(name.strip().lower())
    if found is None:
        from tabcheck.i18n import UsageError

        raise UsageError("usage.instance", name=name, known=", ".join(INSTANCES))
    return found
