"""/api/v1/resources, /organisations, /topics and /audiences, checked against the served
OpenAPI description."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from api.tests.served_schema import api_json
from library.models import Resource
from library.tests.factories import PastSessionFactory, RecordingFactory, ResourceFactory
from webinars.models import Status
from webinars.tests.factories import AudienceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_it_lists_public_resources_newest_first_with_what_each_kind_has(client, office_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    partner = OrganisationFactory(kind="partner", slug="gramart", short_name="GramArt")
    session = PastSessionFactory(organisation=office_a, title="Opptaket gjelder dette")
    recording = RecordingFactory(
        organisation=office_a, session=session, published_at=timezone.now() - timedelta(days=1)
    )
    link = ResourceFactory(
        organisation=office_a,
        kind=Resource.Kind.LINK,
        url="https://gramart.no/rad",
        partner=partner,
        published_at=timezone.now() - timedelta(days=2),
    )
    document = ResourceFactory(organisation=office_a, kind=Resource.Kind.DOCUMENT, file_name="avtale.pdf")
    document.file.save("avtale.pdf", ContentFile(b"%PDF-1.4"), save=True)

    body = api_json(client, "/api/v1/resources")
    assert [item["id"] for item in body["items"]] == [document.pk, recording.pk, link.pk]
    items = {item["id"]: item for item in body["items"]}
    assert items[recording.pk]["video_url"] == recording.video_url
    assert items[recording.pk]["recorded_session"]["title"] == "Opptaket gjelder dette"
    assert items[link.pk]["link_url"] == "https://gramart.no/rad"
    assert items[link.pk]["partner"]["slug"] == "gramart"
    assert items[document.pk]["download_url"] == f"{settings.SITE_URL}/ressursbank/{document.slug}/fil/"
    assert items[document.pk]["url"] == f"{settings.SITE_URL}/ressursbank/{document.slug}/"
    assert api_json(client, f"/api/v1/resources/{link.pk}") == items[link.pk]


def test_a_recording_of_a_draft_webinar_does_not_name_it(client, office_a):
    draft = PastSessionFactory(organisation=office_a, title="Utkastets tittel", status=Status.DRAFT)
    recording = RecordingFactory(organisation=office_a, session=draft)
    assert api_json(client, f"/api/v1/resources/{recording.pk}")["recorded_session"] is None


def test_resource_filters_and_pages(client, office_a, office_b, settings):
    topic = TopicFactory(slug="skatt")
    audience = AudienceFactory(slug="ansatt")
    tagged = ResourceFactory(organisation=office_a, language="en")
    tagged.topics.add(topic)
    tagged.audiences.add(audience)
    others = [ResourceFactory(organisation=office_b) for _ in range(4)]
    recording = RecordingFactory(organisation=office_b)

    def ids(query: str) -> set[int]:
        return {item["id"] for item in api_json(client, f"/api/v1/resources?{query}")["items"]}

    assert ids("office=office-a") == {tagged.pk}
    assert ids("topic=skatt") == ids("audience=ansatt") == ids("language=en") == {tagged.pk}
    assert ids("kind=recording") == {recording.pk}
    seen, url = [], "/api/v1/resources?limit=2"
    while url:
        body = api_json(client, url)
        seen += [item["id"] for item in body["items"]]
        url = body["next"] and body["next"].removeprefix(settings.SITE_URL)
    assert sorted(seen) == sorted([tagged.pk, recording.pk, *(r.pk for r in others)])
    assert len(seen) == len(set(seen))
    for query, parameter in [
        ("kind=podcast", "kind"),
        ("office=nope", "office"),
        ("topic=nope", "topic"),
        ("audience=%00", "audience"),
    ]:
        assert list(api_json(client, f"/api/v1/resources?{query}", status=400)["errors"]) == [parameter]


def test_organisations_topics_and_audiences(client, office_a, settings):
    TopicFactory(slug="utgivelse", name="Utgivelse", name_en="Release")
    AudienceFactory(slug="frilanser", name="Frilanser")
    organisations = api_json(client, "/api/v1/organisations")["items"]
    assert [o["slug"] for o in organisations] == ["office-a"]
    one = api_json(client, "/api/v1/organisations/office-a")
    assert one == organisations[0]
    assert one["url"] == f"{settings.SITE_URL}/organisasjoner/office-a/"
    for slug in ("finnes-ikke", "%00", "office-a%00", "a" * 300, "%C3%B8"):
        assert api_json(client, f"/api/v1/organisations/{slug}", status=404)["detail"]
    assert api_json(client, "/api/v1/topics")["items"] == [
        {"slug": "utgivelse", "name": "Utgivelse", "name_en": "Release"}
    ]
    assert [a["slug"] for a in api_json(client, "/api/v1/audiences")["items"]] == ["frilanser"]
