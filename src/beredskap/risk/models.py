"""Risk and vulnerability analyses (ROS) of the health sector (white paper 2.2.1: a national
sector ROS at least every four years).

An analysis is owned by an organisation and covers a scope (the sector, a risk area, an
organisation or a municipality). It holds undesired events — intentional and unintentional
(samfunnssikkerhetsinstruksen, Meld. St. 5 (2023–2024) box 2.1 no. 2) — assessed with DSB's
probability and consequence classes; intentional acts also carry a value–threat–vulnerability
assessment in the NS 5832 style. Revisions are kept: a new revision starts as a copy and the
old one stays readable, marked superseded when the new one is approved.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel
from beredskap.core.classification import Classification
from beredskap.core.riskareas import RiskArea
from beredskap.risk import classes
from beredskap.risk.classes import Consequence, ConsequenceType, Probability, Uncertainty


class AnalysisScope(models.TextChoices):
    SECTOR = "sector", _("Sektoren (helhetlig ROS)")
    RISK_AREA = "risk_area", _("Risikoområde")
    ORGANISATION = "organisation", _("Virksomhet")
    MUNICIPALITY = "municipality", _("Kommune (helhetlig ROS)")


class AnalysisMethod(models.TextChoices):
    DSB_MUNICIPAL = "dsb_municipal", _("DSB-veileder for helhetlig ROS i kommunen")
    DSB_COUNTY = "dsb_county", _("DSB-veileder for fylkesROS")
    NS5814 = "ns5814", _("NS 5814 Krav til risikovurderinger")
    NS5832 = "ns5832", _("NS 5832 Sikringsrisikoanalyse")
    AKS = "aks", _("DSB Analyser av krisescenarioer")
    OTHER = "other", _("Annen metode")


class AnalysisStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    CONSULTATION = "consultation", _("På høring")
    APPROVED = "approved", _("Godkjent")
    SUPERSEDED = "superseded", _("Erstattet")


EDITABLE_STATUSES = (AnalysisStatus.DRAFT, AnalysisStatus.CONSULTATION)


class RosAnalysis(ProtectedModel):
    """A risk and vulnerability analysis with its acceptance criteria and revision cycle."""

    DEFAULT_CLASSIFICATION = Classification.BEGRENSET

    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    scope = models.CharField(max_length=20, choices=AnalysisScope.choices, verbose_name=_("omfang"))
    risk_area = models.CharField(
        max_length=20, choices=RiskArea.choices, blank=True, verbose_name=_("risikoområde")
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ros_analyses",
        verbose_name=_("kommune"),
    )
    method = models.CharField(
        max_length=20,
        choices=AnalysisMethod.choices,
        default=AnalysisMethod.DSB_MUNICIPAL,
        verbose_name=_("metode"),
    )
    summary = models.TextField(blank=True, verbose_name=_("sammendrag"))
    period_start = models.DateField(verbose_name=_("periode fra"))
    period_end = models.DateField(verbose_name=_("periode til"))
    status = models.CharField(
        max_length=20,
        choices=AnalysisStatus.choices,
        default=AnalysisStatus.DRAFT,
        verbose_name=_("status"),
    )
    approved_on = models.DateField(null=True, blank=True, verbose_name=_("godkjent dato"))
    approved_by = models.CharField(max_length=200, blank=True, verbose_name=_("godkjent av"))
    revision_cycle_years = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        verbose_name=_("revisjonssyklus (år)"),
        help_text=_("Den helhetlige ROS-en for sektoren revideres minst hvert fjerde år uansett."),
    )
    planned_revision_on = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("planlagt revisjon"),
        help_text=_("Valgfri tidligere revisjon; fristen beregnes ellers."),
    )
    acceptance_profile = models.JSONField(
        default=classes.default_profile, verbose_name=_("akseptkriterier")
    )
    acceptance_note = models.TextField(
        blank=True, verbose_name=_("begrunnelse for akseptkriteriene")
    )
    acceptance_meeting = models.ForeignKey(
        "actors.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("akseptkriteriene drøftet i møte"),
        help_text=_(
            "Møtet i Helseberedskapsrådet der kriteriene for akseptabel risiko ble drøftet."
        ),
    )
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revision",
        verbose_name=_("forrige revisjon"),
    )
    revision = models.PositiveSmallIntegerField(default=1, verbose_name=_("revisjon"))

    class Meta:
        ordering = ["-period_end", "title"]
        verbose_name = _("ROS-analyse")
        verbose_name_plural = _("ROS-analyser")

    def __str__(self) -> str:
        return f"{self.title} (rev. {self.revision})"

    @property
    def is_sector_comprehensive(self) -> bool:
        return self.scope == AnalysisScope.SECTOR

    @property
    def next_revision_due(self) -> date | None:
        """Computed, never typed, so it cannot drift from the approval date."""
        if self.status not in (AnalysisStatus.APPROVED,):
            return None
        return classes.next_revision_due(
            self.approved_on,
            sector_comprehensive=self.is_sector_comprehensive,
            cycle_years=self.revision_cycle_years,
            planned=self.planned_revision_on,
        )

    @property
    def is_overdue(self) -> bool:
        due = self.next_revision_due
        return due is not None and due < timezone.localdate()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def zone(self, probability: int, consequence: int) -> classes.Zone:
        return classes.classify(probability, consequence, self.acceptance_profile)


class EventNature(models.TextChoices):
    UNINTENTIONAL = "unintentional", _("Utilsiktet hendelse")
    INTENTIONAL = "intentional", _("Tilsiktet handling")


class ValueClass(models.IntegerChoices):
    LOW = 1, _("Lav")
    MEDIUM = 2, _("Middels")
    HIGH = 3, _("Høy")
    CRITICAL = 4, _("Kritisk")


class ThreatLevel(models.IntegerChoices):
    LOW = 1, _("Lav")
    MODERATE = 2, _("Moderat")
    HIGH = 3, _("Høy")
    VERY_HIGH = 4, _("Svært høy")


class Level3(models.IntegerChoices):
    LOW = 1, _("Lav")
    MEDIUM = 2, _("Middels")
    HIGH = 3, _("Høy")


def _range(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class UndesiredEvent(TrackedModel):
    """An undesired event of an analysis. Read through its analysis' visible set."""

    analysis = models.ForeignKey(RosAnalysis, on_delete=models.CASCADE, related_name="events")
    number = models.PositiveSmallIntegerField(verbose_name=_("nr."))
    title = models.CharField(max_length=200, verbose_name=_("hendelse"))
    risk_area = models.CharField(
        max_length=20, choices=RiskArea.choices, verbose_name=_("risikoområde")
    )
    nature = models.CharField(
        max_length=15,
        choices=EventNature.choices,
        default=EventNature.UNINTENTIONAL,
        verbose_name=_("type hendelse"),
    )
    description = models.TextField(
        blank=True, verbose_name=_("beskrivelse (hvor, når, varighet, omfang)")
    )
    causes = models.TextField(blank=True, verbose_name=_("årsaker"))
    existing_barriers = models.TextField(blank=True, verbose_name=_("eksisterende barrierer"))
    probability = models.PositiveSmallIntegerField(
        choices=Probability.choices,
        null=True,
        blank=True,
        validators=_range(1, 5),
        verbose_name=_("sannsynlighet"),
    )
    probability_rationale = models.TextField(
        blank=True, verbose_name=_("begrunnelse for sannsynlighet")
    )
    uncertainty = models.CharField(
        max_length=10,
        choices=Uncertainty.choices,
        default=Uncertainty.MEDIUM,
        verbose_name=_("usikkerhet / kunnskapsstyrke"),
    )
    knowledge_rationale = models.TextField(blank=True, verbose_name=_("begrunnelse for usikkerhet"))
    value_class = models.PositiveSmallIntegerField(
        choices=ValueClass.choices,
        null=True,
        blank=True,
        validators=_range(1, 4),
        verbose_name=_("verdi"),
    )
    threat_actor = models.CharField(max_length=200, blank=True, verbose_name=_("trusselaktør"))
    threat_level = models.PositiveSmallIntegerField(
        choices=ThreatLevel.choices,
        null=True,
        blank=True,
        validators=_range(1, 4),
        verbose_name=_("trusselnivå"),
    )
    vulnerability_level = models.PositiveSmallIntegerField(
        choices=Level3.choices,
        null=True,
        blank=True,
        validators=_range(1, 3),
        verbose_name=_("sårbarhet"),
    )

    class Meta:
        ordering = ["analysis", "number"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "number"], name="risk_event_number_unique")
        ]
        verbose_name = _("uønsket hendelse")
        verbose_name_plural = _("uønskede hendelser")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return f"H{self.number}"

    def consequence_of(self, kind: str) -> int | None:
        for row in self.consequences.all():
            if row.kind == kind:
                return row.level
        return None

    @property
    def worst_consequence(self) -> int | None:
        levels = [row.level for row in self.consequences.all()]
        return max(levels) if levels else None

    @property
    def security_risk(self) -> int | None:
        """NS 5832 style: value × threat × vulnerability as an ordinal 1–3 (low/medium/high)."""
        value, threat, weakness = self.value_class, self.threat_level, self.vulnerability_level
        if value is None or threat is None or weakness is None:
            return None
        score = value + threat + weakness
        return 3 if score >= 9 else 2 if score >= 6 else 1


class ConsequenceAssessment(TrackedModel):
    event = models.ForeignKey(UndesiredEvent, on_delete=models.CASCADE, related_name="consequences")
    kind = models.CharField(
        max_length=20, choices=ConsequenceType.choices, verbose_name=_("konsekvenstype")
    )
    level = models.PositiveSmallIntegerField(
        choices=Consequence.choices, validators=_range(1, 5), verbose_name=_("konsekvens")
    )
    rationale = models.TextField(blank=True, verbose_name=_("begrunnelse"))

    class Meta:
        ordering = ["event", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="risk_consequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event.code} {self.kind}={self.level}"


class Vulnerability(TrackedModel):
    event = models.ForeignKey(
        UndesiredEvent, on_delete=models.CASCADE, related_name="vulnerabilities"
    )
    description = models.TextField(verbose_name=_("sårbarhet"))
    level = models.PositiveSmallIntegerField(
        choices=Level3.choices,
        default=Level3.MEDIUM,
        validators=_range(1, 3),
        verbose_name=_("nivå"),
    )

    class Meta:
        ordering = ["event", "-level", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslått")
    DECIDED = "decided", _("Vedtatt")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Gjennomført")
    REJECTED = "rejected", _("Avvist")


class MeasureEffect(models.TextChoices):
    PROBABILITY = "probability", _("Reduserer sannsynlighet")
    CONSEQUENCE = "consequence", _("Reduserer konsekvens")
    BOTH = "both", _("Reduserer begge")


class Measure(TrackedModel):
    """A proposed risk-reducing measure with owner, due date, status and expected effect."""

    event = models.ForeignKey(UndesiredEvent, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(max_length=300, verbose_name=_("tiltak"))
    owner = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="risk_measures",
        verbose_name=_("ansvarlig"),
    )
    due_date = models.DateField(null=True, blank=True, verbose_name=_("frist"))
    status = models.CharField(
        max_length=15,
        choices=MeasureStatus.choices,
        default=MeasureStatus.PROPOSED,
        verbose_name=_("status"),
    )
    effect = models.CharField(
        max_length=15,
        choices=MeasureEffect.choices,
        default=MeasureEffect.BOTH,
        verbose_name=_("forventet effekt"),
    )
    effect_description = models.TextField(blank=True, verbose_name=_("beskrivelse av effekt"))

    class Meta:
        ordering = ["event", "due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        open_ = self.status not in (MeasureStatus.DONE, MeasureStatus.REJECTED)
        return open_ and self.due_date is not None and self.due_date < timezone.localdate()
