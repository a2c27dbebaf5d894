"""Lazy, graceful use of the capacity and modelling apps (their summary modules).

Each helper returns (data, available): when the other app's summary module or function is
missing in this installation, `available` is False and pages show «ikke tilgjengelig».
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, is_dataclass
from typing import Any


def _function(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _plain(line: Any) -> dict[str, Any]:
    data = asdict(line) if is_dataclass(line) and not isinstance(line, type) else dict(vars(line))
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def bed_picture(user: Any, **filters: Any) -> tuple[list[dict[str, Any]], bool]:
    func = _function("beredskap.capacity.summary", "bed_picture")
    if func is None:
        return [], False
    return [_plain(line) for line in func(user, **filters)], True


def reserve_availability(user: Any, **filters: Any) -> tuple[list[dict[str, Any]], bool]:
    func = _function("beredskap.capacity.summary", "reserve_availability")
    if func is None:
        return [], False
    return [_plain(line) for line in func(user, **filters)], True


def stock_coverage(user: Any, **filters: Any) -> tuple[list[dict[str, Any]], bool]:
    func = _function("beredskap.capacity.summary", "stock_coverage")
    if func is None:
        return [], False
    return [_plain(line) for line in func(user, **filters)], True


def forecast_run(user: Any, run_id: int) -> tuple[dict[str, Any] | None, bool]:
    """A run as the user may see it (None: not visible), for attaching it to a crisis."""
    func = _function("beredskap.modelling.forecast", "run_summary")
    if func is None:
        return None, False
    return func(user, run_id), True


def attachable_runs(user: Any, **filters: Any) -> tuple[list[dict[str, Any]], bool]:
    func = _function("beredskap.modelling.forecast", "attachable_runs")
    if func is None:
        return [], False
    return func(user, **filters), True


def forecast_from_today(user: Any, run_id: int, state: Any, today: Any) -> dict[str, Any] | None:
    """The run's fan from today's reported beds, or None without the modelling app."""
    func = _function("beredskap.modelling.forecast", "forecast_from_today")
    return None if func is None else func(user, run_id, state, today)


def planning_for(user: Any, risk_area: str) -> tuple[dict[str, list[Any]], bool]:
    """Scenarios, plans and planning assumptions of the crisis's risk area, as the user may see
    them."""
    try:
        models = importlib.import_module("beredskap.planning.models")
    except ImportError:
        return {}, False
    found: dict[str, list[Any]] = {}
    for name in ("Scenario", "Plan", "PlanningAssumption"):
        model = getattr(models, name, None)
        if model is None or not hasattr(model.objects, "visible_to"):
            continue
        qs = model.objects.visible_to(user)
        if any(f.name == "risk_area" for f in model._meta.get_fields()):
            qs = qs.filter(risk_area=risk_area)
        found[name] = list(qs[:20])
    return found, bool(found)


def surveillance_signals(user: Any, crisis: Any) -> tuple[list[Any], bool]:
    """Confirmed surveillance signals linked to the crisis, as the user may see them."""
    func = _function("beredskap.surveillance.queries", "confirmed_for_crisis")
    if func is None:
        return [], False
    return func(user, crisis), True
