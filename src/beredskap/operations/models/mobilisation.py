"""Mobilisation of reserve personnel as a conversation: each named person is asked, and only
her acceptance makes a deployment (Meld. St. 5 (2023–2024) 3.1: reserve personnel that can be
mobilised; the registration is voluntary, so is each deployment)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel


class MobilisationStatus(models.TextChoices):
    ASKED = "asked", _("Spurt, venter på svar")
    ACCEPTED = "accepted", _("Takket ja")
    DECLINED = "declined", _("Takket nei")
    EXPIRED = "expired", _("Ikke svart innen fristen")
    CANCELLED = "cancelled", _("Trukket tilbake")


class MobilisationRequest(TrackedModel):
    """One reserve person asked to fill one allocation line, with her answer and what each
    channel answered when she was asked."""

    line = models.ForeignKey(
        "operations.AllocationLine", on_delete=models.CASCADE, related_name="mobilisations"
    )
    reserve = models.ForeignKey(
        "capacity.ReserveVolunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reserve_label = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=MobilisationStatus.choices, default=MobilisationStatus.ASKED
    )
    asked_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(verbose_name=_("svarfrist"))
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, verbose_name=_("merknad"))
    deliveries = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reserve"],
                condition=models.Q(status="asked"),
                name="one_open_mobilisation_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reserve_label}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == MobilisationStatus.ASKED
