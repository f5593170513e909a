"""The resource form bounds its numbers and ids (issue 11, item 6)."""

import pytest

from library.models import Resource
from library.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

THIRTY_DIGITS = "1" * 30


def test_the_resource_form_bounds_the_duration_and_the_related_ids(client, organiser_a, office_a):
    resource = ResourceFactory(organisation=office_a, kind=Resource.Kind.GUIDE, title="Uendret")
    client.force_login(organiser_a)
    base = {
        "kind": "guide",
        "organisation": office_a.pk,
        "title": "Endret",
        "body": "Innhold",
        "language": "nb",
        "visibility": "public",
    }
    for overrides in ({"duration_minutes": "99999999999999999999"}, {"related": THIRTY_DIGITS}):
        response = client.post(f"/arbeidsrom/ressurser/{resource.pk}/", {**base, **overrides})
        assert response.status_code == 200, overrides
    resource.refresh_from_db()
    assert resource.title == "Uendret"
