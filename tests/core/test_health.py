"""The health endpoint: database, queue age and worker heartbeat, 200 or 503, anonymous."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beredskap.core.workermodels import WorkerHeartbeat

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ready_task(age_seconds: float) -> None:
    at = timezone.now() - dt.timedelta(seconds=age_seconds)
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="beredskap.operations.tasks.escalate_notifications",
        backend_name="default",
        run_after=at,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=at)


@pytest.mark.django_db
def test_health_is_ok_for_anyone_with_a_live_worker_and_a_fresh_queue(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_QUEUE
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="app1")
    _ready_task(5)
    response = Client().get("/helse/")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"
    assert body["checks"]["queue"]["live_workers"] == 1
    assert body["checks"]["queue"]["ready_tasks"] == 1
    assert "app1" not in response.content.decode()  # no host names or other internals


@pytest.mark.django_db
def test_health_fails_when_tasks_wait_and_no_worker_is_alive(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_QUEUE
    WorkerHeartbeat.objects.create(worker_id="gone", seen_at=timezone.now() - dt.timedelta(hours=1))
    _ready_task(300)
    response = Client().get("/helse/")
    assert response.status_code == 503
    assert set(response.json()["failures"]) == {"no_live_worker", "queue_stalled"}


@pytest.mark.django_db
def test_health_fails_when_the_database_does_not_answer(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db.backends.utils import CursorWrapper

    def down(self, sql, params=None):  # type: ignore[no-untyped-def]
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = Client().get("/helse/")
    assert response.status_code == 503
    assert response.json()["failures"] == ["database"]
