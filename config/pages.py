"""The project's own pages: the home page and the organisation directory.

They live in the project package, above every app, because they show several apps at once: the
home page has the next webinars, the featured courses and the library's questions; an office's
page has its webinars and courses. An app never imports one above it (docs/architecture.md), so in
`accounts`, the app of the organisations, these pages could reach webinars and courses only by
hiding the import. The project package may import any app, as config/account_adapter.py does.

A module rather than an app: the pages have no models of their own. Their templates are in
templates/pages/ and their strings in the project's catalogue (locale/), like base.html's.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.models import Organisation
from courses.models import Course  # OFFERING: Course moves to webinars.models
from webinars.models import Session, attach_confirmed_counts


def upcoming_courses(now: datetime) -> QuerySet:
    """Published courses still to come, with their confirmed count, soonest first.

    OFFERING: the one place here that reads a course's status and seats: after the offering
    refactor they are the offering's (`offering__status`, its seat counter).
    """
    return (
        Course.objects.published()
        .upcoming(now)
        .with_confirmed_count()
        .select_related("organisation")
        .order_by("first_starts_at")
    )


def home(request):
    now = timezone.now()
    context = {
        "next_sessions": attach_confirmed_counts(Session.objects.listed().upcoming(now).for_cards()[:6]),
        "featured_courses": list(upcoming_courses(now).filter(featured=True)[:3]),
    }
    return render(request, "pages/home.html", context)


def organisation_list(request):
    organisations = Organisation.objects.all()
    offices = [o for o in organisations if o.kind == Organisation.Kind.OFFICE]
    partners = [o for o in organisations if o.kind == Organisation.Kind.PARTNER]
    return render(request, "pages/organisation_list.html", {"offices": offices, "partners": partners})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    now = timezone.now()
    sessions = (
        Session.objects.listed()
        .upcoming(now)
        .filter(Q(organisation=organisation) | Q(pk__in=organisation.cohosted_sessions.values("pk")))
        .for_cards()
    )
    context = {
        "organisation": organisation,
        "organisation_sessions": attach_confirmed_counts(sessions[:10]),
        "organisation_courses": list(upcoming_courses(now).filter(organisation=organisation)),
    }
    return render(request, "pages/organisation_detail.html", context)
