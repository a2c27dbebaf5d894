"""Long work in the background with progress and cancellation: a long job must not hold a web
request, the user sees how far it is, and a job is safe to run twice.

The same life cycle as modelling's simulation runs: queued → running → done / failed / cancelled.
A worker claims a queued job atomically (a second delivery does nothing), writes its progress
between steps and stops when the job has been cancelled; the last step commits the result and
marks the job done in one transaction, so a cancelled job leaves nothing behind. Used by the
XLSX imports here and by the status reports in `commitments`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.progress import update_outside


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Ferdig")
    FAILED = "failed", _("Feilet")
    CANCELLED = "cancelled", _("Avbrutt")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Cancelled(Exception):
    """The job was cancelled while it ran; everything it wrote is rolled back."""


class BackgroundJob(models.Model):
    """Fields every background job has; only the user who asked for it sees it."""

    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("fremdrift (%)"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


def claim(model: type[BackgroundJob], pk: int) -> bool:
    """queued → running, atomically; False if another worker took it or it was cancelled."""
    return bool(
        model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), progress=0
        )
    )


def progress_writer(model: type[BackgroundJob], pk: int) -> Callable[[int], None]:
    """progress(percent): writes the percentage; raises Cancelled once the job is no longer
    running."""

    def progress(percent: int) -> None:
        # outside the job's own transaction, so the page sees it move and cancel is not blocked
        value = max(0, min(99, int(percent)))
        if not update_outside(model, {"pk": pk, "status": JobStatus.RUNNING}, progress=value):
            raise Cancelled

    return progress


def finish(
    model: type[BackgroundJob], pk: int, status: str, message: str = "", **fields: Any
) -> bool:
    """Mark a running job finished; inside the result's transaction this is the last cancel
    check."""
    return bool(
        model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(
            status=status,
            progress=100 if status == JobStatus.DONE else models.F("progress"),
            finished_at=timezone.now(),
            error_message=message[:2000],
            **fields,
        )
    )


def cancel(model: type[BackgroundJob], pk: int) -> bool:
    """Stop a queued or running job; False when it had already finished."""
    return bool(
        model.objects.filter(pk=pk, status__in=ACTIVE).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    )
