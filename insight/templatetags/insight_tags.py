from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{number_format(round(value * 100), 0)} %"


@register.filter
def lookup(mapping: dict, key):
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def sort_heading(context, column: str, label: str) -> str:
    """A column heading that links to the table sorted by it; the sorted column says so."""
    current = context.get("sort", "")
    query = context["sort_links"][column]
    if current.lstrip("-") == column:
        direction = "descending" if current.startswith("-") else "ascending"
        hint = _("sortert synkende") if direction == "descending" else _("sortert stigende")
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="?{}">{} <span class="visually-hidden">({})</span>'
            '<span aria-hidden="true">{}</span></a></th>',
            direction,
            query,
            label,
            hint,
            "▼" if direction == "descending" else "▲",
        )
    return format_html('<th scope="col"><a href="?{}">{}</a></th>', query, label)
