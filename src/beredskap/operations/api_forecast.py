"""Operations API, the crisis forecast: the simulation runs attached to a crisis (current and
earlier), attaching and detaching them, and the forecast from today per health region.
Registered on the operations router; reads follow the crisis's visibility and, for a run's
content, the run's; writes go through services.forecasts."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema, Status

from beredskap.core.idempotency import idempotent
from beredskap.operations import integrations, regions
from beredskap.operations.api import ERRORS, ErrorOut, _crisis, router
from beredskap.operations.forecast import crisis_forecasts
from beredskap.operations.services import forecasts


class ForecastIn(Schema):
    run_id: int = Field(ge=1, le=2**62)
    reason: str = Field(min_length=1, max_length=500)


class ForecastDetachIn(Schema):
    reason: str = Field(min_length=1, max_length=500)
    version: int = Field(ge=1, le=2**31)


class RegionQuery(Schema):
    region: str | None = Field(None, max_length=10, description="H12, H03, H04, H05 or alle")


def _out(request: HttpRequest, row) -> dict:
    run, _ok = integrations.forecast_run(request.auth, row.run_id)
    return {
        "id": row.pk,
        "run_id": row.run_id,
        "run_visible": run is not None,
        "run_title": run["title"] if run else None,
        "reason": row.reason if run else None,
        "attached_by": row.attached_by.username,
        "attached_at": row.attached_at,
        "current": row.is_current,
        "detached_by": row.detached_by.username if row.detached_by_id else None,
        "detached_at": row.detached_at,
        "detach_reason": row.detach_reason if run else None,
        "version": row.version,
    }


@router.get("/crises/{crisis_id}/forecasts", response={200: list[dict], 404: ErrorOut})
def list_forecasts(request: HttpRequest, crisis_id: int):
    crisis = _crisis(request, crisis_id)
    rows = crisis.forecasts.select_related("attached_by", "detached_by")
    return [_out(request, row) for row in rows]


@router.get("/crises/{crisis_id}/forecasts/from-today", response={200: list[dict], 404: ErrorOut})
def forecasts_from_today(request: HttpRequest, crisis_id: int, query: Query[RegionQuery]):
    """The attached runs' fans from today's reported beds (the picture's figures)."""
    crisis = _crisis(request, crisis_id)
    region = regions.chosen_region(request.auth, query.region)
    return crisis_forecasts(request.auth, crisis, region)


@router.post("/crises/{crisis_id}/forecasts", response={201: dict, **ERRORS})
@idempotent
def attach_forecast(request: HttpRequest, crisis_id: int, payload: ForecastIn):
    row = forecasts.attach_forecast(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        run_id=payload.run_id,
        reason=payload.reason,
    )
    return Status(201, _out(request, row))


@router.post("/crises/{crisis_id}/forecasts/{forecast_id}/detach", response={200: dict, **ERRORS})
@idempotent
def detach_forecast(
    request: HttpRequest, crisis_id: int, forecast_id: int, payload: ForecastDetachIn
):
    crisis = _crisis(request, crisis_id)
    row = get_object_or_404(crisis.forecasts.select_related("crisis"), pk=forecast_id)
    row = forecasts.detach_forecast(
        by=request.auth, forecast=row, reason=payload.reason, expected_version=payload.version
    )
    return Status(200, _out(request, row))
