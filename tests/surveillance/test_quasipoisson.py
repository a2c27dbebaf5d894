"""FHI's Sykdomspulsen quasi-Poisson method (no R needed): levels from its own two thresholds,
never «normal» for a week it could not assess, and an indicator that uses it end to end."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskap.surveillance.detection import (
    STATUS_OK,
    STATUS_TOO_LITTLE,
    QPParams,
    sykdomspulsen,
)

from .conftest import seasonal_counts

START = dt.date(2019, 12, 30)  # Monday of ISO week 1, 2020


def dates(n: int) -> list[dt.date]:
    return [START + dt.timedelta(days=7 * i) for i in range(n)]


def history(n: int = 4 * 52 + 10, seed: int = 2) -> np.ndarray:
    return seasonal_counts(n, seed=seed, mean=30.0).astype(float)[None, :]


def test_a_year_with_too_few_years_before_it_is_too_little_data_never_normal():
    y = history(2 * 52 + 5)
    out = sykdomspulsen(y, dates(y.shape[1]))
    assert set(out.status.ravel().tolist()) == {STATUS_TOO_LITTLE}
    assert np.isnan(out.alarm).all() and np.isnan(out.expected).all()


def test_the_fourth_year_is_assessed_with_both_thresholds_in_order():
    y = history()
    out = sykdomspulsen(y, dates(y.shape[1]), t_from=4 * 52)
    assert (out.status == STATUS_OK).all()
    assert (out.expected < out.medium).all() and (out.medium < out.upperbound).all()


def test_an_outbreak_week_is_high_and_a_single_case_never_is():
    y = history()
    y[0, -1] = 200
    out = sykdomspulsen(y, dates(y.shape[1]), t_from=y.shape[1])
    assert out.alarm[0, -1] == 1.0
    quiet = np.zeros_like(y)
    quiet[0, -1] = 1  # one case after years of none: more than one case is required
    out = sykdomspulsen(quiet, dates(y.shape[1]), t_from=y.shape[1])
    assert out.alarm[0, -1] != 1.0


def test_the_denominator_carries_the_expected_value():
    y = history()
    den = np.full_like(y, 1000.0)
    base = sykdomspulsen(y, dates(y.shape[1]), denominator=den, t_from=y.shape[1])
    den[0, -1] = 2000.0  # twice the consultations this week: twice the expected count
    doubled = sykdomspulsen(y, dates(y.shape[1]), denominator=den, t_from=y.shape[1])
    assert doubled.expected[0, -1] == pytest.approx(2 * base.expected[0, -1], rel=1e-9)


def test_series_are_assessed_independently_in_one_batch():
    a, b = history(seed=3), history(seed=4)
    together = sykdomspulsen(np.vstack([a, b]), dates(a.shape[1]), t_from=4 * 52)
    alone = sykdomspulsen(b, dates(a.shape[1]), t_from=4 * 52)
    np.testing.assert_allclose(together.upperbound[1], alone.upperbound[0], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 150), st.integers(1, 60))
def test_more_cases_in_a_week_never_lower_its_level(count, extra):
    y = history()
    params = QPParams()
    levels = []
    for value in (count, count + extra):
        y[0, -1] = value
        out = sykdomspulsen(y, dates(y.shape[1]), params=params, t_from=y.shape[1])
        observed = y[0, -1]
        levels.append(
            2 if out.alarm[0, -1] == 1 else int(observed > 1 and observed > out.medium[0, -1])
        )
    assert levels[1] >= levels[0]


@pytest.mark.django_db
def test_an_indicator_using_sykdomspulsen_gives_medium_and_high_from_its_own_thresholds(
    fhi_user, indicator, load_counts
):
    from beredskap.surveillance.models import DetectionResult, Method

    indicator.method, indicator.years_back = Method.SYKDOMSPULSEN, 5
    indicator.save()
    counts = [int(v) for v in history()[0]]
    counts[-1] = 300
    load_counts(fhi_user, indicator, {"1804": counts})
    result = DetectionResult.objects.filter(series__area_code="1804").order_by("-period")
    latest = result.first()
    assert latest.status == "ok" and latest.level == "high" and latest.alarm
    # the years before three full years of history are not stored as assessed weeks
    assert 52 <= result.count() < len(counts)
    assert set(result.values_list("status", flat=True)) == {"ok"}
