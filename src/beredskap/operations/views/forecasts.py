"""The crisis forecast page: the runs attached to the crisis (current and earlier) and, for its
coordinators, attaching and detaching them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.operations import integrations
from beredskap.operations.forms_forecast import ForecastAttachForm, ForecastDetachForm
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.services import forecasts
from beredskap.operations.views.common import attempt, attempt_form, crisis_for


def _rows(request: HttpRequest, crisis) -> list[dict]:
    """Each attachment with the run's title when the viewer may see the run."""
    out = []
    for row in crisis.forecasts.select_related("attached_by", "detached_by"):
        run, _ok = integrations.forecast_run(request.user, row.run_id)
        out.append({"row": row, "run": run})
    return out


@login_required
def forecasts_page(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    coordinator = is_coordinator(request.user, crisis) and crisis.is_open
    runs, available = integrations.attachable_runs(
        request.user, risk_area=crisis.risk_area, is_exercise=crisis.is_exercise
    )
    form = ForecastAttachForm(request.POST or None, runs=runs) if coordinator else None
    if request.method == "POST" and form is not None and form.is_valid():
        done = attempt_form(
            request,
            form,
            lambda: forecasts.attach_forecast(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Kjøringen er knyttet til krisen som prognose."),
        )
        if done is not None:
            return redirect("operations:forecasts", pk=crisis.pk)
    context = {
        "crisis": crisis,
        "rows": _rows(request, crisis),
        "form": form,
        "available": available,
        "has_runs": bool(runs),
        "coordinator": coordinator,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "operations/forecasts.html", context, status=status)


@login_required
@require_POST
def forecast_detach(request: HttpRequest, pk: int, forecast_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    row = get_object_or_404(crisis.forecasts.select_related("crisis"), pk=forecast_id)
    form = ForecastDetachForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: forecasts.detach_forecast(
                by=request.user,
                forecast=row,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            ),
            _("Prognosen er fjernet fra krisen."),
        )
    else:
        from django.contrib import messages

        messages.error(request, _("Oppgi begrunnelse for å fjerne prognosen."))
    return redirect("operations:forecasts", pk=crisis.pk)
