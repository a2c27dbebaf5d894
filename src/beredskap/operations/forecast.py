"""The ICU picture against the modelling forecast (CONTRACTS.md: operations provides
`forecast_lines(crisis)`)."""

from __future__ import annotations

from typing import Any

from beredskap.operations.integrations import latest_forecast


def forecast_lines(crisis: Any, health_region: str | None = None) -> dict[str, Any] | None:
    """The latest ICU forecast for the crisis's risk area (p05/p50/p95), or None when none exists
    or the modelling app is not installed."""
    forecast, available = latest_forecast(risk_area=crisis.risk_area, health_region=health_region)
    if not available or not forecast:
        return None
    return {
        "run_id": forecast.get("run_id"),
        "days": list(forecast.get("days", [])),
        "p05": list(forecast.get("icu_p05", [])),
        "p50": list(forecast.get("icu_p50", [])),
        "p95": list(forecast.get("icu_p95", [])),
        "capacity": forecast.get("capacity"),
        "peak_p50": max(forecast.get("icu_p50", []) or [0]),
    }
