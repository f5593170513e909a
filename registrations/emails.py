"""The one message builder: every email is a subject, a text body and an HTML body.

A kind's templates are `<template>-subject.txt`, `<template>-body.txt` and
`<template>-body.html` (registrations/templates/registrations/email/<kind>-…,
library/templates/library/email/recording-…). `render_email` renders them with the kind's
own context in the recipient's language and builds a `PlatformEmail` sent "<office> via
Musikkhjemmekontoret <DEFAULT_FROM_EMAIL>", with Reply-To the office, a stable Message-ID
and `Auto-Submitted`. An invite is attached with `attach_invite`.

Each app registers the builder of its kinds: `register_builder(kind, build, prefetch=…)`,
where `build(notification) -> EmailMultiAlternatives | None` (None = obsolete, the row is
marked skipped) and the optional `prefetch(rows)` loads what a chunk of rows needs in a few
queries. registrations/email_kinds.py builds this app's kinds, library/emails.py the
recording follow-up.

The sweeper builds thousands of rows at a time. It loads each row with its registration
(`BUILD_SELECT_RELATED`) and calls `build_prefetch` per chunk. Data that is the same for a
whole batch (offerings, sessions and messages the rows share, an offering's sessions,
reversed URL patterns, "when" texts, compiled templates) is looked up once per batch and
kept while the batch is built (`build_batch`, `batch_cached`).
Rendered output is never cached: every email is rendered for its own recipient.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from email.charset import BASE64, Charset
from email.header import Header
from email.headerregistry import Address
from email.utils import formataddr
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db.models import QuerySet
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from accounts.addresses import address_for_mail, address_split, domain_ascii
from registrations.models import Message, Notification
from webinars.models import Offering, Session

Builder = Callable[[Notification], EmailMultiAlternatives | None]
Prefetch = Callable[[list[Notification]], None]
_BUILDERS: dict[str, Builder] = {}
_PREFETCHES: dict[str, Prefetch] = {}

# What the sweeper loads with each row. The objects many rows share (the offering with its
# office and course, the session, the organiser's message) come from `build_prefetch`.
BUILD_SELECT_RELATED = ("registration",)

# Data lookups of the batch being built (see `build_batch`); per thread, as sweepers may be.
_batch = threading.local()


def register_builder(kind: str, build: Builder, *, prefetch: Prefetch | None = None) -> None:
    """Let an app build the emails of one of its kinds (the library: recordings)."""
    _BUILDERS[kind] = build
    if prefetch is not None:
        _PREFETCHES[kind] = prefetch


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    build = _BUILDERS.get(notification.kind)
    if build is None:
        raise ValueError(f"No email builder for notification kind {notification.kind!r}")
    return build(notification)


def build_prefetch(rows: list[Notification]) -> None:
    """Give a chunk's rows the objects they share, each loaded once per batch (a reminder to
    10,000 people loads its offering and session once, not once per row), then let each
    kind's prefetch load what its rows need: one call per prefetch function."""
    _attach(rows, "session", Session.objects.all())
    _attach(rows, "message", Message.objects.all())
    registrations = [row.registration for row in rows if row.registration_id]
    _attach(registrations, "offering", Offering.objects.select_related("organisation", "course"))
    groups: dict[Prefetch, list[Notification]] = {}
    for row in rows:
        prefetch = _PREFETCHES.get(row.kind)
        if prefetch is not None:
            groups.setdefault(prefetch, []).append(row)
    for prefetch, group in groups.items():
        prefetch(group)


def _attach(objects: list, field: str, queryset: QuerySet) -> None:
    """Set `field` on each object from the batch's objects, loading those not loaded yet in
    one query."""
    ids = {getattr(obj, f"{field}_id") for obj in objects} - {None}
    if not ids:
        return
    cache = _batch_cache()
    if cache is None:
        cache = {}
    model = queryset.model
    missing = [pk for pk in ids if (model, pk) not in cache]
    if missing:
        for loaded in queryset.filter(pk__in=missing):
            cache[(model, loaded.pk)] = loaded
    for obj in objects:
        pk = getattr(obj, f"{field}_id")
        if pk is not None and (model, pk) in cache:
            setattr(obj, field, cache[(model, pk)])


@contextmanager
def build_batch() -> Iterator[None]:
    """The sweeper builds each batch inside this: data lookups are cached until it ends,
    so nothing cached outlives a batch's minute."""
    _batch.cache = {}
    try:
        yield
    finally:
        _batch.cache = None


def _batch_cache() -> dict | None:
    return getattr(_batch, "cache", None)


def batch_cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()`, looked up once per batch under `key` (data, never rendered output).
    Outside a batch (one email built on its own) it is computed every time."""
    cache = _batch_cache()
    if cache is None:
        return compute()
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = compute()
        return value


# ---------------------------------------------------------------- addresses and links


# Control characters (C0 and DEL) become spaces.
_CONTROL_TO_SPACE = {**{code: " " for code in range(32)}, 0x7F: " "}


def header_text(value: str, limit: int = 200) -> str:
    """One line, no control characters: CR/LF in a name must never reach a header."""
    return " ".join(str(value).translate(_CONTROL_TO_SPACE).split())[:limit]


def message_id(notification: Notification) -> str:
    # Stable per notification: a resend after a crash carries the same Message-ID, so
    # receiving servers (and the delivery tests) can recognise the duplicate.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{notification.pk}".encode()).hexdigest()[:16]
    return f"<n{notification.pk}.{digest}@{domain_ascii(settings.DEFAULT_FROM_EMAIL.rsplit('@', 1)[-1])}>"


# Base64 encoded words for non-ASCII header text. Django registers UTF-8 as "shortest", which
# makes the email package weigh both encodings character by character for each such header of
# each message (bench/reminder_fanout.py: a tenth of a reminder's cost).
_UTF8_BASE64 = Charset("utf-8")
_UTF8_BASE64.header_encoding = BASE64


@lru_cache(maxsize=4096)
def encoded_words(value: str) -> str:
    """`value` as RFC 2047 encoded words when it is not ASCII (ASCII as it is), on one line:
    the generator folds between the words. A pure function, memoised: a batch's subjects and
    senders repeat."""
    if value.isascii():
        return value
    return Header(value, _UTF8_BASE64).encode(linesep=" ")


def from_address(office) -> str:
    sender = address_for_mail(settings.DEFAULT_FROM_EMAIL)
    if office is None:
        return formataddr((encoded_words(settings.PLATFORM_NAME), sender))
    name = header_text(office.short_name or office.name, 60)
    return formataddr((encoded_words(f"{name} via {settings.PLATFORM_NAME}"), sender))


def to_address(name: str, email: str) -> str:
    """A mailbox for a header: the name as encoded words, the address with its domain
    IDNA-encoded (`address_for_mail`; raises `UndeliverableAddress` when it has no such form).
    A non-ASCII local part stays as it is: `PlatformEmail.message` writes that header as
    UTF-8, and only a server offering SMTPUTF8 gets it (registrations/delivery.py)."""
    name, email = header_text(name, 100), address_for_mail(header_text(email, 254))
    if email.isascii():
        return formataddr((encoded_words(name), email)) if name else email
    local, domain = address_split(email)
    return str(Address(display_name=encoded_words(name), username=local, domain=domain))


def site_url(name: str, *args) -> str:
    """SITE_URL + reverse(name, args); the URL pattern is resolved once per batch."""
    pattern = batch_cached(("url", name, len(args)), lambda: _url_pattern(name, len(args)))
    if pattern is None:
        return settings.SITE_URL + "/"
    for i, arg in enumerate(args):
        pattern = pattern.replace(f"__arg{i}__", str(arg))
    return pattern


def _url_pattern(name: str, arity: int) -> str | None:
    try:
        return settings.SITE_URL + reverse(name, args=[f"__arg{i}__" for i in range(arity)])
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------- rendering and building


def _template(name: str):
    return batch_cached(("template", name), lambda: get_template(name))


def render_parts(template: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """(subject, text, html) from `<template>-subject.txt`, `-body.txt`, `-body.html`."""
    with translation.override(language):
        subject = header_text(_template(f"{template}-subject.txt").render(context), 250)
        text = _template(f"{template}-body.txt").render(context)
        html = _template(f"{template}-body.html").render(context)
    return subject, text, html


def email_new(
    notification: Notification,
    *,
    subject: str,
    text: str,
    html: str,
    office,
    to_name: str = "",
    headers: dict | None = None,
) -> PlatformEmail:
    """The message every email is: From the office via the platform, Reply-To the office,
    a stable Message-ID; the text body with the HTML as its alternative."""
    all_headers = {"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"}
    if office is not None and office.contact_email:
        all_headers["Reply-To"] = to_address(office.short_name or office.name, office.contact_email)
    all_headers.update(headers or {})
    email = PlatformEmail(
        subject=header_text(subject, 250),
        body=text,
        from_email=from_address(office),
        to=[to_address(to_name, notification.to_email)],
        headers=all_headers,
    )
    if html:
        email.attach_alternative(html, "text/html")
    return email


def render_email(
    notification: Notification,
    *,
    template: str,
    context: dict,
    office,
    to_name: str = "",
    headers: dict | None = None,
) -> PlatformEmail:
    """Render a kind's three templates in the recipient's language and build the message."""
    subject, text, html = render_parts(template, context, language=notification.language or settings.LANGUAGE_CODE)
    return email_new(
        notification, subject=subject, text=text, html=html, office=office, to_name=to_name, headers=headers
    )


# The address headers `to_address` fills; Django's own code rewrites them (below).
UTF8_ADDRESS_HEADERS = ("To", "Reply-To")


class PlatformEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries the iTIP method in its Content-Type,
    and whose non-ASCII local parts stay what they are."""

    calendar_method = ""

    @property
    def needs_smtputf8(self) -> bool:
        """True when an address in its headers has a non-ASCII local part: only a server
        offering SMTPUTF8 may get it."""
        return any(not value.isascii() for value in self._address_headers().values())

    def _address_headers(self) -> dict[str, str]:
        values = {"To": ", ".join(self.to), "Reply-To": self.extra_headers.get("Reply-To", "")}
        return {name: value for name, value in values.items() if value}

    def message(self):
        # Each multipart gets its boundary here, a random 128-bit token: left unset, the email
        # package makes one and compiles a new regular expression per message to check the
        # body against it, which cost more than building the rest of the message.
        # The subject stays plain text on the object (a kind may add to it); the header gets
        # it as encoded words.
        subject, self.subject = self.subject, encoded_words(self.subject)
        try:
            message = super().message()
        finally:
            self.subject = subject
        for part in message.walk():
            if part.is_multipart():
                part.set_boundary(f"==mhk{secrets.token_hex(16)}==")
        # Django's sanitize_address turns a non-ASCII local part into an encoded word
        # (`=?utf-8?b?w6VzZQ==?=@example.no`), which is another address. Such a header is
        # written as UTF-8 (RFC 6532) instead: stored with surrogate escapes, the generator
        # writes its bytes as they are. `replace_header` stores it without Django's rewrite.
        for name, value in self._address_headers().items():
            if not value.isascii():
                message.replace_header(name, value.encode("utf-8").decode("ascii", "surrogateescape"))
        return message

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/calendar" and isinstance(content, str):
            part = SafeMIMEText(content, "calendar", "utf-8")
            part.set_param("method", self.calendar_method)
            return part
        return super()._create_mime_attachment(content, mimetype)


def attach_invite(email: PlatformEmail, calendar: bytes, *, method: str) -> None:
    """text/calendar inside multipart/alternative, and the same .ics as an attachment."""
    email.calendar_method = method
    email.attach_alternative(calendar.decode("utf-8"), "text/calendar")
    email.attach("invite.ics", calendar, "application/ics")
