"""The office dashboard and the national view: figures against hand-made registrations,
scoping to the organiser's own office, the national role, the period form, both languages."""

import io
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organisation
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from insight.periods import OSLO
from registrations.anonymise import registrations_anonymise
from registrations.models import County, Registration
from registrations.tests.factories import JoinLinkFactory, RegistrationFactory
from webinars.models import Topic
from webinars.tests.factories import AudienceFactory, SessionFactory, TopicFactory, course_with_sessions

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED, PENDING = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.CANCELLED,
    Registration.Status.PENDING,
)


def _custom(days_back=30, days_ahead=30) -> str:
    today = timezone.localdate()
    return f"periode=egen&fra={today - timedelta(days=days_back):%Y-%m-%d}&til={today + timedelta(days=days_ahead):%Y-%m-%d}"


def _world():
    """Office A: a webinar held a week ago with hand-made registrations; office B: one of its own."""
    office_a = OrganisationFactory(short_name="Brak", name="Brak musikkontor")
    office_b = OrganisationFactory(short_name="Tempo", name="Tempo musikkontor")
    musician = AudienceFactory(name="Musiker", name_en="Musician")
    topic = TopicFactory(name="Strømming", name_en="Streaming")
    past = SessionFactory(
        organisation=office_a,
        offering__organisation=office_a,
        title="Strømmeinntekter",
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=1),
        topics=[topic],
    )
    attended = RegistrationFactory.create_batch(
        3, session=past, status=CONFIRMED, audience=musician, county=County.NORDLAND
    )
    for registration in attended:
        JoinLinkFactory(registration=registration, session=past, first_joined_at=timezone.now() - timedelta(days=7))
    no_show = RegistrationFactory(session=past, status=CONFIRMED, email="ANNE@example.no")
    JoinLinkFactory(registration=no_show, session=past)  # never used
    promoted = RegistrationFactory(session=past, status=CONFIRMED, promoted_at=timezone.now() - timedelta(days=9))
    JoinLinkFactory(registration=promoted, session=past, first_joined_at=timezone.now() - timedelta(days=7))
    RegistrationFactory(session=past, status=CANCELLED, email="anne@example.no")  # Anne again: one person
    RegistrationFactory(session=past, status=WAITLISTED)
    RegistrationFactory(session=past, status=PENDING)  # not counted
    # Two erased registrations: anonymous rows, still counted (as two people).
    erased = RegistrationFactory.create_batch(2, session=past, status=CONFIRMED)
    registrations_anonymise(registration_ids=[r.pk for r in erased])
    other = SessionFactory(
        organisation=office_b,
        offering__organisation=office_b,
        title="Tempos eget webinar",
        starts_at=timezone.now() - timedelta(days=3),
    )
    RegistrationFactory.create_batch(4, session=other, status=CONFIRMED)
    organiser = MembershipFactory(organisation=office_a).user
    return office_a, office_b, organiser, past


def test_it_counts_the_office_figures_from_hand_made_registrations(client):
    office_a, _office_b, organiser, _past = _world()
    client.force_login(organiser)
    response = client.get(f"/arbeidsrom/innsikt/?{_custom()}")
    assert response.status_code == 200
    figures = response.context["figures"]
    total = figures.total
    # 3 attended + no-show + promoted + cancelled + waitlisted + 2 erased; the pending one is not counted
    assert total.registrations == 9
    # Anne twice (case-insensitive), the two erased rows as two people
    assert total.people == 8
    assert total.confirmed == 7  # 3 + no-show + promoted + 2 erased
    assert total.attended == 4  # 3 + promoted
    assert total.no_shows == 3  # the no-show and the two erased who never joined
    assert total.attendance_rate == pytest.approx(4 / 7)
    assert total.conversions == 1
    assert total.cancellations == 1
    page = response.content.decode()
    assert "Strømmeinntekter" in page
    assert "Tempos eget webinar" not in page  # another office's offering
    assert "57 %" in page
    assert dict(figures.audiences)["Musiker"] == 3
    assert dict(figures.counties)["Nordland"] == 3


def test_erased_rows_keep_their_role_and_county(client):
    office_a, _b, organiser, past = _world()
    kept = RegistrationFactory(session=past, status=CONFIRMED, county=County.OSLO)
    registrations_anonymise(registration_ids=[kept.pk])
    kept.refresh_from_db()
    assert kept.county == County.OSLO and kept.email == "" and kept.name == ""
    client.force_login(organiser)
    figures = client.get(f"/arbeidsrom/innsikt/?{_custom()}").context["figures"]
    assert dict(figures.counties)["Oslo"] == 1


def test_an_organiser_sees_only_their_own_office(client):
    _a, office_b, organiser, _past = _world()
    client.force_login(organiser)
    response = client.get(f"/arbeidsrom/innsikt/?kontor={office_b.slug}&{_custom()}")
    assert response.status_code == 200
    assert response.context["office"].short_name == "Brak"
    assert "Tempos eget webinar" not in response.content.decode()


def test_a_participant_gets_404_and_a_visitor_the_login(client):
    assert client.get("/arbeidsrom/innsikt/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/arbeidsrom/innsikt/").status_code == 404


def test_a_bad_period_gives_a_message_and_the_default_figures(client):
    _world()
    organiser = MembershipFactory().user
    client.force_login(organiser)
    response = client.get("/arbeidsrom/innsikt/?periode=egen&fra=2026-05-01&til=2026-01-01")
    assert response.status_code == 200
    assert "Fra-datoen må være før eller lik til-datoen." in response.content.decode()
    response = client.get("/arbeidsrom/innsikt/?periode=egen&fra=not-a-date&til=")
    assert response.status_code == 200
    assert "Velg både fra-dato og til-dato" in response.content.decode()
    response = client.get("/arbeidsrom/innsikt/?periode=tull")
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode() or "invalid-feedback" in response.content.decode()


def test_the_offerings_sort_on_the_server(client):
    office_a, _b, organiser, past = _world()
    small = SessionFactory(
        organisation=office_a,
        offering__organisation=office_a,
        title="Lite webinar",
        starts_at=timezone.now() - timedelta(days=2),
    )
    RegistrationFactory(session=small, status=CONFIRMED)
    client.force_login(organiser)
    rows = client.get(f"/arbeidsrom/innsikt/?{_custom()}&sorter=pameldinger").context["rows"]
    assert [r.label for r in rows] == ["Lite webinar", "Strømmeinntekter"]
    response = client.get(f"/arbeidsrom/innsikt/?{_custom()}&sorter=-pameldinger")
    assert [r.label for r in response.context["rows"]] == ["Strømmeinntekter", "Lite webinar"]
    assert 'aria-sort="descending"' in response.content.decode()
    # An unknown column falls back to the start time.
    assert client.get(f"/arbeidsrom/innsikt/?{_custom()}&sorter=drop").status_code == 200


def test_the_office_turns_the_county_question_on(client):
    office_a, _b, organiser, past = _world()
    client.force_login(organiser)
    page = client.get(
        f"/webinarer/{SessionFactory(organisation=office_a, offering__organisation=office_a).slug}/pamelding/"
    )
    assert 'name="county"' not in page.content.decode()
    response = client.post("/arbeidsrom/innsikt/fylke/", {"kontor": office_a.slug, "sporr_om_fylke": "ja"})
    assert response.status_code == 302
    office_a.refresh_from_db()
    assert office_a.asks_county
    other = OrganisationFactory()
    client.post("/arbeidsrom/innsikt/fylke/", {"kontor": other.slug, "sporr_om_fylke": "ja"})
    other.refresh_from_db()
    assert not other.asks_county  # not the organiser's office


def test_the_dashboard_speaks_english(client):
    _a, _b, organiser, _past = _world()
    client.force_login(organiser)
    client.cookies["django_language"] = "en"
    page = client.get(f"/arbeidsrom/innsikt/?{_custom()}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Attendance" in page
    assert "Musician" in page


def _national_user():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_national", content_type__app_label="insight"))
    return user


def test_organisers_without_the_national_role_get_403(client):
    _a, _b, organiser, _past = _world()
    client.force_login(organiser)
    assert client.get("/arbeidsrom/innsikt/nasjonalt/").status_code == 403
    assert client.get("/arbeidsrom/innsikt/nasjonalt/innsikt.csv").status_code == 403
    assert client.get("/arbeidsrom/innsikt/nasjonalt/innsikt.xlsx").status_code == 403


def test_the_national_view_shows_every_office_and_topic(client):
    _world()
    client.force_login(_national_user())
    response = client.get(f"/arbeidsrom/innsikt/nasjonalt/?{_custom()}")
    assert response.status_code == 200
    offices = {row.label: row for row in response.context["office_rows"]}
    assert offices["Brak"].registrations == 9 and offices["Brak"].people == 8
    assert offices["Tempo"].registrations == 4
    topics = {row.label: row for row in response.context["topic_rows"]}
    assert topics["Strømming"].registrations == 9
    assert topics["Strømming"].attended == 4
    assert response.context["figures"].total.registrations == 13


def test_unique_people_are_counted_once_in_all_and_in_each_office_and_topic(client):
    """Anne registers at office A's webinar and office B's course of the same topic: one
    person in all, one in each office, two in the topic (a webinar's and a course's people
    are summed); each anonymised row stays a person of its own everywhere."""
    _world()
    tempo = Organisation.objects.get(short_name="Tempo")
    course = course_with_sessions(2, organisation=tempo)
    course.topics.add(Topic.objects.get(name="Strømming"))
    RegistrationFactory(offering=course.offering, session=None, status=CONFIRMED, email="Anne@Example.no")
    RegistrationFactory(offering=course.offering, session=None, status=CONFIRMED, email="ola@example.no")
    client.force_login(_national_user())
    response = client.get(f"/arbeidsrom/innsikt/nasjonalt/?{_custom()}")
    assert response.status_code == 200
    offices = {row.label: row for row in response.context["office_rows"]}
    assert (offices["Brak"].registrations, offices["Brak"].people) == (9, 8)
    assert (offices["Tempo"].registrations, offices["Tempo"].people) == (6, 6)
    topics = {row.label: row for row in response.context["topic_rows"]}
    assert (topics["Strømming"].registrations, topics["Strømming"].people) == (11, 10)
    total = response.context["figures"].total
    assert (total.registrations, total.people) == (15, 13)


def test_the_export_parses_as_csv_and_xlsx(client):
    _world()
    client.force_login(_national_user())
    csv_body = client.get(f"/arbeidsrom/innsikt/nasjonalt/innsikt.csv?{_custom()}").content.decode("utf-8-sig")
    lines = [line.split(";") for line in csv_body.splitlines() if line]
    brak = next(line for line in lines if line[0] == "Kontorer" and line[1] == "Brak")
    assert brak[2:10] == ["9", "8", "7", "4", "57.1", "3", "1", "1"]
    response = client.get(f"/arbeidsrom/innsikt/nasjonalt/innsikt.xlsx?{_custom()}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Kontorer", "Temaer", "Tilbud"]
    rows = list(book["Kontorer"].iter_rows(values_only=True))
    assert rows[1][:3] == ("Kontor", "Påmeldinger", "Unike personer")
    assert ("Tempo", 4, 4) == rows[2 + [r[0] for r in rows[2:]].index("Tempo")][:3]
    offerings = list(book["Tilbud"].iter_rows(values_only=True))
    assert any(row[1] == "Strømmeinntekter" and row[4] == 9 for row in offerings)


def test_the_offerings_table_shows_the_feedback_after_their_sessions(client):
    from outcomes.tests.factories import FeedbackFactory

    _office_a, _office_b, organiser, past = _world()
    attended = Registration.objects.filter(offering=past.offering, join_links__first_joined_at__isnull=False)
    for registration, rating in zip(attended, (5, 4, 4), strict=False):
        FeedbackFactory(registration=registration, session=past, rating=rating)
    client.force_login(organiser)
    page = client.get(f"/arbeidsrom/innsikt/?{_custom()}").content.decode()
    assert "Tilbakemelding (snitt 1–5, antall svar)" in page
    assert 'data-label="Tilbakemelding (snitt 1–5, antall svar)">4,3 (3)</td>' in page
    client.force_login(_national_user())
    response = client.get(f"/arbeidsrom/innsikt/nasjonalt/innsikt.xlsx?{_custom()}")
    offerings = list(load_workbook(io.BytesIO(response.content), read_only=True)["Tilbud"].iter_rows(values_only=True))
    assert offerings[1][-1] == "Tilbakemelding (snitt 1–5, antall svar)"
    assert next(row for row in offerings if row[1] == "Strømmeinntekter")[-1] == "4,3 (3)"


def _at(day: str, time: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=OSLO)


def _two_offerings_over_weeks():
    """Office A's two webinars in November 2026, registered in different weeks (Norwegian time)."""
    office = OrganisationFactory(short_name="Brak", name="Brak musikkontor")
    songs = SessionFactory(
        organisation=office, offering__organisation=office, title="Låtskriving", starts_at=_at("2026-11-25")
    )
    contracts = SessionFactory(
        organisation=office, offering__organisation=office, title="Kontrakter", starts_at=_at("2026-11-26")
    )
    for created_at in (_at("2026-11-09"), _at("2026-11-10"), _at("2026-11-15", "23:30")):  # week 46
        RegistrationFactory(session=songs, created_at=created_at)
    for created_at in (_at("2026-11-16", "00:30"), _at("2026-11-18"), _at("2026-11-18"), _at("2026-11-19")):  # 47
        RegistrationFactory(session=songs, created_at=created_at, status=CANCELLED)
    RegistrationFactory(session=songs, created_at=_at("2026-11-18"), status=PENDING)  # not counted
    RegistrationFactory(session=contracts, created_at=_at("2026-11-02"))  # week 45
    RegistrationFactory(session=contracts, created_at=_at("2026-11-20"))  # week 47
    return MembershipFactory(organisation=office).user, songs.offering, contracts.offering


NOVEMBER = "periode=egen&fra=2026-11-01&til=2026-11-30"


def test_each_offering_shows_its_registrations_per_week(client):
    organiser, songs, contracts = _two_offerings_over_weeks()
    client.force_login(organiser)
    response = client.get(f"/arbeidsrom/innsikt/?{NOVEMBER}")
    page = response.content.decode()
    # The office's weekly chart is the sum of the offerings' weeks (Mondays, Norwegian time).
    assert [(f"{week:%d.%m}", n) for week, n in response.context["figures"].weeks] == [
        ("02.11", 1),
        ("09.11", 3),
        ("16.11", 5),
    ]
    songs_svg = re.search(rf'<svg class="insight-spark".*?aria-labelledby="spark-{songs.pk}".*?</svg>', page, re.S)
    assert songs_svg and 'role="img"' in songs_svg.group(0)
    assert f'<title id="spark-{songs.pk}">7 påmeldinger over 2 uker, flest i uke 47</title>' in page
    # One bar per week with registrations, on the office's three weeks (45-47): the song
    # writing's in the second and third slot, the taller one in week 47.
    bars = re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" class="insight-bar">', songs_svg.group(0)
    )
    assert [(float(x) // 40, float(h)) for x, _y, h in bars] == [(1, 26 * 3 / 4), (2, 26)]
    assert f'<title id="spark-{contracts.pk}">2 påmeldinger over 3 uker, flest i uke 45</title>' in page
    # The numbers for screen readers: each offering's weeks with registrations.
    lists = re.findall(
        r'<details class="insight-spark-weeks">.*?<span class="visually-hidden"> – (.*?)</span>.*?<ul[^>]*>(.*?)</ul>',
        page,
        re.S,
    )
    assert dict(lists) == {
        "Låtskriving": "<li>uke 46 (09.11.2026): 3</li><li>uke 47 (16.11.2026): 4</li>",
        "Kontrakter": "<li>uke 45 (02.11.2026): 1</li><li>uke 47 (16.11.2026): 1</li>",
    }


def test_the_sparklines_speak_english(client):
    organiser, songs, contracts = _two_offerings_over_weeks()
    client.force_login(organiser)
    client.cookies["django_language"] = "en"
    page = client.get(f"/arbeidsrom/innsikt/?{NOVEMBER}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<title id="spark-{songs.pk}">7 registrations over 2 weeks, most in week 47</title>' in page
    assert f'<title id="spark-{contracts.pk}">2 registrations over 3 weeks, most in week 45</title>' in page
    assert "<li>week 46 (09.11.2026): 3</li>" in page
    assert "Registrations per week" in page
