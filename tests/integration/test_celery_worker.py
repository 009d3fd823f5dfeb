"""A real worker process, against the real broker (Redis in CI, the filesystem transport by default)."""

import uuid

import pytest
from django.conf import settings

from core.tasks import healthcheck
from socialgov.celery import app
from tests.workers import celery_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_runs_healthcheck_and_result_is_observed():
    token = uuid.uuid4().hex
    with celery_worker() as queue:
        result = healthcheck.apply_async(kwargs={"token": token}, queue=queue)
        value = result.get(timeout=60)
    assert value == {"ok": True, "token": token, "database": True, "vendor": _vendor()}
    assert result.successful()


def test_broker_is_the_configured_one():
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert app.connection_for_write().transport.driver_type == expected


def test_tasks_are_acked_late_and_rejected_when_worker_is_lost():
    assert healthcheck.acks_late is True
    assert healthcheck.reject_on_worker_lost is True
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_beat_schedule_tasks_exist():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def _vendor():
    from django.db import connection

    return connection.vendor
