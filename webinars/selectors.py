"""Read helpers for pages outside the webinars app (home, organisation pages).

Courses sit above webinars in the app stack, so the course model is looked up through
the app registry at call time instead of being imported.
"""

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from webinars.models import Session, attach_confirmed_counts


def _courses():
    return apps.get_model("courses", "Course").objects


def home_context(request) -> dict:
    now = timezone.now()
    return {
        "next_sessions": attach_confirmed_counts(Session.objects.listed().upcoming(now).for_cards()[:6]),
        "featured_courses": list(
            _courses()
            .published()
            .upcoming(now)
            .filter(featured=True)
            .with_confirmed_count()
            .select_related("organisation")
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
        "organisation_sessions": attach_confirmed_counts(sessions[:10]),
        "organisation_courses": list(
            _courses()
            .published()
            .upcoming(now)
            .filter(organisation=organisation)
            .with_confirmed_count()
            .select_related("organisation")
            .order_by("first_starts_at")
        ),
    }
