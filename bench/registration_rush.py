"""Registration rush: 2,000 signed-in participants submit the real registration form (GET
for the CSRF token, then POST) from 64 concurrent keep-alive clients against gunicorn on
PostgreSQL, for one session with 500 seats. Baseline in the same run, on the same server:
a one-INSERT endpoint (present only with BENCHMARK_ENDPOINTS). Prints one JSON line.

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
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = "bench_registration"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
USERS = int(os.environ.get("BENCH_USERS", "2000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
CAPACITY = 500
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))  # 2 × cores + 1 on the 2-core machine
THREADS = int(os.environ.get("BENCH_THREADS", "2"))

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
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
}
ENV.pop("DISABLE_RATE_LIMITS", None)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def setup_django() -> None:
    os.environ.update(ENV)
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
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
    from webinars.models import Session, Status

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL)")
    office = Organisation.objects.create(name="Benkekontoret", short_name="Benk", slug="benk")
    starts = timezone.now() + timedelta(days=7)
    session = Session.objects.create(
        organisation=office,
        title="Rushwebinar",
        slug="rushwebinar",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=CAPACITY,
        status=Status.PUBLISHED,
        stream_url="https://zoom.us/j/1",
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
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        store.create()
        cookies.append(store.session_key)
    connection.close()
    return f"/webinarer/{session.slug}/pamelding/", cookies


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-k",
            "gthread",
            "-w",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])


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


def register(path: str):
    def job(client: Client, session_key: str) -> bool:
        cookie = f"sessionid={session_key}"
        response, body = client.request("GET", path, headers={"Cookie": cookie})
        if response.status != 200:
            return False
        match = CSRF_INPUT.search(body)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if not match or not csrf_cookie:
            return False
        response, _ = client.request(
            "POST",
            path,
            body=f"csrfmiddlewaretoken={match.group(1).decode()}",
            headers={
                "Cookie": f"{cookie}; csrftoken={csrf_cookie.group(1)}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return 200 <= response.status < 400

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


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    global PORT
    recreate_database()
    setup_django()
    path, cookies = prepare()
    PORT = free_port()
    server = start_gunicorn(PORT)
    try:
        # Warm every worker (imports, connections, templates) outside the timed runs; the
        # form page's GET writes nothing.
        run_clients(cookies[: CLIENTS * 2], baseline)
        run_clients(cookies[: CLIENTS * 2], form_page(path))
        baseline_seconds, _lat, baseline_errors = run_clients(cookies, baseline)
        rush_seconds, latencies, errors = run_clients(cookies, register(path))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from django.db import connection

    from registrations.models import Registration

    statuses = list(Registration.objects.values_list("status", flat=True))
    confirmed, waitlisted = statuses.count("confirmed"), statuses.count("waitlisted")
    connection.close()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    throughput = len(cookies) / rush_seconds
    baseline_rps = len(cookies) / baseline_seconds
    print(
        json.dumps(
            {
                "attempts": len(cookies),
                "confirmed": confirmed,
                "waitlisted": waitlisted,
                "errors": errors + baseline_errors + (len(cookies) - confirmed - waitlisted),
                "overbooked": max(0, confirmed - CAPACITY),
                "throughput_rps": round(throughput, 1),
                "p50_ms": round(percentile(latencies, 50), 1),
                "p95_ms": round(percentile(latencies, 95), 1),
                "p99_ms": round(percentile(latencies, 99), 1),
                "baseline_rps": round(baseline_rps, 1),
                "ratio": round(throughput / baseline_rps, 3),
            }
        )
    )


PORT = 0

if __name__ == "__main__":
    main()
