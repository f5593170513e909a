"""config.rows: the hot path's fixed statements, checked against what the ORM writes and reads
(on whichever database the run uses: PostgreSQL in CI's first pass, SQLite in its second)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.rows import columns, rows_fetch, rows_insert
from registrations.models import Notification, Question, Registration
from registrations.tests.registration_factories import SessionFactory
from webinars.models import Session

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


def test_it_reads_instances_equal_to_the_orms_with_converted_values():
    session = SessionFactory(reminder_offsets=[1440, 60], capacity=12)
    Question.objects.create(
        session=session, kind="choice", label="Instrument", choices=["Fele", "Gitar"], required=True
    )
    (read,) = rows_fetch(
        Session,
        f"SELECT {columns(Session, 's')}, 'ekstra' FROM {Session._meta.db_table} s WHERE s.id = %s",
        [session.pk],
        extra=("note",),
    )
    orm = Session.objects.get(pk=session.pk)
    assert read.note == "ekstra"
    for field in Session._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    # Times come back as aware datetimes and JSON as Python values on both databases.
    assert read.starts_at.tzinfo is not None and read.reminder_offsets == [1440, 60]
    (question,) = rows_fetch(Question, f"SELECT {columns(Question)} FROM {Question._meta.db_table}", [])
    assert question.choices == ["Fele", "Gitar"] and question.required is True


def test_it_reads_only_the_named_fields_and_loads_the_rest_on_use(django_assert_num_queries):
    session = SessionFactory(capacity=7)
    fields = ("id", "capacity", "starts_at")
    with django_assert_num_queries(1):
        (read,) = rows_fetch(
            Session,
            f"SELECT {columns(Session, '', fields)} FROM {Session._meta.db_table} WHERE id = %s",
            [session.pk],
            fields=fields,
        )
        assert read.capacity == 7 and read.starts_at == session.starts_at
    assert read.get_deferred_fields() >= {"title", "slug"}
    assert read.title == session.title  # loaded on use
