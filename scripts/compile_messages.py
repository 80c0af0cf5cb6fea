#!/usr/bin/env python
"""Compile every gettext catalogue of the project (.po -> .mo) in pure Python (Babel).

Runs at install time, so a fresh machine needs no gettext tools. Fuzzy entries are skipped.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "staticfiles"}


def catalogues():
    for po in ROOT.rglob("locale/*/LC_MESSAGES/*.po"):
        if not SKIP.intersection(po.relative_to(ROOT).parts):
            yield po


def main() -> int:
    count = 0
    for po_path in catalogues():
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)
        count += 1
    print(f"Compiled {count} message catalogue(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
