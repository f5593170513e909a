"""Bad input never gives a 500 (issue 11, item 15).

The crawler visits every URL pattern of the project, resolved from the URLconf with the real
ids, slugs and tokens of rows the factories make for two offices: the site's as an anonymous
visitor, a participant and an organiser of office A, the admin's as a staff user. Each path
parameter also gets office B's value and malformed ones; each page gets every query parameter
it reads (its GET forms' fields and those views read) set to hostile values (empty, huge,
extreme dates and numbers, non-ASCII, NUL, control characters, wrong types, two values for
one); each form the pages show is sent as filled in, with every field at once set to each
hostile value and to office B's ids, and (the site's edit forms) one field at a time, the
rest as the page filled them in (tests/crawling.py). It passes when no response is a 5xx and
no row changed that should not have:

- a GET changes no row at all;
- nothing of office B changes, whoever crawls the site;
- an anonymous visitor and a participant change nothing of what organisers own;
- whatever anyone managed to save passes the models' bounds, with no control characters in a
  name or title;
- staff change nothing in the admin that the services write (item 10).

One to two minutes on either database (`make test` runs it on both).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from accounts.text import has_control_characters
from following.models import Follower
from following.tests.factories import FollowerFactory, FollowFactory
from library.models import Contributor, Resource
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory, ResourceFactory
from outcomes.tokens import certificate_code_new, download_token, feedback_token
from registrations.erasure_links import erasure_token
from registrations.feeds import calendar_token_regenerate_for
from registrations.models import JoinLink, Message, Notification, Question, Registration
from registrations.tests.factories import JoinLinkFactory, QuestionFactory, RegistrationFactory
from tests.crawling import (
    HOSTILE_BY_KIND,
    HOSTILE_PATH,
    HOSTILE_SHORT,
    Form,
    Route,
    changed,
    fingerprint,
    forms_on,
    local_path,
    parameters,
    path_for,
    routes,
    variants,
)
from webinars.models import Course, Offering, Session, Speaker
from webinars.tests.factories import SessionFactory, SpeakerFactory, TopicFactory, course_with_sessions
from webinars.tests.test_timezones import form_data

pytestmark = pytest.mark.django_db

# Query parameters views read beyond their GET forms (pagination, the video player, the
# library's questions, the new-resource type, allauth's return address).
READ_PARAMETERS = ["side", "spill", "sporsmal", "type", "next", "q"]
# Forms sent last: they cancel, delete or unpublish what the other forms work on. Logging out
# would end the crawl's session, so those forms are left alone.
LAST = ("/avlys/", "/slett/", "/avmeld/", "/avpubliser/", "/delete/", "/sprak/")
SKIP_ACTIONS = ("/konto/logout/", "/admin/logout/")


@dataclass
class Office:
    office: Organisation
    session: Session
    course: Course
    registration: Registration
    link: JoinLink
    pending: Registration
    question: Question
    message: Message
    recording: Resource
    guide: Resource


def _office(office: Organisation, participant: User | None) -> Office:
    session = SessionFactory(organisation=office, capacity=3)
    SpeakerFactory(session=session)
    course = course_with_sessions(2, organisation=office)
    person = {"user": participant, "email": participant.email} if participant else {}
    registration = RegistrationFactory(session=session, **person)
    link = JoinLinkFactory(registration=registration, session=session)
    RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    pending = RegistrationFactory(
        offering=course.offering,
        status=Registration.Status.PENDING,
        optin_token=f"optin-{office.slug}-0123456789",
        optin_expires_at=timezone.now() + timedelta(hours=1),
    )
    question = QuestionFactory(offering=session.offering)
    message = Message.objects.create(offering=session.offering, audience="confirmed", subject="Hei", body="Tekst")
    recording = RecordingFactory(
        organisation=office, session=PastSessionFactory(organisation=office), status=Resource.Status.DRAFT
    )
    ContributorFactory(resource=recording)
    guide = ResourceFactory(organisation=office)
    return Office(office, session, course, registration, link, pending, question, message, recording, guide)


@dataclass
class World:
    a: Office
    b: Office
    participant: User
    calendar_token: str
    confirm_key: str
    reset: tuple[str, str]
    topic_slug: str
    follower: Follower


@pytest.fixture
def world(office_a, office_b, organiser_a, organiser_b, participant) -> World:
    cache.clear()
    a = _office(office_a, participant)
    b = _office(office_b, None)
    address = EmailAddress.objects.get(user=participant)
    return World(
        a=a,
        b=b,
        participant=participant,
        calendar_token=calendar_token_regenerate_for(participant),
        confirm_key=EmailConfirmationHMAC(address).key,
        reset=(user_pk_to_url_str(participant), default_token_generator.make_token(participant)),
        topic_slug=TopicFactory().slug,
        # A confirmed guest follower whose second request waits for its link.
        follower=FollowFactory(
            follower=FollowerFactory(
                optin_token="optin-follow-0123456789", optin_expires_at=timezone.now() + timedelta(hours=1)
            ),
            organisation=office_a,
        ).follower,
    )


def _values(route: Route, office: Office, world: World) -> dict[str, str]:
    """The real values of the route's parameters, taken from `office`'s rows."""
    name, path = route.name, path_for(route, {p: "{" + p + "}" for p, _ in parameters(route)})
    values = {}
    for param, _converter in parameters(route):
        if param == "slug":
            if path.startswith(("/innbygging/tema/", "/webinarer/tema/")):
                values[param] = world.topic_slug
            elif path.startswith("/innbygging/"):
                values[param] = office.office.slug
            elif path.startswith("/webinarer/"):
                values[param] = office.session.slug
            elif path.startswith("/kurs/"):
                values[param] = office.course.slug
            elif path.startswith(("/organisasjoner/", "/api/v1/organisations/", "/folg/kontor/")):
                values[param] = office.office.slug
            else:
                values[param] = office.guide.slug
        elif param == "pk":
            if "sporsmal/{pk}" in path and "webinarer" not in path and "kurs" not in path:
                values[param] = office.question.pk
            elif "meldinger/{pk}" in path and "webinarer" not in path and "kurs" not in path:
                values[param] = office.message.pk
            elif "/ressurser/" in path:
                values[param] = office.recording.pk
            elif "/kurs/" in path:
                values[param] = office.course.pk
            else:
                values[param] = office.session.pk
        elif param == "offering_id":  # /api/v1/offerings/{offering_id}
            values[param] = office.session.offering_id
        elif param == "resource_id":  # /api/v1/resources/{resource_id}
            values[param] = office.guide.pk
        elif param == "manage_token":
            values[param] = office.registration.manage_token
        elif param == "token":
            values[param] = {
                "join": office.link.token,
                "join_ics": office.link.token,
                "registration_optin": office.pending.optin_token,
                "personal_feed": world.calendar_token,
                # A real, unexpired erasure link, for an address nobody registered with.
                "erasure_confirm": erasure_token("nobody@example.invalid"),
                "feedback_survey": feedback_token(office.registration.pk, office.session.pk),
                "certificate_download": download_token(office.registration.pk),
                "following_confirm": world.follower.optin_token,
                "following_manage": world.follower.token,
                "following_unsubscribe": world.follower.token,
            }[name]
        elif param == "code":  # a genuine certificate code that names no certificate
            values[param] = certificate_code_new()
        elif name == "share_image":
            values[param] = {"kind": "webinar", "key": office.session.slug}[param]
        elif name == "account_confirm_email":
            values[param] = world.confirm_key
        elif name == "account_reset_password_from_key":
            values[param] = dict(zip(("uidb36", "key"), world.reset, strict=True))[param]
        elif param == "id":  # the admin's password form of a user
            values[param] = world.participant.pk
        elif param == "object_id" and name == "admin:view_on_site":
            values[param] = office.session.pk
        elif param == "object_id":
            app_label, model_name = path.split("/")[2:4]
            row = apps.get_model(app_label, model_name).objects.order_by("pk").first()
            values[param] = row.pk if row else 1
        elif param == "content_type_id":
            values[param] = ContentType.objects.get_for_model(Session).pk
        elif param == "app_label":
            values[param] = "webinars"
        elif param == "url":
            values[param] = "finnes-ikke/"
        else:
            raise AssertionError(f"The crawler does not know what to put in {param} of {name}: teach it.")
    return {k: str(v) for k, v in values.items()}


# Forms whose untouched state is invalid get a valid base, so the crawl reaches the services.
def _presets(world: World) -> dict[str, dict[str, list[str]]]:
    office = world.a.office

    def lists(data: dict) -> dict[str, list[str]]:
        return {k: [str(v)] for k, v in data.items()}

    return {
        "/arbeidsrom/webinarer/ny/": lists(form_data(office)),
        "/arbeidsrom/kurs/ny/": lists({"organisation": office.pk, "title": "Nytt kurs", "language": "nb"}),
        "/arbeidsrom/ressurser/ny/": lists(
            {"kind": "guide", "organisation": office.pk, "title": "Ny", "body": "Tekst", "language": "nb"}
            | {"visibility": "public"}
        ),
        "sporsmal/": lists({"kind": "text", "label": "Instrument", "position": "0"}),
        # Sent, not only previewed: the email is built from what was typed.
        "meldinger/": lists({"audience": "confirmed", "subject": "Hei", "body": "Tekst", "action": "send"}),
        "pamelding/": lists({"name": "Ola Nordmann", "email": "ola@example.no", "consent": "on"}),
        "/konto/signup/": lists(
            {"email": "ny@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD, "display_name": "Ny"}
        ),
    }


@dataclass
class Crawl:
    client: Client
    problems: list[str]
    requests: int = 0

    def send(self, method: str, path: str, data=None) -> object:
        self.requests += 1
        response = getattr(self.client, method)(path, data or {})
        if response.status_code >= 500:
            shown = {k: [str(v)[:30] for v in vs] for k, vs in (data or {}).items()} if data else ""
            self.problems.append(f"{response.status_code} {method.upper()} {path[:120]} {shown}"[:400])
        return response


def _html(response) -> str | None:
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        return response.content.decode()
    return None


def _get_phase(crawl: Crawl, world: World, *, admin: bool) -> list[tuple[str, str]]:
    """Every route (the admin's, or the others and the admin's front door), with real values,
    other offices' values and malformed ones in its path; every query parameter with hostile
    values. Returns the pages it could read."""
    pages = []
    for route in routes():
        in_admin = path_for(route, _values(route, world.a, world)).startswith("/admin/")
        if in_admin != admin and route.name not in ("admin:index", "admin:login"):
            continue
        own = _values(route, world.a, world)
        path = path_for(route, own)
        response = crawl.send("get", path)
        html = _html(response)
        if html is not None:
            pages.append((path, html))
        other = _values(route, world.b, world)
        if other != own:
            crawl.send("get", path_for(route, other))
        for param, converter in parameters(route):
            for bad in HOSTILE_PATH.get(converter, []):
                crawl.send("get", path_for(route, {**own, param: bad}))
        if html is None:
            continue
        names = set(READ_PARAMETERS)
        for form in forms_on(html, "http://testserver" + path):
            if form.method == "get":
                names |= set(form.fields)
        for value in HOSTILE_SHORT:
            crawl.send("get", path, {name: value for name in names})
        for form in forms_on(html, "http://testserver" + path):
            if form.method == "get":
                for name, kind in form.fields.items():
                    for value in HOSTILE_BY_KIND.get(kind, HOSTILE_BY_KIND["text"]):
                        crawl.send("get", path, {name: value})
    return pages


def _post_phase(crawl: Crawl, world: World, pages: list[tuple[str, str]], *, deep: Callable[[str], bool]) -> None:
    """Every POST form on the pages, once each, with the variants of `variants`; one field at a
    time only where `deep(action)` (a form that creates is the same form that edits)."""
    presets = _presets(world)
    seen: set[tuple] = set()
    forms: list[Form] = []
    for path, html in pages:
        for form in forms_on(html, "http://testserver" + path):
            action = local_path(form.action)
            key = (action, tuple(sorted(form.fields)), tuple(form.buttons))
            if form.method != "post" or key in seen or action.startswith(SKIP_ACTIONS):
                continue
            seen.add(key)
            forms.append(form)
    forms.sort(key=lambda f: any(part in f.action for part in LAST))
    ids = [str(world.b.session.pk), str(world.b.office.pk), str(world.b.registration.pk)]
    for form in forms:
        action = local_path(form.action)
        preset = next((data for suffix, data in presets.items() if action.endswith(suffix)), {})
        named = {*form.fields, *form.data, *(name for name, _value in form.buttons)}
        extra = {k: v for k, v in preset.items() if k in named}
        for data in variants(form, ids, extra, one_at_a_time=deep(action)):
            crawl.send("post", action, data)


def _all_rows():
    models = [
        User,
        Organisation,
        Membership,
        EmailAddress,
        Authenticator,
        Offering,
        Session,
        Speaker,
        Course,
        Registration,
        JoinLink,
        Question,
        Message,
        Notification,
        Resource,
        Contributor,
    ]
    return fingerprint(model.objects.all() for model in models)


def _office_rows(office: Office):
    org = office.office
    return fingerprint(
        [
            Organisation.objects.filter(pk=org.pk),
            Offering.objects.filter(organisation=org),
            Session.objects.filter(organisation=org),
            Speaker.objects.filter(session__organisation=org),
            Course.objects.filter(organisation=org),
            Registration.objects.filter(offering__organisation=org),
            JoinLink.objects.filter(registration__offering__organisation=org),
            Question.objects.filter(offering__organisation=org),
            Message.objects.filter(offering__organisation=org),
            Notification.objects.filter(registration__offering__organisation=org),
            Resource.objects.filter(organisation=org),
            Contributor.objects.filter(resource__organisation=org),
        ]
    )


def _organisers_rows():
    # A registrant's cancellation gives a seat back: the offering's count is the registrants'.
    return fingerprint(
        (
            m.objects.all()
            for m in [
                Organisation,
                Membership,
                Offering,
                Session,
                Speaker,
                Course,
                Question,
                Message,
                Resource,
                Contributor,
            ]
        ),
        ignore=["webinars.Offering.seats_taken", "webinars.Offering.updated_at"],
    )


def _read_only_rows():
    """What the services write: the admin shows it and changes none of it (issue 11, item 10)."""
    return fingerprint(
        m.objects.all()
        for m in [Offering, Session, Speaker, Course, Registration, JoinLink, Question, Message, Notification, Resource]
    )


def _crawl(client: Client, world: World, *, protected, admin: bool = False, deep=lambda action: True) -> None:
    """Crawl as `client`'s visitor: no 5xx; a GET changes no row; `protected()` rows never change."""
    crawl = Crawl(client=client, problems=[])
    started = time.monotonic()
    before = _all_rows()
    untouchable = protected()
    pages = _get_phase(crawl, world, admin=admin)
    assert changed(before, _all_rows()) == {}, "a GET changed rows"
    _post_phase(crawl, world, pages, deep=deep)
    assert crawl.problems == [], "\n".join(crawl.problems[:40])
    assert changed(untouchable, protected()) == {}, "rows changed that this visitor may not change"
    print(f"{crawl.requests} requests, {len(pages)} pages, {time.monotonic() - started:.1f} s")


def _saved_rows_are_sound() -> None:
    """What an organiser managed to save passes the models' bounds and holds no control characters."""
    for session in Session.objects.all():
        session.clean()
    for offering in Offering.objects.all():
        offering.clean()
    texts = [
        *Session.objects.values_list("title", flat=True),
        *Course.objects.values_list("title", flat=True),
        *Resource.objects.values_list("title", flat=True),
        *Speaker.objects.values_list("name", flat=True),
        *Contributor.objects.values_list("name", flat=True),
        *Question.objects.values_list("label", flat=True),
        *Message.objects.values_list("subject", flat=True),
        *Registration.objects.values_list("name", flat=True),
        *User.objects.values_list("display_name", flat=True),
    ]
    assert [t for t in texts if has_control_characters(t) or "\n" in t] == []


def test_an_anonymous_visitor_cannot_cause_a_500_or_change_an_organisers_rows(world):
    _crawl(
        Client(raise_request_exception=False),
        world,
        protected=lambda: {**_office_rows(world.b), **_organisers_rows()},
    )
    _saved_rows_are_sound()


def test_a_participant_cannot_cause_a_500_or_change_an_organisers_rows(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.participant)
    _crawl(client, world, protected=lambda: {**_office_rows(world.b), **_organisers_rows()})
    _saved_rows_are_sound()


def test_an_organiser_cannot_cause_a_500_touch_another_office_or_save_what_the_models_refuse(world, organiser_a):
    client = Client(raise_request_exception=False)
    client.force_login(organiser_a)
    # A form that creates is the form that edits: one field at a time on the edit form only.
    _crawl(client, world, protected=lambda: _office_rows(world.b), deep=lambda action: not action.endswith("/ny/"))
    _saved_rows_are_sound()


def test_staff_cannot_cause_a_500_in_the_admin_or_change_what_the_services_write(world):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(email="drift@example.no", is_staff=True, is_superuser=True))
    # The admin's forms are Django's own, well trodden: every field at once, not one by one.
    _crawl(client, world, protected=_read_only_rows, admin=True, deep=lambda action: False)


def test_the_crawler_knows_every_url_pattern(world):
    """A new URL pattern whose parameters the crawler cannot fill fails here, not silently."""
    for route in routes():
        _values(route, world.a, world)
