"""The bench app (bench/): its endpoints exist only where BENCHMARK_ENDPOINTS turns them on."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_it_installs_no_bench_app_and_routes_no_bench_url_by_default(client, db):
    assert "bench" not in settings.INSTALLED_APPS
    assert client.get("/bench/baseline/").status_code == 404


def test_benchmark_endpoints_install_the_bench_app_and_its_urls():
    code = (
        "from django.apps import apps; from django.test import Client; "
        "print(apps.is_installed('bench'), Client().get('/bench/baseline/', HTTP_HOST='localhost').status_code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DEBUG": "true", "BENCHMARK_ENDPOINTS": "true"})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "200"]


def test_the_seat_floor_statements_run_on_this_database(db, rf):
    # The rush's hand-written reference (bench/views.py) must keep up with the tables: a
    # column the models add without a database default would make every floor submit fail.
    from accounts.tests.factories import UserFactory
    from bench.views import seat_floor
    from registrations.models import JoinLink, Notification, Registration
    from webinars.tests.factories import SessionFactory

    session = SessionFactory(offering__capacity=1)
    for expected in ("confirmed", "waitlisted"):
        request = rf.post(f"/bench/seat-floor/{session.pk}/")
        request.user = UserFactory()
        request._dont_enforce_csrf_checks = True
        assert seat_floor(request, session.pk).status_code == 302
        registration = Registration.objects.get(user=request.user)
        assert registration.status == expected
        assert JoinLink.objects.filter(registration=registration, session=session).exists()
        assert Notification.objects.filter(registration=registration, kind=expected).exists()
    session.offering.refresh_from_db()
    assert session.offering.seats_taken == 1
