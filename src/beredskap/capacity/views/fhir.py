"""The resolvable FHIR Measure that our MeasureReports name (a definition, no data in it).

A canonical URL must resolve for a receiver to check what a report's populations mean; the
definition holds no record content, so it is served without sign-in like a published profile."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from beredskap.capacity.interop import fhir
from beredskap.capacity.interop.measure import measure_resource
from beredskap.core.fhiroutcome import fhir_response, operation_outcome


@require_GET
def measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    if measure_id != fhir.MEASURE_ID:
        outcome = operation_outcome([f"Ukjent Measure: {measure_id[:80]}"], "not-found")
        return fhir_response(outcome, 404)
    return fhir_response(measure_resource())
