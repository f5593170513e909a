from celery import shared_task

from registrations import outbox


@shared_task(name="registrations.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep() -> dict:
    """Beat runs this every minute; commits nudge it as a fast path. Safe to run twice:
    rows are claimed atomically, so concurrent sweeps never send the same row."""
    result = outbox.outbox_sweep()
    return {"claimed": result.claimed, "sent": result.sent, "retried": result.retried, "failed": result.failed}
