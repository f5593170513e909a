"""The active filters of a list page as chips: each is a link to the same page without that
one filter (and back on the first page), so removing a filter works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import pgettext


@dataclass(frozen=True)
class FilterChip:
    label: str  # the filter's name: "Tema"
    value: str  # what is chosen, as the form shows it: "Strømming"
    url: str  # this page without the filter


def filter_chips(form: forms.Form, query: QueryDict, path: str) -> list[FilterChip]:
    """A chip for every field of `form` that has a value in `query`, in the form's order.
    Call after `form.is_valid()`: a valid value shows as its choice's label, a value the form
    rejected as it was typed (so the visitor can still remove it)."""
    cleaned = getattr(form, "cleaned_data", {})
    chips = []
    for name, field in form.fields.items():
        raw = query.get(name, "")
        if not raw:
            continue
        shown = _shown(field, cleaned.get(name)) if cleaned.get(name) not in (None, "") else raw
        chips.append(FilterChip(label=str(field.label), value=shown, url=url_without(query, path, name)))
    return chips


def url_without(query: QueryDict, path: str, *names: str) -> str:
    # Empty fields, which a submitted form sends too, are left out as well.
    dropped = (*names, "side")
    rest = [(key, value) for key, values in query.lists() if key not in dropped for value in values if value]
    return f"{path}?{urlencode(rest)}" if rest else path


def _shown(field: forms.Field, value) -> str:
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value))
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return pgettext("a search in a filter chip", "«%(text)s»") % {"text": value}
