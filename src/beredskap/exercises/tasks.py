"""Background imports of exercises and actions (django-tasks): a large file must not hold
a web request, and the user sees progress and can cancel.

`run_import` is durable and idempotent: it claims a queued job atomically, writes its progress
as rows are handled, stops when the job is cancelled, and commits the rows and the job's result
in one transaction. Production queues it in the database (`manage.py db_worker`); tests run it
with the immediate backend.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from beredskap.exercises import imports, jobs, queries
from beredskap.exercises.models import ImportJob, ImportKind

logger = logging.getLogger(__name__)


def execute_import(job_id: int) -> str:
    """Run a queued import to the end; returns the final status."""
    if not jobs.claim(ImportJob, job_id):
        return "skipped"
    job = ImportJob.objects.select_related("requested_by", "plan").get(pk=job_id)
    user, data = job.requested_by, bytes(job.data)

    def finish(result: imports.ImportResult) -> bool:
        return jobs.finish(
            ImportJob,
            job_id,
            jobs.JobStatus.DONE,
            created=result.created,
            row_errors=result.errors[:1000],
        )

    progress = jobs.progress_writer(ImportJob, job_id)
    try:
        if job.kind == ImportKind.ACTIONS:
            imports.import_actions(
                by=user,
                data=data,
                exercises=queries.exercises(user),
                progress=progress,
                finish=finish,
            )
        else:
            imports.import_exercises(
                by=user, data=data, plan=job.plan, progress=progress, finish=finish
            )
    except jobs.Cancelled:
        jobs.cancel(
            ImportJob, job_id
        )  # already so when cancelled from another connection; kept after rollback
        return jobs.JobStatus.CANCELLED
    except ValidationError as exc:  # the file itself is unreadable: wrong format, columns, size
        jobs.finish(ImportJob, job_id, jobs.JobStatus.FAILED, " ".join(exc.messages))
        return jobs.JobStatus.FAILED
    except Exception:
        logger.exception("import job %s failed", job_id)
        jobs.finish(
            ImportJob,
            job_id,
            jobs.JobStatus.FAILED,
            _("Importen feilet uventet. Feilen er logget."),
        )
        return jobs.JobStatus.FAILED
    return jobs.JobStatus.DONE


@task()
def run_import(job_id: int) -> str:
    """The queued task: see :func:`execute_import`."""
    return str(execute_import(job_id))
