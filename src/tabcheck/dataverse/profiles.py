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
    """The profile of a version tabcheck models: exactly "6.8", "6.7" or "6.6"; others raise ValueError.

    Nothing is mapped silently. Each of these releases changed what the readers do (6.7: a CR in a
    cell breaks the save; 6.8: lenient quotes, duplicate names, messages), so an older version
    (5.14, 6.3) would be checked against behaviour it does not have, and a later one (6.9, 7.0)
    against behaviour that may have changed since. Both are refused, naming the versions modelled:
    checking a later installation against 6.8 is the user's explicit choice, never a default.
    """
    found = PROFILES.get(version) if isinstance(version, str) else None
    if found is not None:
        return found
    from tabcheck.i18n import UsageError
    from tabcheck.messages import Words

    known = sorted(PROFILES, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    head = ", ".join(known[:-1])
    choices = Words(f"{head} or {known[-1]}", f"{head} ou {known[-1]}")
    modelled = Words(f"{head} and {known[-1]}", f"{head} et {known[-1]}")
    parts = version.split(".") if isinstance(version, str) else []
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise UsageError("usage.version", version=str(version), known=choices)
    if tuple(map(int, parts)) > tuple(map(int, known[0].split("."))):
        raise UsageError("usage.version-newer", version=version, known=modelled, newest=known[0])
    raise UsageError("usage.version-older", version=version, known=modelled)
