"""Import entry points: parse a standard message and submit every report, all or nothing."""

from __future__ import annotations

from typing import Any

from beredskap.capacity.interop import fhir, have
from beredskap.capacity.models import BedReport, ReportSource
from beredskap.capacity.services.beds import submit_many

FORMATS = {
    "edxl-have": (have.parse, ReportSource.EDXL_HAVE),
    "fhir": (fhir.parse, ReportSource.FHIR),
}


def import_message(*, by: Any, data: bytes, fmt: str) -> list[BedReport]:
    """Validate, then store every report or none (raises MessageInvalid or ImportRejected)."""
    parse, source = FORMATS[fmt]
    return submit_many(by=by, reports=parse(data), source=source)


def guess_format(filename: str, data: bytes) -> str:
    head = data.lstrip()[:1]
    return "edxl-have" if head == b"<" or filename.lower().endswith(".xml") else "fhir"
