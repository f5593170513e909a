"""Catalogue benchmark: 10,000 sessions on PostgreSQL, served by gunicorn.

Measures the catalogue's first page, a filtered page and a session page against a static
baseline page on the same server, in interleaved rounds (each page right after a baseline
run; the median of the rounds' ratios is reported; bench/harness.py), and counts each page's
queries at 100 and at 10,000 sessions. Prints one JSON line. Usage: .venv/bin/python bench/catalogue.py

Runs as production does: DEBUG off (cached template loader) and REDIS_URL set (default
redis://127.0.0.1:6379/7, BENCH_REDIS_URL to change), so anonymous pages come from the shared
fragment cache after the first request (webinars/page_cache.py). Query counts are those of a
full render (cache miss); `first_request_after_change` times a render right after the cache
was made stale.

It creates (drops and recreates) its own database `bench_catalogue` and uses only 127.0.0.1.
Sizes and load: BENCH_SESSIONS, BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_WORKERS, BENCH_ROUNDS,
BENCH_COLD_SAMPLES (bench/harness.py, page_bench).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

from bench import harness  # noqa: E402

BENCH = harness.page_bench("bench_catalogue")


def pages() -> dict[str, str]:
    from webinars.models import Session

    upcoming = Session.objects.listed().upcoming().order_by("starts_at").select_related("organisation")
    session = upcoming[5]
    # Filter on the soonest session's office and topic so the filtered page is never empty.
    first = upcoming.prefetch_related("topics")[0]
    return {
        "catalogue": "/webinarer/",
        "filtered": f"/webinarer/?kontor={first.organisation.slug}&tema={first.topics.all()[0].slug}",
        "session": f"/webinarer/{session.slug}/",
    }


def main() -> None:
    harness.setup_site(BENCH)
    from webinars.page_cache import catalogue_cache_reset

    harness.seed_sessions(100, 0)
    queries_100 = harness.count_queries(pages(), reset=catalogue_cache_reset)
    started = time.perf_counter()
    harness.seed_sessions(BENCH.sessions, 100)
    seed_seconds = round(time.perf_counter() - started, 1)
    harness.analyze()
    paths = pages()
    queries_all = harness.count_queries(paths, reset=catalogue_cache_reset)
    measured = harness.serve_and_measure(BENCH, paths, reset=catalogue_cache_reset)

    ratios = measured["ratios"]
    report = {
        "bench": "catalogue",
        "sessions": BENCH.sessions,
        "requests_per_page": BENCH.requests,
        "concurrency": BENCH.concurrency,
        "gunicorn_workers": BENCH.workers,
        "seed_seconds": seed_seconds,
        **harness.measured_fields(BENCH, measured),
        "queries_at_100": queries_100,
        f"queries_at_{BENCH.sessions}": queries_all,
        "queries_constant": queries_100 == queries_all,
        "goal_met": all(ratio >= 0.3 for ratio in ratios.values()) and queries_100 == queries_all,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
