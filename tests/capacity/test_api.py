"""The capacity API: idempotent submission, clear 4xx, standard messages, reserve search."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from beredskap.capacity.interop import have
from beredskap.capacity.models import BedReport, ReserveVolunteer
from beredskap.core.models import AuditEvent, HealthRegion
from tests.capacity.helpers import icu_counts, make_facility, report
from tests.factories import make_user, token_for, verified_client


@pytest.fixture
def hospital(org):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("sykehus", nlsh, role="reporter")
    return reporter, make_facility(nlsh, "NLSH Bodø")


def _post(user, path, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    ctype = extra.pop("content_type", "application/json")
    return verified_client(user).post(path, body, content_type=ctype, **token_for(user), **extra)


def _payload(target, **changes):
    return {
        "facility": target.code,
        "reported_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "counts": icu_counts(),
        "ventilators_total": 10,
        "ventilators_in_use": 4,
    } | changes


def test_a_report_through_the_api_is_stored_once_with_an_idempotency_key(hospital):
    reporter, facility = hospital
    payload = _payload(facility)
    first = _post(reporter, "/api/v1/capacity/bed-reports", payload, HTTP_IDEMPOTENCY_KEY="k1")
    again = _post(reporter, "/api/v1/capacity/bed-reports", payload, HTTP_IDEMPOTENCY_KEY="k1")
    assert (
        first.status_code == 201
        and again.status_code == 201
        and again["Idempotent-Replayed"] == "true"
    )
    assert BedReport.objects.count() == 1 and first.json()["source"] == "api"


def test_bad_counts_give_400_and_schema_violations_422_never_500(hospital):
    reporter, facility = hospital
    over = _post(
        reporter, "/api/v1/capacity/bed-reports", _payload(facility, counts=icu_counts(occupied=20))
    )
    assert over.status_code == 400 and "forsterket drift" in json.dumps(
        over.json(), ensure_ascii=False
    )
    negative = _post(
        reporter, "/api/v1/capacity/bed-reports", _payload(facility, counts=icu_counts(staffed=-1))
    )
    assert negative.status_code == 422
    unknown = _post(
        reporter, "/api/v1/capacity/bed-reports", _payload(facility, facility="finnes-ikke")
    )
    assert unknown.status_code == 404
    assert not BedReport.objects.exists()


def test_a_reporter_of_another_trust_gets_403(hospital, org):
    _reporter, facility = hospital
    outsider = make_user("ous", org("Oslo universitetssykehus HF"), role="reporter")
    assert _post(outsider, "/api/v1/capacity/bed-reports", _payload(facility)).status_code == 403


def test_an_edxl_have_file_through_the_api_updates_the_regional_picture(hospital, org):
    reporter, facility = hospital
    original = report(reporter, facility, hours_ago=3)
    xml = have.export_reports([original]).replace(
        b"<have:baselineCount>10<", b"<have:baselineCount>12<"
    )
    BedReport.objects.all().delete()
    response = _post(
        reporter, "/api/v1/capacity/bed-reports/edxl-have", xml, content_type="application/xml"
    )
    assert response.status_code == 201, response.content
    reader = make_user("les", org("FHI"))
    picture = verified_client(reader).get(
        "/api/v1/capacity/beds/picture?health_region=H05", **token_for(reader)
    )
    assert picture.json()[0]["staffed"] == 12 and picture.json()[0]["stale"] is False
    broken = _post(
        reporter,
        "/api/v1/capacity/bed-reports/edxl-have",
        b"<HAVE>",
        content_type="application/xml",
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_message"


def test_export_endpoints_give_valid_messages(hospital, org):
    reporter, facility = hospital
    report(reporter, facility)
    client, headers = verified_client(reporter), token_for(reporter)
    xml = client.get("/api/v1/capacity/bed-reports/export/edxl-have", **headers)
    assert xml.status_code == 200 and have.validate(xml.content) is not None
    bundle = client.get("/api/v1/capacity/bed-reports/export/fhir", **headers).json()
    assert bundle["entry"][0]["resource"]["subject"]["reference"] == f"Location/{facility.code}"


def _volunteer(username, region, profession="icu_nurse", **kw):
    user = make_user(username)
    return ReserveVolunteer.objects.create(
        user=user,
        profession=profession,
        health_region=HealthRegion.objects.get(code=region),
        consent_given_at=timezone.now(),
        confirmed_at=timezone.now(),
        **kw,
    )


def test_a_coordinator_in_helse_nord_finds_available_icu_nurses_and_the_read_is_audited(org):
    coordinator = make_user("koord", org("Helse Nord RHF"), role="reporter")
    north = _volunteer("nina", "H05", specialities="intensiv, ECMO")
    _volunteer("sara", "H12")
    travelling = _volunteer("tor", "H12", willing_to_travel=True)
    _volunteer("ola", "H05", profession="bioengineer")
    _volunteer("gone", "H05", availability="unavailable")
    response = verified_client(coordinator).get(
        "/api/v1/capacity/reserve/search?profession=icu_nurse", **token_for(coordinator)
    )
    assert response.status_code == 200 and response.json()["count"] == 2
    assert {row["id"] for row in response.json()["items"]} == {north.pk, travelling.pk}
    assert (
        AuditEvent.objects.filter(
            action="read", model="capacity.reservevolunteer", actor=coordinator
        ).count()
        == 2
    )


def test_the_registry_is_closed_to_others_but_counts_are_open(org):
    _volunteer("nina", "H05")
    reader = make_user("les", org("FHI"))
    client, headers = verified_client(reader), token_for(reader)
    assert client.get("/api/v1/capacity/reserve/search", **headers).status_code == 403
    counts = client.get("/api/v1/capacity/reserve/availability?health_region=H05", **headers).json()
    assert counts == [
        {
            "profession": "icu_nurse",
            "label": "Intensivsykepleier",
            "available": 1,
            "health_region": "H05",
        }
    ]
    assert "nina" not in json.dumps(counts)


def test_a_person_registers_exports_and_withdraws(org):
    person = make_user("pensjonist")
    payload = {
        "consent": True,
        "profession": "icu_nurse",
        "hpr_number": "1234567",
        "health_region": "H05",
        "willing_to_travel": True,
        "phone": "99999999",
    }
    assert (
        _post(person, "/api/v1/capacity/reserve/me", payload | {"consent": False}).status_code
        == 400
    )
    assert _post(person, "/api/v1/capacity/reserve/me", payload).status_code == 201
    client, headers = verified_client(person), token_for(person)
    exported = client.get("/api/v1/capacity/reserve/me/export", **headers).json()
    assert exported["hpr_number"] == "1234567" and exported["registrert"] is True
    assert client.delete("/api/v1/capacity/reserve/me", **headers).status_code == 204
    assert not ReserveVolunteer.objects.filter(user=person).exists()
