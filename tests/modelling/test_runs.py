"""Creating, running, cancelling and deleting simulation runs."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from beredskap.modelling import queries, services
from beredskap.modelling.engine import chunk_size
from beredskap.modelling.models import RunStatus, SimulationRun
from beredskap.modelling.tasks import execute_run


def test_a_run_is_queued_executed_and_stored_compactly(make_run):
    run = make_run()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.started_at and run.finished_at and run.task_id
    res = queries.run_results(run)
    a = res.arrays
    assert a["inf_q"].shape == (5, 60, 357) and a["inf_q"].dtype == np.float32
    assert np.all(np.diff(a["inf_q"], axis=0) >= -1e-3)  # p05 <= p25 <= ... <= p95
    assert a["icu_rhf"].shape == (5, 60, 4) and a["icu_hf"].shape[2] == len(res.group_names("hf"))
    assert "members" not in {k for k in a if a[k].ndim == 3 and a[k].shape[0] == 8}
    assert res.meta["members"] == 8 and 0 < res.meta["attack_rate"] < 1
    assert set(res.group_names("rhf")) == {
        "Helse Sør-Øst",
        "Helse Vest",
        "Helse Midt-Norge",
        "Helse Nord",
    }
    assert a["cap_rhf"].shape == (4,) and a["cap_rhf"].sum() > 200


def test_seeding_in_oslo_infects_oslo_first(make_run):
    res = queries.run_results(make_run())
    ar = res.map_values()
    assert ar["0301"]["attack_rate"] > ar["5601"]["attack_rate"]  # Oslo before Kautokeino


def test_bottleneck_rows_for_every_group_with_capacity(make_run):
    run = make_run(parameters={"days": 120, "r0": 3.0, "ihr": 0.05, "icu_share": 0.5})
    rows = list(queries.bottlenecks(run, "rhf"))
    assert len(rows) == 4
    assert any(r.probability > 0 for r in rows)
    hit = next(r for r in rows if r.probability > 0)
    assert hit.first_day_median is not None and hit.peak_excess_p95 >= hit.peak_excess_median
    assert queries.bottlenecks(run, "hf").count() == len(queries.run_results(run).group_names("hf"))


def test_entered_capacity_is_used_for_health_regions_only(make_run):
    cap = {"H12": 1000, "H03": 2, "H04": 3, "H05": 4}
    run = make_run(parameters={"capacity_source": "entered", "capacity_entered": cap})
    by_group = {r.group: r.capacity for r in queries.bottlenecks(run)}
    assert by_group == {
        "Helse Sør-Øst": 1000,
        "Helse Vest": 2,
        "Helse Midt-Norge": 3,
        "Helse Nord": 4,
    }
    assert "Kapasitet oppgitt" in queries.run_results(run).meta["capacity_note"]


def test_reported_capacity_falls_back_when_capacity_app_is_absent(make_run):
    run = make_run(parameters={"capacity_source": "reported"})
    note = queries.run_results(run).meta["capacity_note"]
    assert "standardantakelse" in note.lower() or "Rapportert" in note


def test_deterministic_run_has_one_member_and_equal_quantiles(make_run):
    run = make_run(parameters={"deterministic": True, "members": 50})
    a = queries.run_results(run).arrays
    np.testing.assert_allclose(a["nat_inf_q"][0], a["nat_inf_q"][4])
    assert queries.run_results(run).meta["members"] == 1


def test_progress_is_written_after_each_chunk_and_cancel_stops_the_run(
    make_run, monkeypatch, analyst
):
    from beredskap.modelling import tasks

    run = make_run(parameters={"members": 24})
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, progress=0)
    seen = []
    writer = tasks._progress_writer

    def spying(run_id):  # type: ignore[no-untyped-def]
        inner = writer(run_id)

        def progress(pct):  # type: ignore[no-untyped-def]
            seen.append(SimulationRun.objects.get(pk=run_id).progress)
            ok = inner(pct)
            if len(seen) == 2:
                services.cancel_run(by=analyst, run=SimulationRun.objects.get(pk=run_id))
            return ok

        return progress

    monkeypatch.setattr(tasks, "_progress_writer", spying)
    monkeypatch.setattr("beredskap.modelling.engine.chunk_size", lambda members: 8)
    assert execute_run(run.pk) == RunStatus.CANCELLED
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and 0 < run.progress < 100
    assert len(seen) == 3  # stopped after the chunk following the cancel


def test_a_task_delivered_twice_runs_once(make_run):
    run = make_run()
    assert execute_run(run.pk) == "skipped"


def test_a_failing_engine_marks_the_run_failed(make_run, monkeypatch):
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("beredskap.modelling.engine.execute", boom)
    run = make_run()
    assert run.status == RunStatus.FAILED and "uventet" in run.error_message
    assert "disk full" not in run.error_message


def test_chunks_give_about_25_progress_steps():
    assert chunk_size(20) == 16 and chunk_size(1000) == 48  # 8 lanes on each of 2 cores
    assert all(
        chunk_size(m) % 16 == 0 and -(-m // chunk_size(m)) <= 25 for m in (1, 100, 999, 1000, 5000)
    )


def test_only_writing_members_of_the_owner_may_start_runs(make_run, colleague, outsider, org):
    with pytest.raises(PermissionDenied):
        make_run(by=colleague)
    with pytest.raises(PermissionDenied):
        make_run(by=outsider)
    assert not SimulationRun.objects.exists()


def test_only_the_owner_cancels_or_deletes(make_run, outsider, analyst):
    run = make_run()
    with pytest.raises(PermissionDenied):
        services.delete_run(by=outsider, run=run)
    with pytest.raises(ValidationError, match="allerede avsluttet"):
        services.cancel_run(by=analyst, run=run)
    services.delete_run(by=analyst, run=run)
    assert not SimulationRun.objects.filter(pk=run.pk).exists()
    assert AuditEvent.objects.filter(model="modelling.simulationrun", action="delete").exists()


def test_an_active_run_cannot_be_deleted_but_can_be_cancelled(make_run, analyst):
    run = make_run()
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="Avbryt"):
        services.delete_run(by=analyst, run=run)
    services.cancel_run(by=analyst, run=run)
    assert execute_run(run.pk) == "skipped"  # the worker never starts a cancelled run
    assert AuditEvent.objects.filter(
        model="modelling.simulationrun", after__status="cancelled"
    ).exists()


def test_visibility_follows_need_to_know(make_run, colleague, outsider):
    open_run = make_run(title="Åpen")
    closed = make_run(title="Begrenset", classification=1)
    colleague.clearance = 1
    colleague.save()
    assert set(queries.runs(colleague)) == {open_run, closed}
    assert set(queries.runs(outsider)) == {open_run}
    assert not queries.visible_bottlenecks(outsider).filter(run=closed).exists()


def test_classification_above_own_clearance_is_refused(make_run):
    with pytest.raises(ValidationError, match="klarering"):
        make_run(classification=2)


def test_invalid_title_and_unknown_scenario_are_refused(make_run):
    with pytest.raises(ValidationError):
        make_run(title="  ")
    with pytest.raises(ValidationError, match="scenario"):
        make_run(scenario_id=999999)
