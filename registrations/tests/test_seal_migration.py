"""registrations 0007: account emails written before it are wiped once done and sealed while
pending, so no reset link rests in clear text after the upgrade."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.sealing import open_sealed

BEFORE = [("registrations", "0006_offering_only")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_done_account_emails_are_wiped_and_pending_ones_sealed():
    apps = migrate(BEFORE)
    try:
        Notification = apps.get_model("registrations", "Notification")
        link = "http://x/konto/password/reset/key/1-hemmelig/"
        sent = Notification.objects.create(
            kind="account", state="sent", to_email="a@example.no", payload={"text": link}
        )
        pending = Notification.objects.create(
            kind="account", state="pending", to_email="b@example.no", payload={"subject": "Nullstill", "text": link}
        )
        optin = Notification.objects.create(kind="optin", to_email="d@example.no", payload={"optin_token": "abc123"})
        other = Notification.objects.create(kind="rescheduled", to_email="c@example.no", payload={"old_starts_at": "x"})
        apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    finally:
        apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Notification = apps.get_model("registrations", "Notification")
    assert Notification.objects.get(pk=sent.pk).payload == {}
    sealed = Notification.objects.get(pk=pending.pk).payload
    assert "hemmelig" not in json.dumps(sealed)
    assert open_sealed(sealed["sealed"], purpose="account email") == {"subject": "Nullstill", "text": link}
    assert Notification.objects.get(pk=optin.pk).payload == {}
    assert Notification.objects.get(pk=other.pk).payload == {"old_starts_at": "x"}
