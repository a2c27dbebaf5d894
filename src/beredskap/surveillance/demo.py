"""Demo data: two years of weekly synthetic GP consultations for influenza-like illness per
municipality (winter seasonality, Poisson noise, a fixed seed) with an outbreak planted in
Nordland in the last three weeks, and a detection run, so the demo shows signals.
Idempotent: the indicator and its data are created once."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction
from django.utils import timezone

from beredskap.core.models import Municipality, User
from beredskap.surveillance import runner, services
from beredskap.surveillance.models import AreaLevel, DetectionRun, Indicator, Observation
from beredskap.surveillance.periods import week_start

KEY = "ili-konsultasjoner"
WEEKS = 104
NORDLAND = "18"
OUTBREAK_WEEKS = 3


def synthetic_counts(populations: np.ndarray, weeks: list[dt.date], seed: int = 2024) -> np.ndarray:
    """(municipalities x weeks) Poisson counts, about 1.5 per 1,000 residents a week, with a
    winter peak (ISO week 6) twice as high as the summer trough."""
    rng = np.random.default_rng(seed)
    iso = np.array([w.isocalendar()[1] for w in weeks])
    season = 1.0 + 0.5 * np.cos(2 * np.pi * (iso - 6) / 52)
    mean = populations[:, None] / 1000.0 * 1.0 * season[None, :]
    return rng.poisson(mean).astype(float)


@transaction.atomic
def load_demo() -> str:
    if Indicator.objects.filter(key=KEY).exists():
        return "already loaded"
    by = (
        User.objects.filter(username="admin").first()
        or User.objects.filter(is_superuser=True).first()
    )
    indicator = services.create_indicator(
        by=by,
        key=KEY,
        name="Influensaliknende sykdom (ICPC-2 R80), legekonsultasjoner",
        description="Syntetiske demodata: konsultasjoner per kommune og uke.",
        denominator_label="Alle konsultasjoner",
        years_back=1,
    )
    municipalities = list(Municipality.objects.select_related("county").order_by("number"))
    last = week_start(timezone.localdate()) - dt.timedelta(days=7)
    weeks = [last - dt.timedelta(days=7 * (WEEKS - 1 - i)) for i in range(WEEKS)]
    pops = np.array([max(m.population or 0, 200) for m in municipalities], dtype=float)
    y = synthetic_counts(pops, weeks)
    nordland = np.array([m.county.number == NORDLAND for m in municipalities])
    y[nordland, -OUTBREAK_WEEKS:] = np.round(y[nordland, -OUTBREAK_WEEKS:] * 3 + 4)
    now = timezone.now()
    rows = []
    for i, m in enumerate(municipalities):
        series = services.ensure_series(
            by=by, indicator=indicator, level=AreaLevel.MUNICIPALITY, code=m.number
        )
        rows += [
            Observation(series=series, period=w, value=int(y[i, j]), known_from=now, source="demo")
            for j, w in enumerate(weeks)
        ]
    Observation.objects.bulk_create(rows, batch_size=5000)
    run = DetectionRun.objects.create(
        indicator=indicator, method=indicator.method, dispersion=indicator.dispersion
    )
    runner.execute(run.pk)
    run.refresh_from_db()
    return (
        f"{len(municipalities)} series x {WEEKS} weeks, {run.alarm_count} alarms in the last weeks"
    )
