"""Demand convolution conserves patients; bottleneck report; HiGHS transfers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from beredskap.sim import demand
from beredskap.sim.errors import ParameterError


@settings(max_examples=30, deadline=None)
@given(
    hst.lists(hst.floats(0, 1e4), min_size=5, max_size=40),
    hst.lists(hst.floats(0.01, 1), min_size=1, max_size=8),
    hst.floats(0, 1),
)
def test_convolution_conserves_patients(series, delay, ihr):
    delay = np.array(delay) / np.sum(delay)
    pad = len(delay) + 60
    inf = np.concatenate([series, np.zeros(pad)])[None, :, None]
    adm = demand.admissions(inf, ihr, delay)
    assert adm.sum() == pytest.approx(ihr * inf.sum(), rel=1e-9, abs=1e-6)
    los = demand.discretised_gamma(5.0, 2.0, 30)
    occ = demand.occupancy(adm, los)
    mean_los = (np.arange(los.size) + 1) @ los  # a patient admitted on day t is in bed on t
    assert occ.sum() == pytest.approx(adm.sum() * mean_los, rel=1e-9, abs=1e-6)


def test_delay_shifts_admissions():
    inf = np.zeros((1, 10, 1))
    inf[0, 2, 0] = 100
    adm = demand.admissions(inf, 0.1, [0, 0, 1.0])
    assert adm[0, 4, 0] == pytest.approx(10) and adm.sum() == pytest.approx(10)


def test_aggregate_and_quantiles():
    x = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    agg = demand.aggregate(x, np.array([0, 1, 1, 0]), 2)
    np.testing.assert_allclose(agg[..., 0], x[..., 0] + x[..., 3])
    assert demand.quantiles(agg).shape == (5, 3, 2)
    with pytest.raises(ParameterError):
        demand.aggregate(x, np.array([0, 1]))


def test_bottleneck_report_finds_where_and_when():
    occ = np.zeros((4, 20, 2))
    occ[:2, 5:9, 1] = 15.0  # half the members exceed capacity 10 in group B on days 5-8
    report = demand.bottleneck_report(occ, [10, 10], ["A", "B"])
    top = report[0]
    assert top.group == "B" and top.probability == 0.5 and top.first_day_median == 5
    assert top.patient_days_over_mean == pytest.approx(2 * 4 * 5 / 4)
    assert report[1].probability == 0.0 and report[1].first_day_median is None


def test_transfer_plan_respects_travel_limit():
    travel = np.array([[0, 50, 400], [50, 0, 60], [400, 60, 0]])
    plan = demand.transfer_plan([30, 5, 0], [10, 10, 40], travel, max_travel=100)
    moved = {(i, j): v for i, j, v in plan["moves"]}
    assert moved == {(0, 1): pytest.approx(5.0)}
    assert plan["unplaced"][0] == pytest.approx(15.0)
    wide = demand.transfer_plan([30, 5, 0], [10, 10, 40], travel, max_travel=500)
    assert wide["unplaced"].sum() == pytest.approx(0.0)


def test_hospital_demand_ward_and_icu():
    inf = np.full((2, 100, 3), 1000.0)
    hd = demand.hospital_demand(inf)
    assert hd.icu_admissions.sum() < hd.admissions.sum() < inf.sum()
    assert np.all(hd.icu_occupancy >= 0)
