"""A security clearance (autorisasjon) as the security act records it.

Under sikkerhetsloven § 8-1 and the clearance regulation (klareringsforskriften) an
autorisasjon is granted by an authorising official (autorisasjonsansvarlig) for one person, one
level and a period, on a recorded legal basis. It is not a role: the organisation's security
officer registers the decision here, and the person's effective clearance is computed from the
record — after the expiry date she reads only UGRADERT.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel
from beredskap.core.classification import Classification


class Clearance(TrackedModel):
    """One registered authorisation decision; the newest one for a user is in force."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearances"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="clearances"
    )
    level = models.PositiveSmallIntegerField(choices=Classification.choices, verbose_name=_("nivå"))
    valid_from = models.DateField(default=timezone.localdate, verbose_name=_("gyldig fra"))
    valid_until = models.DateField(verbose_name=_("gyldig til"))
    legal_basis = models.CharField(max_length=300, verbose_name=_("hjemmel"))
    authorising_official = models.CharField(
        max_length=200, verbose_name=_("autorisasjonsansvarlig")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("trukket tilbake"))

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("autorisasjon")
        verbose_name_plural = _("autorisasjoner")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_level_display()} til {self.valid_until}"

    @property
    def lapsed(self) -> bool:
        return self.withdrawn_at is not None or self.valid_until < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.valid_until - timezone.localdate()).days
