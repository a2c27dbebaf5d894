"""Background detection (django-tasks; DESIGN.md rule 8): queued after new observations."""

from __future__ import annotations

from django_tasks import task

from beredskap.surveillance import runner


@task()
def run_detection_task(run_id: int) -> str:
    """The queued task: see :func:`beredskap.surveillance.runner.execute`."""
    return str(runner.execute(run_id))
