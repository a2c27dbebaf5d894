"""Typed, validated parameters of a simulation run and their translation to ``beredskap.sim``.

One schema (:class:`RunParameters`) is shared by the HTML form, the API and the stored run:
bounds live in the schema (the API answers 422 when they are broken), the rules that span
several fields are checked by :func:`check_parameters`, which raises a Django
``ValidationError`` with a Norwegian message naming the field. The meaning of every
epidemiological parameter is documented in :mod:`beredskap.sim.params` and
:mod:`beredskap.sim.demand` (white paper 2.2.1 on shared models, 4.6 on capacity).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

MAX_MEMBERS = 2000
MAX_DAYS = 730
HEALTH_REGION_CODES = ("H12", "H03", "H04", "H05")


class CapacitySource(StrEnum):
    """Where ICU capacity comes from: reported by the sector, entered on the run, or assumed."""

    REPORTED = "reported"
    ENTERED = "entered"
    DEFAULT = "default"


class InterventionParams(BaseModel):
    """Contact reduction from ``start_day`` (inclusive) to ``end_day`` (exclusive)."""

    model_config = ConfigDict(extra="forbid")

    start_day: int = Field(ge=0, le=MAX_DAYS)
    end_day: int = Field(ge=0, le=MAX_DAYS)
    reduction: float = Field(ge=0.0, le=1.0, description="share of contacts removed (0–1)")
    municipalities: list[str] | None = Field(
        None, max_length=357, description="kommunenummer; empty or null = all municipalities"
    )


class RunParameters(BaseModel):
    """Everything a run needs; stored as JSON on the run (``SimulationRun.parameters``)."""

    model_config = ConfigDict(extra="forbid")

    r0: float | None = Field(2.0, gt=0.0, le=20.0)
    beta: float | None = Field(None, gt=0.0, le=10.0)
    r0_low: float | None = Field(None, gt=0.0, le=20.0)
    r0_high: float | None = Field(None, gt=0.0, le=20.0)
    latent_days: float = Field(3.0, ge=0.1, le=30.0)
    infectious_days: float = Field(5.0, ge=0.1, le=60.0)
    days: int = Field(365, ge=1, le=MAX_DAYS)
    start_date: dt.date | None = None
    deterministic: bool = False
    members: int = Field(100, ge=1, le=MAX_MEMBERS)
    seed: int = Field(1, ge=0, le=2**31 - 1)
    seed_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    seed_exposed: int = Field(20, ge=0, le=100_000)
    seed_infectious: int = Field(20, ge=0, le=100_000)
    interventions: list[InterventionParams] = Field(default_factory=list, max_length=50)
    ihr: float = Field(0.01, ge=0.0, le=1.0)
    icu_share: float = Field(0.15, ge=0.0, le=1.0)
    hospital_los_days: float = Field(6.0, ge=0.5, le=90.0)
    icu_los_days: float = Field(10.0, ge=0.5, le=120.0)
    capacity_source: CapacitySource = CapacitySource.REPORTED
    capacity_entered: dict[str, int] = Field(default_factory=dict)

    @property
    def effective_members(self) -> int:
        """Mean-field runs without a parameter range have one member."""
        if self.deterministic and not self.has_range:
            return 1
        return self.members

    @property
    def has_range(self) -> bool:
        return self.r0_low is not None and self.r0_high is not None

    def day_dates(self, fallback: dt.date) -> list[dt.date]:
        start = self.start_date or fallback
        return [start + dt.timedelta(days=d) for d in range(self.days)]


def _rate_errors(p: RunParameters) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (p.r0 is None) == (p.beta is None):
        errors["r0"] = _("Oppgi enten R0 eller smitterate (beta), ikke begge.")
    if (p.r0_low is None) != (p.r0_high is None):
        errors["r0_low"] = _("Oppgi både nedre og øvre grense for R0, eller ingen av dem.")
    elif p.has_range:
        if p.beta is not None:
            errors["r0_low"] = _("Et R0-intervall kan bare brukes sammen med R0, ikke beta.")
        elif not (p.r0_low <= (p.r0 or 0) <= p.r0_high):  # type: ignore[operator]
            errors["r0_low"] = _("R0 må ligge mellom nedre og øvre grense.")
    return errors


def _intervention_errors(p: RunParameters, known: set[str]) -> dict[str, str]:
    for n, iv in enumerate(p.interventions, start=1):
        if iv.end_day <= iv.start_day:
            return {"interventions": _("Tiltak %(n)d: sluttdag må være etter startdag.") % {"n": n}}
        if iv.start_day >= p.days:
            return {
                "interventions": _("Tiltak %(n)d starter etter simuleringens siste dag.") % {"n": n}
            }
        unknown = sorted(set(iv.municipalities or []) - known)
        if unknown:
            return {
                "interventions": _("Tiltak %(n)d: ukjent kommunenummer %(c)s.")
                % {"n": n, "c": ", ".join(unknown[:5])}
            }
    return {}


def _capacity_errors(p: RunParameters) -> dict[str, str]:
    if p.capacity_source != CapacitySource.ENTERED:
        return {}
    unknown = sorted(set(p.capacity_entered) - set(HEALTH_REGION_CODES))
    if unknown:
        return {"capacity_entered": _("Ukjent helseregion: %(c)s.") % {"c": ", ".join(unknown)}}
    missing = [c for c in HEALTH_REGION_CODES if c not in p.capacity_entered]
    if missing:
        return {"capacity_entered": _("Oppgi intensivkapasitet for alle fire helseregioner.")}
    if any(v < 0 for v in p.capacity_entered.values()):
        return {"capacity_entered": _("Kapasitet kan ikke være negativ.")}
    return {}


def check_parameters(p: RunParameters) -> None:
    """Rules across fields; raises ValidationError({field: message})."""
    from beredskap.sim.network import municipalities

    people = {m.code: m.population for m in municipalities()}
    errors = {**_rate_errors(p), **_intervention_errors(p, set(people)), **_capacity_errors(p)}
    if p.seed_municipality is not None and p.seed_municipality not in people:
        errors["seed_municipality"] = _("Ukjent kommunenummer %(c)s.") % {"c": p.seed_municipality}
    else:
        code = p.seed_municipality or max(people, key=lambda c: people[c])
        if p.seed_exposed + p.seed_infectious > people[code]:
            errors["seed_exposed"] = _("Flere smittede ved start enn innbyggere i kommunen.")
    if p.seed_exposed + p.seed_infectious == 0:
        errors["seed_exposed"] = _("Minst én smittet person må være med ved start.")
    if errors:
        raise ValidationError(errors)


def parse_parameters(data: dict) -> RunParameters:
    """Validate a dict (from the API, a scenario or storage); ValidationError on bad input."""
    from pydantic import ValidationError as PydanticError

    try:
        params = RunParameters.model_validate(data)
    except PydanticError as exc:
        raise ValidationError(
            {
                ".".join(str(x) for x in err["loc"]) or "parameters": _("Ugyldig verdi: %(m)s")
                % {"m": err["msg"]}
                for err in exc.errors()
            }
        ) from exc
    check_parameters(params)
    return params


def to_sim(p: RunParameters):
    """(EpidemicParams, Uncertainty | None, DemandParams) for the engine."""
    from beredskap.sim.demand import DemandParams, discretised_gamma
    from beredskap.sim.network import lookup_codes
    from beredskap.sim.params import EpidemicParams, Intervention, Seeding, Uncertainty

    node = int(lookup_codes([p.seed_municipality])[0]) if p.seed_municipality else None
    interventions = tuple(
        Intervention(
            iv.start_day,
            min(iv.end_day, p.days),
            iv.reduction,
            tuple(int(i) for i in lookup_codes(iv.municipalities)) if iv.municipalities else None,
        )
        for iv in p.interventions
    )
    rate = {"r0": p.r0} if p.r0 is not None else {"beta": p.beta}
    epi = EpidemicParams(
        **rate,
        latent_days=p.latent_days,
        infectious_days=p.infectious_days,
        days=p.days,
        seeding=Seeding(p.seed_exposed, p.seed_infectious, node),
        interventions=interventions,
    )
    unc = Uncertainty(r0=(p.r0_low, p.r0_high)) if p.has_range else None  # type: ignore[arg-type]
    demand = DemandParams(
        ihr=p.ihr,
        icu_share=p.icu_share,
        hospital_los=tuple(discretised_gamma(p.hospital_los_days, 0.7 * p.hospital_los_days, 90)),
        icu_los=tuple(discretised_gamma(p.icu_los_days, 0.7 * p.icu_los_days, 120)),
    )
    return epi, unc, demand
