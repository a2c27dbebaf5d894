"""FHI's Sykdomspulsen quasi-Poisson method matches the same steps written with R's own ``glm``
(expected value and both thresholds to 1e-6 relative, the same alarms and NA pattern)."""

from __future__ import annotations

import csv
import datetime as dt
import math

import numpy as np
import pytest

from beredskap.surveillance.detection import QPParams, sykdomspulsen

from .rcompare import HERE, REL_TOL, need_r, rscript

pytestmark = pytest.mark.r

START = dt.date(2017, 1, 2)  # a Monday in ISO week 1
WEEKS = 7 * 52 + 1


def _dates() -> list[dt.date]:
    return [START + dt.timedelta(days=7 * i) for i in range(WEEKS)]


def _series() -> tuple[np.ndarray, np.ndarray]:
    """Seasonal consultations with a denominator, an outbreak, a gap, small and huge counts."""
    rng = np.random.default_rng(11)
    week = np.array([d.isocalendar()[1] for d in _dates()])
    season = 1 + 0.6 * np.cos(2 * np.pi * (week - 1) / 52)
    den = rng.integers(800, 1200, size=(5, WEEKS)).astype(float)
    y = np.vstack(
        [
            rng.poisson(0.02 * den[0] * season),
            rng.poisson(0.02 * den[1] * season),
            rng.poisson(0.002 * den[2] * season),
            rng.poisson(500 * den[3] * season / 1000),
            rng.negative_binomial(2, 0.1, WEEKS),
        ]
    ).astype(float)
    y[1, -6:] += [10, 25, 40, 60, 60, 50]
    y[0, 300:304] = np.nan
    den[4, 100:110] = 0  # floored at 1
    return y, den


def _write(path, y, den) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["series", "t", "date", "observed", "denominator"])
        for i in range(y.shape[0]):
            for t, d in enumerate(_dates(), start=1):
                obs = "" if np.isnan(y[i, t - 1]) else int(y[i, t - 1])
                w.writerow([f"s{i}", t, d.isoformat(), obs, int(den[i, t - 1])])


def _num(text: str) -> float:
    return math.nan if text in ("", "NA") else float(text)


@pytest.mark.parametrize("params", [QPParams(), QPParams(train_years=3, min_train_years=2)])
def test_sykdomspulsen_matches_r_glm(tmp_path, params):
    need_r()
    y, den = _series()
    src, dst = tmp_path / "in.csv", tmp_path / "r.csv"
    _write(src, y, den)
    t0 = 3 * 52 + 1
    rscript(
        str(HERE / "qp.R"), str(src), str(dst), str(t0), str(WEEKS),
        str(params.train_years), str(params.min_train_years),
    )  # fmt: skip
    ours = sykdomspulsen(y, _dates(), denominator=den, params=params, t_from=t0)
    with open(dst, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == y.shape[0] * (WEEKS - t0 + 1)
    alarms = 0
    for r in rows:
        i, j = int(r["series"][1:]), int(r["t"]) - t0
        mine = {
            "expected": ours.expected[i, j],
            "upperbound": ours.upperbound[i, j],
            "medium": ours.medium[i, j],
        }
        for field, value in mine.items():
            theirs = _num(r[field])
            assert math.isnan(theirs) == math.isnan(value), (r, field, value)
            if not math.isnan(theirs):
                assert abs(theirs - value) <= REL_TOL * abs(theirs), (r, field, value)
        assert _num(r["alarm"]) == ours.alarm[i, j] or (
            r["alarm"] == "" and np.isnan(ours.alarm[i, j])
        ), (r, ours.alarm[i, j])
        alarms += r["alarm"] == "1"
    assert alarms >= 3  # the outbreak in s1 is seen by both
