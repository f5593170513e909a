"""The weekly digest: what is in it (parsed from a real SMTP server), its language and its
one-click unsubscribe (RFC 8058), never empty, never twice, constant queries per batch."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from following import tasks
from following.digests import digest_period, digests_run
from following.models import Digest, Follower
from following.tests.factories import FollowerFactory, FollowFactory
from following.tests.mail import deliver_to_sink, html_of, text_of
from library.models import Resource
from library.tests.factories import ResourceFactory
from registrations.models import Notification
from webinars.models import Status
from webinars.tests.factories import SessionFactory, TopicFactory, course_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office_a, office_b):
    topic = TopicFactory(name="Strømming", name_en="Streaming", slug="stromming")
    return {
        "topic": topic,
        "a_webinar": SessionFactory(organisation=office_a, title="Royalties for låtskrivere"),
        "a_course": course_with_sessions(2, organisation=office_a, title="Kurs i booking"),
        "b_topic": SessionFactory(organisation=office_b, title="Strømmeinntekter", topics=[topic]),
        "b_other": SessionFactory(organisation=office_b, title="Søknadsskriving"),
        "b_draft": SessionFactory(organisation=office_b, title="Et utkast", topics=[topic], status=Status.DRAFT),
        "a_guide": ResourceFactory(organisation=office_a, title="Veileder for kontrakter"),
        "a_members": ResourceFactory(
            organisation=office_a, title="Bare for innloggede", visibility=Resource.Visibility.SIGNED_IN
        ),
        "b_old": ResourceFactory(
            organisation=office_b, title="Gammel ressurs", published_at=timezone.now() - timedelta(days=60)
        ),
    }


def test_each_follower_gets_what_they_follow_in_their_language(world, office_a, settings):
    nb = FollowerFactory(email="kari@example.no", language="nb")
    FollowFactory(follower=nb, organisation=office_a)
    en = FollowerFactory(email="ola@example.no", language="en")
    FollowFactory(follower=en, topic=world["topic"])

    result = digests_run()
    assert result["digests"] == 2
    messages = {m["To"]: m for m in deliver_to_sink()}
    assert set(messages) == {"kari@example.no", "ola@example.no"}

    kari = messages["kari@example.no"]
    week = digest_period(timezone.now()).split("W")[1].lstrip("0")
    assert kari["Subject"] == f"Nytt fra det du følger – uke {week}"
    text = text_of(kari)
    for title in ("Royalties for låtskrivere", "Kurs i booking", "Veileder for kontrakter"):
        assert title in text and title in html_of(kari)
    for title in ("Strømmeinntekter", "Søknadsskriving", "Et utkast", "Bare for innloggede", "Gammel ressurs"):
        assert title not in text
    assert "Du får denne e-posten fordi du følger: Kontor A." in text
    assert f"{settings.SITE_URL}/webinarer/{world['a_webinar'].slug}/" in text
    assert "zoom.us" not in text  # the stream link never travels

    ola = messages["ola@example.no"]
    assert ola["Subject"] == f"New from what you follow – week {week}"
    text = text_of(ola)
    assert "Strømmeinntekter" in text and "Webinars and courses" in text and "because you follow: Streaming" in text
    for title in ("Royalties for låtskrivere", "Søknadsskriving", "Et utkast", "Veileder for kontrakter"):
        assert title not in text

    follower = Follower.objects.get(email="ola@example.no")
    assert ola["List-Unsubscribe"].strip() == f"<{settings.SITE_URL}/folg/avmeld/{follower.token}/>"
    assert ola["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"


def test_one_click_unsubscribe_works_without_session_or_csrf(world, office_a, settings):
    FollowFactory(follower=FollowerFactory(email="kari@example.no"), organisation=office_a)
    digests_run()
    (message,) = deliver_to_sink()
    url = message["List-Unsubscribe"].strip().strip("<>").removeprefix(settings.SITE_URL)

    mail_client = Client(enforce_csrf_checks=True)
    page = mail_client.get(url).content.decode()  # GET asks first
    assert "Meld meg av" in page and Follower.objects.exists()
    response = mail_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "Du er meldt av" in response.content.decode()
    assert not Follower.objects.exists()
    assert (
        mail_client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )


def test_a_digest_waiting_when_its_follower_unsubscribes_is_not_sent(world, office_a):
    follower = FollowerFactory(email="kari@example.no")
    FollowFactory(follower=follower, organisation=office_a)
    digests_run()
    Client().post(f"/folg/avmeld/{follower.token}/")
    assert deliver_to_sink() == []
    assert Notification.objects.get(kind="digest").state == Notification.State.SKIPPED


def test_no_digest_when_nothing_is_new(world, office_a, office_b):
    nothing = TopicFactory(name="Ingenting nytt", slug="ingenting")
    FollowFactory(follower=FollowerFactory(email="tom@example.no"), topic=nothing)
    FollowFactory(follower=FollowerFactory(email="kari@example.no"), organisation=office_a)
    FollowerFactory(email="ingenting@example.no")  # follows nothing
    FollowFactory(follower=FollowerFactory(email="ubekreftet@example.no", confirmed_at=None), organisation=office_a)
    first = digests_run()
    assert first["digests"] == 1
    assert [m["To"] for m in deliver_to_sink()] == ["kari@example.no"]

    # The next week nothing new was published: no digest for anyone.
    second = digests_run(now=timezone.now() + timedelta(days=7))
    assert second["announced"] == 0 and second["digests"] == 0
    assert deliver_to_sink() == []
    assert Notification.objects.filter(kind="digest").count() == 1


def test_whats_new_next_week_is_in_next_weeks_digest_only(world, office_a):
    FollowFactory(follower=FollowerFactory(email="kari@example.no"), organisation=office_a)
    digests_run()
    deliver_to_sink()
    SessionFactory(organisation=office_a, title="Nytt neste uke", starts_at=timezone.now() + timedelta(days=20))
    digests_run(now=timezone.now() + timedelta(days=7))
    (message,) = deliver_to_sink()
    assert "Nytt neste uke" in text_of(message) and "Royalties for låtskrivere" not in text_of(message)


def test_running_the_task_twice_sends_once(world, office_a):
    FollowFactory(follower=FollowerFactory(email="kari@example.no"), organisation=office_a)
    tasks.digests_run()
    tasks.digests_run()
    assert Digest.objects.count() == 1
    assert [m["To"] for m in deliver_to_sink()] == ["kari@example.no"]
    tasks.digests_run()
    assert deliver_to_sink() == []


def test_a_digest_left_empty_by_a_cancellation_is_not_sent(world, office_a, office_b):
    FollowFactory(follower=FollowerFactory(email="kari@example.no"), organisation=office_b)
    digests_run()
    for name in ("b_other", "b_topic"):
        world[name].offering.status = Status.CANCELLED
        world[name].offering.save()
    assert deliver_to_sink() == []


def test_batches_take_the_same_number_of_queries_however_many_followers(world, office_a, office_b, settings):
    def run_with(followers: int) -> int:
        Digest.objects.all().delete()
        Follower.objects.all().delete()
        for i in range(followers):
            follower = FollowerFactory(email=f"f{followers}-{i}@example.no", language="en" if i % 2 else "nb")
            FollowFactory(follower=follower, organisation=office_a if i % 3 else office_b)
            FollowFactory(follower=follower, topic=world["topic"])
        with CaptureQueriesContext(connection) as queries:
            result = digests_run(batch_size=100)
        assert result["digests"] == followers and result["batches"] == 1
        return len(queries)

    run_with(2)  # the week's news is recorded by the first run
    assert run_with(3) == run_with(40)


def test_delivering_digests_takes_the_same_number_of_queries_per_chunk(world, office_a, office_b):
    from registrations.delivery import CHUNK_SIZE

    def deliver_with(followers: int) -> int:
        for i in range(followers):
            follower = FollowerFactory(email=f"d{followers}-{i}@example.no", language="en" if i % 2 else "nb")
            FollowFactory(follower=follower, organisation=office_a if i % 3 else office_b)
            FollowFactory(follower=follower, topic=world["topic"])
        digests_run()
        with CaptureQueriesContext(connection) as queries:
            assert len(deliver_to_sink()) == followers
        return len(queries)

    assert deliver_with(3) == deliver_with(CHUNK_SIZE - 3)


def test_a_digest_builds_on_its_own_outside_a_sweep(world, office_a):
    from registrations.emails import build_message

    FollowFactory(follower=FollowerFactory(email="kari@example.no"), organisation=office_a)
    digests_run()
    email = build_message(Notification.objects.get(kind="digest"))
    assert "Royalties for låtskrivere" in email.body and email.to == ["kari@example.no"]
