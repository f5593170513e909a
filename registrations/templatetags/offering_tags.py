"""Addresses of an offering's pages, for templates (see registrations/offering_pages.py)."""

from django import template

from registrations.offering_pages import offering_register_url, offering_workspace_url

register = template.Library()


@register.simple_tag
def workspace_url(offering, page: str) -> str:
    return offering_workspace_url(offering, page)


@register.simple_tag
def register_url(offering) -> str:
    return offering_register_url(offering)
