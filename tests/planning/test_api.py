"""The planning API: scenarios with typed parameters, assumptions, plans, compliance."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user, token_for, verified_client
from tests.risk.builders import make_analysis, make_event


def caller(user):
    client, headers = verified_client(user), token_for(user)

    def call(method, path, data=None):
        if data is None:
            return getattr(client, method)(f"/api/v1{path}", **headers)
        return getattr(client, method)(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", **headers
        )

    return call


@pytest.fixture
def hod(org):
    return make_user("hod", org("HOD"), role="secretariat", clearance=1)


def test_a_scenario_with_an_epidemic_part_through_the_api(hod, org):
    api = caller(hod)
    analysis = make_analysis(hod, org("HOD"))
    event = make_event(hod, analysis, risk_area="infection")
    response = api(
        "post",
        "/planning/scenarios",
        {
            "owner_org_id": org("HOD").pk,
            "title": "Pandemi",
            "risk_area": "infection",
            "source_event_ids": [event.pk],
            "has_epidemic": True,
            "r0": 1.8,
            "latent_days": 2,
            "infectious_days": 5,
            "sim_days": 180,
            "ihr": 0.02,
            "icu_share": 0.25,
            "seed_municipality": "1804",
            "counties": ["18"],
            "personnel_absence_share": 0.1,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["epidemic_parameters"]["seed_municipality"] == "1804" and body["counties"] == ["18"]
    assert body["source_event_ids"] == [event.pk]
    stale = api("patch", f"/planning/scenarios/{body['id']}", {"version": 1, "r0": 2.2})
    assert stale.status_code == 200 and stale.json()["epidemic_parameters"]["r0"] == 2.2
    assert stale.json()["version"] == 2
    assert (
        api("patch", f"/planning/scenarios/{body['id']}", {"version": 1, "r0": 2.4}).status_code
        == 409
    )
    assert (
        api(
            "post",
            "/planning/scenarios",
            {
                "owner_org_id": org("HOD").pk,
                "title": "Scenario X",
                "risk_area": "infection",
                "r0": 99,
            },
        ).status_code
        == 422
    )


def test_a_scenario_cannot_link_a_hidden_event_through_the_api(hod, org):
    hidden = make_event(hod, make_analysis(hod, org("HOD"), classification=1))
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter")
    response = caller(bodo)(
        "post",
        "/planning/scenarios",
        {
            "owner_org_id": org("Bodø kommune").pk,
            "title": "Scenario X",
            "risk_area": "water",
            "source_event_ids": [hidden.pk],
        },
    )
    assert response.status_code == 400 and "tilgang" in json.dumps(
        response.json(), ensure_ascii=False
    )


def test_plans_through_the_api_with_computed_status(org):
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter")
    api = caller(bodo)
    today = timezone.localdate()
    assert (
        api(
            "post",
            "/planning/plans",
            {"owner_org_id": 999999, "title": "Plan P", "plan_type": "overall"},
        ).status_code
        == 400
    )
    response = api(
        "post",
        "/planning/plans",
        {
            "owner_org_id": org("Bodø kommune").pk,
            "title": "Overordnet",
            "plan_type": "overall",
            "approved_on": str(today - timedelta(days=1000)),
            "last_exercised_on": str(today - timedelta(days=10)),  # typed: counts for nothing
        },
    )
    assert response.status_code == 201 and response.json()["status"] == "not_exercised"
    assert response.json()["effective_exercise_cycle"] == 2
    assert api("get", "/planning/plans?status=not_exercised").json()["count"] == 1
    assert api("get", "/planning/plans?status=up_to_date").json()["count"] == 0


def test_assumptions_are_published_through_the_api(org):
    sf = make_user("sf", org("Statsforvalteren i Nordland"), role="reporter")
    api = caller(sf)
    created = api(
        "post",
        "/planning/assumptions",
        {
            "owner_org_id": org("Statsforvalteren i Nordland").pk,
            "title": "Ferje",
            "statement": "72 timer uten ferje.",
            "level": "regional",
            "valid_from": "2025-01-01",
            "required_plan_types": ["overall"],
        },
    )
    assert created.status_code == 201
    published = api("post", f"/planning/assumptions/{created.json()['id']}/publish")
    assert (
        published.status_code == 200 and org("Bodø kommune").pk in published.json()["published_to"]
    )
    assert (
        api(
            "post",
            "/planning/assumptions",
            {
                "owner_org_id": org("Statsforvalteren i Nordland").pk,
                "title": "Ferje 2",
                "statement": "Setning.",
                "level": "regional",
                "valid_from": "2025-01-01",
                "valid_until": "2024-01-01",
            },
        ).status_code
        == 400
    )


def test_the_compliance_api_lists_only_her_municipalities(org, statsforvalter):
    rows = caller(statsforvalter)("get", "/planning/compliance").json()
    names = {r["name"] for r in rows}
    assert (
        "Bodø" in names and "Oslo" not in names and all(r["ros_status"] == "missing" for r in rows)
    )
    assert caller(make_user("fhi", org("FHI")))("get", "/planning/compliance").json() == []


def _assumption(owner_org, scenario_id):
    return {
        "owner_org_id": owner_org.pk,
        "title": "Bygger på scenario",
        "statement": "Setning.",
        "level": "local",
        "valid_from": "2025-01-01",
        "source_scenario_id": scenario_id,
    }


def test_a_source_scenario_the_caller_may_not_see_is_as_unknown_as_a_missing_one(
    owner, owner_org, outsider, org
):
    from beredskap.planning import services

    scenario = services.create_scenario(
        by=owner,
        owner_org=owner_org,
        title="Skjult scenario",
        risk_area="infection",
        classification=1,
    )
    api = caller(outsider)
    hidden = api("post", "/planning/assumptions", _assumption(org("Oslo kommune"), scenario.pk))
    missing = api("post", "/planning/assumptions", _assumption(org("Oslo kommune"), 10**9))
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() and "Ukjent scenario" in hidden.content.decode()
    assert "Skjult scenario" not in hidden.content.decode()
    mine = caller(owner)("post", "/planning/assumptions", _assumption(owner_org, scenario.pk))
    assert mine.status_code == 201, mine.content
