"""Import and export pages for an analysis: templates to download, all-or-nothing import,
XLSX and PDF export. Exports are audited as reads of the analysis."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from beredskap.core.audit import record_event, record_reads
from beredskap.core.tabular import XLSX_TYPE, read_rows, template_response
from beredskap.risk import exports, imports, permissions
from beredskap.risk.views import visible_analysis

TEMPLATES = {
    "hendelser": (imports.EVENT_HEADER, imports.EVENT_EXAMPLE),
    "tiltak": (imports.MEASURE_HEADER, imports.MEASURE_EXAMPLE),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva vil du importere?"),
        choices=[("hendelser", _("Uønskede hendelser")), ("tiltak", _("Tiltak"))],
    )
    file = forms.FileField(label=_("Fil (CSV eller XLSX)"))


@login_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in TEMPLATES or fmt not in ("csv", "xlsx"):
        raise Http404
    header, example = TEMPLATES[kind]
    return template_response(f"mal-{kind}", header, example, fmt)


@login_required
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    if not (permissions.can_edit(request.user, analysis) and analysis.is_editable):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        handler = (
            imports.import_events
            if form.cleaned_data["kind"] == "hendelser"
            else imports.import_measures
        )
        try:
            rows = read_rows(
                form.cleaned_data["file"], sheet=imports.SHEETS[form.cleaned_data["kind"]]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            result = handler(by=request.user, analysis=analysis, rows=rows)
            status = 200 if result.ok else 400
    return render(
        request,
        "risk/import.html",
        {"form": form, "analysis": analysis, "result": result, "kinds": TEMPLATES},
        status=400 if form.errors else status,
    )


def _export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    record_reads(request.user, [analysis])
    record_event(
        "export",
        actor=request.user,
        label="risk.rosanalysis",
        detail={"id": analysis.pk, "format": fmt, "classification": analysis.classification},
    )
    if fmt == "xlsx":
        response = HttpResponse(exports.analysis_xlsx(analysis), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(exports.analysis_pdf(analysis), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ros-{analysis.pk}-rev{analysis.revision}.{fmt}"'
    )
    return response


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@login_required
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")
