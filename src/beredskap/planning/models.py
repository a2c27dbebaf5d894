"""Scenarios, planning assumptions and preparedness plans (white paper 4.6: scenarios
dimension the plans).

Scenarios are derived from the undesired events of ROS analyses and dimension the
preparedness (Meld. St. 5 (2023–2024) 2.2.1: scenarios and common planning assumptions —
felles planforutsetninger — nationally, regionally and locally). Their quantitative demands
are typed and validated so the simulation engine can use them (`epidemic_parameters`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel
from beredskap.core.classification import Classification
from beredskap.core.riskareas import RiskArea
from beredskap.planning import rules
from beredskap.planning.rules import PlanType


def _between(low: float, high: float) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class ScenarioStatus(models.TextChoices):
    PLACEHOLDER = "placeholder", _("Plassholder – skal fylles ut")
    DRAFT = "draft", _("Utkast")
    UNDER_ASSESSMENT = "under_assessment", _("Under vurdering")
    APPROVED = "approved", _("Vedtatt")


class Scenario(ProtectedModel):
    """A dimensioning scenario with narrative, assumptions and typed quantitative demands."""

    DEFAULT_CLASSIFICATION = Classification.UGRADERT

    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    risk_area = models.CharField(
        max_length=20, choices=RiskArea.choices, verbose_name=_("risikoområde")
    )
    status = models.CharField(
        max_length=20,
        choices=ScenarioStatus.choices,
        default=ScenarioStatus.DRAFT,
        verbose_name=_("status"),
    )
    seed_key = models.CharField(max_length=60, unique=True, null=True, blank=True, editable=False)
    narrative = models.TextField(blank=True, verbose_name=_("hendelsesforløp"))
    assumptions = models.TextField(blank=True, verbose_name=_("forutsetninger"))
    duration_days = models.PositiveIntegerField(
        null=True, blank=True, validators=_between(1, 3650), verbose_name=_("varighet (dager)")
    )
    geography = models.CharField(max_length=300, blank=True, verbose_name=_("geografi"))
    counties = models.ManyToManyField(
        "core.County", blank=True, related_name="scenarios", verbose_name=_("fylker")
    )
    affected_functions = models.TextField(blank=True, verbose_name=_("berørte samfunnsfunksjoner"))
    source_events = models.ManyToManyField(
        "risk.UndesiredEvent",
        blank=True,
        related_name="scenarios",
        verbose_name=_("kildehendelser"),
    )
    # Demands on the health service (typed, validated).
    patients_total = models.PositiveIntegerField(
        null=True, blank=True, validators=_between(0, 6_000_000), verbose_name=_("pasienter totalt")
    )
    hospital_admissions = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=_between(0, 6_000_000),
        verbose_name=_("sykehusinnleggelser"),
    )
    icu_beds_peak = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=_between(0, 100_000),
        verbose_name=_("intensivsenger på topp"),
    )
    personnel_absence_share = models.FloatField(
        null=True,
        blank=True,
        validators=_between(0, 1),
        verbose_name=_("fravær blant personell (andel 0–1)"),
    )
    stock_consumption_factor = models.FloatField(
        null=True,
        blank=True,
        validators=_between(0, 100),
        verbose_name=_("forbruk av lager (ganger normalt)"),
    )
    water_affected_persons = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=_between(0, 6_000_000),
        verbose_name=_("personer uten trygt vann"),
    )
    water_outage_days = models.PositiveIntegerField(
        null=True, blank=True, validators=_between(0, 3650), verbose_name=_("dager uten trygt vann")
    )
    # Epidemic part (input to the simulation engine: Scenario.epidemic_parameters()).
    has_epidemic = models.BooleanField(default=False, verbose_name=_("har smittespredningsdel"))
    r0 = models.FloatField(
        null=True, blank=True, validators=_between(0.1, 20), verbose_name=_("R0")
    )
    latent_days = models.FloatField(
        null=True, blank=True, validators=_between(0.1, 60), verbose_name=_("latenstid (dager)")
    )
    infectious_days = models.FloatField(
        null=True,
        blank=True,
        validators=_between(0.1, 60),
        verbose_name=_("smittsom periode (dager)"),
    )
    sim_days = models.PositiveIntegerField(
        null=True, blank=True, validators=_between(1, 1095), verbose_name=_("simuleringsdager")
    )
    seed_exposed = models.PositiveIntegerField(
        default=0, validators=_between(0, 1_000_000), verbose_name=_("smittede ved start (latente)")
    )
    seed_infectious = models.PositiveIntegerField(
        default=10, validators=_between(0, 1_000_000), verbose_name=_("smittsomme ved start")
    )
    seed_municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("startkommune (tom = største)"),
    )
    ihr = models.FloatField(
        null=True,
        blank=True,
        validators=_between(0, 1),
        verbose_name=_("andel smittede innlagt (IHR)"),
    )
    icu_share = models.FloatField(
        null=True,
        blank=True,
        validators=_between(0, 1),
        verbose_name=_("andel innlagte på intensiv"),
    )

    EPIDEMIC_REQUIRED = ("r0", "latent_days", "infectious_days", "sim_days", "ihr", "icu_share")

    class Meta:
        ordering = ["risk_area", "title"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarioer")

    def __str__(self) -> str:
        return self.title

    def epidemic_parameters(self) -> dict[str, Any] | None:
        """Parameters for the simulation engine, or None without a complete epidemic part."""
        v: dict[str, Any] = {name: getattr(self, name) for name in self.EPIDEMIC_REQUIRED}
        if not self.has_epidemic or any(value is None for value in v.values()):
            return None
        return {
            "r0": float(v["r0"]),
            "latent_days": float(v["latent_days"]),
            "infectious_days": float(v["infectious_days"]),
            "days": int(v["sim_days"]),
            "seed_exposed": int(self.seed_exposed or 0),
            "seed_infectious": int(self.seed_infectious or 0),
            "seed_municipality": self.seed_municipality.number
            if self.seed_municipality_id
            else None,
            "ihr": float(v["ihr"]),
            "icu_share": float(v["icu_share"]),
            "personnel_absence": float(self.personnel_absence_share or 0.0),
        }


class AssumptionLevel(models.TextChoices):
    NATIONAL = "national", _("Nasjonal")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Lokal")


class PlanningAssumption(ProtectedModel):
    """A common planning assumption (felles planforutsetning) that plans must build on."""

    DEFAULT_CLASSIFICATION = Classification.UGRADERT

    statement = models.TextField(verbose_name=_("planforutsetning"))
    title = models.CharField(max_length=200, verbose_name=_("kort tittel"))
    level = models.CharField(max_length=10, choices=AssumptionLevel.choices, verbose_name=_("nivå"))
    scope = models.CharField(max_length=300, blank=True, verbose_name=_("gjelder for"))
    source_scenario = models.ForeignKey(
        Scenario,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assumptions_derived",
        verbose_name=_("kildescenario"),
    )
    valid_from = models.DateField(verbose_name=_("gyldig fra"))
    valid_until = models.DateField(null=True, blank=True, verbose_name=_("gyldig til"))
    required_plan_types = models.JSONField(
        default=list, blank=True, verbose_name=_("plantyper som skal bygge på den")
    )
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("publisert"))
    published_to = models.ManyToManyField(
        "actors.Organisation",
        blank=True,
        related_name="assumptions_received",
        verbose_name=_("publisert til"),
    )

    class Meta:
        ordering = ["level", "title"]
        verbose_name = _("planforutsetning")
        verbose_name_plural = _("planforutsetninger")

    def __str__(self) -> str:
        return self.title

    @property
    def is_valid_now(self) -> bool:
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)

    def required_plan_type_labels(self) -> list[str]:
        return [str(PlanType(t).label) for t in self.required_plan_types if t in PlanType.values]


class Plan(ProtectedModel):
    """A preparedness plan with computed review and exercise deadlines."""

    DEFAULT_CLASSIFICATION = Classification.UGRADERT

    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    plan_type = models.CharField(
        max_length=20, choices=PlanType.choices, verbose_name=_("plantype")
    )
    version_label = models.CharField(max_length=30, blank=True, verbose_name=_("versjon"))
    approved_on = models.DateField(null=True, blank=True, verbose_name=_("godkjent dato"))
    last_reviewed_on = models.DateField(null=True, blank=True, verbose_name=_("sist revidert"))
    review_cycle_years = models.PositiveSmallIntegerField(
        default=4, validators=_between(1, 10), verbose_name=_("revisjonssyklus (år)")
    )
    # A date once typed as «sist øvd»: shown as «oppgitt, ikke dokumentert», never counted.
    stated_exercised_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("oppgitt øvd (ikke dokumentert)")
    )
    exercise_cycle_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=_between(1, 10),
        verbose_name=_("øvingssyklus (år)"),
        help_text=_("Kommunens overordnede beredskapsplan øves minst annethvert år."),
    )
    scenarios = models.ManyToManyField(
        Scenario, blank=True, related_name="plans", verbose_name=_("scenarioer")
    )
    assumptions = models.ManyToManyField(
        PlanningAssumption, blank=True, related_name="plans", verbose_name=_("planforutsetninger")
    )
    attachment_ref = models.CharField(
        max_length=300, blank=True, verbose_name=_("vedlegg (arkivreferanse/lenke)")
    )

    class Meta:
        ordering = ["owner_org__name", "plan_type", "title"]
        verbose_name = _("beredskapsplan")
        verbose_name_plural = _("beredskapsplaner")

    def __str__(self) -> str:
        return self.title

    @property
    def municipal_owner(self) -> bool:
        from beredskap.actors.models import OrganisationKind

        return self.owner_org.kind == OrganisationKind.MUNICIPALITY

    @property
    def effective_exercise_cycle(self) -> int | None:
        return rules.exercise_cycle(
            self.plan_type,
            municipal_owner=self.municipal_owner,
            configured=self.exercise_cycle_years,
        )

    @property
    def next_review_due(self) -> date | None:
        return rules.next_review_due(
            self.approved_on, self.last_reviewed_on, self.review_cycle_years
        )

    @property
    def last_exercised_on(self) -> date | None:
        """The end of the latest completed exercise linked as testing this plan."""
        if not hasattr(self, "exercised_on"):
            from beredskap.planning.exercised import compute

            compute(self)
        return self.exercised_on

    @property
    def last_exercise_id(self) -> int | None:
        self.last_exercised_on  # noqa: B018 - fills the annotation when absent
        return self.exercised_by_id

    @property
    def next_exercise_due(self) -> date | None:
        return rules.next_exercise_due(
            self.approved_on, self.last_exercised_on, self.effective_exercise_cycle
        )

    @property
    def status(self) -> str:
        return rules.plan_status(
            approved_on=self.approved_on,
            review_due=self.next_review_due,
            exercise_due=self.next_exercise_due,
            today=timezone.localdate(),
        )

    def get_status_display(self) -> str:
        return str(rules.PlanStatus(self.status).label)


class RequirementStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Ikke vurdert")
    MET = "met", _("Oppfylt")
    PARTLY = "partly", _("Delvis oppfylt")
    NOT_MET = "not_met", _("Ikke oppfylt")


class RequirementAssessment(ProtectedModel):
    """One of the ten requirements of box 2.1 (samfunnssikkerhetsinstruksen) for one
    ministry or agency, with its evidence."""

    requirement = models.PositiveSmallIntegerField(
        validators=_between(1, 10), verbose_name=_("krav")
    )
    status = models.CharField(
        max_length=15,
        choices=RequirementStatus.choices,
        default=RequirementStatus.NOT_ASSESSED,
        verbose_name=_("status"),
    )
    evidence = models.TextField(blank=True, verbose_name=_("dokumentasjon"))
    evidence_url = models.URLField(blank=True, verbose_name=_("lenke til dokumentasjon"))
    assessed_on = models.DateField(null=True, blank=True, verbose_name=_("vurdert dato"))
    override_reason = models.TextField(
        blank=True,
        verbose_name=_("begrunnelse for overstyring"),
        help_text=_("Kreves når statusen settes manuelt på et krav som utledes fra postene."),
    )

    class Meta:
        ordering = ["owner_org", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_org", "requirement"], name="planning_requirement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_org} krav {self.requirement}"


class PlanAttachment(TrackedModel):
    """A file attached to a plan (the plan document itself, annexes). Its content lives in
    `PlanAttachmentContent` so the change log never holds the bytes. Read through the plan's
    visible set."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200, verbose_name=_("filnavn"))
    content_type = models.CharField(max_length=100, verbose_name=_("filtype"))
    size = models.PositiveIntegerField(verbose_name=_("størrelse (byte)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-created_at", "id"]
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return self.filename


class PlanAttachmentContent(models.Model):
    attachment = models.OneToOneField(
        PlanAttachment, on_delete=models.CASCADE, primary_key=True, related_name="content"
    )
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"content of attachment {self.attachment_id}"
