"""Addresses of an offering's pages, for templates (see registrations/offering_pages.py)."""

from django import template
from django.conf import settings
from django.urls import reverse

from registrations.offering_pages import offering_register_url, offering_workspace_url
from webinars.calendar_links import google_calendar_url, outlook_calendar_url

register = template.Library()


@register.simple_tag
def workspace_url(offering, page: str) -> str:
    return offering_workspace_url(offering, page)


@register.simple_tag
def register_url(offering) -> str:
    return offering_register_url(offering)


@register.simple_tag
def add_to_calendar(link) -> dict:
    """Google, Outlook and .ics links for one join link's session: the event points at the
    personal join link (never the stream URL)."""
    join_url = settings.SITE_URL + reverse("join", args=[link.token])
    return {
        "google": google_calendar_url(link.session, join_url),
        "outlook": outlook_calendar_url(link.session, join_url),
        "ics": reverse("join_ics", args=[link.token]),
        "join": join_url,
    }
