"""The heartbeat a background worker writes while it lives.

A job a worker holds is only as safe as our knowledge that the worker is alive: each worker
writes its heartbeat every few seconds; a job whose worker has not been heard from for longer
than the lease is failed with a clear message instead of staying «Pågår» for ever
(jobs are durable).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One running worker process: who it is and when it was last heard from."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
