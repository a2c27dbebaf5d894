"""`{% job_waiting_notice job %}`: say so when a queued job has no worker to take it.

A job page that shows «I kø 0 %» for ever explains nothing; after
``BEREDSKAP_QUEUE_WARN_SECONDS`` this says whether no worker is running (tell the operator) or
all workers are busy (it starts when one is free). The status says what is actually happening.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone

from beredskap.core import leases

register = template.Library()


@register.inclusion_tag("components/job_waiting.html")
def job_waiting_notice(job: Any) -> dict[str, Any]:
    queued_at = getattr(job, "requested_at", None) or getattr(job, "created_at", None)
    uses_queue = str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db.")
    if getattr(job, "status", "") != "queued" or queued_at is None or not uses_queue:
        return {"show": False}
    waited = timezone.now() - queued_at
    if waited < dt.timedelta(seconds=settings.BEREDSKAP_QUEUE_WARN_SECONDS):
        return {"show": False}
    return {
        "show": True,
        "no_worker": not leases.live_worker_ids(),
        "minutes": max(1, int(waited.total_seconds() // 60)),
    }
