"""The reserve person's side of mobilisation: her request (accept or decline by the deadline)
and ending her own deployment. Only her own records are found; anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.operations.models import Deployment, MobilisationRequest
from beredskap.operations.services import mobilisation
from beredskap.operations.views.common import attempt


def _me(request: HttpRequest) -> int:
    return int(request.user.pk or 0)


RELATED = ("line__request__location", "line__request__requested_by", "line__request__crisis")


@login_required
def mobilisation_page(request: HttpRequest, mob_id: int) -> HttpResponse:
    mob = get_object_or_404(
        MobilisationRequest.objects.filter(reserve__user_id=_me(request)).select_related(*RELATED),
        pk=mob_id,
    )
    if request.method == "POST":
        choice = request.POST.get("answer")
        if choice in {"accept", "decline"}:
            attempt(
                request,
                lambda: mobilisation.answer(
                    by=request.user,
                    mob=mob,
                    accept=choice == "accept",
                    note=request.POST.get("note", ""),
                ),
                _("Takk! Du har takket ja, og utsendelsen er registrert.")
                if choice == "accept"
                else _("Du har takket nei. Neste kandidat blir spurt."),
            )
        return redirect("operations:mobilisation", mob_id=mob.pk)
    deployment = Deployment.objects.filter(
        line=mob.line, line__reserve__user_id=_me(request)
    ).first()
    return render(
        request,
        "operations/mobilisation.html",
        {"mob": mob, "request_": mob.line.request, "deployment": deployment},
    )


@login_required
@require_POST
def own_deployment_end(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = get_object_or_404(
        Deployment.objects.filter(line__reserve__user_id=_me(request)).select_related(
            "line__reserve", "line__proposal__crisis", "line__request__location"
        ),
        pk=deployment_id,
    )
    attempt(
        request,
        lambda: mobilisation.end_own_deployment(
            by=request.user, deployment=deployment, note=request.POST.get("note", "")
        ),
        _("Utsendelsen er avsluttet."),
    )
    return redirect("/")
