"""HTML for an organisation's user administration and its security officer's clearances."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from beredskap.actors import queries, queries_users
from beredskap.actors.forms_contacts import ImportFileForm
from beredskap.actors.forms_users import (
    ROLE_CHOICES,
    ClearanceForm,
    DeactivateForm,
    InviteForm,
    RoleForm,
)
from beredskap.actors.models import Clearance
from beredskap.actors.permissions import administers
from beredskap.actors.services import users as userservices
from beredskap.actors.userimport import EXAMPLE, HEADER, import_users
from beredskap.actors.views_contacts import _errors_into
from beredskap.core.errors import PermissionDenied
from beredskap.core.tabular import read_rows, template_response


def _administered(request: HttpRequest, pk: int) -> Any:
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    if not administers(request.user, org):
        raise Forbidden(_("Du kan bare administrere brukere i din egen organisasjon."))
    return org


@login_required
def org_users(request: HttpRequest, pk: int) -> HttpResponse:
    """Members, roles, who has not signed in for 90 days; invite, change role, deactivate."""
    org = _administered(request, pk)
    action = request.POST.get("action", "")
    invite_form = InviteForm(request.POST if action == "invite" else None)
    deactivate_form = DeactivateForm(request.POST if action == "deactivate" else None)
    if request.method == "POST":
        done = _handle(request, org, action, invite_form, deactivate_form)
        if done:
            messages.success(request, done)
            return redirect("actors:org_users", pk=org.pk)
    members = queries_users.members(org)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        members = members.filter(person__name__icontains=search) | members.filter(
            person__user__username__icontains=search
        )
    context = {
        "org": org,
        "members": members,
        "stale": queries_users.not_signed_in_since(org),
        "invite_form": invite_form,
        "deactivate_form": deactivate_form,
        "roles": ROLE_CHOICES,
        "q": search,
    }
    status = 400 if invite_form.errors or deactivate_form.errors else 200
    return render(request, "actors/org_users.html", context, status=status)


def _membership(org: Any, value: Any) -> Any:
    try:
        return queries_users.members(org).get(pk=int(value))
    except (TypeError, ValueError, queries_users.Membership.DoesNotExist):
        return None


def _invitation_outcome(invitation: Any) -> str:
    """Say what the mail server answered: sent, refused (with its reason), or not yet tried."""
    email = invitation.email
    delivered = getattr(invitation, "delivered", None)
    if delivered:
        return _("Invitasjonen er sendt til %(e)s.") % {"e": email}
    if delivered is False:
        return _("Invitasjonen til %(e)s er laget, men e-posten nådde ikke fram: %(r)s") % {
            "e": email,
            "r": invitation.delivery_error,
        }
    return _("Invitasjonen til %(e)s sendes når endringen er lagret.") % {"e": email}


def _handle(request: HttpRequest, org: Any, action: str, invite: Any, deactivate: Any) -> Any:
    by = request.user
    try:
        if action == "invite" and invite.is_valid():
            invitation, _link = userservices.invite_member(
                by=by, organisation=org, **invite.cleaned_data
            )
            return _invitation_outcome(invitation)
        membership = _membership(org, request.POST.get("membership"))
        if action == "role" and membership is not None:
            form = RoleForm(request.POST)
            if form.is_valid():
                userservices.change_role(by=by, membership=membership, role=form.data["role"])
                return _("Rollen er endret.")
        if action == "remove" and membership is not None:
            userservices.remove_membership(by=by, membership=membership)
            return _("Medlemskapet er fjernet.")
        if action == "deactivate" and membership is not None and deactivate.is_valid():
            result = userservices.deactivate_member(
                by=by, membership=membership, reason=deactivate.cleaned_data["reason"]
            )
            return _(
                "Brukeren er deaktivert: %(s)s økter avsluttet, %(t)s API-nøkler trukket tilbake."
            ) % {"s": result["sessions_ended"], "t": result["tokens_revoked"]}
        if action in {"role", "remove", "deactivate"} and membership is None:
            messages.error(request, _("Fant ikke medlemmet i organisasjonen."))
    except (ValidationError, PermissionDenied) as exc:
        target = invite if action == "invite" else deactivate
        if action in {"invite", "deactivate"}:
            _errors_into(target, exc)
        else:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return None


@login_required
def org_users_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite many people from a CSV/XLSX file: all-or-nothing, every bad row reported."""
    org = _administered(request, pk)
    fmt = request.GET.get("mal")
    if fmt in {"csv", "xlsx"}:
        return template_response("brukere", HEADER, EXAMPLE, fmt)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
            result = import_users(by=request.user, organisation=org, rows=rows)
        except ValidationError as exc:
            form.add_error("file", exc)
    context = {"org": org, "form": form, "result": result, "header": HEADER}
    return render(request, "actors/org_users_import.html", context)


@login_required
def org_clearances(request: HttpRequest, pk: int) -> HttpResponse:
    """The security officer's page: clearances in force, lapsing soon and lapsed."""
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    if not userservices.is_security_officer(request.user, org):
        raise Forbidden(_("Bare organisasjonens sikkerhetsleder har tilgang."))
    form = ClearanceForm(request.POST or None, organisation=org)
    if request.method == "POST" and request.POST.get("withdraw"):
        record = Clearance.objects.filter(organisation=org, pk=request.POST["withdraw"]).first()
        if record is not None:
            userservices.withdraw_clearance(
                by=request.user, clearance=record, reason=request.POST.get("reason", "") or "-"
            )
            messages.success(request, _("Klareringen er trukket tilbake."))
        return redirect("actors:org_clearances", pk=org.pk)
    if request.method == "POST" and form.is_valid():
        try:
            userservices.register_clearance(by=request.user, organisation=org, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Klareringen er registrert."))
            return redirect("actors:org_clearances", pk=org.pk)
    records = queries_users.clearances_of(org)
    context = {
        "org": org,
        "form": form,
        "records": records,
        "lapsing": queries_users.lapsing(records),
        "warn_days": queries_users.WARN_DAYS,
    }
    return render(
        request, "actors/org_clearances.html", context, status=400 if form.errors else 200
    )
