"""A double submit of the survey, two requests at once with their own connections: one answer,
the later one's values. Runs on SQLite and on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from outcomes.models import Feedback
from outcomes.services import feedback_submit
from registrations.tests.factories import RegistrationFactory
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_submits_at_once_leave_one_answer(office_a):
    session = SessionFactory(organisation=office_a, starts_at=timezone.now() - timedelta(hours=2))
    registration = RegistrationFactory(session=session)
    barrier = threading.Barrier(4)
    errors = []

    def submit(rating):
        try:
            barrier.wait(timeout=30)
            feedback_submit(registration=registration, session=session, rating=rating, comment=f"svar {rating}")
        except Exception as exc:  # collected and asserted empty below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(rating,)) for rating in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    [answer] = Feedback.objects.all()
    assert answer.comment == f"svar {answer.rating}"
