"""Blood preparedness: inventories by component and ABO/RhD group, and counts of donors
available for emergency call-up ("walking blood banks") per region — counts only, never
donor identities (NITO's input to the white paper; donor identities stay with the blood bank)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel


class BloodComponent(models.TextChoices):
    RED_CELLS = "red_cells", _("Erytrocyttkonsentrat")
    PLATELETS = "platelets", _("Trombocyttkonsentrat")
    PLASMA = "plasma", _("Plasma")


class BloodGroup(models.TextChoices):
    O_NEG = "O-", "O RhD−"
    O_POS = "O+", "O RhD+"
    A_NEG = "A-", "A RhD−"
    A_POS = "A+", "A RhD+"
    B_NEG = "B-", "B RhD−"
    B_POS = "B+", "B RhD+"
    AB_NEG = "AB-", "AB RhD−"
    AB_POS = "AB+", "AB RhD+"


class BloodInventoryReport(ProtectedModel):
    """A blood bank's inventory at one moment (owner: the hospital trust running it)."""

    blood_bank = models.CharField(max_length=200, verbose_name=_("blodbank"))
    reported_at = models.DateTimeField(db_index=True, verbose_name=_("tidspunkt"))

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("blodbeholdning")
        verbose_name_plural = _("blodbeholdninger")

    def __str__(self) -> str:
        return f"{self.blood_bank} {self.reported_at:%Y-%m-%d}"


class BloodCount(models.Model):
    report = models.ForeignKey(
        BloodInventoryReport, on_delete=models.CASCADE, related_name="counts"
    )
    component = models.CharField(max_length=12, choices=BloodComponent.choices)
    group = models.CharField(max_length=3, choices=BloodGroup.choices)
    units = models.PositiveIntegerField(verbose_name=_("enheter"))
    daily_use = models.DecimalField(
        max_digits=7, decimal_places=1, verbose_name=_("normalt forbruk per døgn")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "component", "group"], name="bloodcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_component_display()} {self.group}: {self.units}"

    @property
    def days_of_supply(self) -> float | None:
        return float(self.units) / float(self.daily_use) if self.daily_use else None


class EmergencyDonorCount(ProtectedModel):
    """How many donors a region can call up in an emergency (a number, no identities)."""

    health_region = models.ForeignKey(
        "core.HealthRegion", on_delete=models.PROTECT, verbose_name=_("helseregion")
    )
    reported_at = models.DateTimeField(verbose_name=_("tidspunkt"))
    donors = models.PositiveIntegerField(verbose_name=_("givere tilgjengelig for nødinnkalling"))

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.health_region}: {self.donors}"
