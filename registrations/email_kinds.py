"""The registrations app's emails: a context per kind for its templates
registrations/templates/registrations/email/<kind>-subject.txt, -body.txt and -body.html,
built through the one message builder (registrations/emails.py), and the account emails
django-allauth rendered (the payload of kind `account`).

Every registration email names the date, time and zone of each session and, where the
person has a seat, their personal join link (SITE_URL + /join/<token>/), never the stream
URL. Building happens at send time, so it shows the current title and times and re-checks
what a row assumed when it was written: an obsolete email (an opt-in no longer pending, a
reminder or follow-up whose registration or session changed, a superseded invite) is not
built (None: the row is marked skipped).
"""

from __future__ import annotations

import logging
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.template.loader import get_template
from django.utils import dateformat, timezone, translation
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from accounts.sealing import InvalidToken, open_sealed, seal
from registrations import ics
from registrations.emails import (
    PlatformEmail,
    attach_invite,
    batch_cached,
    email_new,
    header_text,
    register_builder,
    render_email,
    site_url,
)
from registrations.erasure_links import erasure_token
from registrations.invites import INVITE_KINDS, invite_method, invite_superseded
from registrations.models import JoinLink, Notification, Registration
from registrations.signals import registration_links_collect
from webinars.models import Session, Status

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- data for a chunk of rows


def prefetch(rows: list[Notification]) -> None:
    """Load the join links of a chunk's registrations in one query, and the waitlist
    positions of those a waitlist email goes to in one more."""
    registration_ids = {row.registration_id for row in rows if row.registration_id}
    if not registration_ids:
        return
    links: dict[int, dict[int, JoinLink]] = {}
    for link in JoinLink.objects.filter(registration_id__in=registration_ids):
        links.setdefault(link.registration_id, {})[link.session_id] = link
    waiting = {row.registration_id for row in rows if row.registration_id and row.kind == Notification.Kind.WAITLISTED}
    positions = _waitlist_positions(waiting) if waiting else {}
    for row in rows:
        if row.registration_id:
            row.registration._mail_join_links = links.get(row.registration_id, {})
            if row.registration_id in waiting:
                row.registration._mail_waitlist_position = positions.get(row.registration_id)


def _waitlist_positions(registration_ids) -> dict[int, int | None]:
    return dict(
        Registration.objects.filter(pk__in=registration_ids)
        .with_waitlist_position()
        .values_list("pk", "waitlist_position")
    )


def waitlist_position(registration: Registration) -> int | None:
    """The place in the queue when the email is built, not when it was queued: people ahead
    may have left or got a seat in between. None once the registration is off the waitlist."""
    if not hasattr(registration, "_mail_waitlist_position"):
        registration._mail_waitlist_position = _waitlist_positions([registration.pk]).get(registration.pk)
    return registration._mail_waitlist_position


def _join_links(registration: Registration) -> dict[int, JoinLink]:
    links = getattr(registration, "_mail_join_links", None)
    if links is None:
        links = {link.session_id: link for link in registration.join_links.all()}
        registration._mail_join_links = links
    return links


def join_url(registration: Registration, session: Session) -> str:
    link = _join_links(registration).get(session.pk)
    if link is None or link.revoked_at:
        return ""
    return site_url("join", link.token)


def registration_sessions(registration: Registration) -> list[Session]:
    """The sessions of the registration's offering, in order (looked up once per batch)."""
    return batch_cached(
        ("sessions", registration.offering_id),
        lambda: list(
            Session.objects.filter(offering_id=registration.offering_id).order_by("position", "starts_at", "id")
        ),
    )


def notification_sessions(notification: Notification) -> list[Session]:
    """The sessions an email is about: its own session, or all of the registration's."""
    if notification.session_id:
        return [notification.session]
    if notification.registration_id:
        return registration_sessions(notification.registration)
    return []


def offering_page(registration: Registration):
    """What the email names and links to: the course, or the webinar's one session."""
    offering = registration.offering
    if offering.is_course:
        return offering.course
    sessions = registration_sessions(registration)
    return sessions[0] if sessions else offering.presentation


# ---------------------------------------------------------------- texts


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "Europe/Oslo")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Europe/Oslo")


def zone_label(name: str) -> str:
    if not name or name == "Europe/Oslo":
        return _("norsk tid")
    return name.replace("_", " ")


def when_text(session: Session) -> str:
    """ "torsdag 3. desember 2026 kl. 10:00–11:30 (norsk tid)" in the active language."""
    # The same for every recipient of a batch in one language: formatted once per batch.
    key = ("when", session.pk, session.starts_at, session.ends_at, session.timezone, get_language())
    return batch_cached(key, lambda: _when_text(session))


def _when_text(session: Session) -> str:
    zone = _zone(session.timezone)
    start = timezone.localtime(session.starts_at, zone)
    end = timezone.localtime(session.ends_at, zone)
    day = dateformat.format(start, pgettext("email date format", "l j. F Y"))
    if start.date() == end.date():
        span = f"{start:%H:%M}–{end:%H:%M}"
    else:
        span = f"{start:%H:%M} – {dateformat.format(end, pgettext('email date format', 'l j. F Y'))} {end:%H:%M}"
    return _("%(day)s kl. %(span)s (%(zone)s)") % {"day": day, "span": span, "zone": zone_label(session.timezone)}


def offset_text(minutes: int, language: str = "nb") -> str:
    """How long before the start a reminder goes out: "1 døgn", "2 timer", "30 minutter"."""
    with translation.override(language or "nb"):
        if minutes and minutes % 1440 == 0:
            days = minutes // 1440
            return ngettext("%(n)d døgn", "%(n)d døgn", days) % {"n": days}
        if minutes and minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours}
        return ngettext("%(n)d minutt", "%(n)d minutter", minutes) % {"n": minutes}


# ---------------------------------------------------------------- the registration kinds


def registration_context(notification: Notification) -> dict:
    registration = notification.registration
    office = registration.offering.organisation
    items = [
        {
            "session": session,
            "when": when_text(session),
            "join_url": join_url(registration, session),
            "cancelled": session.status == Status.CANCELLED,
        }
        for session in notification_sessions(notification)
    ]
    return {
        "notification": notification,
        "payload": notification.payload,
        "registration": registration,
        "name": header_text(registration.name, 150),
        "offering": offering_page(registration),
        "is_course": registration.offering.is_course,
        # One of the emails a course's invite was split into (one per session).
        "course_part": bool(notification.payload.get("course_part")) and len(items) == 1,
        "course_session_count": len(registration_sessions(registration)) if registration.offering.is_course else 0,
        "office": office,
        "items": items,
        "manage_url": site_url("registration_cancel", registration.manage_token),
        "my_registrations_url": site_url("my_registrations") if registration.user_id else "",
        # Every registration email offers erasure (not once the data is erased).
        "erase_url": "" if registration.erased_at else site_url("registration_erase", registration.manage_token),
        # The notice as it reads for this offering: its office as controller, and the office's note.
        "privacy_url": f"{site_url('privacy')}?tilbud={registration.offering_id}#tilbud",
        "platform_name": settings.PLATFORM_NAME,
        "site_url": settings.SITE_URL,
    }


def _still_relevant(notification: Notification) -> bool:
    """Re-check at send time what a reminder or follow-up assumed when it was written."""
    registration = notification.registration
    session = notification.session
    if registration.status != Registration.Status.CONFIRMED or session is None:
        return False
    if session.status == Status.CANCELLED:
        return False
    if notification.kind == Notification.Kind.REMINDER:
        return session.starts_at > timezone.now() and bool(join_url(registration, session))
    return session.ends_at <= timezone.now()


def registration_email(notification: Notification) -> PlatformEmail | None:
    # Everything, the context's dates and zone names included, in the recipient's language.
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        return _registration_email(notification)


def _registration_email(notification: Notification) -> PlatformEmail | None:
    registration = notification.registration
    if registration is None:
        return None
    kind = notification.kind
    if kind in (Notification.Kind.REMINDER, Notification.Kind.FOLLOWUP) and not _still_relevant(notification):
        return None
    if kind == Notification.Kind.OPTIN and (
        registration.status != Registration.Status.PENDING or not registration.optin_token
    ):
        return None
    if kind in INVITE_KINDS and invite_superseded(notification):
        return None
    context = registration_context(notification)
    headers = {}
    if kind == Notification.Kind.OPTIN:
        # The registration's current token (the outbox row holds no secret of its own).
        context["optin_url"] = site_url("registration_optin", registration.optin_token)
    elif kind == Notification.Kind.WAITLISTED:
        context["position"] = waitlist_position(registration)
    elif kind == Notification.Kind.FOLLOWUP:
        link = _join_links(registration).get(notification.session_id)
        context["attended"] = bool(link and link.first_joined_at)
        # What the apps above add after a session (a survey, a course certificate): their own
        # links, found through a signal so this app names none of them.
        added = registration_links_collect(registrations=[registration], session=notification.session)
        context["links"] = [{**item, "url": settings.SITE_URL + item["url"]} for item in added.get(registration.pk, [])]
    elif kind == Notification.Kind.MESSAGE:
        context["message"] = notification.message
        context["show_join"] = registration.status == Registration.Status.CONFIRMED
    elif kind == Notification.Kind.REMINDER:
        unsubscribe = site_url("reminders_unsubscribe", registration.manage_token)
        context["unsubscribe_url"] = unsubscribe
        context["offset_text"] = offset_text(notification.reminder_offset or 0, notification.language)
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = render_email(
        notification,
        template=f"registrations/email/{kind}",
        context=context,
        office=context["office"],
        to_name=registration.name,
        headers=headers,
    )
    if context["course_part"]:
        # Each of a course's per-session emails says which session it is about.
        email.subject = header_text(f"{email.subject} – {context['items'][0]['session'].title}", 250)
    method = invite_method(notification)
    # One iTIP message, one UID: an invite goes with an email about one session (a course's
    # invites were split per session by the outbox, registrations/outbox.py).
    if method and len(context["items"]) == 1:
        office = context["office"]
        session = context["items"][0]["session"]
        description = _("%(title)s – %(office)s") % {
            "title": context["offering"].title,
            "office": office.short_name or office.name,
        }
        calendar = ics.invite_calendar(
            registration,
            session,
            method=method,
            join_url=context["items"][0]["join_url"],
            description=description,
            office=office,
        )
        attach_invite(email, calendar, method=method)
    return email


ACCOUNT_EMAIL_PURPOSE = "account email"


def account_payload(*, subject: str, text: str) -> dict:
    """An account email's payload: django-allauth rendered it when the request needed it (the
    context holds the request, the user and one-time keys), so its text carries a verification
    or password-reset link. It rests in the outbox sealed (accounts/sealing.py), never in
    clear text."""
    return {"sealed": seal({"subject": subject, "text": text}, purpose=ACCOUNT_EMAIL_PURPOSE)}


def account_email(notification: Notification) -> PlatformEmail | None:
    """The sealed subject and text, opened only within ACCOUNT_EMAIL_MAX_AGE (after that the
    link would be stale: the row is skipped and the person asks again). Its HTML is the text in
    the platform's email layout, in the person's language, and the builder adds the platform's
    addresses and headers. The delivery wipes the payload once the row is done."""
    try:
        payload = open_sealed(
            notification.payload.get("sealed", ""),
            purpose=ACCOUNT_EMAIL_PURPOSE,
            max_age=settings.ACCOUNT_EMAIL_MAX_AGE,
        )
    except InvalidToken:
        logger.warning("Account email %s is older than ACCOUNT_EMAIL_MAX_AGE or not sealed: not sent", notification.pk)
        return None
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        html = get_template("registrations/email/account-body.html").render(
            {
                "subject": payload["subject"],
                "text": payload["text"],
                "platform_name": settings.PLATFORM_NAME,
                "privacy_url": site_url("privacy"),
            }
        )
    return email_new(notification, subject=payload["subject"], text=payload["text"], html=html, office=None)


def erasure_email(notification: Notification) -> PlatformEmail | None:
    """A guest asked to erase their data: the link that confirms it, made at send time from
    the row's address (the row holds no secret of its own)."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = {
            "confirm_url": site_url("erasure_confirm", erasure_token(notification.to_email)),
            "email": notification.to_email,
            "platform_name": settings.PLATFORM_NAME,
            "privacy_url": site_url("privacy"),
        }
        return render_email(notification, template="registrations/email/erasure", context=context, office=None)


register_builder(Notification.Kind.ACCOUNT, account_email)
register_builder(Notification.Kind.ERASURE, erasure_email)
for _kind in (
    Notification.Kind.OPTIN,
    Notification.Kind.CONFIRMED,
    Notification.Kind.WAITLISTED,
    Notification.Kind.PROMOTED,
    Notification.Kind.CANCELLED,
    Notification.Kind.RESCHEDULED,
    Notification.Kind.UPDATED,
    Notification.Kind.SESSION_CANCELLED,
    Notification.Kind.REMINDER,
    Notification.Kind.FOLLOWUP,
    Notification.Kind.MESSAGE,
):
    register_builder(_kind, registration_email, prefetch=prefetch)
