"""Developer helper: fill msgstr entries of a catalogue from a Python dict literal file.

Usage: python platform/po_fill.py path/to/django.po translations.py
where translations.py defines T = {"msgid": "msgstr", ...}; entries with plurals take a
(singular, plural) tuple. Prints the msgids still untranslated afterwards.
"""

import runpy
import sys

import polib

po = polib.pofile(sys.argv[1])
table = runpy.run_path(sys.argv[2])["T"]
for entry in po:
    if entry.msgid in table:
        value = table[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save()
for entry in po.untranslated_entries():
    print(repr(entry.msgid))
