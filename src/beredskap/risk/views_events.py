"""HTML views for undesired events, their vulnerabilities and risk-reducing measures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.core.paging import paginate, querystring_without_page
from beredskap.risk import permissions, queries, services
from beredskap.risk.filters import MeasureFilterSet
from beredskap.risk.formerrors import run_service
from beredskap.risk.forms import EventForm, MeasureForm, VulnerabilityForm
from beredskap.risk.models import UndesiredEvent
from beredskap.risk.views import visible_analysis

CONSEQUENCE_FIELDS = {"consequences": "c_life_health"}


def _editable_analysis(request: HttpRequest, pk: int):
    analysis = visible_analysis(request, pk)
    if not (permissions.can_edit(request.user, analysis) and analysis.is_editable):
        raise Http404
    return analysis


@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _editable_analysis(request, pk)
    form = EventForm(request.POST or None, initial={"risk_area": analysis.risk_area or "general"})
    status = 200
    if request.method == "POST" and form.is_valid():
        event, status = run_service(
            form,
            lambda: services.add_event(
                by=request.user,
                analysis=analysis,
                consequences=form.consequences(),
                **form.event_fields(),
            ),
            CONSEQUENCE_FIELDS,
        )
        if event is not None:
            messages.success(request, _("Hendelsen %(c)s er lagt til.") % {"c": event.code})
            return redirect("risk:analysis_detail", pk=analysis.pk)
    return render(
        request,
        "risk/event_form.html",
        {"form": form, "analysis": analysis},
        status=status if form.errors else 200,
    )


def _visible_event(request: HttpRequest, pk: int) -> UndesiredEvent:
    return get_object_or_404(queries.events(request.user), pk=pk)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    analysis = _editable_analysis(request, event.analysis_id)
    form = EventForm(
        request.POST or None,
        instance=UndesiredEvent.objects.get(pk=event.pk),
        initial={"version": event.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or event.version
        result, status = run_service(
            form,
            lambda: services.update_event(
                by=request.user,
                event=event,
                expected_version=version,
                consequences=form.consequences(),
                **form.event_fields(),
            ),
            CONSEQUENCE_FIELDS,
        )
        if result is not None:
            messages.success(request, _("Hendelsen er lagret."))
            return redirect("risk:analysis_detail", pk=analysis.pk)
    return render(
        request,
        "risk/event_form.html",
        {"form": form, "analysis": analysis, "event": event},
        status=status if form.errors else 200,
    )


def _scenario_links(request: HttpRequest, event: UndesiredEvent) -> dict:
    """Scenarios derived from the event (planning app; degrade gracefully without it)."""
    try:
        from beredskap.planning.queries import scenarios
    except ImportError:  # pragma: no cover - planning not installed
        return {"can_derive": False, "scenarios": []}
    from beredskap.planning.loop import downstream, event_plans
    from beredskap.risk.views import writable_orgs

    return {
        "can_derive": writable_orgs(request.user).exists(),
        "scenarios": scenarios(request.user).filter(source_events=event),
        "plans": event_plans(request.user, event),
        **downstream(request.user, event),
    }


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    analysis = event.analysis
    can_edit = permissions.can_edit(request.user, analysis) and analysis.is_editable
    context = {
        "event": event,
        "analysis": analysis,
        "can_edit": can_edit,
        "measures": event.measures.select_related("owner"),
        "vulnerabilities": event.vulnerabilities.all(),
        "measure_form": MeasureForm(prefix="m") if can_edit else None,
        "vulnerability_form": VulnerabilityForm(prefix="v") if can_edit else None,
        **_scenario_links(request, event),
    }
    return render(request, "risk/event_detail.html", context)


@login_required
@require_POST
def event_add_part(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add a measure or a vulnerability to an event."""
    event = _visible_event(request, pk)
    form: forms.BaseForm
    call: Callable[[], Any]
    if part == "tiltak":
        form = MeasureForm(request.POST, prefix="m")
        call = lambda: services.add_measure(  # noqa: E731
            by=request.user,
            event=event,
            **{k: v for k, v in form.cleaned_data.items() if k != "version"},
        )
    elif part == "sarbarhet":
        form = VulnerabilityForm(request.POST, prefix="v")
        call = lambda: services.add_vulnerability(by=request.user, event=event, **form.cleaned_data)  # noqa: E731
    else:
        raise Http404
    if form.is_valid():
        result, _status = run_service(form, call)
        if result is not None:
            messages.success(request, _("Lagret."))
            return redirect("risk:event_detail", pk=event.pk)
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("risk:event_detail", pk=event.pk)


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    filterset = MeasureFilterSet(request.GET)
    rows = filterset.apply(queries.measures(request.user)).order_by("due_date", "id")
    page = paginate(request, rows, per_page=25)
    return render(
        request,
        "risk/measure_list.html",
        {"filter": filterset, "page": page, "qs": querystring_without_page(request)},
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(queries.measures(request.user), pk=pk)
    analysis = measure.event.analysis
    if not (
        permissions.can_edit(request.user, analysis)
        or permissions.writes_for(request.user, measure.owner)
    ):
        raise Http404
    form = MeasureForm(
        request.POST or None,
        instance=type(measure).objects.get(pk=measure.pk),
        initial={"version": measure.version},
    )
    if not analysis.is_editable:
        for name in list(form.fields):
            if name not in ("status", "version"):
                del form.fields[name]
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        version = form.cleaned_data.get("version") or measure.version
        result, status = run_service(
            form,
            lambda: services.update_measure(
                by=request.user, measure=measure, expected_version=version, **data
            ),
        )
        if result is not None:
            messages.success(request, _("Tiltaket er lagret."))
            return redirect("risk:event_detail", pk=measure.event_id)
    return render(
        request,
        "risk/measure_form.html",
        {"form": form, "measure": measure},
        status=status if form.errors else 200,
    )
