"""API for CSV/XLSX bulk import (all lines or none; every rejected line with its reason)."""

from django.http import HttpRequest
from ninja import File, Status, UploadedFile

from beredskap.capacity.api import router
from beredskap.capacity.api.schemas import ErrorOut
from beredskap.capacity.bulk import IMPORTERS
from beredskap.core.idempotency import idempotent
from beredskap.core.tabular import read_rows

UPLOAD = File(...)  # ninja marker: a multipart file field
RESPONSES = {201: dict, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _run(request: HttpRequest, kind: str, file: UploadedFile):
    result = IMPORTERS[kind](by=request.auth, rows=read_rows(file))
    if not result.ok:
        return Status(
            400,
            {
                "detail": [
                    {"field": f"linje {line}", "message": error} for line, error in result.errors
                ],
                "code": "import_rejected",
            },
        )
    return Status(201, {"created": result.created})


@router.post("/capacity/bed-reports/import", response=RESPONSES)
@idempotent
def import_bed_table(request: HttpRequest, file: UploadedFile = UPLOAD):
    """Bed reports from a CSV/XLSX file: one line per facility, time and category."""
    return _run(request, "beds", file)


@router.post("/capacity/stock/movements/import", response=RESPONSES)
@idempotent
def import_stock_table(request: HttpRequest, file: UploadedFile = UPLOAD):
    """Stock movements (receipts, issues, transfers) from a CSV/XLSX file, applied in order."""
    return _run(request, "stock", file)
