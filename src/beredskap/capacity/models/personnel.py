"""Personnel counts per organisation and the reserve personnel registry (white paper 3.1:
competence mapping and a "better overview of reserve personnel that can be mobilised" —
retired health personnel, personnel outside the public service, students).

The registry holds personal data: each volunteer registers themselves with explicit,
withdrawable consent; only the data needed to find and call them is kept (data
minimisation); a registration not re-confirmed within 12 months is removed (retention).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel

RETENTION = timedelta(days=365)  # re-confirm every 12 months or be removed
CONSENT_TEXT_VERSION = "2024-1"


class Profession(models.TextChoices):
    ICU_NURSE = "icu_nurse", _("Intensivsykepleier")
    ANAESTHETIC_NURSE = "anaesthetic_nurse", _("Anestesisykepleier")
    ANAESTHETIST = "anaesthetist", _("Anestesilege")
    PHYSICIAN = "physician", _("Lege")
    NURSE = "nurse", _("Sykepleier")
    BIOENGINEER = "bioengineer", _("Bioingeniør")
    PARAMEDIC = "paramedic", _("Paramedisiner/ambulansearbeider")
    PHARMACIST = "pharmacist", _("Farmasøyt")
    MEDTECH = "medtech", _("Medisinteknisk personell")
    ICT_SECURITY = "ict_security", _("IKT-sikkerhet")
    HEALTH_WORKER = "health_worker", _("Helsefagarbeider")
    OTHER = "other", _("Annet")


class PersonnelReport(ProtectedModel):
    """An organisation's staffing at one moment, by profession (counts only)."""

    reported_at = models.DateTimeField(db_index=True, verbose_name=_("tidspunkt"))

    class Meta:
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.owner_org} {self.reported_at:%Y-%m-%d}"


class PersonnelCount(models.Model):
    report = models.ForeignKey(PersonnelReport, on_delete=models.CASCADE, related_name="counts")
    profession = models.CharField(max_length=20, choices=Profession.choices)
    count = models.PositiveIntegerField(verbose_name=_("antall"))
    absent = models.PositiveIntegerField(default=0, verbose_name=_("fravær (antall)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "profession"], name="personnelcount_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_profession_display()}: {self.count}"

    @property
    def absence_rate(self) -> float:
        return self.absent / self.count if self.count else 0.0


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Tilgjengelig")
    LIMITED = "limited", _("Begrenset")
    UNAVAILABLE = "unavailable", _("Ikke tilgjengelig")


class ContactPreference(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")


hpr_validator = RegexValidator(r"^\d{7,9}$", _("HPR-nummer har 7–9 sifre."))


class ReserveVolunteer(TrackedModel):
    """A person in the reserve registry: only what is needed to find and call them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reserve"
    )
    profession = models.CharField(max_length=20, choices=Profession.choices, verbose_name=_("yrke"))
    hpr_number = models.CharField(
        max_length=9, blank=True, validators=[hpr_validator], verbose_name=_("HPR-nummer")
    )
    specialities = models.CharField(
        max_length=300, blank=True, verbose_name=_("spesialiteter/kompetanse")
    )
    health_region = models.ForeignKey(
        "core.HealthRegion", on_delete=models.PROTECT, verbose_name=_("helseregion")
    )
    willing_to_travel = models.BooleanField(
        default=False, verbose_name=_("kan reise til andre regioner")
    )
    availability = models.CharField(
        max_length=12,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
        verbose_name=_("tilgjengelighet"),
    )
    available_from = models.DateField(null=True, blank=True, verbose_name=_("tilgjengelig fra"))
    available_until = models.DateField(null=True, blank=True, verbose_name=_("tilgjengelig til"))
    contact_preference = models.CharField(
        max_length=6,
        choices=ContactPreference.choices,
        default=ContactPreference.SMS,
        verbose_name=_("kontaktform"),
    )
    phone = models.CharField(max_length=20, blank=True, verbose_name=_("telefon"))
    consent_given_at = models.DateTimeField(verbose_name=_("samtykke gitt"))
    consent_version = models.CharField(max_length=20, default=CONSENT_TEXT_VERSION)
    confirmed_at = models.DateTimeField(verbose_name=_("sist bekreftet"))

    class Meta:
        ordering = ["profession", "id"]
        verbose_name = _("reservepersonell")
        verbose_name_plural = _("reservepersonell")

    def __str__(self) -> str:
        return f"{self.get_profession_display()} #{self.pk}"

    @property
    def classification(self) -> int:
        """Personal data: reads are audited like a BEGRENSET record (personopplysningsloven /
        GDPR art. 5: who saw a person's data)."""
        return 1

    @property
    def reconfirm_by(self):
        return self.confirmed_at + RETENTION

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) > self.reconfirm_by
