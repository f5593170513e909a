"""What the benchmark scripts share: a free port, a fresh database, gunicorn started and
waited for, an HTTP load of concurrent GETs with its latency summary, the page benchmarks'
knobs, site and interleaved page-against-baseline rounds (catalogue.py, search.py), query
counts of a full render, and CPU seconds by process group from /proc.

Imports nothing from Django or the project at import time (each helper that needs them imports
them when called, the Django models after the script's django.setup()), so a script can
`from bench import harness` before it has set its environment. The port, concurrency,
database, cache reset and process groups are parameters; a script reads its own env knobs,
except for the page benchmarks' common ones (page_bench).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
BASELINE_PATH = "/bench/baseline/"  # a static page on the same server (bench/views.py)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(pg: str, db_name: str) -> None:
    """Drop (closing its connections) and create `db_name` on the server at `pg`."""
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db_name}")


def manage(env: Mapping[str, str], *args: str, timeout: float | None = None) -> None:
    """`manage.py <args>` in a subprocess with `env`, its output discarded."""
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=timeout
    )


# Page benchmarks (catalogue.py, search.py): the site as production runs it, on its own database.


@dataclass(frozen=True)
class PageBench:
    """A page benchmark's knobs (see page_bench) and the environment of its site."""

    pg: str
    db_name: str
    sessions: int
    requests: int
    concurrency: int
    workers: int
    rounds: int
    cold_samples: int
    port: int
    env: dict[str, str]


def page_bench(db_name: str) -> PageBench:
    """The knobs of a page benchmark on its own database `db_name`, from the environment:
    BENCH_PG, BENCH_SESSIONS (10,000), BENCH_REQUESTS per page (400), BENCH_CONCURRENCY (8),
    BENCH_WORKERS of gunicorn (3), BENCH_ROUNDS (5), BENCH_COLD_SAMPLES (10), BENCH_REDIS_URL.

    The site runs with production settings (DEBUG off) and the benchmark endpoints on, on a
    free port, with the rendered-fragment cache in Redis (default redis://127.0.0.1:6379/7),
    shared by the gunicorn workers, as in production."""
    from config.env import env_int, env_str

    pg = env_str("BENCH_PG", default="postgres://postgres@127.0.0.1:5432")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{pg}/{db_name}",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "BENCHMARK_ENDPOINTS": "true",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DEBUG", None)
    env["REDIS_URL"] = env_str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/7")
    return PageBench(
        pg=pg,
        db_name=db_name,
        sessions=env_int("BENCH_SESSIONS", default=10000, minimum=1),
        requests=env_int("BENCH_REQUESTS", default=400, minimum=1),
        concurrency=env_int("BENCH_CONCURRENCY", default=8, minimum=1),
        workers=env_int("BENCH_WORKERS", default=3, minimum=1),
        rounds=env_int("BENCH_ROUNDS", default=5, minimum=1),
        cold_samples=env_int("BENCH_COLD_SAMPLES", default=10, minimum=1),
        port=port,
        env=env,
    )


def setup_site(bench: PageBench) -> None:
    """A fresh database, migrated, the static files collected, Django set up in this process
    with the site's environment, and the demo offices and the topics and audiences seeded."""
    recreate_database(bench.pg, bench.db_name)
    manage(bench.env, "migrate", "--noinput", "-v", "0")
    manage(bench.env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update(bench.env)
    import django

    django.setup()
    from accounts import demo as accounts_demo
    from webinars.demo import seed_taxonomy

    class Quiet:
        def write(self, *_args):
            pass

    accounts_demo.seed(stdout=Quiet())
    seed_taxonomy()


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


def analyze() -> None:
    """ANALYZE the database, so the planner sees the seeded sizes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def count_queries(paths: Mapping[str, str], reset: Callable[[], object]) -> dict[str, int]:
    """Queries of a full render of each path (`reset` makes its cached copy stale first), with
    Django's test client in this process; a cached page takes none."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for name, path in paths.items():
        client.get(path)  # warm caches that are not per request (content types, templates)
        reset()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


# gunicorn and HTTP load.


def wait_until_up(proc: subprocess.Popen, port: int, path: str = BASELINE_PATH, timeout: float = 30) -> None:
    """Wait until GET `path` answers 200; RuntimeError if the server exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start within {timeout:g} s")


def start_gunicorn(
    port: int,
    *,
    workers: int,
    env: Mapping[str, str],
    extra_args: Iterable[str] = (),
    ready_path: str = BASELINE_PATH,
    **popen_kwargs,
) -> subprocess.Popen:
    """gunicorn serving config.wsgi on 127.0.0.1:`port` with `workers` workers (and
    `extra_args`), returned once GET `ready_path` answers 200. `popen_kwargs` go to Popen
    (stdout, stderr, start_new_session); if it does not come up it is stopped, and the
    RuntimeError carries the end of its stderr when that was piped."""
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *extra_args,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        **popen_kwargs,
    )
    try:
        wait_until_up(proc, port, ready_path)
    except RuntimeError as exc:
        proc.terminate()
        proc.wait(timeout=20)
        stderr = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
        raise RuntimeError(f"{exc}: {stderr}" if stderr else str(exc)) from None
    return proc


def load(port: int, path: str, requests: int, concurrency: int, headers: Mapping[str, str] | None = None) -> dict:
    """`requests` GETs of `path` from `concurrency` threads, a new connection each (with extra
    `headers`, e.g. a signed-in session's cookie); returns the latencies (ms) and the elapsed
    seconds. RuntimeError if any request failed."""
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
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
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

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
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
    """p50 and p95 latency (ms) and requests per second over `load` runs."""
    latencies = sorted(ms for run in runs for ms in run["latencies"])
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "rps": round(len(latencies) / sum(run["elapsed"] for run in runs), 1),
    }


def rps(run: dict) -> float:
    return len(run["latencies"]) / run["elapsed"]


def cold(
    port: int, path: str, samples: int, reset: Callable[[], object], headers: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Latency of the first request after `reset` made the cache stale (a full render), over
    `samples` requests one at a time."""
    latencies = []
    for _ in range(samples):
        reset()
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200, (path, response.status)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(latencies), 1), "max_ms": round(max(latencies), 1)}


def measure_pages(
    port: int,
    paths: Mapping[str, str],
    *,
    rounds: int,
    requests: int,
    concurrency: int,
    cold_samples: int,
    reset: Callable[[], object],
    headers: Mapping[str, str] | None = None,
) -> dict:
    """Each page against the baseline page, on a running server: every worker warmed, then
    `rounds` interleaved rounds of `requests // rounds` GETs per page, each page right after a
    baseline run (on a shared machine the load changes within seconds, so each page is
    compared with the baseline measured right before it and the median of the rounds' ratios
    is reported), then `cold` for each page.

    Returns baseline (summary), pages ({name: summary}), ratios ({name: median ratio}),
    ratios_per_round ({name: [ratio, …]}) and first_request ({name: cold})."""
    for path in [BASELINE_PATH, *paths.values()]:
        load(port, path, concurrency * 4, concurrency, headers)  # warm every worker
    baseline_runs: list[dict] = []
    page_runs: dict[str, list[dict]] = {name: [] for name in paths}
    round_ratios: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            baseline_runs.append(load(port, BASELINE_PATH, requests // rounds, concurrency, headers))
            page_runs[name].append(load(port, path, requests // rounds, concurrency, headers))
            round_ratios[name].append(rps(page_runs[name][-1]) / rps(baseline_runs[-1]))
    return {
        "baseline": summary(baseline_runs),
        "pages": {name: summary(runs) for name, runs in page_runs.items()},
        "ratios": {name: round(statistics.median(values), 3) for name, values in round_ratios.items()},
        "ratios_per_round": {name: [round(v, 3) for v in values] for name, values in round_ratios.items()},
        "first_request": {name: cold(port, path, cold_samples, reset, headers) for name, path in paths.items()},
    }


def serve_and_measure(
    bench: PageBench,
    paths: Mapping[str, str],
    reset: Callable[[], object],
    headers: Mapping[str, str] | None = None,
) -> dict:
    """The pages measured on gunicorn (measure_pages). First `reset` makes the cache stale
    (bulk_create sends no signals, so nothing else did) and this process's database
    connection is closed; gunicorn is stopped at the end."""
    from django.db import connection

    reset()
    connection.close()
    proc = start_gunicorn(bench.port, workers=bench.workers, env=bench.env)
    try:
        return measure_pages(
            bench.port,
            paths,
            rounds=bench.rounds,
            requests=bench.requests,
            concurrency=bench.concurrency,
            cold_samples=bench.cold_samples,
            reset=reset,
            headers=headers,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def measured_fields(bench: PageBench, measured: dict) -> dict:
    """serve_and_measure's results as the page benchmarks' JSON line has them, in its order."""
    return {
        "baseline_rps": measured["baseline"]["rps"],
        "baseline": measured["baseline"],
        **measured["pages"],
        "rounds": bench.rounds,
        "ratios": measured["ratios"],
        "ratios_per_round": measured["ratios_per_round"],
        "first_request_after_change": measured["first_request"],
    }


# CPU by process group.


class Process(NamedTuple):
    pid: int
    pgid: int  # process group
    comm: str  # the command's name, as /proc/<pid>/comm gives it


def cpu_seconds(groups: Mapping[str, Callable[[Process], bool]]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each group's processes, from /proc: a process
    counts for the first group (in the mapping's order) whose predicate it meets, and for none
    if it meets none. Every group is 0.0 where /proc is missing."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = dict.fromkeys(groups, 0.0)
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else []:
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        process = Process(pid=int(entry.name), pgid=int(fields[2]), comm=comm)
        for name, matches in groups.items():
            if matches(process):
                totals[name] += (int(fields[11]) + int(fields[12])) / tick
                break
    return totals


def cpu_ms_per(before: Mapping[str, float], after: Mapping[str, float], count: int, digits: int) -> dict[str, float]:
    """CPU milliseconds per item (request, email) by group between two `cpu_seconds` readings."""
    return {name: round((after[name] - before[name]) * 1000 / max(count, 1), digits) for name in before}


def in_group(pgid: int | None) -> Callable[[Process], bool]:
    """The processes of process group `pgid` (a server or worker started in its own session);
    none when `pgid` is None."""
    return lambda process: pgid is not None and process.pgid == pgid


def is_pid(pid: int) -> Callable[[Process], bool]:
    return lambda process: process.pid == pid


def named(prefix: str) -> Callable[[Process], bool]:
    """The processes whose command name starts with `prefix` (postgres, redis-server)."""
    return lambda process: process.comm.startswith(prefix)
