"""Stockpiles: products, stock locations, an append-only movement ledger, consumption.

White paper 4.3: national stockpiles of medicines and PPE; every health and care
institution holds six months of normal PPE consumption; stock contents are "dynamic and
based on risk and vulnerability analyses". Holdings are never stored: the balance of a
location, product and lot is always the sum of its movements, so it can be explained.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel

PPE_REQUIREMENT_MONTHS = 6  # white paper 4.3: six months of normal consumption


class ProductKind(models.TextChoices):
    MEDICINE = "medicine", _("Legemiddel")
    PPE = "ppe", _("Smittevernutstyr (PPE)")
    DEVICE = "device", _("Medisinsk utstyr")


class ProductCategory(models.TextChoices):
    NONE = "", _("—")
    RESPIRATOR = "respirator", _("Åndedrettsvern (FFP2/FFP3)")
    SURGICAL_MASK = "surgical_mask", _("Kirurgisk munnbind")
    GLOVES = "gloves", _("Hansker")
    GOWNS = "gowns", _("Smittefrakker")
    EYE_PROTECTION = "eye", _("Øyebeskyttelse/visir")
    VENTILATOR_SUPPLIES = "vent_supplies", _("Forbruksmateriell respirator")
    INFUSION = "infusion", _("Infusjonsutstyr")
    OTHER = "other", _("Annet")


class Product(TrackedModel):
    """A stocked product: a medicine by ATC code, strength and form, or PPE/device by category."""

    name = models.CharField(max_length=200, verbose_name=_("navn"))
    kind = models.CharField(max_length=10, choices=ProductKind.choices, verbose_name=_("type"))
    atc_code = models.CharField(max_length=7, blank=True, verbose_name=_("ATC-kode"))
    strength = models.CharField(max_length=60, blank=True, verbose_name=_("styrke"))
    form = models.CharField(max_length=60, blank=True, verbose_name=_("legemiddelform"))
    category = models.CharField(
        max_length=20, choices=ProductCategory.choices, blank=True, verbose_name=_("kategori")
    )
    unit = models.CharField(max_length=30, default="stk", verbose_name=_("enhet"))
    requirement_months = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, verbose_name=_("krav (måneder)")
    )
    national_monthly_consumption = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("normalforbruk nasjonalt per måned")
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "strength", "form"], name="product_unique")
        ]
        verbose_name = _("produkt")
        verbose_name_plural = _("produkter")

    def __str__(self) -> str:
        return " ".join(p for p in (self.name, self.strength, self.form) if p)

    @property
    def required_months(self) -> float | None:
        """PPE: six months (white paper 4.3) unless set; others only when set."""
        if self.requirement_months is not None:
            return float(self.requirement_months)
        return float(PPE_REQUIREMENT_MONTHS) if self.kind == ProductKind.PPE else None


class StockLocationKind(models.TextChoices):
    NATIONAL = "national", _("Nasjonalt beredskapslager (RHF)")
    WHOLESALER = "wholesaler", _("Grossists rullerende lager")
    INSTITUTION = "institution", _("Institusjonens eget lager")


class StockLocation(ProtectedModel):
    """A place where stock is held, owned by an organisation (need-to-know applies)."""

    name = models.CharField(max_length=200, verbose_name=_("navn"))
    kind = models.CharField(
        max_length=12, choices=StockLocationKind.choices, verbose_name=_("type")
    )
    health_region = models.ForeignKey(
        "core.HealthRegion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("helseregion"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("lagersted")
        verbose_name_plural = _("lagersteder")

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Mottak")
    ISSUE = "issue", _("Uttak")
    TRANSFER_OUT = "transfer_out", _("Overføring ut")
    TRANSFER_IN = "transfer_in", _("Overføring inn")
    ADJUSTMENT = "adjustment", _("Varetelling/korreksjon")


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The stock ledger is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The stock ledger is append-only")


class StockMovement(models.Model):
    """One line of the append-only ledger; quantity is signed (receipts +, issues −)."""

    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="movements")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    quantity = models.IntegerField()
    lot = models.CharField(max_length=60, verbose_name=_("parti/lot"))
    expires_on = models.DateField(null=True, blank=True, verbose_name=_("utløpsdato"))
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=200, blank=True, verbose_name=_("referanse"))
    transfer_id = models.UUIDField(null=True, blank=True, default=None)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["location", "product", "lot"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.product}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The stock ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):
        raise PermissionError("The stock ledger is append-only")

    @staticmethod
    def new_transfer_id() -> uuid.UUID:
        return uuid.uuid4()


class ConsumptionRate(TrackedModel):
    """Normal consumption of a product per month at a location."""

    location = models.ForeignKey(
        StockLocation, on_delete=models.CASCADE, related_name="consumption"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="consumption")
    monthly_quantity = models.PositiveIntegerField(verbose_name=_("normalforbruk per måned"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "product"], name="consumption_unique")
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.product} {self.monthly_quantity}/mnd"


class ScenarioDemand(TrackedModel):
    """A scenario's expected monthly demand for a product (planning link kept loose)."""

    scenario_id = models.PositiveIntegerField(null=True, blank=True)
    scenario_title = models.CharField(max_length=200, verbose_name=_("scenario"))
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="scenario_demand")
    monthly_quantity = models.PositiveIntegerField(verbose_name=_("behov per måned i scenarioet"))

    class Meta:
        ordering = ["scenario_title"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario_title", "product"], name="scenario_demand_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_title}: {self.product}"
