"""«OBS varsel»: the weekly e-mail of series that reached the subscriber's level.

Sykdomspulsen's users (medical officers, county doctors) were e-mailed each week the
municipalities whose consultations were above the expected level, with the last four weeks'
counts, the excess over the threshold and the z-score, linked to the details. Each run records
per subscription what happened — sent to an address, failed with the mail server's answer, or
nothing to report — once per week, so a rerun never sends twice. The content is read with the
subscriber's own need-to-know; nothing she could not open in the platform is mailed to her.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from beredskap.core.channels import EmailChannel, OutgoingMessage
from beredskap.surveillance import queries, services
from beredskap.surveillance.models import (
    AlertDispatch,
    AlertSubscription,
    AlertThreshold,
    AreaLevel,
    DetectionResult,
    Indicator,
    Level,
)

WEEKS_SHOWN = 4


@dataclass(frozen=True)
class AlertRow:
    series_id: int
    area: str
    level: str
    counts: list[tuple[dt.date, int | None]]
    expected: float | None
    excess: int
    score: float | None


def _levels(threshold: str) -> tuple[str, ...]:
    return (Level.HIGH,) if threshold == AlertThreshold.HIGH else (Level.MEDIUM, Level.HIGH)


def rows_for(subscription: AlertSubscription, period: dt.date) -> list[AlertRow]:
    """The subscriber's series at her level in ``period``, with their last four weeks."""
    visible = queries.results(subscription.user).filter(
        series__indicator=subscription.indicator,
        series__area_level=AreaLevel.MUNICIPALITY,
        series__area_code__in=subscription.area_codes,
        series__age_group="",
    )
    hits = visible.filter(period=period, status="ok", level__in=_levels(subscription.threshold))
    rows = []
    for hit in hits.select_related("series").order_by("-score", "series__area_name"):
        recent = visible.filter(
            series=hit.series_id,
            period__gt=period - dt.timedelta(weeks=WEEKS_SHOWN),
            period__lte=period,
        ).order_by("period")
        rows.append(
            AlertRow(
                series_id=hit.series_id,
                area=hit.series.area_name,
                level=hit.level,
                counts=[(r.period, r.observed) for r in recent],
                expected=hit.expected,
                excess=_excess(hit),
                score=hit.score,
            )
        )
    return rows


def _excess(result: DetectionResult) -> int:
    if result.observed is None or result.upperbound is None:
        return 0
    return math.ceil(max(0.0, result.observed - result.upperbound))


def compose(
    subscription: AlertSubscription, period: dt.date, rows: list[AlertRow]
) -> OutgoingMessage:
    week = f"{period:%G}-U{period:%V}"
    lines = [
        _("OBS varsel for %(indicator)s, uke %(week)s.")
        % {"indicator": subscription.indicator.name, "week": week},
        "",
    ]
    for row in rows:
        counts = ", ".join(f"{p:%G}-U{p:%V}: {'–' if n is None else n}" for p, n in row.counts)
        lines += [
            f"{row.area} – {Level(row.level).label}",
            "  " + _("Antall siste fire uker: %(counts)s") % {"counts": counts},
            "  "
            + _("Forventet %(e)s, over terskel %(x)s, z-skår %(z)s")
            % {
                "e": "–" if row.expected is None else f"{row.expected:.1f}".replace(".", ","),
                "x": row.excess,
                "z": "–" if row.score is None else f"{row.score:.1f}".replace(".", ","),
            },
            f"  {settings.BEREDSKAP_BASE_URL}/overvaking/serier/{row.series_id}/",
            "",
        ]
    lines.append(
        _("Endre eller avslutt varselet: %(url)s")
        % {"url": f"{settings.BEREDSKAP_BASE_URL}/overvaking/varsler/"}
    )
    subject = _("OBS varsel: %(n)s kommuner over forventet nivå, uke %(week)s") % {
        "n": len(rows),
        "week": week,
    }
    address = subscription.user.email or getattr(
        getattr(subscription.user, "person", None), "email", ""
    )
    return OutgoingMessage(
        subject=subject, body="\n".join(lines), addresses=(address,) if address else ()
    )


def latest_period(indicator: Indicator) -> dt.date | None:
    return (
        DetectionResult.objects.filter(series__indicator=indicator)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def dispatch(subscription: AlertSubscription, period: dt.date) -> AlertDispatch | None:
    """Send (or record why not) one subscription's varsel for ``period``; None if done before."""
    if AlertDispatch.objects.filter(subscription=subscription, period=period).exists():
        return None
    rows = rows_for(subscription, period)
    message = compose(subscription, period, rows)
    outcome, error, address = AlertDispatch.Outcome.NOTHING, "", ""
    if rows and not message.addresses:
        outcome = AlertDispatch.Outcome.NO_ADDRESS
    elif rows:
        result = EmailChannel().send(message)[0]
        address, error = result.address, result.error
        outcome = AlertDispatch.Outcome.SENT if result.ok else AlertDispatch.Outcome.FAILED
    return services.record_alert_dispatch(
        subscription=subscription,
        period=period,
        outcome=outcome,
        address=address,
        series_count=len(rows),
        error=error,
    )


def send_weekly() -> dict[str, int]:
    """Every active subscription for its indicator's latest assessed week; counts by outcome."""
    counts: dict[str, int] = {}
    for subscription in AlertSubscription.objects.filter(
        active=True, user__is_active=True
    ).select_related("user", "indicator"):
        period = latest_period(subscription.indicator)
        if period is None:
            continue
        done = dispatch(subscription, period)
        if done is not None:
            counts[done.outcome] = counts.get(done.outcome, 0) + 1
    return counts
