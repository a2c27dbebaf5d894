"""Background execution of simulation runs (django-tasks): a simulation takes
minutes and must not hold a web request.

``run_simulation`` is durable and idempotent: it claims a queued run atomically
(queued → running), so a second delivery of the same task does nothing. Between ensemble
chunks it writes the progress and stops when the run has been cancelled. In production the
database backend queues it and ``manage.py db_worker`` executes it; tests use the immediate
backend.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from beredskap.modelling import capacity, engine, results
from beredskap.modelling.models import RunBottleneck, RunStatus, SimulationResult, SimulationRun
from beredskap.modelling.parameters import RunParameters

logger = logging.getLogger(__name__)


def _progress_writer(run_id: int):
    """progress(percent) -> still running? (writes the percentage; False once cancelled)."""

    def progress(percent: int) -> bool:
        updated = SimulationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            progress=max(0, min(99, int(percent)))
        )
        return bool(updated)

    return progress


def _finish(run_id: int, status: str, message: str = "") -> None:
    SimulationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), error_message=message[:2000]
    )


def _store(run_id: int, outcome: engine.Outcome, note: str) -> bool:
    with transaction.atomic():
        run = (
            SimulationRun.objects.select_for_update()
            .filter(pk=run_id, status=RunStatus.RUNNING)
            .first()
        )
        if run is None:
            return False
        SimulationResult.objects.update_or_create(
            run=run,
            defaults={
                "data": results.pack(outcome.arrays),
                "meta": {**outcome.meta, "capacity_note": note},
            },
        )
        RunBottleneck.objects.filter(run=run).delete()
        RunBottleneck.objects.bulk_create(
            [RunBottleneck(run=run, **row) for row in outcome.bottlenecks]
        )
        SimulationRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE, progress=100, finished_at=timezone.now(), error_message=""
        )
    return True


def execute_run(run_id: int) -> str:
    """Run a queued simulation to completion; returns the final status."""
    claimed = SimulationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        return "skipped"
    run = SimulationRun.objects.get(pk=run_id)
    try:
        params = RunParameters.model_validate(run.parameters)
        cap, note = capacity.resolve(params)
        outcome = engine.execute(params, cap, _progress_writer(run_id))
    except engine.Cancelled:
        return RunStatus.CANCELLED
    except ValueError as exc:  # ParameterError and pydantic errors carry a readable message
        _finish(run_id, RunStatus.FAILED, _("Ugyldige parametere: %(e)s") % {"e": exc})
        return RunStatus.FAILED
    except Exception:
        logger.exception("simulation run %s failed", run_id)
        _finish(run_id, RunStatus.FAILED, _("Simuleringen feilet uventet. Feilen er logget."))
        return RunStatus.FAILED
    return RunStatus.DONE if _store(run_id, outcome, note) else RunStatus.CANCELLED


@task()
def run_simulation(run_id: int) -> str:
    """The queued task: see :func:`execute_run`."""
    return str(execute_run(run_id))
