"""Writes to sessions. Every change a registrant's calendar must hear about bumps
`revision` and sends its signal inside the transaction, so that the receivers in the
registrations app (invites, reminders, waitlist) commit or roll back with the change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation
from webinars import signals
from webinars.models import Session, Speaker, Status, count_confirmed
from webinars.page_cache import catalogue_cache_bump

# Fields an organiser edits directly; the others change only through a service.
EDITABLE_FIELDS = [
    "organisation",
    "title",
    "slug",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "language",
    "stream_url",
    "join_opens_minutes",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
]
# Changing these changes what an invite shows (its SUMMARY) or the zone its times are named in,
# so calendars must hear about it. The summary and description are not in the invite, and an
# email for every wording fix would be noise. The time goes through session_reschedule.
DETAIL_FIELDS = {"title", "timezone"}


# slugify drops letters it cannot transliterate; Norwegian ones have customary spellings.
NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def unique_slug(model, text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text.translate(NORWEGIAN_LETTERS))[:200] or "webinar"
    slug, n = base, 2
    qs = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def validate_schedule(
    *,
    starts_at: datetime,
    ends_at: datetime,
    registration_opens_at: datetime | None = None,
    registration_closes_at: datetime | None = None,
) -> None:
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("Slutttidspunktet må være etter starttidspunktet.")
    if registration_opens_at and registration_closes_at and registration_closes_at <= registration_opens_at:
        errors["registration_closes_at"] = _("Påmeldingen må stenge etter at den åpner.")
    if registration_opens_at and registration_opens_at >= ends_at:
        errors["registration_opens_at"] = _("Påmeldingen må åpne før webinaret er slutt.")
    if registration_closes_at and registration_closes_at > ends_at:
        errors["registration_closes_at"] = _("Påmeldingen kan ikke stenge etter at webinaret er slutt.")
    if errors:
        raise ValidationError(errors)


def validate_capacity(offering, capacity: int | None) -> None:
    if capacity is None or not offering.pk:
        return
    if capacity < 0:
        raise ValidationError({"capacity": _("Antall plasser kan ikke være negativt.")})
    confirmed = count_confirmed(offering)
    if capacity < confirmed:
        raise ValidationError(
            {
                "capacity": _("Det er allerede %(count)s påmeldte, så antall plasser kan ikke være lavere enn det.")
                % {"count": confirmed}
            }
        )


def _set_relations(session: Session, relations: dict[str, Any]) -> None:
    for name in ("topics", "audiences", "cohosts"):
        if name in relations:
            getattr(session, name).set(relations[name])
    if "speakers" in relations:
        session.speakers.all().delete()
        Speaker.objects.bulk_create(
            Speaker(session=session, name=name, bio=bio, position=i)
            for i, (name, bio) in enumerate(relations["speakers"])
        )


@transaction.atomic
def session_create(
    *, organisation: Organisation, title: str, starts_at: datetime, ends_at: datetime, **fields
) -> Session:
    relations = {k: fields.pop(k) for k in ("topics", "audiences", "cohosts", "speakers") if k in fields}
    validate_schedule(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=fields.get("registration_opens_at"),
        registration_closes_at=fields.get("registration_closes_at"),
    )
    if fields.get("capacity") is not None and fields["capacity"] < 0:
        raise ValidationError({"capacity": _("Antall plasser kan ikke være negativt.")})
    fields["slug"] = fields.get("slug") or unique_slug(Session, title)
    session = Session(organisation=organisation, title=title, starts_at=starts_at, ends_at=ends_at, **fields)
    session.full_clean(exclude=["cohosts", "topics", "audiences"])
    session.save()
    _set_relations(session, relations)
    return session


@transaction.atomic
def session_update(*, session: Session, **changes) -> Session:
    """Apply an organiser's edits. A change of time goes through the reschedule path and a
    change of capacity sends `capacity_changed`, so an edit form cannot bypass the hooks."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    relations = {k: changes.pop(k) for k in ("topics", "audiences", "cohosts", "speakers") if k in changes}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_update cannot change {sorted(unknown)}")
    starts_at = changes.pop("starts_at", locked.starts_at)
    ends_at = changes.pop("ends_at", locked.ends_at)
    validate_schedule(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=changes.get("registration_opens_at", locked.registration_opens_at),
        registration_closes_at=changes.get("registration_closes_at", locked.registration_closes_at),
    )
    old_capacity = locked.capacity
    if "capacity" in changes:
        validate_capacity(locked, changes["capacity"])
    changed = {k for k, v in changes.items() if k in DETAIL_FIELDS and getattr(locked, k) != v}
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(exclude=["cohosts", "topics", "audiences"])
    if changed:
        locked.revision = F("revision") + 1
    locked.save()
    locked.refresh_from_db()
    _set_relations(locked, relations)
    if (starts_at, ends_at) != (locked.starts_at, locked.ends_at):
        # The reschedule's invite carries the new details as well: one email, not two.
        locked = session_reschedule(session=locked, starts_at=starts_at, ends_at=ends_at)
    elif changed:
        signals.session_details_changed.send(sender=Session, session=locked, changed=changed)
    if locked.capacity != old_capacity:
        signals.capacity_changed.send(sender=Session, offering=locked, old_capacity=old_capacity)
    return locked


@transaction.atomic
def session_publish(*, session: Session) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst webinar kan ikke publiseres."))
    if locked.status != Status.PUBLISHED:
        locked.status = Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def session_reschedule(*, session: Session, starts_at: datetime, ends_at: datetime) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst webinar kan ikke flyttes."))
    validate_schedule(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=locked.registration_opens_at,
        registration_closes_at=locked.registration_closes_at,
    )
    old_starts_at, old_ends_at = locked.starts_at, locked.ends_at
    if (old_starts_at, old_ends_at) == (starts_at, ends_at):
        return locked
    Session.objects.filter(pk=locked.pk).update(starts_at=starts_at, ends_at=ends_at, revision=F("revision") + 1)
    catalogue_cache_bump()  # a queryset update sends no post_save
    locked.refresh_from_db()
    signals.session_rescheduled.send(
        sender=Session, session=locked, old_starts_at=old_starts_at, old_ends_at=old_ends_at
    )
    return locked


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == Status.CANCELLED:
        return locked
    Session.objects.filter(pk=locked.pk).update(status=Status.CANCELLED, revision=F("revision") + 1)
    catalogue_cache_bump()  # a queryset update sends no post_save
    locked.refresh_from_db()
    signals.session_cancelled.send(sender=Session, session=locked)
    return locked


@transaction.atomic
def session_duplicate(*, session: Session, starts_at: datetime | None = None, title: str | None = None) -> Session:
    """A draft copy with the same content, optionally at a new start; the duration is kept.
    Registration windows move by the same amount."""
    shift = (starts_at - session.starts_at) if starts_at else timedelta(0)
    copy = Session.objects.get(pk=session.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.title = title or session.title
    copy.slug = unique_slug(Session, copy.title)
    copy.status = Status.DRAFT
    copy.revision = 0
    copy.starts_at = session.starts_at + shift
    copy.ends_at = session.ends_at + shift
    if session.registration_opens_at:
        copy.registration_opens_at = session.registration_opens_at + shift
    if session.registration_closes_at:
        copy.registration_closes_at = session.registration_closes_at + shift
    copy.save()
    copy.topics.set(session.topics.all())
    copy.audiences.set(session.audiences.all())
    copy.cohosts.set(session.cohosts.all())
    Speaker.objects.bulk_create(
        Speaker(session=copy, name=s.name, bio=s.bio, position=s.position) for s in session.speakers.all()
    )
    return copy
