"""The worker's reconnect loop and the lease sweep, in process."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from beredskap.core import leases, worker
from beredskap.core.workermodels import WorkerHeartbeat
from beredskap.exercises.models import ImportJob


def _worker() -> worker.ResilientWorker:
    return worker.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-test",
        excluded_queue_names=[],
    )


# transaction=True: the reconnect closes the connection, which inside a test transaction would
# leave PostgreSQL's connection unusable (SQLite's in-memory database ignores the close).
@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_and_reconnects_when_the_database_goes_away(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    sleeps: list[float] = []
    w = _worker()

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 5:
            raise AssertionError(f"the worker keeps retrying without running: {sleeps}")

    def flaky_run() -> None:
        calls.append(w.worker_id)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(w, "run", flaky_run)
    monkeypatch.setattr(worker.time, "sleep", sleep)
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)
    w.serve()
    assert len(calls) == 3
    assert sleeps == [1.0, 2.0]  # backoff, not a crash
    # Each reconnect takes a fresh id, so a task held across the outage is swept as lost.
    assert calls == ["w-test", "w-test-r1", "w-test-r2"]


@pytest.mark.django_db
def test_a_programming_error_in_the_worker_is_raised_not_retried(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import ProgrammingError

    w = _worker()
    monkeypatch.setattr(w, "run", lambda: (_ for _ in ()).throw(ProgrammingError("no such column")))
    monkeypatch.setattr(worker.time, "sleep", lambda s: pytest.fail("retried a bug as an outage"))
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)
    with pytest.raises(ProgrammingError):
        w.serve()


def _running_task(worker_id: str, started: dt.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=started,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.core.worker_tasks.slow_job",
        worker_ids=[worker_id],
        backend_name="default",
        run_after=started,
    )


@pytest.mark.django_db
def test_the_sweep_fails_a_task_and_its_job_whose_worker_went_silent(admin_user) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    old = now - leases.lease() - dt.timedelta(seconds=5)
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=old)
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=now)
    lost, kept = _running_task("dead", old), _running_task("alive", old)
    job_lost = ImportJob.objects.create(
        kind="exercises", data=b"", requested_by=admin_user, status="running", task_id=lost.pk
    )
    job_kept = ImportJob.objects.create(
        kind="exercises", data=b"", requested_by=admin_user, status="running", task_id=kept.pk
    )
    outcome = leases.sweep(now)
    assert (outcome.tasks_failed, outcome.jobs_failed) == (1, 1)
    job_lost.refresh_from_db()
    job_kept.refresh_from_db()
    assert job_lost.status == "failed" and "stoppet uten å fullføre" in job_lost.error_message
    assert job_kept.status == "running" and job_kept.error_message == ""
    assert DBTaskResult.objects.get(pk=kept.pk).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_the_sweep_never_fails_the_sweeping_workers_own_task(admin_user) -> None:  # type: ignore[no-untyped-def]
    old = timezone.now() - leases.lease() * 3
    mine = _running_task("me", old)
    assert leases.sweep(alive="me").tasks_failed == 0
    assert DBTaskResult.objects.get(pk=mine.pk).status == TaskResultStatus.RUNNING
