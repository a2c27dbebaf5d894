"""Entry forms: stock movements, blood inventories, personnel counts, emergency water.

Each page offers only what the user reports for; the services check permission again
and every refusal is shown on the form (nothing half-written)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from beredskap.capacity.entry_forms import (
    BloodInventoryForm,
    PersonnelReportForm,
    StockMovementForm,
    WaterSupplyForm,
    apply_errors,
)
from beredskap.capacity.models import WaterSupply
from beredskap.capacity.permissions import reporting_org_ids
from beredskap.capacity.queries import stock as stock_queries
from beredskap.capacity.services import blood, personnel, stock, water
from beredskap.core.errors import PermissionDenied, StaleEdit

REFUSALS = (ValidationError, PermissionDenied, StaleEdit)


def _organisations(user: Any):
    from beredskap.actors.models import Organisation

    return Organisation.objects.filter(pk__in=reporting_org_ids(user)).order_by("name")


def _render(request: HttpRequest, template: str, form: Any, **extra: Any) -> HttpResponse:
    return render(request, template, {"form": form, **extra}, status=400 if form.errors else 200)


@login_required
def stock_movement(request: HttpRequest) -> HttpResponse:
    sources = stock_queries.locations(request.user).filter(
        owner_org_id__in=reporting_org_ids(request.user)
    )
    initial = (
        {"location": sources.filter(pk=request.GET["lager"]).first()}
        if request.GET.get("lager", "").isdigit()
        else {}
    )
    form = StockMovementForm(
        request.POST or None,
        sources=sources,
        targets=stock_queries.locations(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "by": request.user,
            "product": data["product"],
            "quantity": data["quantity"],
            "lot": data["lot"].strip(),
            "reference": data["reference"],
        }
        try:
            if data["kind"] == "receipt":
                stock.receive(location=data["location"], expires_on=data["expires_on"], **common)
                text = _("Mottaket er registrert.")
            elif data["kind"] == "issue":
                stock.issue(location=data["location"], **common)
                text = _("Uttaket er registrert.")
            else:
                stock.transfer(source=data["location"], target=data["target"], **common)
                text = _("Overføringen til %(t)s er registrert.") % {"t": data["target"].name}
        except REFUSALS as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, text)
            return redirect(f"{reverse('capacity:stock')}?lager={data['location'].pk}")
    return _render(request, "capacity/stock_movement.html", form, no_locations=not sources.exists())


@login_required
def blood_report(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request.user)
    form = BloodInventoryForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            blood.submit_blood_inventory(
                by=request.user,
                owner_org=data["owner_org"],
                blood_bank=data["blood_bank"],
                reported_at=data["reported_at"],
                counts=form.counts(),
            )
        except REFUSALS as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Blodbeholdningen for %(b)s er lagret.") % {"b": data["blood_bank"]}
            )
            return redirect("capacity:index")
    return _render(request, "capacity/blood_form.html", form, no_orgs=not organisations.exists())


@login_required
def personnel_report(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request.user)
    form = PersonnelReportForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            personnel.submit_personnel_report(
                by=request.user,
                owner_org=data["owner_org"],
                reported_at=data["reported_at"],
                counts=form.counts(),
            )
        except REFUSALS as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Personellrapporten for %(o)s er lagret.") % {"o": data["owner_org"].name},
            )
            return redirect("capacity:index")
    return _render(
        request, "capacity/personnel_form.html", form, no_orgs=not organisations.exists()
    )


@login_required
def water_form(request: HttpRequest) -> HttpResponse:
    from beredskap.core.models import Municipality

    municipalities = Municipality.objects.filter(
        organisation__pk__in=reporting_org_ids(request.user)
    ).order_by("name")
    chosen = request.POST.get("municipality") or request.GET.get("kommune") or ""
    municipality = municipalities.filter(pk=chosen).first() if chosen.isdigit() else None
    if municipality is None and chosen:
        municipality = municipalities.filter(number=chosen).first()
    if municipality is None and municipalities.count() == 1:
        municipality = municipalities.first()
    existing = (
        WaterSupply.objects.filter(municipality=municipality).first() if municipality else None
    )
    initial: dict[str, Any] = {"municipality": municipality}
    if existing is not None:
        initial |= {f: getattr(existing, f) for f in water.WATER_FIELDS} | {
            "expected_version": existing.version
        }
    form = WaterSupplyForm(request.POST or None, municipalities=municipalities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target, version = data.pop("municipality"), data.pop("expected_version")
        try:
            water.save_water_supply(
                by=request.user, municipality=target, expected_version=version, **data
            )
        except REFUSALS as exc:
            if isinstance(exc, StaleEdit):
                form.add_error(
                    None, _("Noen andre har endret posten i mellomtiden. Last siden på nytt.")
                )
            else:
                apply_errors(form, exc)
        else:
            messages.success(
                request, _("Nødvannsforsyningen for %(m)s er lagret.") % {"m": target.name}
            )
            return redirect(f"{reverse('capacity:water')}?county={target.county.number}")
    return _render(
        request,
        "capacity/water_form.html",
        form,
        existing=existing,
        no_municipalities=not municipalities.exists(),
    )
