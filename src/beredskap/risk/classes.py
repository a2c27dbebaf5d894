"""Classes, zones and deadlines of risk work — pure functions, no database.

Probability and consequence classes follow DSB's «Veileder til helhetlig risiko- og
sårbarhetsanalyse i kommunen» (2014) and the fylkesROS guide: five probability classes by
return period and five consequence classes per consequence type (STANDARDS.md 1.3–1.4).
Acceptance criteria are the analysis owner's: a profile maps every matrix cell to a zone
(STANDARDS.md 1.8 — never hard-coded; the default is only a labelled starting point).
The comprehensive sector ROS is revised at least every four years (Meld. St. 5 (2023–2024)
2.2.1 and box 2.1 no. 2).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

CLASSES = (1, 2, 3, 4, 5)
SECTOR_CYCLE_YEARS = 4


class Probability(models.IntegerChoices):
    VERY_LOW = 1, _("A – Svært lav (sjeldnere enn 1 gang per 1000 år, < 0,1 % per år)")
    LOW = 2, _("B – Lav (1 gang per 100–1000 år, 0,1–1 % per år)")
    MEDIUM = 3, _("C – Middels (1 gang per 50–100 år, 1–2 % per år)")
    HIGH = 4, _("D – Høy (1 gang per 10–50 år, 2–10 % per år)")
    VERY_HIGH = 5, _("E – Svært høy (oftere enn 1 gang per 10 år, > 10 % per år)")


PROBABILITY_LETTERS = {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"}


class Consequence(models.IntegerChoices):
    VERY_SMALL = 1, _("1 – Svært små")
    SMALL = 2, _("2 – Små")
    MEDIUM = 3, _("3 – Middels")
    LARGE = 4, _("4 – Store")
    VERY_LARGE = 5, _("5 – Svært store")


class ConsequenceType(models.TextChoices):
    """Societal values of the DSB municipal guide (2014)."""

    LIFE_HEALTH = "life_health", _("Liv og helse")
    STABILITY = "stability", _("Stabilitet i samfunnet")
    NATURE = "nature", _("Natur og miljø")
    MATERIAL = "material", _("Materielle og økonomiske verdier")


class Zone(models.TextChoices):
    GREEN = "green", _("Akseptabel")
    YELLOW = "yellow", _("Vurder tiltak (ALARP)")
    RED = "red", _("Ikke akseptabel")


ZONE_RANK = {Zone.GREEN: 0, Zone.YELLOW: 1, Zone.RED: 2}


class Uncertainty(models.TextChoices):
    """Strength of knowledge behind the assessment (STANDARDS.md 1.5)."""

    LOW = "low", _("Lav usikkerhet (sterk kunnskap)")
    MEDIUM = "medium", _("Middels usikkerhet")
    HIGH = "high", _("Høy usikkerhet (svak kunnskap)")


def cell_key(probability: int, consequence: int) -> str:
    return f"{probability},{consequence}"


def default_profile() -> dict[str, str]:
    """Illustrative default: red when P + C ≥ 8, yellow at 6–7, otherwise green."""
    profile = {}
    for p in CLASSES:
        for c in CLASSES:
            total = p + c
            profile[cell_key(p, c)] = (
                Zone.RED if total >= 8 else Zone.YELLOW if total >= 6 else Zone.GREEN
            )
    return {k: str(v) for k, v in profile.items()}


def profile_errors(profile: object) -> list[str]:
    """Why an acceptance profile is unusable: every cell needs a zone, and a cell that is more
    probable or more severe than another may never be in a milder zone (monotone)."""
    if not isinstance(profile, dict):
        return [str(_("Akseptkriteriene må angi en sone for hver celle i matrisen."))]
    errors = []
    for p in CLASSES:
        for c in CLASSES:
            if profile.get(cell_key(p, c)) not in Zone.values:
                errors.append(
                    str(
                        _("Cellen %(p)s/%(c)s mangler gyldig sone.")
                        % {"p": PROBABILITY_LETTERS[p], "c": c}
                    )
                )
    if errors:
        return errors
    extra = set(profile) - {cell_key(p, c) for p in CLASSES for c in CLASSES}
    if extra:
        return [
            str(_("Ukjente celler i akseptkriteriene: %(c)s") % {"c": ", ".join(sorted(extra))})
        ]
    for p in CLASSES:
        for c in CLASSES:
            rank = ZONE_RANK[Zone(profile[cell_key(p, c)])]
            for np_, nc in ((p + 1, c), (p, c + 1)):
                if np_ <= 5 and nc <= 5 and ZONE_RANK[Zone(profile[cell_key(np_, nc)])] < rank:
                    return [
                        str(
                            _(
                                "Akseptkriteriene må være stigende: en mer sannsynlig eller "
                                "alvorligere celle kan ikke ha mildere sone (%(a)s/%(b)s)."
                            )
                            % {"a": PROBABILITY_LETTERS[np_], "b": nc}
                        )
                    ]
    return []


def classify(probability: int, consequence: int, profile: dict[str, str] | None = None) -> Zone:
    """The zone of a cell under the owner's acceptance profile (default when none is set)."""
    if probability not in CLASSES or consequence not in CLASSES:
        raise ValueError(f"class out of range: {probability}, {consequence}")
    profile = profile or default_profile()
    return Zone(profile[cell_key(probability, consequence)])


def add_years(start: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def next_revision_due(
    approved_on: date | None,
    *,
    sector_comprehensive: bool,
    cycle_years: int,
    planned: date | None = None,
) -> date | None:
    """When the analysis must be revised: four years after approval for the sector's
    comprehensive ROS, the configured cycle otherwise; an earlier planned revision wins."""
    if approved_on is None:
        return None
    years = SECTOR_CYCLE_YEARS if sector_comprehensive else cycle_years
    due = add_years(approved_on, years)
    if planned is not None and approved_on <= planned < due:
        return planned
    return due
