"""Suite-wide fixtures: personas, service markers, the browser, and the CI rule that a
test skipped for a missing service or browser fails the run."""

from __future__ import annotations

import functools
import os
import shutil

import pytest
from django.conf import settings

from config.env import env_bool

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# beside it (live_server, fixtures) need this, as ARCHITECTURE.md notes.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ON_CI = env_bool("CI", default=False)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` or `redis` run only where that service is configured.

    The CI script runs the suite twice: once against PostgreSQL and Redis, where every
    test runs, and once on the embedded defaults, where these are deselected (not
    skipped) because the service is deliberately absent from that configuration.
    """
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    with_redis = bool(settings.REDIS_URL)
    keep, drop = [], []
    for item in items:
        if (item.get_closest_marker("postgresql") and not on_postgres) or (
            item.get_closest_marker("redis") and not with_redis
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionfinish(session, exitstatus):
    if not ON_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; under CI a skip fails the run.", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}


@pytest.fixture
def office_a(db):
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(slug="office-a", short_name="Kontor A", name="Musikkontor A")


@pytest.fixture
def office_b(db):
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(slug="office-b", short_name="Kontor B", name="Musikkontor B")


@pytest.fixture
def organiser_a(office_a):
    from accounts.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="organiser-a@example.no", display_name="Organiser A")
    MembershipFactory(user=user, organisation=office_a)
    return user


@pytest.fixture
def organiser_b(office_b):
    from accounts.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="organiser-b@example.no", display_name="Organiser B")
    MembershipFactory(user=user, organisation=office_b)
    return user


@pytest.fixture
def participant(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="participant@example.no", display_name="Kari Deltaker")


@pytest.fixture(autouse=True)
def _bokmal_by_default():
    # Code under test may activate a recipient's language (emails); start every test in Bokmål.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_catalogue_cache():
    # Rows roll back between tests, cached catalogue fragments would not: a new version hides
    # them (and the registration page's stored rows, kept under the settings version). Which
    # offerings this process found full would not roll back either (SQLite reuses their ids).
    from registrations.services import seat_hints_reset
    from webinars.page_cache import catalogue_cache_reset

    catalogue_cache_reset()
    seat_hints_reset()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block's writes left for their commit, as a real
    commit would (a test's own transaction never commits). The catalogue cache replaces its
    version at commit, so a write made straight in a test shows on the next page only so."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)
