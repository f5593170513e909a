"""Celery tasks: thin interfaces to following's services."""

from celery import shared_task

from following import digests, services


@shared_task(name="following.tasks.digests_run", ignore_result=True)
def digests_run() -> dict:
    """Beat runs this weekly (DIGEST_WEEKDAY at DIGEST_HOUR); safe to run twice: a
    follower's digest for a week is written once (following/digests.py)."""
    return digests.digests_run()


@shared_task(name="following.tasks.followers_retention", ignore_result=True)
def followers_retention() -> dict:
    """Beat runs this with the retention task (RETENTION_RUN_SECONDS): guests who never
    confirmed are forgotten."""
    return {"unconfirmed_deleted": services.followers_unconfirmed_delete()}
