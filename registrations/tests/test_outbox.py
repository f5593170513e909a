"""The outbox against a real SMTP server: one connection per batch, leases, retries, failures."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from registrations.delivery import outbox_claim, outbox_sweep, retry_delay
from registrations.models import JoinLink, Notification
from registrations.outbox import enqueue, notification_new
from registrations.tests.factories import RegistrationFactory
from registrations.tests.smtpsink import Sink
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink():
    sink = Sink().start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
        OUTBOX_BATCH_SIZE=200,
    ):
        yield sink
    sink.stop()


def confirmations(n: int, office) -> list[Notification]:
    session = SessionFactory(organisation=office, capacity=None)
    rows = []
    for i in range(n):
        registration = RegistrationFactory(session=session, email=f"person{i}@example.no", name=f"Person {i}")
        JoinLink.objects.create(registration=registration, session=session)
        row = notification_new(kind="confirmed", registration=registration)
        enqueue(row)
        rows.append(row)
    return rows


def test_it_delivers_a_batch_over_one_connection(sink, office_a):
    confirmations(7, office_a)

    result = outbox_sweep()

    assert result.sent == 7
    assert sink.handler.sessions == 1
    assert len(sink.handler.messages) == 7
    assert len(set(sink.handler.message_ids())) == 7
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_a_refused_recipient_fails_with_the_reason_and_the_rest_are_delivered(sink, office_a):
    confirmations(3, office_a)
    sink.handler.refuse["person1@example.no"] = "550 5.1.1 Mailbox does not exist"

    result = outbox_sweep()

    assert (result.sent, result.failed) == (2, 1)
    failed = Notification.objects.get(state="failed")
    assert failed.to_email == "person1@example.no"
    assert "550" in failed.last_error and "Mailbox does not exist" in failed.last_error


def test_a_greylisted_recipient_is_retried_later_and_the_rest_are_delivered(sink, office_a):
    confirmations(3, office_a)
    sink.handler.refuse["person2@example.no"] = "451 4.7.1 Greylisted, try again"

    result = outbox_sweep()

    assert (result.sent, result.retried) == (2, 1)
    retry = Notification.objects.get(state="pending")
    assert retry.attempts == 1 and "451" in retry.last_error
    assert retry.due_at > timezone.now() + timedelta(seconds=50)

    del sink.handler.refuse["person2@example.no"]
    Notification.objects.filter(pk=retry.pk).update(due_at=timezone.now())
    assert outbox_sweep().sent == 1
    assert sorted(r[0][0] for r in sink.handler.messages).count("person2@example.no") == 1


def test_a_server_that_is_down_means_retry_with_exponential_backoff(sink, office_a):
    [row] = confirmations(1, office_a)
    sink.stop()

    delays = []
    for _ in range(3):
        before = timezone.now()
        result = outbox_sweep()
        assert result.retried == 1 and result.sent == 0
        row.refresh_from_db()
        delays.append(round((row.due_at - before).total_seconds() / 60))
        Notification.objects.filter(pk=row.pk).update(due_at=timezone.now())
    assert delays == [1, 2, 4]
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()

    sink.start()
    assert outbox_sweep().sent == 1
    assert len(sink.handler.messages) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 4)


def test_it_gives_up_after_the_last_attempt(sink, office_a, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    [row] = confirmations(1, office_a)
    sink.stop()
    outbox_sweep()
    Notification.objects.filter(pk=row.pk).update(due_at=timezone.now())
    outbox_sweep()
    row.refresh_from_db()
    assert row.state == "failed" and row.attempts == 2


def test_a_row_claimed_by_a_dead_worker_is_sent_after_its_lease(sink, office_a):
    confirmations(2, office_a)
    token, ids = outbox_claim(limit=10, worker="died")  # and then the worker died
    assert len(ids) == 2

    assert outbox_sweep().claimed == 0, "a live lease is respected"
    Notification.objects.filter(id__in=ids).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert outbox_sweep().sent == 2
    assert len(sink.handler.messages) == 2


def test_two_claims_never_share_a_row(office_a):
    confirmations(5, office_a)
    _, first = outbox_claim(limit=3)
    _, second = outbox_claim(limit=3)
    _, third = outbox_claim(limit=3)
    assert len(first) == 3 and len(second) == 2 and third == []
    assert not set(first) & set(second)


def test_a_future_row_waits(sink, office_a):
    [row] = confirmations(1, office_a)
    Notification.objects.filter(pk=row.pk).update(due_at=timezone.now() + timedelta(minutes=5))
    assert outbox_sweep().claimed == 0


def test_the_backoff_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert retry_delay(30) == timedelta(hours=6)
