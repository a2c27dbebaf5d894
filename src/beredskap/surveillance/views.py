"""HTML screens of surveillance: weekly overview, signals and their assessment, series charts,
upload of observations, the weekly «OBS varsel» subscriptions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.operations import queries as crisis_queries
from beredskap.surveillance import chart, permissions, queries, services
from beredskap.surveillance.filters import SignalFilterSet
from beredskap.surveillance.forms import AlertSubscriptionForm, AssessForm, TakeForm, UploadForm
from beredskap.surveillance.models import Dispersion, Method

WRITE_ERRORS = (PermissionDenied, ValidationError, StaleEdit)


def _errors(exc: Exception) -> str:
    if isinstance(exc, StaleEdit):
        return _("Signalet er endret av en annen. Last siden på nytt.")
    return " ".join(getattr(exc, "messages", [str(exc)]))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Weekly overview per indicator: the latest week's level per visible series."""
    indicators = list(queries.indicators(request.user))
    chosen = next((i for i in indicators if i.key == request.GET.get("indicator")), None)
    chosen = chosen or (indicators[0] if indicators else None)
    overview = queries.weekly_overview(request.user, chosen) if chosen else None
    context = {
        "indicators": indicators,
        "indicator": chosen,
        "overview": overview,
        "run": queries.latest_run(chosen) if chosen else None,
        "method_label": Method(chosen.method).label if chosen else "",
        "dispersion_label": Dispersion(chosen.dispersion).label if chosen else "",
        "open_signals": queries.signals(request.user)
        .filter(status__in=["new", "assessing"])
        .count(),
        "may_upload": permissions.may_upload(request.user),
    }
    return render(request, "surveillance/index.html", context)


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    filterset = SignalFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.signals(request.user)), per_page=50)
    context = {"filter": filterset, "page": page, "qs": querystring_without_page(request)}
    return render(request, "surveillance/signal_list.html", context)


def _signal(request: HttpRequest, pk: int):
    return get_object_or_404(queries.signals(request.user), pk=pk)


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    results = list(queries.results(request.user, signal.series).order_by("period"))[-52:]
    can_assess = permissions.may_assess(request.user, signal)
    context = {
        "signal": signal,
        "events": queries.signal_events(request.user, signal),
        "can_assess": can_assess,
        "assess_form": AssessForm(
            initial={"version": signal.version, "status": signal.status},
            crises=crisis_queries.crises(request.user),
        ),
        "take_form": TakeForm(initial={"version": signal.version}),
        "svg": mark_safe(chart.render(results, str(signal.series))),  # noqa: S308 - escaped
    }
    return render(request, "surveillance/signal_detail.html", context)


@login_required
@require_POST
def signal_take(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    form = TakeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Ugyldig skjema."))
        services.take_ownership(
            by=request.user, signal=signal, expected_version=form.cleaned_data["version"]
        )
        messages.success(request, _("Du er nå ansvarlig for signalet."))
    except WRITE_ERRORS as exc:
        messages.error(request, _errors(exc))
    return redirect("surveillance:signal_detail", pk=pk)


@login_required
def signal_assess(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    if request.method != "POST":
        return redirect("surveillance:signal_detail", pk=pk)
    form = AssessForm(request.POST, crises=crisis_queries.crises(request.user))
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        data = form.cleaned_data
        services.change_status(
            by=request.user,
            signal=signal,
            status=data["status"],
            reason=data["reason"],
            crisis=data["crisis"],
            expected_version=data["version"],
        )
        messages.success(request, _("Vurderingen er lagret."))
        return redirect("surveillance:signal_detail", pk=pk)
    except WRITE_ERRORS as exc:
        messages.error(request, _errors(exc))
    results = list(queries.results(request.user, signal.series).order_by("period"))[-52:]
    context = {
        "signal": signal,
        "events": queries.signal_events(request.user, signal),
        "can_assess": permissions.may_assess(request.user, signal),
        "assess_form": form,
        "take_form": TakeForm(initial={"version": signal.version}),
        "svg": mark_safe(chart.render(results, str(signal.series))),  # noqa: S308 - escaped
    }
    return render(request, "surveillance/signal_detail.html", context, status=400)


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(queries.series(request.user), pk=pk)
    results = list(queries.results(request.user, series).order_by("period"))
    context = {
        "series": series,
        "results": list(reversed(results[-12:])),
        "svg": mark_safe(chart.render(results[-104:], str(series))),  # noqa: S308 - escaped
        "signals": queries.signals(request.user).filter(series=series)[:20],
        "corrections": queries.observations(request.user, series).count(),
    }
    return render(request, "surveillance/series_detail.html", context)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """CSV/XLSX upload of observations: all-or-nothing, every bad row reported."""
    from beredskap.core.tabular import read_rows

    indicators = queries.indicators(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, indicators=indicators)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
            batch = services.record_observations(
                by=request.user,
                indicator=form.cleaned_data["indicator"],
                rows=rows,
                source="upload",
                first_number=2,
            )
            errors = batch.errors
            if not errors:
                messages.success(
                    request,
                    _("%(s)s tall lagret, %(u)s uendret. Deteksjon er satt i gang.")
                    % {"s": batch.stored, "u": batch.unchanged}
                    if batch.stored
                    else _("Ingen nye tall: alle %(u)s var allerede kjent.")
                    % {"u": batch.unchanged},
                )
                return redirect("surveillance:index")
        except WRITE_ERRORS as exc:
            messages.error(request, _errors(exc))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "errors": errors, "may_upload": permissions.may_upload(request.user)}
    return render(request, "surveillance/upload.html", context, status=status)


def _alert_areas(user: Any) -> list[tuple[str, str]]:
    areas: dict[str, str] = {}
    for indicator in queries.indicators(user):
        areas.update(queries.subscribable_areas(user, indicator))
    return sorted(areas.items(), key=lambda item: item[1])


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The user's own weekly «OBS varsel» subscriptions and what each week's run did."""
    areas = _alert_areas(request.user)
    form = AlertSubscriptionForm(
        request.POST if request.POST.get("action") == "subscribe" else None,
        indicators=queries.indicators(request.user),
        areas=areas,
        initial={"threshold": "medium"},
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end":
                subscription = get_object_or_404(
                    queries.alert_subscriptions(request.user), pk=request.POST.get("pk")
                )
                services.end_alerts(by=request.user, subscription=subscription)
                messages.success(request, _("Varselet er avsluttet."))
                return redirect("surveillance:alerts")
            if form.is_valid():
                services.subscribe_alerts(by=request.user, **form.cleaned_data)
                messages.success(request, _("Du får OBS-varsel hver uke når noe når nivået."))
                return redirect("surveillance:alerts")
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                for error in errors:
                    form.add_error(None if field == "__all__" else field, error)
        status = 400
    own = queries.alert_subscriptions(request.user)
    names = dict(areas)
    rows = [
        {
            "subscription": s,
            "areas": [names.get(code, code) for code in s.area_codes],
            "dispatches": list(s.dispatches.all()[:4]),
        }
        for s in own
    ]
    address = request.user.email or getattr(getattr(request.user, "person", None), "email", "")
    context = {"form": form, "rows": rows, "address": address, "has_areas": bool(areas)}
    return render(request, "surveillance/alerts.html", context, status=status)


@require_GET
def measure(request: HttpRequest, key: str) -> HttpResponse:
    """An indicator's published FHIR Measure (a definition without data: served without
    sign-in, like a published profile, so a sender can resolve the canonical URL)."""
    from beredskap.core.fhiroutcome import fhir_response, operation_outcome
    from beredskap.surveillance import fhir

    indicator = queries.published_indicator(key)
    if indicator is None:
        outcome = operation_outcome(
            [f"Ukjent Measure: {fhir.MEASURE_PREFIX}{key[:60]}"], "not-found"
        )
        return fhir_response(outcome, 404)
    return fhir_response(fhir.measure_resource(indicator))
