"""Beds and intensive care: facilities, common bed categories and time-stamped reports.

The white paper (Meld. St. 5 (2023–2024) 3.1) asks for a "regular and updated overview of
ICU capacity in normal operation and in preparedness situations", with the common bed
definitions of the regional health authorities' joint report (June 2022). The categories
below carry those definitions and map to the EDXL-HAVE bed types and the FHIR SANER
population codes (STANDARDS.md 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel


class FacilityKind(models.TextChoices):
    HOSPITAL = "hospital", _("Sykehus (helseforetak)")
    MUNICIPAL_EMERGENCY = "municipal", _("Kommunale akutte døgnplasser (KAD)")


class BedCategory(models.TextChoices):
    ICU_VENTILATOR = "icu_vent", _("Intensiv med respirator")
    ICU_NO_VENTILATOR = "icu_novent", _("Intensiv uten respirator")
    INTERMEDIATE = "intermediate", _("Intermediær/overvåkning")
    ISOLATION = "isolation", _("Isolat")
    GENERAL_WARD = "ward", _("Sengepost (somatikk)")
    EMERGENCY_DEPARTMENT = "ed", _("Akuttmottak")
    BURNS = "burns", _("Brannskade")
    PAEDIATRIC_ICU = "picu", _("Intensiv barn")


@dataclass(frozen=True)
class BedDefinition:
    """A common definition of a bed category and its mapping to the message standards."""

    definition: Any
    have_bed_type: str
    icu: bool = False


BED_DEFINITIONS: dict[str, BedDefinition] = {
    BedCategory.ICU_VENTILATOR: BedDefinition(
        _("Bemannet intensivseng for voksne der pasienten kan få invasiv respiratorbehandling."),
        "AdultICU",
        icu=True,
    ),
    BedCategory.ICU_NO_VENTILATOR: BedDefinition(
        _("Bemannet intensivseng for voksne uten kapasitet for invasiv respiratorbehandling."),
        "AdultICU-NoVentilator",
        icu=True,
    ),
    BedCategory.INTERMEDIATE: BedDefinition(
        _("Overvåkningsseng med kontinuerlig monitorering, lavere bemanning enn intensiv."),
        "Intermediate",
    ),
    BedCategory.ISOLATION: BedDefinition(
        _("Enerom med sluse/undertrykk for luftsmitte."), "NegativeFlowIsolation"
    ),
    BedCategory.GENERAL_WARD: BedDefinition(
        _("Ordinær bemannet seng på somatisk sengepost (medisin/kirurgi)."), "MedicalSurgical"
    ),
    BedCategory.EMERGENCY_DEPARTMENT: BedDefinition(
        _("Behandlingsplass i akuttmottak."), "EmergencyDepartment"
    ),
    BedCategory.BURNS: BedDefinition(
        _("Intensivseng for brannskadde; telles ikke i andre intensivtall."), "Burn"
    ),
    BedCategory.PAEDIATRIC_ICU: BedDefinition(
        _("Intensivseng for barn (17 år og yngre)."), "PediatricICU", icu=True
    ),
}

ICU_CATEGORIES = (BedCategory.ICU_VENTILATOR, BedCategory.ICU_NO_VENTILATOR)


class ReportSource(models.TextChoices):
    FORM = "form", _("Skjema")
    API = "api", _("API")
    EDXL_HAVE = "edxl_have", _("EDXL-HAVE 2.0")
    FHIR = "fhir", _("FHIR MeasureReport (SANER)")
    CSV = "csv", _("CSV/XLSX")


class Facility(TrackedModel):
    """A place with beds: a hospital of a trust, or a municipality's emergency beds. The
    register is open to every signed-in user; the reports carry the access rules."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("navn"))
    code = models.SlugField(max_length=60, unique=True, verbose_name=_("kode"))
    kind = models.CharField(max_length=20, choices=FacilityKind.choices, verbose_name=_("type"))
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("organisasjon"),
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("kommune"),
    )
    active = models.BooleanField(default=True, verbose_name=_("aktiv"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("enhet med senger")
        verbose_name_plural = _("enheter med senger")

    def __str__(self) -> str:
        return self.name

    @property
    def health_region_code(self) -> str | None:
        region = self.organisation.health_region
        return region.code if region else None


class BedReport(ProtectedModel):
    """One facility's status at one moment: beds per category, ventilators and ECMO."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="reports")
    reported_at = models.DateTimeField(db_index=True, verbose_name=_("tidspunkt"))
    source = models.CharField(
        max_length=12, choices=ReportSource.choices, default=ReportSource.FORM
    )
    surge_active = models.BooleanField(
        default=False,
        verbose_name=_("forsterket drift (beleggsøkning)"),
        help_text=_("Tillater belegg over bemannede senger."),
    )
    ventilators_total = models.PositiveIntegerField(
        default=0, verbose_name=_("respiratorer totalt")
    )
    ventilators_in_use = models.PositiveIntegerField(
        default=0, verbose_name=_("respiratorer i bruk")
    )
    ecmo_total = models.PositiveIntegerField(default=0, verbose_name=_("ECMO totalt"))
    ecmo_in_use = models.PositiveIntegerField(default=0, verbose_name=_("ECMO i bruk"))
    comment = models.CharField(max_length=500, blank=True, verbose_name=_("kommentar"))
    reported_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["facility", "-reported_at"])]
        constraints = [
            # one report per facility and instant: a second one is a resend, never a new picture
            models.UniqueConstraint(
                fields=["facility", "reported_at"],
                name="bedreport_one_per_instant",
                violation_error_code="duplicate",
            )
        ]
        verbose_name = _("senge­rapport")
        verbose_name_plural = _("sengerapporter")

    def __str__(self) -> str:
        return f"{self.facility} {self.reported_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        super().clean()
        if self.ventilators_in_use > self.ventilators_total:
            raise ValidationError(
                {"ventilators_in_use": _("Respiratorer i bruk kan ikke være flere enn totalt.")}
            )
        if self.ecmo_in_use > self.ecmo_total:
            raise ValidationError({"ecmo_in_use": _("ECMO i bruk kan ikke være flere enn totalt.")})


class BedCount(models.Model):
    """Beds of one category in one report (a child row: access through the report)."""

    report = models.ForeignKey(BedReport, on_delete=models.CASCADE, related_name="counts")
    category = models.CharField(max_length=20, choices=BedCategory.choices)
    staffed = models.PositiveIntegerField(verbose_name=_("bemannede senger"))
    physical = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("fysiske senger"),
        help_text=_("Senger som finnes, bemannet eller ikke (bemannet mot fysisk kapasitet)."),
    )
    occupied = models.PositiveIntegerField(verbose_name=_("belagte senger"))
    available = models.PositiveIntegerField(verbose_name=_("ledige senger"))
    surge_24h = models.PositiveIntegerField(default=0, verbose_name=_("økning innen 24 t"))
    surge_72h = models.PositiveIntegerField(default=0, verbose_name=_("økning innen 72 t"))

    class Meta:
        ordering = ["report", "category"]
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="bedcount_unique_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.occupied}/{self.staffed}"
