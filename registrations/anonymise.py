"""Anonymising registrations: what an erasure and the retention task both do to the rows.

An anonymised registration keeps what the offices count (its offering, status, times,
revision, its join links' attendance, and the role and county the person gave: docs/privacy.md) and loses everything that names a person: name,
answers, account, tokens (new random ones, so an old email's links lead nowhere), and the
address and payload of every outbox row about it. Its address stays only while a
cancellation email to it still waits in the outbox (an erasure cancels future registrations
first, and the CANCEL invite must reach the calendar that holds the event); `erasure_complete`,
run after every outbox sweep and by the retention task, removes it once nothing waits.

The organiser messages of their offerings (subject and body, free text an organiser wrote)
lose every mention of the person's name and address (`messages_redact`), so a "thank you,
Kari Nordmann" sent to everyone does not keep her name after she is forgotten.

Only the models are imported here, so the outbox sweep's task can call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from registrations.models import JoinLink, Message, Notification, Registration, new_token
from registrations.signals import registrations_anonymised

BATCH = 500
# What a redacted name or address becomes in an organiser's message. Written into the stored
# text, so in the language the offices write in.
REDACTED = "[slettet]"


def redaction_pattern(texts: Iterable[str]) -> re.Pattern | None:
    """One pattern for every name and address in `texts`: whole words only, any case, any
    whitespace between a name's words (a line break in a message). A name of one letter is
    left alone; a short one-word name is redacted wherever it stands as a word, which may
    take an ordinary word with it: erasing too much of a message is the lesser harm."""
    parts = set()
    for text in texts:
        words = (text or "").split()
        if words and len("".join(words)) >= 2:
            parts.add(r"\s+".join(re.escape(word) for word in words))
    if not parts:
        return None
    # The longest first, so "Kari Nordmann" is taken whole before "Kari" could be.
    alternatives = "|".join(sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def messages_redact(*, offering_ids: Iterable[int], texts: Iterable[str]) -> int:
    """Replace every mention of `texts` (names, addresses) in the subject and body of the
    organiser messages of these offerings by REDACTED. Returns how many messages changed."""
    pattern = redaction_pattern(texts)
    offering_ids = set(offering_ids)
    if pattern is None or not offering_ids:
        return 0
    changed = []
    for message in Message.objects.filter(offering_id__in=offering_ids).only("pk", "subject", "body"):
        subject, body = pattern.sub(REDACTED, message.subject), pattern.sub(REDACTED, message.body)
        if (subject, body) != (message.subject, message.body):
            message.subject, message.body = subject, body
            changed.append(message)
    Message.objects.bulk_update(changed, ["subject", "body"])
    return len(changed)


def notifications_blank(rows) -> int:
    """Blank the address, context and last SMTP error of outbox rows; one still waiting is
    not sent any more (skipped). A row a sweep is sending right now keeps its claim."""
    return rows.update(
        to_email="",
        payload={},
        last_error="",
        state=Case(When(state=Notification.State.PENDING, then=Value(Notification.State.SKIPPED)), default=F("state")),
    )


def registrations_anonymise(
    *, registration_ids: list[int], now: datetime | None = None, also_redact: Iterable[str] = ()
) -> int:
    """Anonymise these registrations (already anonymised ones too: harmless). Returns how
    many were changed. Their pending cancellation emails are kept, with the address. The
    messages of their offerings lose the names and addresses, and `also_redact` (an
    account's own name and address)."""
    also_redact = list(also_redact)
    now = now or timezone.now()
    changed = 0
    for start in range(0, len(registration_ids), BATCH):
        ids = registration_ids[start : start + BATCH]
        with transaction.atomic():
            cancellations = Notification.objects.filter(
                registration_id__in=ids, state=Notification.State.PENDING, kind=Notification.Kind.CANCELLED
            )
            waiting = set(cancellations.values_list("registration_id", flat=True))
            notifications_blank(
                Notification.objects.filter(registration_id__in=ids).exclude(pk__in=cancellations.values("pk"))
            )
            registrations = list(
                Registration.objects.select_for_update().filter(pk__in=ids).only("pk", "email", "name", "offering_id")
            )
            messages_redact(
                offering_ids={r.offering_id for r in registrations},
                texts=[*also_redact, *(r.name for r in registrations), *(r.email for r in registrations)],
            )
            for registration in registrations:
                registration.name = ""
                registration.answers = {}
                registration.user = None
                registration.optin_token = ""
                registration.optin_expires_at = None
                registration.manage_token = new_token()
                registration.erased_at = now
                if registration.pk not in waiting:
                    registration.email = ""
            Registration.objects.bulk_update(
                registrations,
                ["name", "answers", "user", "optin_token", "optin_expires_at", "manage_token", "erased_at", "email"],
            )
            links = list(JoinLink.objects.filter(registration_id__in=ids).only("pk", "revoked_at"))
            for link in links:
                link.token = new_token()
                link.revoked_at = link.revoked_at or now
            JoinLink.objects.bulk_update(links, ["token", "revoked_at"])
            registrations_anonymised.send(sender=Registration, registration_ids=ids, now=now)
            changed += len(registrations)
    return changed


def erasure_complete() -> int:
    """Remove the last address of erased registrations whose cancellation emails are done
    (sent, failed or skipped). Cheap when there are none (a partial index)."""
    waiting = Notification.objects.filter(registration=OuterRef("pk"), state=Notification.State.PENDING)
    done = list(
        Registration.objects.filter(erased_at__isnull=False)
        .exclude(email="")
        .exclude(Exists(waiting))
        .values_list("pk", flat=True)[:BATCH]
    )
    if not done:
        return 0
    with transaction.atomic():
        Registration.objects.filter(pk__in=done).update(email="")
        notifications_blank(Notification.objects.filter(registration_id__in=done))
    return len(done)
