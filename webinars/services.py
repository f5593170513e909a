"""Writes to sessions. Every change a registrant's calendar must hear about bumps
`revision` and sends its signal inside the transaction, so that the receivers in the
registrations app (invites, reminders, waitlist) commit or roll back with the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation
from webinars import signals
from webinars.models import Offering, Session, Speaker, Status
from webinars.page_cache import catalogue_cache_bump

# What registration needs: the offering's fields, edited through offering_update.
OFFERING_FIELDS = ["capacity", "registration_opens_at", "registration_closes_at", "privacy_note", "privacy_note_en"]
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
    *OFFERING_FIELDS,
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


def validate_capacity(offering: Offering | None, capacity: int | None) -> None:
    if capacity is None:
        return
    if capacity < 0:
        raise ValidationError({"capacity": _("Antall plasser kan ikke være negativt.")})
    if offering is None or not offering.pk:
        return
    taken = Offering.objects.filter(pk=offering.pk).values_list("seats_taken", flat=True).first() or 0
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": _("Det er allerede %(count)s påmeldte, så antall plasser kan ikke være lavere enn det.")
                % {"count": taken}
            }
        )


def offering_update(*, offering: Offering, **changes) -> Offering:
    """Change what registration needs (capacity, window, reminder offsets). A capacity
    change sends `capacity_changed` (the waitlist moves up); call inside a transaction."""
    locked = Offering.objects.select_for_update().get(pk=offering.pk)
    unknown = set(changes) - {*OFFERING_FIELDS, "reminder_offsets", "certificate_threshold"}
    if unknown:
        raise TypeError(f"offering_update cannot change {sorted(unknown)}")
    if "capacity" in changes:
        validate_capacity(locked, changes["capacity"])
    old_capacity = locked.capacity
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()  # the bounds of Offering.clean: capacity, and dates a calendar can hold
    locked.save(update_fields=[*changed, "updated_at"])
    if locked.capacity != old_capacity:
        signals.capacity_changed.send(sender=Offering, offering=locked, old_capacity=old_capacity)
    return locked


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
    validate_capacity(None, fields.get("capacity"))
    offering = Offering(
        kind=Offering.Kind.WEBINAR,
        organisation=organisation,
        **{name: fields.pop(name) for name in [*OFFERING_FIELDS, "reminder_offsets"] if name in fields},
    )
    fields["slug"] = fields.get("slug") or unique_slug(Session, title)
    session = Session(organisation=organisation, title=title, starts_at=starts_at, ends_at=ends_at, **fields)
    session.full_clean(exclude=["cohosts", "topics", "audiences", "offering"])
    offering.full_clean()
    offering.save()
    session.offering = offering
    session.save()
    _set_relations(session, relations)
    return session


@transaction.atomic
def session_update(*, session: Session, **changes) -> Session:
    """Apply an organiser's edits. A change of time goes through the reschedule path and a
    change of capacity sends `capacity_changed`, so an edit form cannot bypass the hooks."""
    locked = Session.objects.select_for_update().select_related("offering").get(pk=session.pk)
    relations = {k: changes.pop(k) for k in ("topics", "audiences", "cohosts", "speakers") if k in changes}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_update cannot change {sorted(unknown)}")
    # A course's session registers through the course: its registration fields are the course's.
    offering_changes = {name: changes.pop(name) for name in OFFERING_FIELDS if name in changes}
    if locked.offering.is_course:
        offering_changes = {}
    starts_at = changes.pop("starts_at", locked.starts_at)
    ends_at = changes.pop("ends_at", locked.ends_at)
    validate_schedule(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=offering_changes.get("registration_opens_at", locked.offering.registration_opens_at),
        registration_closes_at=offering_changes.get("registration_closes_at", locked.offering.registration_closes_at),
    )
    changed = {k for k, v in changes.items() if k in DETAIL_FIELDS and getattr(locked, k) != v}
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(exclude=["cohosts", "topics", "audiences", "offering"])
    if changed:
        locked.revision = F("revision") + 1
    locked.save()
    if "organisation" in changes and not locked.offering.is_course:
        Offering.objects.filter(pk=locked.offering_id).update(organisation=locked.organisation)
    locked.refresh_from_db()
    _set_relations(locked, relations)
    if (starts_at, ends_at) != (locked.starts_at, locked.ends_at):
        # The reschedule's invite carries the new details as well: one email, not two.
        locked = session_reschedule(session=locked, starts_at=starts_at, ends_at=ends_at)
    elif changed:
        signals.session_details_changed.send(sender=Session, session=locked, changed=changed)
    if offering_changes:
        offering_update(offering=locked.offering, **offering_changes)
        locked.refresh_from_db()
    return locked


@dataclass(frozen=True)
class PublishCheck:
    """What stops an offering from being published (`missing`: publishing is refused) and what
    it should still get before it starts (`advice`: publishing is allowed)."""

    missing: list[str]
    advice: list[str]

    @property
    def publishable(self) -> bool:
        return not self.missing


def session_publish_check(session: Session) -> PublishCheck:
    missing, advice = [], []
    if session.status == Status.CANCELLED:
        missing.append(_("Et avlyst webinar kan ikke publiseres."))
    if not session.stream_url:
        advice.append(_("Strømmelenken mangler. Deltakerlenkene virker ikke før den er lagt inn."))
    if not session.summary:
        advice.append(_("Den korte beskrivelsen mangler. Den vises i katalogen."))
    return PublishCheck(missing, advice)


@transaction.atomic
def session_publish(*, session: Session) -> Session:
    """Publish a webinar (its session and its offering). A course's session is published
    with its course (course_publish)."""
    locked = Session.objects.select_for_update().select_related("offering").get(pk=session.pk)
    check = session_publish_check(locked)
    if not check.publishable:
        raise ValidationError(check.missing)
    if locked.status != Status.PUBLISHED:
        locked.status = Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    if not locked.offering.is_course and locked.offering.status != Status.PUBLISHED:
        Offering.objects.filter(pk=locked.offering_id).update(status=Status.PUBLISHED)
        catalogue_cache_bump()  # a queryset update sends no post_save
    return locked


@transaction.atomic
def session_reschedule(*, session: Session, starts_at: datetime, ends_at: datetime) -> Session:
    locked = Session.objects.select_for_update().select_related("offering").get(pk=session.pk)
    if locked.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst webinar kan ikke flyttes."))
    validate_schedule(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=locked.offering.registration_opens_at,
        registration_closes_at=locked.offering.registration_closes_at,
    )
    old_starts_at, old_ends_at = locked.starts_at, locked.ends_at
    if (old_starts_at, old_ends_at) == (starts_at, ends_at):
        return locked
    Session.objects.filter(pk=locked.pk).update(
        starts_at=starts_at,
        ends_at=ends_at,
        moved_from=old_starts_at,
        moved_at=timezone.now(),
        revision=F("revision") + 1,
    )
    catalogue_cache_bump()  # a queryset update sends no post_save
    locked.refresh_from_db()
    signals.session_rescheduled.send(
        sender=Session, session=locked, old_starts_at=old_starts_at, old_ends_at=old_ends_at
    )
    return locked


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    """Cancel a session. A webinar's offering is cancelled with it (`offering_cancelled`); a
    course's session is cancelled on its own and the course goes on (`session_cancelled`)."""
    locked = Session.objects.select_for_update().select_related("offering").get(pk=session.pk)
    if locked.status == Status.CANCELLED:
        return locked
    Session.objects.filter(pk=locked.pk).update(status=Status.CANCELLED, revision=F("revision") + 1)
    standalone = not locked.offering.is_course
    if standalone:
        Offering.objects.filter(pk=locked.offering_id).update(status=Status.CANCELLED)
    catalogue_cache_bump()  # a queryset update sends no post_save
    locked.refresh_from_db()
    if standalone:
        signals.offering_cancelled.send(sender=Offering, offering=locked.offering)
    else:
        signals.session_cancelled.send(sender=Session, session=locked)
    return locked


@transaction.atomic
def session_duplicate(*, session: Session, starts_at: datetime | None = None, title: str | None = None) -> Session:
    """A draft webinar with the same content (a standalone one, also when `session` is part
    of a course), optionally at a new start; the duration is kept. Registration windows
    move by the same amount."""
    shift = (starts_at - session.starts_at) if starts_at else timedelta(0)
    source = Offering.objects.get(pk=session.offering_id)
    offering = Offering.objects.create(
        kind=Offering.Kind.WEBINAR,
        organisation_id=session.organisation_id,
        capacity=source.capacity,
        reminder_offsets=source.reminder_offsets,
        privacy_note=source.privacy_note,
        privacy_note_en=source.privacy_note_en,
        registration_opens_at=source.registration_opens_at + shift if source.registration_opens_at else None,
        registration_closes_at=source.registration_closes_at + shift if source.registration_closes_at else None,
    )
    copy = Session.objects.get(pk=session.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.title = title or session.title
    copy.slug = unique_slug(Session, copy.title)
    copy.status = Status.DRAFT
    copy.revision = 0
    copy.moved_from = copy.moved_at = None  # a new occurrence was never moved
    copy.starts_at = session.starts_at + shift
    copy.ends_at = session.ends_at + shift
    copy.offering = offering
    copy.position = 0
    copy.save()
    copy.topics.set(session.topics.all())
    copy.audiences.set(session.audiences.all())
    copy.cohosts.set(session.cohosts.all())
    Speaker.objects.bulk_create(
        Speaker(session=copy, name=s.name, bio=s.bio, position=s.position) for s in session.speakers.all()
    )
    return copy
