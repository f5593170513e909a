"""Both dashboards run a fixed number of queries whatever the number of offerings and
registrations (bench/dashboard.py measures their speed on 100,000 registrations)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from insight.cache import insight_cache_reset
from registrations.models import Registration
from registrations.tests.factories import JoinLinkFactory, RegistrationFactory
from webinars.tests.factories import AudienceFactory, SessionFactory, TopicFactory, course_with_sessions

pytestmark = pytest.mark.django_db

PERIOD = "periode=ar"


def _fill(office, *, offerings: int, per_offering: int) -> None:
    audience = AudienceFactory()
    topic = TopicFactory()
    for n in range(offerings):
        session = SessionFactory(
            organisation=office,
            offering__organisation=office,
            starts_at=timezone.now() - timedelta(days=1, hours=n),
            topics=[topic],
        )
        for registration in RegistrationFactory.create_batch(
            per_offering, session=session, status=Registration.Status.CONFIRMED, audience=audience, county="03"
        ):
            JoinLinkFactory(registration=registration, session=session, first_joined_at=timezone.now())
    course = course_with_sessions(2, organisation=office)
    RegistrationFactory.create_batch(per_offering, offering=course.offering, session=None)


def _office_queries(client, django_assert_num_queries, organiser) -> None:
    client.force_login(organiser)
    # 1 the session's user, 2 the workspace's organiser check, 3 the organiser's offices,
    # 4 the offerings in the period (first session, title), 5 the per-offering counts,
    # 6 unique people, 7 the feedback per offering (insight/extra_columns.py), 8 the audience
    # and county counts, 9 the audiences, 10 the registrations per offering and week (the
    # offerings' sparklines; the office's weekly chart is their sums, so it needs no query of
    # its own), 11 the layout's organiser check.
    with django_assert_num_queries(11):
        response = client.get(f"/arbeidsrom/innsikt/?{PERIOD}")
    assert response.status_code == 200
    # Within five minutes the figures' part of the page comes from the cache
    # (insight/cache.py): the user, the two organiser checks and the offices.
    with django_assert_num_queries(4):
        again = client.get(f"/arbeidsrom/innsikt/?{PERIOD}")
    assert again.context["figures_html"] == response.context["figures_html"]


def test_the_office_dashboard_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    small, large = OrganisationFactory(), OrganisationFactory()
    _fill(small, offerings=1, per_offering=1)
    _fill(large, offerings=6, per_offering=8)
    _office_queries(client, django_assert_num_queries, MembershipFactory(organisation=small).user)
    _office_queries(client, django_assert_num_queries, MembershipFactory(organisation=large).user)


def test_the_national_view_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_national"))
    client.force_login(user)
    counts = []
    for offerings, per_offering in ((1, 1), (6, 8)):
        insight_cache_reset()
        _fill(OrganisationFactory(), offerings=offerings, per_offering=per_offering)
        # 1 the user, 2-3 their permissions and their groups' permissions, 4 the offices,
        # 5 the offerings, 6 the per-offering counts, 7-8 each offering's topics (webinars,
        # courses), 9 unique people in all, per office and per topic, 10 the audience and
        # county counts, 11 the audiences, 12 weekly, 13 the feedback per offering, 14 the
        # layout's organiser check.
        with django_assert_num_queries(14):
            response = client.get(f"/arbeidsrom/innsikt/nasjonalt/?{PERIOD}")
        assert response.status_code == 200
        counts.append(response.context["figures"].total.registrations)
        # Cached: the user, their permissions, their groups' and the layout's organiser check.
        with django_assert_num_queries(4):
            assert client.get(f"/arbeidsrom/innsikt/nasjonalt/?{PERIOD}").status_code == 200
    assert counts[0] < counts[1]
