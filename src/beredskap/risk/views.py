"""HTML views for ROS analyses: list, detail with risk matrices, forms, status and revisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.actors.models import Body, BodyKind, Meeting, Organisation
from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied
from beredskap.core.holding import fit_form
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.core.riskareas import RiskArea
from beredskap.risk import permissions, queries, services
from beredskap.risk.filters import RosAnalysisFilterSet
from beredskap.risk.formerrors import run_service
from beredskap.risk.forms import AcceptanceForm, CouncilDiscussionForm, RosAnalysisForm, StatusForm
from beredskap.risk.models import AnalysisStatus, RosAnalysis


def writable_orgs(user: Any):
    return Organisation.objects.filter(
        memberships__person__user=user, memberships__role__in=permissions.WRITER_ROLES
    ).distinct()


def visible_analysis(request: HttpRequest, pk: int) -> RosAnalysis:
    return get_object_or_404(queries.analyses(request.user), pk=pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    filterset = RosAnalysisFilterSet(request.GET)
    rows = filterset.apply(queries.analyses(request.user)).order_by("-period_end", "title")
    page = paginate(request, rows, per_page=25)
    record_reads(request.user, page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "can_create": writable_orgs(request.user).exists(),
        "today": timezone.localdate(),
    }
    return render(request, "risk/analysis_list.html", context)


@login_required
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    record_reads(request.user, [analysis])
    event_list = list(queries.events_of(analysis))
    can_edit = permissions.can_edit(request.user, analysis)
    chain = []
    node = analysis.previous
    while node is not None:
        chain.append(node)
        node = node.previous
    successor = RosAnalysis.objects.filter(previous=analysis).visible_to(request.user).first()
    context = {
        "analysis": analysis,
        "record": analysis,
        "events": event_list,
        "matrices": queries.matrices(event_list, analysis.acceptance_profile),
        "can_edit": can_edit and analysis.is_editable,
        "can_revise": can_edit and analysis.status == AnalysisStatus.APPROVED and successor is None,
        "status_form": StatusForm(
            initial={"version": analysis.version, "approved_on": timezone.localdate()}
        ),
        "earlier": [a for a in chain if queries.analyses(request.user).filter(pk=a.pk).exists()],
        "successor": successor,
        "today": timezone.localdate(),
        "can_delete": permissions.can_delete(request.user, analysis),
        "council_meeting": Meeting.objects.visible_to(request.user)
        .filter(pk=analysis.acceptance_meeting_id)
        .first()
        if analysis.acceptance_meeting_id
        else None,
    }
    if can_edit and analysis.status != AnalysisStatus.SUPERSEDED:
        context["council_form"] = CouncilDiscussionForm(
            user=request.user,
            initial={"version": analysis.version, "meeting": analysis.acceptance_meeting_id},
        )
    return render(request, "risk/analysis_detail.html", context)


@login_required
def analysis_create(request: HttpRequest) -> HttpResponse:
    owners = writable_orgs(request.user)
    if not owners.exists():
        raise Http404
    form = fit_form(
        RosAnalysisForm(request.POST or None, owner_choices=owners), request.user, RosAnalysis
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        owner = data.pop("owner_org")
        analysis, status = run_service(
            form, lambda: services.create_analysis(by=request.user, owner_org=owner, **data)
        )
        if analysis is not None:
            messages.success(request, _("Analysen er opprettet som utkast."))
            return redirect("risk:analysis_detail", pk=analysis.pk)
    return render(
        request, "risk/analysis_form.html", {"form": form}, status=status if form.errors else 200
    )


@login_required
def analysis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    if not permissions.can_edit(request.user, analysis):
        raise Http404
    form = RosAnalysisForm(
        request.POST or None,
        instance=RosAnalysis.objects.get(pk=analysis.pk),
        initial={"version": analysis.version},
    )
    fit_form(form, request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
        version = form.cleaned_data.get("version") or analysis.version
        result, status = run_service(
            form,
            lambda: services.update_analysis(
                by=request.user, analysis=analysis, expected_version=version, **data
            ),
        )
        if result is not None:
            messages.success(request, _("Endringene er lagret."))
            return redirect("risk:analysis_detail", pk=analysis.pk)
    return render(
        request,
        "risk/analysis_form.html",
        {"form": form, "analysis": analysis},
        status=status if form.errors else 200,
    )


@login_required
@require_POST
def analysis_status(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ugyldig statusendring."))
        return redirect("risk:analysis_detail", pk=analysis.pk)
    data = form.cleaned_data
    result, _status = run_service(
        form,
        lambda: services.set_status(
            by=request.user,
            analysis=analysis,
            status=data["status"],
            expected_version=data["version"],
            approved_on=data["approved_on"],
            approved_by=data["approved_by"] or request.user.get_full_name(),
        ),
    )
    if result is None:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(
            request, _("Status er endret til «%(s)s».") % {"s": result.get_status_display()}
        )
    return redirect("risk:analysis_detail", pk=analysis.pk)


@login_required
@require_POST
def analysis_revise(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    try:
        revision = services.start_revision(by=request.user, analysis=analysis)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("risk:analysis_detail", pk=analysis.pk)
    messages.success(
        request, _("Ny revisjon er opprettet som utkast. Forrige revisjon er uendret.")
    )
    return redirect("risk:analysis_detail", pk=revision.pk)


@login_required
def analysis_acceptance(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the owner's acceptance criteria cell by cell."""
    analysis = visible_analysis(request, pk)
    if not (permissions.can_edit(request.user, analysis) and analysis.is_editable):
        raise Http404
    form = AcceptanceForm(
        request.POST or None,
        profile=analysis.acceptance_profile,
        initial={"version": analysis.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        result, status = run_service(
            form,
            lambda: services.update_analysis(
                by=request.user,
                analysis=analysis,
                expected_version=form.cleaned_data["version"],
                acceptance_profile=form.profile(),
            ),
        )
        if result is not None:
            messages.success(request, _("Akseptkriteriene er lagret."))
            return redirect("risk:analysis_detail", pk=analysis.pk)
    return render(
        request,
        "risk/acceptance_form.html",
        {"form": form, "analysis": analysis},
        status=status if form.errors else 200,
    )


@login_required
@require_POST
def analysis_council(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the council meeting where the acceptance criteria were discussed."""
    analysis = visible_analysis(request, pk)
    form = CouncilDiscussionForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("risk:analysis_detail", pk=analysis.pk)
    result, _status = run_service(
        form,
        lambda: services.record_acceptance_discussion(
            by=request.user,
            analysis=analysis,
            meeting=form.cleaned_data["meeting"],
            expected_version=form.cleaned_data["version"],
        ),
    )
    if result is None:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("Drøftingen i rådet er registrert."))
    return redirect("risk:analysis_detail", pk=analysis.pk)


@login_required
def sector_view(request: HttpRequest) -> HttpResponse:
    """Events from all risk areas side by side, on the sector ROS' acceptance criteria."""
    area = request.GET.get("risk_area", "")
    if area not in RiskArea.values:
        area = ""
    profile, sector = queries.sector_profile(request.user)
    chosen = [int(v) for v in request.GET.getlist("analyse") if v.isdigit()][:50]
    event_list = queries.sector_events(request.user, area, chosen)
    by_area = []
    for value, label in RiskArea.choices:
        rows = [e for e in event_list if e.risk_area == value]
        if rows:
            by_area.append((label, rows))
    context = {
        "matrices": queries.matrices(event_list, profile),
        "sector": sector,
        "by_area": by_area,
        "areas": RiskArea.choices,
        "area": area,
        "count": len(event_list),
        "chosen": chosen,
        "choices": queries.analyses(request.user).order_by("-period_end", "title")[:200],
        "council_meeting": bool(sector and sector.acceptance_meeting_id),
    }
    return render(request, "risk/sector.html", context)


@login_required
def risk_areas(request: HttpRequest) -> HttpResponse:
    """The eight risk areas, each with the committee that owns it (Meld. St. 5 (2023–2024) 2.2.1,
    ch. 4)."""
    committees = {
        b.risk_area: b
        for b in Body.objects.filter(kind=BodyKind.COMMITTEE).select_related("lead_org")
    }
    secretariat = Body.objects.filter(kind=BodyKind.SECRETARIAT).select_related("lead_org").first()
    counts: dict[str, int] = {}
    for area in (
        queries.events(request.user)
        .filter(analysis__in=queries.current_analyses(request.user))
        .values_list("risk_area", flat=True)
    ):
        counts[area] = counts.get(area, 0) + 1
    rows = [
        (value, label, committees.get(value) or secretariat, counts.get(value, 0))
        for value, label in RiskArea.choices
    ]
    return render(request, "risk/risk_areas.html", {"rows": rows})
