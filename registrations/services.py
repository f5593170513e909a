"""Registration workflows: every state change of a Registration happens here.

Seats: an offering keeps the number of seats taken on its own row. Taking a seat is one
conditional UPDATE (`Offering.objects.seat_taken`) that adds one only while the count is
below the capacity and the offering is published; giving one back subtracts one. No COUNT
runs under a lock. The UPDATE holds the offering's row lock until the commit, so the
waitlist is promoted in order even when several seats free up at once; a registration
that finds no seat locks the row too before it takes a waitlist place (`_seat_taken`), so
neither a freed seat nor a cancellation of the offering can slip between its check and its
insert.

Every change writes its outbox rows (`outbox.enqueue`) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations import reminders
from registrations.models import JoinLink, Notification, Registration, new_token
from registrations.outbox import enqueue, notification_new
from webinars.models import Audience, Offering, Session, Status
from webinars.page_cache import catalogue_cache_bump

OPTIN_VALID_FOR = timedelta(hours=24)


class RegistrationClosed(Exception):
    """Registration is not possible now; `str(exc)` says why, in the visitor's language."""


class OptinInvalid(Exception):
    """The opt-in link is unknown or has expired."""


class PromotionRefused(Exception):
    """The offering is cancelled or over: nobody can be given a seat; `str(exc)` says why."""


# What a seat decision reads of the sessions: their times and state (reminders, follow-ups,
# join links). Titles and texts are read at send time by the email builder.
SESSION_FIELDS = ("id", "offering_id", "status", "starts_at", "ends_at", "position")


def offering_sessions(offering: Offering) -> list[Session]:
    return list(offering.sessions_in_order().only(*SESSION_FIELDS))


def registration_closed_reason(
    offering: Offering, *, sessions: list[Session] | None = None, now: datetime | None = None
) -> str | None:
    """Why nobody can register for `offering` now, or None when registration is open."""
    now = now or timezone.now()
    if offering.status == Status.CANCELLED:
        return _("Arrangementet er avlyst.")
    if offering.status != Status.PUBLISHED:
        return _("Arrangementet er ikke publisert.")
    sessions = offering_sessions(offering) if sessions is None else sessions
    if not sessions:
        return _("Tidspunktet er ikke klart ennå.")
    if min(s.starts_at for s in sessions) <= now:
        return _("Arrangementet har allerede startet.")
    if offering.registration_opens_at and now < offering.registration_opens_at:
        return _("Påmeldingen har ikke åpnet ennå.")
    if offering.registration_closes_at and now >= offering.registration_closes_at:
        return _("Påmeldingen er stengt.")
    return None


def active_registration(*, offering: Offering, email: str) -> Registration | None:
    """The person's registration for the offering that is not cancelled, if any. lower() on
    both sides, as in the partial unique index, so PostgreSQL can use it."""
    return (
        Registration.objects.active()
        .not_erased()  # with active(), the unique index's condition: PostgreSQL can use it
        .alias(email_lower=Lower("email"))
        .filter(offering=offering, email_lower=Lower(Value(email.strip())))
        .order_by("id")
        .first()
    )


def _confirm(registration: Registration, *, kind: str, now: datetime, sessions: list[Session]) -> None:
    """Caller has taken the seat."""
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = now
    registration.waitlisted_at = None
    if kind == Notification.Kind.PROMOTED:
        # The waitlist email carried no invite; the promotion is a calendar change.
        registration.revision += 1
        # Kept for the offices' waitlist conversions (docs/insight.md); waitlisted_at is cleared.
        registration.promoted_at = now
    registration.save(update_fields=["status", "confirmed_at", "waitlisted_at", "revision", "promoted_at"])
    enqueue(notification_new(kind=kind, registration=registration))
    reminders.reminders_schedule(registration=registration, sessions=sessions)
    catalogue_cache_bump(seats_only=True)  # seats left changed


def _waitlist(registration: Registration, *, now: datetime) -> None:
    registration.status = Registration.Status.WAITLISTED
    registration.waitlisted_at = now
    registration.save(update_fields=["status", "waitlisted_at"])
    enqueue(notification_new(kind=Notification.Kind.WAITLISTED, registration=registration))
    catalogue_cache_bump(seats_only=True)  # a full offering's waitlist changed


# Offerings this process last found full. A registration for one of them locks the row
# first: the usual waitlist place is then one statement, not a failed seat UPDATE and the lock
# after it. Only a shortcut: the seat is decided under the lock either way, so a wrong guess
# costs one statement and nothing else.
_found_full: set[int] = set()
FOUND_FULL_MAX = 10_000


def seat_hints_reset() -> None:
    """Forget which offerings this process found full (tests: their rows roll back)."""
    _found_full.clear()


def _seat_taken(offering: Offering) -> bool:
    """Take a seat of `offering` if one is free; False means a waitlist place.

    The seat UPDATE leaves the offering's row locked. When it finds no seat it takes no
    lock, so the row is locked here before the caller writes a waitlist place: a cancellation
    committed meanwhile is then seen (its seat is taken under the lock), and one still to
    come waits for this transaction and finds the new waitlist place to promote. Raises
    RegistrationClosed when the offering was cancelled in between.
    """
    pk = offering.pk
    if pk not in _found_full and Offering.objects.seat_taken(pk):
        return True
    status, capacity, seats_taken = (
        Offering.objects.select_for_update().values_list("status", "capacity", "seats_taken").get(pk=pk)
    )
    if status != Status.PUBLISHED:
        raise RegistrationClosed(_("Arrangementet er avlyst."))
    # Read under the lock, so exact: the seat UPDATE runs only when a seat is free (a seat
    # came free since the first try, or the offering is no longer full), and then succeeds.
    if (capacity is None or seats_taken < capacity) and Offering.objects.seat_taken(pk):
        _found_full.discard(pk)
        return True
    if len(_found_full) >= FOUND_FULL_MAX:
        _found_full.clear()
    _found_full.add(pk)
    return False


def _send_optin(registration: Registration, *, now: datetime) -> None:
    """Send the opt-in link again. A still-valid token is kept, so the link in the first
    email keeps working; only an expired one is replaced. Either way the link is good for
    another OPTIN_VALID_FOR, as the email says."""
    if not registration.optin_token or registration.optin_expires_at is None or registration.optin_expires_at <= now:
        registration.optin_token = new_token()
    registration.optin_expires_at = now + OPTIN_VALID_FOR
    registration.save(update_fields=["optin_token", "optin_expires_at"])
    enqueue(notification_new(kind=Notification.Kind.OPTIN, registration=registration))


def registration_create(
    *,
    offering: Offering,
    user=None,
    name: str,
    email: str,
    language: str,
    answers: dict,
    audience: Audience | None = None,
    county: str = "",
    sessions: list[Session] | None = None,
) -> Registration:
    """Register a person for an offering (a webinar or a whole course).

    A signed-in user gets a seat or a waitlist place at once; a guest gets a pending
    registration and an opt-in email (the seat is decided when the link is followed).
    An active registration for the same email is returned as it is (a guest's pending
    one gets its opt-in link again). Raises RegistrationClosed outside the window.

    The common case, a new registration, goes straight to the insert: the partial unique
    index (one active registration per email) finds the rare existing one, and the
    IntegrityError path looks it up. That also covers a double submit.

    A caller that has just read the offering and its sessions (`sessions`, in order) saves
    reading them again; otherwise both are read here. Either way the seat UPDATE re-checks
    that the offering is still published.
    """
    email = email.strip()
    try:
        with transaction.atomic():
            current = offering if sessions is not None else Offering.objects.get(pk=offering.pk)
            sessions = sessions if sessions is not None else offering_sessions(current)
            reason = registration_closed_reason(current, sessions=sessions)
            if reason:
                raise RegistrationClosed(reason)
            return _insert(
                current,
                sessions,
                user=user,
                name=name,
                email=email,
                language=language,
                answers=answers,
                audience=audience,
                county=county,
            )
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
            current = Offering.objects.get(pk=offering.pk)
            if registration_closed_reason(current) is None:
                _send_optin(existing, now=timezone.now())
    return existing


def _insert(
    offering: Offering,
    sessions: list[Session],
    *,
    user,
    name: str,
    email: str,
    language: str,
    answers: dict,
    audience: Audience | None = None,
    county: str = "",
) -> Registration:
    """The new registration, its join links and its outbox rows. A brand-new registration
    has no earlier invite to supersede, cannot have opted out of reminders and has no
    reminder rows yet, so nothing is read here."""
    now = timezone.now()
    if user is None:
        status = Registration.Status.PENDING
    elif _seat_taken(offering):
        status = Registration.Status.CONFIRMED
    else:
        status = Registration.Status.WAITLISTED
    registration = Registration.objects.create(
        offering=offering,
        user=user,
        name=name,
        email=email,
        language=language,
        answers=answers,
        audience=audience,
        county=county,
        status=status,
        created_at=now,
        confirmed_at=now if status == Registration.Status.CONFIRMED else None,
        waitlisted_at=now if status == Registration.Status.WAITLISTED else None,
        consented_at=None if user else now,
        optin_token=new_token() if user is None else "",
        optin_expires_at=now + OPTIN_VALID_FOR if user is None else None,
    )
    JoinLink.objects.bulk_create([JoinLink(registration=registration, session=session) for session in sessions])
    kind = {
        Registration.Status.PENDING: Notification.Kind.OPTIN,
        Registration.Status.CONFIRMED: Notification.Kind.CONFIRMED,
        Registration.Status.WAITLISTED: Notification.Kind.WAITLISTED,
    }[status]
    rows = [notification_new(kind=kind, registration=registration)]
    if status == Registration.Status.CONFIRMED:
        rows += reminders.rows_for_new_registration(registration=registration, offering=offering, sessions=sessions)
    if status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
        catalogue_cache_bump(seats_only=True)  # seats left, or a full offering's waitlist, changed
    enqueue(*rows, supersede=False)
    return registration


def registration_confirm_optin(*, token: str) -> Registration:
    """A guest followed the opt-in link: take a seat, or a waitlist place if full.

    Following the link again returns the registration unchanged. Raises OptinInvalid
    for an unknown or expired link, RegistrationClosed when the offering closed meanwhile.
    """
    if not token:
        raise OptinInvalid
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(optin_token=token).first()
        if registration is None:
            raise OptinInvalid
        if registration.status != Registration.Status.PENDING:
            return registration
        now = timezone.now()
        if registration.optin_expires_at is None or registration.optin_expires_at <= now:
            raise OptinInvalid
        offering = Offering.objects.get(pk=registration.offering_id)
        sessions = offering_sessions(offering)
        started = not sessions or min(s.starts_at for s in sessions) <= now
        if offering.status != Status.PUBLISHED or started:
            raise RegistrationClosed(registration_closed_reason(offering, sessions=sessions, now=now))
        if _seat_taken(offering):
            _confirm(registration, kind=Notification.Kind.CONFIRMED, now=now, sessions=sessions)
        else:
            _waitlist(registration, now=now)
        return registration


def _promotion_refused_reason(offering: Offering, sessions: list[Session], *, now: datetime) -> str | None:
    if offering.status == Status.CANCELLED:
        return _("Arrangementet er avlyst, så ingen kan få plass.")
    if offering.status != Status.PUBLISHED:
        return _("Arrangementet er ikke publisert.")
    if not sessions or max(s.ends_at for s in sessions) <= now:
        return _("Arrangementet er over, så ingen kan få plass.")
    return None


def _fill_free_seats(offering: Offering, *, now: datetime) -> list[Registration]:
    """Promote waitlisted registrations in order into free seats, one seat UPDATE each; the
    first one that takes a seat locks the offering's row, so promotions never interleave.
    A waitlisted registration another transaction holds (an organiser promoting or
    cancelling it) is passed over rather than waited for: that transaction holds it and
    waits for the offering's row, so waiting would deadlock."""
    sessions = offering_sessions(offering)
    if _promotion_refused_reason(offering, sessions, now=now):
        return []
    promoted = []
    while Offering.objects.seat_taken(offering.pk):
        following = (
            Registration.objects.filter(offering=offering, status=Registration.Status.WAITLISTED)
            .order_by("waitlisted_at", "id")
            .select_for_update(skip_locked=True)
            .first()
        )
        if following is None:
            Offering.objects.seat_given_back(offering.pk)
            break
        _confirm(following, kind=Notification.Kind.PROMOTED, now=now, sessions=sessions)
        promoted.append(following)
    return promoted


def waitlist_promote(*, offering: Offering) -> list[Registration]:
    """Fill the offering's free seats from its waitlist, first come first served."""
    with transaction.atomic():
        return _fill_free_seats(Offering.objects.get(pk=offering.pk), now=timezone.now())


def registration_cancel(*, registration: Registration, by_organiser: bool = False) -> Registration:
    """Cancel a registration (twice is harmless) and give its seat to the next in line."""
    with transaction.atomic():
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
            enqueue(
                notification_new(
                    kind=Notification.Kind.CANCELLED,
                    registration=current,
                    payload={"by_organiser": by_organiser, "was": previous},
                )
            )
        if previous == Registration.Status.WAITLISTED:
            catalogue_cache_bump(seats_only=True)  # a full offering's waitlist changed
        if previous == Registration.Status.CONFIRMED:
            Offering.objects.seat_given_back(current.offering_id)
            catalogue_cache_bump(seats_only=True)  # seats left changed
            reminders.reminders_drop(registration=current)
            _fill_free_seats(Offering.objects.get(pk=current.offering_id), now=now)
        return current


def registration_promote(*, registration: Registration) -> Registration:
    """An organiser gives a waitlisted person a seat, even when that exceeds the capacity:
    an explicit, deliberate override (automatic promotion never exceeds it). Raises
    PromotionRefused when the offering is cancelled or over."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.WAITLISTED:
            return current
        offering = Offering.objects.select_for_update().get(pk=current.offering_id)
        sessions = offering_sessions(offering)
        now = timezone.now()
        reason = _promotion_refused_reason(offering, sessions, now=now)
        if reason:
            raise PromotionRefused(reason)
        Offering.objects.seat_forced(offering.pk)
        _confirm(current, kind=Notification.Kind.PROMOTED, now=now, sessions=sessions)
        return current


def offering_sessions_joinlinks_update(*, offering: Offering, added: list[Session], removed: list[Session]) -> None:
    """Keep the offering's registrations' join links in step with its sessions."""
    with transaction.atomic():
        if removed:
            JoinLink.objects.filter(
                registration__offering=offering, session__in=removed, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        if added:
            links = [
                JoinLink(registration=registration, session=session)
                for registration in Registration.objects.active().filter(offering=offering).only("id")
                for session in added
            ]
            JoinLink.objects.bulk_create(links, ignore_conflicts=True, batch_size=500)
            # A session that left the course and came back gets its links back.
            JoinLink.objects.filter(registration__offering=offering, session__in=added).update(revoked_at=None)
