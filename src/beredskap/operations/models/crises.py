"""Crises, their level on the crisis spectrum, activation of bodies, liaisons, crisis roles
and the crisis log (Meld. St. 5 (2023–2024) 2.2.1 and 3.1).

A crisis can run as an exercise (`is_exercise`): every record in it is marked ØVELSE and
its figures are never counted together with real crises.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel
from beredskap.core.classification import Classification
from beredskap.core.riskareas import RiskArea


class CrisisLevel(models.TextChoices):
    """The crisis spectrum of the white paper: normal – heightened preparedness – crisis – war."""

    NORMAL = "normal", _("Normal")
    HEIGHTENED = "heightened", _("Skjerpet beredskap")
    CRISIS = "crisis", _("Krise")
    WAR = "war", _("Krig")


class CrisisPhase(models.TextChoices):
    """Incident life-cycle phases (EDXL-SitRep incidentLifecyclePhase)."""

    PREPAREDNESS = "preparedness", _("Beredskap")
    RESPONSE = "response", _("Håndtering")
    MITIGATION = "mitigation", _("Skadebegrensning")
    RECOVERY = "recovery", _("Normalisering")


class CrisisStatus(models.TextChoices):
    OPEN = "open", _("Pågår")
    CLOSED = "closed", _("Avsluttet")


class Crisis(ProtectedModel):
    """A crisis (or an exercise run as one) coordinated in the tool."""

    DEFAULT_CLASSIFICATION = Classification.BEGRENSET

    name = models.CharField(max_length=200, verbose_name=_("navn"))
    risk_area = models.CharField(
        max_length=20, choices=RiskArea.choices, verbose_name=_("risikoområde")
    )
    crisis_type = models.CharField(max_length=120, verbose_name=_("type hendelse"))
    counties = models.ManyToManyField(
        "core.County",
        blank=True,
        related_name="+",
        verbose_name=_("berørte fylker"),
        help_text=_("Tomt betyr hele landet."),
    )
    started_at = models.DateTimeField(verbose_name=_("start"))
    level = models.CharField(
        max_length=12,
        choices=CrisisLevel.choices,
        default=CrisisLevel.CRISIS,
        verbose_name=_("nivå"),
    )
    phase = models.CharField(
        max_length=14,
        choices=CrisisPhase.choices,
        default=CrisisPhase.RESPONSE,
        verbose_name=_("fase"),
    )
    lead_ministry = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig departement"),
    )
    is_exercise = models.BooleanField(default=False, verbose_name=_("øvelse"))
    status = models.CharField(max_length=8, choices=CrisisStatus.choices, default=CrisisStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    evaluation_ref = models.CharField(max_length=100, blank=True, verbose_name=_("evaluering"))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("krise")
        verbose_name_plural = _("kriser")

    def __str__(self) -> str:
        return f"ØVELSE – {self.name}" if self.is_exercise else self.name

    @property
    def is_open(self) -> bool:
        return self.status == CrisisStatus.OPEN


class CrisisLogEntry(models.Model):
    """One entry of the crisis log: when it happened and when it was recorded. A correction is a new
    entry pointing at the original, which is kept (nothing lost: the log is evidence afterwards)."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="log_entries")
    occurred_at = models.DateTimeField(verbose_name=_("tidspunkt hendelse"))
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("registrert"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, default="note")
    text = models.TextField(verbose_name=_("logg"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class BodyActivation(TrackedModel):
    """A body (council, committee, expert group) activated for a crisis, with its reporting line."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="activations")
    body = models.ForeignKey("actors.Body", on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField()
    deactivated_at = models.DateTimeField(null=True, blank=True)
    reports_to = models.ForeignKey(
        "actors.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rapporterer til"),
    )
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["activated_at"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "body"], name="activation_once_per_crisis")
        ]

    def __str__(self) -> str:
        return f"{self.body} ({self.crisis})"


class Competence(models.TextChoices):
    """Competences of the advisory expert group (Meld. St. 5 (2023–2024) 2.2.1)."""

    MEDICAL = "medical", _("Medisin")
    HEALTH_ECONOMICS = "health_economics", _("Helseøkonomi")
    ECONOMICS = "economics", _("Samfunnsøkonomi")
    LAW = "law", _("Juss")
    ETHICS = "ethics", _("Etikk")
    MODELLING = "modelling", _("Modellering")


class ExpertGroupMember(TrackedModel):
    activation = models.ForeignKey(BodyActivation, on_delete=models.CASCADE, related_name="experts")
    name = models.CharField(max_length=200, verbose_name=_("navn"))
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    competence = models.CharField(
        max_length=20, choices=Competence.choices, verbose_name=_("kompetanse")
    )
    subgroup = models.CharField(
        max_length=100, blank=True, verbose_name=_("undergruppe (modellering)")
    )

    class Meta:
        ordering = ["competence", "name"]


class Liaison(TrackedModel):
    """A liaison from an organisation placed in the secretariat for the crisis."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="liaisons")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    placed_in = models.ForeignKey("actors.Body", on_delete=models.PROTECT, related_name="+")
    from_at = models.DateTimeField()
    until_at = models.DateTimeField(null=True, blank=True)


class CrisisRole(models.TextChoices):
    LEADER = "leader", _("Kriseleder")
    LOG_KEEPER = "log_keeper", _("Loggfører")
    LIAISON = "liaison", _("Kontaktperson")
    COMMUNICATIONS = "communications", _("Kommunikasjon")


class CrisisRoleAssignment(TrackedModel):
    """Who holds a crisis role in an organisation's staff; a hand-over ends one and starts the
    next."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=16, choices=CrisisRole.choices)
    person = models.ForeignKey("actors.Person", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    handover_note = models.TextField(blank=True)

    class Meta:
        ordering = ["organisation", "role", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "organisation", "role"],
                condition=models.Q(ended_at=None),
                name="one_current_holder_per_role",
            ),
        ]
