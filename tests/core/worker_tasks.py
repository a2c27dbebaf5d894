"""Tasks the worker tests enqueue: a job that takes a while, writing progress as it goes."""

from __future__ import annotations

import time

from django_tasks import task

from beredskap.exercises import jobs
from beredskap.exercises.models import ImportJob


@task()
def slow_job(job_id: int, seconds: float) -> str:
    """Claim the import job, tick progress for `seconds`, then finish it."""
    if not jobs.claim(ImportJob, job_id):
        return "skipped"
    progress = jobs.progress_writer(ImportJob, job_id)
    steps = max(1, int(seconds * 10))
    for step in range(steps):
        time.sleep(seconds / steps)
        progress(step * 100 // steps)
    jobs.finish(ImportJob, job_id, jobs.JobStatus.DONE, created=1)
    return "done"
