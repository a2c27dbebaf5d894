"""Running the crisis staff from the pages: reporting cycles, the expert group's composition,
liaisons, crisis-role hand-over, adjusting allocation lines and ending deployments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.operations.forms_staff import (
    CycleForm,
    ExpertForm,
    LiaisonForm,
    LineAdjustForm,
    RoleForm,
    role_memberships,
)
from beredskap.operations.models import AllocationLine, Deployment
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.services import activation, resources, sitreps
from beredskap.operations.views.common import attempt, attempt_kept, crisis_for, form_errors


def _to(name: str, pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse(f"operations:{name}", args=[pk]) + f"#{anchor}")


@login_required
@require_POST
def cycle_create(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = CycleForm(request.POST, prefix="cycle")
    if form.is_valid():
        cycle = attempt_kept(
            request,
            form,
            lambda: sitreps.create_cycle(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Rapporteringssyklusen er opprettet."),
        )
        if cycle is not None:
            return redirect("operations:cycle", pk=pk, cycle_id=cycle.pk)
    else:
        form_errors(request, form)
    return _to("crisis", pk, "sykluser")


@login_required
@require_POST
def expert_add(request: HttpRequest, pk: int, activation_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    act = get_object_or_404(crisis.activations.select_related("body", "crisis"), pk=activation_id)
    form = ExpertForm(request.POST, prefix=f"expert{act.pk}")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: activation.add_expert(by=request.user, activation=act, **form.cleaned_data),
            _("Eksperten er lagt til."),
        )
    else:
        form_errors(request, form)
    return _to("crisis", pk, "h-act")


@login_required
@require_POST
def liaison_add(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = LiaisonForm(request.POST, prefix="liaison")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: activation.add_liaison(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Kontaktpersonen er registrert."),
        )
    else:
        form_errors(request, form)
    return _to("crisis", pk, "roller")


@login_required
@require_POST
def role_handover(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = RoleForm(
        request.POST,
        prefix="role",
        memberships=role_memberships(request.user, is_coordinator(request.user, crisis)),
    )
    if form.is_valid():
        data = form.cleaned_data
        membership = data["membership"]
        attempt_kept(
            request,
            form,
            lambda: activation.hand_over_role(
                by=request.user,
                crisis=crisis,
                organisation=membership.organisation,
                role=data["role"],
                person=membership.person,
                note=data["note"],
            ),
            _("Rollen er overlevert."),
        )
    else:
        form_errors(request, form)
    return _to("crisis", pk, "roller")


@login_required
@require_POST
def line_adjust(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    line = get_object_or_404(
        AllocationLine.objects.filter(proposal__crisis=crisis).select_related("proposal"),
        pk=line_id,
    )
    form = LineAdjustForm(request.POST, prefix=f"line{line.pk}")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: resources.adjust_line(
                by=request.user,
                line=line,
                quantity=form.cleaned_data["quantity"],
                expected_version=form.cleaned_data["version"],
            ),
            _("Linjen er justert."),
        )
    else:
        form_errors(request, form)
    return redirect(reverse("operations:work", args=[pk]) + f"#proposal-{line.proposal_id}")


@login_required
@require_POST
def deployment_end(request: HttpRequest, pk: int, deployment_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    deployment = get_object_or_404(
        Deployment.objects.filter(line__proposal__crisis=crisis).select_related(
            "line__request__location", "line__proposal__crisis"
        ),
        pk=deployment_id,
    )
    attempt(
        request,
        lambda: resources.end_deployment(
            by=request.user,
            deployment=deployment,
            expected_version=int(request.POST.get("version") or 0),
            note=request.POST.get("note", ""),
        ),
        _("Utsendelsen er avsluttet."),
    )
    return _to("work", pk, "utsendelser")
