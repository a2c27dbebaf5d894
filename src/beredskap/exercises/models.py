"""Exercises, incidents, evaluations, learning points and their actions.

Meld. St. 5 (2023–2024) box 2.1 point 7b: a multi-year strategic exercise plan that states the
purpose, time, form and participants of each exercise; point 8 and 2.2.1: every incident and
exercise is evaluated, and follow-up "is not finished until all points in the action plan are
satisfactorily followed up". Exercise forms follow HSEEP / DSB (STANDARDS.md 5.1, 5.3).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel
from beredskap.core.riskareas import RiskArea
from beredskap.exercises.feedkeys import CalendarFeedKey  # noqa: F401  (a model of this app)
from beredskap.exercises.jobs import BackgroundJob
from beredskap.exercises.rules import OPEN_ACTION_STATES, is_overdue


class ExerciseType(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Arbeidsmøte (workshop)")
    TABLETOP = "tabletop", _("Diskusjonsøvelse (tabletop)")
    DRILL = "drill", _("Drill / funksjonsøvelse")
    FUNCTIONAL = "functional", _("Spilløvelse / stabsøvelse")
    FULL_SCALE = "full_scale", _("Fullskalaøvelse")


DISCUSSION_BASED = {ExerciseType.SEMINAR, ExerciseType.WORKSHOP, ExerciseType.TABLETOP}


class ExerciseStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    PREPARED = "prepared", _("Forberedt")
    CONDUCTED = "conducted", _("Gjennomført")
    EVALUATED = "evaluated", _("Evaluert")
    CLOSED = "closed", _("Lukket")


STATUS_ORDER = list(ExerciseStatus.values)


class ExercisePlan(ProtectedModel):
    """The multi-year strategic exercise plan (box 2.1 point 7b)."""

    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    period_start = models.PositiveSmallIntegerField(verbose_name=_("fra år"))
    period_end = models.PositiveSmallIntegerField(verbose_name=_("til år"))
    goals = models.TextField(blank=True, verbose_name=_("mål"))
    coordination = models.TextField(
        blank=True, verbose_name=_("samordning med andre departementers planer")
    )
    feed_token = models.CharField(max_length=64, unique=True, verbose_name=_("kalendernøkkel"))

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("øvingsplan")
        verbose_name_plural = _("øvingsplaner")

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start}–{self.period_end})"


class Exercise(ProtectedModel):
    """An exercise in the plan, or a real incident evaluated the same way (`is_incident`)."""

    plan = models.ForeignKey(
        ExercisePlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exercises",
        verbose_name=_("øvingsplan"),
    )
    is_incident = models.BooleanField(default=False, verbose_name=_("reell hendelse"))
    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    exercise_type = models.CharField(
        max_length=12, choices=ExerciseType.choices, blank=True, verbose_name=_("øvingsform")
    )
    purpose = models.TextField(blank=True, verbose_name=_("hensikt"))
    scenario = models.TextField(blank=True, verbose_name=_("scenario"))
    risk_area = models.CharField(
        max_length=20,
        choices=RiskArea.choices,
        default=RiskArea.GENERAL,
        verbose_name=_("risikoområde"),
    )
    starts_on = models.DateField(verbose_name=_("startdato"))
    ends_on = models.DateField(verbose_name=_("sluttdato"))
    location = models.CharField(max_length=200, blank=True, verbose_name=_("sted"))
    status = models.CharField(
        max_length=10,
        choices=ExerciseStatus.choices,
        default=ExerciseStatus.PLANNED,
        verbose_name=_("status"),
    )
    participating_orgs = models.ManyToManyField(
        "actors.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("deltakende organisasjoner"),
    )
    source_crisis_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("krise"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "title"]
        constraints = [
            # a crisis is evaluated once (box 2.1 point 8); exercises without a crisis are many
            models.UniqueConstraint(
                fields=["source_crisis_id"],
                condition=models.Q(source_crisis_id__isnull=False),
                name="exercise_one_per_source_crisis",
                violation_error_code="duplicate",
            )
        ]
        verbose_name = _("øvelse")
        verbose_name_plural = _("øvelser")

    def __str__(self) -> str:
        return self.title

    @property
    def category_label(self) -> str:
        if self.is_incident:
            return str(_("Reell hendelse"))
        if self.exercise_type in DISCUSSION_BASED:
            return str(_("Diskusjonsbasert"))
        return str(_("Operasjonsbasert"))


class ParticipantKind(models.TextChoices):
    HEALTH = "health", _("Helse- og omsorgssektoren")
    CROSS_SECTOR = "cross_sector", _("Andre sektorer")
    VOLUNTARY = "voluntary", _("Frivillig organisasjon")
    BUSINESS = "business", _("Næringsliv")
    MILITARY = "military", _("Forsvaret")
    NORDIC = "nordic", _("Nordisk")
    NATO_EU = "nato_eu", _("NATO / EU")
    OTHER = "other", _("Annet")


class Participant(TrackedModel):
    """A participant: a registered organisation or a free-text name (voluntary, Nordic, NATO …)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True, verbose_name=_("navn"))
    kind = models.CharField(
        max_length=14,
        choices=ParticipantKind.choices,
        default=ParticipantKind.HEALTH,
        verbose_name=_("kategori"),
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | ~models.Q(name=""),
                name="participant_named",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.organisation)


class ControlRole(models.TextChoices):
    DIRECTOR = "director", _("Øvingsleder")
    CONTROLLER = "controller", _("Øvingsstyrer")
    EVALUATOR = "evaluator", _("Evaluator")
    OBSERVER = "observer", _("Observatør")
    SIMULATION = "simulation", _("Motspill")
    SAFETY = "safety", _("Sikkerhetsleder")


class ControlAssignment(TrackedModel):
    """Exercise control: who directs, controls, evaluates and plays the response cell."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="control")
    role = models.CharField(max_length=12, choices=ControlRole.choices, verbose_name=_("rolle"))
    person_name = models.CharField(max_length=200, verbose_name=_("navn"))
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["role", "person_name"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person_name}"


class Objective(TrackedModel):
    """An exercise objective (hensikt → mål → indikator, DSB)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500, verbose_name=_("mål"))
    indicator = models.CharField(max_length=500, blank=True, verbose_name=_("indikator"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="objective_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Evaluation(TrackedModel):
    """The evaluation of one exercise or incident; closable only when every action is resolved."""

    exercise = models.OneToOneField(Exercise, on_delete=models.PROTECT, related_name="evaluation")
    summary = models.TextField(blank=True, verbose_name=_("sammendrag"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluering")

    def __str__(self) -> str:
        return f"Evaluering: {self.exercise}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ObservationKind(models.TextChoices):
    STRENGTH = "strength", _("Styrke")
    IMPROVEMENT = "improvement", _("Forbedringsområde")


class Rating(models.TextChoices):
    """HSEEP's four-level rating per objective (STANDARDS.md 5.1)."""

    P = "P", _("Gjennomført uten utfordringer")
    S = "S", _("Gjennomført med noen utfordringer")
    M = "M", _("Gjennomført med store utfordringer")
    U = "U", _("Ikke gjennomført")


class Observation(TrackedModel):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="observations"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.PROTECT, related_name="observations"
    )
    kind = models.CharField(max_length=12, choices=ObservationKind.choices, verbose_name=_("type"))
    rating = models.CharField(
        max_length=1, choices=Rating.choices, blank=True, verbose_name=_("vurdering")
    )
    text = models.TextField(verbose_name=_("observasjon"))

    class Meta:
        ordering = ["objective__number", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class LearningPoint(ProtectedModel):
    """A learning point; shareable with bodies and organisations subject to classification."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="learning_points"
    )
    observation = models.ForeignKey(
        Observation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_points",
    )
    title = models.CharField(max_length=300, verbose_name=_("læringspunkt"))
    description = models.TextField(blank=True, verbose_name=_("beskrivelse"))
    risk_area = models.CharField(
        max_length=20,
        choices=RiskArea.choices,
        default=RiskArea.GENERAL,
        verbose_name=_("risikoområde"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("læringspunkt")
        verbose_name_plural = _("læringspunkter")

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Fullført")
    NOT_TO_BE_DONE = "not_done", _("Skal ikke gjennomføres")


class Action(TrackedModel):
    """The action that follows up a learning point (the improvement plan, HSEEP IP / DSB «Veien
    videre»)."""

    learning_point = models.ForeignKey(
        LearningPoint, on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=300, verbose_name=_("tiltak"))
    responsible_org = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig organisasjon"),
    )
    contact = models.CharField(max_length=200, blank=True, verbose_name=_("kontaktperson"))
    due_date = models.DateField(verbose_name=_("frist"))
    status = models.CharField(
        max_length=12,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
        verbose_name=_("status"),
    )
    evidence = models.TextField(blank=True, verbose_name=_("dokumentasjon av gjennomføring"))
    resolved_on = models.DateField(null=True, blank=True, verbose_name=_("avsluttet dato"))
    not_done_reason = models.TextField(blank=True, verbose_name=_("begrunnelse"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("akseptert av"),
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # A revision task: the plan, scenario or planning assumption the learning point changes
    # (Meld. St. 5 (2023–2024) 2.2.1); the action closes only when that revision is approved.
    revision_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATES

    def overdue_on(self, today: date) -> bool:
        return is_overdue(self.status, self.due_date, today)


class RecordLink(models.Model):
    """A generic link from a record here to a record of any app (plans, ROS events, scenarios,
    crises, decisions) — no hard foreign key, so apps built in parallel stay independent."""

    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    relation = models.CharField(max_length=40, verbose_name=_("relasjon"))
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["source_type", "source_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "target_type", "target_id", "relation"],
                name="recordlink_unique",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.source_type_id}:{self.source_id} {self.relation} "
            f"{self.target_type_id}:{self.target_id}"
        )


class ImportKind(models.TextChoices):
    EXERCISES = "exercises", _("Øvelser")
    ACTIONS = "actions", _("Tiltak")


class ImportJob(BackgroundJob):
    """An XLSX import run in the background; all-or-nothing, every rejected row reported."""

    kind = models.CharField(max_length=10, choices=ImportKind.choices, verbose_name=_("importerer"))
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("fil"))
    data = models.BinaryField()
    plan = models.ForeignKey(
        ExercisePlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.PositiveIntegerField(default=0, verbose_name=_("opprettet"))
    row_errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("importjobb")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="importjob_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"
