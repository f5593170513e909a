"""Delivery: claim due outbox rows, build and send them, and retry what failed.

The Celery task `registrations.tasks.outbox_sweep` runs `outbox_deliver_batch` and then
`outbox_sweep` (every minute from the beat, and after commits as a fast path).

Claiming: each sweep takes a lease on a batch of due rows. On PostgreSQL the rows
are picked with `SELECT … FOR UPDATE SKIP LOCKED` so concurrent sweepers never wait
for or share a row; elsewhere a conditional UPDATE (compare-and-set) claims them and
only the rows whose `claimed_by` carries this sweep's unique token are delivered.
A worker that dies mid-batch leaves its lease to expire; the rows are then claimed
again. While a batch is being sent its lease is renewed chunk by chunk, and every
write is conditional on `claimed_by` still being ours, so a slow sweeper never sends a
row another sweeper has taken over. The only duplicate window is a crash between the
SMTP server accepting a message and the row being marked sent (at most one chunk).

An account email's payload (a sealed one-time link) is wiped in the same UPDATE that marks
its row sent, skipped or failed: nothing of it rests once the row is done.

Sending: each row is built by the one message builder (registrations/emails.py) and sent
over the batch's one SMTP connection. A 5xx about the recipient or message fails the row;
a 4xx about one message retries that row later; connection trouble releases the rest of
the batch for a retry with exponential backoff (`retry_delay`).
"""

from __future__ import annotations

import logging
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Case, F, JSONField, Q, Value, When
from django.utils import timezone

from accounts.addresses import address_for_mail, smtputf8_offered
from registrations.anonymise import erasure_complete
from registrations.emails import BUILD_SELECT_RELATED, build_batch, build_message, build_prefetch
from registrations.models import Notification

logger = logging.getLogger(__name__)

# Rows sent per chunk: the lease is renewed and the sent rows are written once per chunk.
CHUNK_SIZE = 50


def _due_filter(now: datetime) -> Q:
    return Q(state=Notification.State.PENDING, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _lease_until() -> datetime:
    return timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def outbox_claim(*, limit: int, worker: str = "") -> tuple[str, list[int]]:
    """Lease up to `limit` due rows for this caller; returns (claim token, ids)."""
    now = timezone.now()
    token = f"{worker or socket.gethostname()}:{uuid.uuid4().hex[:12]}"[:100]
    lease = _lease_until()
    with transaction.atomic():
        due = Notification.objects.filter(_due_filter(now)).order_by("due_at", "id")
        if connection.vendor == "postgresql":
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            if ids:
                Notification.objects.filter(id__in=ids).update(
                    claimed_until=lease, claimed_by=token, attempts=F("attempts") + 1
                )
            return token, ids
        # Compare-and-set: the WHERE re-checks that the row is still unclaimed.
        candidate_ids = list(due.values_list("id", flat=True)[:limit])
        if candidate_ids:
            Notification.objects.filter(_due_filter(now), id__in=candidate_ids).update(
                claimed_until=lease, claimed_by=token, attempts=F("attempts") + 1
            )
    if not candidate_ids:
        return token, []
    ids = list(
        Notification.objects.filter(id__in=candidate_ids, claimed_by=token)
        .order_by("due_at", "id")
        .values_list("id", flat=True)
    )
    return token, ids


def retry_delay(attempts: int) -> timedelta:
    # Exponential backoff: 1, 2, 4, 8 … minutes (with the default base), capped at 6 hours.
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


class SMTPUTF8Unavailable(Exception):
    """The message carries an address with a non-ASCII local part and the server does not
    offer SMTPUTF8: it is not sent at all, since any other spelling is another address."""


def is_permanent(exc: Exception) -> bool:
    """A 5xx answer about this recipient or message, or an address this server cannot carry:
    retrying will not help."""
    if isinstance(exc, SMTPUTF8Unavailable):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return False  # our own From is refused: a configuration problem, retried until fixed
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _is_message_level(exc: Exception) -> bool:
    # A 4xx about one message or recipient (greylisting, mailbox full): retry that one later,
    # keep the connection for the rest of the batch. Anything else is connection trouble.
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        return True
    return False


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: SweepResult) -> None:
        for name in ("claimed", "sent", "retried", "failed", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def _chunk_rows(ids: list[int], token: str) -> list[Notification]:
    # Only rows still ours and still pending: reminders_drop may have deleted some,
    # and a row whose lease another sweeper took over is no longer ours to send.
    rows = list(
        Notification.objects.filter(id__in=ids, claimed_by=token, state=Notification.State.PENDING)
        .select_related(*BUILD_SELECT_RELATED)
        .order_by("due_at", "id")
    )
    build_prefetch(rows)
    return rows


def outbox_deliver_batch(*, limit: int | None = None, worker: str = "") -> SweepResult:
    """Claim one batch and deliver it over a single SMTP connection."""
    result = SweepResult()
    token, ids = outbox_claim(limit=limit or settings.OUTBOX_BATCH_SIZE, worker=worker)
    result.claimed = len(ids)
    if not ids:
        return result
    smtp = get_connection()
    try:
        smtp.open()
    except Exception as exc:
        _reschedule(ids, token, exc, result)
        return result
    try:
        with build_batch():
            _send_batch(smtp, ids, token, result)
    finally:
        try:
            smtp.close()
        except Exception:
            pass
    return result


def _send(smtp, email, notification: Notification) -> None:
    """Send one message on the batch's connection. Over SMTP the message's bytes go to
    smtplib as Django's backend would send them, without its second parse of both addresses
    by the email package's full header parser, the largest cost left per message, and
    without its `sanitize_address`, which would rewrite a non-ASCII local part into another
    address. The envelope is the platform's sender and the row's recipient, each with its
    domain IDNA-encoded. A message with a non-ASCII local part (in the recipient or in a
    header) goes with the SMTPUTF8 option, and only to a server that offers it; elsewhere it
    fails for good (`SMTPUTF8Unavailable`). Errors are smtplib's otherwise, so the retry rules
    apply unchanged."""
    client = getattr(smtp, "connection", None)
    sender = address_for_mail(settings.DEFAULT_FROM_EMAIL)
    recipient = address_for_mail(notification.to_email)
    utf8 = not (sender + recipient).isascii() or getattr(email, "needs_smtputf8", False)
    if not isinstance(client, smtplib.SMTP):
        # The .eml and memory backends write the message as it is (they count as offering
        # SMTPUTF8); another backend would pass the addresses through sanitize_address.
        if utf8 and not smtputf8_offered():
            raise SMTPUTF8Unavailable(_smtputf8_reason(recipient))
        smtp.send_messages([email])
        return
    options: list[str] = []
    if utf8:
        client.ehlo_or_helo_if_needed()
        if not client.has_extn("smtputf8"):
            raise SMTPUTF8Unavailable(_smtputf8_reason(recipient))
        options = ["SMTPUTF8"]
    client.sendmail(sender, [recipient], email.message().as_bytes(linesep="\r\n"), mail_options=options)


def _smtputf8_reason(recipient: str) -> str:
    return (
        f"The message to {recipient} has an address with letters outside ASCII before the @ "
        "(its own or the office's contact address), and the mail server does not offer SMTPUTF8; "
        "it was not sent, because any other spelling is another address."
    )


def _send_batch(smtp, ids: list[int], token: str, result: SweepResult) -> None:
    """Build and send the batch chunk by chunk, writing each chunk's outcome."""
    remaining = list(ids)
    while remaining:
        chunk, remaining = remaining[:CHUNK_SIZE], remaining[CHUNK_SIZE:]
        if remaining:
            # Renew the lease of the rest of the batch before the slow part.
            Notification.objects.filter(id__in=remaining, claimed_by=token).update(claimed_until=_lease_until())
        sent_ids: list[int] = []
        skipped_ids: list[int] = []
        try:
            for notification in _chunk_rows(chunk, token):
                try:
                    email = build_message(notification)
                except Exception as exc:  # a broken template must not block the batch
                    logger.exception("Could not build notification %s", notification.id)
                    _fail(notification.id, token, f"build: {exc}")
                    result.failed += 1
                    continue
                if email is None:  # obsolete (superseded, no longer confirmed, session over)
                    skipped_ids.append(notification.id)
                    continue
                try:
                    _send(smtp, email, notification)
                except Exception as exc:
                    if is_permanent(exc):
                        _fail(notification.id, token, _reason(exc))
                        result.failed += 1
                        if not isinstance(exc, smtplib.SMTPRecipientsRefused | SMTPUTF8Unavailable):
                            _reset(smtp)
                        continue
                    if _is_message_level(exc):
                        _reschedule([notification.id], token, exc, result, connection_trouble=False)
                        continue
                    # Connection trouble: this one and the rest of the batch retry later.
                    _flush(sent_ids, skipped_ids, token, result=result)
                    unsent = [n.id for n in _pending_of(chunk + remaining, token)]
                    _reschedule(unsent, token, exc, result)
                    return
                sent_ids.append(notification.id)
        finally:
            _flush(sent_ids, skipped_ids, token, result=result)


def _pending_of(ids: list[int], token: str):
    return Notification.objects.filter(id__in=ids, claimed_by=token, state=Notification.State.PENDING).only("id")


def _reason(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:1000]


def _reset(smtp) -> None:
    try:
        smtp.close()
    except Exception:
        pass
    smtp.open()


# What a done row keeps of its payload: an account email's (its sealed link) is wiped.
_payload_left = Case(When(kind=Notification.Kind.ACCOUNT, then=Value({}, JSONField())), default=F("payload"))


def _flush(sent_ids: list[int], skipped_ids: list[int], token: str, *, result: SweepResult) -> None:
    """Write a chunk's outcome in two UPDATEs, each conditional on the claim still being ours."""
    if sent_ids:
        result.sent += Notification.objects.filter(id__in=sent_ids, claimed_by=token).update(
            state=Notification.State.SENT,
            sent_at=timezone.now(),
            claimed_until=None,
            last_error="",
            payload=_payload_left,
        )
        sent_ids.clear()
    if skipped_ids:
        result.skipped += Notification.objects.filter(id__in=skipped_ids, claimed_by=token).update(
            state=Notification.State.SKIPPED, claimed_until=None, payload=_payload_left
        )
        skipped_ids.clear()


def _fail(notification_id: int, token: str, reason: str) -> None:
    Notification.objects.filter(id=notification_id, claimed_by=token).update(
        state=Notification.State.FAILED, last_error=reason[:1000], claimed_until=None, payload=_payload_left
    )


def _reschedule(
    ids: list[int], token: str, exc: Exception, result: SweepResult, *, connection_trouble: bool = True
) -> None:
    now = timezone.now()
    reason = _reason(exc)
    if connection_trouble:
        result.errors.append(reason)  # ends the sweep: the next one comes with the backoff
    for notification in Notification.objects.filter(id__in=ids, claimed_by=token).only("id", "attempts"):
        if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _fail(notification.id, token, reason)
            result.failed += 1
            continue
        Notification.objects.filter(id=notification.id, claimed_by=token).update(
            due_at=now + retry_delay(notification.attempts), claimed_until=None, last_error=reason
        )
        result.retried += 1


def outbox_sweep(*, max_batches: int = 1000, worker: str = "", max_seconds: float | None = None) -> SweepResult:
    """Deliver batches until nothing is due, a batch hit connection trouble, or time is up."""
    total = SweepResult()
    started = time.monotonic()
    for _ in range(max_batches):
        batch = outbox_deliver_batch(worker=worker)
        total.add(batch)
        if batch.claimed == 0 or batch.errors:
            break
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break
    if total.claimed:
        # An erased person's address goes once their cancellation emails are done.
        erasure_complete()
    return total


def outbox_has_due() -> bool:
    return Notification.objects.filter(_due_filter(timezone.now())).exists()
