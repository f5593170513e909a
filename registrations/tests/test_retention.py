"""Retention (issue 15): the beat task forgets on time. Audited like the erasure: the world is
filled through the real flows, the task runs with the clock moved forward, and every table is
dumped."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from registrations.models import ExportRecord, Notification, PrivacyRecord, Registration
from registrations.retention import retention_run
from registrations.tasks import retention_run as retention_task
from registrations.tests.mailkit import deliver
from registrations.tests.privacy_world import GUNNAR, KARI, OLA, attendance, dump, world_fill
from webinars.tests.factories import SessionFactory

PASSWORD = "et-langt-passord-for-test-1"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the guest rate limit counts in the cache
    yield
    cache.clear()


def _in_dump(*values: str) -> dict[str, bool]:
    text = dump().lower()
    return {value: value.lower() in text for value in values}


@pytest.mark.django_db(transaction=True)
def test_a_month_on_the_outbox_forgets_its_addresses_and_the_registrations_stay():
    world = world_fill()
    ola_rows = Notification.objects.filter(to_email=OLA["email"])
    assert ola_rows.exists()

    counts = retention_run(now=timezone.now() + timedelta(days=31))

    assert counts["outbox_rows_blanked"] > 0
    # Every email done (sent or skipped) has lost its address; the reminders to come keep theirs.
    assert not Notification.objects.exclude(state="pending").exclude(to_email="").exists()
    assert not ola_rows.exclude(state="pending").exists()
    # The registrations themselves are kept: the webinar ended only a month ago.
    assert Registration.objects.filter(email=OLA["email"], name=OLA["name"]).exists()
    assert attendance(world.past) == {"confirmed": 3, "attended": 3, "seats_taken": 3}
    record = PrivacyRecord.objects.get(kind=PrivacyRecord.Kind.RETENTION)
    assert record.counts["outbox_rows_blanked"] == counts["outbox_rows_blanked"]


@pytest.mark.django_db(transaction=True)
def test_a_year_after_a_webinar_its_registrants_are_anonymous_counts():
    world = world_fill()
    past_before = attendance(world.past)
    future_before = attendance(world.future)

    # 366 days on, the first webinar ended more than a year ago; the second, three days
    # younger, not quite. The task runs as beat runs it.
    later = timezone.now() + timedelta(days=366)
    counts = retention_run(now=later)
    assert counts["registrations_anonymised"] == 3

    seen = _in_dump(
        OLA["email"], OLA["name"], OLA["answer"], KARI["answer"], GUNNAR["answer"], KARI["plan"], GUNNAR["plan"]
    )
    assert seen == {
        OLA["email"]: False,  # Ola only came to the first webinar
        OLA["name"]: False,
        OLA["answer"]: False,
        KARI["answer"]: False,
        GUNNAR["answer"]: False,
        KARI["plan"]: True,  # the second webinar's registrations are younger than a year
        GUNNAR["plan"]: True,
    }
    assert Registration.objects.filter(offering=world.future.offering, email=GUNNAR["email"]).exists()
    assert User.objects.filter(email=KARI["email"]).exists()  # an account is kept while it is used
    assert attendance(world.past) == past_before
    assert attendance(world.future) == future_before
    # The organiser's page counts them, without a row for anyone.
    world.clients["kari"].logout()
    assert retention_run(now=later)["registrations_anonymised"] == 0  # twice is harmless


@pytest.mark.django_db(transaction=True)
def test_an_unconfirmed_guest_registration_and_an_unverified_account_expire():
    session = SessionFactory()
    response = Client().post(
        f"/webinarer/{session.slug}/pamelding/",
        {"name": "Nils Nøling", "email": "nils.noling@example.no", "consent": "on"},
    )
    assert response.status_code == 302
    response = Client().post(
        "/konto/signup/", {"email": "uverifisert@example.no", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    deliver()
    staff = UserFactory(email="stab@example.no", is_staff=True)  # made in the admin: no address row
    assert _in_dump("nils.noling@example.no", "uverifisert@example.no") == {
        "nils.noling@example.no": True,
        "uverifisert@example.no": True,
    }

    # Within the periods nothing goes.
    soon = retention_run(now=timezone.now() + timedelta(days=2))
    assert soon["pending_registrations_deleted"] == soon["unverified_accounts_deleted"] == 0

    with override_settings(RETENTION_OUTBOX_SENT_DAYS=365):
        counts = retention_run(now=timezone.now() + timedelta(days=9))
    assert counts["pending_registrations_deleted"] == 1
    assert counts["unverified_accounts_deleted"] == 1
    assert _in_dump("nils.noling@example.no", "uverifisert@example.no") == {
        "nils.noling@example.no": False,
        "uverifisert@example.no": False,
    }
    assert User.objects.filter(pk=staff.pk).exists()


def test_beat_runs_the_retention_task(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert schedule["task"] == retention_task.name == "registrations.tasks.retention_run"
    assert schedule["schedule"] == 3600.0


@pytest.mark.django_db
def test_the_records_of_what_the_platform_did_expire_after_their_own_periods(client, admin_client, organiser_a):
    session = SessionFactory(organisation=organiser_a.memberships.get().organisation)
    client.force_login(organiser_a)
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv").status_code == 200
    assert (
        "Eksporter av denne listen" in client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger/").content.decode()
    )
    # An erasure writes its record (counts only), as a deleted account does.
    assert admin_client.post(f"/admin/accounts/user/{UserFactory().pk}/delete/", {"post": "yes"}).status_code == 302
    assert ExportRecord.objects.count() == 1
    assert PrivacyRecord.objects.filter(kind=PrivacyRecord.Kind.ACCOUNT_DELETED).count() == 1

    # The privacy notice tells both periods.
    notice = client.get("/personvern/").content.decode()
    assert "slettes etter 365 dager" in notice and "(bare antall, ingen navn) slettes etter 1095 dager" in notice

    # A year on, the export log has gone; the privacy log stays for three years.
    year = retention_run(now=timezone.now() + timedelta(days=366))
    assert (year["export_records_deleted"], year["privacy_records_deleted"]) == (1, 0)
    assert not ExportRecord.objects.exists()
    page = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger/").content.decode()
    assert "Eksporter av denne listen" not in page

    three_years = retention_run(now=timezone.now() + timedelta(days=3 * 365 + 1))
    # The erasure's record has gone; the first run's, two years younger, stays.
    assert three_years["privacy_records_deleted"] == 1
    assert not PrivacyRecord.objects.filter(kind=PrivacyRecord.Kind.ACCOUNT_DELETED).exists()
    newest, first_run = PrivacyRecord.objects.all()
    assert first_run.counts["export_records_deleted"] == 1
    assert newest.counts["privacy_records_deleted"] == 1  # the run that did it says so
    listing = admin_client.get("/admin/registrations/privacyrecord/").content.decode()
    assert "privacy_records_deleted" in listing and "Automatisk sletting" in listing
