"""The outbox: the database is the queue for every email.

A change writes its Notification rows in the same transaction (`notification_enqueue`).
After commit we nudge a Celery worker (`outbox_sweep` on the `mail` queue) as a fast
path only; the beat runs the same sweep every minute, so an email is never lost when
the broker is down and never depends on Celery ETA/countdown.

Claiming: each sweep takes a lease on a batch of due rows. On PostgreSQL the rows
are picked with `SELECT … FOR UPDATE SKIP LOCKED` so concurrent sweepers never wait
for or share a row; elsewhere a conditional UPDATE (compare-and-set) claims them and
only the rows whose `claimed_by` carries this sweep's unique token are delivered.
A worker that dies mid-batch leaves its lease to expire; the rows are then claimed
again. The only duplicate window is a crash between the SMTP server accepting a
message and the row being marked sent.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from registrations.models import Notification

logger = logging.getLogger(__name__)


def notification_enqueue(
    *,
    kind: str,
    to_email: str,
    language: str = "nb",
    registration=None,
    session=None,
    message=None,
    reminder_offset: int | None = None,
    payload: dict | None = None,
    due_at: datetime | None = None,
) -> Notification:
    """Write one outbox row; call inside the transaction that causes the email."""
    notification = Notification.objects.create(
        kind=kind,
        to_email=to_email,
        language=language if language in dict(settings.LANGUAGES) else "nb",
        registration=registration,
        session=session,
        message=message,
        reminder_offset=reminder_offset,
        payload=payload or {},
        due_at=due_at or timezone.now(),
    )
    if notification.due_at <= timezone.now():
        outbox_nudge_on_commit()
    return notification


def outbox_nudge_on_commit() -> None:
    transaction.on_commit(_nudge)


def _nudge() -> None:
    # Only a fast path: if the broker is down the sweeper delivers within a minute.
    from registrations.tasks import outbox_sweep

    try:
        outbox_sweep.apply_async(queue="mail", retry=False)
    except Exception as exc:  # kombu/redis raise many types; none may fail the request
        logger.warning("Could not nudge the mail worker (%s); the sweeper will deliver.", exc)


def _due_filter(now: datetime) -> Q:
    return Q(state=Notification.State.PENDING, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def outbox_claim(*, limit: int, worker: str = "") -> tuple[str, list[int]]:
    """Lease up to `limit` due rows for this caller; returns (claim token, ids)."""
    now = timezone.now()
    token = f"{worker or socket.gethostname()}:{uuid.uuid4().hex[:12]}"[:100]
    lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
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
        Notification.objects.filter(_due_filter(now), id__in=candidate_ids).update(
            claimed_until=lease, claimed_by=token, attempts=F("attempts") + 1
        )
    ids = list(Notification.objects.filter(claimed_by=token).order_by("due_at", "id").values_list("id", flat=True))
    return token, ids


def _retry_delay(attempts: int) -> timedelta:
    # 1, 2, 4, 8 … minutes, capped at 6 hours.
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def outbox_deliver_batch(*, limit: int | None = None, worker: str = "") -> SweepResult:
    """Claim one batch and deliver it over a single SMTP connection."""
    from registrations.emails import build_message

    result = SweepResult()
    token, ids = outbox_claim(limit=limit or settings.OUTBOX_BATCH_SIZE, worker=worker)
    result.claimed = len(ids)
    if not ids:
        return result
    notifications = (
        Notification.objects.filter(id__in=ids, claimed_by=token)
        .select_related("registration", "session", "message")
        .order_by("due_at", "id")
    )
    smtp = get_connection()
    sent_ids: list[int] = []
    done: set[int] = set()
    try:
        smtp.open()
    except Exception as exc:
        _reschedule(ids, token, exc, result)
        return result
    try:
        for notification in notifications.iterator(chunk_size=200):
            try:
                email = build_message(notification)
            except Exception as exc:  # a broken template must not block the batch
                logger.exception("Could not build notification %s", notification.id)
                _fail(notification.id, token, f"build: {exc}")
                done.add(notification.id)
                result.failed += 1
                continue
            if email is None:  # obsolete (superseded, registration gone): nothing to say
                Notification.objects.filter(id=notification.id, claimed_by=token).update(
                    state=Notification.State.SKIPPED, claimed_until=None
                )
                done.add(notification.id)
                result.skipped += 1
                continue
            try:
                smtp.send_messages([email])
            except Exception as exc:
                if _is_permanent(exc):
                    _fail(notification.id, token, str(exc))
                    done.add(notification.id)
                    result.failed += 1
                    if isinstance(exc, smtplib.SMTPRecipientsRefused):
                        continue  # the connection is still good for the next recipient
                    _reset(smtp)
                else:
                    # Connection trouble: this one and the rest of the batch retry later.
                    remaining = [n for n in ids if n not in done]
                    _flush_sent(sent_ids, token)
                    sent_ids = []
                    _reschedule(remaining, token, exc, result)
                    return result
                continue
            sent_ids.append(notification.id)
            done.add(notification.id)
            result.sent += 1
            if len(sent_ids) >= 50:
                _flush_sent(sent_ids, token)
                sent_ids = []
    finally:
        _flush_sent(sent_ids, token)
        try:
            smtp.close()
        except Exception:
            pass
    return result


def _reset(smtp) -> None:
    try:
        smtp.close()
    except Exception:
        pass
    smtp.open()


def _flush_sent(ids: list[int], token: str) -> None:
    if ids:
        Notification.objects.filter(id__in=ids, claimed_by=token).update(
            state=Notification.State.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
        )


def _fail(notification_id: int, token: str, reason: str) -> None:
    Notification.objects.filter(id=notification_id, claimed_by=token).update(
        state=Notification.State.FAILED, last_error=reason[:1000], claimed_until=None
    )


def _reschedule(ids: list[int], token: str, exc: Exception, result: SweepResult) -> None:
    now = timezone.now()
    reason = f"{exc.__class__.__name__}: {exc}"[:1000]
    result.errors.append(reason)
    for notification in Notification.objects.filter(id__in=ids, claimed_by=token).only("id", "attempts"):
        if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _fail(notification.id, token, reason)
            result.failed += 1
            continue
        Notification.objects.filter(id=notification.id, claimed_by=token).update(
            due_at=now + _retry_delay(notification.attempts), claimed_until=None, last_error=reason
        )
        result.retried += 1


def outbox_sweep(*, max_batches: int = 1000, worker: str = "") -> SweepResult:
    """Deliver batches until nothing is due (or `max_batches` is reached)."""
    total = SweepResult()
    for _ in range(max_batches):
        batch = outbox_deliver_batch(worker=worker)
        for name in ("claimed", "sent", "retried", "failed", "skipped"):
            setattr(total, name, getattr(total, name) + getattr(batch, name))
        total.errors.extend(batch.errors)
        if batch.claimed == 0 or batch.errors:
            break
    return total
