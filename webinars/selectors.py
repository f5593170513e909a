"""Read helpers for pages outside the webinars app (home, organisation pages)."""

from django.db.models import Q
from django.utils import timezone

from webinars.models import Course, Session


def _courses():
    return Course.objects


def home_context(request) -> dict:
    now = timezone.now()
    return {
        "next_sessions": list(Session.objects.listed().upcoming(now).for_cards()[:6]),
        "featured_courses": list(
            _courses()
            .published()
            .upcoming(now)
            .filter(featured=True)
            .select_related("organisation", "offering")
            .order_by("first_starts_at")[:3]
        ),
    }


def organisation_context(organisation) -> dict:
    now = timezone.now()
    sessions = (
        Session.objects.listed()
        .upcoming(now)
        .filter(Q(organisation=organisation) | Q(pk__in=organisation.cohosted_sessions.values("pk")))
        .for_cards()
    )
    return {
        "organisation_sessions": list(sessions[:10]),
        "organisation_courses": list(
            _courses()
            .published()
            .upcoming(now)
            .filter(organisation=organisation)
            .select_related("organisation", "offering")
            .order_by("first_starts_at")
        ),
    }
