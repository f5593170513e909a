"""No secret rests in the outbox in clear text (issue 11): account emails' bodies of done rows
(sent, skipped, failed) are wiped, a pending row's subject and text are sealed the way
config/account_adapter.py now writes them (registrations/email_kinds.py), and opt-in rows lose
the copy of the opt-in token they carried (the email is built with the registration's)."""

from django.db import migrations

from accounts.sealing import seal

PURPOSE = "account email"  # registrations.email_kinds.ACCOUNT_EMAIL_PURPOSE when this was written


def seal_account_emails(apps, schema_editor):
    Notification = apps.get_model("registrations", "Notification")
    rows = Notification.objects.filter(kind="account")
    rows.exclude(state="pending").update(payload={})
    for row in rows.filter(state="pending").only("id", "payload"):
        if "sealed" in row.payload:
            continue
        row.payload = {
            "sealed": seal(
                {"subject": row.payload.get("subject", ""), "text": row.payload.get("text", "")}, purpose=PURPOSE
            )
        }
        row.save(update_fields=["payload"])
    for row in Notification.objects.filter(kind="optin", payload__has_key="optin_token").only("id", "payload"):
        row.payload.pop("optin_token")
        row.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [("registrations", "0006_offering_only")]

    operations = [migrations.RunPython(seal_account_emails, migrations.RunPython.noop, elidable=True)]
