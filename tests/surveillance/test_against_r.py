"""Our detection reproduces R's ``surveillance`` 1.20.3 (thresholds and expected values to 1e-6
relative, no alarm mismatches, the same NA pattern) on the package's own datasets and on
synthetic edge cases (SURVEILLANCE.md section 2.8)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from .rcompare import compare, export_dataset, need_r, run_both

pytestmark = pytest.mark.r

NOUFAILY_R = ["noPeriods=10", "pastWeeksNotIncluded=26", "pThresholdTrend=1"]
NOUFAILY_CLI = ["--no-periods", "10", "--past-weeks-not-included", "26", "--p-threshold-trend", "1"]
ORIG_R = ["weightsThreshold=1", "thresholdMethod=delta"]
ORIG_CLI = ["--weights-threshold", "1", "--threshold-method", "delta"]

FF = {
    "nbplugin": (
        [*NOUFAILY_R, "thresholdMethod=nbPlugin"],
        ["--method", "farrington-flexible", *NOUFAILY_CLI, "--threshold-method", "nbplugin"],
    ),
    "muan": (
        [*NOUFAILY_R, "thresholdMethod=muan"],
        ["--method", "farrington-flexible", *NOUFAILY_CLI, "--threshold-method", "muan"],
    ),
    "delta": (
        [*NOUFAILY_R, "thresholdMethod=delta"],
        ["--method", "farrington-flexible", *NOUFAILY_CLI, "--threshold-method", "delta"],
    ),
    "orig": (ORIG_R, ["--method", "farrington-flexible", *ORIG_CLI]),
}


def write_long(path, series: dict[str, np.ndarray], dates=None, population=None):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["series", "t", "date", "observed", *(["population"] if population else [])])
        for name, y in series.items():
            for t, v in enumerate(y, start=1):
                d = "" if dates is None else dates[t - 1]
                obs = "" if np.isnan(v) else int(v)
                w.writerow([name, t, d, obs, *([population[name][t - 1]] if population else [])])
    return path


def synthetic_edge() -> dict[str, np.ndarray]:
    """All-zero, constant, burst after zeros, huge counts, strong growth, sparse NB."""
    rng = np.random.default_rng(7)
    n = 320
    week = np.arange(n)
    burst = np.zeros(n)
    burst[310:313] = [2, 3, 6]
    season = 1 + 0.5 * np.sin(2 * np.pi * week / 52)
    return {
        "all_zero": np.zeros(n),
        "constant4": np.full(n, 4.0),
        "zeros_then_burst": burst,
        "huge": rng.poisson(1e6 * season).astype(float),
        "growth": rng.poisson(2 * np.exp(week / 80)).astype(float),
        "nb_sparse": rng.negative_binomial(0.3, 0.6, n).astype(float),
        "seasonal": rng.poisson(20 * season).astype(float),
    }


@pytest.fixture(scope="module")
def edge_csv(tmp_path_factory):
    need_r()
    return write_long(tmp_path_factory.mktemp("edge") / "edge.csv", synthetic_edge())


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    need_r()
    d = tmp_path_factory.mktemp("datasets")
    names = ("salmonella.agona", "hepatitisA", "influMen", "ha.sts", "salmNewport", "momo")
    return {n: export_dataset(n, d / f"{n}.csv") for n in names}


@pytest.fixture(scope="module")
def agona_missing(tmp_path_factory, datasets):
    """Agona with missing weeks in the baseline and in the monitored range."""
    src = datasets["salmonella.agona"].read_text().splitlines()
    out = [src[0]]
    for line in src[1:]:
        parts = line.split(",")
        if int(parts[1]) in (40, 41, 100, 150, 260, 290, 300):
            parts[3] = ""
        out.append(",".join(parts))
    path = tmp_path_factory.mktemp("missing") / "agona_missing.csv"
    path.write_text("\n".join(out) + "\n")
    return path


@pytest.mark.parametrize("variant", list(FF))
def test_farrington_flexible_matches_r_on_edge_cases(edge_csv, tmp_path, variant):
    r_ctl, cli = FF[variant]
    r, py = run_both(edge_csv, tmp_path, "ff", r_ctl, cli, 270, 320)
    stats = compare(r, py)
    assert stats["rows"] == 7 * 51


def test_all_zero_baseline_is_na_with_noufaily_and_alarms_with_the_original(edge_csv, tmp_path):
    r, py = run_both(edge_csv, tmp_path, "ff", *FF["nbplugin"], 300, 320)
    compare(r, py)
    assert all(py[("all_zero", t)]["alarm"] == "" for t in range(300, 321))
    r, py = run_both(edge_csv, tmp_path, "ff", *FF["orig"], 300, 320)
    compare(r, py)
    assert {py[("zeros_then_burst", t)]["alarm"] for t in (312, 313)} == {"1"}


@pytest.mark.parametrize("variant", ["nbplugin", "muan", "delta", "orig"])
@pytest.mark.parametrize("name", ["salmonella.agona", "influMen", "ha.sts"])
def test_farrington_flexible_matches_r_on_package_datasets(datasets, tmp_path, name, variant):
    r_ctl, cli = FF[variant]
    r, py = run_both(datasets[name], tmp_path, "ff", r_ctl, cli, 270, 290)
    assert compare(r, py)["rows"] > 0


def test_dated_series_follow_r_reference_weeks(datasets, tmp_path):
    r, py = run_both(datasets["salmNewport"], tmp_path, "ff", *FF["nbplugin"], 480, 500)
    assert compare(r, py)["rows"] == 16 * 21


def test_population_offset_matches_r(datasets, tmp_path):
    r_ctl = [*FF["delta"][0], "populationOffset=TRUE"]
    cli = [*FF["delta"][1], "--population-offset"]
    r, py = run_both(datasets["momo"], tmp_path, "ff", r_ctl, cli, 700, 715)
    assert compare(r, py)["rows"] == 8 * 16


def test_short_history_with_three_years(datasets, tmp_path):
    r, py = run_both(
        datasets["hepatitisA"],
        tmp_path,
        "ff",
        ["b=3"],
        ["--method", "farrington-flexible", "--b", "3"],
        160,
        208,
    )
    assert compare(r, py)["rows"] == 49


def test_missing_weeks_are_dropped_like_r(agona_missing, tmp_path):
    r, py = run_both(agona_missing, tmp_path, "ff", *FF["nbplugin"], 280, 312)
    compare(r, py)
    assert py[("salmonella.agona_1", 290)]["upperbound"] == ""
    assert py[("salmonella.agona_1", 290)]["alarm"] == "0"


@pytest.mark.parametrize("name", ["salmonella.agona", "influMen", "hepatitisA"])
def test_original_farrington_matches_r(datasets, tmp_path, name):
    cli = ["--method", "farrington"]
    r, py = run_both(datasets[name], tmp_path, "farrington", ["b=3"], [*cli, "--b", "3"], 180, 208)
    assert compare(r, py, fields=("upperbound",))["rows"] > 0


def test_original_farrington_on_edge_cases_and_missing(edge_csv, agona_missing, tmp_path):
    r, py = run_both(edge_csv, tmp_path, "farrington", [], ["--method", "farrington"], 280, 320)
    compare(r, py, fields=("upperbound",))
    r, py = run_both(
        agona_missing, tmp_path, "farrington", [], ["--method", "farrington"], 280, 312
    )
    compare(r, py, fields=("upperbound",))
    assert all(py[("salmonella.agona_1", t)]["upperbound"] == "" for t in range(280, 313))


@pytest.mark.parametrize(
    ("method", "extra_r", "extra_cli"),
    [
        ("C1", [], []),
        ("C2", [], []),
        ("C3", [], []),
        ("C1", ["minSigma=1"], ["--min-sigma", "1"]),
        ("C3", ["minSigma=1", "alpha=0.01"], ["--min-sigma", "1", "--alpha", "0.01"]),
    ],
)
def test_ears_matches_r(edge_csv, datasets, tmp_path, method, extra_r, extra_cli):
    cli = ["--method", f"ears-{method.lower()}", *extra_cli]
    for src in (edge_csv, datasets["ha.sts"], datasets["influMen"]):
        r, py = run_both(src, tmp_path, "earsC", [f"method={method}", *extra_r], cli, 13, 280)
        stats = compare(r, py, fields=("upperbound",))
        assert stats["rows"] > 0  # R and we both produced results to compare
