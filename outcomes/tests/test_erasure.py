"""An erased person's feedback and certificate: the rating stays as a count, nothing links
to them, and the certificate's address names nobody."""

import pytest

from outcomes.models import Feedback
from outcomes.services import certificate_issue
from outcomes.summary import feedback_by_offering
from outcomes.tests.factories import FeedbackFactory, ended_course
from registrations.anonymise import registrations_anonymise

pytestmark = pytest.mark.django_db


def test_erasure_unlinks_feedback_drops_the_comment_and_voids_the_certificate(client, office_a):
    ended = ended_course(organisation=office_a, title="Låtskriving")
    registration = ended.registration
    FeedbackFactory(registration=registration, session=ended.sessions[0], rating=4, comment="Jeg heter Åse")
    certificate = certificate_issue(registration=registration)
    url = f"/kursbevis/{certificate.code}/"
    assert "Åse Ørnulf Særheim" in client.get(url).content.decode()

    registrations_anonymise(registration_ids=[registration.pk])

    [answer] = Feedback.objects.all()
    assert (answer.registration_id, answer.comment, answer.rating) == (None, "", 4)
    assert feedback_by_offering([ended.course.offering_id])[ended.course.offering_id]["count"] == 1
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 410
    assert "kan ikke lenger kontrolleres" in page
    assert "Særheim" not in page and "Låtskriving" not in page
    certificate.refresh_from_db()
    assert certificate.name == "" and certificate.registration_id is None
    # Not even a new download: the registration is erased.
    registration.refresh_from_db()
    assert certificate_issue(registration=registration) is None
