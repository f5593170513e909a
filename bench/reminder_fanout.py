"""Reminder fan-out: 10,000 confirmed registrations for one session, the 24-hour reminder
falls due, one Celery worker (concurrency 2) over Redis delivers to an aiosmtpd sink.

Baseline in the same run: plain smtplib sending 10,000 pre-rendered messages of the same
size over one connection to the same sink. Prints one JSON line:
recipients, delivered, duplicates, missing, seconds, emails_per_s, baseline_emails_per_s,
ratio, worker_peak_rss_mb, and CPU milliseconds per email by process group (the Celery worker, the
SMTP sink, PostgreSQL; for the baseline the sending script and the sink), from /proc
(bench/harness.py), with the load average at the start: the sink shares the machine's cores
with the worker, so these figures say where the time goes when the ratio moves.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres; the script creates its own database
`bench_reminders`) and Redis on 127.0.0.1:6379 (database 9, flushed). Run:
    .venv/bin/python bench/reminder_fanout.py [--recipients 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py`, only bench/ is on the path

from bench import harness  # noqa: E402
from config.env import env_str  # noqa: E402

PG = env_str("BENCH_PG", default="postgres://postgres@127.0.0.1:5432")
DB_NAME = "bench_reminders"
REDIS_URL = env_str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/9")
TIMEOUT = 600  # seconds: the benchmark stops by itself

SINK_CODE = r"""
import sys, time
from aiosmtpd.controller import Controller
from email.parser import BytesHeaderParser

out = open(sys.argv[2], "a", buffering=1)
parser = BytesHeaderParser()

class Handler:
    async def handle_DATA(self, server, session, envelope):
        headers = parser.parsebytes(envelope.original_content or envelope.content)
        for rcpt in envelope.rcpt_tos:
            out.write(f"{headers.get('Message-ID', '').strip()} {rcpt}\n")
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
"""


def mail_env(smtp_port: int, *, db_name: str, redis_url: str, extra: dict | None = None) -> dict:
    """The environment of a mail benchmark's worker (and of this script's Django): its own
    database and Redis database, the sink as the SMTP server, and `extra` settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": harness.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://musikkhjemmekontoret.example",
        "DATABASE_URL": f"{PG}/{db_name}",
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "OUTBOX_BATCH_SIZE": "500",
        **(extra or {}),
    }
    env.pop("TEST_DATABASE_NAME", None)
    return env


def setup_django(env: dict) -> None:
    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k in env})
    import django

    django.setup()


def seed(recipients: int):
    """One session starting in 24 hours and a few seconds; `recipients` confirmed registrations."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Organisation
    from registrations.models import JoinLink, Notification, Registration
    from registrations.reminders import reminders_fill
    from webinars.models import Offering, Session, Status

    office = Organisation.objects.create(
        name="Musikkontor Bench", short_name="Bench", slug="bench", contact_email="post@bench.example.no"
    )
    starts_at = timezone.now() + timedelta(hours=24, seconds=15)
    offering = Offering.objects.create(organisation=office, status=Status.PUBLISHED)
    session = Session.objects.create(
        offering=offering,
        organisation=office,
        title="Strømmeinntekter og royalties",
        slug="bench-session",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        status=Status.PUBLISHED,
        stream_url="https://zoom.us/j/1234567890",
    )
    for start in range(0, recipients, 2000):
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    offering=offering,
                    name=f"Deltaker {i}",
                    email=f"deltaker{i}@example.no",
                    language="en" if i % 3 == 0 else "nb",
                    status=Registration.Status.CONFIRMED,
                )
                for i in range(start, min(start + 2000, recipients))
            ]
        )
        JoinLink.objects.bulk_create([JoinLink(registration=r, session=session) for r in registrations])
    reminders_fill(session=session)
    due = Notification.objects.filter(kind="reminder", reminder_offset=1440)
    assert due.count() == recipients
    return session, due.order_by("due_at").first().due_at


def sample_rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all of its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total_kb, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def process_groups(*, worker_pid: int | None, sink_pid: int) -> dict:
    """For cpu_seconds: the worker (its process group; none before it starts), the sink,
    PostgreSQL and this script (which sends the baseline)."""
    return {
        "worker": harness.in_group(worker_pid),
        "sink": harness.is_pid(sink_pid),
        "postgresql": harness.named("postgres"),
        "script": harness.is_pid(os.getpid()),
    }


def count_lines(path: Path, suffix: str | None = None) -> list[str]:
    lines = path.read_text().splitlines() if path.exists() else []
    return [line for line in lines if suffix is None or line.endswith(suffix)]


class LineCounter:
    """Counts matching lines of a growing file, reading only what was added."""

    def __init__(self, path: Path, needle: bytes):
        self.path, self.needle, self.offset, self.total = path, needle, 0, 0

    def count(self) -> int:
        if not self.path.exists():
            return 0
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read()
        complete = chunk.rfind(b"\n") + 1
        self.offset += complete
        self.total += sum(1 for line in chunk[:complete].splitlines() if line.endswith(self.needle))
        return self.total


def baseline(port: int, sample: bytes, n: int, sink_file: Path) -> float:
    """smtplib, one connection, `n` pre-rendered messages of the reminder's size."""
    messages = []
    head, _, body = sample.partition(b"\r\n\r\n")
    for i in range(n):
        headers = [
            line
            for line in head.split(b"\r\n")
            if not line.lower().startswith((b"message-id:", b"to:")) and not line.startswith((b" ", b"\t"))
        ]
        headers += [f"Message-ID: <baseline{i}@bench.example>".encode(), f"To: b{i}@baseline.example".encode()]
        messages.append((f"b{i}@baseline.example", b"\r\n".join(headers) + b"\r\n\r\n" + body))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for rcpt, data in messages:
            smtp.sendmail("ikke-svar@musikkhjemmekontoret.no", [rcpt], data)
    deadline = time.monotonic() + 60
    arrived = LineCounter(sink_file, b"@baseline.example")
    while arrived.count() < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return time.perf_counter() - started


def mail_bench(
    *,
    n: int,
    label: str,
    db_name: str,
    redis_url: str,
    prepare,
    kick,
    address,
    extra_env: dict | None = None,
) -> dict:
    """What the two mail benchmarks share (this one and bench/digest.py): a fresh database,
    Redis flushed, the SMTP sink; `prepare()` seeds and returns a sample message's bytes; the
    smtplib baseline sends n of them; then one Celery worker (concurrency 2) is started,
    `kick()` sends the task the beat would, and the sink's lines are counted until n emails
    arrived (the outbox sweep nudged each minute, as the beat does). `address(i)` is the i-th
    recipient; `extra_env` adds settings to the worker's environment (mail_env). Returns the common
    fields of the JSON line."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
    sink_file = tmp / "sink.log"
    port = harness.free_port()
    env = mail_env(port, db_name=db_name, redis_url=redis_url, extra=extra_env)
    harness.recreate_database(PG, db_name)
    harness.manage(env, "migrate", "--noinput", "-v", "0", timeout=300)
    setup_django(env)
    import redis

    redis.Redis.from_url(redis_url).flushdb()

    sink = subprocess.Popen([sys.executable, "-c", SINK_CODE, str(port), str(sink_file)], stdout=subprocess.PIPE)
    worker = None
    try:
        assert sink.stdout.readline().strip() == b"ready"
        sample = prepare()
        load_average = round(os.getloadavg()[0], 2)
        groups = process_groups(worker_pid=None, sink_pid=sink.pid)
        cpu_before = harness.cpu_seconds(groups)
        baseline_seconds = baseline(port, sample, n, sink_file)
        cpu_baseline = harness.cpu_ms_per(cpu_before, harness.cpu_seconds(groups), n, digits=3)

        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "-Q", "mail,default"]
            + ["-c", "2", "-n", f"bench-{label}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
            + ["-l", "WARNING"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp / "worker.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        time.sleep(4)  # the worker boots (not part of the measurement)
        peak = sample_rss_mb(worker.pid)

        from registrations.tasks import outbox_sweep

        groups = process_groups(worker_pid=worker.pid, sink_pid=sink.pid)
        cpu_before = harness.cpu_seconds(groups)
        started = time.perf_counter()
        kick()
        deadline = time.monotonic() + TIMEOUT
        last_nudge = time.monotonic()
        arrived = LineCounter(sink_file, b"@example.no")
        while time.monotonic() < deadline:
            # Poll gently: the machine has two cores and the worker should have them.
            peak = max(peak, sample_rss_mb(worker.pid))
            if arrived.count() >= n:
                break
            if time.monotonic() - last_nudge > 60:  # the beat's minute
                outbox_sweep.apply_async(queue="mail")
                last_nudge = time.monotonic()
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        cpu_run = harness.cpu_ms_per(cpu_before, harness.cpu_seconds(groups), n, digits=3)
        time.sleep(1)

        lines = count_lines(sink_file, "@example.no")
        by_id: dict[str, int] = {}
        for line in lines:
            by_id[line] = by_id.get(line, 0) + 1
        recipients_seen = {line.split()[1] for line in lines}
        delivered = len(by_id)
        emails_per_s = delivered / seconds if seconds else 0.0
        baseline_per_s = n / baseline_seconds
        return {
            "delivered": delivered,
            "duplicates": sum(c - 1 for c in by_id.values()),
            "missing": n - len(recipients_seen & {address(i) for i in range(n)}),
            "seconds": round(seconds, 2),
            "emails_per_s": round(emails_per_s, 1),
            "baseline_emails_per_s": round(baseline_per_s, 1),
            "ratio": round(emails_per_s / baseline_per_s, 3),
            "sample_bytes": len(sample),
            "worker_peak_rss_mb": round(peak, 1),
            "cpu_ms_per_email": {k: v for k, v in cpu_run.items() if k != "script"},
            "cpu_ms_per_baseline_email": {k: cpu_baseline[k] for k in ("script", "sink")},
            "load_average_at_start": load_average,
        }
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        sink.terminate()
        sink.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()
    n = args.recipients

    def prepare() -> bytes:
        # The baseline sends messages exactly as large as a real reminder.
        _session, due_at = seed(n)
        from django.utils import timezone

        from registrations.emails import build_message
        from registrations.models import Notification

        while timezone.now() < due_at:
            time.sleep(0.2)
        sample_row = Notification.objects.select_related("registration__offering", "session__organisation").filter(
            kind="reminder", reminder_offset=1440
        )[0]
        return build_message(sample_row).message().as_bytes(linesep="\r\n")

    def kick() -> None:
        from registrations.tasks import outbox_sweep

        outbox_sweep.apply_async(queue="mail")  # what the beat does every minute

    result = mail_bench(
        n=n,
        label="reminders",
        db_name=DB_NAME,
        redis_url=REDIS_URL,
        prepare=prepare,
        kick=kick,
        address=lambda i: f"deltaker{i}@example.no",
    )
    result.pop("sample_bytes")
    print(json.dumps({"recipients": n, **result}))


if __name__ == "__main__":
    main()
