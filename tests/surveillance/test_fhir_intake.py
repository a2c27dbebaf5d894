"""Counts arrive as FHIR R4 MeasureReports (one or a Bundle) for an indicator's published
Measure; a bad report refuses the whole Bundle with an OperationOutcome naming each problem."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from fhir.resources.R4B.measure import Measure
from fhir.resources.R4B.operationoutcome import OperationOutcome

from beredskap.surveillance import fhir
from beredskap.surveillance.models import Observation
from tests.factories import token_for

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def report(key: str, code: str, count: int, *, start=MONDAY, denominator=None, system=None):  # type: ignore[no-untyped-def]
    populations = [
        {
            "code": {"coding": [{"system": fhir.POPULATION_SYSTEM, "code": "numerator"}]},
            "count": count,
        }
    ]
    if denominator is not None:
        populations.append(
            {
                "code": {
                    "coding": [
                        {"system": "http://example.org/other", "code": "x"},
                        {"system": fhir.POPULATION_SYSTEM, "code": "denominator"},
                    ]
                },
                "count": denominator,
            }
        )
    return {
        "resourceType": "MeasureReport",
        "status": "complete",
        "type": "summary",
        "measure": fhir.measure_url(key),
        "subject": {"identifier": {"system": system or fhir.MUNICIPALITY_SYSTEM, "value": code}},
        "period": {"start": start.isoformat(), "end": (start + dt.timedelta(days=6)).isoformat()},
        "group": [{"population": populations}],
    }


def bundle(*reports):  # type: ignore[no-untyped-def]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in reports],
    }


def post(user, body):  # type: ignore[no-untyped-def]
    return Client().post(
        "/api/v1/surveillance/fhir",
        json.dumps(body),
        content_type="application/fhir+json",
        **token_for(user),
    )


def test_a_bundle_of_weekly_counts_is_stored_with_its_denominator(fhi_user, indicator):
    answer = post(
        fhi_user,
        bundle(
            report(indicator.key, "1804", 42, denominator=900), report(indicator.key, "0301", 7)
        ),
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["stored"] == 2 and answer.json()["detection_run"]
    bodo = Observation.objects.get(series__area_code="1804")
    assert (bodo.value, bodo.denominator, bodo.period, bodo.source) == (42, 900, MONDAY, "fhir")


def test_one_bad_report_refuses_the_bundle_with_an_operation_outcome(fhi_user, indicator):
    bad_week = report(indicator.key, "0301", 5, start=MONDAY + dt.timedelta(days=2))
    unknown = report("no-such-indicator", "0301", 5)
    answer = post(fhi_user, bundle(report(indicator.key, "1804", 42), bad_week, unknown))
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/fhir+json")
    outcome = OperationOutcome.model_validate(answer.json())
    text = " ".join(i.diagnostics for i in outcome.issue)
    assert "ISO-uke" in text and "no-such-indicator" in text
    assert not Observation.objects.exists()


def test_a_municipality_cannot_report_for_another_and_nothing_is_stored(bodo_user, indicator):
    answer = post(
        bodo_user, bundle(report(indicator.key, "1804", 3), report(indicator.key, "0301", 4))
    )
    assert answer.status_code == 400
    assert "Oslo" in answer.content.decode()
    assert not Observation.objects.exists()


def test_a_resource_that_is_not_fhir_is_refused_not_a_server_error(fhi_user, indicator):
    broken = report(indicator.key, "1804", 3)
    broken["group"] = "nope"
    for body in (broken, {"resourceType": "Bundle", "entry": []}, [1, 2]):
        answer = post(fhi_user, body)
        assert answer.status_code == 400, body
        OperationOutcome.model_validate(answer.json())


def test_the_indicators_measure_is_published_and_valid(indicator):
    answer = Client().get(f"/fhir/Measure/surveillance-{indicator.key}")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/fhir+json")
    assert indicator.name in answer.content.decode()
    measure = Measure.model_validate(answer.json())
    assert measure.url == fhir.measure_url(indicator.key)
    codes = {p.code.coding[0].code for p in measure.group[0].population}
    assert codes == {"numerator", "denominator"}
    missing = Client().get("/fhir/Measure/surveillance-ukjent")
    assert missing.status_code == 404 and missing.json()["resourceType"] == "OperationOutcome"
