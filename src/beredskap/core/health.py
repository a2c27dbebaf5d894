"""`GET /helse/`: is this installation able to do its work? For monitoring (operator's guide).

Anonymous, JSON, no sensitive data: 200 when the database answers, at least one background
worker has written its heartbeat within the lease, and no task has waited longer than
``BEREDSKAP_QUEUE_WARN_SECONDS`` without a worker to take it; otherwise 503 with the failed
checks named. A monitoring system polls it every minute.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beredskap.core import leases

logger = logging.getLogger(__name__)
#: A backlog this many times the warning age is unhealthy even with workers alive.
BACKLOG_FACTOR = 10


def _uses_database_queue() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db.")


def _check_queue(checks: dict[str, Any], failures: list[str]) -> None:
    state = leases.queue_state()
    checks["queue"] = state
    warn = settings.BEREDSKAP_QUEUE_WARN_SECONDS
    oldest = state["oldest_ready_age_seconds"]
    if not state["live_workers"]:
        failures.append("no_live_worker")
    if isinstance(oldest, float) and (
        (oldest > warn and not state["live_workers"]) or oldest > warn * BACKLOG_FACTOR
    ):
        failures.append("queue_stalled")


@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {}
    failures: list[str] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("health check: database unavailable")
        checks["database"] = "unavailable"
        failures.append("database")
    if not failures and _uses_database_queue():
        try:
            _check_queue(checks, failures)
        except DatabaseError:
            logger.exception("health check: queue tables unavailable")
            failures.append("queue")
    body = {"status": "fail" if failures else "ok", "failures": failures, "checks": checks}
    return JsonResponse(body, status=503 if failures else 200)
