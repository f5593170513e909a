"""A small world filled through the real flows, for the erasure and retention audits: one
office, a webinar that is over (three people registered with answers, got a new time and a
reminder, attended, and got the organiser's message, which thanks each of them by name and
gives Ola's address; Gunnar also spoke there) and one to come with a single seat (Kari
holds it, Gunnar waits); every email delivered; and
`dump()`, every row of every table in the database as text, with session data decoded."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from registrations import messaging
from registrations.models import JoinLink, Message, Question, Registration
from registrations.tests.mailkit import deliver
from webinars.models import Session, Speaker
from webinars.services import session_reschedule
from webinars.tests.factories import SessionFactory

OPTIN = re.compile(r"/pamelding/bekreft/([A-Za-z0-9_-]+)/")
# "answer" is given on the webinar that is over, "plan" on the one to come.
KARI = {
    "email": "kari.deltaker@example.no",
    "name": "Kari Deltaker",
    "answer": "Kari spiller bratsj i Bergen",
    "plan": "Lære om strømmeinntekter",
}
GUNNAR = {
    "email": "gunnar.gjest@example.no",
    "name": "Gunnar Gjest",
    "answer": "Gunnar synger i kor",
    "plan": "Booke en turné i nord",
    "bio": "Dirigent for Nordlyskoret",
}
OLA = {"email": "ola.annen@example.no", "name": "Ola Annen", "answer": "Ola driver et plateselskap", "plan": ""}


@dataclass
class World:
    past: Session
    future: Session
    kari: object
    clients: dict
    past_question: Question
    future_question: Question


def _register(client: Client, session: Session, question: Question, person: dict, *, guest: bool, key: str) -> None:
    data = {f"q{question.pk}": person[key]}
    if guest:
        data.update({"name": person["name"], "email": person["email"], "consent": "on"})
    response = client.post(f"/webinarer/{session.slug}/pamelding/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    if guest:
        for message in deliver():
            if message["To"].addresses[0].addr_spec == person["email"]:
                token = OPTIN.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)
                assert client.post(f"/pamelding/bekreft/{token}/").status_code == 302


def _attend(client: Client, person: dict, session: Session) -> None:
    link = JoinLink.objects.get(registration__email=person["email"], session=session)
    assert client.get(f"/join/{link.token}/").status_code == 302


def world_fill() -> World:
    office = OrganisationFactory(slug="kontor-a", short_name="Kontor A", name="Musikkontor A", contact_email="a@k.no")
    organiser = UserFactory(email="arrangor@example.no", display_name="Arrangør Anne")
    MembershipFactory(user=organiser, organisation=office)
    past = SessionFactory(organisation=office, capacity=10, reminder_offsets=[60])
    future = SessionFactory(organisation=office, capacity=1, reminder_offsets=[60])
    Speaker.objects.create(session=past, name=GUNNAR["name"], bio=GUNNAR["bio"])
    past_question = Question.objects.create(offering=past.offering, label="Hva spiller du?")
    future_question = Question.objects.create(offering=future.offering, label="Hva ønsker du å lære?")
    kari = UserFactory(email=KARI["email"], display_name=KARI["name"])
    clients = {"kari": Client(), "gunnar": Client(), "ola": Client()}
    clients["kari"].force_login(kari)
    clients["organiser"] = Client()
    clients["organiser"].force_login(organiser)
    for key, person, guest in (("kari", KARI, False), ("gunnar", GUNNAR, True), ("ola", OLA, True)):
        _register(clients[key], past, past_question, person, guest=guest, key="answer")
    for key, person, guest in (("kari", KARI, False), ("gunnar", GUNNAR, True)):
        _register(clients[key], future, future_question, person, guest=guest, key="plan")
    # The organiser moves the first webinar to an hour from now: everyone gets the new time,
    # and two seconds later the hour-before reminder is due. Then it starts: everyone joins.
    start = timezone.now() + timedelta(hours=1, seconds=2)
    session_reschedule(session=past, starts_at=start, ends_at=start + timedelta(hours=1))
    past.refresh_from_db()
    time.sleep(2.5)
    reminders = [m for m in deliver() if m["Subject"].startswith("Påminnelse")]
    assert len(reminders) == 3, [m["Subject"] for m in reminders]
    now = timezone.now()
    Session.objects.filter(pk=past.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1))
    past.refresh_from_db()
    for key, person in (("kari", KARI), ("gunnar", GUNNAR), ("ola", OLA)):
        _attend(clients[key], person, past)
    Session.objects.filter(pk=past.pk).update(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-1)
    )
    past.refresh_from_db()
    messaging.message_send(
        offering=past.offering,
        author=organiser,
        audience=Message.Audience.ATTENDED,
        subject="Takk, Kari Deltaker, Gunnar Gjest og Ola Annen",
        body=(
            "Takk for sist, kari deltaker, Gunnar\nGjest og Ola Annen!\n"
            "Ola Annen deler lydfilene: skriv til ola.annen@example.no."
        ),
    )
    deliver()
    assert Registration.objects.get(offering=future.offering, email=GUNNAR["email"]).status == "waitlisted"
    return World(past, future, kari, clients, past_question, future_question)


def dump() -> str:
    """Every row of every table, as text; session data decoded, as an auditor would read it."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                record = dict(zip(columns, row, strict=True))
                if table == "django_session":
                    record["session_data"] = SessionStore().decode(record["session_data"])
                for column, value in record.items():
                    # JSON as SQLite stores it escapes non-ASCII ("\u00e9"): read it as text.
                    if isinstance(value, str) and value[:1] in ("{", "["):
                        try:
                            record[column] = json.loads(value)
                        except ValueError:
                            pass
                lines.append(f"{table}: {json.dumps(record, ensure_ascii=False, default=str)}")
    return "\n".join(lines)


def attendance(session: Session) -> dict:
    registrations = Registration.objects.filter(offering=session.offering)
    return {
        "confirmed": registrations.filter(status="confirmed").count(),
        "attended": JoinLink.objects.filter(session=session, first_joined_at__isnull=False).count(),
        "seats_taken": type(session.offering).objects.get(pk=session.offering_id).seats_taken,
    }
