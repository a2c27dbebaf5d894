"""Attach a simulation run to a crisis as its forecast, or detach it (white paper 2.2.1: the
modelling groups support the crisis staff, who decide what the picture rests on).

Only the crisis's coordinators attach and detach, with a reason. The run must be one the
coordinator may see, finished, of the crisis's risk area, and an exercise run for an exercise
crisis or a real run for a real one — exercise and real figures are never mixed (3.1).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.operations import integrations
from beredskap.operations.models import Crisis, CrisisForecast
from beredskap.operations.permissions import require_coordinator, require_open
from beredskap.operations.services.crises import log


def _checked_run(by: Any, crisis: Crisis, run_id: int) -> dict[str, Any]:
    run, available = integrations.forecast_run(by, run_id)
    if not available:
        raise ValidationError(_("Modelleringsmodulen er ikke tilgjengelig i denne installasjonen."))
    if run is None:
        raise ValidationError(
            {"run_id": _("Fant ingen kjøring med dette nummeret som du har tilgang til.")}
        )
    if not run["done"]:
        raise ValidationError({"run_id": _("Bare en ferdig kjøring kan brukes som prognose.")})
    if run["risk_area"] != crisis.risk_area:
        raise ValidationError({"run_id": _("Kjøringen gjelder et annet risikoområde enn krisen.")})
    if run["is_exercise"] != crisis.is_exercise:
        raise ValidationError(
            {
                "run_id": _("En øvelse kan bare bruke øvelseskjøringer.")
                if crisis.is_exercise
                else _("En reell krise kan ikke bruke en øvelseskjøring.")
            }
        )
    return run


def attach_forecast(*, by: Any, crisis: Crisis, run_id: int, reason: str) -> CrisisForecast:
    """Make a finished run part of the crisis's forecast."""
    require_coordinator(by, crisis)
    require_open(crisis)
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi hvorfor kjøringen skal brukes som prognose.")})
    _checked_run(by, crisis, run_id)
    if crisis.forecasts.filter(run_id=run_id, detached_at=None).exists():
        raise ValidationError({"run_id": _("Kjøringen er allerede knyttet til krisen.")})
    with acting_as(by), transaction.atomic():
        forecast = CrisisForecast.objects.create(
            crisis=crisis,
            run_id=run_id,
            reason=reason.strip()[:500],
            attached_by=by,
            attached_at=timezone.now(),
        )
        log(
            crisis=crisis,
            by=by,
            kind="forecast",
            text=_("Prognose knyttet til krisen: kjøring %(id)s.") % {"id": run_id},
        )
    return forecast


def detach_forecast(
    *, by: Any, forecast: CrisisForecast, reason: str, expected_version: int
) -> CrisisForecast:
    """End the use of a run as the crisis's forecast; the attachment is kept as history."""
    crisis = forecast.crisis
    require_coordinator(by, crisis)
    require_open(crisis)
    if forecast.detached_at is not None:
        raise ValidationError(_("Prognosen er allerede fjernet."))
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi hvorfor prognosen fjernes.")})
    with acting_as(by), transaction.atomic():
        forecast.version = expected_version
        forecast.detached_by = by
        forecast.detached_at = timezone.now()
        forecast.detach_reason = reason.strip()[:500]
        forecast.save()
        log(
            crisis=crisis,
            by=by,
            kind="forecast",
            text=_("Prognose fjernet fra krisen: kjøring %(id)s.") % {"id": forecast.run_id},
        )
    return forecast
