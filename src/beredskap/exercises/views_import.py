"""XLSX import pages: upload, a progress page polled by htmx, cancel, and the result to download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.core.errors import PermissionDenied
from beredskap.exercises import imports, queries, services
from beredskap.exercises.views import errors_of


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload an XLSX of exercises or actions; it is imported in the background."""
    kind, error = request.POST.get("kind", "exercises"), ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Velg en XLSX-fil.")
        else:
            try:
                job = services.start_import(
                    by=request.user,
                    kind=kind,
                    data=upload.read(imports.MAX_BYTES + 1),
                    file_name=upload.name or "",
                )
            except ValidationError as exc:
                error = errors_of(exc)
            else:
                return redirect("exercises:import_job", pk=job.pk)
    context = {
        "kind": kind,
        "error": error,
        "jobs": queries.import_jobs(request.user)[:10],
        "exercise_columns": imports.EXERCISE_COLUMNS,
        "action_columns": imports.ACTION_COLUMNS,
    }
    return render(request, "exercises/import.html", context, status=400 if error else 200)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(queries.import_jobs(request.user), pk=pk)
    return render(request, "exercises/import_job.html", {"job": job})


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls every second while the import runs."""
    job = get_object_or_404(queries.import_jobs(request.user), pk=pk)
    response = render(request, "exercises/_import_status.html", {"job": job})
    if not job.is_active and request.headers.get("HX-Request") and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # reload once to show the outcome
    return response


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(queries.import_jobs(request.user), pk=pk)
    try:
        services.cancel_import(by=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, errors_of(exc))
    else:
        messages.success(request, _("Importen er avbrutt. Ingenting fra filen er lagret."))
    return redirect("exercises:import_job", pk=pk)


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome as XLSX: the rows that were rejected and why."""
    job = get_object_or_404(queries.import_jobs(request.user), pk=pk)
    if job.is_active:
        raise Http404
    response = HttpResponse(
        imports.error_report_xlsx(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-resultat.xlsx"'
    return response
