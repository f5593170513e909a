"""Showing session times in the session's own zone, and organiser-written Markdown.

Other apps reuse these: `{% load webinar_tags %}` then
`{{ session.starts_at|in_zone:session.timezone }}`, `{{ session.timezone|zone_name }}`,
`{% session_time session %}` or `{{ text|markdown }}`; `{% calendar_subscribe %}` for the
"Abonner" links of the public calendar feeds.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from webinars.markdown import render_markdown
from webinars.zones import DEFAULT_ZONE, utc_to_local, zone_label

register = template.Library()


def _date_format() -> str:
    # Translators: PHP-style date format for a session's day, e.g. "torsdag 3. desember 2026".
    return pgettext("session date format", "l j. F Y")


@register.filter
def date_in_zone(value: datetime | None, zone: str = DEFAULT_ZONE) -> str:
    if not value:
        return ""
    return dateformat.format(utc_to_local(value, zone or DEFAULT_ZONE), _date_format())


@register.filter
def time_in_zone(value: datetime | None, zone: str = DEFAULT_ZONE) -> str:
    if not value:
        return ""
    return dateformat.format(utc_to_local(value, zone or DEFAULT_ZONE), "H:i")


@register.filter
def in_zone(value: datetime | None, zone: str = DEFAULT_ZONE) -> str:
    """Date and time on the wall clock of `zone`, in the active language."""
    if not value:
        return ""
    return _("%(date)s kl. %(time)s") % {"date": date_in_zone(value, zone), "time": time_in_zone(value, zone)}


@register.filter
def zone_name(zone: str) -> str:
    return str(zone_label(zone or DEFAULT_ZONE))


@register.filter
def iso_utc(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


@register.simple_tag
def session_time(session, show_date: bool = True) -> str:
    """`<time>` for a session's start and end, named in its zone; localtime.js adds the
    visitor's own time when their browser is elsewhere."""
    zone = session.timezone or DEFAULT_ZONE
    start_local = utc_to_local(session.starts_at, zone)
    end_local = utc_to_local(session.ends_at, zone)
    if start_local.date() == end_local.date():
        text = _("%(date)s kl. %(start)s–%(end)s") % {
            "date": date_in_zone(session.starts_at, zone),
            "start": time_in_zone(session.starts_at, zone),
            "end": time_in_zone(session.ends_at, zone),
        }
    else:
        text = f"{in_zone(session.starts_at, zone)} – {in_zone(session.ends_at, zone)}"
    if not show_date:
        text = f"{time_in_zone(session.starts_at, zone)}–{time_in_zone(session.ends_at, zone)}"
    return format_html(
        '<time datetime="{}" data-zone="{}" data-local-label="{}">{} ({})</time>',
        iso_utc(session.starts_at),
        zone,
        _("din tid:"),
        text,
        zone_label(zone),
    )


@lru_cache(maxsize=512)
def _cached_markdown(text: str) -> str:
    return render_markdown(text)


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    # Python-Markdown plus nh3 costs milliseconds; descriptions change rarely.
    return _cached_markdown(text or "")


def _feed(path: str, label: str) -> dict[str, str]:
    # webcal:// opens the visitor's calendar app, which subscribes to the https:// address.
    https = settings.SITE_URL + path
    return {"label": label, "https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@register.inclusion_tag("webinars/_subscribe.html", takes_context=True)
def calendar_subscribe(context, office=None, topic=None, catalogue: bool = True) -> dict:
    """ "Abonner" links (webcal:// and https://) for the catalogue's feed and, when given, an
    office's and a topic's."""
    feeds = []
    if catalogue:
        feeds.append(_feed(reverse("catalogue_feed"), _("Alle webinarer")))
    if office:
        feeds.append(_feed(reverse("office_feed", args=[office.slug]), office.short_name or office.name))
    if topic:
        feeds.append(
            _feed(reverse("topic_feed", args=[topic.slug]), _("Tema: %(topic)s") % {"topic": topic.local_name})
        )
    return {"feeds": feeds, "request": context.get("request")}
