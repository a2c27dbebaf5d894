"""Prefill from a planning scenario (contract: Scenario.epidemic_parameters()), with a stand-in
scenario model until the planning app is merged."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from beredskap.modelling import scenarios
from beredskap.modelling.models import SimulationRun
from tests.factories import verified_client


class FakeScenarios:
    """Behaves like Scenario.objects.visible_to(user).filter(pk=...).first()."""

    visible: dict = {}

    class objects:  # noqa: N801 - mimics a Django manager
        @staticmethod
        def visible_to(user):  # type: ignore[no-untyped-def]
            return SimpleNamespace(filter=lambda pk: SimpleNamespace(
                first=lambda: FakeScenarios.visible.get((user.username, pk))))


@pytest.fixture
def scenario(monkeypatch, analyst):  # type: ignore[no-untyped-def]
    item = SimpleNamespace(pk=7, title="Alvorlig pandemi", risk_area="infection",
                           epidemic_parameters=lambda: {"r0": 2.6, "days": 200, "seed_municipality": "4601",
                                                        "ihr": 0.02, "icu_share": 0.2, "personnel_absence": 0.1,
                                                        "latent_days": None})
    FakeScenarios.visible = {(analyst.username, 7): item}
    monkeypatch.setattr(scenarios, "scenario_model", lambda: FakeScenarios)
    return item


def test_prefill_takes_the_epidemic_part_of_a_visible_scenario(scenario, analyst, outsider):
    values, found = scenarios.prefill(analyst, 7)
    assert found is scenario
    assert values == {"r0": 2.6, "days": 200, "seed_municipality": "4601", "ihr": 0.02, "icu_share": 0.2}
    assert scenarios.prefill(outsider, 7) is None


def test_new_run_form_is_prefilled_and_the_run_links_the_scenario(scenario, make_run, analyst):
    page = verified_client(analyst).get("/modellering/ny/?scenario=7").content.decode()
    assert "Simulering: Alvorlig pandemi" in page and 'value="2.6"' in page and 'value="200"' in page
    run = make_run(scenario_id=7)
    assert run.scenario_title == "Alvorlig pandemi" and run.risk_area == "infection"
    assert SimulationRun.objects.filter(scenario_id=7).count() == 1


def test_without_the_planning_app_a_scenario_is_unknown(analyst):
    if scenarios.scenario_model() is not None:
        pytest.skip("planning app present")
    assert scenarios.prefill(analyst, 1) is None
