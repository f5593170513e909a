# After registrations 0005 moved the registration fields to the offerings: they leave the
# sessions, and every session and course page has its offering.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0005_offering_data"),
        ("webinars", "0004_offering"),
    ]

    operations = [
        migrations.RemoveField(model_name="session", name="capacity"),
        migrations.RemoveField(model_name="session", name="registration_opens_at"),
        migrations.RemoveField(model_name="session", name="registration_closes_at"),
        migrations.RemoveField(model_name="session", name="reminder_offsets"),
        migrations.AlterField(
            model_name="session",
            name="offering",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sessions",
                to="webinars.offering",
                verbose_name="påmelding gjelder",
            ),
        ),
        migrations.AlterField(
            model_name="course",
            name="offering",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="course", to="webinars.offering"
            ),
        ),
    ]
