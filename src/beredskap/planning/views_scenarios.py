"""HTML views for scenarios and planning assumptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.planning import loop, queries, services
from beredskap.planning.filters import AssumptionFilterSet, ScenarioFilterSet
from beredskap.planning.forms import AssumptionForm, ScenarioForm
from beredskap.planning.models import PlanningAssumption, Scenario
from beredskap.planning.views import form_page
from beredskap.risk import permissions
from beredskap.risk import queries as risk_queries
from beredskap.risk.views import writable_orgs


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    filterset = ScenarioFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.scenarios(request.user)), per_page=25)
    record_reads(request.user, page.object_list)
    return render(
        request,
        "planning/scenario_list.html",
        {
            "filter": filterset,
            "page": page,
            "qs": querystring_without_page(request),
            "can_create": writable_orgs(request.user).exists(),
        },
    )


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(queries.scenarios(request.user), pk=pk)
    record_reads(request.user, [scenario])
    context = {
        "scenario": scenario,
        "record": scenario,
        "can_edit": permissions.can_edit(request.user, scenario),
        "events": risk_queries.events(request.user).filter(scenarios=scenario),
        "assumptions": queries.assumptions(request.user).filter(source_scenario=scenario),
        "plans": queries.plans(request.user).filter(scenarios=scenario),
        "epidemic": scenario.epidemic_parameters(),
        **loop.downstream(request.user, scenario),
    }
    return render(request, "planning/scenario_detail.html", context)


def _scenario_data(form: ScenarioForm) -> dict:
    data = form.service_fields()
    return {
        "source_events": list(data.pop("source_events")),
        "counties": list(data.pop("counties")),
        **data,
    }


@login_required
def scenario_create(request: HttpRequest) -> HttpResponse:
    owners = writable_orgs(request.user)
    if not owners.exists():
        raise Http404
    form = ScenarioForm(request.POST or None, owner_choices=owners, user=request.user)
    return form_page(
        request,
        form,
        "planning/form.html",
        {"heading": _("Nytt scenario")},
        lambda: services.create_scenario(
            by=request.user, owner_org=form.cleaned_data["owner_org"], **_scenario_data(form)
        ),
        lambda s: redirect("planning:scenario_detail", pk=s.pk),
        _("Scenarioet er opprettet."),
    )


@login_required
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(queries.scenarios(request.user), pk=pk)
    if not permissions.can_edit(request.user, scenario):
        raise Http404
    form = ScenarioForm(
        request.POST or None,
        instance=Scenario.objects.get(pk=scenario.pk),
        user=request.user,
        initial={"version": scenario.version},
    )
    return form_page(
        request,
        form,
        "planning/form.html",
        {"heading": _("Rediger scenario"), "back": scenario},
        lambda: services.update_scenario(
            by=request.user,
            scenario=scenario,
            expected_version=form.cleaned_data.get("version") or scenario.version,
            **_scenario_data(form),
        ),
        lambda s: redirect("planning:scenario_detail", pk=s.pk),
        _("Scenarioet er lagret."),
    )


@login_required
@require_POST
def scenario_from_event(request: HttpRequest, event_pk: int) -> HttpResponse:
    """Derive a draft scenario from an undesired event, owned by the event's analysis owner
    when the user writes for it, otherwise by the user's first writable organisation."""
    event = get_object_or_404(risk_queries.events(request.user), pk=event_pk)
    owners = writable_orgs(request.user)
    owner = owners.filter(pk=event.analysis.owner_org_id).first() or owners.first()
    if owner is None:
        raise Http404
    try:
        scenario = services.derive_scenario(by=request.user, event=event, owner_org=owner)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("risk:event_detail", pk=event.pk)
    messages.success(request, _("Scenarioet er opprettet fra hendelsen. Fyll ut forløp og krav."))
    return redirect("planning:scenario_edit", pk=scenario.pk)


@login_required
def assumption_list(request: HttpRequest) -> HttpResponse:
    filterset = AssumptionFilterSet(request.GET)
    rows = filterset.apply(queries.assumptions(request.user))
    if request.GET.get("mine"):
        rows = rows.filter(pk__in=queries.assumptions_for(request.user).values("pk"))
    page = paginate(request, rows, per_page=25)
    record_reads(request.user, page.object_list)
    return render(
        request,
        "planning/assumption_list.html",
        {
            "filter": filterset,
            "page": page,
            "qs": querystring_without_page(request),
            "can_create": writable_orgs(request.user).exists(),
        },
    )


@login_required
def assumption_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assumption = get_object_or_404(queries.assumptions(request.user), pk=pk)
    record_reads(request.user, [assumption])
    can_publish = (
        assumption.level == "regional"
        and assumption.owner_org.kind == "statsforvalter"
        and permissions.writes_for(request.user, assumption.owner_org)
    )
    context = {
        "assumption": assumption,
        "record": assumption,
        "can_publish": can_publish,
        "can_edit": permissions.can_edit(request.user, assumption),
        "plans": queries.plans(request.user).filter(assumptions=assumption),
        "published_count": assumption.published_to.count(),
    }
    return render(request, "planning/assumption_detail.html", context)


@login_required
def assumption_create(request: HttpRequest) -> HttpResponse:
    owners = writable_orgs(request.user)
    if not owners.exists():
        raise Http404
    initial = (
        {"source_scenario": request.GET.get("scenario")}
        if request.GET.get("scenario", "").isdigit()
        else {}
    )
    form = AssumptionForm(
        request.POST or None, owner_choices=owners, user=request.user, initial=initial
    )
    return form_page(
        request,
        form,
        "planning/form.html",
        {"heading": _("Ny planforutsetning")},
        lambda: services.create_assumption(
            by=request.user, owner_org=form.cleaned_data["owner_org"], **form.service_fields()
        ),
        lambda a: redirect("planning:assumption_detail", pk=a.pk),
        _("Planforutsetningen er lagret."),
    )


@login_required
def assumption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assumption = get_object_or_404(queries.assumptions(request.user), pk=pk)
    if not permissions.can_edit(request.user, assumption):
        raise Http404
    form = AssumptionForm(
        request.POST or None,
        instance=PlanningAssumption.objects.get(pk=assumption.pk),
        user=request.user,
        initial={"version": assumption.version},
    )
    return form_page(
        request,
        form,
        "planning/form.html",
        {"heading": _("Rediger planforutsetning"), "back": assumption},
        lambda: services.update_assumption(
            by=request.user,
            assumption=assumption,
            expected_version=form.cleaned_data.get("version") or assumption.version,
            **form.service_fields(),
        ),
        lambda a: redirect("planning:assumption_detail", pk=a.pk),
        _("Planforutsetningen er lagret."),
    )


@login_required
@require_POST
def assumption_publish(request: HttpRequest, pk: int) -> HttpResponse:
    assumption = get_object_or_404(queries.assumptions(request.user), pk=pk)
    try:
        services.publish_assumption(by=request.user, assumption=assumption)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Planforutsetningen er publisert til %(n)s kommuner.")
            % {"n": assumption.published_to.count()},
        )
    return redirect("planning:assumption_detail", pk=assumption.pk)
