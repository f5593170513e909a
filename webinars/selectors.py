"""Read helpers for pages outside the webinars app (home, organisation pages)."""


def home_context(request) -> dict:
    return {}


def organisation_context(organisation) -> dict:
    return {}
