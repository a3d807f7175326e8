"""The Celery app on a real broker (Redis); local and test settings run tasks eagerly when no broker is set.

It defaults to production settings, like wsgi.py: a worker started without DJANGO_SETTINGS_MODULE must not
quietly run with DEBUG on and a built-in secret key.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# DjangoTask gives every task `delay_on_commit`, so nothing is queued for a transaction that rolls back.
app = Celery("centric", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
