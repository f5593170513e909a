# Registrations, questions and messages point to one Offering. This migration creates an
# offering for every standalone session and every course, copies each course's page to
# webinars.Course (same id, so library resources keep their link), puts each course's
# sessions under its offering in their course order, and points every registration,
# question and message at its offering with the seats taken counted once.

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

OFFERING_FIELDS = ["status", "capacity", "registration_opens_at", "registration_closes_at", "reminder_offsets"]


def forwards(apps, schema_editor):
    Offering = apps.get_model("webinars", "Offering")
    Session = apps.get_model("webinars", "Session")
    NewCourse = apps.get_model("webinars", "Course")
    OldCourse = apps.get_model("courses", "Course")
    CourseSession = apps.get_model("courses", "CourseSession")
    Registration = apps.get_model("registrations", "Registration")
    Question = apps.get_model("registrations", "Question")
    Message = apps.get_model("registrations", "Message")

    course_offering: dict[int, int] = {}
    for course in OldCourse.objects.all():
        offering = Offering.objects.create(
            kind="course",
            organisation_id=course.organisation_id,
            revision=course.revision,
            **{name: getattr(course, name) for name in OFFERING_FIELDS},
        )
        page = NewCourse.objects.create(
            id=course.id,
            offering=offering,
            organisation_id=course.organisation_id,
            title=course.title,
            slug=course.slug,
            summary=course.summary,
            description=course.description,
            language=course.language,
            featured=course.featured,
        )
        # Through the link tables: both course models call their relations' reverse "courses",
        # so `course.topics.all()` would read the new (still empty) page's topics.
        for name in ("topics", "audiences"):
            old_links = getattr(OldCourse, name).through.objects.filter(course_id=course.id)
            getattr(page, name).set(old_links.values_list(f"{name[:-1]}_id", flat=True))
        # auto_now and auto_now_add would stamp today; keep the course's own times.
        NewCourse.objects.filter(pk=page.pk).update(created_at=course.created_at, updated_at=course.updated_at)
        Offering.objects.filter(pk=offering.pk).update(created_at=course.created_at, updated_at=course.updated_at)
        course_offering[course.id] = offering.id
    # The pages were written with their old ids: move the id sequence past them (PostgreSQL;
    # SQLite's AUTOINCREMENT already counts explicit ids).
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [NewCourse]):
        schema_editor.execute(sql)
    for link in CourseSession.objects.all():
        Session.objects.filter(pk=link.session_id).update(
            offering_id=course_offering[link.course_id], position=link.position
        )
    for session in Session.objects.filter(offering__isnull=True):
        offering = Offering.objects.create(
            kind="webinar",
            organisation_id=session.organisation_id,
            **{name: getattr(session, name) for name in OFFERING_FIELDS},
        )
        Offering.objects.filter(pk=offering.pk).update(created_at=session.created_at, updated_at=session.updated_at)
        Session.objects.filter(pk=session.pk).update(offering=offering)

    session_offering = dict(Session.objects.values_list("id", "offering_id"))
    for model in (Registration, Question, Message):
        for row in model.objects.only("id", "session_id", "course_id"):
            if row.session_id:
                offering_id = session_offering[row.session_id]
            elif row.course_id:
                offering_id = course_offering[row.course_id]
            else:
                # Only a message could lack both (its table had no check constraint); it was
                # about nothing and no page could show it.
                model.objects.filter(pk=row.pk).delete()
                continue
            model.objects.filter(pk=row.pk).update(offering_id=offering_id)
    for offering in Offering.objects.all():
        taken = Registration.objects.filter(offering_id=offering.id, status="confirmed").count()
        Offering.objects.filter(pk=offering.pk).update(seats_taken=taken)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_alter_course_language"),
        ("registrations", "0004_alter_message_options_alter_notification_options_and_more"),
        ("webinars", "0004_offering"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="offering",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="registrations",
                to="webinars.offering",
                verbose_name="påmeldingstilbud",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="offering",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="webinars.offering",
                verbose_name="påmeldingstilbud",
            ),
        ),
        migrations.AddField(
            model_name="message",
            name="offering",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="webinars.offering",
                verbose_name="påmeldingstilbud",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
