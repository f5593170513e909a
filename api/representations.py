"""Rows as the API's schemas (api/schemas.py) read them. Each function reads only what
api/queries.py selected or prefetched, so a list costs the same queries whatever its length."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from accounts.models import Organisation
from library.models import Resource
from webinars.models import Offering, Session


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment else None


def _absolute(path: str) -> str:
    # The canonical address, never one built from the request's Host header.
    return settings.SITE_URL + path


def organisation_ref(organisation: Organisation) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "short_name": organisation.short_name}


def organisation_full(organisation: Organisation) -> dict:
    return {
        **organisation_ref(organisation),
        "kind": organisation.kind,
        "region": organisation.region,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "description": organisation.description,
        "url": _absolute(organisation.get_absolute_url()),
    }


def term(row) -> dict:
    return {"slug": row.slug, "name": row.name, "name_en": row.name_en}


def _session(session: Session) -> dict:
    return {
        "id": session.pk,
        "title": session.title,
        "slug": session.slug,
        "url": _absolute(session.get_absolute_url()),
        "starts_at": _utc(session.starts_at),
        "ends_at": _utc(session.ends_at),
        "timezone": session.timezone,
        "state": session.state,
        "moved_from": _utc(session.moved_from),
        "speakers": [{"name": s.name, "bio": s.bio} for s in session.speakers.all()],
    }


def offering(offering: Offering) -> dict:
    """An offering from `queries.offerings_for_output`: its page is its course's or its one
    session's; its sessions are the public ones."""
    sessions = offering.public_sessions
    page = offering.course if offering.is_course else sessions[0]
    cohosts = [] if offering.is_course else list(sessions[0].cohosts.all())
    return {
        "id": offering.pk,
        "kind": offering.kind,
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "url": _absolute(page.get_absolute_url()),
        "organisation": organisation_ref(offering.organisation),
        "cohosts": [organisation_ref(o) for o in cohosts],
        "topics": [t.slug for t in page.topics.all()],
        "audiences": [a.slug for a in page.audiences.all()],
        "language": page.language,
        "state": offering.state_from(sessions),
        "starts_at": _utc(offering.starts_at),
        "ends_at": _utc(offering.ends_at),
        "timezone": "Europe/Oslo" if offering.is_course else sessions[0].timezone,
        "capacity": offering.capacity,
        "seats_left": offering.seats_left,
        "registration_opens_at": _utc(offering.registration_opens_at),
        "registration_closes_at": _utc(offering.registration_closes_at),
        "sessions": [_session(s) for s in sessions],
    }


def resource(resource: Resource) -> dict:
    """A resource from `queries.resources_for_output` (public ones only)."""
    kind = resource.kind
    recorded = resource.recorded_session
    return {
        "id": resource.pk,
        "kind": kind,
        "title": resource.title,
        "slug": resource.slug,
        "summary": resource.summary,
        "url": _absolute(resource.get_absolute_url()),
        "organisation": organisation_ref(resource.organisation),
        "topics": [t.slug for t in resource.topics.all()],
        "audiences": [a.slug for a in resource.audiences.all()],
        "language": resource.language,
        "published_at": _utc(resource.published_at),
        "reviewed_at": _utc(resource.last_reviewed_at),
        "video_url": (resource.video_url or None) if kind == Resource.Kind.RECORDING else None,
        "duration_minutes": resource.duration_minutes if kind == Resource.Kind.RECORDING else None,
        "link_url": (resource.url or None) if kind == Resource.Kind.LINK else None,
        "partner": organisation_ref(resource.partner) if kind == Resource.Kind.LINK and resource.partner else None,
        "download_url": (
            _absolute(reverse("resource_download", args=[resource.slug]))
            if kind == Resource.Kind.DOCUMENT and resource.file
            else None
        ),
        "recorded_session": (
            {"id": recorded.pk, "title": recorded.title, "url": _absolute(recorded.get_absolute_url())}
            if recorded
            else None
        ),
    }
