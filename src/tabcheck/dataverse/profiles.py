"""Version differences of Dataverse's readers, as data rather than `if version` spread in code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    version: str
    # Commons CSV: 6.8 reads an unclosed quote to EOF and tolerates text after a closing quote;
    # 6.7 and earlier throw.
    lenient_quotes: bool
    # 6.8 no longer refuses duplicate header names: the header map keeps one of each, so every
    # data record then has more fields than "expected".
    duplicate_header_is_mismatch: bool
    # 6.8's TDF reader names the missing header itself.
    tsv_header_missing_message: bool
    # A CR inside a quoted cell breaks the save of the ingested table (6.7+).
    cr_in_cell_fails: bool
    # 6.8 counts one more line when the file's last byte is not a line break.
    mismatch_counts_unterminated_last_line: bool
    # 6.8 wraps the unclosed-quote error of the TSV reader in an UncheckedIOException.
    unchecked_io_wrapper: bool
    # 6.8 prints positions with a thousands separator.
    grouped_positions: bool


PROFILES = {
    "6.8": Profile(
        "6.8",
        lenient_quotes=True,
        duplicate_header_is_mismatch=True,
        tsv_header_missing_message=True,
        cr_in_cell_fails=True,
        mismatch_counts_unterminated_last_line=True,
        unchecked_io_wrapper=True,
        grouped_positions=True,
    ),
    "6.7": Profile(
        "6.7",
        lenient_quotes=False,
        duplicate_header_is_mismatch=False,
        tsv_header_missing_message=False,
        cr_in_cell_fails=True,
        mismatch_counts_unterminated_last_line=False,
        unchecked_io_wrapper=False,
        grouped_positions=False,
    ),
    "6.6": Profile(
        "6.6",
        lenient_quotes=False,
        duplicate_header_is_mismatch=False,
        tsv_header_missing_message=False,
        cr_in_cell_fails=False,
        mismatch_counts_unterminated_last_line=False,
        unchecked_io_wrapper=False,
        grouped_positions=False,
    ),
}
DEFAULT_VERSION = "6.8"


def profile_for(version: str) -> Profile:
    """The profile of a version: 6.8 and later behave as 6.8, 6.6 and earlier as 6.6."""
    if version in PROFILES:
        return PROFILES[version]
    try:
        major, minor = (int(x) for x in version.split(".")[:2])
    except ValueError:
        raise ValueError(f"unknown Dataverse version {version!r} (try 6.8, 6.7 or 6.6)") from None
    if (major, minor) >= (6, 8):
        return PROFILES["6.8"]
    if (major, minor) <= (6, 6):
        return PROFILES["6.6"]
    return PROFILES["6.7"]
