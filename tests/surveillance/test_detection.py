"""Properties of the Django-free detection module (no R needed)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from beredskap.surveillance.detection import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_TOO_LITTLE,
    FlexibleParams,
    ears,
    farrington,
    farrington_flexible,
)
from beredskap.surveillance.detection.quantiles import EPS, qnbinom_mean, qpois

DETECTION = Path(__file__).parents[2] / "src/beredskap/surveillance/detection"


def test_the_detection_module_imports_no_django():
    for path in DETECTION.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.startswith("django") or n.startswith("beredskap")], path


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-3, 5e3))
def test_qpois_is_the_smallest_count_reaching_the_fuzzed_level(lam):
    q = qpois(0.95, np.array([lam]))[0]
    target = 0.95 * (1 + 2 * EPS)
    assert special.pdtr(q, lam) >= target
    assert q == 0 or special.pdtr(q - 1, lam) < target


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-3, 5e3), st.floats(1.01, 50))
def test_qnbinom_is_the_smallest_count_reaching_the_fuzzed_level(mean, phi):
    q = qnbinom_mean(0.95, np.array([mean]), np.array([phi]))[0]
    size, prob = mean / (phi - 1), 1 / phi
    target = 0.95 * (1 + 2 * EPS)
    assert stats.nbinom.cdf(q, size, prob) >= target - 1e-12
    assert q == 0 or stats.nbinom.cdf(q - 1, size, prob) < target + 1e-12


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=20, max_size=40), st.sampled_from(["C1", "C2"]))
def test_ears_bound_is_mean_plus_z_sd_and_alarm_is_strictly_above(values, method):
    y = np.array([values], dtype=float)
    res = ears(y, method=method)
    lag = 1 if method == "C1" else 3
    for j, t in enumerate(res.t):
        ref = y[0, t - lag - 7 : t - lag]
        expected = ref.mean() + special.ndtri(0.999) * ref.std(ddof=1)
        assert np.isclose(res.upperbound[0, j], expected)
        assert res.alarm[0, j] == float(y[0, t - 1] > res.upperbound[0, j])


def test_ears_with_a_missing_reference_day_is_na_not_zero():
    y = np.arange(30, dtype=float)[None, :]
    y[0, 10] = np.nan  # period t = 11
    res = ears(y, method="C1")
    at = {int(t): j for j, t in enumerate(res.t)}
    assert all(np.isnan(res.alarm[0, at[t]]) for t in range(11, 19))
    assert not np.isnan(res.alarm[0, at[19]]) and not np.isnan(res.alarm[0, at[10]])


def _seasonal(n_series: int, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    season = 10 * (1 + 0.4 * np.sin(2 * np.pi * np.arange(n) / 52))
    return rng.poisson(season, size=(n_series, n)).astype(float)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000))
def test_each_series_gets_the_same_result_alone_as_in_the_batch(seed):
    y = _seasonal(3, 300, seed)
    prm = FlexibleParams.noufaily()
    together = farrington_flexible(y, prm, t_from=280)
    for i in range(3):
        alone = farrington_flexible(y[i : i + 1], prm, t_from=280)
        np.testing.assert_allclose(alone.upperbound[0], together.upperbound[i], rtol=1e-9)
        np.testing.assert_array_equal(alone.alarm[0], together.alarm[i])


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["nbPlugin", "muan", "delta"]))
def test_an_alarm_means_above_the_threshold_with_enough_cases(seed, method):
    y = _seasonal(2, 300, seed)
    y[:, -3:] *= 3
    res = farrington_flexible(y, FlexibleParams.noufaily(threshold_method=method), t_from=270)
    obs = y[:, res.t - 1]
    ok = res.status == STATUS_OK
    has_bound = ok & ~np.isnan(res.upperbound)
    assert np.all((res.alarm == 1) == (has_bound & (obs > res.upperbound)))
    assert np.all(res.alarm[ok & np.isnan(res.upperbound)] == 0)


def test_weeks_without_history_are_too_little_data_not_normal():
    res = farrington_flexible(_seasonal(1, 300, 1), FlexibleParams.noufaily(), t_from=200)
    early = res.t < 52 * 5 + 3 + 1
    assert np.all(res.status[0, early] == STATUS_TOO_LITTLE)
    assert np.all(np.isnan(res.alarm[0, early]))
    assert np.all(res.status[0, ~early] == STATUS_OK)


def test_an_all_zero_series_fails_with_noufaily_and_gets_a_tiny_bound_with_35_weeks():
    y = np.zeros((1, 320))
    y[0, 310:313] = [2, 3, 6]
    nouf = farrington_flexible(y, FlexibleParams.noufaily(), t_from=300)
    assert np.all(nouf.status == STATUS_FAILED) and np.all(nouf.expected == 0)
    orig = farrington_flexible(y, FlexibleParams(weights_threshold=1), t_from=300)
    assert np.nanmax(orig.upperbound) < 0.01
    assert orig.alarm[0, list(orig.t).index(312)] == 1


def test_corrected_dispersion_changes_muan_but_not_nbplugin():
    y = np.random.default_rng(5).negative_binomial(5, 0.1, size=(2, 300)).astype(float)
    kw = {"t_from": 280}
    nb_r = farrington_flexible(y, FlexibleParams.noufaily(), **kw)
    nb_c = farrington_flexible(y, FlexibleParams.noufaily(dispersion="corrected"), **kw)
    np.testing.assert_array_equal(nb_r.upperbound, nb_c.upperbound)
    mu_r = farrington_flexible(y, FlexibleParams.noufaily(threshold_method="muan"), **kw)
    mu_c = farrington_flexible(
        y, FlexibleParams.noufaily(threshold_method="muan", dispersion="corrected"), **kw
    )
    assert not np.allclose(mu_r.upperbound, mu_c.upperbound, equal_nan=True)


def test_original_farrington_fails_a_whole_series_with_a_missing_reference():
    y = _seasonal(2, 300, 2)
    y[1, 40] = np.nan
    res = farrington(y, t_from=260)
    assert np.all(res.status[1] == STATUS_FAILED) and np.all(np.isnan(res.upperbound[1]))
    assert np.all(res.status[0] == STATUS_OK)
