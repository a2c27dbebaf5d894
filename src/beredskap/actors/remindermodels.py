"""What happened to each address a reminder was sent to (DESIGN rule 12: never «sent» when it
reached nobody; show who was not reached and why)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliverySource(models.TextChoices):
    USER = "user", _("Bruker")
    CONTACT_POINT = "contact_point", _("Kontaktpunkt")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feilet")


class ReminderDelivery(models.Model):
    """One address of one reminder: sent (accepted by the mail server) or failed with its reason.
    Append-only."""

    reminder = models.ForeignKey(
        "actors.Reminder", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=20, default="email", verbose_name=_("kanal"))
    address = models.CharField(max_length=254, verbose_name=_("adresse"))
    source = models.CharField(max_length=20, choices=DeliverySource.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    error = models.CharField(max_length=300, blank=True, verbose_name=_("feil"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reminder", "status", "address"]
        verbose_name = _("levering av påminnelse")
        verbose_name_plural = _("leveringer av påminnelser")

    def __str__(self) -> str:
        return f"{self.address}: {self.status}"
