"""Regenerate rules/ (one page per rule, with real messages from the fixtures) and reports/.

    python scripts/generate_docs.py

tests/test_plugins_and_docs.py fails when the committed rule pages differ from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    import json

    from tabcheck.docs import EXAMPLES, collect_examples, examples, write_pages
    from tabcheck.plugins import all_rules

    found = collect_examples(ROOT / "fixtures")
    EXAMPLES.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    examples.cache_clear()
    print(f"{EXAMPLES.name}: {sum(len(v) for v in found.values())} messages of {len(found)} rules")
    pages = write_pages(all_rules(), ROOT / "rules")
    print(f"rules/: {len(pages)} pages")
    from tabcheck.report.samples import write_samples

    for path in write_samples(ROOT / "fixtures", ROOT / "reports"):
        print(f"reports/{path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
