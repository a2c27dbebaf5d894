"""Reporting cycles, report submission, county report and the situational picture."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.access import access_context
from beredskap.operations import briefing, picture, queries, regions
from beredskap.operations.forms import CountyReportForm, ReportForm
from beredskap.operations.permissions import is_coordinator, reports_for
from beredskap.operations.report_states import report_state
from beredskap.operations.services import county, sitreps
from beredskap.operations.views.common import attempt, attempt_form, crisis_for

GEOJSON = Path(__file__).resolve().parents[2] / "reference_data" / "geo" / "Kommuner-S.geojson"


def _int_or_none(value: str | None) -> int | None:
    """A posted id, or None for anything that is not a plain number (no 500 on bad input)."""
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@login_required
def cycle_detail(request: HttpRequest, pk: int, cycle_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    cycle = get_object_or_404(crisis.cycles, pk=cycle_id)
    return _cycle_page(request, crisis, cycle)


def _cycle_page(
    request: HttpRequest,
    crisis: Any,
    cycle: Any,
    form: ReportForm | None = None,
    bound_org: int | None = None,
    status: int = 200,
) -> HttpResponse:
    my_orgs = [
        o
        for o in sitreps.expected_organisations(cycle)
        if o.pk in access_context(request.user).member_org_ids and reports_for(request.user, o)
    ]
    context = {
        "crisis": crisis,
        "cycle": cycle,
        "my_orgs": my_orgs,
        "form": ReportForm(),
        "bound_form": form,
        "bound_org": bound_org,
        "reports": queries.reports(request.user, crisis).filter(cycle=cycle)[:100],
        "overdue": sitreps.overdue(cycle),
        "awaited": sitreps.awaited(cycle),
        "next_due": sitreps.next_deadline(cycle, timezone.now()),
        "next_state": report_state(
            cycle,
            sitreps.next_deadline(cycle, timezone.now()),
            reported=False,
            now=timezone.now(),
        ),
        "coordinator": is_coordinator(request.user, crisis),
    }
    return render(request, "operations/cycle.html", context, status=status)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int, cycle_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    cycle = get_object_or_404(crisis.cycles, pk=cycle_id)
    organisation = get_object_or_404(
        Organisation, pk=_int_or_none(request.POST.get("organisation")) or 0
    )
    form = ReportForm(request.POST)
    if form.is_valid():
        report = attempt_form(
            request,
            form,
            lambda: sitreps.submit_report(
                by=request.user, cycle=cycle, organisation=organisation, **form.cleaned_data
            ),
            _("Rapporten er levert."),
        )
        if report is not None:
            return redirect("operations:cycle", pk=pk, cycle_id=cycle_id)
    return _cycle_page(request, crisis, cycle, form, organisation.pk, status=400)


@login_required
@require_POST
def county_report(request: HttpRequest, pk: int, cycle_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    cycle = get_object_or_404(crisis.cycles, pk=cycle_id)
    period = parse_datetime(request.POST.get("period_due", ""))
    sf_id = _int_or_none(request.POST.get("statsforvalter"))
    offices = Organisation.objects.filter(kind=OrganisationKind.STATSFORVALTER)
    sf = offices.filter(pk=sf_id).first() if sf_id is not None else None
    if period is None or sf is None:
        messages.error(request, _("Velg embete og frist."))
    else:
        attempt(
            request,
            lambda: sitreps.build_county_report(
                by=request.user, cycle=cycle, statsforvalter=sf, period_due=period
            ),
            _("Utkastet til fylkesrapport er satt sammen. Les det, rett det og send det inn."),
        )
    return redirect("operations:cycle", pk=pk, cycle_id=cycle_id)


@login_required
def report_detail(request: HttpRequest, pk: int, report_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    report = get_object_or_404(queries.reports(request.user, crisis), pk=report_id)
    return _report_page(request, crisis, report)


def _report_page(
    request: HttpRequest,
    crisis: Any,
    report: Any,
    form: CountyReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from beredskap.core.audit import record_reads

    record_reads(request.user, [report])
    sources = queries.reports(request.user, crisis).filter(used_in=report)
    editable = report.draft and reports_for(request.user, report.organisation)
    if editable and form is None:
        initial = {"version": report.version}
        for name in CountyReportForm.base_fields:
            if name != "version":
                initial[name] = getattr(report, name)
        form = CountyReportForm(initial=initial)
    return render(
        request,
        "operations/report.html",
        {
            "crisis": crisis,
            "report": report,
            "sources": sources,
            "draft_form": form if editable else None,
        },
        status=status,
    )


@login_required
@require_POST
def county_edit(request: HttpRequest, pk: int, report_id: int) -> HttpResponse:
    """Save the draft's edits; with «file» pressed, file it in the same step."""
    crisis = crisis_for(request, pk)
    report = get_object_or_404(queries.reports(request.user, crisis), pk=report_id)
    form = CountyReportForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")

        def save() -> Any:
            saved = county.edit_county_report(
                by=request.user, report=report, expected_version=version, **data
            )
            if "file" in request.POST:
                saved = county.file_county_report(
                    by=request.user, report=saved, expected_version=saved.version
                )
            return saved

        done = (
            _("Fylkesrapporten er sendt inn.")
            if "file" in request.POST
            else _("Utkastet er lagret.")
        )
        if attempt_form(request, form, save, done) is not None:
            return redirect("operations:report", pk=pk, report_id=report.pk)
    return _report_page(request, crisis, report, form, status=400)


@login_required
def picture_page(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    region = regions.chosen_region(request.user, request.GET.get("region"))
    return render(
        request,
        "operations/picture.html",
        {
            "crisis": crisis,
            "p": picture.picture(request.user, crisis, region),
            "region_param": region or regions.NATIONAL,
            "region_choices": regions.choices(),
        },
    )


@login_required
def picture_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    region = regions.chosen_region(request.user, request.GET.get("region"))
    return render(
        request,
        "operations/_picture_body.html",
        {"crisis": crisis, "p": picture.picture(request.user, crisis, region)},
    )


@login_required
def picture_status(request: HttpRequest, pk: int) -> JsonResponse:
    crisis = crisis_for(request, pk)
    return JsonResponse(
        {
            "exercise": crisis.is_exercise,
            "status": picture.municipality_status(request.user, crisis),
        }
    )


@cache
def _outlines() -> bytes:
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    for feature in data["features"]:
        props = feature["properties"]
        feature["properties"] = {
            "number": props.get("kommunenummer"),
            "name": props.get("kommunenavn"),
        }
    return json.dumps(data, separators=(",", ":")).encode()


@login_required
def outlines(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_outlines(), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    if not crisis:
        raise Http404
    pdf = briefing.render(crisis, picture.picture(request.user, crisis))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brifing-krise-{crisis.pk}.pdf"'
    from beredskap.core.audit import record_event

    record_event(
        "export",
        actor=request.user,
        detail={"crisis": crisis.pk, "what": "briefing"},
        label="operations.crisis",
    )
    return response
