"""Weekly digest: 10,000 confirmed followers of offices and topics (Bokmål and English mixed),
the week's news published; one Celery worker (concurrency 2) over Redis runs the beat's digest
task, which writes the digests into the outbox in batches, and delivers them to an aiosmtpd sink.

Baseline in the same run: plain smtplib sending 10,000 pre-rendered messages of a real digest's
size over one connection to the same sink. Prints one JSON line: followers, delivered,
duplicates, missing, seconds (from the task's start to the last digest arriving), emails_per_s,
baseline_emails_per_s, ratio, worker_peak_rss_mb, CPU milliseconds per email by process group
(bench/harness.py) and the load average at the start, as bench/reminder_fanout.py does.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres; the script creates its own database
`bench_digest`) and Redis on 127.0.0.1:6379 (database 11, flushed). Run:
    .venv/bin/python bench/digest.py [--followers 10000]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

from bench.reminder_fanout import mail_bench  # noqa: E402
from config.env import env_str  # noqa: E402

DB_NAME = "bench_digest"
REDIS_URL = env_str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/11")
OFFICES, TOPICS = 7, 10


def seed(followers: int) -> None:
    """Seven offices with three upcoming webinars each, a course, ten topics, ten new public
    resources; `followers` confirmed followers, each of one office and one topic."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Organisation
    from following.models import Follow, Follower
    from library.models import Resource
    from webinars.models import Course, Offering, Session, Status, Topic

    now = timezone.now()
    offices = [
        Organisation.objects.create(
            name=f"Musikkontor {i}", short_name=f"MK{i}", slug=f"mk{i}", contact_email=f"post@mk{i}.example.no"
        )
        for i in range(OFFICES)
    ]
    topics = [Topic.objects.create(name=f"Tema {i}", name_en=f"Topic {i}", slug=f"tema-{i}") for i in range(TOPICS)]
    n = 0
    for office in offices:
        for _ in range(3):
            starts_at = now + timedelta(days=3 + n % 20, hours=n % 5)
            offering = Offering.objects.create(organisation=office, status=Status.PUBLISHED)
            session = Session.objects.create(
                offering=offering,
                organisation=office,
                title=f"Strømmeinntekter og royalties del {n}",
                slug=f"webinar-{n}",
                summary="Hvordan pengene fra strømmetjenestene finner veien til låtskrivere og utøvere.",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                status=Status.PUBLISHED,
                stream_url="https://zoom.us/j/1234567890",
            )
            session.topics.set([topics[n % TOPICS]])
            n += 1
    offering = Offering.objects.create(organisation=offices[0], kind=Offering.Kind.COURSE, status=Status.PUBLISHED)
    course = Course.objects.create(offering=offering, organisation=offices[0], title="Kurs i booking", slug="booking")
    course.topics.set(topics[:2])
    for i in range(3):
        starts_at = now + timedelta(days=7 * (i + 1))
        Session.objects.create(
            offering=offering,
            organisation=offices[0],
            title=f"Booking del {i + 1}",
            slug=f"booking-{i}",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            status=Status.PUBLISHED,
            position=i,
        )
    for i in range(10):
        resource = Resource.objects.create(
            title=f"Veileder {i}: kontrakter og rettigheter",
            slug=f"veileder-{i}",
            summary="Det du bør vite før du skriver under.",
            organisation=offices[i % OFFICES],
            status=Resource.Status.PUBLISHED,
            visibility=Resource.Visibility.PUBLIC,
            published_at=now - timedelta(days=1),
        )
        resource.topics.set([topics[(i * 3) % TOPICS]])
    for start in range(0, followers, 2000):
        rows = Follower.objects.bulk_create(
            [
                Follower(
                    email=f"folger{i}@example.no",
                    language="en" if i % 3 == 0 else "nb",
                    consent_at=now,
                    confirmed_at=now,
                )
                for i in range(start, min(start + 2000, followers))
            ]
        )
        Follow.objects.bulk_create(
            [Follow(follower=f, organisation=offices[i % OFFICES]) for i, f in enumerate(rows, start)]
            + [Follow(follower=f, topic=topics[i % TOPICS]) for i, f in enumerate(rows, start)]
        )


def sample_digest() -> bytes:
    """A real digest, built as the worker builds it, for the baseline's message size. Its
    follower (outside the counted addresses) has this week's digest already, so the run skips it."""
    from django.utils import timezone

    from following.digests import announcements_record, digest_period, digests_write_batch, news_of
    from following.models import Follow, Follower
    from registrations.emails import build_batch, build_message, build_prefetch
    from registrations.models import Notification

    now = timezone.now()
    period = digest_period(now)
    announcements_record(period=period, now=now)
    follower = Follower.objects.create(email="sample@sample.example", language="nb", confirmed_at=now)
    first = Follow.objects.filter(organisation__isnull=False).first()
    Follow.objects.create(follower=follower, organisation_id=first.organisation_id)
    Follow.objects.create(follower=follower, topic_id=Follow.objects.filter(topic__isnull=False).first().topic_id)
    digests_write_batch(followers=[follower], news=news_of(period=period, now=now), period=period, now=now)
    row = Notification.objects.select_related("registration").get(kind="digest", to_email="sample@sample.example")
    with build_batch():
        build_prefetch([row])
        sample = build_message(row).message().as_bytes(linesep="\r\n")
    row.delete()
    return sample


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=10_000)
    args = parser.parse_args()
    n = args.followers

    def prepare() -> bytes:
        seed(n)
        return sample_digest()

    def kick() -> None:
        from following.tasks import digests_run

        digests_run.apply_async()  # what the beat does once a week

    result = mail_bench(
        n=n,
        label="digest",
        db_name=DB_NAME,
        redis_url=REDIS_URL,
        prepare=prepare,
        kick=kick,
        address=lambda i: f"folger{i}@example.no",
        extra_env={"DIGEST_BATCH_SIZE": "500"},
    )
    result["digest_bytes"] = result.pop("sample_bytes")
    print(json.dumps({"followers": n, **result}))


if __name__ == "__main__":
    main()
