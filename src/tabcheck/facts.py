"""What the scan learned about a file: the only input rules and the Dataverse model read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabcheck.model import Target


@dataclass
class FileFacts:
    path: Path
    display_path: str
    size: int
    extension: str  # lower case, with the dot: ".csv"
    format: str  # how Dataverse will treat it, from the extension: csv, tsv, xlsx, xls, ods, ...
    content: str  # what the first bytes are: text, zip, ole2, binary, empty, utf16
    table: Any = None  # scan.CsvFacts for csv/tsv
    workbook: Any = None  # workbook.WorkbookFacts for xlsx


@dataclass
class Context:
    """The run's settings as the rules see them."""

    target: Target
    profile: Any  # dataverse.profiles.Profile
    lang: str = "en"
