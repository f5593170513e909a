"""Offerings that travel: the JSON-LD and the Open Graph / Twitter card tags of the public
pages, read as a crawler reads them, and the share image they point at."""

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from referencing import Registry, Resource

from library.tests.factories import ResourceFactory
from sharing.tests.pages import read_page
from webinars.models import Session, Status
from webinars.page_cache import catalogue_cache_bump
from webinars.tests.factories import STREAM_URL, CourseFactory, SessionFactory, add_to_course

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


REGISTRY = Registry().with_resources(
    [(name, Resource.from_contents(_schema(name))) for name in ("event.json", "course.json")]
)


def validate(document: dict, schema: str) -> None:
    jsonschema.Draft202012Validator(_schema(schema), registry=REGISTRY).validate(document)


def _winter_start() -> datetime:
    # A December evening: Oslo is UTC+01:00 then.
    year = timezone.now().year + 1
    return datetime(year, 12, 8, 18, 0, tzinfo=UTC)


def test_it_describes_a_webinar_as_an_online_event(client, office_a):
    session = SessionFactory(
        organisation=office_a, title="Strømming og royalty", starts_at=_winter_start(), capacity=20
    )
    page = client.get(f"/webinarer/{session.slug}/")
    assert page.status_code == 200
    head = read_page(page.content)
    [event] = head.ld
    validate(event, "event.json")
    url = settings.SITE_URL + f"/webinarer/{session.slug}/"
    assert event["name"] == "Strømming og royalty"
    assert event["location"] == {"@type": "VirtualLocation", "url": url}
    assert event["startDate"].endswith("T19:00:00+01:00")
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["organizer"]["name"] == "Musikkontor A"
    assert event["offers"]["availability"] == "https://schema.org/InStock"
    assert event["offers"]["inventoryLevel"]["value"] == 20
    # The stream link is never in what the page tells the world.
    assert STREAM_URL not in page.content.decode()


def test_it_says_sold_out_cancelled_and_rescheduled(client, office_a, committed):
    full = SessionFactory(organisation=office_a, capacity=1)
    full.offering.seats_taken = 1
    full.offering.save()
    cancelled = SessionFactory(organisation=office_a, status=Status.CANCELLED)
    moved = SessionFactory(organisation=office_a, starts_at=_winter_start())
    with committed():
        Session.objects.filter(pk=moved.pk).update(
            moved_from=_winter_start() - timedelta(days=7), moved_at=timezone.now()
        )
        catalogue_cache_bump()

    [event] = read_page(client.get(f"/webinarer/{full.slug}/").content).ld
    validate(event, "event.json")
    assert event["offers"]["availability"] == "https://schema.org/SoldOut"

    [event] = read_page(client.get(f"/webinarer/{cancelled.slug}/").content).ld
    validate(event, "event.json")
    assert event["eventStatus"] == "https://schema.org/EventCancelled"

    [event] = read_page(client.get(f"/webinarer/{moved.slug}/").content).ld
    validate(event, "event.json")
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"
    assert event["previousStartDate"].endswith("T19:00:00+01:00")


def test_a_title_cannot_close_the_json_ld_element(client, office_a):
    session = SessionFactory(organisation=office_a, title="</script><script>alert(1)</script>")
    page = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert "</script><script>alert(1)" not in page
    [event] = read_page(page).ld
    assert event["name"] == "</script><script>alert(1)</script>"


def test_it_describes_a_course_with_one_instance_per_session(client, office_a):
    course = CourseFactory(organisation=office_a, title="Bli din egen manager", summary="Tre kvelder.")
    first = SessionFactory(organisation=office_a, starts_at=_winter_start())
    second = SessionFactory(organisation=office_a, starts_at=_winter_start() + timedelta(days=7))
    add_to_course(course, first, second)
    page = client.get(f"/kurs/{course.slug}/")
    assert page.status_code == 200
    [document] = read_page(page.content).ld
    validate(document, "course.json")
    assert document["provider"]["name"] == "Musikkontor A"
    assert [i["startDate"][-15:] for i in document["hasCourseInstance"]] == ["T19:00:00+01:00"] * 2
    assert all(
        i["location"]["url"] == settings.SITE_URL + f"/kurs/{course.slug}/" for i in document["hasCourseInstance"]
    )


def test_a_draft_has_no_page_and_no_tags(client, office_a):
    draft = SessionFactory(organisation=office_a, status=Status.DRAFT)
    page = client.get(f"/webinarer/{draft.slug}/")
    assert page.status_code == 404
    assert read_page(page.content).ld == []


def _og(client, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, path
    return read_page(page.content).meta


def _image(client, url: str, **headers):
    parts = urlsplit(url)
    return client.get(parts.path + "?" + parts.query, headers=headers)


@pytest.mark.parametrize("page_kind", ["session", "course", "resource", "office"])
def test_every_shared_page_has_open_graph_and_a_card(client, office_a, page_kind):
    if page_kind == "session":
        path = SessionFactory(organisation=office_a, title="Æøå i strømmetjenester").get_absolute_url()
    elif page_kind == "course":
        course = CourseFactory(organisation=office_a, title="Kurs i låtskriving")
        add_to_course(course, SessionFactory(organisation=office_a))
        path = course.get_absolute_url()
    elif page_kind == "resource":
        path = ResourceFactory(organisation=office_a, title="Guide til TONO").get_absolute_url()
    else:
        path = f"/organisasjoner/{office_a.slug}/"
    meta = _og(client, path)
    assert meta["og:url"] == settings.SITE_URL + path
    assert meta["og:title"] and meta["og:description"]
    assert meta["og:type"] in ("website", "article")
    assert meta["og:locale"] == "nb_NO" and meta["og:locale:alternate"] == "en_GB"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    response = _image(client, meta["og:image"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_the_english_page_says_en_gb(client, office_a):
    session = SessionFactory(organisation=office_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    meta = _og(client, session.get_absolute_url())
    assert meta["og:locale"] == "en_GB" and meta["og:locale:alternate"] == "nb_NO"
    assert "sprak=en" in meta["og:image"]


def test_a_locked_resource_tells_nothing(client, office_a):
    from library.models import Resource as LibraryResource

    resource = ResourceFactory(organisation=office_a, visibility=LibraryResource.Visibility.SIGNED_IN)
    page = client.get(resource.get_absolute_url())
    assert "og:title" not in read_page(page.content).meta
    assert client.get(f"/deling/bilde/ressurs/{resource.slug}.png").status_code == 404


def test_the_share_image_is_cached_by_what_it_shows(client, office_a, committed):
    session = SessionFactory(organisation=office_a, title="Før endringen")
    before = _og(client, session.get_absolute_url())["og:image"]
    first = _image(client, before)
    assert first["Cache-Control"] == "public, max-age=3600"
    assert _image(client, before, if_none_match=first["ETag"]).status_code == 304

    session.title = "Etter endringen"
    with committed():
        session.save()
    after = _og(client, session.get_absolute_url())["og:image"]
    assert after != before and urlsplit(after).path == urlsplit(before).path
    changed = _image(client, after, if_none_match=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert first.content != changed.content

    with committed():
        Session.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at + timedelta(days=1), ends_at=session.ends_at + timedelta(days=1)
        )
        catalogue_cache_bump()
    moved = _og(client, session.get_absolute_url())["og:image"]
    assert moved != after


def test_an_unknown_share_image_is_404(client):
    assert client.get("/deling/bilde/webinar/finnes-ikke.png").status_code == 404
    assert client.get("/deling/bilde/annet/x.png").status_code == 404


def test_a_long_title_still_makes_a_card_sized_image(client, office_a):
    session = SessionFactory(organisation=office_a, title=("Rettigheter og royalty " * 9)[:200])
    meta = _og(client, session.get_absolute_url())
    image = Image.open(io.BytesIO(_image(client, meta["og:image"]).content))
    assert image.size == (1200, 630)
