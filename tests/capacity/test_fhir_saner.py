"""FHIR R4 / SANER as receivers read it: what we emit is valid FHIR (checked with the
independent `fhir.resources` models, R4B), codings are read by system whatever their order, the
measure a report names resolves to a Measure, and a refusal is an OperationOutcome."""

from __future__ import annotations

import copy
import json
import random
from urllib.parse import urlsplit

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measure import Measure
from fhir.resources.R4B.measurereport import MeasureReport
from fhir.resources.R4B.operationoutcome import OperationOutcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredskap.capacity.interop import fhir
from beredskap.capacity.interop.service import import_message
from beredskap.capacity.models import BedReport
from tests.capacity.test_interop import _fields, setup  # noqa: F401  (setup is a fixture)
from tests.factories import token_for


@pytest.fixture
def original(setup):  # noqa: F811  (the imported fixture)
    """The interop tests' hospital report (ward and ICU lines, ventilators, ECMO)."""
    reporter, _facility, saved = setup
    return reporter, saved


def test_an_exported_bundle_is_valid_fhir_r4b_for_an_independent_implementation(original):
    _reporter, saved = original
    bundle = fhir.export_bundle([saved])
    parsed = Bundle.model_validate(bundle)
    assert parsed.entry and len(parsed.entry) == 1
    report_resource = MeasureReport.model_validate(bundle["entry"][0]["resource"])
    assert report_resource.measure == fhir.measure_url()


def test_every_population_is_typed_as_numerator_or_denominator_beside_its_value(original):
    resource = fhir.export_report(original[1])
    beds = next(g for g in resource["group"] if g["code"]["coding"][0]["code"] == "Beds")
    types = {p["code"]["coding"][1]["code"]: p["code"]["coding"][0] for p in beds["population"]}
    assert {t["system"] for t in types.values()} == {fhir.POPULATION_TYPE_SYSTEM}
    assert types["numBeds"]["code"] == "denominator"
    assert types["numBedsOcc"]["code"] == "numerator"


def _shuffle_codings(resource: dict, rng: random.Random) -> dict:
    shuffled = copy.deepcopy(resource)
    for group in shuffled["group"]:
        rng.shuffle(group["code"]["coding"])
        for population in group["population"]:
            rng.shuffle(population["code"]["coding"])
    return shuffled


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=10**6))
def test_the_order_of_codings_does_not_change_what_is_imported(original, seed):
    reporter, saved = original
    expected = _fields(saved)
    resource = _shuffle_codings(fhir.export_report(saved), random.Random(seed))
    reports = fhir.parse(json.dumps(resource).encode())
    counts = sorted(
        (c["category"], c["staffed"], c["occupied"], c["available"], c["surge_24h"], c["surge_72h"])
        for c in reports[0]["counts"]
    )
    assert counts == expected[-1]
    assert reports[0]["ventilators_total"] == 14 and reports[0]["ecmo_in_use"] == 1


def test_a_report_still_round_trips_after_its_codings_are_reordered(original):
    reporter, saved = original
    expected = _fields(saved)
    resource = _shuffle_codings(fhir.export_report(saved), random.Random(7))
    saved.counts.all().delete()
    BedReport.objects.filter(pk=saved.pk).delete()
    (imported,) = import_message(by=reporter, data=json.dumps(resource).encode(), fmt="fhir")
    assert _fields(imported) == expected


def test_the_measure_a_report_names_resolves_to_a_valid_measure_covering_its_groups(original):
    resource = fhir.export_report(original[1])
    response = Client().get(urlsplit(resource["measure"]).path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    measure = response.json()
    Measure.model_validate(measure)
    assert measure["url"] == resource["measure"]

    def codes(groups: list) -> set:
        return {(g["code"]["coding"][0]["system"], g["code"]["coding"][0]["code"]) for g in groups}

    assert codes(resource["group"]) <= codes(measure["group"])


def test_an_unknown_measure_is_a_not_found_operation_outcome():
    response = Client().get("/fhir/Measure/Finnes-ikke")
    assert response.status_code == 404
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].code == "not-found"


def test_a_refused_import_is_answered_with_an_operation_outcome_naming_every_problem(original):
    reporter, saved = original
    broken = fhir.export_report(saved)
    broken["status"] = "pending"
    broken["subject"]["reference"] = "Location/finnes-ikke"
    response = Client().post(
        "/api/v1/capacity/bed-reports/fhir",
        data=json.dumps(broken),
        content_type="application/fhir+json",
        **token_for(reporter),
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue and all(i.severity == "error" for i in outcome.issue)
    assert any("complete" in (i.diagnostics or "") for i in outcome.issue)


def test_the_same_file_sent_twice_is_a_duplicate_operation_outcome(original):
    reporter, saved = original
    body = json.dumps(fhir.export_report(saved))

    def send():  # type: ignore[no-untyped-def]
        return Client().post(
            "/api/v1/capacity/bed-reports/fhir",
            data=body,
            content_type="application/fhir+json",
            **token_for(reporter),
        )

    assert send().status_code == 201
    response = send()
    assert response.status_code == 409
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].code == "duplicate"
