"""Celery tasks: thin interfaces to delivery (registrations/delivery.py)."""

import socket

from celery import shared_task
from django.conf import settings

from registrations import delivery, retention
from registrations.anonymise import erasure_complete

# A sweep stops taking new batches after this long, well inside CELERY_TASK_SOFT_TIME_LIMIT,
# and hands over to a fresh task: a time limit must never interrupt a batch mid-send.
SWEEP_SECONDS = 180


@shared_task(name="registrations.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep(helper: bool = True) -> dict:
    """Beat runs this every minute; commits nudge it as a fast path. Safe to run twice:
    rows are claimed atomically, so concurrent sweeps never send the same row.

    When the first batch is full there is more work than one process should do alone,
    so the sweep asks for one helper (a second worker process sweeps in parallel).
    """
    worker = f"{socket.gethostname()}:{outbox_sweep.request.hostname or ''}"
    first = delivery.outbox_deliver_batch(worker=worker)
    if helper and not first.errors and first.claimed >= settings.OUTBOX_BATCH_SIZE:
        _spawn(helper=False)
    result = first
    if first.claimed and not first.errors:
        rest = delivery.outbox_sweep(worker=worker, max_seconds=SWEEP_SECONDS)
        result.add(rest)
        if rest.claimed and not rest.errors and delivery.outbox_has_due():
            _spawn(helper=True)  # time is up but work remains: continue in a fresh task
    if result.claimed:
        # An erased person's address goes once their cancellation emails are done.
        erasure_complete()
    return {
        "claimed": result.claimed,
        "sent": result.sent,
        "retried": result.retried,
        "failed": result.failed,
        "skipped": result.skipped,
    }


def _spawn(*, helper: bool) -> None:
    try:
        outbox_sweep.apply_async(kwargs={"helper": helper}, queue="mail", retry=False)
    except Exception:  # the beat sweeps within a minute anyway
        pass


@shared_task(name="registrations.tasks.retention_run", ignore_result=True)
def retention_run() -> dict:
    """Beat runs this every RETENTION_RUN_SECONDS (registrations/retention.py); safe to run twice."""
    return retention.retention_run()
