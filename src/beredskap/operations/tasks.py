"""Background tasks of operations (django-tasks; the immediate backend runs them inline in
tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_notifications() -> int:
    """Retry failed deliveries and escalate unacknowledged notifications past their deadline
    (run every minute by the timer/cron)."""
    from beredskap.operations.services.notification import escalate_overdue

    return escalate_overdue()


@task()
def expire_mobilisation_requests() -> int:
    """Requests to reserve personnel not answered by their deadline go to the next candidate
    (run every minute with the escalation)."""
    from beredskap.operations.services.mobilisation import expire_overdue

    return expire_overdue()
