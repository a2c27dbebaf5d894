"""latest_forecast (what operations reads), start-page panel, demo data, and the `beredskap
simulate` CLI."""

from __future__ import annotations

import pytest
from django.utils import timezone

from beredskap.modelling.models import RunStatus, SimulationRun
from beredskap.modelling.summary import latest_forecast
from tests.factories import verified_client


def test_latest_forecast_uses_the_newest_open_finished_run(make_run):
    assert latest_forecast() is None
    older = make_run(title="Eldre")
    newer = make_run(title="Nyere", parameters={"days": 30})
    make_run(title="Begrenset", classification=1)  # never used: the caller passes no user
    forecast = latest_forecast()
    assert forecast["run_id"] == newer.pk != older.pk
    assert len(forecast["days"]) == 30 and len(forecast["icu_p50"]) == 30
    assert all(
        lo <= mid <= hi
        for lo, mid, hi in zip(
            forecast["icu_p05"], forecast["icu_p50"], forecast["icu_p95"], strict=True
        )
    )
    north = latest_forecast(health_region="H05")
    assert north["capacity"] < forecast["capacity"] and max(north["icu_p95"]) <= max(
        forecast["icu_p95"]
    )
    assert latest_forecast(health_region="H99") is None
    assert latest_forecast(risk_area="water") is None


def test_latest_forecast_skips_unfinished_runs(make_run):
    run = make_run()
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED)
    assert latest_forecast() is None


def test_start_panel_lists_my_runs_not_others(make_run, analyst, outsider, org):
    make_run(title="Min kjøring")
    mine = verified_client(analyst).get("/").content.decode()
    assert "Mine simuleringer" in mine and "Min kjøring" in mine
    theirs = verified_client(outsider).get("/").content.decode()
    assert "Min kjøring" not in theirs


def test_demo_loads_one_finished_run_idempotently(db, org):
    from beredskap.actors.demo import load_demo as load_actors_demo
    from beredskap.modelling.demo import DEMO_DAYS_AGO, DEMO_TITLE, load_demo

    load_actors_demo()
    first = load_demo()
    assert "done" in first and load_demo() == "demo run exists"
    run = SimulationRun.objects.get(title=DEMO_TITLE)
    assert run.status == RunStatus.DONE and run.bottlenecks.filter(level="rhf").count() == 4
    forecast = latest_forecast()
    assert forecast["run_id"] == run.pk
    today = forecast["days"].index(timezone.localdate().isoformat())
    assert (
        today == DEMO_DAYS_AGO and forecast["icu_p50"][today] > 0
    )  # the picture's "today" is inside the wave


@pytest.mark.parametrize("extra", [["--deterministic", "--days", "120"]])
def test_beredskap_simulate_epidemic_prints_the_national_bottleneck_report(capsys, extra):
    from beredskap.cli import main

    assert main(["simulate", "epidemic", *extra]) == 0
    out = capsys.readouterr().out
    assert "national attack rate" in out and "ICU bottlenecks" in out
    for region in ("Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"):
        assert region in out


def test_beredskap_simulate_rejects_bad_parameters(capsys):
    from beredskap.cli import main

    assert (
        main(["simulate", "epidemic", "--seed-node", "9999", "--deterministic", "--days", "5"]) == 2
    )
    assert "9999" in capsys.readouterr().err
