"""Stock, reserve registry and emergency-water pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from beredskap.capacity.forms import ReserveSearchForm, VolunteerForm
from beredskap.capacity.models import ReserveVolunteer
from beredskap.capacity.permissions import is_coordinator, reporting_org_ids
from beredskap.capacity.queries import personnel as personnel_queries
from beredskap.capacity.queries import stock as stock_queries
from beredskap.capacity.queries import water as water_queries
from beredskap.capacity.services import personnel
from beredskap.capacity.views.common import level
from beredskap.core.audit import record_reads
from beredskap.core.errors import StaleEdit
from beredskap.core.paging import paginate, querystring_without_page


@login_required
def stock(request: HttpRequest) -> HttpResponse:
    scope = level(request)
    location = None
    if request.GET.get("lager"):
        location = get_object_or_404(stock_queries.locations(request.user), pk=request.GET["lager"])
    scenario = request.GET.get("scenario") or None
    context = {
        **scope,
        "location": location,
        "can_report": bool(reporting_org_ids(request.user)),
        "scenario": scenario,
        "scenarios": stock_queries.scenarios(),
        "locations": stock_queries.locations(request.user, health_region=scope["region"]),
        "coverage": stock_queries.coverage(
            request.user, health_region=scope["region"], location=location, scenario=scenario
        ),
        "expiring": stock_queries.expiry_warnings(
            request.user, health_region=scope["region"], location=location
        ),
        "movements": stock_queries.movements(request.user, location=location)[:25]
        if location
        else [],
    }
    return render(request, "capacity/stock.html", context)


@login_required
def reserve_me(request: HttpRequest) -> HttpResponse:
    """The person's own registration: register, update (re-confirms), export, withdraw."""
    volunteer = ReserveVolunteer.objects.filter(user_id=int(request.user.pk or 0)).first()
    initial = {}
    if volunteer:
        initial = {f: getattr(volunteer, f) for f in personnel.VOLUNTEER_FIELDS}
    form = VolunteerForm(request.POST or None, initial=initial, with_consent=volunteer is None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if volunteer is None:
                personnel.register_volunteer(by=request.user, **data)
            else:
                personnel.update_volunteer(
                    by=request.user, volunteer=volunteer, expected_version=volunteer.version, **data
                )
        except (ValidationError, StaleEdit) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)])[0])
        else:
            messages.success(request, _("Registreringen er lagret og bekreftet."))
            return redirect("capacity:reserve_me")
    return render(
        request,
        "capacity/reserve_me.html",
        {"form": form, "volunteer": volunteer},
        status=400 if form.errors else 200,
    )


@login_required
def reserve_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        personnel.export_own_data(by=request.user), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mine-reservedata.json"'
    return response


@login_required
def reserve_withdraw(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    if personnel.withdraw_consent(by=request.user):
        messages.success(request, _("Samtykket er trukket og registreringen din er slettet."))
    return redirect("capacity:reserve_me")


@login_required
def reserve_search(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise Http404
    form = ReserveSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = personnel_queries.reserve_search(
        request.user,
        profession=data.get("profession") or None,
        competence=data.get("competence") or None,
        health_region=data.get("health_region") or None,
    )
    page = paginate(request, qs, per_page=25)
    record_reads(request.user, page.object_list)
    return render(
        request,
        "capacity/reserve_search.html",
        {"form": form, "page": page, "qs": querystring_without_page(request)},
    )


@login_required
def water(request: HttpRequest) -> HttpResponse:
    scope = level(request)
    records = water_queries.water_records(
        request.user,
        county=scope["county"],
        health_region=scope["region"],
        organisation_ids=scope["org_ids"],
    )
    page = paginate(request, records, per_page=50)
    return render(
        request,
        "capacity/water.html",
        {
            **scope,
            "page": page,
            "qs": querystring_without_page(request),
            "can_report": bool(reporting_org_ids(request.user)),
        },
    )
