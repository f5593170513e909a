"""Search benchmark: 10,000 resources and 10,000 sessions on PostgreSQL, served by gunicorn.

Measures the site search (`/sok/?q=`) for three queries (a word in every item, a word form,
a compound's head) against a static baseline page on the same server, in interleaved rounds
(each search right after a baseline run; the median of the rounds' ratios is reported;
bench/harness.py), and counts each search's queries at 100 and at 10,000 of each. Prints one
JSON line.
Usage: .venv/bin/python bench/search.py

Runs as production does: DEBUG off and REDIS_URL set (default redis://127.0.0.1:6379/7,
BENCH_REDIS_URL to change), so an anonymous search comes from the shared fragment cache after
its first request (library/views.py, webinars/page_cache.py). Query counts are those of a full
search (cache miss); `first_request_after_change` times a full search right after the cache was
made stale, which is what a query nobody asked before costs.

It creates (drops and recreates) its own database `bench_search` and uses only 127.0.0.1.
Sizes and load: BENCH_SESSIONS, BENCH_RESOURCES, BENCH_REQUESTS, BENCH_CONCURRENCY,
BENCH_WORKERS, BENCH_ROUNDS, BENCH_COLD_SAMPLES (bench/harness.py, page_bench).
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

from bench import harness  # noqa: E402
from config.env import env_int  # noqa: E402

BENCH = harness.page_bench("bench_search")
RESOURCES = env_int("BENCH_RESOURCES", default=10000, minimum=1)


RESOURCE_TITLES = [
    "Kompensasjonsordninger for arrangører {n}",
    "Slik får du betalt fra strømmetjenestene {n}",
    "Planlegg utgivelsen din {n}",
    "Skattemeldingen for selvstendig næringsdrivende {n}",
]


def seed_resources(count: int, start_index: int) -> None:
    """bulk_create resources (and their topics and audiences) from start_index up to count."""
    from django.utils import timezone

    from accounts.models import Organisation
    from library.models import Resource
    from webinars.models import Audience, Topic

    offices = list(Organisation.objects.offices())
    topics = list(Topic.objects.all())
    audiences = list(Audience.objects.all())
    rng = random.Random(start_index)
    now = timezone.now()
    batch = []
    for n in range(start_index, count):
        status = rng.choices([Resource.Status.PUBLISHED, Resource.Status.DRAFT], [90, 10])[0]
        visibility = rng.choices(list(Resource.Visibility), [80, 10, 10])[0]
        batch.append(
            Resource(
                kind=rng.choice(list(Resource.Kind)),
                title=rng.choice(RESOURCE_TITLES).format(n=n),
                slug=f"bench-ressurs-{n}",
                summary="En veileder for musikere om inntekter og rettigheter.",
                body="Om **strømming**, vederlag, støtteordninger og konserter. " * 5,
                organisation=rng.choice(offices),
                status=status,
                visibility=visibility,
                published_at=now - timedelta(days=rng.randint(0, 2000)),
            )
        )
    created = Resource.objects.bulk_create(batch, batch_size=2000)
    Resource.topics.through.objects.bulk_create(
        [Resource.topics.through(resource_id=r.pk, topic_id=t.pk) for r in created for t in rng.sample(topics, 2)],
        batch_size=5000,
    )
    Resource.audiences.through.objects.bulk_create(
        [
            Resource.audiences.through(resource_id=r.pk, audience_id=a.pk)
            for r in created
            for a in rng.sample(audiences, 2)
        ],
        batch_size=5000,
    )


def pages() -> dict[str, str]:
    return {
        "every_item": "/sok/?q=str%C3%B8mming",  # in every seeded title or body
        "word_form": "/sok/?q=utgivelser",
        "compound": "/sok/?q=kompensasjon",
    }


def main() -> None:
    harness.setup_site(BENCH)
    from library.search_index import search_index_rebuild
    from webinars.page_cache import catalogue_cache_reset

    harness.seed_sessions(100, 0)
    seed_resources(100, 0)
    search_index_rebuild()  # bulk_create sends no signals
    queries_100 = harness.count_queries(pages(), reset=catalogue_cache_reset)
    started = time.perf_counter()
    harness.seed_sessions(BENCH.sessions, 100)
    seed_resources(RESOURCES, 100)
    seed_seconds = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    search_index_rebuild()
    index_seconds = round(time.perf_counter() - started, 1)
    harness.analyze()
    queries_all = harness.count_queries(pages(), reset=catalogue_cache_reset)
    measured = harness.serve_and_measure(BENCH, pages(), reset=catalogue_cache_reset)

    results, ratios = measured["pages"], measured["ratios"]
    report = {
        "bench": "search",
        "sessions": BENCH.sessions,
        "resources": RESOURCES,
        "requests_per_page": BENCH.requests,
        "concurrency": BENCH.concurrency,
        "gunicorn_workers": BENCH.workers,
        "seed_seconds": seed_seconds,
        "index_seconds": index_seconds,
        **harness.measured_fields(BENCH, measured),
        "queries_at_100": queries_100,
        "queries_at_10000": queries_all,
        "queries_constant": queries_100 == queries_all,
        "goal_met": all(ratio >= 0.3 for ratio in ratios.values())
        and all(result["p95_ms"] <= 50 for result in results.values())
        and queries_100 == queries_all,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
