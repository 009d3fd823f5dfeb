"""The Celery application. Configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery

from core import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")

# The embedded default's broker, "socialgov-filesystem://" (core/broker.py), known to Kombu before any connection.
broker.register()

app = Celery("socialgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
