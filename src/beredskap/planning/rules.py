"""Deadlines and status of preparedness plans — pure functions, no database.

Municipalities must exercise their preparedness plan at least every second year (forskrift
om kommunal beredskapsplikt § 7; Meld. St. 5 (2023–2024) 2.2.1). Other plans follow the
exercise cycle their owner sets, and every plan is reviewed on its review cycle.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.risk.classes import add_years

MUNICIPAL_OVERALL_EXERCISE_YEARS = 2


class PlanType(models.TextChoices):
    OVERALL = "overall", _("Overordnet beredskapsplan")
    HEALTH_CARE = "health_care", _("Helse- og sosialberedskapsplan")
    INFECTION = "infection", _("Smittevernplan")
    PSYCHOSOCIAL = "psychosocial", _("Plan for psykososial oppfølging")
    EMERGENCY_WATER = "emergency_water", _("Plan for nødvann / leveringssikkerhet")
    ICT_CONTINUITY = "ict_continuity", _("IKT-kontinuitetsplan")
    CBRNE = "cbrne", _("CBRNE-plan")
    MASS_CASUALTY = "mass_casualty", _("Plan for masseskadehendelser")
    NUCLEAR = "nuclear", _("Atomberedskapsplan")
    SUPPLY = "supply", _("Plan for forsyningssikkerhet")
    CONTINUITY = "continuity", _("Kontinuitetsplan")
    OTHER = "other", _("Annen plan")


# Plan types every municipality must have (sivilbeskyttelsesloven § 15, helseberedskapsloven
# § 2-2, smittevernloven § 7-1).
MUNICIPAL_REQUIRED = (PlanType.OVERALL, PlanType.HEALTH_CARE, PlanType.INFECTION)


class PlanStatus(models.TextChoices):
    UP_TO_DATE = "up_to_date", _("Oppdatert")
    DRAFT = "draft", _("Ikke godkjent")
    REVIEW_OVERDUE = "review_overdue", _("Revisjon forfalt")
    NOT_EXERCISED = "not_exercised", _("Ikke øvd innen syklus")
    MISSING = "missing", _("Mangler")


STATUS_RANK = {
    PlanStatus.UP_TO_DATE: 0,
    PlanStatus.DRAFT: 2,
    PlanStatus.NOT_EXERCISED: 1,
    PlanStatus.REVIEW_OVERDUE: 3,
    PlanStatus.MISSING: 4,
}


def exercise_cycle(plan_type: str, *, municipal_owner: bool, configured: int | None) -> int | None:
    """Years between exercises: two for a municipality's overall plan, at most; else as
    configured."""
    if municipal_owner and plan_type == PlanType.OVERALL:
        return min(configured or MUNICIPAL_OVERALL_EXERCISE_YEARS, MUNICIPAL_OVERALL_EXERCISE_YEARS)
    return configured


def next_review_due(
    approved_on: date | None, last_reviewed_on: date | None, cycle_years: int
) -> date | None:
    basis = (
        max(d for d in (approved_on, last_reviewed_on) if d)
        if (approved_on or last_reviewed_on)
        else None
    )
    return add_years(basis, cycle_years) if basis else None


def next_exercise_due(
    approved_on: date | None, last_exercised_on: date | None, cycle_years: int | None
) -> date | None:
    """Counted from the last exercise, or from approval for a plan never exercised."""
    if cycle_years is None:
        return None
    basis = last_exercised_on or approved_on
    return add_years(basis, cycle_years) if basis else None


def plan_status(
    *, approved_on: date | None, review_due: date | None, exercise_due: date | None, today: date
) -> PlanStatus:
    if approved_on is None:
        return PlanStatus.DRAFT
    if review_due is not None and review_due < today:
        return PlanStatus.REVIEW_OVERDUE
    if exercise_due is not None and exercise_due < today:
        return PlanStatus.NOT_EXERCISED
    return PlanStatus.UP_TO_DATE


def worst(statuses: list[str]) -> str:
    return (
        max(statuses, key=lambda s: STATUS_RANK[PlanStatus(s)]) if statuses else PlanStatus.MISSING
    )
