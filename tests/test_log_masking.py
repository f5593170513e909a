"""Secret tokens in URL paths never reach a log line (issue 11, item 7): gunicorn's access and
error logs, Django's own log lines (404s, 500s) and runserver's request lines."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.log_masking import MASK, mask_secrets

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zx9SECRETtoken_-0123456789abcdefghijklmnopqrst"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'"GET /join/{SECRET}/ HTTP/1.1" 302', f'"GET /join/{MASK}/ HTTP/1.1" 302'),
        (f"/pamelding/{SECRET}/", f"/pamelding/{MASK}/"),
        (f"/pamelding/bekreft/{SECRET}/", f"/pamelding/bekreft/{MASK}/"),
        (f"/pamelding/avmeld/{SECRET}/?x=1", f"/pamelding/avmeld/{MASK}/?x=1"),
        (f"/paminnelser/avslutt/{SECRET}/", f"/paminnelser/avslutt/{MASK}/"),
        (f"/kalender/{SECRET}.ics", f"/kalender/{MASK}.ics"),
        (f"/konto/password/reset/key/3-{SECRET}/", f"/konto/password/reset/key/{MASK}/"),
        (f"/konto/confirm-email/{SECRET}/", f"/konto/confirm-email/{MASK}/"),
        # in a referrer, and URL-encoded inside a query string
        (f'"https://example.no/pamelding/{SECRET}/" "Mozilla"', f'"https://example.no/pamelding/{MASK}/" "Mozilla"'),
        (f"/konto/login/?next=%2Fpamelding%2F{SECRET}%2F", f"/konto/login/?next=%2Fpamelding%2F{MASK}%2F"),
        # pages without a secret keep their path
        ("/pamelding/sjekk-e-post/", "/pamelding/sjekk-e-post/"),
        ("GET /webinarer/streaming/pamelding/ HTTP/1.1", "GET /webinarer/streaming/pamelding/ HTTP/1.1"),
        ("/webinarer/streaming/kalender.ics", "/webinarer/streaming/kalender.ics"),
        ("/mine-pameldinger/kalender/ny-lenke/", "/mine-pameldinger/kalender/ny-lenke/"),
        ("/webinarer/?q=join", "/webinarer/?q=join"),
    ],
)
def test_it_masks_the_secret_segment_and_nothing_else(line, expected):
    assert mask_secrets(line) == expected


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _secret_routes() -> list[tuple[str, str]]:
    """Every URL pattern of the project with a token or key in its path."""
    found = []
    for route, pattern in _patterns(get_resolver()):
        # The share image's `key` is a public page's slug, not a secret.
        if pattern.name == "share_image":
            continue
        if pattern.name and any(word in route for word in ("token", "key>", "?P<key>", "<str:code>")):
            found.append((route, pattern.name))
    return found


def test_every_url_with_a_secret_in_its_path_is_masked(db):
    routes = dict((name, route) for route, name in _secret_routes())
    # The ones issue 11 names, so that a renamed parameter cannot make this test empty.
    assert {
        "join",
        "registration_detail",
        "registration_optin",
        "registration_cancel",
        "reminders_unsubscribe",
        "personal_feed",
        "account_reset_password_from_key",
        "account_confirm_email",
        "feedback_survey",
        "certificate_download",
        "certificate_verify",
        "following_confirm",
        "following_manage",
        "following_unsubscribe",
    } <= set(routes)
    for name, route in routes.items():
        if name == "account_reset_password_from_key":
            url = reverse(name, kwargs={"uidb36": "3", "key": SECRET})
        else:
            url = reverse(name, args=[SECRET])
        masked = mask_secrets(f'"GET {url} HTTP/1.1" 404')
        assert SECRET not in masked, (name, route)
        assert MASK in masked


def test_django_logs_the_path_of_a_404_masked(client, db):
    # The console handler of settings.LOGGING (pytest adds handlers of its own, subclasses of it).
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    out = StringIO()
    previous = handler.setStream(out)
    try:
        assert client.get(f"/join/{SECRET}/").status_code == 404
        assert client.get(f"/pamelding/{SECRET}/").status_code == 404
    finally:
        handler.setStream(previous)
    lines = out.getvalue()
    assert f"Not Found: /join/{MASK}/" in lines
    assert f"Not Found: /pamelding/{MASK}/" in lines
    assert SECRET not in lines


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_masks_request_lines_and_referrers(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "REDIS_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        # An empty database: the pages answer 500, which Django logs with the path as well.
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        for path in (f"/join/{SECRET}/", f"/kalender/{SECRET}.ics", f"/konto/confirm-email/{SECRET}/"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Referer": f"http://127.0.0.1:{port}/pamelding/{SECRET}/"},
            )
            try:
                urllib.request.urlopen(request, timeout=10).close()
            except urllib.error.HTTPError:
                pass  # 404 or 500: either way it is logged
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"GET /join/{MASK}/ HTTP/1.1" in output
    assert f"GET /kalender/{MASK}.ics HTTP/1.1" in output
    assert f"/pamelding/{MASK}/" in output  # the referrer
    assert SECRET not in output


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SMTPRecipientsRefused: {'kari.nordmann@example.no': (550, b'no')}", "{'[masked]@example.no': (550, b'no')}"),
        ("GET /pamelding/sjekk-e-post/?e=kari%40example.no HTTP/1.1", "?e=[masked]%40example.no HTTP/1.1"),
    ],
)
def test_it_masks_the_person_in_an_email_address(line, expected):
    assert expected in mask_secrets(line)
    assert "kari" not in mask_secrets(line)
