"""The forecast chosen for a crisis: simulation runs the crisis staff attach (white paper 2.2.1:
the modelling groups support the crisis staff; 3.1: one shared picture).

An analyst's new run changes nothing in the crisis until staff attach it. An attachment keeps
who attached it, when and why; detaching sets who, when and why it ended, so the record and the
change log keep the history. The run is referred to by its id (operations does not depend on
the modelling app being installed); its content is read through the viewer's own visible set.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel


class CrisisForecast(TrackedModel):
    crisis = models.ForeignKey(
        "operations.Crisis", on_delete=models.CASCADE, related_name="forecasts"
    )
    run_id = models.PositiveBigIntegerField(verbose_name=_("simuleringskjøring"))
    reason = models.CharField(max_length=500, verbose_name=_("begrunnelse"))
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(verbose_name=_("knyttet til"))
    detached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("fjernet"))
    detach_reason = models.CharField(
        max_length=500, blank=True, verbose_name=_("begrunnelse for å fjerne")
    )

    class Meta:
        ordering = ["-attached_at", "-id"]
        verbose_name = _("prognose for krisen")
        verbose_name_plural = _("prognoser for krisen")
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "run_id"],
                condition=models.Q(detached_at=None),
                name="forecast_attached_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.crisis_id}: {self.run_id}"

    @property
    def is_current(self) -> bool:
        return self.detached_at is None
