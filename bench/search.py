"""Search benchmark: 10,000 resources and 10,000 sessions on PostgreSQL, served by gunicorn.

Measures the site search (`/sok/?q=`) for three queries (a word in every item, a word form,
a compound's head) against a static baseline page on the same server, and counts each
search's queries at 100 and at 10,000 of each. Prints one JSON line.
Usage: .venv/bin/python bench/search.py

Runs as production does: DEBUG off and REDIS_URL set (default redis://127.0.0.1:6379/7,
BENCH_REDIS_URL to change), so an anonymous search comes from the shared fragment cache after
its first request (library/views.py, webinars/page_cache.py). Query counts are those of a full
search (cache miss); `first_request_after_change` times a full search right after the cache was
made stale, which is what a query nobody asked before costs.

It creates (drops and recreates) its own database `bench_search` and uses only 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

from config.env import env_int, env_str  # noqa: E402

PG = env_str("BENCH_PG", default="postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_search"
SESSIONS = env_int("BENCH_SESSIONS", default=10000, minimum=1)
RESOURCES = env_int("BENCH_RESOURCES", default=10000, minimum=1)
REQUESTS = env_int("BENCH_REQUESTS", default=400, minimum=1)
CONCURRENCY = env_int("BENCH_CONCURRENCY", default=8, minimum=1)
WORKERS = env_int("BENCH_WORKERS", default=3, minimum=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": f"http://127.0.0.1:{PORT}",
    "BENCHMARK_ENDPOINTS": "true",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
ENV.pop("DEBUG", None)
# Production shape: the rendered-fragment cache lives in Redis, shared by the gunicorn workers.
ENV["REDIS_URL"] = env_str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/7")
ROUNDS = env_int("BENCH_ROUNDS", default=5, minimum=1)
COLD_SAMPLES = env_int("BENCH_COLD_SAMPLES", default=10, minimum=1)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def seed_sessions(count: int, start_index: int) -> None:
    """bulk_create sessions (and their topics and audiences) from start_index up to count."""
    from django.utils import timezone

    from accounts.models import Organisation
    from webinars.models import Audience, Offering, Session, Status, Topic

    offices = list(Organisation.objects.offices())
    topics = list(Topic.objects.all())
    audiences = list(Audience.objects.all())
    rng = random.Random(start_index)
    now = timezone.now().replace(second=0, microsecond=0)
    batch, offerings = [], []
    for n in range(start_index, count):
        starts_at = now + timedelta(hours=rng.randint(-24 * 120, 24 * 365))
        status = rng.choices([Status.PUBLISHED, Status.DRAFT, Status.CANCELLED], [85, 10, 5])[0]
        office = rng.choice(offices)
        offerings.append(Offering(organisation=office, status=status, capacity=rng.choice([None, 50, 100, 200])))
        batch.append(
            Session(
                organisation=office,
                title=f"Webinar {n}: strømming, utgivelse og inntekter",
                slug=f"bench-webinar-{n}",
                summary="Et webinar om musikkbransjen.",
                description="Om **strømming**, støtteordninger og konserter.",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=rng.choice([45, 60, 90])),
                stream_url=f"https://zoom.us/j/9{n:09d}",
                status=status,
            )
        )
    # A webinar's offering first (bulk_create sets their ids on PostgreSQL), then its session.
    Offering.objects.bulk_create(offerings, batch_size=2000)
    for session, offering in zip(batch, offerings, strict=True):
        session.offering = offering
    created = Session.objects.bulk_create(batch, batch_size=2000)
    topic_links = [
        Session.topics.through(session_id=s.pk, topic_id=t.pk) for s in created for t in rng.sample(topics, 2)
    ]
    audience_links = [
        Session.audiences.through(session_id=s.pk, audience_id=a.pk) for s in created for a in rng.sample(audiences, 2)
    ]
    Session.topics.through.objects.bulk_create(topic_links, batch_size=5000)
    Session.audiences.through.objects.bulk_create(audience_links, batch_size=5000)


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


def count_queries(paths: dict[str, str]) -> dict[str, int]:
    """Queries of a full render (a cache miss); a cached page takes none."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from webinars.page_cache import catalogue_cache_reset

    client = Client()
    counts = {}
    for name, path in paths.items():
        client.get(path)  # warm caches that are not per request (content types, templates)
        catalogue_cache_reset()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


def load(path: str, requests: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker():
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
            except OSError as exc:
                errors.append(str(exc))
            finally:
                conn.close()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} failed requests, e.g. {errors[:3]}")
    return {"latencies": latencies, "elapsed": elapsed}


def summary(runs: list[dict]) -> dict[str, float]:
    latencies = sorted(ms for run in runs for ms in run["latencies"])
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "rps": round(len(latencies) / sum(run["elapsed"] for run in runs), 1),
    }


def rps(run: dict) -> float:
    return len(run["latencies"]) / run["elapsed"]


def cold(path: str) -> dict[str, float]:
    """Latency of the first request after the catalogue cache was made stale (a full render)."""
    from webinars.page_cache import catalogue_cache_reset

    latencies = []
    for _ in range(COLD_SAMPLES):
        catalogue_cache_reset()
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200, (path, response.status)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(latencies), 1), "max_ms": round(max(latencies), 1)}


def wait_until_up(proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/bench/baseline/", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 30 s")


def main() -> None:
    recreate_database()
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    os.environ.update(ENV)
    import django

    django.setup()
    from accounts import demo as accounts_demo
    from webinars.demo import seed_taxonomy

    class Quiet:
        def write(self, *_args):
            pass

    accounts_demo.seed(stdout=Quiet())
    seed_taxonomy()

    from library.search_index import search_index_rebuild

    seed_sessions(100, 0)
    seed_resources(100, 0)
    search_index_rebuild()  # bulk_create sends no signals
    paths = pages()
    queries_100 = count_queries(paths)
    started = time.perf_counter()
    seed_sessions(SESSIONS, 100)
    seed_resources(RESOURCES, 100)
    seed_seconds = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    search_index_rebuild()
    index_seconds = round(time.perf_counter() - started, 1)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    paths = pages()
    queries_all = count_queries(paths)
    from webinars.page_cache import catalogue_cache_reset

    catalogue_cache_reset()  # bulk_create sends no signals, so nothing else made the cache stale
    connection.close()

    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        wait_until_up(proc)
        for path in ["/bench/baseline/", *paths.values()]:
            load(path, CONCURRENCY * 4)  # warm every worker
        # Interleaved rounds: on a shared machine the load changes within seconds, so each
        # page is compared with the baseline measured right before it, and the median of the
        # rounds' ratios is reported.
        baseline_runs: list[dict] = []
        page_runs: dict[str, list[dict]] = {name: [] for name in paths}
        round_ratios: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(ROUNDS):
            for name, path in paths.items():
                baseline_runs.append(load("/bench/baseline/", REQUESTS // ROUNDS))
                page_runs[name].append(load(path, REQUESTS // ROUNDS))
                round_ratios[name].append(rps(page_runs[name][-1]) / rps(baseline_runs[-1]))
        baseline = summary(baseline_runs)
        results = {name: summary(runs) for name, runs in page_runs.items()}
        ratios = {name: round(statistics.median(values), 3) for name, values in round_ratios.items()}
        first_request = {name: cold(path) for name, path in paths.items()}
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    report = {
        "bench": "search",
        "sessions": SESSIONS,
        "resources": RESOURCES,
        "requests_per_page": REQUESTS,
        "concurrency": CONCURRENCY,
        "gunicorn_workers": WORKERS,
        "seed_seconds": seed_seconds,
        "index_seconds": index_seconds,
        "baseline_rps": baseline["rps"],
        "baseline": baseline,
        **results,
        "rounds": ROUNDS,
        "ratios": ratios,
        "ratios_per_round": {name: [round(v, 3) for v in values] for name, values in round_ratios.items()},
        "first_request_after_change": first_request,
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
