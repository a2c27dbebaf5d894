"""A queued job that no worker has taken for a minute says so on its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from beredskap.core.workermodels import WorkerHeartbeat
from beredskap.exercises.models import ImportJob

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TEMPLATE = Template("{% load jobwait %}{% job_waiting_notice job %}")


def _job(user, minutes_ago: float, status: str = "queued") -> ImportJob:  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(kind="exercises", data=b"", requested_by=user, status=status)
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    ImportJob.objects.filter(pk=job.pk).update(requested_at=at)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_job_waiting_two_minutes_with_no_worker_says_no_worker_has_taken_it(  # type: ignore[no-untyped-def]
    settings, admin_user
) -> None:
    settings.TASKS = DB_QUEUE
    html = TEMPLATE.render(Context({"job": _job(admin_user, 2)}))
    assert "Ingen bakgrunnsarbeider har tatt jobben på 2 minutter" in html
    assert "beredskap worker" in html


@pytest.mark.django_db
def test_a_job_waiting_while_workers_live_says_they_are_busy(settings, admin_user) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_QUEUE
    WorkerHeartbeat.objects.create(worker_id="w1")
    html = TEMPLATE.render(Context({"job": _job(admin_user, 2)}))
    assert "Alle bakgrunnsarbeidere er opptatt" in html
    assert "Ingen bakgrunnsarbeider" not in html


@pytest.mark.django_db
def test_a_fresh_or_running_job_shows_no_notice(settings, admin_user) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_QUEUE
    assert "ds-alert" not in TEMPLATE.render(Context({"job": _job(admin_user, 0.2)}))
    assert "ds-alert" not in TEMPLATE.render(Context({"job": _job(admin_user, 5, "running")}))
