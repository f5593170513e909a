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
again. While a batch is being sent its lease is renewed chunk by chunk, and every
write is conditional on `claimed_by` still being ours, so a slow sweeper never sends a
row another sweeper has taken over. The only duplicate window is a crash between the
SMTP server accepting a message and the row being marked sent (at most one chunk).

Invites: a newer calendar email for the same registration and session supersedes an
older one that is still pending (it is marked skipped), so calendars hear exactly the
latest state; the builder re-checks the same rule at send time for retried rows.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from config.rows import rows_insert
from registrations.models import Notification

logger = logging.getLogger(__name__)

# Kinds whose email carries an iTIP object (REQUEST or CANCEL) for the registration's sessions.
INVITE_KINDS = frozenset(
    {
        Notification.Kind.CONFIRMED,
        Notification.Kind.PROMOTED,
        Notification.Kind.RESCHEDULED,
        Notification.Kind.UPDATED,
        Notification.Kind.CANCELLED,
        Notification.Kind.SESSION_CANCELLED,
    }
)
# Rows sent per chunk: the lease is renewed and the sent rows are written once per chunk.
CHUNK_SIZE = 50


def notification_build(
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
    """One outbox row, not yet saved (see notification_enqueue and notifications_enqueue)."""
    return Notification(
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


def notification_enqueue(*, kind: str, registration=None, session=None, **fields) -> Notification:
    """Write one outbox row (the fields of notification_build); call inside the transaction
    that causes the email. A new invite first supersedes the pending ones it replaces."""
    if registration is not None and kind in INVITE_KINDS:
        invites_supersede(registration=registration, session=session)
    notification = notification_build(kind=kind, registration=registration, session=session, **fields)
    notifications_enqueue(notifications=[notification])
    return notification


def notifications_enqueue(*, notifications: list[Notification]) -> None:
    """Write outbox rows in one INSERT; call inside the transaction that causes them.

    Supersedes nothing: call it directly only for rows of a registration created in the same
    transaction, which has no earlier invite (notification_enqueue handles every other case).
    """
    if not notifications:
        return
    rows_insert(notifications)
    now = timezone.now()
    if any(row.due_at <= now for row in notifications):
        outbox_nudge_on_commit()


def superseded_filter(*, registration_ids, session_id: int | None, standalone_session_id: int | None = None) -> Q:
    """Invite rows of these registrations whose sessions a new invite for `session_id` covers.

    A row without a session covers every session of its registration; for a standalone
    registration that is the same calendar object as a row naming its session.
    """
    condition = Q(registration_id__in=registration_ids, kind__in=INVITE_KINDS)
    if session_id is None:
        return condition
    covered = Q(session_id=session_id)
    if standalone_session_id == session_id:
        covered |= Q(session__isnull=True)
    return condition & covered


def invites_supersede(*, registration, session=None) -> int:
    """Skip the pending, unclaimed invite emails a newer one for the same calendar object replaces."""
    now = timezone.now()
    return (
        Notification.objects.filter(
            superseded_filter(
                registration_ids=[registration.pk],
                session_id=session.pk if session is not None else None,
                standalone_session_id=registration.session_id,
            ),
            state=Notification.State.PENDING,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(state=Notification.State.SKIPPED, last_error="superseded", claimed_until=None)
    )


def outbox_nudge_on_commit() -> None:
    # One nudge per transaction is enough, however many rows it wrote.
    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is _nudge for entry in pending if len(entry) > 1):
        return
    transaction.on_commit(_nudge)


# Nudges are coalesced per process: at most one per NUDGE_SECONDS. Publishing to the
# broker costs about a millisecond of CPU per call, which a registration rush paid on
# every commit although one sweep delivers everything due. A commit inside the interval
# gets one trailing nudge at its end, so every commit is still followed by a sweep within
# about NUDGE_SECONDS; the beat's sweep stays the guarantee if the broker is away.
NUDGE_SECONDS = 1.0
_nudge_lock = threading.Lock()
_nudge_state: dict = {"last": float("-inf"), "timer": None}


def _nudge() -> None:
    with _nudge_lock:
        now = time.monotonic()
        wait = _nudge_state["last"] + NUDGE_SECONDS - now
        if wait > 0:
            if _nudge_state["timer"] is None:
                timer = threading.Timer(wait, _nudge_trailing)
                timer.daemon = True
                _nudge_state["timer"] = timer
                timer.start()
            return
        _nudge_state["last"] = now
    _nudge_send()


def _nudge_trailing() -> None:
    with _nudge_lock:
        _nudge_state["timer"] = None
        _nudge_state["last"] = time.monotonic()
    _nudge_send()


def _nudge_send() -> None:
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


def is_permanent(exc: Exception) -> bool:
    """A 5xx answer about this recipient or message: retrying will not help."""
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
    from registrations.emails import BUILD_SELECT_RELATED, build_prefetch

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
    from registrations.emails import build_cache_clear, build_message

    result = SweepResult()
    token, ids = outbox_claim(limit=limit or settings.OUTBOX_BATCH_SIZE, worker=worker)
    result.claimed = len(ids)
    if not ids:
        return result
    build_cache_clear()
    smtp = get_connection()
    try:
        smtp.open()
    except Exception as exc:
        _reschedule(ids, token, exc, result)
        return result
    remaining = list(ids)
    try:
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
                            if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                                _reset(smtp)
                            continue
                        if _is_message_level(exc):
                            _reschedule([notification.id], token, exc, result, connection_trouble=False)
                            continue
                        # Connection trouble: this one and the rest of the batch retry later.
                        _flush(sent_ids, skipped_ids, token, result=result)
                        sent_ids, skipped_ids = [], []
                        unsent = [n.id for n in _pending_of(chunk + remaining, token)]
                        _reschedule(unsent, token, exc, result)
                        return result
                    sent_ids.append(notification.id)
            finally:
                _flush(sent_ids, skipped_ids, token, result=result)
    finally:
        try:
            smtp.close()
        except Exception:
            pass
    return result


def _send(smtp, email, notification: Notification) -> None:
    """Send one message on the batch's connection.

    A message the builder already has in wire format (`PreparedEmail.raw`) goes straight to
    smtplib when the backend is SMTP: Django's backend would only re-parse its addresses.
    The envelope is the platform's sender and the row's recipient. Errors are smtplib's
    either way, so the retry rules below apply unchanged.
    """
    raw = getattr(email, "raw", None)
    client = getattr(smtp, "connection", None)
    if raw is None or client is None or not isinstance(client, smtplib.SMTP):
        smtp.send_messages([email])
        return
    client.sendmail(settings.DEFAULT_FROM_EMAIL, [notification.to_email.strip()], raw)


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


def _flush(sent_ids: list[int], skipped_ids: list[int], token: str, *, result: SweepResult) -> None:
    """Write a chunk's outcome in two UPDATEs, each conditional on the claim still being ours."""
    if sent_ids:
        result.sent += Notification.objects.filter(id__in=sent_ids, claimed_by=token).update(
            state=Notification.State.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
        )
        sent_ids.clear()
    if skipped_ids:
        result.skipped += Notification.objects.filter(id__in=skipped_ids, claimed_by=token).update(
            state=Notification.State.SKIPPED, claimed_until=None
        )
        skipped_ids.clear()


def _fail(notification_id: int, token: str, reason: str) -> None:
    Notification.objects.filter(id=notification_id, claimed_by=token).update(
        state=Notification.State.FAILED, last_error=reason[:1000], claimed_until=None
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
    return total


def outbox_has_due() -> bool:
    return Notification.objects.filter(_due_filter(timezone.now())).exists()
