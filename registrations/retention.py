"""Forgetting on time: the retention task beat runs every RETENTION_RUN_SECONDS.

Each step is a few set-based statements and safe to run twice; the run records what it did,
in counts, as a PrivacyRecord the admin lists. The periods are settings (README's variable
table; docs/privacy.md says why each exists):

- registrations of an offering whose last session ended RETENTION_REGISTRATION_DAYS ago are
  anonymised (registrations/anonymise.py): the office keeps counts and attendance;
- outbox rows sent or skipped RETENTION_OUTBOX_SENT_DAYS ago, and failed ones
  RETENTION_OUTBOX_FAILED_DAYS ago, lose their address, context and SMTP error (the row stays
  as a count: an organiser message's progress reads it);
- a guest's registration that was never confirmed is deleted RETENTION_PENDING_REGISTRATION_DAYS
  after its opt-in link expired;
- an account whose address was never verified and that never logged in is deleted
  RETENTION_UNVERIFIED_ACCOUNT_DAYS after sign-up (through `User.delete`, so the erasure
  receiver runs as for any deleted account);
- expired browser sessions are deleted, and erasures whose cancellation emails are done lose
  their last address (`erasure_complete`);
- the platform's records of its own actions are deleted in time too: PrivacyRecords
  RETENTION_PRIVACY_RECORDS_DAYS after they were written, ExportRecords (which name the
  organiser who exported) RETENTION_EXPORT_RECORDS_DAYS after the export.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session as BrowserSession
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import Membership, User
from registrations.anonymise import erasure_complete, notifications_blank, registrations_anonymise
from registrations.models import ExportRecord, Notification, PrivacyRecord, Registration
from webinars.models import Offering


def _days(n: int, now: datetime) -> datetime:
    return now - timedelta(days=n)


def registrations_expire(*, now: datetime) -> int:
    ended = (
        Offering.objects.annotate(last_end=Max("sessions__ends_at"))
        .filter(last_end__lt=_days(settings.RETENTION_REGISTRATION_DAYS, now))
        .values("pk")
    )
    ids = list(Registration.objects.not_erased().filter(offering__in=ended).values_list("pk", flat=True))
    return registrations_anonymise(registration_ids=ids, now=now)


def outbox_expire(*, now: datetime) -> int:
    sent_before = _days(settings.RETENTION_OUTBOX_SENT_DAYS, now)
    failed_before = _days(settings.RETENTION_OUTBOX_FAILED_DAYS, now)
    done = (
        Q(state=Notification.State.SENT, sent_at__lt=sent_before)
        | Q(state=Notification.State.SKIPPED, due_at__lt=sent_before)
        | Q(state=Notification.State.FAILED, due_at__lt=failed_before)
    )
    # A cancellation to an erased person keeps its address until erasure_complete takes it.
    return notifications_blank(Notification.objects.filter(done).exclude(to_email=""))


def pending_registrations_expire(*, now: datetime) -> int:
    # A pending registration holds no seat and was never confirmed: nothing to count.
    _, deleted = Registration.objects.filter(
        status=Registration.Status.PENDING,
        optin_expires_at__lt=_days(settings.RETENTION_PENDING_REGISTRATION_DAYS, now),
    ).delete()
    return deleted.get(Registration._meta.label, 0)


def unverified_accounts_expire(*, now: datetime) -> int:
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    unverified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=False)
    users = (
        User.objects.filter(
            date_joined__lt=_days(settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS, now),
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
        )
        # Only sign-ups allauth is waiting on: an account made in the admin has no address row.
        .filter(Exists(unverified))
        .exclude(Exists(verified))
        .exclude(Exists(Membership.objects.filter(user=OuterRef("pk"))))
    )
    count = 0
    for user in users[:500]:
        user.delete()
        count += 1
    return count


def records_expire(*, now: datetime) -> dict[str, int]:
    """The logs of what the platform did: a run's own record is written after this, so the
    newest record always says what the last purge removed."""
    privacy, _ = PrivacyRecord.objects.filter(
        created_at__lt=_days(settings.RETENTION_PRIVACY_RECORDS_DAYS, now)
    ).delete()
    exports, _ = ExportRecord.objects.filter(created_at__lt=_days(settings.RETENTION_EXPORT_RECORDS_DAYS, now)).delete()
    return {"privacy_records_deleted": privacy, "export_records_deleted": exports}


def retention_run(*, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    counts = {
        "registrations_anonymised": registrations_expire(now=now),
        "pending_registrations_deleted": pending_registrations_expire(now=now),
        "outbox_rows_blanked": outbox_expire(now=now),
        "unverified_accounts_deleted": unverified_accounts_expire(now=now),
        "sessions_deleted": BrowserSession.objects.filter(expire_date__lt=now).delete()[0],
        "erasures_completed": erasure_complete(),
        **records_expire(now=now),
    }
    if any(counts.values()):
        PrivacyRecord.objects.create(kind=PrivacyRecord.Kind.RETENTION, created_at=now, counts=counts)
    return counts
