"""HTML views: run list, new run, run detail with live progress, results, comparison, export."""

from __future__ import annotations

from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.modelling import exports, queries, scenarios, services
from beredskap.modelling.filters import SimulationRunFilterSet
from beredskap.modelling.forms import SimulationRunForm, initial_from_parameters
from beredskap.modelling.permissions import can_manage, writable_orgs

COMPARE_MAX = 6


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    filterset = SimulationRunFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.runs(request.user)), per_page=25)
    record_reads(request.user, page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "can_create": bool(writable_orgs(request.user)),
    }
    return render(request, "modelling/run_list.html", context)


def _initial(request: HttpRequest, orgs: list) -> tuple[dict, str]:
    """Initial form values from ?scenario= or ?fra= (an earlier run), and a notice."""
    initial: dict = {"owner_org": orgs[0].pk if orgs else None}
    notice = ""
    if request.GET.get("scenario", "").isdigit():
        found = scenarios.prefill(request.user, int(request.GET["scenario"]))
        if found is None:
            notice = _("Scenarioet finnes ikke, eller modulen for scenarioer er ikke tilgjengelig.")
        else:
            values, scenario = found
            initial.update(
                initial_from_parameters(values),
                scenario_id=scenario.pk,
                classification=int(scenario.classification),
                title=_("Simulering: %(t)s") % {"t": scenario.title},
            )
            if not values:
                notice = _(
                    "Scenarioet har ingen kvantitativ epidemidel; standardverdier er fylt inn."
                )
    elif request.GET.get("fra", "").isdigit():
        earlier = queries.runs(request.user).filter(pk=int(request.GET["fra"])).first()
        if earlier is not None:
            initial.update(
                initial_from_parameters(earlier.parameters),
                title=earlier.title,
                scenario_id=earlier.scenario_id,
            )
    return initial, notice


@login_required
def run_new(request: HttpRequest) -> HttpResponse:
    orgs = writable_orgs(request.user)
    if not orgs:
        raise Http404
    initial, notice = _initial(request, orgs) if request.method == "GET" else ({}, "")
    form = SimulationRunForm(request.POST or None, initial=initial, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = services.create_run(
                by=request.user,
                owner_org=d["owner_org"],
                title=d["title"],
                parameters=form.parameters(),
                scenario_id=d.get("scenario_id"),
                classification=d["classification"],
                is_exercise=d.get("is_exercise", False),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Simuleringen er startet."))
            return redirect("modelling:run_detail", pk=run.pk)
    status = 400 if form.errors else 200
    return render(
        request, "modelling/run_form.html", {"form": form, "notice": notice}, status=status
    )


def _visible_run(request: HttpRequest, pk: int):
    run = get_object_or_404(queries.runs(request.user), pk=pk)
    record_reads(request.user, [run])
    return run


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    res = queries.run_results(run) if run.status == "done" else None
    context = {
        "run": run,
        "record": run,
        "res": res,
        "can_manage": can_manage(request.user, run),
        "params": run.parameters,
        "scenario_url": scenarios.link(request.user, run.scenario_id),
        "regions": res.group_names("rhf") if res else [],
        "bottlenecks": queries.bottlenecks(run, "rhf"),
        "trust_bottlenecks": queries.bottlenecks(run, "hf").filter(probability__gt=0)[:30],
        "summary": res.meta if res else None,
    }
    return render(request, "modelling/run_detail.html", context)


@login_required
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that htmx polls every second while the run is active."""
    run = get_object_or_404(queries.runs(request.user), pk=pk)
    response = render(
        request, "modelling/_status.html", {"run": run, "can_manage": can_manage(request.user, run)}
    )
    if not run.is_active and request.headers.get("HX-Request") and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # reload once to show the results
    return response


@login_required
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(queries.runs(request.user), pk=pk)
    try:
        services.cancel_run(by=request.user, run=run)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Simuleringen er avbrutt."))
    return redirect("modelling:run_detail", pk=run.pk)


@login_required
@require_POST
def run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(queries.runs(request.user), pk=pk)
    try:
        services.delete_run(by=request.user, run=run)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("modelling:run_detail", pk=run.pk)
    messages.success(request, _("Simuleringen er slettet."))
    return redirect("modelling:index")


def _results_or_404(request: HttpRequest, pk: int):
    run = _visible_run(request, pk)
    res = queries.run_results(run)
    if res is None:
        raise Http404
    return run, res


@login_required
def run_chart_data(request: HttpRequest, pk: int) -> JsonResponse:
    run, res = _results_or_404(request, pk)
    try:
        return JsonResponse(exports.chart_data(run, res, request.GET.get("level", "rhf")))
    except ValidationError as exc:
        return JsonResponse({"detail": exc.messages}, status=400)


@login_required
def run_map_data(request: HttpRequest, pk: int) -> JsonResponse:
    _run, res = _results_or_404(request, pk)
    return JsonResponse({"values": res.map_values()})


@cache
def _geojson_path() -> str:
    from beredskap.sim.network import _reference_path

    return str(_reference_path("geo/Kommuner-S.geojson"))


@login_required
def municipalities_geojson(request: HttpRequest) -> FileResponse:
    """Municipality outlines (shipped reference data; no tile server)."""
    response = FileResponse(open(_geojson_path(), "rb"), content_type="application/geo+json")  # noqa: SIM115
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def run_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run, res = _results_or_404(request, pk)
    series, level = request.GET.get("series", "icu"), request.GET.get("level", "rhf")
    try:
        exports.check_choice(series, level)
    except ValidationError as exc:
        return HttpResponse(
            " ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8"
        )
    name = f"simulering-{run.pk}-{slugify(run.title)[:40]}-{series}-{level}"
    table = exports.rows(run, res, series, level)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        body = exports.to_xlsx(table, f"{series}-{level}")
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@login_required
def run_compare(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.GET.getlist("runs") if x.isdigit()][:COMPARE_MAX]
    found = {r.pk: r for r in queries.runs(request.user).filter(pk__in=ids)}
    runs = [found[i] for i in ids if i in found]
    record_reads(request.user, runs)
    columns: list[dict] = []
    for run in runs:
        res = queries.run_results(run)
        columns.append(
            {
                "run": run,
                "summary": res.meta if res else None,
                "bottlenecks": {b.group: b for b in queries.bottlenecks(run, "rhf")},
                "national": exports.national_icu_median(res) if res else [],
            }
        )
    regions = sorted({g for c in columns for g in c["bottlenecks"]})
    rows = [{"region": g, "cells": [c["bottlenecks"].get(g) for c in columns]} for g in regions]
    chart = {
        "series": [
            {"label": c["run"].title, "values": c["national"]} for c in columns if c["national"]
        ]
    }
    choices = queries.runs(request.user).filter(status="done")[:50]
    context = {
        "columns": columns,
        "rows": rows,
        "chart": chart,
        "choices": choices,
        "selected": ids,
        "too_few": len(runs) < 2,
    }
    return render(request, "modelling/run_compare.html", context)
