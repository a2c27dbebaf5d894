"""Public alerts in OASIS CAP 1.2 with multilingual info blocks (Meld. St. 5 (2023–2024) 3.2:
public communication must reach everyone)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel

CAP_CATEGORIES = [
    ("Health", _("Helse")),
    ("Safety", _("Sikkerhet")),
    ("Security", _("Samfunnssikkerhet")),
    ("Env", _("Miljø")),
    ("Infra", _("Infrastruktur")),
    ("CBRNE", _("CBRNE")),
    ("Other", _("Annet")),
]
CAP_URGENCY = [
    ("Immediate", _("Umiddelbart")),
    ("Expected", _("Innen kort tid")),
    ("Future", _("På sikt")),
    ("Past", _("Ikke lenger aktuelt")),
    ("Unknown", _("Ukjent")),
]
CAP_SEVERITY = [
    ("Extreme", _("Ekstrem")),
    ("Severe", _("Alvorlig")),
    ("Moderate", _("Moderat")),
    ("Minor", _("Liten")),
    ("Unknown", _("Ukjent")),
]
CAP_CERTAINTY = [
    ("Observed", _("Observert")),
    ("Likely", _("Sannsynlig")),
    ("Possible", _("Mulig")),
    ("Unlikely", _("Lite sannsynlig")),
    ("Unknown", _("Ukjent")),
]


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
    web = models.URLField(max_length=300, blank=True, verbose_name=_("lenke til mer informasjon"))
    xml = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent"]

    def __str__(self) -> str:
        return self.identifier

    def in_force(self, now: Any = None) -> bool:
        """Published, not expired, not cancelled or replaced by a later message (CAP 1.2
        §3.2.1: an Update or Cancel supersedes the message it references)."""
        from django.utils import timezone

        now = now or timezone.now()
        if self.msg_type == "Cancel" or (self.expires and self.expires <= now):
            return False
        return not self.followups.exists()


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
