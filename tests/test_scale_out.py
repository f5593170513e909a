"""A second machine: two web servers and two Celery workers against one PostgreSQL database,
one Redis and one S3-compatible bucket, as docs/deployment.md describes. Everything goes over
real HTTP: a person signs up on one web server and confirms on the other, a signed-in person and
a guest register through both, an organiser uploads a document through one and it is downloaded
through the other; every email reaches the SMTP sink exactly once, whichever worker sent it.

The web servers are gunicorn processes with the production-shaped test settings
(config.test_settings: DEBUG off, static files served without collectstatic's manifest); each
has its own MEDIA_ROOT, which must stay empty. The bucket is moto's S3 server in this process
(library/tests/s3server.py); the workers are started as the delivery tests start them, one of
them with beat (there is only ever one beat)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import TEST_PASSWORD
from library.models import Resource
from library.tests.s3server import S3Server
from library.tests.test_uploads import PDF
from registrations.models import Notification, Registration
from registrations.tests.smtpsink import Sink, free_port
from registrations.tests.test_delivery_celery import database_url, wait_for, workers  # noqa: F401 - the fixture
from webinars.tests.factories import SessionFactory

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET_KEY = "scale-out-test-secret-key-shared-by-every-machine-0123456789"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Web:
    """One gunicorn server on its own port, and a browser-like client for it."""

    def __init__(self, port: int, process: subprocess.Popen, media_root: Path, log: Path):
        self.port = port
        self.process = process
        self.media_root = media_root
        self.log = log
        self.origin = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def get(self, browser: requests.Session, path: str, **kwargs) -> requests.Response:
        return browser.get(self.url(path), timeout=30, **kwargs)

    def submit(self, browser: requests.Session, path: str, data: dict, files=None) -> requests.Response:
        """GET the form's page for its CSRF token, then POST it as a browser does (with Origin)."""
        page = self.get(browser, path)
        assert page.status_code == 200, (path, page.status_code)
        match = CSRF_TOKEN.search(page.text)
        assert match, f"no CSRF token on {path}"
        return browser.post(
            self.url(path),
            data={"csrfmiddlewaretoken": match.group(1), **data},
            files=files,
            headers={"Origin": self.origin, "Referer": self.url(path)},
            allow_redirects=False,
            timeout=30,
        )


def start_web(tmp: Path, n: int, port: int, environment: dict[str, str]) -> Web:
    media_root = tmp / f"media-{n}"
    media_root.mkdir()
    env = {
        **environment,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "MEDIA_ROOT": str(media_root),
    }
    log = open(tmp / f"web-{n}.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "-c", "platform/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Web(port, process, media_root, tmp / f"web-{n}.log")


def wait_until_healthy(web: Web) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert web.process.poll() is None, web.log.read_text()
        try:
            if requests.get(web.url("/healthz"), timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.25)
    raise AssertionError(f"{web.origin} did not answer /healthz within 60 s")


@pytest.fixture
def s3():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def sink():
    sink = Sink().start()
    yield sink
    sink.stop()


@pytest.fixture
def webs(workers, s3, sink):  # noqa: F811 - the imported fixture
    """Two web servers and two workers (one with beat), sharing the database, Redis and bucket."""
    ports = [free_port(), free_port()]
    # Links in emails point at the first; a load balancer would stand at that address.
    site_url = f"http://127.0.0.1:{ports[0]}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "SITE_URL": site_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": sink.url,
        "LOG_LEVEL": "WARNING",
        **s3.environment(),
    }
    environment.pop("TEST_DATABASE_NAME", None)
    servers: list[Web] = []
    try:
        # Everything starts at once; the test begins when both servers answer /healthz.
        for n, port in enumerate(ports, 1):
            servers.append(start_web(workers.tmp, n, port, environment))
        worker_env = {"SECRET_KEY": SECRET_KEY, "SITE_URL": site_url, **s3.environment()}
        workers.start(smtp_port=sink.port, beat=True, **worker_env)
        workers.start(smtp_port=sink.port, **worker_env)
        for server in servers:
            wait_until_healthy(server)
        yield servers
    finally:
        for server in servers:
            stop(server.process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group (gunicorn's arbiter and its worker), SIGKILL if it lingers."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def path_of_link(sink: Sink, to: str, pattern: str) -> str:
    """The path of the first link matching `pattern` in the emails that reached `to`."""
    for recipients, message in list(sink.handler.messages):
        if to in recipients:
            body = message.get_body(preferencelist=("plain",)).get_content()
            match = re.search(r"https?://[^/\s]+(" + pattern + r")", body)
            if match:
                return match.group(1)
    raise AssertionError(f"no link {pattern} in the emails to {to}")


def arrived(sink: Sink, to: str, count: int):
    return lambda: sum(to in recipients for recipients, _ in list(sink.handler.messages)) >= count


def test_two_web_servers_and_two_workers_share_one_database_redis_and_bucket(webs, s3, sink, office_a, organiser_a):
    web1, web2 = webs
    session = SessionFactory(organisation=office_a, capacity=None)
    register = f"/webinarer/{session.slug}/pamelding/"

    # Sign up on web 1; confirm the address on web 2, which signs the person in there.
    person = requests.Session()
    response = web1.submit(
        person,
        "/konto/signup/",
        {
            "email": "ny@example.no",
            "display_name": "Ny Musiker",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302, response.text
    wait_for(arrived(sink, "ny@example.no", 1), 60, "the verification email")
    confirm = path_of_link(sink, "ny@example.no", r"/konto/confirm-email/[^\s]+/")
    assert web2.submit(person, confirm, {}).status_code == 302

    # The session made on web 2 is good on web 1 (sessions live in the database and Redis):
    # register there as the signed-in person.
    assert "Logg ut" in web1.get(person, "/").text
    response = web1.submit(person, register, {})
    assert response.status_code == 302, response.text
    assert "pameldt=1" in response.headers["Location"]

    # A guest registers on web 2 and confirms the opt-in link on web 1.
    guest = requests.Session()
    response = web2.submit(guest, register, {"name": "Gjest Gjestesen", "email": "gjest@example.no", "consent": "on"})
    assert response.status_code == 302, response.text
    wait_for(arrived(sink, "gjest@example.no", 1), 60, "the opt-in email")
    optin = path_of_link(sink, "gjest@example.no", r"/pamelding/bekreft/[A-Za-z0-9_-]+/")
    assert web1.submit(guest, optin, {}).status_code in (200, 302)

    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"ny@example.no": "confirmed", "gjest@example.no": "confirmed"}

    # An organiser uploads a draft document through web 1; web 2 serves it to the organiser
    # from the bucket, and to nobody else.
    organiser = requests.Session()
    response = web1.submit(organiser, "/konto/login/", {"login": organiser_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    response = web1.submit(
        organiser,
        "/arbeidsrom/ressurser/ny/",
        {"kind": "document", "organisation": office_a.pk, "title": "Lysark", "language": "nb", "visibility": "public"},
        files={"upload": ("Lysark høst.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302, response.text
    resource = Resource.objects.get()
    assert s3.keys() == [resource.file.name]
    download = web2.get(organiser, f"/ressursbank/{resource.slug}/fil/")
    assert download.status_code == 200
    assert download.content == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert web2.get(requests.Session(), f"/ressursbank/{resource.slug}/fil/").status_code == 404
    assert [p for web in webs for p in web.media_root.rglob("*")] == []

    # Every email once: the verification, two confirmations and the opt-in, whichever worker
    # (or beat's sweep, or the after-commit nudge) reached each first.
    # (The reminders wait in the outbox for their time, days ahead.)
    due = Notification.objects.filter(due_at__lte=timezone.now())
    assert due.count() == 4
    wait_for(lambda: not due.exclude(state="sent").exists(), 60, "every due email sent")
    time.sleep(4)  # a few more sweeps by beat: nothing goes out twice
    received = Counter(sink.handler.message_ids())
    assert len(received) == 4
    assert max(received.values()) == 1, "an email was sent twice"
    recipients = Counter(to for tos, _ in sink.handler.messages for to in tos)
    assert recipients == {"ny@example.no": 2, "gjest@example.no": 2}
