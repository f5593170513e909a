"""The weekly digest: what is new for each follower, written as outbox rows in batches.

A run (the beat's `following.tasks.digests_run`, DIGEST_WEEKDAY at DIGEST_HOUR) first records
what is new this week (`announcements_record`): every listed offering with a session still to
come, and every public resource published lately, not yet announced, gets an Announcement for
this week's period ("2026-W49"). So each offering and resource is new in exactly one week, and a
week the beat missed is caught up by the next run.

Then it walks the confirmed followers in primary-key order, `DIGEST_BATCH_SIZE` at a time. For
each batch it reads the followers with what they follow (two queries), matches them against the
week's news in memory, and writes one Digest row and one outbox row per follower with something
new, in one transaction (two INSERTs): the same number of queries whatever the batch holds. A
follower with nothing new gets no row at all. The unique (follower, period) of Digest makes a
second run, or a concurrent one, write nothing twice: a batch that collides is rolled back whole,
its outbox rows with it, and the rows the other run wrote stand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from following.models import Announcement, Digest, Follower
from library.models import Resource
from registrations.models import Notification
from registrations.outbox import enqueue, notification_new
from webinars.models import Course, Offering, Session, Status

logger = logging.getLogger(__name__)

# A resource first seen public is news when it was published within this long (and since the
# last run): the first run must not announce the whole archive.
RESOURCE_NEWS_WINDOW = timedelta(days=7)


def digest_period(now: datetime) -> str:
    """The ISO week of `now` in Norwegian time: "2026-W49"."""
    year, week, _ = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def announcements_record(*, period: str, now: datetime) -> int:
    """Give what is newly listed an Announcement for `period`; returns how many."""
    offering_ids = set(
        Offering.objects.filter(
            status=Status.PUBLISHED,
            announcement__isnull=True,
            sessions__status=Status.PUBLISHED,
            sessions__ends_at__gte=now,
        ).values_list("pk", flat=True)
    )
    last_run = Announcement.objects.aggregate(last=Max("created_at"))["last"]
    since = now - RESOURCE_NEWS_WINDOW
    if last_run is not None:
        since = min(since, last_run)
    resource_ids = set(
        Resource.objects.public()
        .filter(announcement__isnull=True, published_at__gte=since)
        .values_list("pk", flat=True)
    )
    rows = [Announcement(offering_id=pk, period=period, created_at=now) for pk in offering_ids]
    rows += [Announcement(resource_id=pk, period=period, created_at=now) for pk in resource_ids]
    Announcement.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@dataclass
class News:
    """The week's news: for each offering and resource, its office and topics."""

    offerings: dict[int, tuple[int, frozenset[int], datetime]] = field(default_factory=dict)
    resources: dict[int, tuple[int, frozenset[int], datetime]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.offerings or self.resources)

    def for_follows(self, organisation_ids: set[int], topic_ids: set[int]) -> tuple[list[int], list[int]]:
        def matches(entry):
            office, topics, _ = entry
            return office in organisation_ids or not topics.isdisjoint(topic_ids)

        offerings = sorted((e[2], pk) for pk, e in self.offerings.items() if matches(e))
        resources = sorted(((e[2], pk) for pk, e in self.resources.items() if matches(e)), reverse=True)
        return [pk for _, pk in offerings], [pk for _, pk in resources]


def news_of(*, period: str, now: datetime) -> News:
    """What was announced for `period` and is still listed: offerings with a session to come
    (ordered by their next start), public resources (newest first). Five queries."""
    news = News()
    announced = Announcement.objects.filter(period=period)
    offering_ids = list(announced.filter(offering__isnull=False).values_list("offering_id", flat=True))
    resource_ids = list(announced.filter(resource__isnull=False).values_list("resource_id", flat=True))
    if offering_ids:
        sessions = Session.objects.listed().upcoming(now).filter(offering_id__in=offering_ids)
        first: dict[int, tuple[datetime, int]] = {}
        session_offering: dict[int, int] = {}
        for pk, offering_id, organisation_id, starts_at in sessions.values_list(
            "pk", "offering_id", "offering__organisation_id", "starts_at"
        ):
            session_offering[pk] = offering_id
            if offering_id not in first or starts_at < first[offering_id][0]:
                first[offering_id] = (starts_at, organisation_id)
        topics: dict[int, set[int]] = {pk: set() for pk in first}
        for session_id, topic_id in Session.topics.through.objects.filter(session_id__in=session_offering).values_list(
            "session_id", "topic_id"
        ):
            topics[session_offering[session_id]].add(topic_id)
        for offering_id, topic_id in Course.topics.through.objects.filter(
            course__offering_id__in=list(first)
        ).values_list("course__offering_id", "topic_id"):
            topics[offering_id].add(topic_id)
        for offering_id, (starts_at, organisation_id) in first.items():
            news.offerings[offering_id] = (organisation_id, frozenset(topics[offering_id]), starts_at)
    if resource_ids:
        resources = Resource.objects.public().filter(pk__in=resource_ids)
        rows = list(resources.values_list("pk", "organisation_id", "published_at"))
        topics = {pk: set() for pk, _, _ in rows}
        for resource_id, topic_id in Resource.topics.through.objects.filter(resource_id__in=list(topics)).values_list(
            "resource_id", "topic_id"
        ):
            topics[resource_id].add(topic_id)
        for pk, organisation_id, published_at in rows:
            news.resources[pk] = (organisation_id, frozenset(topics[pk]), published_at or now)
    return news


def _followers_due(period: str):
    written = Digest.objects.filter(follower=OuterRef("pk"), period=period)
    return (
        Follower.objects.confirmed()
        .filter(~Exists(written))
        .select_related("user")
        .prefetch_related("follows")
        .order_by("pk")
    )


def digests_write_batch(*, followers: list[Follower], news: News, period: str, now: datetime) -> int:
    """One transaction: a Digest and an outbox row for each follower with news. Returns how
    many were written (0 when another run wrote this batch first)."""
    digests: list[Digest] = []
    for follower in followers:
        follows = follower.follows.all()
        offering_ids, resource_ids = news.for_follows(
            {f.organisation_id for f in follows if f.organisation_id}, {f.topic_id for f in follows if f.topic_id}
        )
        if offering_ids or resource_ids:  # never an empty digest
            digests.append(
                Digest(
                    follower=follower,
                    period=period,
                    offering_ids=offering_ids,
                    resource_ids=resource_ids,
                    created_at=now,
                )
            )
    if not digests:
        return 0
    try:
        with transaction.atomic():
            Digest.objects.bulk_create(digests)
            enqueue(
                *[
                    notification_new(
                        kind=Notification.Kind.DIGEST,
                        to_email=digest.follower.address,
                        language=digest.follower.language,
                        payload={"digest": digest.pk},
                    )
                    for digest in digests
                ],
                supersede=False,
            )
    except IntegrityError:
        # Another run wrote digests of this batch for this week first: they stand, ours go.
        logger.info("Digests of week %s for followers %s… were written by another run", period, followers[0].pk)
        return 0
    return len(digests)


def digests_run(*, now: datetime | None = None, batch_size: int | None = None) -> dict:
    """This week's digests for every confirmed follower with something new. Safe to run twice."""
    now = now or timezone.now()
    period = digest_period(now)
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    announced = announcements_record(period=period, now=now)
    news = news_of(period=period, now=now)
    written = batches = 0
    if news:
        last_pk = 0
        while True:
            followers = list(_followers_due(period).filter(pk__gt=last_pk)[:batch_size])
            if not followers:
                break
            batches += 1
            written += digests_write_batch(followers=followers, news=news, period=period, now=now)
            last_pk = followers[-1].pk
    return {"period": period, "announced": announced, "digests": written, "batches": batches}
