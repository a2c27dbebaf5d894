"""Observations arrive through the API in idempotent batches and by CSV/XLSX upload, both
all-or-nothing with every bad row reported; a late correction keeps the earlier value."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beredskap.surveillance.models import Observation
from tests.factories import token_for, verified_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveillance/observations"


def post(client, headers, body, key=None):  # type: ignore[no-untyped-def]
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, json.dumps(body), content_type="application/json", **headers, **extra)


def batch(values, code="1804"):  # type: ignore[no-untyped-def]
    return {
        "indicator": "ili",
        "observations": [
            {"area_code": code, "period": f"2024-W{i + 1:02d}", "value": v}
            for i, v in enumerate(values)
        ],
    }


def test_a_batch_is_stored_once_and_a_retry_with_the_key_replays_it(
    client, fhi_user, indicator, django_capture_on_commit_callbacks
):
    headers = token_for(fhi_user)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, headers, batch([3, 4, 5]), key="k1")
        again = post(client, headers, batch([3, 4, 5]), key="k1")
    assert first.status_code == 201 and first.json()["stored"] == 3
    assert again.json() == first.json()
    assert Observation.objects.count() == 3


def test_resending_the_same_values_stores_nothing_and_a_correction_keeps_history(
    client, fhi_user, indicator, django_capture_on_commit_callbacks
):
    headers = token_for(fhi_user)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, headers, batch([3, 4]))
        same = post(client, headers, batch([3, 4]))
        fixed = post(client, headers, batch([3, 7]))
    assert same.json()["stored"] == 0 and same.json()["unchanged"] == 2
    assert fixed.json()["stored"] == 1
    week2 = Observation.objects.filter(period="2024-01-08").order_by("known_from", "pk")
    assert list(week2.values_list("value", flat=True)) == [4, 7]


def test_a_batch_with_a_bad_row_stores_nothing_and_names_the_row(client, fhi_user, indicator):
    body = batch([3, 4])
    body["observations"].append({"area_code": "9999", "period": "2024-W03", "value": 1})
    body["observations"].append({"area_code": "1804", "period": "2024-W99", "value": 1})
    response = post(client, token_for(fhi_user), body)
    assert response.status_code == 400
    rows = {e["row"]: e["message"] for e in response.json()["errors"]}
    assert set(rows) == {3, 4} and "9999" in rows[3]
    assert Observation.objects.count() == 0


def test_a_municipality_cannot_report_for_another(client, oslo_user, indicator):
    response = post(client, token_for(oslo_user), batch([1]))
    assert response.status_code == 400
    assert "Bodø" in response.json()["errors"][0]["message"]
    assert Observation.objects.count() == 0


def test_an_unknown_indicator_is_404_not_500(client, fhi_user, indicator):
    body = batch([1])
    body["indicator"] = "finnes-ikke"
    assert post(client, token_for(fhi_user), body).status_code == 404


def test_signals_api_shows_only_what_the_user_may_see(
    client, fhi_user, oslo_user, indicator, load_counts
):
    from .test_signals import outbreak

    load_counts(fhi_user, indicator, {"1804": outbreak()})
    mine = client.get("/api/v1/surveillance/signals", **token_for(fhi_user)).json()
    theirs = client.get("/api/v1/surveillance/signals", **token_for(oslo_user)).json()
    assert [s["area_code"] for s in mine["items"]] == ["1804"]
    assert theirs["items"] == [] and theirs["count"] == 0


def test_an_upload_with_a_bad_row_stores_nothing_and_lists_the_line(fhi_user, indicator):
    text = (
        "area_level,area_code,period,value\n"
        "municipality,1804,2024-W01,5\nmunicipality,1804,2024-W02,-1\n"
    )
    upload = SimpleUploadedFile("tall.csv", text.encode(), content_type="text/csv")
    response = verified_client(fhi_user).post(
        "/overvaking/last-opp/", {"indicator": indicator.pk, "file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Linje 3" in page and "Ingenting er lagret" in page
    assert Observation.objects.count() == 0


def test_a_good_upload_is_stored_and_queues_detection(
    fhi_user, indicator, django_capture_on_commit_callbacks
):
    text = "area_code;period;value\n1804;2024-W01;5\n1804;2024-W02;6\n"
    upload = SimpleUploadedFile("tall.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client(fhi_user).post(
            "/overvaking/last-opp/", {"indicator": indicator.pk, "file": upload}, follow=True
        )
    assert "2 tall lagret" in response.content.decode()
    assert Observation.objects.count() == 2
    assert indicator.runs.get().status == "done"
