"""The rest of the operations API: crisis staff, the national summary, decision
and task registers, requests, allocation lines, deployments and public alerts — each write refused
with the right status, each list cut to what the caller may see."""

import json
from datetime import time, timedelta

import pytest
from django.utils import timezone

from beredskap.operations.services import resources, sitreps
from tests.factories import make_user, token_for, verified_client
from tests.operations.test_decisions_resources_alerts import _alert, _decision

GREEN = {
    f"{s}_colour": "green" for s in ("situation", "consequences", "needs", "measures", "outlook")
}


def _api(user):  # type: ignore[no-untyped-def]
    client, headers = verified_client(user), token_for(user)

    def call(method: str, path: str, data: dict | None = None):  # type: ignore[no-untyped-def]
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, data or {}, **headers)
        return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)

    return call


@pytest.fixture
def outsider(org):  # type: ignore[no-untyped-def]
    return make_user("utenfor", org("Oslo kommune"), role="reporter", clearance=2)


def test_a_coordinator_activates_the_expert_group_and_composes_it(
    crisis, coordinator, bodo_reporter, outsider
):
    api, cid = _api(coordinator), crisis.pk
    made = api(
        "post",
        f"/crises/{cid}/activations",
        {
            "body_slug": "ekspertutvalg-helsekriser",
            "reason": "Faglige råd om tiltak",
            "reports_to_slug": "helseberedskapsradet",
        },
    )
    assert made.status_code == 201 and made.json()["reports_to"] == "helseberedskapsradet"
    aid = made.json()["id"]
    expert = api(
        "post",
        f"/crises/{cid}/activations/{aid}/experts",
        {"name": "Kari Modell", "competence": "modelling", "subgroup": "Smittespredning"},
    )
    assert expert.status_code == 201 and expert.json()["subgroup"] == "Smittespredning"
    bad = api(
        "post", f"/crises/{cid}/activations/{aid}/experts", {"name": "X", "competence": "astrologi"}
    )
    assert bad.status_code == 400
    listed = api("get", f"/crises/{cid}/activations").json()
    assert [e["name"] for e in listed[0]["experts"]] == ["Kari Modell"]
    sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=time(12, 0),
        starts_on=timezone.localdate(),
        org_kinds=["municipality"],
    )  # Bodø now sees the crisis
    assert (
        _api(bodo_reporter)(
            "post",
            f"/crises/{cid}/activations",
            {"body_slug": "helseberedskapsradet", "reason": "x"},
        ).status_code
        == 403
    )
    assert _api(outsider)("get", f"/crises/{cid}/activations").status_code == 404


def test_roles_are_handed_over_and_liaisons_placed_through_the_api(
    crisis, coordinator, org, outsider
):
    api, cid, hod = _api(coordinator), crisis.pk, org("HOD")
    first, second = make_user("leder1", hod), make_user("leder2", hod)
    assert (
        api(
            "post",
            f"/crises/{cid}/roles",
            {"organisation_id": hod.pk, "role": "leader", "person_id": first.person.pk},
        ).status_code
        == 201
    )
    handed = api(
        "post",
        f"/crises/{cid}/roles",
        {
            "organisation_id": hod.pk,
            "role": "leader",
            "person_id": second.person.pk,
            "note": "Nattskift overtar",
        },
    )
    assert handed.status_code == 201 and handed.json()["person"] == "Leder2"
    stranger = make_user("fremmed", org("FHI"))
    assert (
        api(
            "post",
            f"/crises/{cid}/roles",
            {"organisation_id": hod.pk, "role": "leader", "person_id": stranger.person.pk},
        ).status_code
        == 400
    )
    liaison = api(
        "post",
        f"/crises/{cid}/liaisons",
        {
            "organisation_id": org("FHI").pk,
            "name": "Per Kontakt",
            "placed_in_slug": "helseberedskapssekretariatet",
        },
    )
    assert liaison.status_code == 201
    staff = api("get", f"/crises/{cid}/staff").json()
    assert [r["person"] for r in staff["roles"]] == ["Leder2"] and staff["liaisons"][0][
        "name"
    ] == "Per Kontakt"
    history = api("get", f"/crises/{cid}/staff", {"history": "true"}).json()["roles"]
    assert [r["handover_note"] for r in history] == ["Nattskift overtar", ""]
    assert crisis.log_entries.filter(kind="role").count() == 2
    assert _api(outsider)("get", f"/crises/{cid}/staff").status_code == 404


def test_one_report_and_the_national_summary(
    crisis, coordinator, bodo, bodo_reporter, org, outsider
):
    cycle = sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=time(12, 0),
        starts_on=timezone.localdate(),
        org_kinds=["municipality", "statsforvalter"],
    )
    report = sitreps.submit_report(
        by=bodo_reporter, cycle=cycle, organisation=bodo, situation="Rolig", **GREEN
    )
    api = _api(coordinator)
    got = api("get", f"/crises/{crisis.pk}/reports/{report.pk}").json()
    assert got["organisation"] == "Bodø kommune" and got["sections"][0]["text"] == "Rolig"
    assert _api(outsider)("get", f"/crises/{crisis.pk}/reports/{report.pk}").status_code == 404
    path = f"/crises/{crisis.pk}/cycles/{cycle.pk}/national-summary"
    assert (
        api("post", path, {"period_due": report.period_due.isoformat()}).status_code == 400
    )  # no county report yet
    sf = org("Statsforvalteren i Nordland")
    sf_user = make_user("sf-api", sf, role="reporter", clearance=1)
    draft = sitreps.build_county_report(
        by=sf_user, cycle=cycle, statsforvalter=sf, period_due=report.period_due
    )
    period = {"period_due": report.period_due.isoformat()}
    assert api("post", path, period).status_code == 400, "a draft is not in the summary"
    from beredskap.operations.services.county import file_county_report

    file_county_report(by=sf_user, report=draft, expected_version=draft.version)
    summary = api("post", path, {"period_due": report.period_due.isoformat()})
    assert summary.status_code == 201 and summary.json()["kind"] == "national"
    assert (
        _api(bodo_reporter)("post", path, {"period_due": report.period_due.isoformat()}).status_code
        == 403
    )


def test_decisions_are_listed_with_legal_basis_and_cut_by_clearance(crisis, coordinator, org):
    _decision(coordinator, crisis, org)
    secret = make_user("hemmelig", org("HOD"), role="secretariat", clearance=2)
    _decision(secret, crisis, org, title="Gradert disponering", classification=2)
    listed = _api(secret)("get", f"/crises/{crisis.pk}/decisions").json()
    assert {d["title"] for d in listed["items"]} == {"Besøksforbud sykehjem", "Gradert disponering"}
    mine = _api(coordinator)("get", f"/crises/{crisis.pk}/decisions", {"in_force": "true"}).json()[
        "items"
    ]
    assert [(d["title"], d["legal_basis"], d["legal_section"]) for d in mine] == [
        ("Besøksforbud sykehjem", "smittevernloven", "§ 4-1")
    ]


def test_task_status_through_the_api_with_a_stale_version_refused(
    crisis, coordinator, org, bodo_reporter
):
    from beredskap.operations.services import decisions

    task = decisions.create_task(
        by=coordinator,
        crisis=crisis,
        title="Kartlegg",
        owner_org=org("Hdir"),
        due_at=timezone.now() - timedelta(hours=1),
    )
    api, path = _api(coordinator), f"/crises/{crisis.pk}/tasks/{task.pk}/status"
    listed = api("get", f"/crises/{crisis.pk}/tasks").json()["items"]
    assert listed[0]["overdue"] and listed[0]["version"] == task.version
    assert api("post", path, {"status": "done", "version": task.version + 5}).status_code == 409
    done = api("post", path, {"status": "done", "version": task.version})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api("get", f"/crises/{crisis.pk}/tasks", {"open_only": "true"}).json()["items"] == []


def test_adjusting_a_line_and_ending_a_deployment(crisis, coordinator, org, bodo):
    from beredskap.core.models import Municipality

    request = resources.create_request(
        by=coordinator,
        crisis=crisis,
        requested_by=bodo,
        kind="personnel",
        item="sykepleier",
        quantity=4,
        location=Municipality.objects.get(number="1804"),
        priority=5,
        deadline=timezone.now() + timedelta(days=1),
    )
    resources.create_offer(
        by=coordinator,
        crisis=crisis,
        organisation=org("Nordlandssykehuset HF"),
        kind="personnel",
        item="sykepleier",
        quantity=3,
        location=Municipality.objects.get(number="1804"),
    )
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    line = proposal.lines.get()
    api = _api(coordinator)
    base = f"/crises/{crisis.pk}/allocations/{proposal.pk}"
    too_many = api("post", f"{base}/lines/{line.pk}", {"quantity": 9, "version": proposal.version})
    assert too_many.status_code == 400 and "overstiger" in json.dumps(
        too_many.json(), ensure_ascii=False
    )
    adjusted = api("post", f"{base}/lines/{line.pk}", {"quantity": 2, "version": proposal.version})
    assert adjusted.status_code == 200 and adjusted.json()["quantity"] == 2
    approved = api("post", f"{base}/approve", {"version": adjusted.json()["proposal_version"]})
    assert approved.status_code == 200 and approved.json() == {
        "id": proposal.pk,
        "status": "approved",
        "deployments": 1,  # an organisation's offer goes at once
        "reservists_asked": 0,
    }
    requests = api("get", f"/crises/{crisis.pk}/requests").json()["items"]
    assert [(r["id"], r["quantity"], r["covered"]) for r in requests] == [(request.pk, 4, 2)]
    from beredskap.operations.models import Deployment

    deployment = Deployment.objects.get(line=line)
    path = f"/crises/{crisis.pk}/deployments/{deployment.pk}/end"
    ended = api("post", path, {"version": deployment.version, "note": "Hjemme igjen"})
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert api("post", path, {"version": deployment.version + 1}).status_code == 409


def test_alerts_are_updated_and_cancelled_with_references(
    crisis, coordinator, bodo_reporter, outsider
):
    first = _alert(coordinator, crisis)
    api, base = _api(coordinator), f"/crises/{crisis.pk}/alerts"
    body = {
        "event": "Pandemisk influensa",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "infos": [{"language": "nb-NO", "headline": "Nye råd", "description": "Bruk munnbind."}],
        "municipality_numbers": ["1804"],
    }
    update = api("post", f"{base}/{first.pk}/update", body)
    assert update.status_code == 201 and update.json()["msg_type"] == "Update"
    assert update.json()["references"] == first.identifier
    assert api("post", f"{base}/{update.json()['id']}/cancel", {"note": ""}).status_code == 422
    cancel = api("post", f"{base}/{update.json()['id']}/cancel", {"note": "Faren er over"})
    assert cancel.status_code == 201 and cancel.json()["msg_type"] == "Cancel"
    listed = [a["msg_type"] for a in api("get", base).json()["items"]]
    assert sorted(listed) == ["Alert", "Cancel", "Update"]
    assert _api(bodo_reporter)("post", f"{base}/{first.pk}/cancel", {"note": "x"}).status_code in (
        403,
        404,
    )
    assert _api(outsider)("get", base).status_code == 404
