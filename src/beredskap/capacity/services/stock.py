"""Writes for stockpiles: products, locations, consumption and the append-only ledger
(white paper 4.3). The balance of a lot is always the sum of its movements."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.capacity.models import (
    ConsumptionRate,
    MovementKind,
    Product,
    ProductKind,
    StockLocation,
    StockMovement,
)
from beredskap.capacity.models.stock import ScenarioDemand
from beredskap.capacity.permissions import can_manage_products, require_reporter
from beredskap.capacity.services.common import check_not_future
from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied

ATC_PATTERN = re.compile(r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")


@cache
def known_atc_codes() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent / "data" / "atc_codes.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["atc"]: row["name"] for row in csv.DictReader(handle)}


def validate_atc(code: str) -> str:
    code = (code or "").strip().upper()
    if not ATC_PATTERN.match(code):
        raise ValidationError(
            {
                "atc_code": _("ATC-koden «%(c)s» har feil format (for eksempel J01CA04).")
                % {"c": code}
            }
        )
    if code not in known_atc_codes():
        raise ValidationError({"atc_code": _("Ukjent ATC-kode: %(c)s.") % {"c": code}})
    return code


def create_product(
    *,
    by: Any,
    name: str,
    kind: str,
    atc_code: str = "",
    strength: str = "",
    form: str = "",
    category: str = "",
    unit: str = "stk",
    requirement_months: Decimal | None = None,
    national_monthly_consumption: int | None = None,
) -> Product:
    """Add a product to the register; medicines need a known ATC code, strength and form."""
    if not can_manage_products(by):
        raise PermissionDenied(_("Du har ikke tilgang til å endre produktregisteret."))
    if kind == ProductKind.MEDICINE:
        atc_code = validate_atc(atc_code)
        if not strength.strip() or not form.strip():
            raise ValidationError(_("Legemidler må ha styrke og legemiddelform."))
    elif not category:
        raise ValidationError(
            {"category": _("Smittevernutstyr og medisinsk utstyr må ha kategori.")}
        )
    with acting_as(by), transaction.atomic():
        product = Product(
            name=name,
            kind=kind,
            atc_code=atc_code,
            strength=strength,
            form=form,
            category=category,
            unit=unit,
            requirement_months=requirement_months,
            national_monthly_consumption=national_monthly_consumption,
        )
        product.full_clean()
        product.save()
    return product


def create_location(
    *,
    by: Any,
    name: str,
    kind: str,
    owner_org: Any,
    classification: int = 0,
    exempt_public: bool = False,
    exempt_legal_basis: str = "",
) -> StockLocation:
    require_reporter(by, owner_org.pk)
    with acting_as(by), transaction.atomic():
        location = StockLocation(
            name=name,
            kind=kind,
            owner_org=owner_org,
            health_region=owner_org.health_region,
            classification=classification,
            exempt_public=exempt_public,
            exempt_legal_basis=exempt_legal_basis,
        )
        location.full_clean()
        location.save()
    return location


def lot_balance(location: StockLocation, product: Product, lot: str) -> int:
    return (
        StockMovement.objects.filter(location=location, product=product, lot=lot).aggregate(
            s=Sum("quantity")
        )["s"]
        or 0
    )


def _lot_expiry(location: StockLocation, product: Product, lot: str) -> date | None:
    return StockMovement.objects.filter(location=location, product=product, lot=lot).aggregate(
        e=Max("expires_on")
    )["e"]


def _positive(quantity: Any) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({"quantity": _("Antall må være et positivt heltall.")})
    return quantity


def _lock(location: StockLocation) -> None:
    StockLocation.objects.select_for_update().filter(pk=location.pk).first()


def _move(
    by: Any,
    location: StockLocation,
    product: Product,
    kind: str,
    quantity: int,
    lot: str,
    expires_on: date | None,
    at: datetime | None,
    reference: str,
    transfer_id: Any = None,
) -> StockMovement:
    movement = StockMovement(
        location=location,
        product=product,
        kind=kind,
        quantity=quantity,
        lot=lot,
        expires_on=expires_on,
        at=at or timezone.now(),
        by=by if by.is_authenticated else None,
        reference=reference[:200],
        transfer_id=transfer_id,
    )
    movement.full_clean(exclude=["by", "transfer_id"])
    movement.save()
    return movement


def receive(
    *,
    by: Any,
    location: StockLocation,
    product: Product,
    quantity: int,
    lot: str,
    expires_on: date | None,
    at: datetime | None = None,
    reference: str = "",
) -> StockMovement:
    """A receipt into stock; a lot already expired is refused."""
    require_reporter(by, location.owner_org_id)
    quantity = _positive(quantity)
    if not lot.strip():
        raise ValidationError({"lot": _("Oppgi parti/lot.")})
    if product.kind == ProductKind.MEDICINE and expires_on is None:
        raise ValidationError({"expires_on": _("Legemidler må ha utløpsdato.")})
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("Utløpsdatoen er passert; varen kan ikke mottas.")})
    if at is not None:
        check_not_future(at, "at")
    with acting_as(by), transaction.atomic():
        return _move(
            by,
            location,
            product,
            MovementKind.RECEIPT,
            quantity,
            lot.strip(),
            expires_on,
            at,
            reference,
        )


def issue(
    *,
    by: Any,
    location: StockLocation,
    product: Product,
    quantity: int,
    lot: str,
    at: datetime | None = None,
    reference: str = "",
) -> StockMovement:
    """An issue from stock; never more than the lot holds."""
    require_reporter(by, location.owner_org_id)
    quantity = _positive(quantity)
    with acting_as(by), transaction.atomic():
        _lock(location)
        held = lot_balance(location, product, lot)
        if quantity > held:
            raise ValidationError(
                {"quantity": _("Partiet %(lot)s har bare %(n)d igjen.") % {"lot": lot, "n": held}}
            )
        return _move(
            by,
            location,
            product,
            MovementKind.ISSUE,
            -quantity,
            lot,
            _lot_expiry(location, product, lot),
            at,
            reference,
        )


def transfer(
    *,
    by: Any,
    source: StockLocation,
    target: StockLocation,
    product: Product,
    quantity: int,
    lot: str,
    reference: str = "",
) -> tuple[StockMovement, StockMovement]:
    """Move stock between locations: two ledger lines sharing one transfer id."""
    require_reporter(by, source.owner_org_id)
    quantity = _positive(quantity)
    if source.pk == target.pk:
        raise ValidationError(_("Fra- og til-lager kan ikke være det samme."))
    with acting_as(by), transaction.atomic():
        _lock(source)
        held = lot_balance(source, product, lot)
        if quantity > held:
            raise ValidationError(
                {"quantity": _("Partiet %(lot)s har bare %(n)d igjen.") % {"lot": lot, "n": held}}
            )
        expiry, tid = _lot_expiry(source, product, lot), StockMovement.new_transfer_id()
        out = _move(
            by,
            source,
            product,
            MovementKind.TRANSFER_OUT,
            -quantity,
            lot,
            expiry,
            None,
            reference,
            tid,
        )
        into = _move(
            by,
            target,
            product,
            MovementKind.TRANSFER_IN,
            quantity,
            lot,
            expiry,
            None,
            reference,
            tid,
        )
    return out, into


def adjust(
    *,
    by: Any,
    location: StockLocation,
    product: Product,
    lot: str,
    counted: int,
    reference: str = "",
) -> StockMovement | None:
    """A stock count: one adjustment line for the difference (none if it matches)."""
    require_reporter(by, location.owner_org_id)
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise ValidationError({"counted": _("Opptalt antall må være 0 eller mer.")})
    with acting_as(by), transaction.atomic():
        _lock(location)
        difference = counted - lot_balance(location, product, lot)
        if difference == 0:
            return None
        return _move(
            by,
            location,
            product,
            MovementKind.ADJUSTMENT,
            difference,
            lot,
            _lot_expiry(location, product, lot),
            None,
            reference or _("Varetelling"),
        )


def set_consumption(
    *, by: Any, location: StockLocation, product: Product, monthly_quantity: int
) -> ConsumptionRate:
    require_reporter(by, location.owner_org_id)
    if (
        isinstance(monthly_quantity, bool)
        or not isinstance(monthly_quantity, int)
        or monthly_quantity < 0
    ):
        raise ValidationError({"monthly_quantity": _("Normalforbruk må være 0 eller mer.")})
    with acting_as(by), transaction.atomic():
        rate = ConsumptionRate.objects.filter(location=location, product=product).first()
        if rate is None:
            return ConsumptionRate.objects.create(
                location=location, product=product, monthly_quantity=monthly_quantity
            )
        rate.monthly_quantity = monthly_quantity
        rate.save()
        return rate


def set_scenario_demand(
    *,
    by: Any,
    scenario_title: str,
    product: Product,
    monthly_quantity: int,
    scenario_id: int | None = None,
) -> ScenarioDemand:
    if not can_manage_products(by):
        raise PermissionDenied(_("Du har ikke tilgang til å registrere scenariobehov."))
    if not scenario_title.strip():
        raise ValidationError({"scenario_title": _("Oppgi scenario.")})
    with acting_as(by), transaction.atomic():
        demand, _created = ScenarioDemand.objects.update_or_create(
            scenario_title=scenario_title.strip(),
            product=product,
            defaults={"monthly_quantity": _positive(monthly_quantity), "scenario_id": scenario_id},
        )
    return demand
