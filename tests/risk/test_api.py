"""The risk API: CRUD with versions (409), idempotent writes, filters, need-to-know."""

import json

import pytest

from tests.factories import make_user, token_for, verified_client


@pytest.fixture
def api(org):
    user = make_user("hodapi", org("HOD"), role="secretariat", clearance=1)
    client, headers = verified_client(user), token_for(user)

    def call(method, path, data=None, **extra):
        kwargs = {"content_type": "application/json", **headers, **extra}
        body = json.dumps(data) if data is not None else None
        return (
            getattr(client, method)(f"/api/v1{path}", body, **kwargs)
            if body
            else getattr(client, method)(f"/api/v1{path}", **kwargs)
        )

    return call


@pytest.fixture
def analysis(api, org):
    response = api(
        "post",
        "/risk/analyses",
        {
            "owner_org_id": org("HOD").pk,
            "title": "Sektor-ROS API",
            "scope": "sector",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_an_analysis_is_built_and_approved_through_the_api(api, analysis):
    event = api(
        "post",
        f"/risk/analyses/{analysis['id']}/events",
        {
            "title": "PPE-markedet kollapser",
            "risk_area": "supply_security",
            "probability": 3,
            "consequences": {"life_health": 4, "stability": 3},
        },
    )
    assert event.status_code == 201 and event.json()["number"] == 1
    assert {c["kind"] for c in event.json()["consequences"]} == {"life_health", "stability"}
    approved = api(
        "post",
        f"/risk/analyses/{analysis['id']}/status",
        {"status": "approved", "approved_on": "2024-06-01", "version": analysis["version"]},
    )
    assert approved.status_code == 200 and approved.json()["next_revision_due"] == "2028-06-01"
    matrix = api("get", f"/risk/analyses/{analysis['id']}/matrix").json()
    life = next(m for m in matrix if m["kind"] == "life_health")
    assert [
        c["events"] for c in life["cells"] if c["probability"] == 3 and c["consequence"] == 4
    ] == [[event.json()["id"]]]
    sector = api("get", "/risk/sector-matrix?risk_area=supply_security").json()
    assert sum(len(c["events"]) for m in sector for c in m["cells"]) == 2


def test_bad_classes_are_refused_with_a_reason(api, analysis):
    assert (
        api(
            "post",
            f"/risk/analyses/{analysis['id']}/events",
            {"title": "Hendelse", "probability": 6, "consequences": {"life_health": 2}},
        ).status_code
        == 422
    )
    response = api(
        "post",
        f"/risk/analyses/{analysis['id']}/events",
        {"title": "Hendelse", "probability": 2, "consequences": {"life_health": 9}},
    )
    assert response.status_code == 400 and "1 til 5" in json.dumps(
        response.json(), ensure_ascii=False
    )
    assert (
        api(
            "post",
            f"/risk/analyses/{analysis['id']}/events",
            {"title": "Hendelse", "probability": 2, "consequences": {"økonomi": 2}},
        ).status_code
        == 422
    )


def test_a_stale_event_edit_gets_409(api, analysis):
    event = api(
        "post",
        f"/risk/analyses/{analysis['id']}/events",
        {"title": "Vann", "probability": 2, "consequences": {"life_health": 2}},
    ).json()
    first = api("patch", f"/risk/events/{event['id']}", {"version": 1, "title": "Første"})
    assert (
        first.status_code == 200
        and first.json()["title"] == "Første"
        and first.json()["version"] == 2
    )
    second = api("patch", f"/risk/events/{event['id']}", {"version": 1, "title": "Andre"})
    assert second.status_code == 409 and second.json()["current_version"] == 2


def test_writes_are_idempotent(api, analysis):
    path = f"/risk/analyses/{analysis['id']}/events"
    data = {"title": "Én gang", "probability": 2, "consequences": {"life_health": 2}}
    first = api("post", path, data, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api("post", path, data, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert len(api("get", f"/risk/events?analysis={analysis['id']}").json()["items"]) == 1


def test_outsiders_get_404_and_see_nothing_in_lists(api, analysis, outsider):
    client, headers = verified_client(outsider), token_for(outsider)
    assert client.get(f"/api/v1/risk/analyses/{analysis['id']}", **headers).status_code == 404
    assert client.get("/api/v1/risk/analyses", **headers).json()["count"] == 0


def test_filters_and_bad_filter_values(api, analysis):
    assert api("get", "/risk/analyses?scope=sector").json()["count"] == 1
    assert api("get", "/risk/analyses?scope=municipality").json()["count"] == 0
    assert api("get", "/risk/analyses?municipality=12").status_code == 400


def test_an_unknown_owner_and_a_bad_period_are_refused(api, org):
    assert (
        api(
            "post",
            "/risk/analyses",
            {
                "owner_org_id": 999999,
                "title": "Analyse",
                "scope": "sector",
                "period_start": "2024-01-01",
                "period_end": "2025-01-01",
            },
        ).status_code
        == 400
    )
    response = api(
        "post",
        "/risk/analyses",
        {
            "owner_org_id": org("HOD").pk,
            "title": "Analyse",
            "scope": "sector",
            "period_start": "2024-01-01",
            "period_end": "2023-01-01",
        },
    )
    assert response.status_code == 400 and "slutte før" in json.dumps(
        response.json(), ensure_ascii=False
    )


def test_measures_through_the_api(api, analysis, org):
    event = api(
        "post",
        f"/risk/analyses/{analysis['id']}/events",
        {"title": "Vann", "probability": 2, "consequences": {"life_health": 2}},
    ).json()
    assert (
        api(
            "post", f"/risk/events/{event['id']}/measures", {"title": "Tiltak", "owner_id": 999999}
        ).status_code
        == 400
    )
    measure = api(
        "post",
        f"/risk/events/{event['id']}/measures",
        {"title": "Nødvann", "owner_id": org("Bodø kommune").pk, "due_date": "2026-01-01"},
    )
    assert measure.status_code == 201
    assert (
        api(
            "patch", f"/risk/measures/{measure.json()['id']}", {"version": 1, "status": "done"}
        ).json()["status"]
        == "done"
    )
