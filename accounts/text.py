"""One line of plain text from what a person typed: the names shown to other people and written
into email headers, calendar invites and CSV files (display names, guests' names, speakers,
performers, titles, subjects, question labels)."""

from __future__ import annotations

import unicodedata

from django import forms

# Bidirectional embeddings, overrides and isolates: invisible, they reorder what follows them
# on screen, so "Kari\u202egnp.exe" shows as "Kariexe.png".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control_character(ch: str) -> bool:
    """C0 and C1 control characters, DEL, lone surrogates and bidirectional controls."""
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI_CONTROLS


def has_control_characters(value: str) -> bool:
    return any(is_control_character(ch) and not ch.isspace() for ch in value)


def plain_line(value: str) -> str:
    """`value` on one line: every kind of whitespace (CR, LF, tab, Unicode separators) becomes
    a space, runs of spaces one, and the other control characters are removed."""
    kept = "".join(" " if ch.isspace() else ch for ch in value if ch.isspace() or not is_control_character(ch))
    return " ".join(kept.split())


def plain_text(value: str) -> str:
    """`value` as plain text of several lines: each line as `plain_line` makes it, line breaks
    of any kind become one newline, and no more than one empty line in a row is kept."""
    lines = [plain_line(line) for line in value.splitlines()]
    text = "\n".join(lines).strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


class PlainLineField(forms.CharField):
    """A form field for one line of plain text (`plain_line`): cleaned before it is validated,
    so a value of nothing but control characters is empty, and refused where required."""

    def to_python(self, value):
        return plain_line(super().to_python(value))


class PlainTextField(forms.CharField):
    """A form field for a few lines of plain text (`plain_text`), shown as written (escaped,
    its line breaks kept) wherever it appears."""

    def to_python(self, value):
        return plain_text(super().to_python(value))
