"""A forecast from today starts at the reported occupancy; its fan and the chance of exceeding
staffed capacity follow the ensemble members."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from hypothesis.extra import numpy as hnp

from beredskap.sim.errors import ParameterError
from beredskap.sim.forecast import aligned_start, anchored_paths, fan

occupancies = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=30),
    elements=hst.floats(0, 500),
)


@settings(max_examples=60, deadline=None)
@given(occupancies, hst.integers(0, 40), hst.floats(0, 300), hst.data())
def test_every_member_starts_at_the_occupancy_reported_today(occ, horizon, now, data):
    start = data.draw(hst.integers(0, occ.shape[1] - 1))
    paths = anchored_paths(occ, start, horizon, now)
    assert paths.shape == (occ.shape[0], min(horizon + 1, occ.shape[1] - start))
    assert np.allclose(paths[:, 0], now)
    assert (paths >= 0).all()
    f = fan(paths)
    assert np.allclose(f.quantiles[:, 0], now)
    assert (np.diff(f.quantiles, axis=0) >= -1e-9).all()  # p05 <= p25 <= … <= p95


def test_the_path_adds_the_model_change_to_the_reported_beds():
    occ = np.array([[10.0, 12.0, 20.0, 15.0], [10.0, 10.0, 10.0, 10.0]])
    paths = anchored_paths(occ, 1, 2, 104)
    assert paths.tolist() == [[104, 112, 107], [104, 104, 104]]


def test_a_decline_below_zero_is_cut_at_zero():
    paths = anchored_paths(np.array([[50.0, 0.0]]), 0, 1, 10)
    assert paths.tolist() == [[10.0, 0.0]]


@settings(max_examples=60, deadline=None)
@given(occupancies, hst.floats(0, 600), hst.floats(0, 100))
def test_more_capacity_never_raises_the_chance_of_exceeding_it(paths, capacity, more):
    low, high = fan(paths, capacity), fan(paths, capacity + more)
    assert 0.0 <= high.probability <= low.probability <= 1.0
    assert (high.daily_probability <= low.daily_probability).all()


def test_probability_and_dates_are_counted_over_members():
    paths = np.array(
        [
            [104, 120, 140, 150],  # over 132 from day 2
            [104, 110, 133, 120],  # over on day 2 only
            [104, 105, 106, 107],  # never over
            [104, 140, 150, 160],  # over from day 1
        ],
        dtype=float,
    )
    f = fan(paths, 132)
    assert f.probability == 0.75
    assert f.first_day_median == 2.0  # median of 2, 2, 1
    assert f.first_likely_day == 2  # 3 of 4 members over on day 2; 1 of 4 on day 1
    assert f.daily_probability.tolist() == [0.0, 0.25, 0.75, 0.5]
    assert f.series()["p50"][0] == 104


def test_no_member_over_capacity_has_no_date():
    f = fan(np.full((5, 10), 50.0), 132)
    assert f.probability == 0.0 and f.first_day_median is None and f.first_likely_day is None
    assert fan(np.full((5, 3), 50.0)).probability is None  # no capacity: no comparison


def test_already_over_capacity_today_is_certain():
    f = fan(anchored_paths(np.zeros((3, 5)), 0, 4, 140), 132)
    assert f.probability == 1.0 and f.first_day_median == 0.0 and f.first_likely_day == 0


def test_today_follows_the_observed_level_on_the_rising_side():
    level = np.array([1, 2, 4, 8, 16, 32, 16, 8, 4, 2], dtype=float)
    assert aligned_start(level, observed=8.5) == (3, "observed")
    assert aligned_start(level, observed=1000) == (5, "observed")  # above the peak: the peak
    assert aligned_start(level, observed=0) == (0, "observed")


def test_without_observations_today_is_the_calendar_day_or_the_run_start():
    level = np.ones(10)
    assert aligned_start(level, calendar_day=4) == (4, "calendar")
    assert aligned_start(level, calendar_day=12) == (0, "run_start")
    assert aligned_start(level, calendar_day=-3) == (0, "run_start")
    assert aligned_start(level) == (0, "run_start")


@pytest.mark.parametrize(
    "call",
    [
        lambda: anchored_paths(np.zeros((2, 5)), 5, 3, 10),
        lambda: anchored_paths(np.zeros((2, 5)), 0, 3, -1),
        lambda: anchored_paths(np.zeros(5), 0, 3, 1),
        lambda: fan(np.zeros((2, 5)), -1),
        lambda: aligned_start(np.zeros(0)),
        lambda: aligned_start(np.ones(3), observed=float("nan")),
    ],
)
def test_bad_input_is_refused(call):
    with pytest.raises(ParameterError):
        call()
