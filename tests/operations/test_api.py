"""The operations API: idempotent report submission, refusals with reasons, no leaks."""

import json
from datetime import time

from django.utils import timezone

from beredskap.operations.models import SituationReport
from beredskap.operations.services import sitreps
from tests.factories import make_user, token_for, verified_client

GREEN = {
    f"{s}_colour": "green" for s in ("situation", "consequences", "needs", "measures", "outlook")
}


def _post(client, headers, path, data, **extra):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(data), content_type="application/json", **headers, **extra)


def test_a_coordinator_declares_and_escalates_a_crisis_through_the_api(coordinator, org):
    client, headers = verified_client(coordinator), token_for(coordinator)
    created = _post(
        client,
        headers,
        "/api/v1/crises",
        {
            "name": "Vannforurensning",
            "risk_area": "water",
            "crisis_type": "Drikkevann",
            "owner_org_id": org("HOD").pk,
            "lead_ministry_id": org("HOD").pk,
            "county_numbers": ["18"],
            "is_exercise": True,
        },
    )
    assert (
        created.status_code == 201
        and created.json()["is_exercise"]
        and created.json()["classification"] == 1
    )
    cid = created.json()["id"]
    stale = _post(
        client,
        headers,
        f"/api/v1/crises/{cid}/level",
        {"version": 99, "reason": "x", "level": "war"},
    )
    assert stale.status_code == 409
    ok = _post(
        client,
        headers,
        f"/api/v1/crises/{cid}/level",
        {"version": 1, "reason": "Forverring", "level": "war"},
    )
    assert ok.status_code == 200 and ok.json()["level"] == "war"


def test_report_submission_is_idempotent_and_a_duplicate_is_409(
    crisis, coordinator, bodo, bodo_reporter
):
    cycle = sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=time(12, 0),
        starts_on=timezone.localdate(),
        org_kinds=["municipality"],
    )
    client, headers = verified_client(bodo_reporter), token_for(bodo_reporter)
    path = f"/api/v1/crises/{crisis.pk}/cycles/{cycle.pk}/reports"
    body = {"organisation_id": bodo.pk, "situation": "Stabil", **GREEN}
    first = _post(client, headers, path, body, HTTP_IDEMPOTENCY_KEY="bodo-1")
    again = _post(client, headers, path, body, HTTP_IDEMPOTENCY_KEY="bodo-1")
    assert (
        first.status_code == 201
        and again.status_code == 201
        and again["Idempotent-Replayed"] == "true"
    )
    assert first.json()["id"] == again.json()["id"]
    assert SituationReport.objects.filter(organisation=bodo).count() == 1
    duplicate = _post(client, headers, path, {**body, "period_due": first.json()["period_due"]})
    assert duplicate.status_code == 409 and "allerede levert" in duplicate.json()["detail"]


def test_a_report_for_an_organisation_outside_the_cycle_is_400(crisis, coordinator, org):
    cycle = sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=time(12, 0),
        starts_on=timezone.localdate(),
        org_kinds=["municipality"],
    )
    oslo_user = make_user("oslo", org("Oslo kommune"), role="reporter", clearance=1)
    crisis_headers = token_for(coordinator)
    response = _post(
        verified_client(coordinator),
        crisis_headers,
        f"/api/v1/crises/{crisis.pk}/cycles/{cycle.pk}/reports",
        {"organisation_id": org("Oslo kommune").pk, **GREEN},
    )
    assert (
        response.status_code == 400
        and "ikke med i rapporteringssyklusen" in response.content.decode()
    )
    outsider = _post(
        verified_client(oslo_user),
        token_for(oslo_user),
        f"/api/v1/crises/{crisis.pk}/cycles/{cycle.pk}/reports",
        {"organisation_id": org("Oslo kommune").pk, **GREEN},
    )
    assert outsider.status_code == 404


def test_a_decision_without_legal_basis_is_400_and_an_invalid_cap_alert_is_400(
    crisis, coordinator, org
):
    client, headers = verified_client(coordinator), token_for(coordinator)
    bad = _post(
        client,
        headers,
        f"/api/v1/crises/{crisis.pk}/decisions",
        {
            "title": "X",
            "authority_id": org("Hdir").pk,
            "level": "national",
            "subsidiarity": "x",
            "valid_from": "2026-01-01T10:00:00+01:00",
        },
    )
    assert bad.status_code == 400 and "hjemmel" in bad.content.decode().lower()
    alert = _post(
        client,
        headers,
        f"/api/v1/crises/{crisis.pk}/alerts",
        {
            "event": "X",
            "urgency": "Nå",
            "severity": "Severe",
            "certainty": "Likely",
            "infos": [{"language": "nb-NO", "headline": "H", "description": "D"}],
            "municipality_numbers": ["1804"],
        },
    )
    assert alert.status_code == 400 and "CAP 1.2" in alert.content.decode()


def test_the_api_hides_a_crisis_from_an_outsider_and_from_the_uncleared(crisis, org):
    for user in (
        make_user("ute", org("Oslo kommune"), clearance=1),
        make_user("hod0", org("HOD"), clearance=0),
    ):
        client, headers = verified_client(user), token_for(user)
        assert client.get(f"/api/v1/crises/{crisis.pk}", **headers).status_code == 404
        assert client.get("/api/v1/crises", **headers).json()["count"] == 0
        assert client.get(f"/api/v1/crises/{crisis.pk}/picture", **headers).status_code == 404
