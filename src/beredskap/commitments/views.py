"""HTML views for the commitments tracker and the status reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.commitments import queries, report_files, reports, services
from beredskap.commitments.filters import CommitmentFilterSet
from beredskap.commitments.forms import CommitmentEditForm, ProgressForm, ReportForm
from beredskap.commitments.models import ReportKind
from beredskap.commitments.permissions import allowed
from beredskap.core.audit import record_event
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.paging import paginate, querystring_without_page

WRITE_ERRORS = (PermissionDenied, ValidationError, StaleEdit)


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every commitment with its status; filters by chapter, risk area, status, organisation."""
    filterset = CommitmentFilterSet(request.GET)
    filtered = filterset.apply(queries.commitments(request.user))
    page = paginate(request, filtered, per_page=50)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "counts": queries.status_counts(filtered),
    }
    return render(request, "commitments/commitment_list.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(queries.commitments(request.user), pk=pk)
    from beredskap.exercises.queries import links_from

    can_report = allowed(request.user, "report_progress", commitment)
    context = {
        "c": commitment,
        "notes": commitment.notes.select_related("author"),
        "evidence": links_from(request.user, commitment),
        "can_report": can_report,
        "can_manage": allowed(request.user, "manage_commitments"),
        "progress_form": ProgressForm(
            initial={"version": commitment.version, "status": commitment.status}
        ),
        "edit_form": CommitmentEditForm(
            initial={
                "version": commitment.version,
                "due_note": commitment.due_note,
                "responsible_org": commitment.responsible_org_id,
                "due_date": commitment.due_date,
            }
        ),
    }
    return render(request, "commitments/commitment_detail.html", context)


@login_required
def change(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Progress note (with optional status change), or responsibility and due date."""
    commitment = get_object_or_404(queries.commitments(request.user), pk=pk)
    if request.method != "POST" or part not in {"progress", "edit"}:
        raise Http404
    try:
        if part == "progress":
            form = ProgressForm(request.POST)
            _valid(form)
            data = dict(form.cleaned_data)
            services.add_progress(
                by=request.user, commitment=commitment, expected_version=data.pop("version"), **data
            )
        else:
            edit_form = CommitmentEditForm(request.POST)
            _valid(edit_form)
            data = dict(edit_form.cleaned_data)
            services.update_commitment(
                by=request.user, commitment=commitment, expected_version=data.pop("version"), **data
            )
    except WRITE_ERRORS as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Lagret."))
    return redirect("commitments:detail", pk=pk)


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Link plans, analyses, exercises, meeting decisions and crisis decisions as evidence."""
    from beredskap.exercises.views_links import link_page

    commitment = get_object_or_404(queries.commitments(request.user), pk=pk)
    return link_page(
        request,
        source=commitment,
        heading=_("Dokumentasjon for %(r)s") % {"r": commitment.reference},
        back_url=reverse("commitments:detail", args=[pk]),
        can_link=allowed(request.user, "report_progress", commitment),
        link=lambda _relation, target, note: services.link_evidence(
            by=request.user, commitment=commitment, target=target, note=note
        ),
    )


def _valid(form) -> None:
    if not form.is_valid():
        raise ValidationError(" ".join(str(e) for errs in form.errors.values() for e in errs))


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    can_generate = allowed(request.user, "manage_commitments")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_report(by=request.user, kind=form.cleaned_data["kind"])
        except WRITE_ERRORS as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("commitments:report_job", pk=job.pk)
    visible = [
        r for r in queries.reports(request.user)[:100] if reports.can_download(request.user, r)
    ]
    return render(
        request,
        "commitments/report_list.html",
        {
            "reports": visible,
            "form": form if can_generate else None,
            "prefaces": [
                reports.preface_for(kind, timezone.localdate()) for kind in ReportKind.values
            ]
            if can_generate
            else [],
            "jobs": queries.report_jobs(request.user).filter(status__in=["queued", "running"]),
        },
    )


@login_required
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(queries.reports(request.user), pk=pk)
    if fmt not in report_files.RENDERERS or not reports.can_download(request.user, report):
        raise Http404
    content_type = report_files.RENDERERS[fmt][1]
    record_event(
        "export",
        actor=request.user,
        label="commitments.statusreport",
        detail={"id": pk, "format": fmt},
    )
    response = HttpResponse(reports.file_content(report, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statusrapport-{report.pk}.{fmt}"'
    return response


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a report being generated, and its files when done."""
    job = get_object_or_404(queries.report_jobs(request.user), pk=pk)
    return render(request, "commitments/report_job.html", {"job": job})


@login_required
def report_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls every second while the report is made."""
    job = get_object_or_404(queries.report_jobs(request.user), pk=pk)
    response = render(request, "commitments/_report_job_status.html", {"job": job})
    if not job.is_active and request.headers.get("HX-Request") and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # reload once to show the downloads
    return response


@login_required
@require_POST
def report_job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(queries.report_jobs(request.user), pk=pk)
    try:
        services.cancel_report(by=request.user, job=job)
    except WRITE_ERRORS as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Rapporten er avbrutt."))
    return redirect("commitments:report_job", pk=pk)
