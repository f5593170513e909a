# One registrable thing: the Offering, and the course's page moved beside it (see
# registrations/migrations/0005_offering_data.py for the data and docs/architecture.md).

import django.db.models.deletion
from django.db import migrations, models

import webinars.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_alter_user_calendar_token"),
        ("webinars", "0003_alter_session_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="Offering",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("webinar", "Webinar"), ("course", "Kurs")],
                        default="webinar",
                        max_length=16,
                        verbose_name="type",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Utkast"), ("published", "Publisert"), ("cancelled", "Avlyst")],
                        default="draft",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("capacity", models.PositiveIntegerField(blank=True, null=True, verbose_name="antall plasser")),
                ("seats_taken", models.PositiveIntegerField(default=0, verbose_name="plasser tatt")),
                (
                    "registration_opens_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="påmelding åpner"),
                ),
                (
                    "registration_closes_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="påmelding stenger"),
                ),
                (
                    "reminder_offsets",
                    models.JSONField(
                        default=webinars.models.default_reminder_offsets,
                        verbose_name="påminnelser (minutter før start)",
                    ),
                ),
                ("revision", models.PositiveIntegerField(default=0, verbose_name="kalenderrevisjon")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="offerings",
                        to="accounts.organisation",
                        verbose_name="arrangør",
                    ),
                ),
            ],
            options={
                "verbose_name": "påmeldingstilbud",
                "verbose_name_plural": "påmeldingstilbud",
                "ordering": ["id"],
            },
        ),
        migrations.AddField(
            model_name="session",
            name="offering",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sessions",
                to="webinars.offering",
                verbose_name="påmelding gjelder",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="rekkefølge i kurset"),
        ),
        migrations.CreateModel(
            name="Course",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="tittel")),
                ("slug", models.SlugField(max_length=220, unique=True, verbose_name="adresse")),
                ("summary", models.CharField(blank=True, max_length=300, verbose_name="kort beskrivelse")),
                ("description", models.TextField(blank=True, verbose_name="beskrivelse (Markdown)")),
                (
                    "language",
                    models.CharField(
                        choices=[("nb", "Norsk bokmål"), ("en", "Engelsk")],
                        default="nb",
                        max_length=8,
                        verbose_name="språk",
                    ),
                ),
                ("featured", models.BooleanField(default=False, verbose_name="fremhevet på forsiden")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "offering",
                    models.OneToOneField(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="course",
                        to="webinars.offering",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="courses",
                        to="accounts.organisation",
                        verbose_name="arrangør",
                    ),
                ),
                (
                    "topics",
                    models.ManyToManyField(
                        blank=True, related_name="courses", to="webinars.topic", verbose_name="temaer"
                    ),
                ),
                (
                    "audiences",
                    models.ManyToManyField(
                        blank=True, related_name="courses", to="webinars.audience", verbose_name="målgrupper"
                    ),
                ),
            ],
            options={
                "verbose_name": "kurs",
                "verbose_name_plural": "kurs",
                "ordering": ["title"],
            },
        ),
    ]
