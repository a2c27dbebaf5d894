"""Bed and ICU pages: the current picture, a facility's history, the fast report form and
the upload of EDXL-HAVE / FHIR files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beredskap.capacity import summary
from beredskap.capacity.forms import BedReportForm, MessageUploadForm
from beredskap.capacity.interop import fhir, have
from beredskap.capacity.interop.common import MessageInvalid
from beredskap.capacity.interop.service import guess_format, import_message
from beredskap.capacity.models import BedCategory, ReportSource
from beredskap.capacity.models.beds import BED_DEFINITIONS, ICU_CATEGORIES
from beredskap.capacity.permissions import reporting_org_ids
from beredskap.capacity.queries import beds as queries
from beredskap.capacity.services import beds as services
from beredskap.capacity.services.common import ImportRejected
from beredskap.capacity.views.common import level
from beredskap.core.errors import PermissionDenied


@login_required
def picture(request: HttpRequest) -> HttpResponse:
    scope = level(request)
    lines = queries.facility_lines(request.user, health_region=scope["region"])
    context = {
        **scope,
        "lines": lines,
        "totals": summary.bed_picture(request.user, health_region=scope["region"]),
        "stale_count": sum(1 for line in lines if line.stale),
        "can_report": bool(reporting_org_ids(request.user)),
        "definitions": [(BedCategory(c).label, d.definition) for c, d in BED_DEFINITIONS.items()],
        "history": queries.history(
            request.user, health_region=scope["region"], categories=ICU_CATEGORIES
        ),
    }
    return render(request, "capacity/beds.html", context)


@login_required
def facility_detail(request: HttpRequest, code: str) -> HttpResponse:
    facility = get_object_or_404(queries.facilities(), code=code)
    reports = (
        queries.visible_reports(request.user)
        .filter(facility=facility)
        .prefetch_related("counts")[:20]
    )
    context = {
        "facility": facility,
        "reports": reports,
        "history": queries.history(request.user, facility=facility, categories=ICU_CATEGORIES),
        "can_report": facility.organisation_id in reporting_org_ids(request.user),
    }
    return render(request, "capacity/facility.html", context)


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    facilities = queries.facilities(organisation_ids=reporting_org_ids(request.user))
    initial = {"facility": facilities.filter(code=request.GET.get("enhet")).first()}
    form = BedReportForm(request.POST or None, facilities=facilities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if "__" not in k}
        try:
            report = services.submit_bed_report(
                by=request.user, counts=form.counts(), source=ReportSource.FORM, **data
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Rapporten for %(f)s er lagret.") % {"f": report.facility.name}
            )
            return redirect("capacity:facility", code=report.facility.code)
    status = 400 if form.errors else 200
    return render(
        request,
        "capacity/report_form.html",
        {"form": form, "no_facilities": not facilities.exists()},
        status=status,
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    form = MessageUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read(5 * 1024 * 1024 + 1)
        fmt = form.cleaned_data["fmt"]
        fmt = guess_format(upload_file.name, data) if fmt == "auto" else fmt
        try:
            created = import_message(by=request.user, data=data, fmt=fmt)
        except MessageInvalid as exc:
            problems = exc.problems
        except ImportRejected as exc:
            problems = [f"{row['row']}: {row['error']}" for row in exc.rows]
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d rapport er importert.", "%(n)d rapporter er importert.", len(created)
                )
                % {"n": len(created)},
            )
            return redirect("capacity:beds")
    status = 400 if problems or form.errors else 200
    return render(
        request, "capacity/upload.html", {"form": form, "problems": problems}, status=status
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    scope = level(request)
    reports = list(
        queries.latest_reports(request.user, health_region=scope["region"]).prefetch_related(
            "counts"
        )
    )
    if fmt == "edxl-have":
        if not reports:
            messages.error(request, _("Ingen rapporter å eksportere."))
            return redirect("capacity:beds")
        response = HttpResponse(have.export_reports(reports), content_type="application/xml")
        response["Content-Disposition"] = 'attachment; filename="sengekapasitet-edxl-have.xml"'
        return response
    import json

    response = HttpResponse(
        json.dumps(fhir.export_bundle(reports), ensure_ascii=False, indent=1),
        content_type="application/fhir+json",
    )
    response["Content-Disposition"] = 'attachment; filename="sengekapasitet-fhir.json"'
    return response
