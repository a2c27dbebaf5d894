"""Integration with the planning app (through Scenario.epidemic_parameters()) and with the
capacity app (through icu_capacity_by_hospital_trust(), matched by organisation id)."""

from __future__ import annotations

import pytest

from beredskap.core.models import Municipality
from beredskap.modelling import queries, scenarios
from beredskap.modelling.models import SimulationRun
from beredskap.planning import services as planning
from tests.factories import make_user, verified_client


@pytest.fixture
def planner(db, org):  # type: ignore[no-untyped-def]
    return make_user("planlegger", org("FHI"), role="reporter", clearance=1)


@pytest.fixture
def scenario(planner, org):  # type: ignore[no-untyped-def]
    return planning.create_scenario(
        by=planner,
        owner_org=org("FHI"),
        title="Alvorlig pandemi",
        risk_area="infection",
        has_epidemic=True,
        r0=2.6,
        latent_days=2.5,
        infectious_days=4.5,
        sim_days=200,
        seed_exposed=30,
        seed_infectious=15,
        seed_municipality=Municipality.objects.get(number="4601"),
        ihr=0.02,
        icu_share=0.2,
        personnel_absence_share=0.1,
        classification=1,
    )


def test_prefill_takes_the_epidemic_part_of_a_visible_scenario(scenario, analyst, outsider):
    values, found = scenarios.prefill(analyst, scenario.pk)
    assert found == scenario
    assert values == {
        "r0": 2.6,
        "latent_days": 2.5,
        "infectious_days": 4.5,
        "days": 200,
        "seed_exposed": 30,
        "seed_infectious": 15,
        "seed_municipality": "4601",
        "ihr": 0.02,
        "icu_share": 0.2,
    }
    assert scenarios.prefill(outsider, scenario.pk) is None  # BEGRENSET at FHI: not for Bodø


def test_a_scenario_without_an_epidemic_part_prefills_nothing_but_its_title(planner, org, analyst):
    plain = planning.create_scenario(
        by=planner, owner_org=org("FHI"), title="Flom", risk_area="climate"
    )
    values, found = scenarios.prefill(analyst, plain.pk)
    assert values == {} and found == plain
    page = verified_client(analyst).get(f"/modellering/ny/?scenario={plain.pk}").content.decode()
    assert "Simulering: Flom" in page and "ingen kvantitativ epidemidel" in page


def test_new_run_form_is_prefilled_from_the_scenario(scenario, analyst):
    page = verified_client(analyst).get(f"/modellering/ny/?scenario={scenario.pk}").content.decode()
    assert "Simulering: Alvorlig pandemi" in page
    for value in (
        'value="2.6"',
        'value="200"',
        'value="2.5"',
        'value="4.5"',
        'value="4601"',
        'value="0.02"',
    ):
        assert value in page
    assert f'name="scenario_id" value="{scenario.pk}"' in page


def test_a_hidden_or_unknown_scenario_is_not_prefilled(scenario, outsider):
    page = (
        verified_client(outsider).get(f"/modellering/ny/?scenario={scenario.pk}").content.decode()
    )
    assert "Alvorlig pandemi" not in page and "Scenarioet finnes ikke" in page


def test_the_run_links_back_to_the_scenario(scenario, make_run, analyst):
    run = make_run(scenario_id=scenario.pk)
    assert run.scenario_title == "Alvorlig pandemi" and run.risk_area == "infection"
    assert run.classification == 1  # taken from the scenario
    assert SimulationRun.objects.filter(scenario_id=scenario.pk).count() == 1
    page = verified_client(analyst).get(f"/modellering/{run.pk}/").content.decode()
    assert f'href="/planverk/scenarioer/{scenario.pk}/"' in page
    type(scenario).objects.filter(pk=scenario.pk).update(
        classification=2
    )  # above the analyst's clearance
    page = verified_client(analyst).get(f"/modellering/{run.pk}/").content.decode()
    assert "Alvorlig pandemi" in page and "/planverk/scenarioer/" not in page


def test_a_run_is_never_classified_below_its_scenario(planner, org, make_run, analyst):
    graded = planning.create_scenario(
        by=planner, owner_org=org("FHI"), title="Gradert", risk_area="infection", classification=1
    )
    assert make_run(scenario_id=graded.pk, classification=0).classification == 1


def test_a_run_cannot_name_a_scenario_the_user_cannot_see(scenario, make_run, outsider, org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Ukjent scenario"):
        make_run(by=outsider, owner=org("Bodø kommune"), scenario_id=scenario.pk)


# --- reported ICU capacity from the capacity app -------------------------------------------


def _report_icu(org, staffed):  # type: ignore[no-untyped-def]
    from tests.capacity.helpers import icu_counts, make_facility, report

    reporter = make_user(f"rapportor-{org.pk}", org, role="reporter")
    report(reporter, make_facility(org), counts=icu_counts(staffed=staffed))


def test_reported_capacity_is_matched_to_trusts_by_organisation_id(make_run, org):
    nlsh = org("Nordlandssykehuset HF")
    _report_icu(nlsh, 17)
    _report_icu(org("Helse Bergen HF"), 40)
    nlsh.name = "Nordlandssykehuset (nytt navn)"  # a renamed organisation is still the same trust
    nlsh.save()
    run = make_run(parameters={"capacity_source": "reported"})
    by_trust = {r.group: r.capacity for r in queries.bottlenecks(run, "hf")}
    assert by_trust["Nordlandssykehuset HF"] == 17 and by_trust["Helse Bergen HF"] == 40
    # Trusts without a report keep the default assumption (5.2 per 100,000), named in the note.
    assert 0 < by_trust["Helse Førde HF"] < 17
    by_region = {r.group: r.capacity for r in queries.bottlenecks(run, "rhf")}
    assert by_region["Helse Nord"] == 17 + sum(
        by_trust[n]
        for n in (
            "Finnmarkssykehuset HF",
            "Helgelandssykehuset HF",
            "Universitetssykehuset Nord-Norge HF",
        )
    )
    note = queries.run_results(run).meta["capacity_note"]
    assert "Rapportert intensivkapasitet" in note and "Helse Førde HF" in note
    assert "Nordlandssykehuset HF" not in note.split("Standardantakelse for:")[1]


def test_a_reporting_trust_without_catchment_is_named_and_left_out(make_run, org):
    from beredskap.actors.models import Organisation

    lovisenberg = Organisation.objects.create(name="Lovisenberg Diakonale Sykehus", kind="hf")
    _report_icu(lovisenberg, 12)
    run = make_run(parameters={"capacity_source": "reported"})
    note = queries.run_results(run).meta["capacity_note"]
    assert "Ikke knyttet til et opptaksområde" in note and "Lovisenberg Diakonale Sykehus" in note
    by_trust = {r.group: r.capacity for r in queries.bottlenecks(run, "hf")}
    default = {r.group: r.capacity for r in queries.bottlenecks(make_run(), "hf")}
    assert by_trust == default  # nothing placed: every trust on the default assumption
