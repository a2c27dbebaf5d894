"""Contact points and named preparedness roles of an organisation.

Where an unacknowledged notification escalates: every organisation keeps a 24/7 contact point
(vakttelefon, functional e-mail, SMS number) in escalation order and names its
beredskapsansvarlig and kriseleder (Meld. St. 5 (2023–2024) 2.3 and the health preparedness
act § 2-2: each organisation must be reachable to lead its own part of a crisis).
Imported by ``models.py`` so the app's models are one import.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel


class ContactKind(models.TextChoices):
    DUTY_PHONE = "duty_phone", _("Vakttelefon")
    EMAIL = "email", _("Funksjonell e-post")
    SMS = "sms", _("SMS-nummer")


class ContactPoint(TrackedModel):
    """One way of reaching an organisation; the lowest `order` is tried first."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(max_length=12, choices=ContactKind.choices, verbose_name=_("type"))
    value = models.CharField(max_length=254, verbose_name=_("nummer eller adresse"))
    label = models.CharField(max_length=100, blank=True, verbose_name=_("beskrivelse"))
    order = models.PositiveSmallIntegerField(default=1, verbose_name=_("rekkefølge"))
    available_24_7 = models.BooleanField(default=True, verbose_name=_("døgnbemannet (24/7)"))

    class Meta:
        ordering = ["organisation", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "value"],
                name="contactpoint_once",
                violation_error_code="duplicate",
            )
        ]
        verbose_name = _("kontaktpunkt")
        verbose_name_plural = _("kontaktpunkter")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.get_kind_display()} {self.value}"

    @property
    def display_value(self) -> str:
        from beredskap.actors.phones import display_phone

        return self.value if self.kind == ContactKind.EMAIL else display_phone(self.value)


class ContactRoleKind(models.TextChoices):
    PREPAREDNESS_LEAD = "preparedness_lead", _("Beredskapsansvarlig")
    CRISIS_LEAD = "crisis_lead", _("Kriseleder")


class ContactRole(TrackedModel):
    """A named person in a preparedness role of her organisation (one person per role)."""

    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.CASCADE, related_name="contact_roles"
    )
    role = models.CharField(max_length=20, choices=ContactRoleKind.choices, verbose_name=_("rolle"))
    person = models.ForeignKey(
        "actors.Person", on_delete=models.CASCADE, related_name="contact_roles"
    )

    class Meta:
        ordering = ["organisation", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"],
                name="contactrole_once",
                violation_error_code="duplicate",
            )
        ]
        verbose_name = _("beredskapsrolle")
        verbose_name_plural = _("beredskapsroller")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person_id}"
