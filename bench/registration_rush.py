"""Registration rush: 2,000 signed-in participants submit the real registration form (POST
with the CSRF token and cookie of the form page) from 64 concurrent clients against gunicorn
on PostgreSQL and Redis, run as platform/gunicorn.conf.py runs it, for one session with 500
seats. Baseline in the same run, on the same server, before and after the rush: a one-INSERT
endpoint (present only with BENCHMARK_ENDPOINTS).

Each participant first opens the form page (GET), as people do while they wait for a
registration to open; that phase is timed on its own (`form_page_rps`), the submits are the
registration attempts (`throughput_rps`, latencies, `ratio`), and `journey_rps` is both
together. CPU milliseconds per request by process group (server, PostgreSQL, Redis, the
clients) come from /proc (bench/harness.py). Prints one JSON line.

Run: .venv/bin/python bench/registration_rush.py
Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432) and Redis at
BENCH_REDIS_URL (default redis://127.0.0.1:6379/4; flushed at the end).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

from bench import harness  # noqa: E402
from config.env import env_int, env_str  # noqa: E402

PG = env_str("BENCH_PG", default="postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = "bench_registration"
REDIS_URL = env_str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/4")
USERS = env_int("BENCH_USERS", default=2000, minimum=1)
CLIENTS = env_int("BENCH_CLIENTS", default=64, minimum=1)
CAPACITY = 500
# As platform/gunicorn.conf.py runs the platform: 2 × cores + 1 sync workers. BENCH_THREADS > 1
# switches to gthread workers with keep-alive, for comparison.
WORKERS = env_int("BENCH_WORKERS", default=2 * (os.cpu_count() or 1) + 1, minimum=1)
THREADS = env_int("BENCH_THREADS", default=1, minimum=1)

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "REDIS_URL": REDIS_URL,
    "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "http://127.0.0.1:8000",
    "BENCHMARK_ENDPOINTS": "true",
    "DEBUG": "false",
    "CONN_MAX_AGE": "600",
    "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
    "PYTHONPATH": str(ROOT),
}
ENV.pop("DISABLE_RATE_LIMITS", None)


def setup_django() -> None:
    os.environ.update(ENV)
    import django

    django.setup()


def prepare() -> tuple[str, list[str]]:
    """Migrate, create the session and the users, and sign every user in through the
    configured session engine (so a cached_db session is in the cache, as after a login)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Organisation, User
    from webinars.models import Offering, Session, Status

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL)")
    office = Organisation.objects.create(name="Benkekontoret", short_name="Benk", slug="benk")
    starts = timezone.now() + timedelta(days=7)
    # The rush's session, and a second one for the seat-floor reference (bench/views.py).
    session, floor = (
        Session.objects.create(
            offering=Offering.objects.create(organisation=office, capacity=CAPACITY, status=Status.PUBLISHED),
            organisation=office,
            title=title,
            slug=title.lower(),
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            status=Status.PUBLISHED,
            stream_url=f"https://zoom.us/j/{n}",
        )
        for n, title in enumerate(("Rushwebinar", "Gulvwebinar"), start=1)
    )
    users = User.objects.bulk_create(
        [User(email=f"rush{n}@example.no", display_name=f"Rush {n}", password="!unusable") for n in range(USERS)],
        batch_size=1000,
    )
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for user in users:
        store = session_store()
        store.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        store.create()
        cookies.append(store.session_key)
    connection.close()
    return f"/webinarer/{session.slug}/pamelding/", f"/bench/seat-floor/{floor.pk}/", cookies


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection; reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def run_clients(work: list, job) -> tuple[float, list[float], int]:
    """Run `job(client, item)` over `work` from CLIENTS threads; returns (seconds, latencies, errors)."""
    items: queue.Queue = queue.Queue()
    for item in work:
        items.put(item)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_line = threading.Barrier(CLIENTS + 1)

    def worker():
        client = Client(PORT)
        start_line.wait()
        while True:
            try:
                item = items.get_nowait()
            except queue.Empty:
                break
            t0 = time.perf_counter()
            try:
                ok = job(client, item)
            except Exception:
                ok = False
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
        client.conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start_line.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, errors[0]


def load_form(path: str, forms: dict):
    """The form page, as a participant opens it before pressing the button: keeps the CSRF
    token from the page and the CSRF cookie for the submit."""

    def job(client: Client, session_key: str) -> bool:
        cookie = f"sessionid={session_key}"
        response, body = client.request("GET", path, headers={"Cookie": cookie})
        if response.status != 200:
            return False
        match = CSRF_INPUT.search(body)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if not match or not csrf_cookie:
            return False
        forms[session_key] = (match.group(1).decode(), csrf_cookie.group(1))
        return True

    return job


def submit(path: str, forms: dict, expect: int = 302):
    """The registration attempt: the real form posted with the page's CSRF token and cookie."""

    def job(client: Client, session_key: str) -> bool:
        token, csrf_cookie = forms[session_key]
        response, _ = client.request(
            "POST",
            path,
            body=f"csrfmiddlewaretoken={token}",
            headers={
                "Cookie": f"sessionid={session_key}; csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        # A registration (seat or waitlist place) answers with a redirect to the form page.
        return response.status == expect

    return job


def form_page(path: str):
    def job(client: Client, session_key: str) -> bool:
        response, _ = client.request("GET", path, headers={"Cookie": f"sessionid={session_key}"})
        return response.status == 200

    return job


def baseline(client: Client, session_key: str) -> bool:
    response, _ = client.request(
        "POST", "/bench/baseline-insert/", body="", headers={"Cookie": f"sessionid={session_key}"}
    )
    return response.status == 200


def process_groups(gunicorn_pid: int) -> dict:
    """For cpu_seconds: the server (gunicorn and its workers, its process group), PostgreSQL,
    Redis and this process (the clients)."""
    return {
        "server": harness.in_group(gunicorn_pid),
        "postgresql": harness.named("postgres"),
        "redis": harness.named("redis"),
        "clients": harness.is_pid(os.getpid()),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    global PORT
    harness.recreate_database(PG, DB_NAME)
    setup_django()
    path, floor_path, cookies = prepare()
    PORT = harness.free_port()
    # As platform/gunicorn.conf.py: sync workers, or gthread with keep-alive when BENCH_THREADS > 1.
    threads = ["--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "30"] if THREADS > 1 else []
    server = harness.start_gunicorn(
        PORT,
        workers=WORKERS,
        env=ENV,
        extra_args=threads,
        ready_path="/healthz",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: stopped with killpg, counted as "server"
    )
    groups = process_groups(server.pid)
    try:
        # Warm every worker (imports, connections, templates) outside the timed runs; the
        # form page's GET writes nothing.
        run_clients(cookies[: CLIENTS * 2], baseline)
        run_clients(cookies[: CLIENTS * 2], form_page(path))
        cpu_start = harness.cpu_seconds(groups)
        baseline_seconds, _lat, baseline_errors = run_clients(cookies, baseline)
        cpu_baseline = harness.cpu_seconds(groups)
        forms: dict = {}
        form_seconds, _lat, form_errors = run_clients(cookies, load_form(path, forms))
        # Reference (not the baseline): the baseline's INSERT for a signed-in visitor with CSRF.
        cpu_reference = harness.cpu_seconds(groups)
        reference_seconds, _lat, reference_errors = run_clients(cookies, submit("/bench/signed-in-insert/", forms, 200))
        # Reference: the least a registration can do, straight in SQL, for another session.
        cpu_floor = harness.cpu_seconds(groups)
        floor_seconds, _lat, floor_errors = run_clients(cookies, submit(floor_path, forms))
        cpu_rush = harness.cpu_seconds(groups)
        rush_seconds, latencies, errors = run_clients(cookies, submit(path, forms))
        cpu_end = harness.cpu_seconds(groups)
        # The baseline again after the rush: the machine's speed drifts, and the ratio is
        # taken against the mean of the two runs around it.
        baseline_after, _lat, baseline_errors_after = run_clients(cookies, baseline)
        baseline_errors += baseline_errors_after
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from django.db import connection

    from registrations.models import Registration

    statuses = list(
        Registration.objects.filter(offering__sessions__slug="rushwebinar").values_list("status", flat=True)
    )
    floor_confirmed = Registration.objects.filter(offering__sessions__slug="gulvwebinar", status="confirmed").count()
    confirmed, waitlisted = statuses.count("confirmed"), statuses.count("waitlisted")
    connection.close()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    throughput = len(cookies) / rush_seconds
    baseline_runs = [len(cookies) / baseline_seconds, len(cookies) / baseline_after]
    baseline_rps = sum(baseline_runs) / 2
    print(
        json.dumps(
            {
                "attempts": len(cookies),
                "confirmed": confirmed,
                "waitlisted": waitlisted,
                "errors": errors
                + form_errors
                + reference_errors
                + floor_errors
                + baseline_errors
                + (len(cookies) - confirmed - waitlisted),
                "overbooked": max(0, confirmed - CAPACITY),
                "throughput_rps": round(throughput, 1),
                "p50_ms": round(percentile(latencies, 50), 1),
                "p95_ms": round(percentile(latencies, 95), 1),
                "p99_ms": round(percentile(latencies, 99), 1),
                "baseline_rps": round(baseline_rps, 1),
                "ratio": round(throughput / baseline_rps, 3),
                "baseline_rps_before_after": [round(rps, 1) for rps in baseline_runs],
                # The whole journey: every participant's form page and submit, both timed.
                # What a signed-in POST with CSRF costs before any registration work: the
                # baseline's INSERT behind the session, user and token checks.
                "signed_in_reference_rps": round(len(cookies) / reference_seconds, 1),
                "signed_in_reference_ratio": round(len(cookies) / reference_seconds / baseline_rps, 3),
                # The least a registration can do (the seat's conditional UPDATE and three
                # INSERTs in plain SQL) behind the same checks: how far the real view could get.
                "seat_floor_rps": round(len(cookies) / floor_seconds, 1),
                "seat_floor_ratio": round(len(cookies) / floor_seconds / baseline_rps, 3),
                "seat_floor_confirmed": floor_confirmed,
                "form_page_rps": round(len(cookies) / form_seconds, 1),
                "journey_rps": round(len(cookies) / (form_seconds + rush_seconds), 1),
                # CPU milliseconds per request, by process group: where the time goes.
                "cpu_ms_per_baseline_request": harness.cpu_ms_per(cpu_start, cpu_baseline, len(cookies), digits=2),
                "cpu_ms_per_signed_in_reference": harness.cpu_ms_per(cpu_reference, cpu_floor, len(cookies), digits=2),
                "cpu_ms_per_seat_floor": harness.cpu_ms_per(cpu_floor, cpu_rush, len(cookies), digits=2),
                "cpu_ms_per_attempt": harness.cpu_ms_per(cpu_rush, cpu_end, len(cookies), digits=2),
            }
        )
    )


PORT = 0

if __name__ == "__main__":
    main()
