"""Status reports generated in the background (django-tasks): generating the files
must not hold a web request, and the user sees progress and can cancel.

`generate_status_report` claims a queued job atomically, writes its progress between the
snapshot and each rendered file, stops when the job is cancelled, and stores the report and its
files together with the job's result in one transaction.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from beredskap.commitments import reports
from beredskap.commitments.models import ReportJob
from beredskap.core.errors import PermissionDenied
from beredskap.exercises import jobs

logger = logging.getLogger(__name__)


def execute_report(job_id: int) -> str:
    """Run a queued report job to the end; returns the final status."""
    if not jobs.claim(ReportJob, job_id):
        return "skipped"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        reports.generate_report(
            by=job.requested_by,
            kind=job.kind,
            progress=jobs.progress_writer(ReportJob, job_id),
            finish=lambda report: jobs.finish(
                ReportJob, job_id, jobs.JobStatus.DONE, report=report
            ),
        )
    except jobs.Cancelled:
        jobs.cancel(
            ReportJob, job_id
        )  # already so when cancelled from another connection; kept after rollback
        return jobs.JobStatus.CANCELLED
    except (ValidationError, PermissionDenied) as exc:
        jobs.finish(
            ReportJob, job_id, jobs.JobStatus.FAILED, " ".join(getattr(exc, "messages", [str(exc)]))
        )
        return jobs.JobStatus.FAILED
    except Exception:
        logger.exception("status report job %s failed", job_id)
        jobs.finish(
            ReportJob,
            job_id,
            jobs.JobStatus.FAILED,
            _("Rapporten feilet uventet. Feilen er logget."),
        )
        return jobs.JobStatus.FAILED
    return jobs.JobStatus.DONE


@task()
def generate_status_report(job_id: int) -> str:
    """The queued task: see :func:`execute_report`."""
    return str(execute_report(job_id))
