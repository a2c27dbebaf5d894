"""Builders for risk tests (through the services, so every record is valid)."""

from __future__ import annotations

from datetime import date
from typing import Any

from beredskap.risk import services
from tests.factories import author_for


def make_analysis(
    by: Any,
    owner: Any,
    *,
    title: str = "Helhetlig ROS",
    scope: str = "sector",
    classification: int = 0,
    **extra: Any,
) -> Any:
    values = {
        "title": title,
        "scope": scope,
        "period_start": date(2024, 1, 1),
        "period_end": date(2027, 12, 31),
        "classification": classification,
    }
    values.update(extra)
    return services.create_analysis(by=author_for(by, classification), owner_org=owner, **values)


def make_event(
    by: Any,
    analysis: Any,
    *,
    title: str = "Vannforurensning",
    probability: int = 3,
    life: int = 4,
    risk_area: str = "water",
    **extra: Any,
) -> Any:
    return services.add_event(
        by=by,
        analysis=analysis,
        title=title,
        probability=probability,
        risk_area=risk_area,
        consequences={"life_health": life, "material": 2},
        **extra,
    )


def approve(by: Any, analysis: Any, on: date = date(2024, 6, 1)) -> Any:
    analysis.refresh_from_db()
    return services.set_status(
        by=by,
        analysis=analysis,
        status="approved",
        approved_on=on,
        expected_version=analysis.version,
    )
