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
from following.services import is_following
from webinars.models import Course, Session


def upcoming_courses(now: datetime) -> QuerySet:
    """Published courses still to come, soonest first, with their offering (seats left)."""
    return (
        Course.objects.published().upcoming(now).select_related("organisation", "offering").order_by("first_starts_at")
    )


def home(request):
    now = timezone.now()
    context = {
        "next_sessions": list(Session.objects.listed().upcoming(now).for_cards()[:6]),
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
        "organisation_sessions": list(sessions[:10]),
        "organisation_courses": list(upcoming_courses(now).filter(organisation=organisation)),
        "followable": organisation.kind == Organisation.Kind.OFFICE,
        "following": is_following(request.user, organisation=organisation),
    }
    return render(request, "pages/organisation_detail.html", context)
