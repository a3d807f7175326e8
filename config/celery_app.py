"""The Celery app: eager (in-process) when CELERY_BROKER_URL is unset, a real broker (Redis) when set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("centric")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
