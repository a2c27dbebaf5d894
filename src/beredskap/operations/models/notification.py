"""Notification (varsling) with required acknowledgement, a delivery record per recipient and
channel, and escalation along the organisation's contact points in their order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel
from beredskap.core.classification import Classification


class DistributionList(TrackedModel):
    """A named list of organisations to notify together."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("navn"))
    organisations = models.ManyToManyField("actors.Organisation", related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notification(TrackedModel):
    """A message sent to organisations; acknowledgement may be required within a set time."""

    crisis = models.ForeignKey(
        "operations.Crisis", on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    text = models.TextField(verbose_name=_("melding"))
    classification = models.PositiveSmallIntegerField(
        choices=Classification.choices, default=Classification.UGRADERT
    )
    requires_ack = models.BooleanField(default=True, verbose_name=_("krever kvittering"))
    ack_within_minutes = models.PositiveIntegerField(
        default=30, verbose_name=_("kvittering innen (minutter)")
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.title


class NotificationRecipient(models.Model):
    """One organisation's copy of a notification: delivery, acknowledgement, escalation."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="recipients"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    #: 0 = the organisation's members; k = its k-th contact point (escalation order).
    escalation_step = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "organisation"], name="recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.organisation_id}"

    def ack_deadline(self):
        """The deadline of the current step: the first from sending, each escalation restarts it."""
        from datetime import timedelta

        start = self.escalated_at or self.notification.sent_at
        return start + timedelta(minutes=self.notification.ack_within_minutes)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feilet")
    ACKNOWLEDGED = "acknowledged", _("Kvittert")
    ESCALATED = "escalated", _("Eskalert")


class Delivery(models.Model):
    """The delivery of a notification to one address through one channel: its status is what
    the channel answered (a mail or SMS server's refusal is kept as the reason), retried with
    backoff while the failure is temporary."""

    recipient = models.ForeignKey(
        NotificationRecipient, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=20)
    address = models.CharField(max_length=254, blank=True)
    escalation = models.BooleanField(default=False)
    step = models.PositiveSmallIntegerField(default=0)
    contact_label = models.CharField(max_length=160, blank=True)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.address} {self.status}"
