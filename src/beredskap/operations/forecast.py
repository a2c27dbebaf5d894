"""The ICU picture against the modelling forecast (operations provides
`forecast_lines(crisis)`; white paper 2.2.1: modelling groups support the crisis staff)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from beredskap.operations.integrations import latest_forecast


def forecast_lines(crisis: Any, health_region: str | None = None) -> dict[str, Any] | None:
    """The latest ICU forecast for the crisis's risk area (p05/p50/p95), with its peak and the band
    for today when today lies in the forecast horizon; None when there is no forecast or the
    modelling app is not installed."""
    forecast, available = latest_forecast(risk_area=crisis.risk_area, health_region=health_region)
    if not available or not forecast:
        return None
    days = list(forecast.get("days", []))
    p05, p50, p95 = (list(forecast.get(k, [])) for k in ("icu_p05", "icu_p50", "icu_p95"))
    peak = max(range(len(p50)), key=p50.__getitem__) if p50 else None
    today = timezone.localdate().isoformat()
    at = days.index(today) if today in days and days.index(today) < len(p50) else None
    return {
        "run_id": forecast.get("run_id"),
        "days": days,
        "p05": p05,
        "p50": p50,
        "p95": p95,
        "capacity": forecast.get("capacity"),
        "peak_p50": p50[peak] if peak is not None else 0,
        "peak_p95": p95[peak] if peak is not None and p95 else None,
        "peak_day": days[peak] if peak is not None and peak < len(days) else None,
        "today": {"p05": p05[at], "p50": p50[at], "p95": p95[at]} if at is not None else None,
    }
