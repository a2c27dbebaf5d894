"""The national summary as a page: the summaries of a reporting cycle and, for the crisis's
coordinators, building one for a passed deadline from the filed county reports and the direct
reports of hospital trusts and agencies (Meld. St. 5 (2023–2024) 2.3)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.operations import queries
from beredskap.operations.models.sitreps import ReportKind
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.services import sitreps
from beredskap.operations.views.common import attempt, crisis_for


@login_required
def national_page(request: HttpRequest, pk: int, cycle_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    cycle = get_object_or_404(crisis.cycles, pk=cycle_id)
    summaries = queries.reports(request.user, crisis).filter(cycle=cycle, kind=ReportKind.NATIONAL)
    passed = list(reversed(sitreps.deadlines(cycle, timezone.now())))[:14]
    context = {
        "crisis": crisis,
        "cycle": cycle,
        "summaries": summaries[:50],
        "deadlines": passed,
        "coordinator": is_coordinator(request.user, crisis) and crisis.is_open,
    }
    return render(request, "operations/national.html", context)


@login_required
@require_POST
def national_build(request: HttpRequest, pk: int, cycle_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    cycle = get_object_or_404(crisis.cycles, pk=cycle_id)
    period = parse_datetime(request.POST.get("period_due", ""))
    if period is None or timezone.is_naive(period):
        from django.contrib import messages

        messages.error(request, _("Velg en frist."))
        return redirect("operations:national", pk=pk, cycle_id=cycle_id)
    report = attempt(
        request,
        lambda: sitreps.build_national_summary(by=request.user, cycle=cycle, period_due=period),
        _("Den nasjonale oppsummeringen er satt sammen."),
    )
    if report is not None:
        return redirect("operations:report", pk=pk, report_id=report.pk)
    return redirect("operations:national", pk=pk, cycle_id=cycle_id)
