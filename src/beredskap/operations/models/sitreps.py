"""Situation reports: reporting cycles and structured reports with status colours
(Meld. St. 5 (2023–2024) 2.3: the statsforvalter links the municipalities and the centre;
header fields after EDXL-SitRep 1.0)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel
from beredskap.core.classification import Classification


class StatusColour(models.TextChoices):
    GREEN = "green", _("Grønn")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Rød")

    @classmethod
    def worst(cls, colours: list[str]) -> str:
        order = [cls.GREEN.value, cls.YELLOW.value, cls.RED.value]
        found = [order.index(c) for c in colours if c in order]
        return order[max(found)] if found else ""


SECTIONS = ("situation", "consequences", "needs", "measures", "outlook")
SECTION_LABELS = {
    "situation": _("Situasjon"),
    "consequences": _("Konsekvenser for pasienter og tjenester"),
    "needs": _("Behov"),
    "measures": _("Iverksatte tiltak"),
    "outlook": _("Vurdering og utsikter"),
}


class ReportingCycle(TrackedModel):
    """A reporting cycle: who reports, and the daily deadline (e.g. 12:00 Oslo time)."""

    crisis = models.ForeignKey("operations.Crisis", on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=200, verbose_name=_("navn"))
    due_time = models.TimeField(verbose_name=_("frist (klokkeslett)"))
    interval_hours = models.PositiveSmallIntegerField(
        default=24, verbose_name=_("intervall (timer)")
    )
    starts_on = models.DateField(verbose_name=_("første rapportdag"))
    ends_on = models.DateField(null=True, blank=True)
    org_kinds = models.JSONField(default=list, blank=True, verbose_name=_("organisasjonstyper"))
    organisations = models.ManyToManyField("actors.Organisation", blank=True, related_name="+")

    class Meta:
        ordering = ["crisis", "name"]

    def __str__(self) -> str:
        return self.name


class ReportKind(models.TextChoices):
    ORGANISATION = "organisation", _("Virksomhetsrapport")
    COUNTY = "county", _("Fylkesrapport")
    NATIONAL = "national", _("Nasjonal oppsummering")


class SituationReport(TrackedModel):
    """A structured situation report for one period of a cycle."""

    crisis = models.ForeignKey(
        "operations.Crisis", on_delete=models.CASCADE, related_name="reports"
    )
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        max_length=14, choices=ReportKind.choices, default=ReportKind.ORGANISATION
    )
    period_due = models.DateTimeField(verbose_name=_("rapportfrist"))
    classification = models.PositiveSmallIntegerField(
        choices=Classification.choices, default=Classification.BEGRENSET
    )
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    situation = models.TextField(blank=True)
    situation_colour = models.CharField(max_length=6, choices=StatusColour.choices)
    consequences = models.TextField(blank=True)
    consequences_colour = models.CharField(max_length=6, choices=StatusColour.choices)
    needs = models.TextField(blank=True)
    needs_colour = models.CharField(max_length=6, choices=StatusColour.choices)
    measures = models.TextField(blank=True)
    measures_colour = models.CharField(max_length=6, choices=StatusColour.choices)
    outlook = models.TextField(blank=True)
    outlook_colour = models.CharField(max_length=6, choices=StatusColour.choices)
    personnel_absence_pct = models.FloatField(
        null=True, blank=True, verbose_name=_("personellfravær (%)")
    )
    capacity = models.JSONField(default=list, blank=True)
    draft = models.BooleanField(
        default=False,
        verbose_name=_("utkast"),
        help_text=_("Et sammenstilt fylkesrapportutkast som ennå ikke er sendt inn."),
    )
    sources = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="used_in")

    class Meta:
        ordering = ["-period_due", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation", "period_due", "kind"], name="one_report_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period_due:%Y-%m-%d %H:%M}"

    @property
    def is_late(self) -> bool:
        """An organisation's report received after its deadline: received for that period, never
        missing."""
        return self.kind == ReportKind.ORGANISATION and self.submitted_at > self.period_due

    @property
    def overall_colour_label(self) -> str:
        colour = self.overall_colour
        return str(StatusColour(colour).label) if colour else ""

    @property
    def overall_colour(self) -> str:
        return StatusColour.worst([getattr(self, f"{s}_colour") for s in SECTIONS])

    def sections(self) -> list[tuple[str, str, str]]:
        return [
            (str(SECTION_LABELS[s]), getattr(self, s), getattr(self, f"{s}_colour"))
            for s in SECTIONS
        ]
