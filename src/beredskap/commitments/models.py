"""The commitments tracker: the government's commitments in Meld. St. 5 (2023–2024) (every
«Regjeringen vil:» list) and the Directorate of Health's measures, with status, progress notes,
evidence links, and the status reports to the Storting and the council (chapter 2,
«Forholdet til Stortinget»)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel
from beredskap.core.classification import Classification
from beredskap.core.riskareas import RiskArea
from beredskap.exercises.jobs import BackgroundJob


class CommitmentSource(models.TextChoices):
    WHITE_PAPER = "white_paper", _("Meld. St. 5 – «Regjeringen vil:»")
    WHITE_PAPER_TEXT = "white_paper_text", _("Meld. St. 5 – i teksten")
    DIRECTORATE = "directorate", _("Helsedirektoratets tiltaksliste")


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Ikke startet")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Gjennomført")
    DROPPED = "dropped", _("Avsluttet uten gjennomføring")


class Commitment(TrackedModel):
    """One commitment or measure. The white paper is public; the tracker is open to every
    signed-in user, and only the secretariat and the responsible organisation write to it."""

    key = models.CharField(max_length=40, unique=True)
    source = models.CharField(
        max_length=20, choices=CommitmentSource.choices, verbose_name=_("kilde")
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("nummer"))
    chapter = models.PositiveSmallIntegerField(verbose_name=_("kapittel"))
    section = models.CharField(max_length=10, verbose_name=_("punkt"))
    section_title = models.CharField(max_length=200, blank=True, verbose_name=_("overskrift"))
    text = models.TextField(verbose_name=_("forpliktelse"))
    risk_area = models.CharField(
        max_length=20,
        choices=RiskArea.choices,
        default=RiskArea.GENERAL,
        verbose_name=_("risikoområde"),
    )
    responsible_org = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    responsible_text = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("ansvarlig etter teksten"),
        help_text=_("Slik kildeteksten angir hvem som har ansvaret."),
    )
    status = models.CharField(
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
        verbose_name=_("status"),
    )
    due_date = models.DateField(null=True, blank=True, verbose_name=_("frist"))
    due_note = models.CharField(max_length=300, blank=True, verbose_name=_("om fristen"))

    class Meta:
        ordering = ["source", "number"]
        verbose_name = _("forpliktelse")
        verbose_name_plural = _("forpliktelser")

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:80]}"

    @property
    def reference(self) -> str:
        if self.source == CommitmentSource.DIRECTORATE:
            return f"Hdir tiltak {self.number}"
        if self.source == CommitmentSource.WHITE_PAPER_TEXT:
            return f"Meld. St. 5 kap. {self.section}"
        return f"Meld. St. 5 pkt. {self.section}"


class ProgressNote(TrackedModel):
    """A dated note on progress; every status change carries one."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="notes")
    written_on = models.DateField(verbose_name=_("dato"))
    text = models.TextField(verbose_name=_("notat"))
    status_before = models.CharField(max_length=12, choices=CommitmentStatus.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=CommitmentStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return f"{self.written_on}: {self.text[:60]}"


class ReportKind(models.TextChoices):
    STORTING = "storting", _("Statusrapport til Stortinget")
    QUARTERLY = "quarterly", _("Rådets kvartalsvise oppfølgingsrapport")


class StatusReport(models.Model):
    """A generated report, kept as a snapshot so the next one can show what changed."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices, verbose_name=_("type"))
    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class StatusReportFile(models.Model):
    """A rendered file of a report (PDF, DOCX, XLSX), made once by the background job."""

    report = models.ForeignKey(StatusReport, on_delete=models.PROTECT, related_name="files")
    fmt = models.CharField(max_length=4)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "fmt"], name="statusreportfile_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}.{self.fmt}"


class ReportJob(BackgroundJob):
    """Generation of a status report in the background, with progress and cancellation."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices, verbose_name=_("type"))
    report = models.ForeignKey(
        StatusReport, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="reportjob_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class ReportPreface(TrackedModel):
    """What the secretariat writes for one report period: sender, recipient, the introduction and
    the summary assessment, and the classification marking of the report (chapter 2,
    «Forholdet til Stortinget»: the government reports on the status of the work)."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices, verbose_name=_("type"))
    period = models.CharField(max_length=10, verbose_name=_("periode"))
    sender = models.CharField(
        max_length=200,
        default="Helse- og omsorgsdepartementet, Helseberedskapssekretariatet",
        verbose_name=_("avsender"),
    )
    recipient = models.CharField(max_length=200, verbose_name=_("mottaker"))
    introduction = models.TextField(blank=True, verbose_name=_("innledning"))
    assessment = models.TextField(blank=True, verbose_name=_("samlet vurdering"))
    classification = models.PositiveSmallIntegerField(
        choices=Classification.choices,
        default=Classification.UGRADERT,
        verbose_name=_("gradering"),
    )

    class Meta:
        ordering = ["kind", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="reportpreface_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"
