"""Public calendar files: one session's .ics download and the office, topic and catalogue feeds.

No personal links and never the stream URL: events point at the public session page.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from webinars.ics import sessions_calendar
from webinars.models import Session, Status, Topic

# Feeds keep recent sessions a while so that subscribers do not lose last week's.
FEED_HISTORY = timedelta(days=30)
FEED_LIMIT = 500


def _public_sessions():
    # Published standalone sessions, or sessions of a published course; cancelled ones
    # stay in feeds (STATUS:CANCELLED) so subscribed calendars hear about it.
    public = [Status.PUBLISHED, Status.CANCELLED]
    return (
        Session.objects.filter(status__in=public, ends_at__gte=timezone.now() - FEED_HISTORY)
        .exclude(offering__status=Status.DRAFT)
        .select_related("organisation", "offering__course")
        .order_by("starts_at", "id")
    )


def _calendar_response(body: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def session_ics(request, slug: str):
    session = get_object_or_404(
        Session.objects.filter(status__in=[Status.PUBLISHED, Status.CANCELLED])
        .exclude(offering__status=Status.DRAFT)
        .select_related("organisation", "offering__course"),
        slug=slug,
    )
    body = sessions_calendar([session], method="PUBLISH")
    return _calendar_response(body, f"{session.slug}.ics", download=True)


def office_feed(request, slug: str):
    office = get_object_or_404(Organisation, slug=slug)
    sessions = _public_sessions().filter(organisation=office)[:FEED_LIMIT]
    name = _("Webinarer fra %(office)s") % {"office": office.short_name or office.name}
    return _calendar_response(sessions_calendar(sessions, name=name), f"{office.slug}.ics")


def topic_feed(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    sessions = _public_sessions().filter(topics=topic)[:FEED_LIMIT]
    name = _("Webinarer om %(topic)s") % {"topic": topic.local_name}
    return _calendar_response(sessions_calendar(sessions, name=name), f"tema-{topic.slug}.ics")


def catalogue_feed(request):
    sessions = _public_sessions()[:FEED_LIMIT]
    name = _("Webinarer – Musikkhjemmekontoret")
    return _calendar_response(sessions_calendar(sessions, name=name), "musikkhjemmekontoret.ics")


def calendar_help(request):
    """How to subscribe to the feeds above in Google Calendar, Outlook and Apple Calendar, with
    the catalogue's, each office's and each topic's feed addresses."""
    offices = Organisation.objects.filter(kind=Organisation.Kind.OFFICE).order_by("name")
    topics = Topic.objects.all()
    return render(request, "webinars/calendar_help.html", {"offices": offices, "topics": topics})
