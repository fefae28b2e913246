"""Regenerate rules/ (one page per rule) and reports/ (sample outputs on the fixtures).

    python scripts/generate_docs.py

tests/test_plugins_and_docs.py fails when the committed rule pages differ from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from tabcheck.docs import write_pages
    from tabcheck.plugins import all_rules

    pages = write_pages(all_rules(), ROOT / "rules")
    print(f"rules/: {len(pages)} pages")
    from tabcheck.report.samples import write_samples

    for path in write_samples(ROOT / "fixtures", ROOT / "reports"):
        print(f"reports/{path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
