"""Registration workflows: every state change of a Registration happens here.

Concurrency: every function that takes or frees a seat first locks the offering's row
(`SELECT … FOR UPDATE` on the Session or Course; on SQLite the IMMEDIATE transaction
mode set in settings serialises writers), then counts the confirmed registrations and
writes. A count-then-insert without the lock overbooks under concurrent requests (see
ARCHITECTURE.md); with it, capacity checks for one offering run one after another.

Every change writes its outbox rows (`notification_enqueue`) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from config.rows import columns, rows_fetch, rows_insert
from courses.models import Course, CourseSession
from registrations import reminders
from registrations.models import JoinLink, Notification, Question, Registration, new_token
from registrations.outbox import notification_build, notification_enqueue, notifications_enqueue
from webinars.models import Session, Status, count_confirmed
from webinars.page_cache import catalogue_cache_bump

OPTIN_VALID_FOR = timedelta(hours=24)

Offering = Session | Course


class RegistrationClosed(Exception):
    """Registration is not possible now; `str(exc)` says why, in the visitor's language."""


class OptinInvalid(Exception):
    """The opt-in link is unknown or has expired."""


def offering_sessions(offering: Offering) -> list[Session]:
    if isinstance(offering, Session):
        return [offering]
    return [cs.session for cs in offering.course_sessions.select_related("session")]


# The registration page's reads and the locked read are fixed statements (config/rows.py):
# they run for every visitor of a registration rush, and compiling them with the ORM cost two
# to three times what the statements cost to run (docs/performance.md, "Registration rush").


def session_for_registration(slug: str) -> Session | None:
    """The published or cancelled session with this slug, for its registration page, with
    `course_slug` set when it belongs to a course (registration then goes through the course),
    and the office's names and address (the page shows them; other fields load on use)."""
    link = CourseSession._meta
    found = rows_fetch(
        Session,
        f"SELECT {columns(Session, 's')}, c.slug, o.name, o.short_name, o.slug"
        f" FROM {Session._meta.db_table} s JOIN {Organisation._meta.db_table} o ON o.id = s.organisation_id"
        f" LEFT JOIN {link.db_table} cs ON cs.{link.get_field('session').column} = s.id"
        f" LEFT JOIN {Course._meta.db_table} c ON c.id = cs.{link.get_field('course').column}"
        " WHERE s.slug = %s AND s.status IN (%s, %s)",
        [slug, Status.PUBLISHED.value, Status.CANCELLED.value],
        extra=("course_slug", "o_name", "o_short_name", "o_slug"),
    )
    if not found:
        return None
    session = found[0]
    session.organisation = Organisation.from_db(
        session._state.db,
        ["id", "name", "short_name", "slug"],
        [session.organisation_id, session.o_name, session.o_short_name, session.o_slug],
    )
    return session


def offering_questions(offering: Offering) -> list[Question]:
    """The offering's registration questions, in the organiser's order."""
    return rows_fetch(
        Question,
        f"SELECT {columns(Question)} FROM {Question._meta.db_table}"
        f" WHERE {_offering_column(offering)} = %s ORDER BY position, id",
        [offering.pk],
    )


def offering_starts_at(offering: Offering) -> datetime | None:
    if isinstance(offering, Session):
        return offering.starts_at
    return offering.course_sessions.aggregate(first=Min("session__starts_at"))["first"]


def registration_closed_reason(offering: Offering, *, now: datetime | None = None) -> str | None:
    """Why nobody can register for `offering` now, or None when registration is open."""
    now = now or timezone.now()
    if offering.status == Status.CANCELLED:
        return _("Arrangementet er avlyst.")
    if offering.status != Status.PUBLISHED:
        return _("Arrangementet er ikke publisert.")
    starts_at = offering_starts_at(offering)
    if starts_at is None:
        return _("Tidspunktet er ikke klart ennå.")
    if starts_at <= now:
        return _("Arrangementet har allerede startet.")
    if offering.registration_opens_at and now < offering.registration_opens_at:
        return _("Påmeldingen har ikke åpnet ennå.")
    if offering.registration_closes_at and now >= offering.registration_closes_at:
        return _("Påmeldingen er stengt.")
    return None


def _offering_filter(offering: Offering) -> dict:
    return {"session": offering} if isinstance(offering, Session) else {"course": offering}


def _lock(offering: Offering) -> Offering:
    # The row lock that serialises every seat decision for this offering.
    return type(offering).objects.select_for_update().get(pk=offering.pk)


def _offering_column(offering: Offering) -> str:
    return "session_id" if isinstance(offering, Session) else "course_id"


def offering_has_free_seat(offering: Offering) -> bool:
    return offering.capacity is None or count_confirmed(offering) < offering.capacity


def active_registration(*, offering: Offering, email: str) -> Registration | None:
    """The person's registration for the offering that is not cancelled, if any. lower() on
    both sides, as in the partial unique indexes, so PostgreSQL can use them."""
    found = rows_fetch(
        Registration,
        f"SELECT {columns(Registration)} FROM {Registration._meta.db_table} WHERE {_offering_column(offering)} = %s"
        " AND status <> %s AND LOWER(email) = LOWER(%s) ORDER BY id LIMIT 1",
        [offering.pk, Registration.Status.CANCELLED.value, email.strip()],
    )
    return found[0] if found else None


def joinlinks_create(*, registration: Registration, sessions: list[Session] | None = None) -> None:
    """One personal join link per session of the registration's offering (idempotent)."""
    sessions = sessions if sessions is not None else offering_sessions(registration.offering)
    JoinLink.objects.bulk_create(
        [JoinLink(registration=registration, session=session) for session in sessions],
        ignore_conflicts=True,
    )


def _confirm(registration: Registration, *, kind: str, now: datetime) -> None:
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = now
    registration.waitlisted_at = None
    if kind == Notification.Kind.PROMOTED:
        # The waitlist email carried no invite; the promotion is a calendar change.
        registration.revision += 1
    registration.save(update_fields=["status", "confirmed_at", "waitlisted_at", "revision"])
    notification_enqueue(
        kind=kind, to_email=registration.email, language=registration.language, registration=registration
    )
    reminders.reminders_schedule(registration=registration)


def _waitlist(registration: Registration, *, now: datetime) -> None:
    registration.status = Registration.Status.WAITLISTED
    registration.waitlisted_at = now
    registration.save(update_fields=["status", "waitlisted_at"])
    notification_enqueue(
        kind=Notification.Kind.WAITLISTED,
        to_email=registration.email,
        language=registration.language,
        registration=registration,
    )


def _seat_or_waitlist(registration: Registration, offering: Offering, *, now: datetime) -> None:
    if offering_has_free_seat(offering):
        _confirm(registration, kind=Notification.Kind.CONFIRMED, now=now)
    else:
        _waitlist(registration, now=now)


def _send_optin(registration: Registration, *, now: datetime) -> None:
    """Send the opt-in link again. A still-valid token is kept, so the link in the first
    email keeps working; only an expired one is replaced. Either way the link is good for
    another OPTIN_VALID_FOR, as the email says."""
    if not registration.optin_token or registration.optin_expires_at is None or registration.optin_expires_at <= now:
        registration.optin_token = new_token()
    registration.optin_expires_at = now + OPTIN_VALID_FOR
    registration.save(update_fields=["optin_token", "optin_expires_at"])
    notification_enqueue(
        kind=Notification.Kind.OPTIN,
        to_email=registration.email,
        language=registration.language,
        registration=registration,
        payload={"optin_token": registration.optin_token},
    )


# What registration_create reads from the locked offering (the window, the capacity, and
# for reminders and follow-ups a session's times and the offsets).
COURSE_SEAT_FIELDS = ("id", "status", "capacity", "registration_opens_at", "registration_closes_at", "reminder_offsets")
SEAT_FIELDS = (*COURSE_SEAT_FIELDS, "starts_at", "ends_at")


def _lock_counting(offering: Offering) -> Offering:
    """Lock the offering's row, then count its confirmed registrations.

    Two statements on purpose: under READ COMMITTED a subquery inside the locking SELECT
    keeps the snapshot taken before the lock wait, so it would miss seats committed by the
    transaction it waited for (40 confirmed for 10 seats in the concurrency test). A new
    statement after the lock sees them.
    """
    # Only the columns a seat decision and its rows read: the row stays locked until the
    # commit, so the Python work under the lock is kept small.
    model = type(offering)
    fields = SEAT_FIELDS if model is Session else COURSE_SEAT_FIELDS
    # SQLite has no FOR UPDATE: its IMMEDIATE transactions already serialise the writers.
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    (locked,) = rows_fetch(
        model,
        f"SELECT {columns(model, '', fields)} FROM {model._meta.db_table} WHERE id = %s{for_update}",
        [offering.pk],
        fields=fields,
    )
    locked.confirmed_count = count_confirmed(locked)
    return locked


def registration_create(
    *,
    offering: Offering,
    user=None,
    name: str,
    email: str,
    language: str,
    answers: dict,
) -> Registration:
    """Register a person for a session or a course.

    A signed-in user gets a seat or a waitlist place at once; a guest gets a pending
    registration and an opt-in email (the seat is decided when the link is followed).
    An active registration for the same email is returned as it is (a guest's pending
    one gets its opt-in link again). Raises RegistrationClosed outside the window.

    The common case, a new registration, goes straight to the lock: the partial unique
    index (one active registration per email) finds the rare existing one, and the
    IntegrityError path looks it up. That saves a query on every registration and also
    covers a double submit. Under the lock: one locking SELECT, the count, and three
    INSERTs (registration, join links, every outbox row including reminders).
    """
    email = email.strip()
    try:
        with transaction.atomic():
            locked = _lock_counting(offering)
            reason = registration_closed_reason(locked)
            if reason:
                raise RegistrationClosed(reason)
            return _insert(locked, user=user, name=name, email=email, language=language, answers=answers)
    except IntegrityError:
        existing = active_registration(offering=offering, email=email)
        if existing is None:
            raise
    except RegistrationClosed:
        # Closed, but someone already registered still sees their registration.
        existing = active_registration(offering=offering, email=email)
        if existing is None:
            raise
        return existing
    if existing.status == Registration.Status.PENDING and user is None:
        with transaction.atomic():
            locked = _lock(offering)
            if registration_closed_reason(locked) is None:
                _send_optin(existing, now=timezone.now())
    return existing


def _insert(locked: Offering, *, user, name: str, email: str, language: str, answers: dict) -> Registration:
    """The new registration, its join links and its outbox rows. Caller holds the lock
    and has counted; a brand-new registration has no earlier invite to supersede, cannot
    have opted out of reminders and has no reminder rows yet, so nothing is read here."""
    now = timezone.now()
    if user is None:
        status = Registration.Status.PENDING
    elif locked.capacity is None or locked.confirmed_count < locked.capacity:
        status = Registration.Status.CONFIRMED
    else:
        status = Registration.Status.WAITLISTED
    registration = Registration(
        user=user,
        name=name,
        email=email,
        language=language,
        answers=answers,
        status=status,
        created_at=now,
        confirmed_at=now if status == Registration.Status.CONFIRMED else None,
        waitlisted_at=now if status == Registration.Status.WAITLISTED else None,
        consented_at=None if user else now,
        optin_token=new_token() if user is None else "",
        optin_expires_at=now + OPTIN_VALID_FOR if user is None else None,
        **_offering_filter(locked),
    )
    rows_insert([registration])
    if status == Registration.Status.CONFIRMED:
        # rows_insert sends no post_save: the seats left on catalogue pages change now. A
        # waitlist place or a pending guest changes nothing the catalogue shows.
        catalogue_cache_bump()
    sessions = offering_sessions(locked)
    # A new registration has no links yet: nothing to conflict with (joinlinks_create is idempotent).
    rows_insert([JoinLink(registration=registration, session=session) for session in sessions])
    kind = {
        Registration.Status.PENDING: Notification.Kind.OPTIN,
        Registration.Status.CONFIRMED: Notification.Kind.CONFIRMED,
        Registration.Status.WAITLISTED: Notification.Kind.WAITLISTED,
    }[status]
    rows = [
        notification_build(
            kind=kind,
            to_email=email,
            language=language,
            registration=registration,
            payload={"optin_token": registration.optin_token} if user is None else None,
        )
    ]
    if status == Registration.Status.CONFIRMED:
        rows += reminders.rows_for_new_registration(registration=registration, offering=locked, sessions=sessions)
    notifications_enqueue(notifications=rows)
    return registration


def registration_confirm_optin(*, token: str) -> Registration:
    """A guest followed the opt-in link: take a seat, or a waitlist place if full.

    Following the link again returns the registration unchanged. Raises OptinInvalid
    for an unknown or expired link, RegistrationClosed when the offering closed meanwhile.
    """
    if not token:
        raise OptinInvalid
    with transaction.atomic():
        found = Registration.objects.filter(optin_token=token).only("id", "session", "course").first()
        if found is None:
            raise OptinInvalid
        offering = _lock(found.offering)
        registration = Registration.objects.select_for_update().get(pk=found.pk)
        if registration.status != Registration.Status.PENDING:
            return registration
        now = timezone.now()
        if registration.optin_expires_at is None or registration.optin_expires_at <= now:
            raise OptinInvalid
        if offering.status == Status.CANCELLED or (offering_starts_at(offering) or now) <= now:
            raise RegistrationClosed(registration_closed_reason(offering, now=now))
        _seat_or_waitlist(registration, offering, now=now)
        return registration


def _fill_free_seats(offering: Offering, *, now: datetime) -> list[Registration]:
    """Promote waitlisted registrations in order into free seats. Caller holds the lock."""
    waiting = Registration.objects.filter(status=Registration.Status.WAITLISTED, **_offering_filter(offering))
    if offering.capacity is None:
        promote = list(waiting.order_by("waitlisted_at", "id"))
    else:
        confirmed = Registration.objects.filter(
            status=Registration.Status.CONFIRMED, **_offering_filter(offering)
        ).count()
        free = offering.capacity - confirmed
        if free <= 0:
            return []
        promote = list(waiting.order_by("waitlisted_at", "id")[:free])
    for registration in promote:
        _confirm(registration, kind=Notification.Kind.PROMOTED, now=now)
    return promote


def waitlist_promote(*, offering: Offering) -> list[Registration]:
    """Fill the offering's free seats from its waitlist, first come first served."""
    with transaction.atomic():
        locked = _lock(offering)
        if locked.status == Status.CANCELLED:
            return []
        return _fill_free_seats(locked, now=timezone.now())


def registration_cancel(*, registration: Registration, by_organiser: bool = False) -> Registration:
    """Cancel a registration (twice is harmless) and give its seat to the next in line."""
    with transaction.atomic():
        offering = _lock(registration.offering)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return current
        previous = current.status
        now = timezone.now()
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = now
        current.optin_token = ""
        current.revision += 1
        current.save(update_fields=["status", "cancelled_at", "optin_token", "revision"])
        if previous != Registration.Status.PENDING:
            notification_enqueue(
                kind=Notification.Kind.CANCELLED,
                to_email=current.email,
                language=current.language,
                registration=current,
                payload={"by_organiser": by_organiser, "was": previous},
            )
        if previous == Registration.Status.CONFIRMED:
            reminders.reminders_drop(registration=current)
            if offering.status != Status.CANCELLED:
                _fill_free_seats(offering, now=now)
        return current


def registration_promote(*, registration: Registration) -> Registration:
    """An organiser gives a waitlisted person a seat, even when that exceeds the capacity:
    an explicit, deliberate override (automatic promotion never exceeds it)."""
    with transaction.atomic():
        _lock(registration.offering)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.WAITLISTED:
            return current
        _confirm(current, kind=Notification.Kind.PROMOTED, now=timezone.now())
        return current


def course_sessions_joinlinks_update(*, course: Course, added: list[Session], removed: list[Session]) -> None:
    """Keep course registrations' join links in step with the course's sessions."""
    with transaction.atomic():
        if removed:
            JoinLink.objects.filter(registration__course=course, session__in=removed, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        if added:
            links = [
                JoinLink(registration=registration, session=session)
                for registration in Registration.objects.active().filter(course=course).only("id")
                for session in added
            ]
            JoinLink.objects.bulk_create(links, ignore_conflicts=True, batch_size=500)
            # A session that left the course and came back gets its links back.
            JoinLink.objects.filter(registration__course=course, session__in=added).update(revoked_at=None)
