"""Reads of the surveillance app, always through need-to-know (``visible_to``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from beredskap.surveillance.models import (
    AlertSubscription,
    DetectionResult,
    DetectionRun,
    Indicator,
    Observation,
    Series,
    Signal,
    SignalEvent,
    SignalStatus,
)


def indicators(user: Any) -> QuerySet[Indicator]:
    if not getattr(user, "is_authenticated", False):
        return Indicator.objects.none()
    return Indicator.objects.all()


def series(user: Any) -> QuerySet[Series]:
    return Series.objects.visible_to(user).select_related("indicator")


def signals(user: Any) -> QuerySet[Signal]:
    return Signal.objects.visible_to(user).select_related("series__indicator", "owner", "crisis")


def results(user: Any, of: Series | None = None) -> QuerySet[DetectionResult]:
    qs = DetectionResult.objects.filter(series__in=Series.objects.visible_to(user).values("pk"))
    return qs.filter(series=of) if of is not None else qs


def observations(user: Any, of: Series) -> QuerySet[Observation]:
    qs = Observation.objects.filter(series__in=Series.objects.visible_to(user).values("pk"))
    return qs.filter(series=of).order_by("period", "known_from")


def signal_events(user: Any, signal: Signal) -> QuerySet[SignalEvent]:
    visible = Signal.objects.visible_to(user).values("pk")
    return SignalEvent.objects.filter(signal__in=visible, signal=signal).select_related("by")


def latest_run(indicator: Indicator) -> DetectionRun | None:
    return indicator.runs.order_by("-requested_at", "-pk").first()


def confirmed_for_crisis(user: Any, crisis: Any) -> list[Signal]:
    """Confirmed signals linked to the crisis, as the user may see them (the situational
    picture)."""
    return list(
        signals(user)
        .filter(crisis=crisis, status=SignalStatus.CONFIRMED)
        .order_by("-last_period")[:20]
    )


def weekly_overview(user: Any, indicator: Indicator) -> dict[str, Any]:
    """The latest period's verdict per visible series: counts per level and «for lite data» /
    «modellen feilet» counted apart, never as normal."""
    rows = results(user).filter(series__indicator=indicator)
    last = rows.order_by("-period").values_list("period", flat=True).first()
    if last is None:
        return {"period": None, "rows": [], "counts": {}}
    week = list(
        rows.filter(period=last).select_related("series").order_by("-score", "series__area_code")
    )
    counts: dict[str, int] = {}
    for r in week:
        key = r.level if r.status == "ok" else r.status
        counts[key] = counts.get(key, 0) + 1
    return {"period": last, "rows": week, "counts": counts}


def alert_subscriptions(user: Any) -> QuerySet[AlertSubscription]:
    """The user's own active «OBS varsel» subscriptions, with their latest outcomes."""
    if not getattr(user, "is_authenticated", False):
        return AlertSubscription.objects.none()
    return (
        AlertSubscription.objects.filter(user_id=user.pk, active=True)
        .select_related("indicator")
        .prefetch_related("dispatches")
    )


def subscribable_areas(user: Any, indicator: Indicator) -> list[tuple[str, str]]:
    """(code, name) of the municipalities whose series of the indicator the user may see."""
    rows = (
        series(user)
        .filter(indicator=indicator, area_level="municipality", age_group="")
        .order_by("area_name")
        .values_list("area_code", "area_name")
    )
    return list(dict.fromkeys(rows))


def published_indicator(key: str) -> Indicator | None:
    """An indicator's definition (not its data) by key, for its public FHIR Measure."""
    return Indicator.objects.filter(key=key).first()
