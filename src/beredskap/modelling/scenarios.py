"""Read scenarios from the planning app when it is installed: a simulation runs a
planning scenario's parameters (white paper 4.6, dimensioning scenarios).

Interface: ``beredskap.planning.models.Scenario`` with ``title``,
``risk_area`` and ``epidemic_parameters() -> dict | None``. Imported lazily; without the
planning app every function degrades to "no scenario".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

#: Scenario keys (Scenario.epidemic_parameters()) → run parameter names; the rest map to themselves.
KEYS = (
    "r0",
    "latent_days",
    "infectious_days",
    "days",
    "seed_exposed",
    "seed_infectious",
    "seed_municipality",
    "ihr",
    "icu_share",
)


def scenario_model() -> Any:
    try:
        from beredskap.planning.models import Scenario
    except ImportError:
        return None
    return Scenario if hasattr(Scenario, "epidemic_parameters") else None


def visible_scenario(user: Any, scenario_id: int) -> Any:
    """The scenario if the user may see it, else None."""
    model = scenario_model()
    if model is None:
        return None
    return model.objects.visible_to(user).filter(pk=scenario_id).first()


def prefill(user: Any, scenario_id: int) -> tuple[dict, Any] | None:
    """(run parameters taken from the scenario, the scenario) or None."""
    scenario = visible_scenario(user, scenario_id)
    if scenario is None:
        return None
    epi = scenario.epidemic_parameters() or {}
    values = {k: epi[k] for k in KEYS if epi.get(k) is not None}
    return values, scenario


def link(user: Any, scenario_id: int | None) -> str | None:
    """The planning app's page for the scenario, when it exists and the user may see it."""
    if scenario_id is None or visible_scenario(user, scenario_id) is None:
        return None
    try:
        return reverse("planning:scenario_detail", args=[scenario_id])
    except NoReverseMatch:
        return None


def require_visible(user: Any, scenario_id: int | None) -> Any:
    if scenario_id is None:
        return None
    scenario = visible_scenario(user, scenario_id)
    if scenario is None:
        raise ValidationError(
            {"scenario_id": _("Ukjent scenario, eller du har ikke tilgang til det.")}
        )
    return scenario
