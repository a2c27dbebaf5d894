"""Run by the worker tests as a separate process: enqueue a slow job in the queue database.

`python tests/core/workerctl.py SECONDS` prints the new import job's id.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredskap.settings")

import django  # noqa: E402

django.setup()

from beredskap.core.models import User  # noqa: E402
from beredskap.exercises.models import ImportJob  # noqa: E402
from tests.core.worker_tasks import slow_job  # noqa: E402

user, _ = User.objects.get_or_create(username="worker-test")
job = ImportJob.objects.create(kind="exercises", data=b"x", requested_by=user)
result = slow_job.enqueue(job.pk, float(sys.argv[1]))
ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
print(job.pk)
