"""Public alerts in OASIS CAP 1.2 with multilingual info blocks (Meld. St. 5 (2023–2024) 3.2:
public communication must reach everyone)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel


class PublicAlert(TrackedModel):
    crisis = models.ForeignKey("operations.Crisis", on_delete=models.CASCADE, related_name="alerts")
    identifier = models.CharField(max_length=120, unique=True)
    sender = models.CharField(max_length=120)
    sent = models.DateTimeField()
    status = models.CharField(max_length=10)
    msg_type = models.CharField(max_length=10)
    references = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    category = models.CharField(max_length=10, default="Health")
    event = models.CharField(max_length=200, verbose_name=_("hendelse"))
    urgency = models.CharField(max_length=10)
    severity = models.CharField(max_length=10)
    certainty = models.CharField(max_length=10)
    expires = models.DateTimeField(null=True, blank=True)
    municipalities = models.ManyToManyField("core.Municipality", related_name="+")
    note = models.CharField(max_length=300, blank=True)
    xml = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent"]

    def __str__(self) -> str:
        return self.identifier


class AlertInfo(models.Model):
    alert = models.ForeignKey(PublicAlert, on_delete=models.CASCADE, related_name="infos")
    language = models.CharField(max_length=10)
    headline = models.CharField(max_length=160)
    description = models.TextField()
    instruction = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.language}: {self.headline}"
