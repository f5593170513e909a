"""Compile every .po catalogue to .mo with polib, for machines without GNU gettext."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

for po_path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
    if ".venv" in po_path.parts or "node_modules" in po_path.parts:
        continue
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
