"""Dashboard benchmark: 100,000 registrations over 1,000 offerings and 7 offices on PostgreSQL.

Measures an organiser's office dashboard and a national user's national view, each for the
last twelve months (every offering held in the period, so every registration is counted),
against a static baseline page on the same server in interleaved rounds (bench/harness.py),
signed in through a session cookie; counts each page's queries with 10 and with 1,000
offerings. Prints one JSON line. Usage: .venv/bin/python bench/dashboard.py

Creates (drops and recreates) its own database `bench_dashboard`; Redis db 12 by default
(BENCH_REDIS_URL). Sizes: BENCH_OFFERINGS (1,000), BENCH_REGISTRATIONS (100,000); load:
BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_WORKERS, BENCH_ROUNDS, BENCH_COLD_SAMPLES.
Seeded with bulk_create in batches.

The figures are kept in the shared cache for five minutes (insight/cache.py): the rounds
measure the page as most requests get it, `first_request_after_change` a request that computes
the figures (the cache version replaced first), and the query counts are a computing request's.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")

from bench import harness  # noqa: E402

BENCH = harness.page_bench("bench_dashboard")


def _knobs() -> tuple[int, int]:
    from config.env import env_int

    return (
        env_int("BENCH_OFFERINGS", default=1000, minimum=10),
        env_int("BENCH_REGISTRATIONS", default=100_000, minimum=10),
    )


def seed(offerings: int, registrations: int, start_index: int) -> None:
    """`offerings` webinars (their first session in the last 360 days, a tenth still to come),
    spread over the offices, with `registrations` registrations among them: confirmed, some
    promoted from the waitlist, waitlisted, cancelled, a few anonymised; roles, counties and
    join links (most of the confirmed at past webinars joined)."""
    from django.utils import timezone

    from accounts.models import Organisation
    from registrations.models import County, JoinLink, Registration
    from webinars.models import Audience, Offering, Session, Status, Topic

    rng = random.Random(start_index)
    offices = list(Organisation.objects.offices())
    topics = list(Topic.objects.all())
    audiences = [None, *Audience.objects.all()]
    counties = ["", *County.values]
    now = timezone.now().replace(second=0, microsecond=0)
    made = Offering.objects.bulk_create(
        [
            Offering(organisation=offices[n % len(offices)], status=Status.PUBLISHED, capacity=200)
            for n in range(start_index, start_index + offerings)
        ],
        batch_size=2000,
    )
    sessions = []
    for n, offering in enumerate(made, start=start_index):
        starts_at = now - timedelta(days=rng.uniform(1, 360)) if rng.random() < 0.9 else now + timedelta(days=30)
        sessions.append(
            Session(
                organisation=offering.organisation,
                offering=offering,
                title=f"Webinar {n}: strømming og inntekter",
                slug=f"bench-dashboard-{n}",
                summary="Et webinar.",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                stream_url=f"https://zoom.us/j/9{n:09d}",
                status=Status.PUBLISHED,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    Session.topics.through.objects.bulk_create(
        [Session.topics.through(session_id=s.pk, topic_id=t.pk) for s in sessions for t in rng.sample(topics, 2)],
        batch_size=5000,
    )
    people = max(registrations * 2 // 5, 1)  # people come back: 100,000 registrations, 40,000 addresses
    per_offering = registrations // offerings
    batch: list[Registration] = []
    joined: list[bool] = []

    def flush():
        created = Registration.objects.bulk_create(batch, batch_size=5000)
        JoinLink.objects.bulk_create(
            [
                JoinLink(
                    registration_id=r.pk,
                    session_id=r.session_id,
                    first_joined_at=r.session_starts if came else None,
                    join_count=1 if came else 0,
                )
                for r, came in zip(created, joined, strict=True)
            ],
            batch_size=5000,
        )
        batch.clear()
        joined.clear()

    for session in sessions:
        emails = rng.sample(range(people), per_offering)
        for person in emails:
            status = rng.choices(["confirmed", "promoted", "waitlisted", "cancelled"], [80, 5, 7, 8])[0]
            erased = rng.random() < 0.03
            created_at = session.starts_at - timedelta(days=rng.uniform(0, 60))
            registration = Registration(
                offering_id=session.offering_id,
                name="" if erased else f"Deltaker {person}",
                email="" if erased else f"deltaker{person}@example.no",
                status="confirmed" if status == "promoted" else status,
                created_at=created_at,
                confirmed_at=created_at if status in ("confirmed", "promoted") else None,
                promoted_at=created_at + timedelta(days=1) if status == "promoted" else None,
                waitlisted_at=created_at if status == "waitlisted" else None,
                cancelled_at=created_at + timedelta(days=2) if status == "cancelled" else None,
                erased_at=now if erased else None,
                audience=rng.choice(audiences),
                county=rng.choice(counties),
            )
            registration.session_id = session.pk
            registration.session_starts = session.starts_at
            batch.append(registration)
            joined.append(registration.status == "confirmed" and session.starts_at < now and rng.random() < 0.7)
        if len(batch) >= 10000:
            flush()
    if batch:
        flush()


def bench_user():
    """An organiser of the first office who also has the national role, so one signed-in
    session (one cookie) measures both pages on one server."""
    from django.contrib.auth.models import Permission

    from accounts.models import Membership, Organisation, User

    office = Organisation.objects.offices().order_by("name").first()
    user = User.objects.create_user(email="bench-organiser@example.no", password=None)
    Membership.objects.create(user=user, organisation=office)
    user.user_permissions.add(Permission.objects.get(codename="view_national", content_type__app_label="insight"))
    return user


def cookie(user) -> str:
    """A signed-in session for `user` (stored in the database and the shared cache)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def paths() -> dict[str, str]:
    from django.utils import timezone

    today = timezone.localdate()
    period = f"periode=egen&fra={today - timedelta(days=365):%Y-%m-%d}&til={today + timedelta(days=60):%Y-%m-%d}"
    return {"office": f"/arbeidsrom/innsikt/?{period}", "national": f"/arbeidsrom/innsikt/nasjonalt/?{period}"}


def count(paths: dict[str, str], session_cookie: str) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from insight.cache import insight_cache_reset

    counts = {}
    for name, path in paths.items():
        client = Client(HTTP_COOKIE=session_cookie)
        client.get(path)  # warm content types, templates
        insight_cache_reset()  # a request that computes the figures
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


def main() -> None:
    offerings, registrations = _knobs()
    harness.setup_site(BENCH)
    from insight.cache import insight_cache_reset

    session_cookie = cookie(bench_user())
    seed(10, 1000, 0)
    queries_small = count(paths(), session_cookie)
    started = time.perf_counter()
    seed(offerings - 10, registrations - 1000, 10)
    seed_seconds = round(time.perf_counter() - started, 1)
    harness.analyze()
    queries_all = count(paths(), session_cookie)
    measured = harness.serve_and_measure(BENCH, paths(), reset=insight_cache_reset, headers={"Cookie": session_cookie})
    ratios = measured["ratios"]
    p95 = {name: page["p95_ms"] for name, page in measured["pages"].items()}
    report = {
        "bench": "dashboard",
        "offerings": offerings,
        "registrations": registrations,
        "offices": 7,
        "requests_per_page": BENCH.requests,
        "concurrency": BENCH.concurrency,
        "gunicorn_workers": BENCH.workers,
        "seed_seconds": seed_seconds,
        **harness.measured_fields(BENCH, measured),
        "queries_at_10_offerings": queries_small,
        f"queries_at_{offerings}_offerings": queries_all,
        "queries_constant": queries_small == queries_all,
        "goal_met": all(r >= 0.2 for r in ratios.values())
        and all(v <= 250 for v in p95.values())
        and queries_small == queries_all,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
