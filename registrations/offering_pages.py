"""Where an offering's organiser pages live. A webinar's pages have its session's address
(/arbeidsrom/webinarer/<session>/…) and a course's its course's (/arbeidsrom/kurs/<course>/…);
both lead to the one offering behind them. This is the only place that tells the two apart,
and only for addresses and names: everything else works on the offering."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.permissions import scope_to_organiser
from webinars.models import Course, Offering, Session

PAGE_MODELS = {"session": Session, "course": Course}


def kind_of(offering: Offering) -> str:
    """The address family of an offering's pages: "course" or "session"."""
    return "course" if offering.is_course else "session"


def managed_offering(request, *, kind: str, pk: int) -> Offering:
    """The offering behind the webinar or course `pk`, if the signed-in organiser's office runs
    it (404 otherwise)."""
    page = get_object_or_404(
        scope_to_organiser(PAGE_MODELS[kind].objects.select_related("offering__organisation"), request.user), pk=pk
    )
    page.offering.presentation = page  # what the page shows of it, already read
    return page.offering


def offering_workspace_url(offering: Offering, page: str) -> str:
    """The address of one of the offering's organiser pages ("registrations", "questions",
    "messages", "reminders", "registrations_csv")."""
    return reverse(f"workspace_{kind_of(offering)}_{page}", args=[offering.presentation.pk])


def offering_register_url(offering: Offering) -> str:
    """The offering's registration page: its course's, or its webinar's."""
    return reverse(f"{kind_of(offering)}_register", args=[offering.presentation.slug])
