"""The Celery app. Tasks take ids, call one service and are safe to run twice."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("musikkhjemmekontoret")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("mail"))
app.autodiscover_tasks()
