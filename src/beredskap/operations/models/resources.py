"""Resource requests, offers, allocation proposals and deployments (Meld. St. 5 (2023–2024)
2.2.1: the council secures mobilisation and effective use of resources in the sector)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import TrackedModel


class ResourceKind(models.TextChoices):
    PERSONNEL = "personnel", _("Personell")
    STOCK = "stock", _("Lager/utstyr")
    PATIENT_TRANSFER = "patient_transfer", _("Pasientoverføring")
    BLOOD = "blood", _("Blod")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    PARTLY = "partly", _("Delvis dekket")
    FILLED = "filled", _("Dekket")
    CANCELLED = "cancelled", _("Avbrutt")


class ResourceRequest(TrackedModel):
    crisis = models.ForeignKey(
        "operations.Crisis", on_delete=models.CASCADE, related_name="requests"
    )
    requested_by = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bestiller"),
    )
    kind = models.CharField(max_length=18, choices=ResourceKind.choices, verbose_name=_("type"))
    item = models.CharField(
        max_length=120,
        verbose_name=_("yrke/produkt"),
        help_text=_("Yrke for personell, produkt for lager, f.eks. «sykepleier»."),
    )
    competence = models.CharField(max_length=120, blank=True, verbose_name=_("kompetanse"))
    quantity = models.PositiveIntegerField(verbose_name=_("antall"))
    location = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("sted")
    )
    priority = models.PositiveSmallIntegerField(
        default=3, verbose_name=_("prioritet (1–5, 5 høyest)")
    )
    deadline = models.DateTimeField(verbose_name=_("frist"))
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )

    class Meta:
        ordering = ["-priority", "deadline"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item} → {self.location}"


class ResourceOffer(TrackedModel):
    """An organisation's offer of a resource, with the furthest distance it is willing to go."""

    crisis = models.ForeignKey("operations.Crisis", on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=18, choices=ResourceKind.choices)
    item = models.CharField(max_length=120)
    quantity = models.PositiveIntegerField()
    location = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    max_distance_km = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("lengste reiseavstand (km)")
    )

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.quantity} × {self.item}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Forslag")
    APPROVED = "approved", _("Godkjent")
    REJECTED = "rejected", _("Forkastet")


class AllocationProposal(TrackedModel):
    crisis = models.ForeignKey(
        "operations.Crisis", on_delete=models.CASCADE, related_name="proposals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    objective = models.FloatField()
    greedy_objective = models.FloatField()
    fulfilment = models.FloatField()
    greedy_fulfilment = models.FloatField()
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class AllocationLine(models.Model):
    """One flow of a proposal: units of an organisation's offer, or one named reserve person
    (capacity app's registry; if the person withdraws consent the record goes and the label stays).
    """

    proposal = models.ForeignKey(AllocationProposal, on_delete=models.CASCADE, related_name="lines")
    request = models.ForeignKey(
        ResourceRequest, on_delete=models.CASCADE, related_name="allocations"
    )
    offer = models.ForeignKey(
        ResourceOffer, null=True, blank=True, on_delete=models.CASCADE, related_name="allocations"
    )
    reserve = models.ForeignKey(
        "capacity.ReserveVolunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reservepersonell"),
    )
    reserve_label = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField()
    distance_km = models.FloatField()

    class Meta:
        ordering = ["request", "offer", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offer__isnull=False) | ~models.Q(reserve_label=""),
                name="line_has_a_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} ({self.request_id} ← {self.source_label})"

    @property
    def is_reserve(self) -> bool:
        return self.offer_id is None

    @property
    def source_label(self) -> str:
        if self.offer_id is not None:
            return self.offer.organisation.name
        return f"{_('Reservepersonell')}: {self.reserve_label}"


class Deployment(TrackedModel):
    """An approved allocation line on its way, tracked to its end."""

    line = models.OneToOneField(AllocationLine, on_delete=models.CASCADE, related_name="deployment")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, verbose_name=_("merknad"))

    class Meta:
        ordering = ["-started_at", "id"]

    def __str__(self) -> str:
        return f"{self.line} ({'avsluttet' if self.ended_at else 'pågår'})"
