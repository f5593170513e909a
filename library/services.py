"""Writes to the resource bank: saving, publishing, reviewing, and the recording follow-ups."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from library.models import Contributor, Resource
from registrations.models import JoinLink, Notification, Registration
from registrations.outbox import enqueue, notification_new
from webinars.page_cache import catalogue_cache_bump


class PublishError(Exception):
    """Raised with a message for the organiser when a resource may not be published yet."""


def publish_blockers(resource: Resource) -> list[str]:
    """What stands between a recording and publication; empty when it may go out."""
    if resource.kind != Resource.Kind.RECORDING:
        return []
    problems = []
    contributors = list(resource.contributors.all())
    pending = [c.name for c in contributors if c.consent == Contributor.Consent.PENDING]
    refused = [c.name for c in contributors if c.consent == Contributor.Consent.REFUSED]
    if refused:
        problems.append(_("Samtykke er nektet av: %(names)s.") % {"names": ", ".join(refused)})
    if pending:
        problems.append(_("Samtykke mangler fra: %(names)s.") % {"names": ", ".join(pending)})
    if not resource.rights_cleared:
        problems.append(_("Bekreft at tredjepartsmusikk i opptaket er klarert."))
    return problems


def resource_save(*, resource: Resource, topics=None, audiences=None, related=None) -> Resource:
    """Save a resource from the workspace form, keeping a published recording publishable."""
    with transaction.atomic():
        if resource.kind == Resource.Kind.DOCUMENT and resource.file and not resource.file_size:
            resource.file_size = resource.file.size
        resource.save()
        if topics is not None:
            resource.topics.set(topics)
        if audiences is not None:
            resource.audiences.set(audiences)
        if related is not None:
            resource.related.set([r for r in related if r.pk != resource.pk])
    return resource


def resource_publish(*, resource: Resource, now=None) -> Resource:
    """Publish a resource. A recording needs every consent given and the rights box ticked.

    Publishing a recording of a session also queues one follow-up per registrant, once
    ever: `followups_sent_at` is claimed with a conditional UPDATE, so a second click,
    a concurrent request or an unpublish/republish finds it set and queues nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        problems = publish_blockers(locked)
        if problems:
            raise PublishError(" ".join([_("Opptaket kan ikke publiseres ennå."), *problems]))
        locked.status = Resource.Status.PUBLISHED
        if locked.published_at is None:
            locked.published_at = now
        locked.save(update_fields=["status", "published_at", "updated_at"])
        if locked.kind == Resource.Kind.RECORDING and locked.session_id:
            claimed = Resource.objects.filter(pk=locked.pk, followups_sent_at__isnull=True).update(
                followups_sent_at=now
            )
            if claimed == 1:
                locked.followups_sent_at = now
                recording_followups_enqueue(resource=locked)
        catalogue_cache_bump()  # the recorded session's page links to the recording
    resource.refresh_from_db()
    return resource


def resource_unpublish(*, resource: Resource) -> Resource:
    Resource.objects.filter(pk=resource.pk).update(status=Resource.Status.DRAFT, updated_at=timezone.now())
    catalogue_cache_bump()  # the recorded session's page stops linking to it
    resource.refresh_from_db()
    return resource


def resource_review(*, resource: Resource, now=None) -> Resource:
    """Record that an organiser has checked the content is still right today."""
    now = now or timezone.now()
    Resource.objects.filter(pk=resource.pk).update(reviewed_at=now, updated_at=now)
    resource.refresh_from_db()
    return resource


def session_registrants(session) -> list[Registration]:
    """Confirmed registrations for the session or its course, one per email address,
    each annotated with `attended` (the join link recorded a first join)."""
    attended = JoinLink.objects.filter(
        registration_id=OuterRef("pk"), session_id=session.pk, first_joined_at__isnull=False
    )
    registrations = (
        Registration.objects.filter(status=Registration.Status.CONFIRMED)
        .filter(offering_id=session.offering_id)
        .annotate(attended=Exists(attended))
        .order_by("-attended", "created_at", "id")
    )
    seen: set[str] = set()
    unique = []
    for registration in registrations:
        key = registration.email.lower()
        if key not in seen:
            seen.add(key)
            unique.append(registration)
    return unique


def recording_followups_enqueue(*, resource: Resource) -> int:
    """One outbox row per registrant of the recorded session; call inside the publish transaction."""
    rows = [
        notification_new(
            kind=Notification.Kind.RECORDING,
            registration=registration,
            session=resource.session,
            payload={"resource_id": resource.pk, "attended": bool(registration.attended)},
        )
        for registration in session_registrants(resource.session)
    ]
    enqueue(*rows)
    return len(rows)
