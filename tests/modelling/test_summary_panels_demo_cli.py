"""Start-page panel, demo data, and the `beredskap simulate` CLI."""

from __future__ import annotations

import pytest
from django.utils import timezone

from beredskap.modelling.models import RunStatus, SimulationRun
from tests.factories import verified_client


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
    from beredskap.modelling.forecast import forecast_from_today

    state = {"H12": {"icu": {"occupied": 40, "staffed": 60}}}
    admin = run.created_by
    forecast = forecast_from_today(admin, run.pk, state, timezone.localdate())
    assert run.is_exercise  # the demo crisis is an exercise
    assert forecast["alignment"] == "calendar" and forecast["run_day"] == DEMO_DAYS_AGO
    assert forecast["regions"][0]["icu"]["series"]["p50"][0] == 40


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
