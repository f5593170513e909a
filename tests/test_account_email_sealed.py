"""Account emails hold one-time links; they never rest in the outbox in clear text (issue 11,
item 1). The attack that was reproduced: a staff user who may only view outbox rows asked for
a superuser's password reset, read the link in the admin and took over the account."""

import json
import re
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import override_settings

from accounts.sealing import _cipher
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from registrations.delivery import outbox_sweep
from registrations.email_kinds import ACCOUNT_EMAIL_PURPOSE
from registrations.models import Notification

pytestmark = pytest.mark.django_db

RESET_PATH = re.compile(r"/konto/password/reset/key/[^\s\"'<]+/")


@pytest.fixture
def viewer(client):
    """A staff user whose only permission is to look at the outbox."""
    staff = UserFactory(email="innsyn@example.no", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    return staff


def _admin_pages(client, row):
    return "".join(
        client.get(url).content.decode()
        for url in [
            "/admin/registrations/notification/",
            "/admin/registrations/notification/?kind__exact=account",
            f"/admin/registrations/notification/{row.pk}/change/",
        ]
    )


def test_a_reset_link_cannot_be_read_from_the_outbox_or_the_admin(client, viewer):
    boss = UserFactory(email="sjef@example.no", is_staff=True, is_superuser=True)
    assert client.post("/konto/password/reset/", {"email": boss.email}).status_code == 302
    row = Notification.objects.get(kind=Notification.Kind.ACCOUNT, to_email=boss.email)

    # Waiting in the outbox: the row holds no link and no readable text, in the database or the admin.
    stored = json.dumps(row.payload)
    assert set(row.payload) == {"sealed"}
    assert "reset" not in stored and "konto" not in stored and "Musikkhjemmekontoret" not in stored
    client.force_login(viewer)
    pages = _admin_pages(client, row)
    assert client.get(f"/admin/registrations/notification/{row.pk}/change/").status_code == 200
    assert not RESET_PATH.search(pages) and row.payload["sealed"] not in pages

    # Delivered: the superuser's email holds the link, and the row keeps nothing of it.
    assert outbox_sweep().sent == 1
    [email] = [message_from_bytes(m.message().as_bytes(), policy=default_policy) for m in mail.outbox]
    assert email["To"] == boss.email
    assert RESET_PATH.search(email.get_body(preferencelist=("plain",)).get_content())
    row.refresh_from_db()
    assert row.state == Notification.State.SENT and row.payload == {}
    assert not RESET_PATH.search(_admin_pages(client, row))


def test_a_verification_email_is_sealed_then_wiped(client):
    client.post("/konto/signup/", {"email": "ny@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    row = Notification.objects.get(kind=Notification.Kind.ACCOUNT, to_email="ny@example.no")
    assert "confirm-email" not in json.dumps(row.payload)
    outbox_sweep()
    [email] = mail.outbox
    assert "/konto/confirm-email/" in email.body
    row.refresh_from_db()
    assert row.payload == {}


def test_an_account_email_older_than_its_life_is_not_sent_and_is_wiped():
    old = _cipher(ACCOUNT_EMAIL_PURPOSE).encrypt_at_time(
        json.dumps({"subject": "Tilbakestill passord", "text": "http://x/konto/password/reset/key/1-a/"}).encode(),
        int(time.time()) - 25 * 3600,
    )
    row = Notification.objects.create(
        kind=Notification.Kind.ACCOUNT, to_email="treg@example.no", payload={"sealed": old.decode()}
    )
    result = outbox_sweep()
    assert (result.sent, result.skipped) == (0, 1)
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.state == Notification.State.SKIPPED and row.payload == {}


def test_a_sealed_email_still_opens_after_the_secret_key_is_rotated(client, settings):
    client.post("/konto/password/reset/", {"email": UserFactory(email="roter@example.no").email})
    with override_settings(SECRET_KEY="en-ny-nokkel-" + "x" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert outbox_sweep().sent == 1
    assert RESET_PATH.search(mail.outbox[0].body)


def test_a_row_sealed_under_an_unknown_key_is_skipped_not_sent():
    row = Notification.objects.create(
        kind=Notification.Kind.ACCOUNT, to_email="x@example.no", payload={"subject": "Klartekst", "text": "hei"}
    )
    assert outbox_sweep().skipped == 1
    row.refresh_from_db()
    assert row.payload == {} and mail.outbox == []
