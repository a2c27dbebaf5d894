"""Reads for stockpiles: holdings (sums of the ledger), expiry warnings, months of coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from beredskap.capacity.models import ConsumptionRate, Product, StockLocation, StockMovement
from beredskap.capacity.models.stock import ScenarioDemand

EXPIRY_WARNING_DAYS = 90


def locations(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
) -> QuerySet[StockLocation]:
    qs = StockLocation.objects.visible_to(user).select_related("owner_org", "health_region")
    if health_region:
        qs = qs.filter(health_region__code=health_region)
    if organisation_ids is not None:
        qs = qs.filter(owner_org_id__in=list(organisation_ids))
    return qs


def movements(user: Any, *, location: StockLocation | None = None) -> QuerySet[StockMovement]:
    qs = StockMovement.objects.filter(location__in=locations(user)).select_related(
        "product", "location", "by"
    )
    return qs.filter(location=location) if location is not None else qs


def holdings(
    user: Any,
    *,
    location: StockLocation | None = None,
    health_region: str | None = None,
    organisation_ids: Any = None,
) -> list[dict]:
    """Balance per location, product and lot (only lots with stock)."""
    qs = StockMovement.objects.filter(
        location__in=locations(user, health_region=health_region, organisation_ids=organisation_ids)
    )
    if location is not None:
        qs = qs.filter(location=location)
    lots = (
        qs.values("location_id", "location__name", "product_id", "lot")
        .annotate(balance=Sum("quantity"), expires_on=Max("expires_on"))
        .filter(balance__gt=0)
        .order_by("location__name", "product_id", "expires_on")
    )
    rows: list[dict[str, Any]] = [dict(lot) for lot in lots]
    products = {p.pk: p for p in Product.objects.filter(pk__in={r["product_id"] for r in rows})}
    for row in rows:
        row["product"] = products[row["product_id"]]
    return rows


def expiry_warnings(
    user: Any,
    *,
    within_days: int = EXPIRY_WARNING_DAYS,
    location: StockLocation | None = None,
    health_region: str | None = None,
    organisation_ids: Any = None,
) -> list[dict]:
    limit = timezone.localdate() + timedelta(days=within_days)
    today = timezone.localdate()
    rows = [
        r
        for r in holdings(
            user, location=location, health_region=health_region, organisation_ids=organisation_ids
        )
        if r["expires_on"] is not None and r["expires_on"] <= limit
    ]
    for row in rows:
        row["expired"] = row["expires_on"] <= today
    return rows


@dataclass(frozen=True)
class CoverageRow:
    product_id: int
    product_name: str
    category: str
    balance: int
    monthly: int
    months: float | None
    required: float | None
    scenario_months: float | None = None

    @property
    def below_requirement(self) -> bool:
        return self.required is not None and self.months is not None and self.months < self.required


def coverage(
    user: Any,
    *,
    health_region: str | None = None,
    location: StockLocation | None = None,
    scenario: str | None = None,
    organisation_ids: Any = None,
) -> list[CoverageRow]:
    """Months of coverage = stock ÷ normal monthly consumption, per product, for the nation
    (no region, no location), a region, or one institution's location (white paper 4.3)."""
    scope = locations(user, health_region=health_region, organisation_ids=organisation_ids)
    if location is not None:
        scope = scope.filter(pk=location.pk)
    balances = dict(
        StockMovement.objects.filter(location__in=scope)
        .values("product_id")
        .annotate(s=Sum("quantity"))
        .values_list("product_id", "s")
    )
    rates = dict(
        ConsumptionRate.objects.filter(location__in=scope)
        .values("product_id")
        .annotate(s=Sum("monthly_quantity"))
        .values_list("product_id", "s")
    )
    demand = (
        dict(
            ScenarioDemand.objects.filter(scenario_title=scenario).values_list(
                "product_id", "monthly_quantity"
            )
        )
        if scenario
        else {}
    )
    national = health_region is None and location is None and organisation_ids is None
    rows = []
    for product in Product.objects.filter(pk__in=set(balances) | set(rates)).order_by(
        "kind", "name"
    ):
        balance = balances.get(product.pk) or 0
        monthly = (
            product.national_monthly_consumption
            if national and product.national_monthly_consumption
            else rates.get(product.pk) or 0
        )
        scenario_monthly = demand.get(product.pk)
        rows.append(
            CoverageRow(
                product_id=product.pk,
                product_name=str(product),
                category=product.get_category_display()
                if product.category
                else product.get_kind_display(),
                balance=balance,
                monthly=monthly,
                months=round(balance / monthly, 2) if monthly else None,
                required=product.required_months,
                scenario_months=round(balance / scenario_monthly, 2) if scenario_monthly else None,
            )
        )
    return rows


def scenarios() -> list[str]:
    return list(
        ScenarioDemand.objects.order_by("scenario_title")
        .values_list("scenario_title", flat=True)
        .distinct()
    )
