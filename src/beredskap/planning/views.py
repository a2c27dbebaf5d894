"""HTML views for the plan register (the app's index) and the shared form helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import record_reads
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.planning import loop, queries, services
from beredskap.planning.filters import PlanFilterSet
from beredskap.planning.forms import PlanForm
from beredskap.planning.models import Plan
from beredskap.risk import permissions
from beredskap.risk.formerrors import run_service
from beredskap.risk.views import writable_orgs


def form_page(
    request: HttpRequest,
    form: Any,
    template: str,
    context: dict[str, Any],
    call: Callable[[], Any],
    done: Callable[[Any], HttpResponse],
    message: str,
) -> HttpResponse:
    """Validate, call the service, put refusals on the form (400/403/409), redirect on success."""
    status = 200
    if request.method == "POST" and form.is_valid():
        result, status = run_service(form, call)
        if result is not None:
            messages.success(request, message)
            return done(result)
    context["form"] = form
    return render(request, template, context, status=status if form.errors else 200)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The register of preparedness plans with computed status."""
    filterset = PlanFilterSet(request.GET)
    rows = filterset.apply_status(
        filterset.apply(queries.plans(request.user)).order_by("owner_org__name", "title")
    )
    page = paginate(request, rows, per_page=25)
    record_reads(request.user, page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "can_create": writable_orgs(request.user).exists(),
        "is_statsforvalter": queries.statsforvalter_offices(request.user).exists(),
    }
    return render(request, "planning/plan_list.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    record_reads(request.user, [plan])
    from beredskap.planning.views_files import AttachmentForm

    can_edit = permissions.can_edit(request.user, plan)
    context = {
        "plan": plan,
        "record": plan,
        "can_edit": can_edit,
        "attachments": plan.attachments.all(),
        "attachment_form": AttachmentForm() if can_edit else None,
        "scenarios": queries.scenarios(request.user).filter(plans=plan),
        "assumptions": queries.assumptions(request.user).filter(plans=plan),
        "today": timezone.localdate(),
        **loop.plan_upstream(request.user, plan),
        **loop.downstream(request.user, plan),
    }
    return render(request, "planning/plan_detail.html", context)


def _links(form: PlanForm) -> dict[str, Any]:
    data = form.service_fields()
    return {"scenarios": data.pop("scenarios"), "assumptions": data.pop("assumptions"), **data}


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    owners = writable_orgs(request.user)
    if not owners.exists():
        raise Http404
    form = PlanForm(request.POST or None, owner_choices=owners, user=request.user)
    return form_page(
        request,
        form,
        "planning/form.html",
        {"heading": _("Ny beredskapsplan")},
        lambda: services.create_plan(
            by=request.user, owner_org=form.cleaned_data["owner_org"], **_links(form)
        ),
        lambda plan: redirect("planning:plan_detail", pk=plan.pk),
        _("Planen er registrert."),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    if not permissions.can_edit(request.user, plan):
        raise Http404
    form = PlanForm(
        request.POST or None,
        instance=Plan.objects.get(pk=plan.pk),
        user=request.user,
        initial={"version": plan.version},
    )
    return form_page(
        request,
        form,
        "planning/form.html",
        {"heading": _("Rediger plan"), "back": plan},
        lambda: services.update_plan(
            by=request.user,
            plan=plan,
            expected_version=form.cleaned_data.get("version") or plan.version,
            **_links(form),
        ),
        lambda p: redirect("planning:plan_detail", pk=p.pk),
        _("Planen er lagret."),
    )
