import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.models import Organisation
from accounts.permissions import (
    can_manage,
    is_organiser,
    managed_organisations,
    organiser_required,
    scope_to_organiser,
)


@organiser_required
def _workspace_view(request):
    return HttpResponse("ok")


def test_it_lets_an_organiser_manage_only_their_own_office(organiser_a, office_a, office_b):
    assert can_manage(organiser_a, office_a)
    assert not can_manage(organiser_a, office_b)
    assert list(managed_organisations(organiser_a)) == [office_a]


def test_it_scopes_a_queryset_to_the_organisers_offices(organiser_a, organiser_b, office_a, office_b):
    everything = Organisation.objects.all()
    assert list(scope_to_organiser(everything, organiser_a, field="pk")) == [office_a]
    assert list(scope_to_organiser(everything, organiser_b, field="pk")) == [office_b]


def test_a_participant_manages_nothing(participant, office_a):
    assert not is_organiser(participant)
    assert not can_manage(participant, office_a)
    assert managed_organisations(participant).count() == 0


def test_an_anonymous_visitor_manages_nothing(office_a):
    anonymous = AnonymousUser()
    assert not is_organiser(anonymous)
    assert not can_manage(anonymous, office_a)
    assert managed_organisations(anonymous).count() == 0


def test_an_inactive_organiser_manages_nothing(organiser_a, office_a):
    organiser_a.is_active = False
    organiser_a.save()
    assert not can_manage(organiser_a, office_a)


def test_the_decorator_sends_anonymous_visitors_to_login_and_404s_participants(organiser_a, participant):
    factory = RequestFactory()

    request = factory.get("/arbeidsrom/")
    request.user = AnonymousUser()
    response = _workspace_view(request)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]

    request.user = participant
    with pytest.raises(Http404):
        _workspace_view(request)

    request.user = organiser_a
    assert _workspace_view(request).status_code == 200
