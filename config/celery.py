"""The Celery app. Tasks take ids, call one service and are safe to run twice."""

import os

from celery import Celery, signals
from kombu import Queue

from config.log_masking import MaskSecretsFilter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("musikkhjemmekontoret")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("mail"))
app.autodiscover_tasks()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def mask_secrets_in_worker_logs(logger, **kwargs) -> None:
    # A worker replaces the root logger's handlers with its own: they mask secrets too.
    for handler in logger.handlers:
        handler.addFilter(MaskSecretsFilter())
