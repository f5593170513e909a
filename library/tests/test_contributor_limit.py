"""A tampered performer count cannot make the consent page build a thousand forms."""

import re
import time

import pytest

from library.forms import CONTRIBUTORS_MAX
from library.models import Contributor, Resource
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", ["2147483648", "9" * 40, "1000"])
def test_a_huge_form_count_is_refused_quickly(client, organiser_a, office_a, count):
    recording = RecordingFactory(
        organisation=office_a, session=PastSessionFactory(organisation=office_a), status=Resource.Status.DRAFT
    )
    ContributorFactory(resource=recording)
    client.force_login(organiser_a)
    started = time.monotonic()
    response = client.post(
        f"/arbeidsrom/ressurser/{recording.pk}/samtykke/",
        {"medvirkende-TOTAL_FORMS": count, "medvirkende-INITIAL_FORMS": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'name="medvirkende-\d+-name"', page)) <= CONTRIBUTORS_MAX
    assert len(page) < 500_000
    assert time.monotonic() - started < 3
    assert Contributor.objects.count() == 1
