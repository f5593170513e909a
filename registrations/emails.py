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

The sweeper builds thousands of rows at a time. It loads each row with
`BUILD_SELECT_RELATED` and calls `build_prefetch` per chunk; data lookups that are the same
for a whole batch (an offering's sessions, reversed URL patterns, "when" texts, compiled
templates) are kept by `batch_cached` while the batch is built (`build_batch`).
Rendered output is never cached: every email is rendered for its own recipient.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from registrations.models import Notification

Builder = Callable[[Notification], EmailMultiAlternatives | None]
Prefetch = Callable[[list[Notification]], None]
_BUILDERS: dict[str, Builder] = {}
_PREFETCHES: dict[str, Prefetch] = {}

# What the sweeper loads with each row, so that building needs no query per row.
BUILD_SELECT_RELATED = (
    "registration__offering__organisation",
    "registration__offering__course",
    "session__organisation",
    "message",
)

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
    """Let each kind's prefetch load what these rows need: one call per prefetch function."""
    groups: dict[Prefetch, list[Notification]] = {}
    for row in rows:
        prefetch = _PREFETCHES.get(row.kind)
        if prefetch is not None:
            groups.setdefault(prefetch, []).append(row)
    for prefetch, group in groups.items():
        prefetch(group)


@contextmanager
def build_batch() -> Iterator[None]:
    """The sweeper builds each batch inside this: data lookups are cached until it ends,
    so nothing cached outlives a batch's minute."""
    _batch.cache = {}
    try:
        yield
    finally:
        _batch.cache = None


def batch_cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()`, looked up once per batch under `key` (data, never rendered output).
    Outside a batch (one email built on its own) it is computed every time."""
    cache = getattr(_batch, "cache", None)
    if cache is None:
        return compute()
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = compute()
        return value


# ---------------------------------------------------------------- addresses and links


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


class PlatformEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries the iTIP method in its Content-Type."""

    calendar_method = ""

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
