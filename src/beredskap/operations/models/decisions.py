"""Decisions with responsible authority, level and legal basis, and crisis tasks.

Decisions are made in the ordinary line by the responsible authority on a legal basis
(Meld. St. 5 (2023–2024) 2.1: ansvar, nærhet, likhet, samvirke).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel
from beredskap.core.classification import Classification


class LegalBasis(models.TextChoices):
    SMITTEVERNLOVEN = "smittevernloven", _("Smittevernloven")
    HELSEBEREDSKAPSLOVEN = "helseberedskapsloven", _("Helseberedskapsloven")
    STRALEVERNLOVEN = "stralevernloven", _("Strålevernloven")
    SIVILBESKYTTELSESLOVEN = "sivilbeskyttelsesloven", _("Sivilbeskyttelsesloven")
    HELSE_OMSORG = "helse_omsorgstjenesteloven", _("Helse- og omsorgstjenesteloven")
    SPESIALIST = "spesialisthelsetjenesteloven", _("Spesialisthelsetjenesteloven")
    FOLKEHELSELOVEN = "folkehelseloven", _("Folkehelseloven")
    MATLOVEN = "matloven", _("Matloven")
    LEGEMIDDELLOVEN = "legemiddelloven", _("Legemiddelloven")


class DecisionLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("Kommunalt")
    REGIONAL = "regional", _("Regionalt")
    NATIONAL = "national", _("Nasjonalt")


class AdviceSource(models.TextChoices):
    NONE = "", _("Ingen")
    COMMITTEE = "committee", _("Utvalg")
    EXPERT_GROUP = "expert_group", _("Rådgivende ekspertutvalg")
    AGENCY = "agency", _("Fagetat")


class Decision(TrackedModel):
    """A decision in the crisis: who decided, at what level and on what legal basis."""

    crisis = models.ForeignKey(
        "operations.Crisis", on_delete=models.CASCADE, related_name="decisions"
    )
    title = models.CharField(max_length=200, verbose_name=_("vedtak"))
    text = models.TextField(blank=True, verbose_name=_("beskrivelse"))
    authority = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig myndighet"),
    )
    level = models.CharField(max_length=10, choices=DecisionLevel.choices, verbose_name=_("nivå"))
    subsidiarity = models.TextField(
        verbose_name=_("nærhetsprinsippet"), help_text=_("Hvorfor vedtaket fattes på dette nivået.")
    )
    legal_basis = models.CharField(
        max_length=30, choices=LegalBasis.choices, verbose_name=_("hjemmel (lov)")
    )
    legal_section = models.CharField(max_length=40, verbose_name=_("paragraf"))
    advice_source = models.CharField(
        max_length=14, choices=AdviceSource.choices, blank=True, verbose_name=_("råd fra")
    )
    advice_ref = models.CharField(max_length=200, blank=True, verbose_name=_("rådet det bygger på"))
    decided_at = models.DateTimeField(verbose_name=_("vedtatt"))
    valid_from = models.DateTimeField(verbose_name=_("gjelder fra"))
    valid_until = models.DateTimeField(null=True, blank=True, verbose_name=_("gjelder til"))
    review_on = models.DateField(null=True, blank=True, verbose_name=_("revurderes"))
    classification = models.PositiveSmallIntegerField(
        choices=Classification.choices, default=Classification.BEGRENSET
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return self.title

    def in_force(self, at) -> bool:
        return self.valid_from <= at and (self.valid_until is None or at <= self.valid_until)


class DecisionMeasure(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="measures")
    text = models.CharField(max_length=300)
    municipalities = models.ManyToManyField("core.Municipality", blank=True, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Fullført")
    CANCELLED = "cancelled", _("Avbrutt")


class CrisisTask(TrackedModel):
    """An assignment with an owner organisation, due time, status and dependencies."""

    crisis = models.ForeignKey("operations.Crisis", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200, verbose_name=_("oppgave"))
    owner_org = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    due_at = models.DateTimeField(verbose_name=_("frist"))
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="blocks"
    )
    classification = models.PositiveSmallIntegerField(
        choices=Classification.choices, default=Classification.BEGRENSET
    )

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.title
