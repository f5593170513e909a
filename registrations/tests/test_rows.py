"""registrations.rows.rows_insert: the hot path's prebuilt INSERT, checked against what the ORM
reads back (on whichever database the run uses: PostgreSQL in CI's first pass, SQLite in its second)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registrations.models import Notification, Registration
from registrations.rows import rows_insert
from registrations.tests.registration_factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_it_writes_every_row_in_order_and_gives_each_its_key():
    due = timezone.now() + timedelta(hours=3)
    rows = [
        Notification(kind=Notification.Kind.REMINDER, to_email=f"p{n}@example.no", due_at=due, reminder_offset=n)
        for n in range(5)
    ]
    rows_insert(rows)
    assert all(row.pk and not row._state.adding for row in rows)
    stored = {row.pk: row for row in Notification.objects.all()}
    assert [stored[row.pk].to_email for row in rows] == [f"p{n}@example.no" for n in range(5)]
    assert [stored[row.pk].reminder_offset for row in rows] == list(range(5))
    assert stored[rows[0].pk].due_at == due


def test_it_prepares_values_as_the_orm_does():
    session = SessionFactory()
    now = timezone.now()
    registration = Registration(
        session=session,
        name="Åse Ørnsø",
        email="ase@example.no",
        answers={"1": ["Fele", "Hardingfele"], "2": True},
        status=Registration.Status.CONFIRMED,
        created_at=now,
        confirmed_at=now,
    )
    rows_insert([registration])
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.name == "Åse Ørnsø"
    assert stored.answers == {"1": ["Fele", "Hardingfele"], "2": True}
    assert stored.confirmed_at == now
    # Field defaults were applied when the instance was built, as with save().
    assert stored.manage_token == registration.manage_token and len(stored.manage_token) >= 32
    assert stored.language == "nb" and stored.revision == 0


def test_nothing_to_write_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        rows_insert([])
