"""The Celery app: eager (in-process) when CELERY_BROKER_URL is unset, a real broker (Redis) when set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# DjangoTask gives every task `delay_on_commit`, so nothing is queued for a transaction that rolls back.
app = Celery("centric", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
