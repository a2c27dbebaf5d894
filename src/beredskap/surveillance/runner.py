"""A detection run over all series of an indicator: current values into one matrix, the
algorithm once over every series (vectorised), results stored, alarms opened as signals.

The run is a system job (no user): it reads every series of the indicator to compute, and
exposes nothing; what users see is read through ``queries`` (need-to-know).
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
from django.db import transaction
from django.utils import timezone

from beredskap.surveillance import services
from beredskap.surveillance.detection import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_TOO_LITTLE,
    FlexibleParams,
    QPParams,
    ears,
    farrington,
    farrington_flexible,
    sykdomspulsen,
)
from beredskap.surveillance.models import (
    DetectionResult,
    DetectionRun,
    Level,
    Method,
    Observation,
    ResultStatus,
    Series,
)

logger = logging.getLogger(__name__)

SIGNAL_WEEKS = 4
"""Alarms in the latest this many periods open or extend signals; older alarms found by a
back-fill are stored as results but do not open signals for weeks long past."""


def current_matrices(series: list[Series]) -> tuple[np.ndarray, np.ndarray, list[dt.date]]:
    """Counts and denominators (series x weeks) as known now, NaN where missing. One ordered
    scan: later rows overwrite earlier ones."""
    rows = (
        Observation.objects.filter(series__in=[s.pk for s in series])
        .order_by("known_from", "pk")
        .values_list("series_id", "period", "value", "denominator")
    )
    data: dict[tuple[int, dt.date], tuple[int, int | None]] = {}
    for sid, period, value, denominator in rows.iterator(chunk_size=5000):
        data[(sid, period)] = (value, denominator)
    if not data:
        return np.zeros((len(series), 0)), np.zeros((len(series), 0)), []
    first = min(p for _, p in data)
    last = max(p for _, p in data)
    weeks = [first + dt.timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
    col = {w: i for i, w in enumerate(weeks)}
    row = {s.pk: i for i, s in enumerate(series)}
    y = np.full((len(series), len(weeks)), np.nan)
    den = np.full((len(series), len(weeks)), np.nan)
    for (sid, period), (value, denominator) in data.items():
        y[row[sid], col[period]] = value
        if denominator is not None:
            den[row[sid], col[period]] = denominator
    return y, den, weeks


def detect(
    method: str,
    y: np.ndarray,
    weeks: list[dt.date],
    *,
    b: int,
    dispersion: str,
    denominator: np.ndarray | None = None,
):
    """Run the indicator's method over the matrix (from the first computable week)."""
    if method == Method.SYKDOMSPULSEN:
        has_denominator = denominator is not None and not np.isnan(denominator).all()
        return sykdomspulsen(
            y,
            weeks,
            denominator=denominator if has_denominator else None,
            params=QPParams(train_years=b),
            t_from=1,
        )
    if method == Method.FARRINGTON_FLEXIBLE:
        prm = FlexibleParams.noufaily(b=b, dispersion=dispersion)
        return farrington_flexible(y, prm, dates=weeks, t_from=1)
    if method == Method.FARRINGTON:
        return farrington(y, b=b, dates=weeks, t_from=1)
    return ears(y, method=method[-2:].upper(), t_from=1)


def level_of(observed, expected, upper, alarm, medium=np.nan) -> str:
    """High = above the method's threshold. Medium = above the method's own lower threshold
    where it has one (Sykdomspulsen: z = 2, more than one case); for the Farrington and EARS
    methods, which have none, Beredskap's own rule: more than half-way from the expected value
    to the threshold, and more than one case."""
    if alarm == 1.0:
        return Level.HIGH
    if np.isnan(upper) or np.isnan(expected) or np.isnan(observed):
        return Level.NORMAL
    lower = medium if not np.isnan(medium) else expected + (upper - expected) / 2
    if observed > 1 and observed > lower:
        return Level.MEDIUM
    return Level.NORMAL


def _results(series, weeks, res, y, run) -> list[DetectionResult]:
    status_map = {STATUS_OK: ResultStatus.OK, STATUS_FAILED: ResultStatus.FAILED}
    out = []
    for i, s in enumerate(series):
        assessed = np.nonzero(res.status[i] != STATUS_TOO_LITTLE)[0]
        start = int(assessed[0]) if assessed.size else 0  # the history before the first
        for j, t in enumerate(res.t[start:], start=start):  # assessable week is not stored
            obs = y[i, t - 1]
            st = status_map.get(int(res.status[i, j]), ResultStatus.TOO_LITTLE)
            ex, ub, al, sc = (
                res.expected[i, j],
                res.upperbound[i, j],
                res.alarm[i, j],
                res.score[i, j],
            )
            md = np.nan if res.medium is None else res.medium[i, j]
            out.append(
                DetectionResult(
                    series=s,
                    period=weeks[t - 1],
                    observed=None if np.isnan(obs) else int(obs),
                    expected=None if np.isnan(ex) or st != ResultStatus.OK else float(ex),
                    upperbound=None if np.isnan(ub) else float(ub),
                    alarm=None if np.isnan(al) else bool(al),
                    score=None if np.isnan(sc) or not np.isfinite(sc) else float(sc),
                    level=level_of(obs, ex, ub, al, md) if st == ResultStatus.OK else Level.UNKNOWN,
                    status=st,
                    run=run,
                )
            )
    return out


def execute(run_id: int) -> str:
    """Run a queued detection to the end; returns the final status."""
    if not DetectionRun.objects.filter(pk=run_id, status=DetectionRun.Status.QUEUED).update(
        status=DetectionRun.Status.RUNNING
    ):
        return "skipped"
    run = DetectionRun.objects.select_related("indicator").get(pk=run_id)
    try:
        alarms = _execute(run)
    except Exception as exc:
        logger.exception("detection run %s failed", run_id)
        DetectionRun.objects.filter(pk=run_id).update(
            status=DetectionRun.Status.FAILED, finished_at=timezone.now(), message=str(exc)[:500]
        )
        return DetectionRun.Status.FAILED
    DetectionRun.objects.filter(pk=run_id).update(
        status=DetectionRun.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        alarm_count=alarms,
    )
    return DetectionRun.Status.DONE


def _execute(run: DetectionRun) -> int:
    indicator = run.indicator
    series = list(Series.objects.filter(indicator=indicator).order_by("pk"))
    y, den, weeks = current_matrices(series)
    DetectionRun.objects.filter(pk=run.pk).update(progress=20, series_count=len(series))
    if not weeks:
        return 0
    res = detect(
        run.method,
        y,
        weeks,
        b=indicator.years_back,
        dispersion=run.dispersion,
        denominator=den,
    )
    DetectionRun.objects.filter(pk=run.pk).update(progress=60)
    rows = _results(series, weeks, res, y, run)
    recent = set(weeks[-SIGNAL_WEEKS:])
    alarms = 0
    with transaction.atomic():
        DetectionResult.objects.filter(series__in=series).delete()
        DetectionResult.objects.bulk_create(rows, batch_size=2000)
        for r in rows:
            if r.alarm and r.period in recent:
                alarms += 1
                services.open_or_extend_signal(
                    series=r.series,
                    period=r.period,
                    observed=r.observed or 0,
                    expected=r.expected,
                    level=r.level,
                )
    return alarms
