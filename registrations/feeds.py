"""Calendar feeds: the personal subscription feed (secret token), and its settings page.

The public office and catalogue feeds are in webinars/feed_views.py: they carry no
personal links. This one does (each event's join link), so its address is a secret the
owner can replace at any time; the old address then stops working at once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registrations import ics
from registrations.emails import site_url
from registrations.models import JoinLink, Registration
from webinars.models import Session, Status

# Past sessions stay in the feed this long, so a calendar does not lose last week.
FEED_HISTORY = timedelta(days=60)


def calendar_token_regenerate_for(user) -> str:
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def personal_feed_entries(user):
    """(registration, session, join URL) for each confirmed session of `user`, in a fixed number of queries."""
    since = timezone.now() - FEED_HISTORY
    registrations = list(
        Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED)
        .select_related("offering__course")
        .prefetch_related(
            Prefetch(
                "offering__sessions",
                queryset=Session.objects.select_related("organisation").order_by("position", "starts_at", "id"),
            ),
            Prefetch("join_links", queryset=JoinLink.objects.all()),
        )
    )
    entries = []
    for registration in registrations:
        sessions = registration.offering.sessions.all()
        links = {link.session_id: link for link in registration.join_links.all()}
        for session in sessions:
            if session.status == Status.CANCELLED or session.ends_at < since:
                continue
            link = links.get(session.pk)
            if link is None or getattr(link, "revoked_at", None):
                continue
            entries.append((registration, session, site_url("join", link.token)))
    entries.sort(key=lambda entry: entry[1].starts_at)
    return entries


def personal_feed(request, token: str):
    if len(token) < 20:
        raise Http404
    user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    # Calendar apps send no language cookie: name the feed in its owner's language.
    with translation.override(user.preferred_language or "nb"):
        name = _("Mine webinarer – Musikkhjemmekontoret")
    body = ics.personal_feed_calendar(personal_feed_entries(user), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mine-webinarer.ics"'
    response["Cache-Control"] = "private, no-store"  # the person's join links
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
def calendar_settings(request):
    return render(
        request,
        "registrations/calendar_settings.html",
        {"entries": personal_feed_entries(request.user)},
    )


@require_POST
@login_required
def calendar_token_regenerate(request):
    had_token = bool(request.user.calendar_token)
    calendar_token_regenerate_for(request.user)
    if had_token:
        messages.success(request, _("Du har fått en ny kalenderadresse. Den gamle virker ikke lenger."))
    else:
        messages.success(request, _("Kalenderadressen din er klar."))
    target = request.POST.get("next", "")
    # Only a path on this site: "/\\evil.example" starts with "/" and browsers follow it off-site,
    # and a word such as "-1" is no path (redirect() would take it for a URL pattern's name).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("calendar_settings")
    return HttpResponseRedirect(target)


def join_ics(request, token: str):
    """One session of a confirmed registration as an .ics to download (the "add to
    calendar" link on the confirmation page and "Mine påmeldinger"); the join link is the
    secret, as it is for the join page."""
    link = (
        JoinLink.objects.select_related("registration", "session__organisation", "session__offering__course")
        .filter(token=token)
        .first()
    )
    if (
        link is None
        or link.revoked_at
        or link.registration.status != Registration.Status.CONFIRMED
        or link.session.status == Status.CANCELLED
    ):
        raise Http404
    body = ics.personal_feed_calendar(
        [(link.registration, link.session, site_url("join", link.token))], name=link.session.full_title
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitasjon.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
