"""FHIR errors as FHIR: a refused resource is answered with an OperationOutcome.

FHIR's RESTful API (R4, http.html "Handling errors") says a server that rejects a resource
returns an OperationOutcome describing each problem, with the FHIR media type, so a sending
system's FHIR client can read the reasons instead of failing on an unknown body."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"


def operation_outcome(problems: list[str], code: str = "invalid") -> dict[str, Any]:
    """One issue per problem (severity error, the FHIR issue-type ``code``)."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "error", "code": code, "diagnostics": problem}
            for problem in problems or ["Ukjent feil."]
        ],
    }


def fhir_response(resource: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False), status=status, content_type=FHIR_JSON
    )
    response["Cache-Control"] = "no-store, private"
    return response
