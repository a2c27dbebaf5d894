"""API: create (idempotent), status, list with filters, cancel, delete, results, bottlenecks."""

from __future__ import annotations

import json

from beredskap.modelling.models import RunStatus, SimulationRun
from tests.factories import token_for
from tests.modelling.conftest import SMALL

URL = "/api/v1/modelling/runs"


def post(client, user, body, key=None):  # type: ignore[no-untyped-def]
    headers = token_for(user)
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def body(org, **kw):  # type: ignore[no-untyped-def]
    return {"title": "API-kjøring", "owner_org_id": org.pk, "parameters": {**SMALL, **kw}}


def test_create_is_idempotent_and_returns_status(client, analyst, org):
    first = post(client, analyst, body(org("FHI")), key="k-1")
    again = post(client, analyst, body(org("FHI")), key="k-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and first.json()["id"] == again.json()["id"]
    assert SimulationRun.objects.count() == 1
    run = first.json()
    assert run["status"] == "done" and run["progress"] == 100 and run["parameters"]["members"] == 8
    status = client.get(f"{URL}/{run['id']}", **token_for(analyst)).json()
    assert status["status"] == "done" and status["finished_at"]


def test_invalid_parameters_give_machine_readable_errors(client, analyst, org):
    bounds = post(client, analyst, body(org("FHI"), members=0))
    assert bounds.status_code == 422
    rule = post(client, analyst, body(org("FHI"), seed_municipality="9999"))
    assert rule.status_code == 400 and rule.json()["code"] == "invalid"
    assert rule.json()["detail"][0]["field"] == "seed_municipality"
    assert post(client, analyst, body(org("FHI"), extra_knob=1)).status_code == 422
    assert post(client, analyst, {**body(org("FHI")), "owner_org_id": 10**9}).status_code == 400


def test_outsider_cannot_create_for_another_organisation(client, outsider, org):
    assert post(client, outsider, body(org("FHI"))).status_code == 403
    assert not SimulationRun.objects.exists()


def test_list_filters_and_visibility(client, make_run, analyst, outsider):
    open_run = make_run(title="Åpen kjøring")
    make_run(title="Begrenset kjøring", classification=1)
    SimulationRun.objects.filter(pk=open_run.pk).update(status=RunStatus.FAILED)
    mine = client.get(URL, **token_for(analyst)).json()
    assert mine["count"] == 2
    failed = client.get(f"{URL}?status=failed", **token_for(analyst)).json()
    assert [r["title"] for r in failed["items"]] == ["Åpen kjøring"]
    theirs = client.get(URL, **token_for(outsider)).json()
    assert [r["title"] for r in theirs["items"]] == ["Åpen kjøring"]
    assert client.get(f"{URL}?status=nonsense", **token_for(analyst)).status_code == 400


def test_cancel_and_delete(client, make_run, analyst, outsider):
    run = make_run()
    auth = token_for(analyst)
    assert client.post(f"{URL}/{run.pk}/cancel", **auth).status_code == 409  # already done
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    assert client.delete(f"{URL}/{run.pk}", **auth).status_code == 409
    assert client.post(f"{URL}/{run.pk}/cancel", **token_for(outsider)).status_code == 403
    cancelled = client.post(f"{URL}/{run.pk}/cancel", **auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.delete(f"{URL}/{run.pk}", **auth).status_code == 204
    assert client.get(f"{URL}/{run.pk}", **auth).status_code == 404


def test_results_and_bottlenecks(client, make_run, analyst, outsider):
    run = make_run()
    auth = token_for(analyst)
    res = client.get(f"{URL}/{run.pk}/results", **auth).json()
    assert res["level"] == "rhf" and len(res["dates"]) == 60 and len(res["groups"]) == 4
    g = res["groups"][0]
    assert all(a <= b + 1e-6 for a, b in zip(g["p05"], g["p95"], strict=True)) and g["capacity"] > 0
    one = client.get(
        f"{URL}/{run.pk}/results?series=infections&level=kommune&municipality=0301", **auth
    ).json()
    assert [x["name"] for x in one["groups"]] == ["0301"] and max(one["groups"][0]["p50"]) > 0
    assert (
        client.get(
            f"{URL}/{run.pk}/results?series=infections&level=kommune&municipality=9999", **auth
        ).status_code
        == 400
    )
    assert client.get(f"{URL}/{run.pk}/results?level=planet", **auth).status_code == 400
    rows = client.get(f"{URL}/{run.pk}/bottlenecks?level=rhf", **auth).json()
    assert len(rows) == 4 and {r["level"] for r in rows} == {"rhf"}
    SimulationRun.objects.filter(pk=run.pk).update(classification=1)
    assert client.get(f"{URL}/{run.pk}/results", **token_for(outsider)).status_code == 404
    assert client.get(f"{URL}/{run.pk}/bottlenecks", **token_for(outsider)).status_code == 404


def test_results_of_an_unfinished_run_are_409(client, make_run, analyst):
    run = make_run()
    run.result.delete()
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED)
    assert client.get(f"{URL}/{run.pk}/results", **token_for(analyst)).status_code == 409
