"""API for stockpiles: coverage, holdings, ledger movements (white paper 4.3)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from beredskap.capacity.api import router
from beredskap.capacity.api.schemas import CoverageOut, ErrorOut, MovementIn, MovementOut
from beredskap.capacity.models import MovementKind, Product, StockMovement
from beredskap.capacity.queries import stock as queries
from beredskap.capacity.services import stock as services
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.idempotency import idempotent


def movement_out(m: StockMovement) -> dict:
    return {
        "id": m.pk,
        "location_id": m.location_id,
        "product_id": m.product_id,
        "kind": m.kind,
        "quantity": m.quantity,
        "lot": m.lot,
        "expires_on": m.expires_on,
        "at": m.at,
    }


@router.get("/capacity/stock/coverage", response=list[CoverageOut])
def stock_coverage(
    request: HttpRequest,
    health_region: str | None = None,
    location_id: int | None = None,
    scenario: str | None = None,
):
    location = (
        get_object_or_404(queries.locations(request.auth), pk=location_id) if location_id else None
    )
    return [
        {**row.__dict__, "below_requirement": row.below_requirement}
        for row in queries.coverage(
            request.auth, health_region=health_region, location=location, scenario=scenario
        )
    ]


@router.get("/capacity/stock/locations/{location_id}/movements", response=list[MovementOut])
@paginate(LimitOffsetPagination)
def list_movements(request: HttpRequest, location_id: int):
    location = get_object_or_404(queries.locations(request.auth), pk=location_id)
    return [movement_out(m) for m in queries.movements(request.auth, location=location)]


@router.post(
    "/capacity/stock/movements",
    response={201: list[MovementOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
@idempotent
def create_movement(request: HttpRequest, payload: MovementIn):
    """Receipt, issue or transfer; the ledger is append-only, so there is no update or delete."""
    location = get_object_or_404(queries.locations(request.auth), pk=payload.location_id)
    product = get_object_or_404(Product.objects.all(), pk=payload.product_id)
    if payload.kind == MovementKind.RECEIPT:
        rows = [
            services.receive(
                by=request.auth,
                location=location,
                product=product,
                quantity=payload.quantity,
                lot=payload.lot,
                expires_on=payload.expires_on,
                reference=payload.reference,
            )
        ]
    elif payload.kind == MovementKind.ISSUE:
        rows = [
            services.issue(
                by=request.auth,
                location=location,
                product=product,
                quantity=payload.quantity,
                lot=payload.lot,
                reference=payload.reference,
            )
        ]
    elif payload.kind == MovementKind.TRANSFER_OUT and payload.target_location_id:
        target = get_object_or_404(queries.locations(request.auth), pk=payload.target_location_id)
        rows = list(
            services.transfer(
                by=request.auth,
                source=location,
                target=target,
                product=product,
                quantity=payload.quantity,
                lot=payload.lot,
                reference=payload.reference,
            )
        )
    else:
        raise ValidationError(
            {"kind": "Bruk receipt, issue eller transfer_out med target_location_id."}
        )
    return Status(201, [movement_out(m) for m in rows])
