"""The one message builder: every email is a subject, a text body and an HTML body.

Templates live in registrations/templates/registrations/email/<kind>-subject.txt,
<kind>-body.txt and <kind>-body.html and are rendered in the recipient's language.
Every email is sent "<office> via Musikkhjemmekontoret <DEFAULT_FROM_EMAIL>" with
Reply-To the office, names the date, time and zone of each session and the personal
join link (SITE_URL + /join/<token>/), never the stream URL.

Higher apps plug in builders for their own kinds: `register_builder(kind, fn)`, where
`fn(notification) -> EmailMultiAlternatives | None` (None = obsolete, marked skipped);
`render_email` and `registration_context` are the pieces to build one with.

The builder runs in the outbox sweeper for thousands of rows at a time, so it touches
the database only through the rows the sweeper loaded (`BUILD_SELECT_RELATED`,
`build_prefetch`) and a per-batch cache (course sessions, URLs, templates).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from email.utils import formataddr
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone, translation
from django.utils.html import escape
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from registrations import ics
from registrations.models import JoinLink, Notification, Registration
from registrations.outbox import INVITE_KINDS, superseded_filter
from webinars.models import Session, Status

Builder = Callable[[Notification], EmailMultiAlternatives | None]
_BUILDERS: dict[str, Builder] = {}

# What the sweeper loads with each row so that building needs no further query.
BUILD_SELECT_RELATED = (
    "registration__offering__organisation",
    "registration__offering__course",
    "session__organisation",
    "message",
)

_cache: dict = {}


def register_builder(kind: str, fn: Builder) -> None:
    """Let a higher app (library: recordings) build the emails of its own kind."""
    _BUILDERS[kind] = fn


def build_cache_clear() -> None:
    """Called by the sweeper per batch: nothing cached may outlive a batch's minute."""
    _cache.clear()


def build_prefetch(rows: list[Notification]) -> None:
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


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    builder = _BUILDERS.get(notification.kind)
    if builder is None:
        raise ValueError(f"No email builder for notification kind {notification.kind!r}")
    return builder(notification)


# ---------------------------------------------------------------- pieces


def header_text(value: str, limit: int = 200) -> str:
    """One line, no control characters: CR/LF in a name must never reach a header."""
    return " ".join("".join(ch if ch >= " " and ch != "\x7f" else " " for ch in str(value)).split())[:limit]


def message_id(notification: Notification) -> str:
    # Stable per notification: a resend after a crash carries the same Message-ID, so
    # receiving servers (and the delivery tests) can recognise the duplicate.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{notification.pk}".encode()).hexdigest()[:16]
    return f"<n{notification.pk}.{digest}@{settings.DEFAULT_FROM_EMAIL.rsplit('@', 1)[-1]}>"


def from_address(office) -> str:
    if office is None:
        return formataddr((settings.PLATFORM_NAME, settings.DEFAULT_FROM_EMAIL))
    name = header_text(office.short_name or office.name, 60)
    return formataddr((f"{name} via {settings.PLATFORM_NAME}", settings.DEFAULT_FROM_EMAIL))


def to_address(name: str, email: str) -> str:
    name = header_text(name, 100)
    return formataddr((name, header_text(email, 254))) if name else header_text(email, 254)


def _template(name: str):
    key = ("template", name)
    if key not in _cache:
        _cache[key] = get_template(name)
    return _cache[key]


def site_url(name: str, *args) -> str:
    """SITE_URL + reverse(name, args); the URL pattern is resolved once per batch."""
    key = ("url", name, len(args))
    if key not in _cache:
        placeholders = [f"__arg{i}__" for i in range(len(args))]
        try:
            _cache[key] = settings.SITE_URL + reverse(name, args=placeholders)
        except NoReverseMatch:
            _cache[key] = None
    pattern = _cache[key]
    if pattern is None:
        return settings.SITE_URL + "/"
    for i, arg in enumerate(args):
        pattern = pattern.replace(f"__arg{i}__", str(arg))
    return pattern


@lru_cache(maxsize=64)
def _zone(name: str):
    import zoneinfo

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
    # The same for every recipient of a batch in one language: format it once.
    key = ("when", session.pk, session.starts_at, session.ends_at, session.timezone, get_language())
    if key not in _cache:
        _cache[key] = _when_text(session)
    return _cache[key]


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


def registration_sessions(registration: Registration) -> list[Session]:
    """The sessions of the registration's offering, in order (cached per batch)."""
    key = ("sessions", registration.offering_id)
    if key not in _cache:
        _cache[key] = list(
            Session.objects.filter(offering_id=registration.offering_id)
            .select_related("organisation")
            .order_by("position", "starts_at", "id")
        )
    return _cache[key]


def offering_page(registration: Registration):
    """What the email names and links to: the course, or the webinar's one session."""
    offering = registration.offering
    if offering.is_course:
        return offering.course
    sessions = registration_sessions(registration)
    return sessions[0] if sessions else offering.presentation


def _join_links(registration: Registration) -> dict[int, JoinLink]:
    links = getattr(registration, "_mail_join_links", None)
    if links is None:
        links = {link.session_id: link for link in registration.join_links.all()}
        registration._mail_join_links = links
    return links


def join_url(registration: Registration, session: Session) -> str:
    link = _join_links(registration).get(session.pk)
    if link is None or getattr(link, "revoked_at", None):
        return ""
    return site_url("join", link.token)


def notification_sessions(notification: Notification) -> list[Session]:
    """The sessions an email is about: its own session, or all of the registration's."""
    if notification.session_id:
        return [notification.session]
    if notification.registration_id:
        return registration_sessions(notification.registration)
    return []


def registration_context(notification: Notification) -> dict:
    registration = notification.registration
    offering = offering_page(registration)
    office = registration.offering.organisation
    sessions = notification_sessions(notification)
    items = [
        {
            "session": session,
            "when": when_text(session),
            "join_url": join_url(registration, session),
            "cancelled": session.status == Status.CANCELLED,
        }
        for session in sessions
    ]
    return {
        "notification": notification,
        "payload": notification.payload,
        "registration": registration,
        "name": header_text(registration.name, 150),
        "offering": offering,
        "is_course": registration.offering.is_course,
        "office": office,
        "items": items,
        "manage_url": site_url("registration_cancel", registration.manage_token),
        "my_registrations_url": site_url("my_registrations") if registration.user_id else "",
        "platform_name": settings.PLATFORM_NAME,
        "site_url": settings.SITE_URL,
    }


def _sentinel(key: str) -> str:
    # Private-use characters: no template filter or HTML escaping changes them.
    return f"\ue000{key}\ue001"


def render_parts(notification: Notification, *, template: str, context: dict) -> tuple[str, str, str]:
    with translation.override(notification.language or "nb"):
        base = f"registrations/email/{template}"
        subject = header_text(_template(f"{base}-subject.txt").render(context), 250)
        text = _template(f"{base}-body.txt").render(context)
        html = _template(f"{base}-body.html").render(context)
    return subject, text, html


def render_email(
    notification: Notification,
    *,
    template: str,
    context: dict,
    office,
    to_name: str = "",
    headers: dict | None = None,
    personal: dict[str, str] | None = None,
    cache_key: tuple | None = None,
    raw: bool = False,
) -> EmailMultiAlternatives:
    """Render <template>-subject.txt, -body.txt and -body.html in the recipient's language.

    With `cache_key`, the context holds sentinels (see `_sentinel`) for the `personal`
    values: the templates are rendered once per key and batch, then each recipient's
    values are put in (escaped for HTML). A reminder to 10,000 people renders twice (nb, en).
    With `raw` (no attachment to add) even the MIME text is made once per key: see
    `_prepared_email`.
    """
    if cache_key is None:
        subject, text, html = render_parts(notification, template=template, context=context)
    else:
        key = ("rendered", template, notification.language, *cache_key)
        if key not in _cache:
            subject, text, html = render_parts(notification, template=template, context=context)
            for name in personal or {}:  # HTML gets its own sentinel: its values are escaped
                html = html.replace(_sentinel(name), _sentinel("html:" + name))
            _cache[key] = subject, text, html
        subject, text, html = _cache[key]
        if raw:
            return _prepared_email(
                notification,
                key,
                subject,
                text,
                html,
                office=office,
                to_name=to_name,
                headers=headers,
                personal=personal or {},
            )
        text, html = _personal_text(text, personal or {}), _personal_html(html, personal or {})
    all_headers = {"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"}
    if office is not None and office.contact_email:
        all_headers["Reply-To"] = to_address(office.short_name or office.name, office.contact_email)
    all_headers.update(headers or {})
    email = PlatformEmail(
        subject=subject,
        body=text,
        from_email=from_address(office),
        to=[to_address(to_name, notification.to_email)],
        headers=all_headers,
    )
    email.attach_alternative(html, "text/html")
    return email


def _personal_text(text: str, personal: dict[str, str]) -> str:
    for name, value in personal.items():
        text = text.replace(_sentinel(name), value)
    return text


def _personal_html(html: str, personal: dict[str, str]) -> str:
    for name, value in personal.items():
        html = html.replace(_sentinel("html:" + name), escape(value))
    return html


# Headers that differ per recipient: left out of the shared MIME text, written per message.
_PERSONAL_HEADERS = (b"to:", b"message-id:", b"date:", b"list-unsubscribe:")


class RawMessage:
    """What `EmailMessage.message()` returns, for a message already in wire format."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8")

    def __bytes__(self) -> bytes:
        return self.data


def _mime_template(email: EmailMultiAlternatives, sentinels: list[str]) -> tuple[bytes, bytes] | None:
    """(shared headers, body) in wire format with the sentinels in place, or None when the
    encoding hid them (a part went quoted-printable or base64): then build normally."""
    data = email.message().as_bytes(linesep="\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    for sentinel in sentinels:
        if sentinel.encode() not in body:
            return None
    if any(len(line) > 600 for line in body.split(b"\r\n")):
        return None  # room for the personal values within SMTP's 998-octet lines
    kept, skipping = [], False
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                kept.append(line)
            continue
        skipping = line.lower().startswith(_PERSONAL_HEADERS)
        if not skipping:
            kept.append(line)
    return b"\r\n".join(kept), body


def _prepared_email(notification, key, subject, text, html, *, office, to_name, headers, personal):
    """A message whose MIME text is made once per batch and audience; per recipient only the
    personal headers are written and the sentinels in the body replaced."""
    from email.utils import formatdate

    headers = dict(headers or {})
    unsubscribe = headers.pop("List-Unsubscribe", None)
    mime_key = ("mime", *key, tuple(sorted(headers.items())))
    if mime_key not in _cache:
        shared = PlatformEmail(
            subject=subject,
            body=text,
            from_email=from_address(office),
            to=["recipient@invalid"],
            headers=_shared_headers(office, headers),
        )
        shared.attach_alternative(html, "text/html")
        sentinels = [s for name in personal for s in (_sentinel(name), _sentinel("html:" + name)) if s in text + html]
        _cache[mime_key] = _mime_template(shared, sentinels)
    template = _cache[mime_key]
    personal_text, personal_html = _personal_text(text, personal), _personal_html(html, personal)
    to = to_address(to_name, notification.to_email)
    email = PreparedEmail(
        subject=subject,
        body=personal_text,
        from_email=from_address(office),
        to=[to],
        headers={**_shared_headers(office, headers), "Message-ID": message_id(notification)},
    )
    email.attach_alternative(personal_html, "text/html")
    if unsubscribe:
        email.extra_headers["List-Unsubscribe"] = unsubscribe
    if template is None:
        return email  # builds its MIME the ordinary way
    shared_head, body = template
    for name, value in personal.items():
        body = body.replace(_sentinel(name).encode(), value.encode())
        body = body.replace(_sentinel("html:" + name).encode(), escape(value).encode())
    lines = [
        b"To: " + _encode_to(to_name, notification.to_email),
        b"Message-ID: " + message_id(notification).encode(),
        b"Date: " + formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode(),
    ]
    if unsubscribe:
        lines.append(b"List-Unsubscribe: " + unsubscribe.encode())
    email.raw = b"\r\n".join([*lines, shared_head]) + b"\r\n\r\n" + body
    return email


def _encode_to(name: str, email: str) -> bytes:
    """The To header's value, RFC 2047-encoded. Django's sanitize_address parses the address
    with the email package's full header parser, which was the largest CPU cost per message;
    an ASCII address formatted by formataddr needs none of that."""
    name, email = header_text(name, 100), header_text(email, 254)
    if not email.isascii():  # an internationalised domain: let Django punycode it
        from django.core.mail.message import sanitize_address

        return sanitize_address(to_address(name, email), "utf-8").encode("ascii")
    return (formataddr((name, email), charset="utf-8") if name else email).encode("ascii")


def _shared_headers(office, headers: dict) -> dict:
    shared = {"Auto-Submitted": "auto-generated"}
    if office is not None and office.contact_email:
        shared["Reply-To"] = to_address(office.short_name or office.name, office.contact_email)
    shared.update(headers)
    return shared


class PlatformEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries the iTIP method in its Content-Type."""

    calendar_method = ""

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/calendar" and isinstance(content, str):
            part = SafeMIMEText(content, "calendar", "utf-8")
            part.set_param("method", self.calendar_method)
            return part
        return super()._create_mime_attachment(content, mimetype)


class PreparedEmail(PlatformEmail):
    """Sent as the wire-format bytes prepared by `_prepared_email` when it could."""

    raw: bytes | None = None

    def message(self):
        if self.raw is None:
            return super().message()
        return RawMessage(self.raw)


def attach_invite(email: PlatformEmail, calendar: bytes, *, method: str) -> None:
    """text/calendar inside multipart/alternative, and the same .ics as an attachment."""
    email.calendar_method = method
    email.attach_alternative(calendar.decode("utf-8"), "text/calendar")
    email.attach("invite.ics", calendar, "application/ics")


# ---------------------------------------------------------------- the kinds


def _account(notification: Notification) -> EmailMultiAlternatives:
    payload = notification.payload
    email = EmailMultiAlternatives(
        subject=header_text(payload["subject"], 250),
        body=payload["text"],
        from_email=from_address(None),
        to=[header_text(notification.to_email, 254)],
        headers={"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"},
    )
    if payload.get("html"):
        email.attach_alternative(payload["html"], "text/html")
    return email


def invite_method(notification: Notification) -> str | None:
    """Which iTIP method the email carries, or None for an email without an invite."""
    kind = notification.kind
    payload = notification.payload or {}
    if kind in (
        Notification.Kind.CONFIRMED,
        Notification.Kind.PROMOTED,
        Notification.Kind.RESCHEDULED,
        Notification.Kind.UPDATED,
    ):
        return ics.REQUEST
    if kind == Notification.Kind.CANCELLED:
        # Only someone who had a seat (and so an invite) needs the CANCEL.
        return ics.CANCEL if payload.get("was", Registration.Status.CONFIRMED) == "confirmed" else None
    if kind == Notification.Kind.SESSION_CANCELLED:
        return ics.CANCEL if payload.get("invite", True) else None
    if kind == Notification.Kind.WAITLISTED and payload.get("demoted"):
        return ics.CANCEL
    return None


def _superseded(notification: Notification) -> bool:
    # A retried row must not overwrite a newer state a calendar already has.
    registration = notification.registration
    return (
        Notification.objects.filter(
            superseded_filter(registration_ids=[registration.pk], session_id=notification.session_id),
            id__gt=notification.pk,
        )
        .exclude(state=Notification.State.SKIPPED)
        .exists()
    )


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


def _registration_email(notification: Notification) -> EmailMultiAlternatives | None:
    # Everything, the context's dates and zone names included, in the recipient's language.
    with translation.override(notification.language or "nb"):
        return _registration_email_in_language(notification)


def _registration_email_in_language(notification: Notification) -> EmailMultiAlternatives | None:
    registration = notification.registration
    if registration is None:
        return None
    kind = notification.kind
    if kind in (Notification.Kind.REMINDER, Notification.Kind.FOLLOWUP) and not _still_relevant(notification):
        return None
    if kind == Notification.Kind.OPTIN and registration.status != Registration.Status.PENDING:
        return None
    method = invite_method(notification)
    if kind in INVITE_KINDS and _superseded(notification):
        return None
    context = registration_context(notification)
    if kind == Notification.Kind.OPTIN:
        context["optin_url"] = site_url("registration_optin", notification.payload.get("optin_token", ""))
    if kind == Notification.Kind.WAITLISTED:
        context["position"] = waitlist_position(registration)
    if kind == Notification.Kind.FOLLOWUP:
        link = _join_links(registration).get(notification.session_id)
        context["attended"] = bool(link and link.first_joined_at)
    if kind == Notification.Kind.MESSAGE:
        context["message"] = notification.message
        context["show_join"] = registration.status == Registration.Status.CONFIRMED
    headers = {}
    if kind == Notification.Kind.REMINDER:
        unsubscribe = site_url("reminders_unsubscribe", registration.manage_token)
        context["unsubscribe_url"] = unsubscribe
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        context["offset_text"] = offset_text(notification.reminder_offset or 0, notification.language)
    personal, cache_key = _personalise(notification, context)
    email = render_email(
        notification,
        template=kind,
        context=context,
        office=context["office"],
        to_name=registration.name,
        headers=headers,
        personal=personal,
        cache_key=cache_key,
        raw=method is None,
    )
    for item in context["items"]:
        item["join_url"] = personal.get(f"join{item['session'].pk}", "")
    if method and context["items"]:
        with translation.override(notification.language or "nb"):
            description = _("%(title)s – %(office)s") % {
                "title": context["offering"].title,
                "office": context["office"].short_name or context["office"].name,
            }
        calendar = ics.invite_calendar(
            registration,
            [item["session"] for item in context["items"]],
            method=method,
            join_urls={item["session"].pk: item["join_url"] for item in context["items"]},
            description=description,
            office=context["office"],
        )
        attach_invite(email, calendar, method=method)
    return email


def _personalise(notification: Notification, context: dict) -> tuple[dict[str, str], tuple]:
    """Swap the per-recipient values in `context` for sentinels; return them and the cache key
    naming everything else the rendered text depends on."""
    registration = notification.registration
    personal = {"name": context["name"], "manage": context["manage_url"]}
    context["name"], context["manage_url"] = _sentinel("name"), _sentinel("manage")
    for optional in ("unsubscribe_url", "optin_url"):
        if context.get(optional):
            personal[optional] = context[optional]
            context[optional] = _sentinel(optional)
    links = []
    for item in context["items"]:
        if item["join_url"]:
            key = f"join{item['session'].pk}"
            personal[key], item["join_url"] = item["join_url"], _sentinel(key)
        links.append(bool(item["join_url"]))
    cache_key = (
        notification.session_id,
        registration.offering_id,
        registration.status,
        bool(registration.user_id),
        notification.reminder_offset,
        notification.message_id,
        tuple(links),
        tuple(sorted((k, str(v)) for k, v in (notification.payload or {}).items())),
        context.get("attended"),
        context.get("position"),
    )
    return personal, cache_key


def offset_text(minutes: int, language: str = "nb") -> str:
    """How long before the start a reminder goes out: "1 døgn", "2 timer", "30 minutter"."""
    from django.utils.translation import ngettext

    with translation.override(language or "nb"):
        if minutes and minutes % 1440 == 0:
            days = minutes // 1440
            return ngettext("%(n)d døgn", "%(n)d døgn", days) % {"n": days}
        if minutes and minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours}
        return ngettext("%(n)d minutt", "%(n)d minutter", minutes) % {"n": minutes}


register_builder(Notification.Kind.ACCOUNT, _account)
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
    register_builder(_kind, _registration_email)
