"""Plan attachments (upload, download, delete) and deletion of plans and scenarios, each
with a confirmation page that explains what goes with the record or why it may not go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from beredskap.core.errors import PermissionDenied
from beredskap.planning import attachments, deletion, queries
from beredskap.risk import permissions


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Dokument (PDF, DOCX eller ODT, høyst 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )


def _errors(exc: Exception) -> list[str]:
    return list(getattr(exc, "messages", [str(exc)]))


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    if not permissions.can_edit(request.user, plan):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Velg en fil å laste opp."))
        return redirect("planning:plan_detail", pk=plan.pk)
    upload = form.cleaned_data["file"]
    try:
        attachment = attachments.add_attachment(
            by=request.user, plan=plan, filename=upload.name, data=attachments.read_upload(upload)
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(request, _("«%(f)s» er lagt ved planen.") % {"f": attachment.filename})
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = attachments.visible_attachment(request.user, pk, attachment_pk)
    if attachment is None:
        raise Http404
    return attachments.download_response(request.user, attachment)


def _confirm(
    request: HttpRequest,
    *,
    heading: str,
    what: str,
    blockers: list[str],
    consequences: list[str],
    cancel_url: str,
    action_url: str,
    do: Callable[[], Any],
    done_url: str,
    done_message: str,
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if blockers:
            status = 400
        else:
            try:
                do()
            except (ValidationError, PermissionDenied) as exc:
                blockers, status = _errors(exc), 400
            else:
                messages.success(request, done_message)
                return redirect(done_url)
    return render(
        request,
        "risk/confirm_delete.html",
        {
            "heading": heading,
            "what": what,
            "blockers": blockers,
            "consequences": consequences,
            "cancel_url": cancel_url,
            "action_url": action_url,
        },
        status=status,
    )


@login_required
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = attachments.visible_attachment(request.user, pk, attachment_pk)
    if attachment is None or not permissions.can_edit(request.user, attachment.plan):
        raise Http404
    detail = reverse("planning:plan_detail", args=[pk])
    return _confirm(
        request,
        heading=_("Slett vedlegget «%(f)s»") % {"f": attachment.filename},
        what=_("Vedlegg til planen «%(t)s».") % {"t": attachment.plan.title},
        blockers=[],
        consequences=[],
        cancel_url=detail,
        action_url=request.path,
        do=lambda: attachments.delete_attachment(by=request.user, attachment=attachment),
        done_url=detail,
        done_message=_("Vedlegget er slettet."),
    )


@login_required
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    if not deletion.can_delete(request.user, plan):
        raise Http404
    title = plan.title
    return _confirm(
        request,
        heading=_("Slett planen «%(t)s»") % {"t": title},
        what=_("%(type)s for %(org)s.")
        % {"type": plan.get_plan_type_display(), "org": plan.owner_org.name},
        blockers=[],
        consequences=deletion.plan_consequences(plan),
        cancel_url=reverse("planning:plan_detail", args=[pk]),
        action_url=request.path,
        do=lambda: deletion.delete_plan(by=request.user, plan=plan),
        done_url=reverse("planning:index"),
        done_message=_("Planen «%(t)s» er slettet.") % {"t": title},
    )


@login_required
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(queries.scenarios(request.user), pk=pk)
    if not deletion.can_delete(request.user, scenario):
        raise Http404
    title = scenario.title
    return _confirm(
        request,
        heading=_("Slett scenarioet «%(t)s»") % {"t": title},
        what=_("%(area)s, %(status)s.")
        % {
            "area": scenario.get_risk_area_display(),
            "status": scenario.get_status_display().lower(),
        },
        blockers=deletion.scenario_blockers(scenario),
        consequences=[_("Koblingene til kildehendelsene fjernes; hendelsene beholdes.")],
        cancel_url=reverse("planning:scenario_detail", args=[pk]),
        action_url=request.path,
        do=lambda: deletion.delete_scenario(by=request.user, scenario=scenario),
        done_url=reverse("planning:scenarios"),
        done_message=_("Scenarioet «%(t)s» er slettet.") % {"t": title},
    )
