"""Simulation runs, their compact results and bottleneck rows.

A run is a protected record (owner organisation, classification, sharing). Its results are
not the raw ensemble but quantiles per municipality/group and day, stored as one compressed
NumPy archive (see :mod:`beredskap.modelling.results`), plus the bottleneck report rows.
White paper 2.2.1: the council must "identify challenges or bottlenecks" in a crisis.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel
from beredskap.core.classification import Classification
from beredskap.core.riskareas import RiskArea


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Kjører")
    DONE = "done", _("Ferdig")
    FAILED = "failed", _("Feilet")
    CANCELLED = "cancelled", _("Avbrutt")


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class SimulationRun(ProtectedModel):
    """One configured simulation and its life cycle (queued → running → done/failed/cancelled)."""

    DEFAULT_CLASSIFICATION = Classification.UGRADERT

    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    risk_area = models.CharField(
        max_length=30,
        choices=RiskArea.choices,
        default=RiskArea.INFECTION,
        verbose_name=_("risikoområde"),
    )
    scenario_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("scenario"))
    scenario_title = models.CharField(
        max_length=300, blank=True, verbose_name=_("scenario (tittel)")
    )
    parameters = models.JSONField(verbose_name=_("parametere"))
    status = models.CharField(
        max_length=12,
        choices=RunStatus.choices,
        default=RunStatus.QUEUED,
        db_index=True,
        verbose_name=_("status"),
    )
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("fremdrift (%)"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("startet"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ferdig"))
    error_message = models.TextField(blank=True, verbose_name=_("feilmelding"))
    is_exercise = models.BooleanField(
        default=False,
        verbose_name=_("øvelse"),
        help_text=_("Kjøringen er laget for en øvelse og kan bare brukes som prognose i øvelser."),
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opprettet av"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("simuleringskjøring")
        verbose_name_plural = _("simuleringskjøringer")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="modelling_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def status_label(self) -> str:
        return str(RunStatus(self.status).label)


class SimulationResult(models.Model):
    """Compressed quantile arrays (np.savez_compressed) and a JSON summary of a finished run.

    A child of the run: read it only through ``SimulationRun.objects.visible_to(user)``.
    """

    run = models.OneToOneField(SimulationRun, on_delete=models.CASCADE, related_name="result")
    data = models.BinaryField()
    meta = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simuleringsresultat")

    def __str__(self) -> str:
        return f"{self.run_id}"


class Level(models.TextChoices):
    HF = "hf", _("Helseforetak")
    RHF = "rhf", _("Helseregion")
    COUNTY = "county", _("Fylke")


class RunBottleneck(models.Model):
    """Where and when ICU demand exceeds capacity, across the ensemble (one group of one level)."""

    run = models.ForeignKey(SimulationRun, on_delete=models.CASCADE, related_name="bottlenecks")
    level = models.CharField(max_length=8, choices=Level.choices)
    group = models.CharField(max_length=120, verbose_name=_("område"))
    capacity = models.FloatField(verbose_name=_("kapasitet"))
    probability = models.FloatField(verbose_name=_("sannsynlighet for overskridelse"))
    first_day_median = models.FloatField(
        null=True, blank=True, verbose_name=_("første dag (median)")
    )
    peak_excess_median = models.FloatField(verbose_name=_("største overskridelse (median)"))
    peak_excess_p95 = models.FloatField(verbose_name=_("største overskridelse (95-persentil)"))
    patient_days_over_mean = models.FloatField(verbose_name=_("pasientdøgn over kapasitet (snitt)"))

    class Meta:
        ordering = ["level", "-probability", "-patient_days_over_mean", "group"]
        verbose_name = _("flaskehals")
        verbose_name_plural = _("flaskehalser")

    def __str__(self) -> str:
        return f"{self.group} ({self.level})"
