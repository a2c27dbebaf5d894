"""Leases on background jobs: a job whose worker stopped is failed, never «Pågår» for ever.

Each worker (``beredskap worker``) writes a heartbeat every few seconds. A task the database
queue shows as running, whose worker has not been heard from for longer than the lease
(``BEREDSKAP_WORKER_LEASE_SECONDS``), was held by a worker that died (killed, out of memory,
machine lost): the sweep marks the task failed and fails the job record that waits on it
(imports, status reports, simulation runs) with a clear Norwegian message. Nothing of such a
job was stored — imports and reports commit their result in the same transaction that marks
them done, and a simulation stores its results only at the end — so the user can simply start
it again. Jobs are durable and safe to run twice.

Job records are found by shape, not by import (``core`` imports no app): any model with
``status``, ``task_id``, ``started_at``, ``finished_at`` and ``error_message`` fields using the
values ``queued``/``running``/``failed``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from beredskap.core.workermodels import WorkerHeartbeat

logger = logging.getLogger(__name__)

JOB_FIELDS = frozenset({"status", "task_id", "started_at", "finished_at", "error_message"})
LOST_CLASS_PATH = "beredskap.core.leases.WorkerLost"
#: Heartbeat rows of workers gone this long are removed (kept a while for the operator's view).
HEARTBEAT_RETENTION = dt.timedelta(days=1)


class WorkerLost(Exception):
    """The worker that held a task stopped without finishing it."""


@dataclass
class SweepResult:
    tasks_failed: int = 0
    jobs_failed: int = 0


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BEREDSKAP_WORKER_LEASE_SECONDS)


def heartbeat_interval() -> float:
    """How often a worker beats: six beats per lease, so one slow beat never loses the lease."""
    return max(0.5, settings.BEREDSKAP_WORKER_LEASE_SECONDS / 6)


def live_worker_ids(now: dt.datetime | None = None) -> set[str]:
    """Workers heard from within the lease."""
    cutoff = (now or timezone.now()) - lease()
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )


def job_models() -> list[type[models.Model]]:
    """Every installed model shaped like a background job record."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if names >= JOB_FIELDS:
            found.append(model)
    return found


def lost_message() -> str:
    seconds = settings.BEREDSKAP_WORKER_LEASE_SECONDS
    return _(
        "Bakgrunnsarbeideren som kjørte jobben, stoppet uten å fullføre den (ingen livstegn på "
        "%(s)s sekunder). Ingenting av jobben ble lagret; start den på nytt."
    ) % {"s": seconds}


def _fail_lost_tasks(now: dt.datetime, live: set[str]) -> set[str]:
    """Running queue entries whose last worker is not alive → failed; returns their ids."""
    cutoff = now - lease()
    failed: set[str] = set()
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).only("id", "worker_ids")
    for result in running:
        holder = result.worker_ids[-1] if result.worker_ids else ""
        if holder in live:
            continue
        updated = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST_CLASS_PATH,
            traceback=f"{LOST_CLASS_PATH}: worker {holder or '?'} stopped holding this task",
        )
        if updated:
            logger.warning("task %s failed: its worker %s stopped", result.pk, holder)
            failed.add(str(result.pk))
    return failed


def _fail_orphaned_jobs(now: dt.datetime) -> int:
    """Job records still queued or running whose queue entry has finished or vanished."""
    count = 0
    message = lost_message()
    for model in job_models():
        waiting = model._default_manager.filter(status__in=("queued", "running")).exclude(
            task_id=""
        )
        task_ids = {row.task_id: row.pk for row in waiting.only("pk", "task_id")}
        if not task_ids:
            continue
        alive = {
            str(pk)
            for pk in DBTaskResult.objects.filter(
                pk__in=list(task_ids),
                status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
            ).values_list("pk", flat=True)
        }
        dead = [pk for task_id, pk in task_ids.items() if task_id not in alive]
        if dead:
            count += model._default_manager.filter(
                pk__in=dead, status__in=("queued", "running")
            ).update(status="failed", finished_at=now, error_message=message)
    return count


def sweep(now: dt.datetime | None = None, *, alive: str = "") -> SweepResult:
    """Fail tasks whose worker stopped and the job records waiting on them (`alive`: the
    sweeping worker itself, alive whatever its last heartbeat says)."""
    now = now or timezone.now()
    live = live_worker_ids(now) | {alive}
    result = SweepResult()
    result.tasks_failed = len(_fail_lost_tasks(now, live))
    result.jobs_failed = _fail_orphaned_jobs(now)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_RETENTION).delete()
    return result


def beat(worker_id: str, *, hostname: str = "", pid: int = 0) -> None:
    """Record that a worker is alive now."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(pk=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"hostname": hostname[:255], "pid": pid, "started_at": now, "seen_at": now},
        )


def queue_state(now: dt.datetime | None = None) -> dict[str, object]:
    """What the health endpoint and job pages need: live workers and the oldest ready task."""
    now = now or timezone.now()
    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
    ).first()
    last_seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
    newest = last_seen.first()
    return {
        "live_workers": len(live_worker_ids(now)),
        "ready_tasks": DBTaskResult.objects.ready().count(),
        "oldest_ready_age_seconds": (now - oldest).total_seconds() if oldest else None,
        "last_heartbeat_age_seconds": (now - newest).total_seconds() if newest else None,
    }
