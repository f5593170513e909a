"""A person who changes their account's address through allauth (add, verify, make primary)
keeps their registrations: the registration page, "Mine påmeldinger" and the next reminder use
the new address, and the old one is not kept with them (issue 15)."""

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.delivery import outbox_sweep
from registrations.models import Notification, Registration
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _parsed():
    messages = [message_from_bytes(m.message().as_bytes(), policy=default_policy) for m in mail.outbox]
    mail.outbox.clear()
    return messages


def test_registrations_follow_the_new_primary_address(client):
    user = UserFactory(email="gammel@example.no")
    session = SessionFactory()
    registration = services.registration_create(
        offering=session.offering, user=user, name="Kari", email=user.email, language="nb", answers={}
    )
    outbox_sweep()
    mail.outbox.clear()
    client.force_login(user)

    assert client.post("/konto/email/", {"action_add": "", "email": "ny@example.no"}).status_code == 302
    outbox_sweep()
    [verification] = _parsed()
    assert verification["To"] == "ny@example.no"
    text = verification.get_body(preferencelist=("plain",)).get_content()
    confirm = re.search(r"https?://[^\s]+(/konto/confirm-email/[^\s]+/)", text).group(1)
    assert client.post(confirm).status_code == 302
    assert client.post("/konto/email/", {"action_primary": "", "email": "ny@example.no"}).status_code == 302

    user.refresh_from_db()
    assert user.email == "ny@example.no"
    registration.refresh_from_db()
    assert registration.email == "ny@example.no"
    assert not Registration.objects.filter(email__iexact="gammel@example.no").exists()
    pending = Notification.objects.filter(registration=registration, state=Notification.State.PENDING)
    assert pending.exists() and not pending.filter(to_email__iexact="gammel@example.no").exists()
    page = client.get("/mine-pameldinger/").content.decode()
    assert session.title in page
