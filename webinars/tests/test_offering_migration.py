"""The data migration to one Offering (registrations 0005, with webinars 0004/0005,
registrations 0006, library 0005 and courses 0003): a database filled before it keeps every
webinar, course, registration, question, message and library link, now through offerings.

The test migrates the test database back to the nodes before the offering, fills it with the
historical models of that state, migrates forward and reads the result with the historical
models of the latest state. It ends on the latest migrations whatever happens, so the tests
after it find the schema they expect."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_OFFERING = [
    ("accounts", "0003_alter_user_calendar_token"),
    ("webinars", "0003_alter_session_language"),
    ("courses", "0002_alter_course_language"),
    ("registrations", "0004_alter_message_options_alter_notification_options_and_more"),
    ("library", "0004_alter_resource_created_at_alter_resource_file_size_and_more"),
]

# Schema changes cannot run inside the test's transaction (SQLite refuses to, and a rollback
# would not undo them on either database); the rows are flushed after the test.
pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    """Migrate the test database to `targets` and return the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied migrations changed
    return executor.loader.project_state(targets).apps


def latest_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_apps():
    try:
        yield migrate(BEFORE_OFFERING)
    finally:
        migrate(latest_nodes())


def in_days(days: int, hours: int = 0):
    return (timezone.now() + timedelta(days=days, hours=hours)).replace(microsecond=0)


def fill(apps) -> dict:
    """What a platform running the pre-offering code had: a standalone webinar with its own
    registrations, questions and a message, a draft webinar, and a course of three sessions
    whose course order is not their start order, with a registration, a question, a message
    and a library resource."""
    Organisation = apps.get_model("accounts", "Organisation")
    Topic = apps.get_model("webinars", "Topic")
    Audience = apps.get_model("webinars", "Audience")
    Session = apps.get_model("webinars", "Session")
    Course = apps.get_model("courses", "Course")
    CourseSession = apps.get_model("courses", "CourseSession")
    Registration = apps.get_model("registrations", "Registration")
    Question = apps.get_model("registrations", "Question")
    Message = apps.get_model("registrations", "Message")
    Resource = apps.get_model("library", "Resource")

    office = Organisation.objects.create(name="Musikkontor A", short_name="Kontor A", slug="office-a")
    topic = Topic.objects.create(name="Utgivelse", slug="utgivelse")
    audience = Audience.objects.create(name="Frilanser", slug="frilanser")

    webinar = Session.objects.create(
        organisation=office,
        title="Strømming for viderekomne",
        slug="stromming",
        starts_at=in_days(5),
        ends_at=in_days(5, 1),
        status="published",
        revision=3,
        capacity=5,
        registration_opens_at=in_days(-2),
        registration_closes_at=in_days(4),
        reminder_offsets=[120],
    )
    draft = Session.objects.create(
        organisation=office, title="Utkast", slug="utkast", starts_at=in_days(8), ends_at=in_days(8, 1)
    )
    webinar_registrations = {
        email: Registration.objects.create(session=webinar, name=email, email=email, status=status)
        for email, status in [
            ("en@example.no", "confirmed"),
            ("to@example.no", "confirmed"),
            ("venter@example.no", "waitlisted"),
            ("avmeldt@example.no", "cancelled"),
            ("venter-pa-lenke@example.no", "pending"),
        ]
    }
    webinar_questions = [
        Question.objects.create(session=webinar, label="Instrument?", position=0),
        Question.objects.create(session=webinar, label="Allergier?", position=1),
    ]
    webinar_message = Message.objects.create(session=webinar, audience="confirmed", subject="Velkommen", body="Hei")

    course = Course.objects.create(
        organisation=office,
        title="Plateskolen",
        slug="plateskolen",
        summary="Fra demo til utgivelse",
        description="Om **utgivelse**.",
        language="nb",
        capacity=20,
        registration_opens_at=in_days(-1),
        registration_closes_at=in_days(2),
        reminder_offsets=[1440],
        status="published",
        featured=True,
        revision=2,
    )
    course.topics.add(topic)
    course.audiences.add(audience)
    # Course order is not start order: the last to start comes first.
    parts = [
        Session.objects.create(
            organisation=office,
            title=title,
            slug=f"plateskolen-{n}",
            starts_at=in_days(days),
            ends_at=in_days(days, 2),
            status="published",
            capacity=99,  # a course's session had its own fields; the course's are what counted
        )
        for n, (title, days) in enumerate([("Del A", 10), ("Del B", 3), ("Del C", 17)])
    ]
    course_order = [parts[2], parts[0], parts[1]]
    for position, session in enumerate(course_order):
        CourseSession.objects.create(course=course, session=session, position=position)
    course_registrations = {
        email: Registration.objects.create(course=course, name=email, email=email, status=status)
        for email, status in [("kurs@example.no", "confirmed"), ("kurs-avmeldt@example.no", "cancelled")]
    }
    course_question = Question.objects.create(course=course, label="Sjanger?")
    course_message = Message.objects.create(course=course, audience="confirmed", subject="Del A flyttet", body="Hei")
    resource = Resource.objects.create(
        organisation=office, title="Kursnotat", slug="kursnotat", course=course, visibility="registrants"
    )
    recording = Resource.objects.create(
        organisation=office, kind="recording", title="Opptak", slug="opptak", session=webinar
    )
    return {
        "office": office.pk,
        "topic": topic.pk,
        "audience": audience.pk,
        "webinar": webinar.pk,
        "draft": draft.pk,
        "webinar_registrations": {email: r.pk for email, r in webinar_registrations.items()},
        "webinar_questions": [q.pk for q in webinar_questions],
        "webinar_message": webinar_message.pk,
        "course": course.pk,
        "course_order": [s.pk for s in course_order],
        "course_registrations": {email: r.pk for email, r in course_registrations.items()},
        "course_question": course_question.pk,
        "course_message": course_message.pk,
        "resource": resource.pk,
        "recording": recording.pk,
        "course_window": (course.registration_opens_at, course.registration_closes_at),
        "webinar_window": (webinar.registration_opens_at, webinar.registration_closes_at),
    }


def test_it_moves_every_webinar_course_and_registration_onto_offerings(old_apps):
    before = fill(old_apps)

    apps = migrate(latest_nodes())
    Offering = apps.get_model("webinars", "Offering")
    Session = apps.get_model("webinars", "Session")
    Course = apps.get_model("webinars", "Course")
    Registration = apps.get_model("registrations", "Registration")
    Question = apps.get_model("registrations", "Question")
    Message = apps.get_model("registrations", "Message")
    Resource = apps.get_model("library", "Resource")

    # One offering per standalone session and per course, nothing else.
    assert Offering.objects.count() == 3

    webinar = Session.objects.get(pk=before["webinar"])
    offering = webinar.offering
    assert offering.kind == "webinar" and offering.status == "published"
    assert offering.organisation_id == before["office"]
    assert offering.capacity == 5
    assert (offering.registration_opens_at, offering.registration_closes_at) == before["webinar_window"]
    assert offering.reminder_offsets == [120]
    assert offering.seats_taken == 2  # the two confirmed; waitlisted, pending and cancelled hold no seat
    assert list(offering.sessions.values_list("pk", flat=True)) == [webinar.pk]
    # An invite's SEQUENCE (session + offering + registration revisions) stays what it was:
    # session + registration before, for a webinar; plus the course's, for a course.
    assert webinar.revision == 3 and offering.revision == 0

    draft = Session.objects.get(pk=before["draft"]).offering
    assert (draft.kind, draft.status, draft.capacity, draft.seats_taken) == ("webinar", "draft", None, 0)
    assert draft.reminder_offsets == [24 * 60, 60]
    assert draft.pk != offering.pk

    # The course's page keeps its id, address and texts; what registration needs is its offering's.
    course = Course.objects.get(pk=before["course"])
    assert (course.slug, course.title, course.summary, course.featured) == (
        "plateskolen",
        "Plateskolen",
        "Fra demo til utgivelse",
        True,
    )
    assert list(course.topics.values_list("pk", flat=True)) == [before["topic"]]
    assert list(course.audiences.values_list("pk", flat=True)) == [before["audience"]]
    course_offering = course.offering
    assert course_offering.kind == "course" and course_offering.status == "published"
    assert course_offering.organisation_id == before["office"]
    assert course_offering.capacity == 20
    assert (course_offering.registration_opens_at, course_offering.registration_closes_at) == before["course_window"]
    assert course_offering.reminder_offsets == [1440]
    assert course_offering.revision == 2
    assert course_offering.seats_taken == 1
    # Its sessions, under its offering in course order (not start order).
    in_order = list(course_offering.sessions.order_by("position").values_list("pk", "position"))
    assert in_order == [(pk, position) for position, pk in enumerate(before["course_order"])]

    for pk in before["webinar_registrations"].values():
        assert Registration.objects.get(pk=pk).offering_id == offering.pk
    for pk in before["course_registrations"].values():
        assert Registration.objects.get(pk=pk).offering_id == course_offering.pk
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["venter@example.no"] == "waitlisted" and statuses["avmeldt@example.no"] == "cancelled"
    for each in Offering.objects.all():
        assert each.seats_taken == Registration.objects.filter(offering=each, status="confirmed").count()

    assert sorted(Question.objects.filter(offering=offering).values_list("pk", flat=True)) == sorted(
        before["webinar_questions"]
    )
    assert list(Question.objects.filter(offering=course_offering).values_list("pk", flat=True)) == [
        before["course_question"]
    ]
    assert Message.objects.get(pk=before["webinar_message"]).offering_id == offering.pk
    assert Message.objects.get(pk=before["course_message"]).offering_id == course_offering.pk

    # The library's links survive: the resource points at the same course page.
    resource = Resource.objects.get(pk=before["resource"])
    assert resource.course_id == course.pk and resource.course.title == "Plateskolen"
    assert Resource.objects.get(pk=before["recording"]).session_id == webinar.pk

    tables = connection.introspection.table_names()
    assert "courses_course" not in tables and "courses_coursesession" not in tables

    # A course made after the migration gets an id of its own (the copied ids are counted).
    fresh = Course.objects.create(
        offering=Offering.objects.create(kind="course", organisation_id=before["office"]),
        organisation_id=before["office"],
        title="Nytt kurs",
        slug="nytt-kurs",
    )
    assert fresh.pk > course.pk
