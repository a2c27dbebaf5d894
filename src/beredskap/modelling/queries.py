"""Read helpers for modelling; runs only through ``visible_to(user)``, children through them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from beredskap.modelling.models import RunBottleneck, SimulationResult, SimulationRun
from beredskap.modelling.results import RunResults


def runs(user: Any) -> QuerySet[SimulationRun]:
    return SimulationRun.objects.visible_to(user).select_related("owner_org", "created_by")


def run_results(run: SimulationRun) -> RunResults | None:
    """The stored results of a run the caller has already read through ``runs(user)``."""
    row = SimulationResult.objects.filter(run=run).first()
    return RunResults(row.data, row.meta) if row else None


def bottlenecks(run: SimulationRun, level: str | None = None) -> QuerySet[RunBottleneck]:
    rows = RunBottleneck.objects.filter(run=run)
    return rows.filter(level=level) if level else rows


def visible_bottlenecks(user: Any) -> QuerySet[RunBottleneck]:
    return RunBottleneck.objects.filter(run__in=SimulationRun.objects.visible_to(user))
