"""The status report's texts and its browser preview: the same HTML the PDF is made from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.commitments import queries, report_document, report_files, reports, services
from beredskap.commitments.forms import PrefaceForm
from beredskap.commitments.models import ReportKind
from beredskap.commitments.permissions import allowed
from beredskap.core.errors import PermissionDenied, StaleEdit

WRITE_ERRORS = (PermissionDenied, StaleEdit, ValidationError)


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise Http404
    return kind


@login_required
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A stored report as the HTML its PDF was rendered from."""
    report = get_object_or_404(queries.reports(request.user), pk=pk)
    if not reports.can_download(request.user, report):
        raise Http404
    return HttpResponse(report_files.render_html(report_files.document_of(report), preview=True))


@login_required
def report_draft(request: HttpRequest, kind: str) -> HttpResponse:
    """What the report would say if it were made now (the secretariat), nothing stored."""
    kind = _kind(kind)
    if not allowed(request.user, "manage_commitments"):
        raise Http404
    snapshot = reports.build_snapshot(user=request.user, kind=kind)
    title = _("Utkast: %(t)s") % {"t": reports.report_title(kind, timezone.localdate())}
    document = report_document.build_document(title, snapshot)
    return HttpResponse(report_files.render_html(document, preview=True))


def _initial(preface) -> dict:
    fields = ("sender", "recipient", "classification", "introduction", "assessment")
    return {"version": preface.version if preface.pk else None} | {
        f: getattr(preface, f) for f in fields
    }


@login_required
def preface_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """The secretariat writes introduction and summary assessment for the current period."""
    kind = _kind(kind)
    if not allowed(request.user, "manage_commitments"):
        raise Http404
    preface = reports.preface_for(kind, timezone.localdate())
    form = PrefaceForm(request.POST or None, initial=_initial(preface))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.save_preface(by=request.user, kind=kind, expected_version=version, **data)
        except WRITE_ERRORS as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Teksten er lagret."))
            return redirect("commitments:report_list")
    context = {"form": form, "preface": preface, "kind_label": ReportKind(kind).label}
    return render(request, "commitments/preface_form.html", context)
