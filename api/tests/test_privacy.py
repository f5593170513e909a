"""Nothing private is ever in the API (issue 17): no stream URL, no registration, no
registrant's name, address or answer, no join or management token, no draft, no resource
that is not public, no recording's contributors. Private rows are seeded with recognisable
strings, then every endpoint is walked — every list with every filter value, every page
through `next`, every detail id up to past the last row, the description and the docs page —
and no response may contain any of them. Every response is also checked against the served
OpenAPI description."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from api.tests.served_schema import api_get
from library.models import Resource
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory, ResourceFactory
from registrations.models import Message, Registration
from registrations.tests.factories import JoinLinkFactory, QuestionFactory, RegistrationFactory
from webinars.models import Offering, Status
from webinars.tests.factories import (
    STREAM_URL,
    AudienceFactory,
    CourseFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
    course_with_sessions,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    "zoom.us",
    "hemmelig-stroemmelenke",
    "987654321",
    "privat-",
    "PRIVAT",
    "@example.no",  # every person's address here; an office's is post@<office>.example.no
    "deltaker",
]


def _seed_private(office) -> dict:
    topic = TopicFactory(slug="inntekt")
    audience = AudienceFactory(slug="frilanser")
    organiser = UserFactory(email="privat-arranger@example.no", display_name="PRIVAT Arrangør")
    MembershipFactory(user=organiser, organisation=office)
    # Public rows (each streams at STREAM_URL, which must never show).
    public = SessionFactory(organisation=office, topics=[topic], audiences=[audience], capacity=5)
    SpeakerFactory(session=public)
    past = PastSessionFactory(organisation=office)
    course = course_with_sessions(2, organisation=office)
    course.topics.add(topic)
    # Drafts of every kind, with their recognisable strings.
    draft = SessionFactory(
        organisation=office, title="PRIVAT utkast-webinar", slug="privat-utkast", status=Status.DRAFT, topics=[topic]
    )
    SpeakerFactory(session=draft, name="PRIVAT foredragsholder")
    draft_course = CourseFactory(
        organisation=office, title="PRIVAT utkast-kurs", slug="privat-kurs", status=Status.DRAFT
    )
    SessionFactory(
        organisation=office, offering=draft_course.offering, title="PRIVAT økt i utkast-kurs", slug="privat-okt-1"
    )
    SessionFactory(
        organisation=office,
        offering=course.offering,
        position=9,
        title="PRIVAT utkast-økt",
        slug="privat-okt-2",
        status=Status.DRAFT,
    )
    draft_offering = Offering.objects.create(kind="webinar", organisation=office, status=Status.DRAFT)
    SessionFactory(
        organisation=office,
        offering=draft_offering,
        title="PRIVAT publisert økt, utkast-påmelding",
        slug="privat-okt-3",
    )
    # Registrations, their answers, tokens, join links, questions and messages.
    question = QuestionFactory(offering=public.offering, label="PRIVAT spørsmål")
    registration = RegistrationFactory(
        session=public,
        name="PRIVAT Deltaker",
        email="privat-deltaker@example.no",
        answers={str(question.pk): "PRIVAT svar"},
    )
    JoinLinkFactory(registration=registration, session=public)
    RegistrationFactory(session=public, status=Registration.Status.WAITLISTED, name="PRIVAT Venteliste")
    Message.objects.create(
        offering=public.offering, audience="confirmed", subject="PRIVAT melding", body="PRIVAT tekst"
    )
    # Resources that are not public, and private parts of public ones.
    ResourceFactory(organisation=office, title="PRIVAT ressurs-utkast", slug="privat-r1", status=Resource.Status.DRAFT)
    ResourceFactory(
        organisation=office, title="PRIVAT innlogget", slug="privat-r2", visibility=Resource.Visibility.SIGNED_IN
    )
    ResourceFactory(
        organisation=office,
        title="PRIVAT påmeldte",
        slug="privat-r3",
        visibility=Resource.Visibility.REGISTRANTS,
        session=public,
    )
    recording = RecordingFactory(organisation=office, session=draft, transcript="PRIVAT transkripsjon")
    ContributorFactory(resource=recording, name="PRIVAT utøver")
    return {
        "public": public,
        "past": past,
        "course": course,
        "registration": registration,
        "private_offerings": [draft.offering_id, draft_course.offering_id, draft_offering.pk],
    }


def _walk(client) -> list[tuple[str, int, str]]:
    """Every endpoint, every filter value, every page, every detail id: (url, status, body)."""
    seen: list[tuple[str, int, str]] = []

    def get(url: str, *, described: bool = True) -> dict | None:
        response = api_get(client, url) if described else client.get(url)
        body = response.content.decode()
        seen.append((url, response.status_code, body))
        return response.json() if response["Content-Type"].startswith("application/json") else None

    get("/api/v1/openapi.json", described=False)
    get("/api/v1/docs/", described=False)
    vocab = {
        "office": [o["slug"] for o in get("/api/v1/organisations")["items"]],
        "topic": [t["slug"] for t in get("/api/v1/topics")["items"]],
        "audience": [a["slug"] for a in get("/api/v1/audiences")["items"]],
        "language": ["nb", "en"],
    }
    for slug in vocab["office"]:
        get(f"/api/v1/organisations/{slug}")
    queries = ["", "from=2000-01-01", "to=2100-12-31", "kind=webinar", "kind=course"]
    queries += [f"{name}={value}" for name, values in vocab.items() for value in values]
    resource_queries = ["", *(f"kind={k}" for k in Resource.Kind.values)]
    resource_queries += [f"{name}={value}" for name, values in vocab.items() for value in values]
    for path, queries_of_path in (("/api/v1/offerings", queries), ("/api/v1/resources", resource_queries)):
        for query in queries_of_path:
            url = f"{path}?limit=1&{query}"
            while url:
                url = get(url)["next"]
                url = url and url.removeprefix(settings.SITE_URL)
    last_offering = Offering.objects.order_by("-pk").first().pk
    for pk in range(1, last_offering + 2):
        get(f"/api/v1/offerings/{pk}")
    last_resource = Resource.objects.order_by("-pk").first().pk
    for pk in range(1, last_resource + 2):
        get(f"/api/v1/resources/{pk}")
    return seen


def test_no_response_anywhere_carries_anything_private(client, office_a):
    OrganisationFactory(slug="office-b")
    rows = _seed_private(office_a)
    seen = _walk(client)
    assert len(seen) > 40
    for url, status, body in seen:
        assert status in (200, 404), (url, status)
        lowered = body.lower()
        for secret in SECRETS:
            assert secret.lower() not in lowered, (url, secret)
        assert rows["registration"].manage_token not in body, url
    assert STREAM_URL not in "".join(body for _, _, body in seen)
    # What is public is there: the walk reached it.
    everything = "".join(body for _, _, body in seen)
    assert (
        rows["public"].title in everything and rows["course"].title in everything and rows["past"].title in everything
    )


def test_private_offerings_and_resources_are_404_not_403(client, office_a):
    rows = _seed_private(office_a)
    for pk in rows["private_offerings"]:
        assert api_get(client, f"/api/v1/offerings/{pk}").status_code == 404
    for resource in Resource.objects.exclude(status=Resource.Status.PUBLISHED, visibility=Resource.Visibility.PUBLIC):
        assert api_get(client, f"/api/v1/resources/{resource.pk}").status_code == 404


def test_a_course_lists_only_its_public_sessions(client, office_a):
    rows = _seed_private(office_a)
    course = rows["course"]
    body = api_get(client, f"/api/v1/offerings/{course.offering_id}").json()
    public_ids = set(course.offering.sessions.exclude(status=Status.DRAFT).values_list("pk", flat=True))
    assert {s["id"] for s in body["sessions"]} == public_ids
    assert len(public_ids) == 2


def test_an_offering_whose_every_public_session_is_in_the_past_still_has_its_page_in_the_api(client, office_a):
    past = PastSessionFactory(organisation=office_a, starts_at=timezone.now() - timedelta(days=10))
    body = api_get(client, f"/api/v1/offerings/{past.offering_id}").json()
    assert body["state"] == "ended"
