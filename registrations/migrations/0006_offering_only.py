# After 0005 filled `offering` everywhere: it becomes the one, non-null foreign key.

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


def offering_fk(related_name):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE,
        related_name=related_name,
        to="webinars.offering",
        verbose_name="påmeldingstilbud",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0005_offering_data"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="question", name="question_one_offering"),
        migrations.RemoveConstraint(model_name="registration", name="registration_one_offering"),
        migrations.RemoveConstraint(model_name="registration", name="registration_active_session_email"),
        migrations.RemoveConstraint(model_name="registration", name="registration_active_course_email"),
        migrations.RemoveIndex(model_name="registration", name="registration_session_status"),
        migrations.RemoveIndex(model_name="registration", name="registration_course_status"),
        migrations.RemoveField(model_name="question", name="session"),
        migrations.RemoveField(model_name="question", name="course"),
        migrations.RemoveField(model_name="registration", name="session"),
        migrations.RemoveField(model_name="registration", name="course"),
        migrations.RemoveField(model_name="message", name="session"),
        migrations.RemoveField(model_name="message", name="course"),
        migrations.RemoveField(model_name="notification", name="email_message_id"),
        migrations.AlterField(model_name="question", name="offering", field=offering_fk("questions")),
        migrations.AlterField(model_name="registration", name="offering", field=offering_fk("registrations")),
        migrations.AlterField(model_name="message", name="offering", field=offering_fk("messages")),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                models.F("offering"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("status", "cancelled"), _negated=True),
                name="registration_active_offering_email",
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["offering", "status"], name="registration_offering_status"),
        ),
    ]
