"""Delivery with the real moving parts: PostgreSQL, Redis, Celery worker processes and an
SMTP server. Each test starts its own workers (and, for the broker outage, its own
throwaway redis-server on a free port; the shared Redis is never touched)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from registrations.delivery import CHUNK_SIZE
from registrations.models import JoinLink, Notification, Registration
from registrations.tests.smtpsink import Sink, free_port
from webinars.models import Offering
from webinars.tests.factories import SessionFactory

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def database_url() -> str:
    db = connection.settings_dict  # the test database, which the workers must use too
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Celery worker processes this test started (each in its own process group)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.processes: list[subprocess.Popen] = []

    def start(self, *, smtp_port: int, redis_url: str | None = None, beat: bool = False, concurrency: int = 1, **env):
        n = len(self.processes)
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "delivery-test-secret-key-0123456789abcdefghijklmnop",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url or settings.REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "5",
            "CONN_MAX_AGE": "0",
            "OUTBOX_SWEEP_SECONDS": "1",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
            **{key: str(value) for key, value in env.items()},
        }
        environment.pop("TEST_DATABASE_NAME", None)
        command = [CELERY, "-A", "config", "worker", "-Q", "mail,default", "-c", str(concurrency)]
        command += ["-n", f"mailtest{n}-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "-l", "WARNING"]
        if beat:
            command += ["-B", "-s", str(self.tmp / f"beat-{n}")]
        log = open(self.tmp / f"worker-{n}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen, sig=signal.SIGKILL) -> None:
        try:
            os.killpg(process.pid, sig)  # the main process and its prefork children
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(process)


@pytest.fixture
def workers():
    tmp = Path(tempfile.mkdtemp(prefix="mail-workers-"))
    workers = Workers(tmp)
    _flush_broker(settings.REDIS_URL)
    yield workers
    workers.stop_all()
    _flush_broker(settings.REDIS_URL)
    shutil.rmtree(tmp, ignore_errors=True)


def _flush_broker(url: str) -> None:
    import redis

    # Only this helper's own Redis database (REDIS_URL of the test run), never db 0.
    redis.Redis.from_url(url, socket_timeout=2).flushdb()


def nudge(times: int = 1) -> None:
    from registrations.tasks import outbox_sweep

    for _ in range(times):
        outbox_sweep.apply_async(queue="mail")


def wait_for(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out: {message}")


def confirmations(n: int, office) -> list[int]:
    session = SessionFactory(organisation=office, capacity=None)
    registrations = Registration.objects.bulk_create(
        [
            Registration(offering=session.offering, name=f"P {i}", email=f"p{i}@example.no", status="confirmed")
            for i in range(n)
        ]
    )
    # Confirmed registrations hold seats: the offering's count stays true.
    Offering.objects.filter(pk=session.offering_id).update(seats_taken=F("seats_taken") + n)
    JoinLink.objects.bulk_create([JoinLink(registration=r, session=session) for r in registrations])
    rows = Notification.objects.bulk_create(
        [Notification(kind="confirmed", to_email=r.email, registration=r) for r in registrations]
    )
    return [row.pk for row in rows]


def sent_count() -> int:
    return Notification.objects.filter(state="sent").count()


def test_four_sweepers_at_once_send_each_message_once(workers, office_a):
    sink = Sink().start()
    try:
        ids = confirmations(240, office_a)
        for _ in range(4):
            workers.start(smtp_port=sink.port, OUTBOX_BATCH_SIZE=10)
        nudge(8)
        wait_for(lambda: sent_count() == len(ids), 120, "all sent")

        received = Counter(sink.handler.message_ids())
        assert len(received) == len(ids)
        assert max(received.values()) == 1, "a message was sent twice"
        claimed_by = {token.split(":")[1] for token in Notification.objects.values_list("claimed_by", flat=True)}
        assert len(claimed_by) > 1, "more than one sweeper took part"
    finally:
        sink.stop()


def test_a_registration_while_redis_is_down_is_delivered_once_when_it_is_back(workers, office_a, participant):
    redis_server = shutil.which("redis-server")
    assert redis_server, "redis-server is needed for this test"
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    session = SessionFactory(organisation=office_a)
    sink = Sink().start()
    script = (
        "import django, json, time; django.setup();"
        "from registrations import services; from webinars.models import Offering; from accounts.models import User;"
        "t = time.monotonic();"
        f"r = services.registration_create(offering=Offering.objects.get(pk={session.offering_id}),"
        f" user=User.objects.get(pk={participant.pk}), name='Kari', email='{participant.email}',"
        " language='nb', answers={});"
        "print(json.dumps({'status': r.status, 'seconds': time.monotonic() - t}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "delivery-test-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,  # nothing listens there: the broker is down
        "LOG_LEVEL": "ERROR",
    }
    env.pop("TEST_DATABASE_NAME", None)
    server = None
    try:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, timeout=60, check=True
        )
        outcome = __import__("json").loads(done.stdout.decode().strip().splitlines()[-1])
        assert outcome["status"] == "confirmed"
        assert outcome["seconds"] < 10, "the request must not hang on a dead broker"
        assert Notification.objects.get(kind="confirmed").state == "pending"

        server = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.start(smtp_port=sink.port, redis_url=broker, beat=True)
        wait_for(lambda: Notification.objects.filter(kind="confirmed", state="sent").exists(), 60, "delivered")
        time.sleep(3)  # a few more beats: nothing is sent again
        assert [r[0] for r in sink.handler.messages] == [[participant.email]]
    finally:
        workers.stop_all()
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        sink.stop()


def test_an_smtp_server_that_is_down_then_up_gets_the_message_once(workers, office_a):
    port = free_port()
    [row_id] = confirmations(1, office_a)
    workers.start(smtp_port=port, beat=True)

    wait_for(lambda: Notification.objects.get(pk=row_id).attempts >= 2, 60, "retried while the server is down")
    row = Notification.objects.get(pk=row_id)
    assert row.state == "pending" and row.last_error

    sink = Sink(port=port).start()
    try:
        wait_for(lambda: Notification.objects.get(pk=row_id).state == "sent", 60, "delivered after retries")
        time.sleep(3)
        assert len(sink.handler.messages) == 1
    finally:
        sink.stop()


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_stay_inside_the_lease(workers, office_a):
    sink = Sink().start()
    sink.handler.delay = 0.01
    lease = 4
    try:
        ids = confirmations(300, office_a)
        victim = workers.start(smtp_port=sink.port, OUTBOX_LEASE_SECONDS=lease, OUTBOX_BATCH_SIZE=100)
        nudge()
        wait_for(lambda: len(sink.handler.messages) >= 60, 60, "the worker is sending")
        workers.kill(victim)  # kill -9, mid-batch
        killed_at = time.monotonic()
        at_kill = len(sink.handler.messages)
        assert at_kill < len(ids)

        workers.start(smtp_port=sink.port, OUTBOX_LEASE_SECONDS=lease, OUTBOX_BATCH_SIZE=100, beat=True)
        wait_for(lambda: sent_count() == len(ids), 120, "everything delivered after the lease")

        received = Counter(sink.handler.message_ids())
        duplicates = sum(count - 1 for count in received.values())
        print(f"killed after {at_kill} messages; duplicates: {duplicates}")
        assert len(received) == len(ids), "every message was delivered"
        # Only rows the dead worker had sent but not yet marked (one chunk at most) come twice.
        assert duplicates <= CHUNK_SIZE
        assert time.monotonic() - killed_at >= lease
    finally:
        sink.stop()
